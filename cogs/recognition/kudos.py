"""Giving one kudos: who may receive it, the anti-gaming limits, and recording it.

Every way of giving (command, user action, reaction, natural thanks) goes through
:meth:`KudosDesk.give`, so the rules are the same everywhere. The limits are read and
the kudos written in one transaction: two kudos at once cannot both slip under a limit,
and what the caller confirms afterwards is already committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.app import Bot
from bot.events import KudosGiven
from bot.members import MemberRecord
from cogs.recognition.rules import Limits, judge
from cogs.recognition.settings import RecognitionSettings
from cogs.recognition.store import RecognitionStore

#: Outcomes that recorded a kudos; every other status is a refusal that changed nothing.
GIVEN = ("counted", "uncounted")


@dataclass(frozen=True, slots=True)
class Outcome:
    """``status``: counted, uncounted (thank-for-thank), self, bot, stranger, cooldown,
    allowance or duplicate; ``wait`` says how long a cooldown or allowance lasts."""

    status: str
    wait: timedelta = timedelta(0)

    @property
    def counted(self) -> bool:
        return self.status == "counted"


class KudosDesk:
    def __init__(
        self, bot: Bot, store: RecognitionStore, settings_of: Callable[[str], RecognitionSettings]
    ) -> None:
        self.bot = bot
        self.store = store
        self.settings_of = settings_of

    async def give(
        self,
        community: str,
        giver: str,
        receiver: str,
        *,
        reason: str,
        source: str,
        channel: str | None,
        message: str | None,
        at: datetime,
    ) -> Outcome:
        if giver == receiver:
            return Outcome("self")
        record = await self.bot.members.get(community, receiver)
        if record is not None and record.is_bot:
            return Outcome("bot")
        if not await self.in_community(community, receiver, record):
            return Outcome("stranger")
        settings = self.settings_of(community)
        limits = Limits(settings.cooldown, settings.daily_allowance, settings.loop_window)
        async with self.store.db.transaction():
            facts = await self.store.kudos_facts(community, giver, receiver, at)
            verdict = judge(at, limits, facts)
            if verdict.refusal is not None:
                return Outcome(verdict.refusal, verdict.wait)
            kudos = await self.store.add_kudos(
                community,
                giver,
                receiver,
                reason=reason,
                source=source,
                channel=channel,
                message=message,
                counted=verdict.counted,
                at=at,
            )
            if kudos is None:
                return Outcome("duplicate")
            if verdict.counted:
                weight = settings.weight("kudos")
                await self.store.add_points(community, receiver, "kudos", weight, at, str(kudos))
        if not verdict.counted:
            return Outcome("uncounted")
        await self.bot.emit(
            KudosGiven(
                community=community,
                at=at,
                giver=giver,
                receiver=receiver,
                reason=reason,
                source=source,
            )
        )
        return Outcome("counted")

    async def in_community(self, community: str, user: str, record: MemberRecord | None) -> bool:
        """The registry's word when it knows ``user``; else the platform's, since the registry
        only learns of people who join or post after Hearth came. When the platform cannot
        tell, they count as a member: the platform offered them as one. A "yes" is recorded,
        so the next kudos needs no question."""
        if record is not None:
            return record.is_member
        found = await self.bot.is_member(community, user)
        if found:
            await self.bot.members.record_seen(community, user)
        return found is not False
