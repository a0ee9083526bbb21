"""Recognition roles: evaluate tiers, grant and announce once, remove rolling roles kindly.

A person is evaluated when their points change (a few indexed queries), and everyone
is evaluated by the daily job, so a new or changed tier reaches the whole community.
A grant the platform refuses is not remembered, so the next evaluation tries again
(the core tells moderators once what to fix).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.app import Bot
from bot.messages import Message, mention, role_mention
from bot.timeutil import format_duration
from cogs.recognition.render import describe_tier
from cogs.recognition.rules import Tier, qualifies, tenure_days, window_start
from cogs.recognition.settings import RecognitionSettings
from cogs.recognition.store import RecognitionStore


class RoleKeeper:
    def __init__(
        self,
        bot: Bot,
        store: RecognitionStore,
        settings_of: Callable[[str], RecognitionSettings],
        t: Callable[..., str],
    ) -> None:
        self.bot = bot
        self.store = store
        self.settings_of = settings_of
        self.t = t

    # --- values -------------------------------------------------------------------------

    def _since(self, community: str, tier: Tier, now: datetime) -> datetime | None:
        since = window_start(now, tier.window)
        if since is not None and tier.metric == "active-days":
            since = since.astimezone(self.bot.timezone(community))
        return since

    async def value(
        self, community: str, tier: Tier, user: str, first_joined: datetime | None, now: datetime
    ) -> int:
        """Where ``user`` stands on ``tier``'s metric (founding: 1 for a founding member)."""
        if tier.founding:
            if tier.joined_before is not None:
                return int(first_joined is not None and first_joined < tier.joined_before)
            return int(user in await self.store.founding_members(community, tier))
        if tier.metric == "tenure":
            return tenure_days(first_joined, now)
        since = self._since(community, tier, now)
        values = await self.store.metric_values(community, tier.metric, since, user)
        return values.get(user, 0)

    async def values(
        self, community: str, tier: Tier, members: dict[str, datetime | None], now: datetime
    ) -> dict[str, int]:
        """Everyone's standing on ``tier``'s metric, in one query."""
        if tier.founding:
            return {u: 1 for u in await self.store.founding_members(community, tier)}
        if tier.metric == "tenure":
            return {u: tenure_days(joined, now) for u, joined in members.items()}
        since = self._since(community, tier, now)
        return await self.store.metric_values(community, tier.metric, since)

    async def eligible(
        self, community: str, tier: Tier, members: dict[str, datetime | None], now: datetime
    ) -> dict[str, int]:
        """Current members who qualify for ``tier``, with their values."""
        values = await self.values(community, tier, members, now)
        return {u: v for u, v in values.items() if u in members and qualifies(tier, v)}

    # --- evaluation ---------------------------------------------------------------------

    async def evaluate_person(
        self, community: str, user: str, channel: str | None = None, *, corrected: bool = False
    ) -> None:
        """Grant what ``user`` now qualifies for; take back rolling roles they fell below and,
        after a correction (a kudos revoked, points taken back), any earned role they no
        longer qualify for (founding roles are never taken back)."""
        tiers = await self.store.tiers(community)
        if not tiers:
            return
        record = await self.bot.members.get(community, user)
        if record is None or record.is_bot or not record.is_member:
            return
        held = await self.store.roles_of(community, user)
        now = self.bot.clock.now()
        for tier in tiers:
            value = await self.value(community, tier, user, record.first_joined_at, now)
            if qualifies(tier, value):
                if tier.role not in held:
                    await self.grant(community, user, tier, value, channel)
            elif tier.role in held and (tier.rolling or (corrected and not tier.founding)):
                await self.revoke(community, user, tier)

    async def evaluate_all(self, community: str) -> None:
        tiers = await self.store.tiers(community)
        if not tiers:
            return
        members = await self.store.current_members(community)
        now = self.bot.clock.now()
        for tier in tiers:
            await self.apply(community, tier, members, now)

    async def apply(
        self,
        community: str,
        tier: Tier,
        members: dict[str, datetime | None],
        now: datetime,
        channel: str | None = None,
    ) -> int:
        """Grant ``tier`` to everyone who qualifies and lacks it; remove a rolling tier from
        members who fell below. Returns how many people received it."""
        eligible = await self.eligible(community, tier, members, now)
        holders = await self.store.holders(community, tier.role)
        granted = 0
        for user in sorted(eligible.keys() - holders):
            granted += await self.grant(community, user, tier, eligible[user], channel)
        if tier.rolling:
            for user in sorted((holders - eligible.keys()) & members.keys()):
                await self.revoke(community, user, tier)
        return granted

    # --- acting -------------------------------------------------------------------------

    def reason(self, community: str, tier: Tier, value: int) -> str:
        return describe_tier(self.t, tier, value, self.bot.timezone(community))

    async def grant(
        self, community: str, user: str, tier: Tier, value: int, channel: str | None
    ) -> bool:
        """Give the role; remember and announce it once. False when the platform refused."""
        reason = self.reason(community, tier, value)
        if not await self.bot.add_role(community, user, tier.role, reason):
            return False
        now = self.bot.clock.now()
        if await self.store.add_grant(community, user, tier.role, now, reason):
            where = self.settings_of(community).announce_channel or channel
            if where:
                text = self.t(
                    "recognition.roles.announce",
                    person=mention(user),
                    role=role_mention(tier.role),
                    reason=reason,
                )
                await self.bot.send(community, where, Message(text, mentions=(user,)))
        return True

    async def revoke(self, community: str, user: str, tier: Tier) -> None:
        """Take a rolling role back, then tell the person kindly how to earn it again."""
        needs = self.reason(community, tier, tier.threshold)
        why = self.t("recognition.roles.removed_reason", needs=needs)
        if not await self.bot.remove_role(community, user, tier.role, why):
            return
        if not await self.store.remove_grant(community, user, tier.role):
            return  # an evaluation running alongside took it back and told them
        window = format_duration(tier.window) if tier.window else ""
        text = self.t(
            "recognition.roles.removed_dm", role=role_mention(tier.role), needs=needs, window=window
        )
        await self.bot.send_dm(community, user, Message(text))
