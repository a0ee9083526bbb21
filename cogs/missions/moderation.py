"""Moderator commands that keep missions fair: remove a contribution, tune the settings."""

from __future__ import annotations

from datetime import timedelta

from bot.cog import command
from bot.commands import Duration, Integer, Member, Text
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message, mention
from bot.timeutil import format_duration
from cogs.missions import progress
from cogs.missions.base import MOST, REASON, MissionsBase, name_option
from cogs.missions.model import ACTIVE


class ModerationCommands(MissionsBase):
    @command(
        "mission remove-contribution",
        "Remove a person's contribution, with a reason they are told",
        Member(name="member", description="Whose contribution"),
        Text(name="reason", description="Why; the person is told", max_length=REASON),
        name_option(required=False, positional=False),
        Integer(
            name="id",
            description="The contribution's number (else their latest)",
            min_value=1,
            required=False,
            positional=False,
        ),
        moderator=True,
        private=True,
    )
    async def remove_contribution(
        self, ctx: CommandContext, member: str, reason: str, name: str | None, id: int | None
    ) -> Message:
        now = ctx.now
        async with self.bot.db.transaction():
            if id is not None:
                found = await self.store.contribution(id)
                if found is None or found.community != ctx.community:
                    raise UserError(self.t("missions.removed.unknown", id=id))
                if found.user != member:
                    raise UserError(
                        self.t("missions.removed.not_theirs", id=id, member=mention(member))
                    )
            else:
                m = await self.pick(ctx, name)
                found = await self.store.last_contribution(ctx.community, member, m.id)
                if found is None:
                    raise UserError(
                        self.t("missions.removed.none", member=mention(member), name=m.name)
                    )
            m = await self.store.get(found.mission_id)
            assert m is not None
            if m.state != ACTIVE:
                raise UserError(self.closed_text(m, now) or "")
            if not await self.store.remove_contribution(found.id, ctx.user.id, reason, now):
                raise UserError(self.t("missions.removed.already", id=found.id))
            total = await self.store.add_to_total(m.id, -found.amount)
        notice = self.t(
            "missions.removed.dm", id=found.id, amount=found.amount, name=m.name, reason=reason
        )
        await self.bot.send_dm(ctx.community, member, Message(notice))
        return Message(
            self.t(
                "missions.removed.done",
                member=mention(member),
                id=found.id,
                amount=found.amount,
                unit=m.unit,
                name=m.name,
                total=total,
                target=m.target,
            )
        )

    @command(
        "mission settings",
        "Show or change milestones, reminders, the contribution cap and the undo window",
        Text(
            name="milestones",
            description="Percentages to announce, e.g. 25,50,75",
            max_length=60,
            required=False,
        ),
        Text(
            name="reminders",
            description="Remind when this % of time is left, e.g. 25",
            max_length=60,
            required=False,
        ),
        Integer(
            name="max-contribution",
            description="Most one contribution may add",
            min_value=1,
            max_value=MOST,
            required=False,
        ),
        Duration(
            name="undo-window",
            description="How long people may undo, e.g. 10m",
            maximum=timedelta(days=1),
            required=False,
        ),
        moderator=True,
        private=True,
    )
    async def configure(
        self,
        ctx: CommandContext,
        milestones: str | None,
        reminders: str | None,
        max_contribution: int | None,
        undo_window: timedelta | None,
    ) -> Message:
        changes: dict[str, object] = {}
        if milestones is not None:
            parsed = progress.parse_percents(milestones, 1, 100)
            if parsed is None:
                raise UserError(self.t("missions.settings.bad_milestones", value=milestones))
            changes["milestones"] = sorted({*parsed, 100})
        if reminders is not None:
            parsed = progress.parse_percents(reminders, 1, 99)
            if parsed is None:
                raise UserError(self.t("missions.settings.bad_reminders", value=reminders))
            changes["reminders"] = parsed
        if max_contribution is not None:
            changes["max_contribution"] = max_contribution
        if undo_window is not None:
            changes["undo_window"] = undo_window
        settings = self.settings.get(ctx.community)
        if changes:
            settings = await self.settings.update(ctx.community, ctx.now, **changes)
        return Message(
            self.t(
                "missions.settings.show",
                milestones=", ".join(f"{p}%" for p in settings.milestones),
                reminders=", ".join(f"{p}%" for p in settings.reminders)
                or self.t("missions.people_none"),
                max_contribution=settings.max_contribution,
                undo_window=format_duration(settings.undo_window),
            )
        )
