"""The recognition cog: kudos, points from other cogs' events, roles, and the weekly spotlight.

Commands live in mixins by concern (``giving``, ``boards``, ``admin``); this class
wires them to one store and adds what runs on its own: points from domain events,
the active-days flush, the daily re-evaluation and the weekly spotlight.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from bot.app import Bot
from bot.cog import job, listen, timer
from bot.events import (
    MemberJoined,
    MissionCompleted,
    MissionContributed,
    MissionReopened,
    NewcomerGreeted,
    QuestionAnswered,
    QuestionSolved,
)
from bot.timers import Timer
from bot.timeutil import to_db
from cogs.recognition import render
from cogs.recognition.activity import ActiveDays
from cogs.recognition.admin import Admin
from cogs.recognition.board_queries import Thanked
from cogs.recognition.boards import Boards
from cogs.recognition.giving import Giving
from cogs.recognition.kudos import KudosDesk
from cogs.recognition.roles import RoleKeeper
from cogs.recognition.rules import next_spotlight
from cogs.recognition.settings import RecognitionSettings
from cogs.recognition.store import RecognitionStore
from cogs.recognition.thanks import RecentAuthors, ThanksDetector

SPOTLIGHT_SIZE = 5
WEEK = timedelta(days=7)


class Recognition(Giving, Boards, Admin):
    """Kudos, points and roles that make insiders visible."""

    name = "recognition"
    tables = (
        "recognition_kudos",
        "recognition_ledger",
        "recognition_tiers",
        "recognition_grants",
        "recognition_active_days",
        "recognition_spotlights",
    )
    settings_class = RecognitionSettings

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.store = RecognitionStore(bot.db)
        self.desk = KudosDesk(bot, self.store, self.settings_of)
        self.roles = RoleKeeper(bot, self.store, self.settings_of, self.t)
        self.thanks = ThanksDetector()
        self.recent = RecentAuthors()
        self.days = ActiveDays()
        self._explained = {}

    async def start(self) -> None:
        await self.desk.load()

    def settings_of(self, community: str) -> RecognitionSettings:
        return self.settings.get(community)

    async def close(self) -> None:
        await self.flush_kudos()
        await self.flush_days()

    @job(every=timedelta(minutes=15))
    async def flush_days(self) -> None:
        """Write the buffered active days in one transaction."""
        rows = self.days.drain()
        if rows:
            await self.store.add_active_days(rows)

    @job(daily_at=time(4, 0))
    async def daily(self, community: str) -> None:
        """Re-evaluate everyone (rolling roles fall off, new tiers reach all) and keep the
        spotlight timer planned."""
        await self.flush_days()
        await self.roles.evaluate_all(community)
        await self.plan_spotlight(community)

    # --- points from other cogs ---------------------------------------------------------

    async def _earn(
        self,
        community: str,
        user: str | None,
        kind: str,
        at: datetime,
        ref: str,
        channel: str | None,
    ) -> None:
        if not user:
            return
        record = await self.bot.members.get(community, user)
        if record is not None and record.is_bot:
            return
        weight = self.settings.get(community).weight(kind)
        if await self.store.add_points(community, user, kind, weight, at, ref):
            await self.roles.evaluate_person(community, user, channel)

    @listen(QuestionAnswered)
    async def on_answered(self, event: QuestionAnswered) -> None:
        await self._earn(
            event.community, event.responder, "answer", event.at, event.question, event.channel
        )

    @listen(QuestionSolved)
    async def on_solved(self, event: QuestionSolved) -> None:
        if event.helper != event.asker:
            await self._earn(
                event.community, event.helper, "accepted", event.at, event.question, event.channel
            )

    @listen(MissionContributed)
    async def on_contributed(self, event: MissionContributed) -> None:
        ref = f"{event.mission}@{to_db(event.at)}"  # each contribution counts once
        await self._earn(event.community, event.user, "mission", event.at, ref, None)

    @listen(MissionCompleted)
    async def on_completed(self, event: MissionCompleted) -> None:
        for user in dict.fromkeys(event.contributors):
            await self._earn(
                event.community, user, "mission_completed", event.at, event.mission, None
            )

    @listen(MissionReopened)
    async def on_reopened(self, event: MissionReopened) -> None:
        """Take back the completion's points and the roles they earned; a new completion
        gives them again (the ledger's (kind, ref) is free once more)."""
        people = await self.store.take_back_points(
            event.community, "mission_completed", event.mission_id
        )
        for user in people:
            await self.roles.evaluate_person(event.community, user, corrected=True)

    @listen(NewcomerGreeted)
    async def on_greeted(self, event: NewcomerGreeted) -> None:
        if event.greeter != event.newcomer:
            await self._earn(
                event.community, event.greeter, "greeting", event.at, event.newcomer, None
            )

    @listen(MemberJoined)
    async def on_joined(self, event: MemberJoined) -> None:
        """Founding tiers (first N members) are decided as people join."""
        if not event.is_bot:
            await self.roles.evaluate_person(event.community, event.user)

    # --- the weekly spotlight -------------------------------------------------------------

    async def top_thanked(
        self, community: str, since: datetime, until: datetime, n: int
    ) -> list[Thanked]:
        """The people thanked most in [since, until), with their latest reason (for digests)."""
        return await self.store.top_thanked(community, since, until, n)

    async def plan_spotlight(self, community: str) -> None:
        """One pending spotlight timer while a spotlight channel is set; none otherwise."""
        if not self.settings.get(community).spotlight_channel:
            await self.bot.timers.cancel(community, self.name, "spotlight")
            return
        now = self.bot.clock.now()
        due = next_spotlight(now, self.bot.timezone(community))
        await self.bot.timers.schedule(
            community, self.name, "spotlight", due, now=now, key="weekly"
        )

    def digest_carries_thanks(self, community: str) -> bool:
        """The weekly digest, with its "most thanked", is on here: the spotlight yields to it
        rather than say the same thing twice."""
        carries = getattr(self.bot.cogs.get("digest"), "carries_thanks", None)
        return callable(carries) and bool(carries(community))

    @timer("spotlight")
    async def post_spotlight(self, timer: Timer) -> None:
        community = timer.community
        channel = self.settings.get(community).spotlight_channel
        if not channel:
            return
        if self.digest_carries_thanks(community):
            await self.plan_spotlight(community)
            return
        week = timer.due_at.astimezone(self.bot.timezone(community)).date().isoformat()
        thanked = await self.top_thanked(
            community, timer.due_at - WEEK, timer.due_at, SPOTLIGHT_SIZE
        )
        if thanked and await self.store.mark_spotlight(community, week, self.bot.clock.now()):
            await self.bot.send(community, channel, render.spotlight(self.t, thanked))
        await self.plan_spotlight(community)

    # --- privacy --------------------------------------------------------------------------

    async def delete_user_data(self, community: str, user: str) -> None:
        self.days.forget(community, user)
        self.recent.forget_user(community, user)
        self.desk.memory.forget(community, user)
        await self.store.delete_user(community, user)

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        return await self.store.export_user(community, user)
