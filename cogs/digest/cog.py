"""The digest cog's commands: ``/digest preview`` and ``/digest settings`` for moderators,
``/nudges off`` and ``/nudges on`` for members; and the privacy hooks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.cog import command
from bot.commands import READ, Channel, Choice, Duration, Integer, Text, Toggle
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Field, Message, channel_mention
from bot.timeutil import format_duration
from cogs.digest import schedule
from cogs.digest.delivery import DigestBase
from cogs.digest.settings import WEEKDAYS, DigestSettings


class Digest(DigestBase):
    """The weekly digest, and the nudges that keep the habits going without spamming."""

    @command(
        "digest preview",
        "See this week's digest now (only you see it)",
        moderator=True,
        private=True,
    )
    async def preview(self, ctx: CommandContext) -> Message:
        message = await self.build_digest(ctx.community, ctx.now, ctx.now)
        note = self.t("digest.preview.note")
        if not self.config(ctx.community).channel:
            note += "\n" + self.t("digest.preview.not_set")
        return message.with_text(note + "\n" + message.text)

    @command(
        "digest settings",
        "Where and when the weekly digest goes; nudges and their limits (none: show)",
        Channel(name="channel", description="Where the weekly digest goes", required=False),
        Toggle(name="digest", description="The weekly digest: on or off", required=False),
        Choice(name="day", description="Day of the week", choices=WEEKDAYS, required=False),
        Text(name="time", description="Local time, e.g. 18:00", max_length=5, required=False),
        Toggle(
            name="nudges",
            description="Private nudges to quiet members and newcomers",
            required=False,
        ),
        Duration(
            name="silent-after",
            description="Nudge members silent this long (default 21d)",
            minimum=timedelta(days=3),
            maximum=timedelta(days=365),
            required=False,
        ),
        Duration(
            name="nudge-every",
            description="At most one nudge per member this often (default 60d)",
            minimum=timedelta(days=7),
            maximum=timedelta(days=365),
            required=False,
        ),
        Duration(
            name="newcomer-after",
            description="Nudge newcomers who have not posted after (default 24h)",
            minimum=timedelta(hours=1),
            maximum=timedelta(days=14),
            required=False,
        ),
        Channel(
            name="introductions",
            description="Where newcomers are invited to say hello",
            required=False,
            needs=READ,
        ),
        Channel(name="moderator-channel", description="Where moderator nudges go", required=False),
        Text(
            name="quiet-hours",
            description="No nudges then, e.g. 22:00-08:00, or off",
            max_length=16,
            required=False,
        ),
        Integer(
            name="dm-cap",
            description="Most private nudges per hour",
            min_value=1,
            max_value=200,
            required=False,
        ),
        moderator=True,
        private=True,
    )
    async def settings_command(self, ctx: CommandContext, **options: Any) -> Message:
        changes = self._changes(ctx.community, options)
        if not changes:
            return await self.settings_view(ctx.community)
        await self.settings.update(ctx.community, ctx.now, **changes)
        await self.plan(ctx.community)
        return await self.settings_view(ctx.community, self.t("digest.settings.saved"))

    def _changes(self, community: str, options: dict[str, Any]) -> dict[str, Any]:
        """The settings to change; a UserError (and no change at all) for any mistake."""
        given = {key: value for key, value in options.items() if value is not None}
        changes: dict[str, Any] = {}
        digest = given.pop("digest", None)
        channel = given.pop("channel", None)
        if digest is False and channel is not None:
            raise UserError(self.t("digest.settings.conflict"))
        if digest is False:
            changes["channel"] = ""
        elif channel is not None:
            changes["channel"] = channel
        elif digest is True and not self.config(community).channel:
            raise UserError(self.t("digest.settings.needs_channel"))
        if "time" in given:
            at = schedule.parse_time_of_day(given.pop("time"))
            if at is None:
                raise UserError(self.t("digest.settings.bad_time", value=options["time"]))
            changes["at"] = at
        if "quiet_hours" in given:
            raw = given.pop("quiet_hours")
            if raw.strip().casefold() in {"off", "none"}:
                changes["quiet_start"] = changes["quiet_end"] = None
            else:
                hours = schedule.parse_quiet_hours(raw)
                if hours is None:
                    raise UserError(self.t("digest.settings.bad_quiet", value=raw))
                changes["quiet_start"], changes["quiet_end"] = hours
        renamed = {"introductions": "introductions_channel"}
        for key, value in given.items():
            changes[renamed.get(key, key)] = value
        return changes

    async def settings_view(self, community: str, note: str = "") -> Message:
        s = self.config(community)
        t = self.t
        if s.channel:
            digest = t(
                "digest.settings.digest_on",
                day=t(f"digest.day.{s.day}"),
                time=s.at.strftime("%H:%M"),
                channel=channel_mention(s.channel),
            )
        else:
            digest = t("digest.settings.digest_off")
        pending = await self.store.pending_run(community)
        zone = self.bot.timezone(community)
        next_digest = (
            f"{pending.due_at.astimezone(zone):%a %Y-%m-%d %H:%M %Z}"
            if pending is not None
            else t("digest.settings.next_none")
        )
        moderators = self.moderator_channel(community)
        nudges = (
            t(
                "digest.settings.nudges_on",
                silent=format_duration(s.silent_after),
                every=format_duration(s.nudge_every),
                newcomer=format_duration(s.newcomer_after),
            )
            if s.nudges
            else t("digest.settings.nudges_off")
        )
        fields = [
            Field(t("digest.settings.digest"), digest),
            Field(t("digest.settings.next"), next_digest),
            Field(
                t("digest.settings.moderators"),
                channel_mention(moderators) if moderators else t("digest.settings.moderators_off"),
            ),
            Field(t("digest.settings.nudges"), nudges),
            Field(
                t("digest.settings.introductions"),
                channel_mention(s.introductions_channel)
                if s.introductions_channel
                else t("digest.settings.introductions_none"),
            ),
            Field(t("digest.settings.quiet"), quiet_text(t, s)),
            Field(t("digest.settings.cap"), t("digest.settings.cap_value", cap=s.dm_cap)),
        ]
        footer = None
        if s.nudges and await self.collect.read("welcome", "reminder_enabled", community) is True:
            footer = t("digest.settings.welcome_covers")
        return Message(note, title=t("digest.settings.title"), fields=tuple(fields), footer=footer)

    # --- members: opting out and back in ------------------------------------------------------

    @command("nudges off", "Stop the bot's private nudges to you", private=True)
    async def nudges_off(self, ctx: CommandContext) -> Message:
        changed = await self.store.opt_out(ctx.community, ctx.user.id, ctx.now)
        return Message(self.t("digest.nudges.off" if changed else "digest.nudges.already_off"))

    @command("nudges on", "Get the bot's occasional private nudges again", private=True)
    async def nudges_on(self, ctx: CommandContext) -> Message:
        changed = await self.store.opt_in(ctx.community, ctx.user.id)
        return Message(self.t("digest.nudges.on" if changed else "digest.nudges.already_on"))

    # --- personal data ----------------------------------------------------------------------------

    async def delete_user_data(self, community: str, user: str) -> None:
        self._active = {row for row in self._active if row[0] != community or row[2] != user}
        await self.store.delete_user(community, user)

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        await self.flush()
        return await self.store.export_user(community, user)


def quiet_text(t: Any, s: DigestSettings) -> str:
    if s.quiet_start is None or s.quiet_end is None:
        return t("digest.settings.quiet_none")
    return t(
        "digest.settings.quiet_value",
        start=s.quiet_start.strftime("%H:%M"),
        end=s.quiet_end.strftime("%H:%M"),
    )
