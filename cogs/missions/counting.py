"""Automatic counting: missions that fill from what people do, not from commands.

Messages are the hot path: the listener is sync and only bumps an in-memory counter
per (mission, person); a job flushes the counters in one transaction every few seconds
(and at shutdown). Answered questions, kudos and welcomes are rare domain events, so
each is counted at once, with the same rules as a typed contribution (deadline, daily
cap), except that a cap cuts the amount instead of refusing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.cog import listen
from bot.events import KudosGiven, MessagePosted, NewcomerGreeted, QuestionAnswered
from cogs.missions.base import Applied, MissionsBase


@dataclass(slots=True)
class _Pending:
    count: int
    last_at: datetime


class Counting(MissionsBase):
    def __init__(self, bot: object) -> None:
        super().__init__(bot)
        #: (community, mission id, person) → messages not yet written.
        self._pending: dict[tuple[str, int, str], _Pending] = {}

    @listen(MessagePosted)
    def count_message(self, event: MessagePosted) -> None:
        """Runs for every message: a dict lookup, and a counter bump when it counts."""
        if event.author_is_bot:
            return
        for mission_id, channels in self._watch.get((event.community, "messages"), ()):
            if event.channel in channels:
                key = (event.community, mission_id, event.author)
                pending = self._pending.get(key)
                if pending is None:
                    self._pending[key] = _Pending(1, event.at)
                else:
                    pending.count += 1
                    pending.last_at = event.at

    @listen(QuestionAnswered)
    async def count_answer(self, event: QuestionAnswered) -> None:
        await self._count(event.community, "answers", event.responder, event.at, event.channel)

    @listen(KudosGiven)
    async def count_kudos(self, event: KudosGiven) -> None:
        await self._count(event.community, "kudos", event.giver, event.at)

    @listen(NewcomerGreeted)
    async def count_welcome(self, event: NewcomerGreeted) -> None:
        if event.greeter is not None:
            await self._count(event.community, "welcomes", event.greeter, event.at)

    async def _count(
        self, community: str, counting: str, user: str, at: datetime, channel: str | None = None
    ) -> None:
        missions = [
            mission_id
            for mission_id, channels in self._watch.get((community, counting), ())
            if not channels or channel in channels
        ]
        if not missions:
            return
        applied: list[Applied] = []
        async with self.bot.db.transaction():
            for mission_id in missions:
                done = await self.apply(mission_id, user, 1, counting, None, at, strict=False)
                if done is not None:
                    applied.append(done)
        await self.after(applied)

    async def flush_counts(self, *, deliver: bool = True) -> None:
        """Write the buffered message counts in one transaction. Each counts at the time of
        the person's last message, so messages sent before the deadline count even when the
        flush runs just after it."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        applied: list[Applied] = []
        try:
            async with self.bot.db.transaction():
                for (_, mission_id, user), n in pending.items():
                    done = await self.apply(
                        mission_id, user, n.count, "messages", None, n.last_at, strict=False
                    )
                    if done is not None:
                        applied.append(done)
        except BaseException:
            self._keep(pending)
            raise
        await self.after(applied, deliver=deliver)

    def _keep(self, unwritten: dict[tuple[str, int, str], _Pending]) -> None:
        """Put back the counts a failed flush did not write, ahead of those counted since."""
        for key, counted in unwritten.items():
            later = self._pending.get(key)
            if later is not None:
                counted = _Pending(counted.count + later.count, later.last_at)
            self._pending[key] = counted

    def forget_pending(self, community: str, user: str) -> None:
        for key in [k for k in self._pending if k[0] == community and k[2] == user]:
            del self._pending[key]
