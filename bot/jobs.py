"""Running periodic jobs and due timers: APScheduler in production, the clock in tests.

Both drivers use the same APScheduler triggers to decide when a job is due, so the
playground and the tests fire jobs exactly when production would. The manual driver
moves a ``ManualClock`` from one due time to the next and runs what is due, in order.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import ManualClock

log = logging.getLogger(__name__)

#: How often production looks for due timers (tests and the playground are exact).
TIMER_POLL = timedelta(seconds=10)


@dataclass
class ScheduledJob:
    name: str
    trigger: Any  # an APScheduler trigger
    run: Callable[[], Awaitable[None]]


@dataclass(order=True)
class _Entry:
    due: datetime
    order: int
    job: ScheduledJob = field(compare=False)


class ManualScheduler:
    """Drives jobs from a ManualClock: ``await advance(timedelta(hours=2))``."""

    def __init__(
        self,
        clock: ManualClock,
        next_timer: Callable[[], Awaitable[datetime | None]],
        run_timers: Callable[[], Awaitable[None]],
    ) -> None:
        self.clock = clock
        self._next_timer = next_timer
        self._run_timers = run_timers
        self._entries: dict[str, _Entry] = {}
        self._order = 0

    def set_jobs(self, jobs: list[ScheduledJob]) -> None:
        """Install jobs; a job already installed under the same name keeps its entry, and so
        its next time (also when a running job reinstalls the jobs: ``run_until`` then moves
        that same entry on, rather than a copy, so the job does not run again at once)."""
        now = self.clock.now()
        entries = {}
        for job in jobs:
            if job.name in self._entries:
                entry = self._entries[job.name]
                entry.job = job
                entries[job.name] = entry
                continue
            due = job.trigger.get_next_fire_time(None, now)
            if due is not None:
                self._order += 1
                entries[job.name] = _Entry(due, self._order, job)
        self._entries = entries

    async def start(self) -> None:
        await self.run_until(self.clock.now())

    async def stop(self) -> None:
        return None

    async def advance(self, delta: timedelta) -> None:
        await self.run_until(self.clock.now() + delta)

    async def run_until(self, target: datetime) -> None:
        while True:
            timer_due = await self._next_timer()
            entry = min(self._entries.values(), default=None)
            candidates = []
            if timer_due is not None and timer_due <= target:
                candidates.append((timer_due, 0))
            if entry is not None and entry.due <= target:
                candidates.append((entry.due, 1))
            if not candidates:
                break
            due, kind = min(candidates)
            if due > self.clock.now():
                self.clock.set(due)
            if kind == 0:
                await self._run_timers()
                continue
            await entry.job.run()
            following = entry.job.trigger.get_next_fire_time(entry.due, entry.due)
            if following is None:
                self._entries.pop(entry.job.name, None)
            else:
                entry.due = following
        if target > self.clock.now():
            self.clock.set(target)


class ProductionScheduler:
    """APScheduler's AsyncIOScheduler, coalescing missed runs, plus a poll for due timers."""

    def __init__(self, run_timers: Callable[[], Awaitable[None]]) -> None:
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._run_timers = run_timers

    def set_jobs(self, jobs: list[ScheduledJob]) -> None:
        """Install jobs; like the manual driver, a job already installed under the same name
        keeps its next run time (re-adding it would push an interval job a whole interval
        later each time a community changes its timezone)."""
        wanted = {job.name: job for job in jobs}
        for existing in self._scheduler.get_jobs():
            if existing.id == "hearth.timers":
                continue
            if existing.id in wanted:
                existing.modify(func=wanted.pop(existing.id).run)
            else:
                existing.remove()
        for job in wanted.values():
            self._scheduler.add_job(
                job.run,
                job.trigger,
                id=job.name,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=3600,
                replace_existing=True,
            )

    async def start(self) -> None:
        self._scheduler.add_job(
            self._run_timers,
            IntervalTrigger(seconds=TIMER_POLL.total_seconds(), timezone=UTC),
            id="hearth.timers",
            coalesce=True,
            max_instances=1,
            replace_existing=True,
        )
        self._scheduler.start()
        await self._run_timers()

    async def stop(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
