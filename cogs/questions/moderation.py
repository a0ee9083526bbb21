"""The moderators' side of /questions: ``config``, ``mark`` and the "Mark as question" action.

A mixin of the cog (the bot finds decorated handlers on every class of the cog), so
``cog.py`` keeps the commands everybody uses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.cog import command, message_action
from bot.commands import MATCH, READ, UNCHECKED, Channel, Choice, Duration, Integer, Role, Text
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message, channel_mention
from bot.platform import TargetMessage
from cogs.questions import options
from cogs.questions.configure import ConfigProblem, plan_config
from cogs.questions.detect import MODES
from cogs.questions.items import Asked, Seen

if TYPE_CHECKING:
    from bot.app import Bot
    from bot.settings import SettingsStore
    from cogs.questions.render import Renderer
    from cogs.questions.store import QuestionsStore
    from cogs.questions.tracker import Tracker


def _duration(name: str, description: str, low: timedelta, high: timedelta) -> Duration:
    return Duration(name=name, description=description, required=False, minimum=low, maximum=high)


MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)

CONFIG_OPTIONS = (
    Channel(name="help-channel", description="add a help channel: every post is a question", required=False, needs=READ),
    Channel(name="watch-channel", description="watch a channel for posts that look like questions", required=False, needs=READ),
    Choice(name="mode", description="detection in the watched channel", choices=MODES, required=False),
    Channel(name="remove-channel", description="stop finding questions in a channel", required=False, needs=UNCHECKED),
    Role(name="helper-role", description="pinged by the digest when nobody is on duty", required=False, needs=MATCH),
    Channel(name="helpers-channel", description="where the helpers' digest is posted", required=False),
    _duration("nudge-after", "wait before the first reminder (with a channel option: for that channel)", 5 * MINUTE, 30 * DAY),
    _duration("renudge-every", "at most one reminder per question this often", 30 * MINUTE, 30 * DAY),
    Integer(name="max-nudges", description="reminders per question at most", required=False, min_value=0, max_value=20),
    _duration("escalate-after", "tell moderators about a question waiting this long", HOUR, 30 * DAY),
    _duration("check-in-after", "ask the asker if it is solved after this much silence", HOUR, 30 * DAY),
    _duration("close-after", "close questions quiet for this long", HOUR, 90 * DAY),
    _duration("claim-for", "how long a claim holds reminders back", 10 * MINUTE, 7 * DAY),
    Text(name="quiet-hours", description="no reminders then, e.g. 22:00-08:00 (or off)", required=False, max_length=20),
    _duration("target", "target time to a first response", MINUTE, 7 * DAY),
    Text(name="languages", description="question words to use, e.g. en,ar,he", required=False, max_length=100),
    Integer(name="rate-limit", description="questions one person may open per rate window", required=False, min_value=1, max_value=100),
    _duration("rate-window", "the window of the rate limit", MINUTE, DAY),
    Integer(name="answer-letters", description="letters a reply needs beyond filler to count as an answer (0: any reply)", required=False, min_value=0, max_value=50),
    Text(name="timezone", description="the community's timezone, e.g. Europe/Berlin", required=False, max_length=64),
)  # fmt: skip


class ModeratorCommands:
    """Configuration and marking, for moderators."""

    bot: Bot
    store: QuestionsStore
    tracker: Tracker
    render: Renderer
    settings: SettingsStore
    t: Callable[..., str]

    @command(
        "questions config",
        "Channels, helpers, timings and quiet hours (no options: show them)",
        *CONFIG_OPTIONS,
        moderator=True,
        private=True,
    )
    async def config(self, ctx: CommandContext, **given: Any) -> Message:
        community = ctx.community
        channels = self.tracker.channels.setdefault(community, {})
        try:
            plan = plan_config(given, self.settings.get(community), channels)
        except ConfigProblem as problem:
            raise UserError(self.t(problem.key, **problem.params)) from None
        if not plan.empty:
            async with self.bot.db.transaction():
                if plan.channel is not None:
                    await self.store.save_channel(community, *plan.channel)
                if plan.remove is not None:
                    await self.store.remove_channel(community, plan.remove)
                if plan.settings:
                    await self.settings.update(community, ctx.now, **plan.settings)
                if plan.timezone is not None:
                    await self.bot.set_timezone(community, plan.timezone)
            if plan.channel is not None:
                channels[plan.channel[0]] = plan.channel[1]
            if plan.remove is not None:
                channels.pop(plan.remove, None)
        zone = str(self.bot.timezone(community))
        view = self.render.config(self.settings.get(community), channels, zone)
        return view if plan.empty else view.with_text(self.t("questions.config.saved"))

    @command(
        "questions mark",
        "Mark a message as a question, or as not a question",
        Text(name="message", description="message id or link", max_length=300),
        Choice(
            name="as", description="question or not-question", choices=("question", "not-question")
        ),
        moderator=True,
        private=True,
    )
    async def mark(self, ctx: CommandContext, message: str, **choice: str) -> Message:
        """``as`` is a Python keyword, so that option arrives in ``choice``."""
        try:
            key = options.message_id(message)
        except ValueError:
            raise UserError(self.t("questions.errors.bad_question", value=message)) from None
        await self.tracker.flush()
        if choice["as"] == "not-question":
            dropped = await self.store.delete(ctx.community, key)
            if dropped is None:
                raise UserError(self.t("questions.mark.not_a_question"))
            self.tracker.untrack(dropped)
            return Message(self.t("questions.mark.dropped"))
        seen = self.tracker.seen(ctx.community, key)
        if seen is None:
            raise UserError(self.t("questions.mark.unknown"))
        return await self._mark(ctx, key, seen, "")

    @message_action("Mark as question")
    async def mark_action(self, ctx: CommandContext, target: TargetMessage) -> Message:
        if not ctx.is_moderator:
            raise UserError(self.t("questions.mark.moderators_only"))
        ref = target.ref
        seen = self.tracker.seen(ctx.community, ref.id)
        posted = Seen(ref.channel, ref.thread, target.author, seen.at if seen else ctx.now)
        return await self._mark(ctx, ref.id, posted, target.text)

    async def _mark(self, ctx: CommandContext, message: str, seen: Seen, text: str) -> Message:
        await self.tracker.flush()
        if await self.store.by_message(ctx.community, message) is not None:
            raise UserError(self.t("questions.mark.already"))
        # Inside someone else's thread, replies to this message answer it, not the whole thread.
        thread = seen.thread if seen.thread == message else None
        asked = Asked(
            ctx.community, seen.channel, message, thread, seen.author, seen.at, text, "marked", None
        )
        self.tracker.ask(asked)
        await self.tracker.flush()
        if await self.store.by_message(ctx.community, message) is None:
            raise RuntimeError(f"marking {message} as a question was not written")
        return Message(self.t("questions.mark.done", channel=channel_mention(seen.channel)))
