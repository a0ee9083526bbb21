"""The welcome cog's commands: moderators shape the welcome, members greet and see progress.

The join flow itself is in ``flow.py``; the reminder, bursts and leaving in ``later.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.cog import button, command
from bot.commands import READ, Channel, Duration, Integer, Text, Toggle
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import COLOUR_INFO, Field, Message, MessageRef, channel_mention, mention
from bot.text import truncate
from bot.timeutil import format_duration
from cogs.welcome import compose
from cogs.welcome.later import WelcomeLater
from cogs.welcome.logic import MAX_STEPS
from cogs.welcome.settings import WelcomeSettings
from cogs.welcome.store import Step
from cogs.welcome.templates import KNOWN, TemplateProblem, check_template

TEMPLATE = Text(name="text", description="Placeholders: " + ", ".join(KNOWN), max_length=1000)
REMINDER_MIN, REMINDER_MAX = timedelta(minutes=10), timedelta(days=30)


class Welcome(WelcomeLater):
    """A warm welcome: a channel post with a Wave button, a DM, a greeter, first steps."""

    name = "welcome"
    tables = (
        "welcome_steps",
        "welcome_progress",
        "welcome_newcomers",
        "welcome_posts",
        "welcome_waves",
        "welcome_greeters",
        "welcome_greetings",
    )
    settings_class = WelcomeSettings

    # --- where and what -----------------------------------------------------------------

    @command(
        "welcome channel",
        "Where the channel welcome is posted",
        Channel(name="channel"),
        moderator=True,
        private=True,
    )
    async def set_channel(self, ctx: CommandContext, channel: str) -> Message:
        await self.settings.update(ctx.community, ctx.now, channel=channel)
        return Message(self.t("welcome.settings.channel_set", channel=channel_mention(channel)))

    @command(
        "welcome message",
        "The channel welcome for newcomers",
        TEMPLATE,
        moderator=True,
        private=True,
    )
    async def set_message(self, ctx: CommandContext, text: str) -> Message:
        self.checked(text)
        await self.settings.update(ctx.community, ctx.now, message=text)
        return Message(self.t("welcome.settings.message_set"))

    @command(
        "welcome back-message",
        "The channel welcome for members who return",
        TEMPLATE,
        moderator=True,
        private=True,
    )
    async def set_back_message(self, ctx: CommandContext, text: str) -> Message:
        self.checked(text)
        await self.settings.update(ctx.community, ctx.now, back_message=text)
        return Message(self.t("welcome.settings.back_set"))

    @command(
        "welcome dm",
        "Whether newcomers get a direct message, and what it says",
        Toggle(name="enabled"),
        replace(TEMPLATE, required=False),
        moderator=True,
        private=True,
    )
    async def set_dm(self, ctx: CommandContext, enabled: bool, text: str | None) -> Message:
        changes: dict[str, Any] = {"dm_enabled": enabled}
        if text is not None:
            changes["dm_message"] = self.checked(text)
        await self.settings.update(ctx.community, ctx.now, **changes)
        answer = self.t("welcome.settings.dm_on" if enabled else "welcome.settings.dm_off")
        if text is not None:
            answer += " " + self.t("welcome.settings.dm_text_set")
        return Message(answer)

    def checked(self, template: str) -> str:
        """``template`` if every placeholder is known; otherwise a UserError listing them."""
        try:
            check_template(template)
        except TemplateProblem as problem:
            known = ", ".join(f"`{p}`" for p in KNOWN)
            if problem.kind == "braces":
                text = self.t(
                    "welcome.template.braces", known=known, example="{member}", literal="{{ }}"
                )
            elif problem.kind == "channel":
                example = "{channel:introductions}"
                text = self.t(
                    "welcome.template.channel", placeholder=problem.placeholder, example=example
                )
            else:
                text = self.t(
                    "welcome.template.unknown", placeholder=problem.placeholder, known=known
                )
            raise UserError(text) from None
        return template

    # --- steps -------------------------------------------------------------------------

    @command(
        "welcome steps add",
        "Add an onboarding step; with a channel, it ticks itself when the newcomer posts there",
        Channel(name="channel", required=False, positional=False, needs=READ),
        Text(name="text", max_length=200),
        moderator=True,
        private=True,
    )
    async def add_step(self, ctx: CommandContext, channel: str | None, text: str) -> Message:
        steps = self.steps(ctx.community)
        if len(steps) >= MAX_STEPS:
            raise UserError(self.t("welcome.steps.too_many", max=MAX_STEPS))
        step = await self.store.add_step(ctx.community, text, channel, ctx.now)
        steps = self._steps[ctx.community] = [*self.steps(ctx.community), step]  # as it is now
        number = len(steps)
        if channel is None:
            return Message(self.t("welcome.steps.added_manual", number=number, text=text))
        return Message(
            self.t(
                "welcome.steps.added_channel",
                number=number,
                text=text,
                channel=channel_mention(channel),
            )
        )

    @command(
        "welcome steps remove",
        "Remove an onboarding step by its number",
        Integer(name="number", min_value=1, max_value=MAX_STEPS),
        moderator=True,
        private=True,
    )
    async def remove_step(self, ctx: CommandContext, number: int) -> Message:
        steps = self.steps(ctx.community)
        step = self.numbered(steps, number)
        await self.store.remove_step(step.id)
        self._steps[ctx.community] = [s for s in self.steps(ctx.community) if s.id != step.id]
        return Message(self.t("welcome.steps.removed", number=number, text=step.text))

    @command("welcome steps list", "The onboarding steps", moderator=True, private=True)
    async def list_steps(self, ctx: CommandContext) -> Message:
        steps = self.steps(ctx.community)
        if not steps:
            return Message(self.t("welcome.steps.none"))
        return Message(
            compose.moderator_step_lines(self.t, steps),
            title=self.t("welcome.steps.list_title"),
            colour=COLOUR_INFO,
        )

    def numbered(self, steps: list[Step], number: int) -> Step:
        """Step ``number`` (1-based) as people see it in the lists, or a UserError."""
        if not steps:
            raise UserError(self.t("welcome.steps.none"))
        if number > len(steps):
            raise UserError(self.t("welcome.steps.no_such", number=number, count=len(steps)))
        return steps[number - 1]

    # --- the reminder ------------------------------------------------------------------

    @command(
        "welcome reminder",
        "One gentle DM to newcomers who have not posted: after:24h, or off",
        Toggle(name="enabled", required=False),
        Duration(name="after", required=False, minimum=REMINDER_MIN, maximum=REMINDER_MAX),
        moderator=True,
        private=True,
    )
    async def set_reminder(
        self, ctx: CommandContext, enabled: bool | None, after: timedelta | None
    ) -> Message:
        if enabled is None and after is None:
            raise UserError(self.t("welcome.reminder.missing"))
        if enabled is False and after is not None:
            raise UserError(self.t("welcome.reminder.conflict"))
        if enabled is False:
            await self.settings.update(ctx.community, ctx.now, reminder_enabled=False)
            cancelled = await self.bot.timers.cancel(ctx.community, self.name, "reminder")
            return Message(self.t("welcome.reminder.off", cancelled=cancelled))
        changes: dict[str, Any] = {"reminder_enabled": True}
        if after is not None:
            changes["reminder_after"] = after
        settings = await self.settings.update(ctx.community, ctx.now, **changes)
        return Message(
            self.t("welcome.reminder.set", after=format_duration(settings.reminder_after))
        )

    # --- seeing it -----------------------------------------------------------------------

    @command(
        "welcome preview",
        "See the welcome messages as a newcomer would (only you see this)",
        moderator=True,
        private=True,
    )
    async def preview(self, ctx: CommandContext) -> Message:
        community, user = ctx.community, ctx.user.id
        settings = self.config(community)
        greeter = await self.next_greeter(community, user, ctx.now)
        extras = await self.extras(community, returning=False)
        text = await self.fill(community, self.template(community, "message"), user)
        body = compose.welcome_body(
            self.t, text, newcomer=user, greeter=greeter, fields=extras, test=True
        )
        channel = await self.welcome_channel(community)
        dm = self.t("welcome.preview.dm_off")
        if settings.dm_enabled:
            dm = await self.fill(community, self.template(community, "dm_message"), user)
        back = await self.fill(community, self.template(community, "back_message"), user)
        reminder = self.t("welcome.preview.reminder_off")
        if settings.reminder_enabled:
            after = format_duration(settings.reminder_after)
            reminder = self.t("welcome.preview.reminder_after", after=after)
        fields = [Field(name, value) for name, value in body["fields"]]
        fields += [
            Field(
                self.t("welcome.preview.channel"),
                channel_mention(channel) if channel else self.t("welcome.preview.no_channel"),
            ),
            Field(self.t("welcome.preview.dm"), truncate(dm, compose.FIELD_LIMIT)),
            Field(self.t("welcome.preview.back"), truncate(back, compose.FIELD_LIMIT)),
            Field(self.t("welcome.preview.reminder"), reminder),
            Field(
                self.t("welcome.preview.greeter"),
                mention(greeter) if greeter else self.t("welcome.preview.greeter_none"),
            ),
        ]
        within = format_duration(settings.remove_if_left_within)
        return Message(
            body["text"],
            title=self.t("welcome.preview.title", member=mention(user)),
            fields=tuple(fields),
            colour=COLOUR_INFO,
            footer=self.t("welcome.preview.removal", within=within),
        )

    @command(
        "welcome test",
        "Run the whole join flow for yourself, without recording a join",
        moderator=True,
        private=True,
    )
    async def test(self, ctx: CommandContext) -> Message:
        sent = await self.run_flow(ctx.community, ctx.user.id, ctx.now, returning=False, test=True)
        parts = []
        if sent.channel:
            key = "welcome.test.posted" if sent.post else "welcome.test.send_failed"
            parts.append(self.t(key, channel=channel_mention(sent.channel)))
        if sent.dm is not None:
            parts.append(self.t("welcome.test.dm_sent" if sent.dm else "welcome.test.dm_failed"))
        shown = "; ".join(parts) or self.t("welcome.test.nothing")
        return Message(self.t("welcome.test.done", parts=shown))

    # --- members ---------------------------------------------------------------------------

    @command(
        "welcome greeter",
        "Volunteer (on) or stop (off) greeting newcomers",
        Toggle(name="enabled"),
        private=True,
    )
    async def greeter(self, ctx: CommandContext, enabled: bool) -> Message:
        if ctx.user.is_bot:
            raise UserError(self.t("welcome.greeter.bot"))
        changed = await self.store.set_greeter(ctx.community, ctx.user.id, enabled, ctx.now)
        if enabled:
            return Message(
                self.t("welcome.greeter.on" if changed else "welcome.greeter.already_on")
            )
        return Message(self.t("welcome.greeter.off" if changed else "welcome.greeter.already_off"))

    @command("welcome progress", "Your onboarding steps and which are done", private=True)
    async def progress(self, ctx: CommandContext) -> Message:
        shown = await self.home_section(ctx.community, ctx.user.id)
        return Message(self.t("welcome.progress.none")) if shown is None else shown

    async def home_section(self, community: str, user: str) -> Message | None:
        """The person's onboarding steps, ticked or not (``/welcome progress``, and their part
        of the Slack App Home); None when the community has no steps."""
        steps = self.steps(community)
        if not steps:
            return None
        await self.flush()  # a post a moment ago counts
        done = await self.store.done_steps(community, user)
        finished = all(step.id in done for step in steps)
        return Message(
            compose.step_lines(self.t, steps, done),
            title=self.t("welcome.progress.title"),
            colour=COLOUR_INFO,
            footer=self.t("welcome.progress.all_done") if finished else None,
        )

    @command(
        "welcome done",
        "Tick an onboarding step that has no channel",
        Integer(name="number", min_value=1, max_value=MAX_STEPS),
        private=True,
    )
    async def done(self, ctx: CommandContext, number: int) -> Message:
        step = self.numbered(self.steps(ctx.community), number)
        if step.channel:
            channel = channel_mention(step.channel)
            raise UserError(self.t("welcome.progress.channel_step", number=number, channel=channel))
        if not await self.store.mark_done(ctx.community, ctx.user.id, step.id, ctx.now):
            return Message(self.t("welcome.progress.already", number=number))
        watched = self._watch.get((ctx.community, ctx.user.id))
        if watched is not None:
            watched.done.add(step.id)
        return Message(self.t("welcome.progress.ticked", number=number, text=step.text))

    # --- waves ------------------------------------------------------------------------

    @button("wave")
    async def wave(self, ctx: CommandContext, value: str) -> Message:
        """Add the presser to the welcome's wave list, once; the newcomer gets no DM per wave."""
        post = None
        if ctx.message is not None:
            post = await self.store.post(ctx.community, ctx.message.id)
        if post is None or post.removed or ctx.message is None:
            raise UserError(self.t("welcome.wave.gone"))
        member = mention(post.newcomer)
        if ctx.user.id == post.newcomer:
            return Message(self.t("welcome.wave.own"))
        name = ctx.user.name or ctx.user.id
        if not await self.store.add_wave(
            ctx.community, post.message_id, ctx.user.id, name, ctx.now
        ):
            return Message(self.t("welcome.wave.again", member=member))
        if not post.is_test:
            self.note_greeting(ctx.community, post.newcomer, ctx.user.id, ctx.now, "wave")
        await self.rerender(post.community, post.message_id, ctx.message)
        return Message(self.t("welcome.wave.done", member=member))

    # --- personal data -----------------------------------------------------------------------

    async def delete_user_data(self, community: str, user: str) -> None:
        self.forget_watch(community, user)
        await self.bot.timers.cancel(community, self.name, "reminder", user)
        await self.greetings.delete_user(community, user)
        for message_id in await self.store.delete_user(community, user):
            post = await self.store.post(community, message_id)
            if post is not None:  # take their name off the wave list
                ref = MessageRef(community, post.channel, post.message_id, post.thread)
                await self.rerender(community, message_id, ref)

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        await self.flush()
        await self.flush_greetings()
        data = await self.store.export(community, user)
        data["greetings"] = await self.greetings.export(community, user)
        pending = await self.bot.timers.pending(community, self.name, "reminder", user)
        data["pending_reminder_at"] = pending.due_at.isoformat() if pending else None
        return data
