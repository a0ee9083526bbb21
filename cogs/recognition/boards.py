"""Making effort visible: profiles, leaderboards (with rising newcomers) and the
moderators' kudos history."""

from __future__ import annotations

from datetime import timedelta

from bot.cog import Cog, command
from bot.commands import Choice, Member
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message, mention
from bot.platform import Reply
from cogs.recognition import render
from cogs.recognition.rules import NEWCOMER_AGE, PERIODS, tenure_days
from cogs.recognition.store import RecognitionStore

TOP = 10
NEWCOMERS = 5
RECENT_KUDOS = 3
HISTORY = 20
RECENT_POINTS = timedelta(days=30)


class Boards(Cog):
    store: RecognitionStore

    @command(
        "recognition profile",
        "Points, kudos, roles and missions of a person (you, if nobody is named)",
        Member(name="person", required=False),
    )
    async def profile(self, ctx: CommandContext, person: str | None) -> Message:
        user = person or ctx.user.id
        record = await self.bot.members.get(ctx.community, user)
        if record is None or record.is_bot:
            raise UserError(self.t("recognition.profile.unknown", person=mention(user)))
        recent = await self.store.metric_values(
            ctx.community, "points", ctx.now - RECENT_POINTS, user
        )
        first_joined = record.first_joined_at
        return render.profile(
            self.t,
            user,
            by_kind=await self.store.points_by_kind(ctx.community, user),
            recent_points=recent.get(user, 0),
            recent=await self.store.kudos_received(ctx.community, user, RECENT_KUDOS),
            roles=await self.store.roles_of(ctx.community, user),
            tenure=None if first_joined is None else tenure_days(first_joined, ctx.now),
        )

    async def home_section(self, community: str, user: str) -> Message:
        """The person's part of the Slack App Home: points, kudos received, roles."""
        return render.home(
            self.t,
            await self.store.points_by_kind(community, user),
            await self.store.roles_of(community, user),
        )

    @command(
        "recognition leaderboard",
        "Who helped most, and the rising newcomers",
        Choice(name="period", choices=tuple(PERIODS), required=False),
    )
    async def leaderboard(self, ctx: CommandContext, period: str | None) -> Message | Reply:
        period = period or "month"
        window = PERIODS[period]
        since = None if window is None else ctx.now - window
        top = await self.store.leaderboard(ctx.community, since, TOP)
        newcomers = await self.store.newcomers(
            ctx.community, since, ctx.now - NEWCOMER_AGE, NEWCOMERS, exclude=[u for u, _ in top]
        )
        shown = render.leaderboard(self.t, period, top, newcomers)
        return shown if top or newcomers else Reply(shown, private=True)  # empty: no public post

    @command(
        "recognition history",
        "Latest kudos: who gave what to whom (to spot abuse)",
        Member(name="person", required=False, description="only kudos given or received by them"),
        moderator=True,
        private=True,
    )
    async def history(self, ctx: CommandContext, person: str | None) -> Message:
        rows = await self.store.history(ctx.community, person, HISTORY)
        return render.history(self.t, rows, self.bot.timezone(ctx.community))
