"""The periodic sweep: helpers' digests, escalations, check-ins and kind closes.

Restart safety uses a durable outbox. For each community the sweep decides, in one
transaction, everything that changes: each question's reminder state (count, last
reminder, escalation, next due time) *and* an outbox row holding the message that
announces it. Only after that commit does it send, and it deletes the outbox row
once the platform accepted the message.

* A crash before the commit changes nothing: the next sweep decides again, the same way.
* A crash (or a refusing platform) after the commit leaves the row: the next sweep
  sends it. The questions were already advanced, so no second digest lists them.
* The only window for a duplicate is between the platform accepting a message and
  the row's deletion, a single local write; no platform offers a way to close it.

Mark-then-send with the outbox was chosen over "send, then record" because the
latter repeats a whole digest (and its pings) after every crash in between.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from cogs.questions.models import Question
from cogs.questions.outbox import Outbox
from cogs.questions.reminders import NudgeState, plan_nudge, quiet_until
from cogs.questions.render import Renderer, message_from_json, message_to_json
from cogs.questions.settings import QuestionsSettings
from cogs.questions.store import QuestionsStore

if TYPE_CHECKING:
    from bot.app import Bot
    from cogs.questions.tracker import Tracker

log = logging.getLogger(__name__)

DIGEST = "digest"
CHECK_IN = "check_in"
CLOSE = "close"
#: Failed sends are retried with growing pauses, then given up (moderators were told once).
RETRY_PAUSE = timedelta(minutes=5)
MAX_ATTEMPTS = 6


@contextmanager
def _isolated(what: str, community: str) -> Iterator[None]:
    """Log a failure in one community's part of the sweep and go on with the others."""
    try:
        yield
    except Exception:
        log.exception("questions: %s failed in %s", what, community)


class Sweeper:
    def __init__(
        self,
        bot: Bot,
        store: QuestionsStore,
        tracker: Tracker,
        render: Renderer,
        settings: Callable[[str], QuestionsSettings],
    ) -> None:
        self.bot = bot
        self.store = store
        self.tracker = tracker
        self.render = render
        self.settings = settings
        self.outbox = Outbox(store.db)
        self._lock = asyncio.Lock()

    async def run(self) -> None:
        async with self._lock:
            now = self.bot.clock.now()
            await self._closes(now)
            await self._check_ins(now)
            await self._nudges(now)
            await self.deliver(now)

    def _quiet(self, community: str, now: datetime) -> datetime | None:
        settings = self.settings(community)
        zone = self.bot.timezone(community)
        return quiet_until(now, zone, settings.quiet_start, settings.quiet_end)

    # --- reminders and escalation -------------------------------------------------------

    async def _nudges(self, now: datetime) -> None:
        by_community: dict[str, list[Question]] = defaultdict(list)
        for question in await self.store.due_nudges(now):
            by_community[question.community].append(question)
        for community, due in by_community.items():
            with _isolated("reminders", community):
                await self._community_nudges(community, due, now)

    async def _community_nudges(self, community: str, due: list[Question], now: datetime) -> None:
        quiet_end = self._quiet(community, now)
        if quiet_end is not None:
            await self.store.postpone_nudges([q.id for q in due], quiet_end)
            return
        settings = self.settings(community)
        if not settings.helpers_channel:
            await self.bot.notify_moderators(
                community,
                "questions:no-helpers-channel",
                self.bot.catalog.text("questions.no_helpers_channel", count=len(due)),
            )
            return
        await self._digest(community, due, settings, now)

    async def _digest(
        self, community: str, due: list[Question], settings: QuestionsSettings, now: datetime
    ) -> None:
        rows, reminded, escalated = [], [], []
        for q in due:
            state = NudgeState(
                q.asked_at, q.nudge_count, q.last_nudge_at, q.escalated_at, q.claim_until
            )
            plan = plan_nudge(
                state,
                now,
                renudge_every=settings.renudge_every,
                max_nudges=settings.max_nudges,
                escalate_after=settings.escalate_after,
            )
            if plan.remind:
                reminded.append(q)
            if plan.escalate:
                escalated.append(q)
            rows.append(
                (
                    q.id,
                    q.nudge_count + plan.remind,
                    now if plan.remind else q.last_nudge_at,
                    now if plan.escalate else q.escalated_at,
                    plan.next_at,
                )
            )
        message = None
        if reminded or escalated:
            message = self.render.digest(
                reminded,
                escalated,
                now,
                on_duty=await self.store.on_duty(community),
                helper_role=settings.helper_role,
                moderator_roles=self.bot.core_settings(community).moderator_roles,
                escalate_after=settings.escalate_after,
            )
        async with self.store.db.transaction():
            await self.store.save_nudges(rows)
            if message is not None:
                await self.outbox.add(
                    community,
                    DIGEST,
                    message_to_json(message),
                    now,
                    channel=settings.helpers_channel,
                )

    # --- following up -------------------------------------------------------------------------

    async def _check_ins(self, now: datetime) -> None:
        """Ask the asker (privately first, see :meth:`deliver`) whether it is solved."""
        for q in await self.store.due_check_ins(now):
            with _isolated("check-in", q.community):
                quiet_end = self._quiet(q.community, now)
                if quiet_end is not None:
                    await self.store.postpone_check_in(q.id, quiet_end)
                    continue
                message = message_to_json(self.render.check_in(q))
                async with self.store.db.transaction():
                    if await self.store.checked_in(q.id, now):
                        await self.outbox.add(
                            q.community,
                            CHECK_IN,
                            message,
                            now,
                            channel=q.channel,
                            thread=q.thread_root,
                            user=q.asker,
                        )

    async def _closes(self, now: datetime) -> None:
        for q in await self.store.due_closes(now):
            with _isolated("closing", q.community):
                message = message_to_json(
                    self.render.closed(q, self.settings(q.community).close_after)
                )
                async with self.store.db.transaction():
                    closed = await self.store.close_inactive(q.id, now)
                    if closed:
                        await self.outbox.add(
                            q.community,
                            CLOSE,
                            message,
                            now,
                            channel=q.channel,
                            thread=q.thread_root,
                        )
                if closed:
                    self.tracker.untrack(q)

    # --- sending --------------------------------------------------------------------------------

    async def deliver(self, now: datetime) -> None:
        """Send what the outbox holds; a refused send is retried at a later sweep."""
        for entry in await self.outbox.due(now):
            sent = None
            with _isolated(f"sending {entry.kind} #{entry.id}", entry.community):
                message = message_from_json(entry.message)
                if entry.user is not None:
                    sent = await self.bot.send_dm(entry.community, entry.user, message)
                if sent is None and entry.channel is not None:
                    sent = await self.bot.send(
                        entry.community, entry.channel, message, thread=entry.thread
                    )
            if sent is not None:
                await self.outbox.sent(entry.id)
            elif entry.attempts + 1 >= MAX_ATTEMPTS:
                log.warning(
                    "questions: giving up %s #%d in %s", entry.kind, entry.id, entry.community
                )
                await self.outbox.sent(entry.id)
            else:
                pause = RETRY_PAUSE * 2**entry.attempts
                await self.outbox.retry(entry.id, entry.attempts + 1, now + pause)
