"""Member commands: list, status, join, leave, contribute, undo, leaderboard; the buttons."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.cog import button, command
from bot.commands import Integer, Text
from bot.database import row_id
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message
from bot.platform import Reply
from bot.text import sort_key
from bot.timeutil import format_duration
from cogs.missions import render
from cogs.missions.base import NAME, MissionsBase, key_of, name_option
from cogs.missions.model import ACTIVE, LIVE, UPCOMING, Mission

NOTE = 200
PAST_LISTED = 10
BOARD = 10
HOME_SHOWN = 5


class MemberCommands(MissionsBase):
    @command("mission list", "Active, upcoming and past missions")
    async def list_missions(self, ctx: CommandContext) -> Message | Reply:
        active = await self.store.in_state(ctx.community, ACTIVE)
        upcoming = await self.store.in_state(ctx.community, UPCOMING)
        past = await self.store.past(ctx.community, PAST_LISTED)
        shown = render.listing(
            self.t, active, upcoming, past, ctx.now, self.bot.timezone(ctx.community)
        )
        return shown if active or upcoming or past else Reply(shown, private=True)  # empty

    @command(
        "mission status",
        "Progress, time left, top contributors and how to help",
        name_option(required=False),
    )
    async def status(self, ctx: CommandContext, name: str | None) -> Message | Reply:
        if name:
            m = await self.named(ctx.community, name)
        else:
            live = await self.store.in_state(ctx.community, *LIVE)
            if len(live) > 1:
                return await self.list_missions(ctx)
            m = live[0] if live else await self._latest_past(ctx.community)
        return await self.card(m, ctx.now, user=ctx.user.id)

    @command(
        "mission leaderboard",
        "Who has added the most to a mission",
        name_option(required=False),
    )
    async def leaderboard(self, ctx: CommandContext, name: str | None) -> Message | Reply:
        if name:
            m = await self.named(ctx.community, name)
        else:
            active = await self.store.in_state(ctx.community, ACTIVE)
            m = await self.pick(ctx, None) if active else await self._latest_past(ctx.community)
        board = await self.store.contributors(m.id, limit=BOARD)
        shown = render.leaderboard(self.t, m, board)
        return shown if board else Reply(shown, private=True)  # nobody yet: no public post

    async def home_section(self, community: str, user: str) -> Message | None:
        """The person's part of the Slack App Home: running missions (those they joined
        first), each with its progress and what they added; None when none is running."""
        running = await self.store.in_state(community, ACTIVE)
        if not running:
            return None
        joined = await self.store.joined_missions(community, user)
        running.sort(key=lambda m: m.id not in joined)  # stable: soonest deadline first
        shown = running[:HOME_SHOWN]
        yours = {m.id: await self.store.person_total(m.id, user) for m in shown}
        more = len(running) - len(shown)
        return render.home(self.t, shown, joined, yours, self.bot.clock.now(), more)

    @command(
        "mission join",
        "Join a mission: you are reminded when it needs help",
        name_option(required=False),
        private=True,
    )
    async def join(self, ctx: CommandContext, name: str | None) -> Message:
        m = await self.pick(ctx, name, states=LIVE)
        if not await self.store.join(m, ctx.user.id, ctx.now):
            return Message(self.t("missions.join.already", name=m.name))
        return Message(
            self.t("missions.join.done", name=m.name, help=render.how_to_help(self.t, m))
        )

    @command(
        "mission leave",
        "Stop being reminded about a mission",
        name_option(required=False),
        private=True,
    )
    async def leave(self, ctx: CommandContext, name: str | None) -> Message:
        m = await self.pick(ctx, name, states=LIVE)
        if not await self.store.leave(m.id, ctx.user.id):
            raise UserError(self.t("missions.leave.not_joined", name=m.name))
        return Message(self.t("missions.leave.done", name=m.name))

    @command(
        "mission contribute",
        "Add to a manual mission: /mission contribute 3 wrote the FAQ",
        Integer(name="amount", description="How many units you did"),
        Text(name="note", description="What you did (optional)", max_length=NOTE, required=False),
        Text(
            name="name",
            description="The mission (needed when several are running)",
            max_length=NAME,
            required=False,
            autocomplete="complete_mission",
            positional=False,
        ),
        private=True,
    )
    async def contribute(
        self, ctx: CommandContext, amount: int, note: str | None, name: str | None
    ) -> Message:
        most = self.settings.get(ctx.community).max_contribution
        if not 1 <= amount <= most:
            raise UserError(self.t("missions.contribute.bad_amount", amount=amount, most=most))
        m = await self.pick(ctx, name, manual=not name)
        return await self._contribute(ctx, m, amount, note, "manual")

    @button("contribute")
    async def press_contribute(self, ctx: CommandContext, value: str) -> Message:
        m = await self.store.get(number) if (number := row_id(value)) is not None else None
        if m is None or m.community != ctx.community:
            raise UserError(self.t("missions.gone"))
        return await self._contribute(ctx, m, 1, None, "button")

    @command(
        "mission undo",
        "Take back your own last contribution (shortly after)",
        Integer(
            name="id",
            description="The contribution's number (else your last)",
            min_value=1,
            required=False,
        ),
        private=True,
    )
    async def undo(self, ctx: CommandContext, id: int | None) -> Message:
        return await self._undo(ctx, id)

    @button("undo")
    async def press_undo(self, ctx: CommandContext, value: str) -> Message:
        if row_id(value) is None:
            raise UserError(self.t("missions.undo.nothing"))
        return await self._undo(ctx, int(value))

    async def complete_mission(self, ctx: CommandContext, partial: str) -> list[str]:
        """Mission names for autocomplete: live ones (and past ones where they make sense)."""
        with_past = ctx.command in ("mission status", "mission leaderboard")
        names = [
            n for n, state in await self.store.names(ctx.community) if with_past or state in LIVE
        ]
        wanted = key_of(partial)
        chosen = [
            n
            for n in dict.fromkeys(names)
            if not wanted or wanted in key_of(n) or fuzz.partial_ratio(wanted, key_of(n)) >= 80
        ]
        return sorted(chosen, key=sort_key)[:25]

    # --- helpers ----------------------------------------------------------------------------

    async def _contribute(
        self, ctx: CommandContext, m: Mission, amount: int, note: str | None, source: str
    ) -> Message:
        if not m.manual:
            raise UserError(
                self.t(
                    "missions.contribute.automatic", name=m.name, help=render.how_to_help(self.t, m)
                )
            )
        async with self.bot.db.transaction():
            applied = await self.apply(
                m.id, ctx.user.id, amount, source, note, ctx.now, strict=True
            )
        assert applied is not None
        await self.after([applied])
        window = format_duration(self.settings.get(ctx.community).undo_window)
        return render.contributed(
            self.t, applied.mission, applied.contribution, applied.amount, applied.total, window
        )

    async def _undo(self, ctx: CommandContext, contribution_id: int | None) -> Message:
        now = ctx.now
        window = self.settings.get(ctx.community).undo_window
        async with self.bot.db.transaction():
            if contribution_id is None:
                found = await self.store.last_contribution(ctx.community, ctx.user.id, typed=True)
                if found is None:
                    raise UserError(self.t("missions.undo.nothing"))
            else:
                found = await self.store.contribution(contribution_id)
                if found is None or found.community != ctx.community:
                    raise UserError(self.t("missions.undo.unknown", id=contribution_id))
                if found.user != ctx.user.id:
                    raise UserError(self.t("missions.undo.not_yours", id=contribution_id))
                if found.removed_at is not None:
                    raise UserError(self.t("missions.undo.already", id=contribution_id))
            if found.source not in ("manual", "button"):
                raise UserError(self.t("missions.undo.automatic"))
            if now - found.at > window:
                raise UserError(self.t("missions.undo.too_late", window=format_duration(window)))
            m = await self.store.get(found.mission_id)
            assert m is not None
            if m.state != ACTIVE:
                raise UserError(self.closed_text(m, now) or "")
            await self.store.remove_contribution(found.id, ctx.user.id, "undo", now)
            total = await self.store.add_to_total(m.id, -found.amount)
        return render.undone(self.t, m, found, total)

    async def _latest_past(self, community: str) -> Mission:
        past = await self.store.past(community, 1)
        if not past:
            raise UserError(self.t("missions.none_yet"))
        return past[0]
