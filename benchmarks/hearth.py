"""Hearth itself: set the communities up through commands, then feed the stream.

The set-up (communities, missions, help channels, the glossary) is done once, into a
template database, through ``bot.interactions.run_text`` as a moderator; every run
starts a fresh bot on a copy of it, as a restart would, and feeds the same stream
through ``bot.dispatch`` while the ManualClock moves on so the buffered flushes run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter, perf_counter_ns
from typing import Any

from benchmarks import scenario
from benchmarks.botrig import MODERATOR, Rig, bench_bot
from benchmarks.corpus import glossary_terms
from benchmarks.measure import Samples, Timed
from benchmarks.sizes import Sizes
from benchmarks.stream import (
    Community,
    Join,
    Layout,
    Post,
    Record,
    make_layout,
    member_name,
)
from bot.clock import ManualClock
from bot.events import Event, MemberJoined, MessagePosted, ReactionAdded
from bot.platform import Person

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: Events dispatched between two moves of the clock (the flush jobs run in the moves).
BATCH = 250


@dataclass
class Template:
    path: Path
    clock_after: datetime
    seconds: float
    commands: int
    echo: dict[str, str] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    latency: dict[str, Samples] = field(default_factory=lambda: defaultdict(Samples))

    def as_dict(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 2),
            "commands": self.commands,
            "mean_ms_per_command": {
                name: round(samples.total / len(samples) / 1e6, 2)
                for name, samples in self.latency.items()
            },
            "first_replies": self.echo,
            "checks": self.checks,
            "not_declared": self.skipped,
        }


def glossary_by_script(terms: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for term, _, script in terms:
        grouped[script].append(term)
    return dict(grouped)


async def command(rig: Rig, community: Community, person: Person, line: str) -> str:
    reply = await rig.bot.interactions.run_text(community.id, person, "general", line)
    message = reply.message
    return " ".join(
        filter(None, [message.title or "", message.text, *(f.value for f in message.fields)])
    )


async def build_template(path: Path, sizes: Sizes, seed: int, cogs: list[str]) -> Template:
    """Configure every community through commands and fill community 0's glossary."""
    clock = ManualClock(START)
    layout = make_layout(sizes.communities, seed)
    terms = glossary_terms(sizes.glossary, seed)
    began = perf_counter()
    template = Template(path, START, 0.0, 0)
    async with bench_bot(path, clock, cogs) as rig:
        not_declared: set[str] = set()
        for community in layout.communities:
            await rig.bot.ensure_community(community.id, community.name)
            lines = scenario.community_setup(community)
            if community.index == 0:
                lines += scenario.glossary_setup(rig.bot, terms)
            for line in lines:
                name = " ".join(line.path)
                if not scenario.declared(rig.bot, line.path):
                    not_declared.add(name)
                    continue
                started = perf_counter_ns()
                reply = await command(rig, community, MODERATOR, line.text)
                template.latency[name].add(perf_counter_ns() - started)
                template.commands += 1
                template.echo.setdefault(name, reply[:160])
        template.skipped = sorted(not_declared)
        for check, path_of_check, line, expected in scenario.checks(terms):
            if scenario.declared(rig.bot, path_of_check):
                reply = await command(rig, layout.communities[0], MODERATOR, line)
                template.checks[check] = expected in reply
        template.clock_after = clock.now()
    template.seconds = perf_counter() - began
    return template


def to_event(record: Record, layout: Layout, at: datetime) -> Event:
    community = layout.communities[record.community]
    if isinstance(record, Post):
        return MessagePosted(
            community=community.id,
            at=at,
            channel=record.channel,
            message=record.message,
            author=record.author,
            author_name=member_name(record.author),
            text=record.text,
            thread=record.thread,
            reply_to=record.reply_to,
            mentions=record.mentions,
            starts_thread=record.starts_thread,
        )
    if isinstance(record, Join):
        return MemberJoined(
            community=community.id, at=at, user=record.user, name=member_name(record.user)
        )
    return ReactionAdded(
        community=community.id,
        at=at,
        channel=record.channel,
        message=record.message,
        user=record.user,
        emoji=record.emoji,
        message_author=record.message_author,
    )


KIND = {MessagePosted: "message", ReactionAdded: "reaction", MemberJoined: "join"}


class HearthStream:
    """Feeds records to a running bot and measures each dispatch and each clock move."""

    def __init__(self, rig: Rig, layout: Layout) -> None:
        self.rig = rig
        self.layout = layout
        self.busy: dict[str, Samples] = defaultdict(Samples)
        self.wall: dict[str, Samples] = defaultdict(Samples)
        self.waited: Counter[str] = Counter()
        self.statements: Counter[str] = Counter()
        self.jobs_wall_ns = 0
        self.jobs_busy_ns = 0
        self.job_statements = 0

    async def dispatch(self, batch: list[Record]) -> None:
        """Adapters build the events; the bot's work starts at ``dispatch``."""
        now = self.rig.clock.now()
        events = [to_event(record, self.layout, now) for record in batch]
        db, bot = self.rig.db, self.rig.bot
        for event in events:
            kind = KIND[type(event)]
            before = db.statements
            timed = Timed(bot.dispatch(event))
            await timed
            self.busy[kind].add(timed.busy)
            self.wall[kind].add(timed.wall)
            if timed.suspended:
                self.waited[kind] += 1
            self.statements[kind] += db.statements - before

    async def advance(self, delta: timedelta) -> None:
        """Move the clock: the flush jobs (and any sweep or timer due) run inside."""
        before = self.rig.db.statements
        started = perf_counter_ns()
        timed = Timed(self.rig.bot.scheduler.advance(delta))  # type: ignore[union-attr]
        await timed
        self.jobs_wall_ns += perf_counter_ns() - started
        self.jobs_busy_ns += timed.busy
        self.job_statements += self.rig.db.statements - before

    def summary(self) -> dict[str, Any]:
        events = sum(len(s) for s in self.busy.values())
        own_wall = sum(s.total for s in self.wall.values())
        total_ns = own_wall + self.jobs_wall_ns
        return {
            "events": events,
            "by_kind": {
                kind: {
                    "busy": self.busy[kind].summary(),
                    "wall": self.wall[kind].summary(),
                    "waited_for_io": self.waited[kind],
                    "sql_statements": self.statements[kind],
                }
                for kind in sorted(self.busy)
            },
            "events_per_second": events / (total_ns / 1e9) if total_ns else 0.0,
            "jobs": {
                "wall_ms": self.jobs_wall_ns / 1e6,
                "busy_ms": self.jobs_busy_ns / 1e6,
                "per_event_us": self.jobs_wall_ns / max(1, events) / 1000,
                "sql_statements": self.job_statements,
            },
            "own_total_per_event_us": total_ns / max(1, events) / 1000,
        }


async def command_latencies(
    rig: Rig, layout: Layout, terms: list[tuple[str, str, str]], samples_each: int, seed: int
) -> dict[str, dict[str, float]]:
    """Wall time of each common command, as an ordinary member, through ``run_text``."""
    samples: dict[str, Samples] = defaultdict(Samples)
    for label, community, user, line in scenario.common_command_lines(
        rig.bot, layout.communities, terms, samples_each, seed
    ):
        person = Person(user, member_name(user))
        channel = community.channels["general"]
        started = perf_counter_ns()
        await rig.bot.interactions.run_text(community.id, person, channel, line)
        samples[label].add(perf_counter_ns() - started)
    return {label: s.summary() for label, s in samples.items()}
