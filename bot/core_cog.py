"""The core's own commands: community settings (/hearth) and personal data (/privacy).

Always loaded. ``/privacy forget-me`` asks every loaded cog to forget the person;
``/privacy export`` collects what every cog stores about them into one JSON file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.cog import Cog, button, command, job
from bot.commands import MATCH, UNCHECKED, Channel, Role, Text
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import (
    COLOUR_WARNING,
    Attachment,
    Button,
    Field,
    Message,
    channel_mention,
    role_mention,
)
from bot.places import settings_problems
from bot.timeutil import timezone


@dataclass
class CoreSettings:
    log_channel: str = ""
    moderator_roles: list[str] = field(default_factory=list)


class Hearth(Cog):
    """Settings that belong to the community rather than to one feature, and privacy."""

    name = "hearth"
    tables = ("communities", "members", "community_settings", "timers", "moderator_notices")
    settings_class = CoreSettings

    @command(
        "hearth settings", "Show this community's Hearth settings", moderator=True, private=True
    )
    async def show_settings(self, ctx: CommandContext) -> Message:
        settings = self.settings.get(ctx.community)
        none = self.t("core.hearth.settings_none")
        roles = ", ".join(role_mention(r) for r in settings.moderator_roles) or none
        log_channel = channel_mention(settings.log_channel) if settings.log_channel else none
        broken = [
            Field(self.t("core.hearth.settings_broken", setting=setting), problem)
            for setting, problem in await settings_problems(self.bot, ctx.community)
        ]
        return Message(
            title=self.t("core.hearth.settings_title"),
            fields=(
                Field(
                    self.t("core.hearth.settings_timezone"), str(self.bot.timezone(ctx.community))
                ),
                Field(self.t("core.hearth.settings_moderator_roles"), roles),
                Field(self.t("core.hearth.settings_log_channel"), log_channel),
                Field(self.t("core.hearth.settings_cogs"), ", ".join(sorted(self.bot.cogs))),
                Field(
                    self.t("core.hearth.settings_notices"),
                    "\n".join(f"• {n}" for n in await self.bot.open_notices(ctx.community)) or none,
                ),
                *broken,
            ),
        )

    @command(
        "hearth timezone",
        "Set the community's timezone (daily and weekly jobs follow it)",
        Text(name="zone", description="e.g. Europe/Berlin", max_length=64),
        moderator=True,
        private=True,
    )
    async def set_timezone(self, ctx: CommandContext, zone: str) -> Message:
        found = timezone(zone)
        if found is None:
            raise UserError(self.t("core.hearth.timezone_bad", value=zone))
        await self.bot.set_timezone(ctx.community, found)
        return Message(self.t("core.hearth.timezone_set", timezone=str(found)))

    @command(
        "hearth moderator-role add",
        "Let a role use moderator commands",
        Role(name="role", needs=MATCH),
        moderator=True,
        private=True,
    )
    async def add_moderator_role(self, ctx: CommandContext, role: str) -> Message:
        roles = list(self.settings.get(ctx.community).moderator_roles)
        if role not in roles:
            await self.settings.update(ctx.community, ctx.now, moderator_roles=[*roles, role])
        return Message(self.t("core.hearth.moderator_role_added", role=role_mention(role)))

    @command(
        "hearth moderator-role remove",
        "Stop a role from giving moderator commands",
        Role(name="role", needs=UNCHECKED),
        moderator=True,
        private=True,
    )
    async def remove_moderator_role(self, ctx: CommandContext, role: str) -> Message:
        roles = list(self.settings.get(ctx.community).moderator_roles)
        if role not in roles:
            raise UserError(self.t("core.hearth.moderator_role_missing", role=role_mention(role)))
        roles.remove(role)
        await self.settings.update(ctx.community, ctx.now, moderator_roles=roles)
        return Message(self.t("core.hearth.moderator_role_removed", role=role_mention(role)))

    @command(
        "hearth log-channel",
        "Where Hearth tells moderators about problems they can fix",
        Channel(name="channel"),
        moderator=True,
        private=True,
    )
    async def set_log_channel(self, ctx: CommandContext, channel: str) -> Message:
        await self.settings.update(ctx.community, ctx.now, log_channel=channel)
        return Message(self.t("core.hearth.log_channel_set", channel=channel_mention(channel)))

    # --- privacy ------------------------------------------------------------------------

    @command("privacy forget-me", "Remove everything Hearth stores about you here", private=True)
    async def forget_me(self, ctx: CommandContext) -> Message:
        return Message(
            self.t("core.privacy.forget_confirm"),
            colour=COLOUR_WARNING,
            buttons=(
                Button(
                    self.t("core.privacy.forget_button"), "hearth.forget", ctx.user.id, "danger"
                ),
                Button(
                    self.t("core.privacy.forget_cancel_button"), "hearth.forget_cancel", ctx.user.id
                ),
            ),
        )

    @button("forget")
    async def confirm_forget(self, ctx: CommandContext, value: str) -> Message:
        if value != ctx.user.id:
            raise UserError(self.t("core.privacy.forget_not_yours"))
        result = await self.bot.privacy.forget(ctx.community, ctx.user.id, ctx.now)
        if result.complete:
            return Message(self.t("core.privacy.forget_done"))
        parts = ", ".join(result.failed)
        return Message(self.t("core.privacy.forget_partial", parts=parts), colour=COLOUR_WARNING)

    @button("forget_cancel")
    async def cancel_forget(self, ctx: CommandContext, value: str) -> Message:
        return Message(self.t("core.privacy.forget_cancelled"))

    @command("privacy export", "Get a copy of everything Hearth stores about you", private=True)
    async def export(self, ctx: CommandContext) -> Message:
        data = await self.bot.privacy.export(ctx.community, ctx.user.id)
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True)
        attachment = Attachment(
            "hearth-data.json", text.encode("utf-8"), self.t("core.privacy.export_file")
        )
        dm = Message(
            self.t("core.privacy.export_title", community=ctx.community), attachments=(attachment,)
        )
        if self.bot.platform_of(ctx.community).supports_files and await self.bot.send_dm(
            ctx.community, ctx.user.id, dm
        ):
            return Message(self.t("core.privacy.export_sent"))
        return Message(self.t("core.privacy.export_inline") + "\n```\n" + text + "\n```")

    @job(every=timedelta(hours=6))
    async def prune_timers(self) -> None:
        """Finished timers are history nobody reads: keep a week of them for debugging."""
        await self.bot.timers.prune(self.bot.clock.now() - timedelta(days=7))
        await self.bot.outbox.prune(self.bot.clock.now() - timedelta(days=30))

    @job(every=timedelta(hours=1))
    async def retry_forgetting(self) -> None:
        """Parts of a forget-me that failed are tried again until they are done."""
        await self.bot.privacy.retry_pending()

    async def delete_user_data(self, community: str, user: str) -> None:
        """Their members row, every timer about them (by key or in its payload) and the
        moderator notices that name them."""
        await self.bot.members.delete(community, user)
        await self.bot.timers.delete_for_user(community, user)
        await self.bot.forget_notices_about(community, user)
        await self.bot.outbox.delete_for_user(community, user)

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        data = await self.bot.members.export(community, user)
        timers = await self.bot.timers.about_user(community, user)
        if timers:
            data["scheduled"] = [
                {"part": t.cog, "what": t.kind, "due_at": t.due_at.isoformat()} for t in timers
            ]
        return data


async def forget(bot: Any, community: str, user: str) -> None:
    """Forget ``user`` in every loaded cog (tests and tools; the button uses the same)."""
    await bot.privacy.forget(community, user, bot.clock.now())


async def export(bot: Any, community: str, user: str) -> dict[str, Any]:
    return await bot.privacy.export(community, user)


def setup(bot: Any) -> Hearth:
    return Hearth(bot)
