"""Moderator commands that shape a mission: create, edit, extend, cancel."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.cog import command
from bot.commands import Channel, Choice, Duration, Integer, Role, Text, When
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message, channel_mention
from bot.timeutil import format_duration
from cogs.missions import progress, render
from cogs.missions.base import (
    GOAL,
    MOST,
    NAME,
    NAME_HELP,
    REASON,
    UNIT,
    MissionsBase,
    key_of,
    name_option,
)
from cogs.missions.model import ACTIVE, CANCELLED, CHANNEL_KINDS, COUNTING, UPCOMING, Mission
from cogs.missions.store import Plan


class ManageCommands(MissionsBase):
    @command(
        "mission create",
        "Start a mission: a shared goal with a target and a deadline",
        Text(name="name", description=NAME_HELP, max_length=NAME),
        Text(name="goal", description="What the community sets out to do", max_length=GOAL),
        Integer(name="target", description="How many units make it", min_value=1, max_value=MOST),
        Text(name="unit", description="What is counted, e.g. answers", max_length=UNIT),
        When(name="deadline", description="A date (2026-12-31) or a duration (30d)"),
        Channel(name="channel", description="Where the mission is posted and announced"),
        Choice(
            name="counting",
            description="How progress counts",
            choices=COUNTING,
            required=False,
        ),
        Integer(
            name="daily-cap",
            description="Most one person adds per day",
            min_value=1,
            max_value=MOST,
            required=False,
        ),
        Integer(
            name="stretch",
            description="A second target above the first",
            min_value=2,
            max_value=MOST,
            required=False,
        ),
        Text(
            name="count-channels",
            description="Channels whose activity counts: #a #b",
            max_length=500,
            required=False,
        ),
        Role(name="role", description="A role contributors earn", required=False),
        When(name="starts", description="Start later: a date or a duration", required=False),
        moderator=True,
        private=True,
    )
    async def create(
        self,
        ctx: CommandContext,
        name: str,
        goal: str,
        target: int,
        unit: str,
        deadline: datetime,
        channel: str,
        counting: str | None,
        daily_cap: int | None,
        stretch: int | None,
        count_channels: str | None,
        role: str | None,
        starts: datetime | None,
    ) -> Message:
        now = ctx.now
        counting = counting or "manual"
        channels = await self._channels(ctx.community, counting, count_channels)
        self._check_targets(target, stretch)
        if counting == "messages" and not channels:
            raise UserError(self.t("missions.create.needs_channels"))
        start = starts or now
        if deadline <= start:
            raise UserError(self.t("missions.create.deadline_before_start"))
        plan = Plan(
            community=ctx.community,
            name=name,
            name_key=key_of(name),
            goal=goal,
            target=target,
            stretch=stretch,
            unit=unit,
            counting=counting,
            count_channels=tuple(channels),
            channel=channel,
            role=role,
            daily_cap=daily_cap,
            starts_at=start,
            deadline=deadline,
            state=UPCOMING if start > now else ACTIVE,
            created_by=ctx.user.id,
            created_at=now,
        )
        async with self.bot.db.transaction():
            await self._check_free(ctx.community, name)
            m = await self.store.create(plan)
            await self.schedule_deadline(m, now)
            if m.state == ACTIVE:
                await self.open(m, now)
            else:
                await self.bot.timers.schedule(
                    m.community,
                    self.name,
                    "start",
                    m.starts_at,
                    now=now,
                    key=str(m.id),
                    payload={"mission": m.id},
                )
        await self.bot.run_due_timers()
        await self.reload_index(m.community)
        if m.state == UPCOMING:
            when = render.local(m.starts_at, self.bot.timezone(m.community))
            return Message(self.t("missions.create.scheduled", name=m.name, when=when))
        unposted = await self._unposted(m, "post")
        if unposted is not None:
            return Message(
                self.t(
                    "missions.create.done_unposted",
                    name=m.name,
                    channel=channel_mention(channel),
                    reason=unposted,
                )
            )
        return Message(
            self.t("missions.create.done", name=m.name, channel=channel_mention(channel))
        )

    @command(
        "mission edit",
        "Change a mission's name, goal, target, unit, caps, channel or role",
        name_option(),
        Text(name="new-name", description="A new name", max_length=NAME, required=False),
        Text(name="goal", description="A new goal text", max_length=GOAL, required=False),
        Integer(
            name="target", description="A new target", min_value=1, max_value=MOST, required=False
        ),
        Text(name="unit", description="A new unit", max_length=UNIT, required=False),
        Integer(
            name="stretch",
            description="A new stretch target",
            min_value=2,
            max_value=MOST,
            required=False,
        ),
        Integer(
            name="daily-cap",
            description="A new daily cap per person",
            min_value=1,
            max_value=MOST,
            required=False,
        ),
        Channel(name="channel", description="Where announcements go from now on", required=False),
        Role(name="role", description="The role contributors earn", required=False),
        Text(
            name="count-channels",
            description="Channels whose activity counts: #a #b",
            max_length=500,
            required=False,
        ),
        Choice(
            name="clear",
            description="Remove one setting",
            choices=("stretch", "daily-cap", "role"),
            required=False,
        ),
        moderator=True,
        private=True,
    )
    async def edit(
        self,
        ctx: CommandContext,
        name: str,
        new_name: str | None,
        goal: str | None,
        target: int | None,
        unit: str | None,
        stretch: int | None,
        daily_cap: int | None,
        channel: str | None,
        role: str | None,
        count_channels: str | None,
        clear: str | None,
    ) -> Message:
        """Change a live mission. The counting kind stays (it defines what the total means);
        a new channel receives announcements from now on while the pinned post stays where
        it is; a lower target can complete the mission at once, announced as usual."""
        given = {
            "name": new_name,
            "goal": goal,
            "target": target,
            "unit": unit,
            "stretch": stretch,
            "daily_cap": daily_cap,
            "channel": channel,
            "role": role,
        }
        changes = {k: v for k, v in given.items() if v is not None}
        if clear is not None:
            column = clear.replace("-", "_")
            if column in changes:
                raise UserError(self.t("missions.edit.clear_and_set", option=clear))
            changes[column] = None
        async with self.bot.db.transaction():
            m = await self.live_named(ctx.community, name)
            if count_channels is not None:
                changes["count_channels"] = tuple(
                    await self._channels(ctx.community, m.counting, count_channels)
                )
            if not changes:
                raise UserError(self.t("missions.edit.nothing"))
            self._check_targets(changes.get("target", m.target), changes.get("stretch", m.stretch))
            if new_name is not None and key_of(new_name) != key_of(m.name):
                await self._check_free(ctx.community, new_name)
                changes["name_key"] = key_of(new_name)
            await self.store.update(m.id, **changes)
            finished = False
            if m.state == ACTIVE:
                fresh = await self.store.get(m.id)
                assert fresh is not None
                finished = await self.decide(fresh, fresh.total, None)
        await self.bot.run_due_timers()
        await self.reload_index(m.community)
        shown = ", ".join(sorted(k.replace("_", "-") for k in changes if k != "name_key"))
        key = "missions.edit.done_finished" if finished else "missions.edit.done"
        return Message(self.t(key, name=new_name or m.name, changes=shown))

    @command(
        "mission extend",
        "Move a mission's deadline later",
        name_option(),
        Duration(
            name="by",
            description="How much later, e.g. 3d",
            maximum=timedelta(days=366),
            required=False,
        ),
        When(name="until", description="The new deadline: a date or a duration", required=False),
        moderator=True,
        private=True,
    )
    async def extend(
        self, ctx: CommandContext, name: str, by: timedelta | None, until: datetime | None
    ) -> Message:
        if (by is None) == (until is None):
            raise UserError(self.t("missions.extend.by_or_until"))
        now = ctx.now
        async with self.bot.db.transaction():
            m = await self.live_named(ctx.community, name)
            deadline = m.deadline + by if by is not None else until
            assert deadline is not None
            if deadline <= m.deadline:
                when = render.local(m.deadline, self.bot.timezone(m.community))
                raise UserError(self.t("missions.extend.not_later", when=when))
            await self.store.set_deadline(m.id, deadline)
            fresh = await self.store.get(m.id)
            assert fresh is not None
            await self.schedule_deadline(fresh, now)
            if fresh.state == ACTIVE:
                await self.schedule_reminders(fresh, now)
        when = render.local(deadline, self.bot.timezone(m.community))
        left = format_duration(deadline - now)
        return Message(self.t("missions.extend.done", name=m.name, when=when, left=left))

    @command(
        "mission cancel",
        "Cancel a mission; the reason is announced in its channel",
        name_option(),
        Text(name="reason", description="Why, for everyone to read", max_length=REASON),
        moderator=True,
        private=True,
    )
    async def cancel(self, ctx: CommandContext, name: str, reason: str) -> Message:
        now = ctx.now
        async with self.bot.db.transaction():
            m = await self.live_named(ctx.community, name)
            await self.store.archive(m.id, CANCELLED, now, reason)
            if m.state == ACTIVE and await self.store.decide(m.id, "cancelled", now):
                await self.schedule_notice(m, "cancelled", now)
            for kind in ("deadline", "start"):
                await self.bot.timers.cancel(m.community, self.name, kind, str(m.id))
        await self.bot.run_due_timers()
        await self.reload_index(m.community)
        unposted = await self._unposted(m, "cancelled") if m.state == ACTIVE else None
        key = "missions.cancel.done" if unposted is None else "missions.cancel.done_unposted"
        return Message(
            self.t(key, name=m.name, channel=channel_mention(m.channel), reason=unposted)
        )

    async def _unposted(self, m: Mission, notice: str) -> str | None:
        """Why the post of ``notice`` is not out (after the timers ran), or None when it is:
        a moderator is never told "posted" about a post that is not there."""
        queued = await self.bot.outbox.latest(m.community, self.name, "notice", f"{m.id}:{notice}")
        if queued is None or queued.sent:
            return None
        return queued.last_error or self.t("missions.create.not_yet")

    # --- checks ----------------------------------------------------------------------------

    async def _channels(self, community: str, counting: str, text: str | None) -> list[str]:
        """The count-channels given, each one Hearth can read (the core checks Channel
        options; these come as text, so they are checked here)."""
        if text is None:
            return []
        if counting not in CHANNEL_KINDS:
            raise UserError(self.t("missions.create.channels_not_used", counting=counting))
        channels = progress.parse_channels(text)
        if channels is None:
            raise UserError(self.t("missions.create.bad_channels", value=text))
        for channel in channels:
            problem = await self.bot.channel_problem(community, channel, post=False)
            if problem:
                raise UserError(problem)
        return channels

    def _check_targets(self, target: int, stretch: int | None) -> None:
        if stretch is not None and stretch <= target:
            raise UserError(
                self.t("missions.create.stretch_too_low", stretch=stretch, target=target)
            )

    async def _check_free(self, community: str, name: str) -> None:
        if await self.store.live_by_key(community, key_of(name)) is not None:
            raise UserError(self.t("missions.create.duplicate", name=name))
