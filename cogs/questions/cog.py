"""The questions cog: finds questions, makes sure someone answers, measures how fast.

Handlers stay thin: detection and the hot path live in ``tracker``, reminders in
``sweep``, rules in ``detect``/``reminders``/``stats``/``configure``, SQL in ``store``
and ``outbox``, messages in ``render``, and the moderators' commands in ``moderation``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.cog import Cog, button, command, job, listen
from bot.commands import Member, Text, Toggle
from bot.errors import UserError
from bot.events import MemberLeft, MessageDeleted, MessagePosted, ReactionAdded
from bot.interactions import CommandContext
from bot.messages import COLOUR_SUCCESS, Message, mention
from bot.timeutil import format_duration
from cogs.questions import options
from cogs.questions.models import ACTIVE, OPEN, SOLVED, Question
from cogs.questions.moderation import ModeratorCommands
from cogs.questions.render import Renderer
from cogs.questions.settings import QuestionsSettings
from cogs.questions.stats import Summary, summarize
from cogs.questions.store import QuestionsStore
from cogs.questions.sweep import Sweeper
from cogs.questions.tracker import Tracker

if TYPE_CHECKING:
    from bot.app import Bot

QUESTION_OPTION = "question number, message id or link (default: the thread you are in)"


class Questions(ModeratorCommands, Cog):
    """Nobody is left ignored: questions are found, reminded, followed up and measured."""

    name = "questions"
    tables = (
        "questions_channels",
        "questions",
        "questions_on_duty",
        "questions_outbox",
        "question_repliers",
    )
    settings_class = QuestionsSettings

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.store = QuestionsStore(bot.db)
        self.render = Renderer(bot.catalog, bot.message_link)
        self.tracker = Tracker(bot, self.store, self._settings)
        self.sweeper = Sweeper(bot, self.store, self.tracker, self.render, self._settings)

    def _settings(self, community: str) -> QuestionsSettings:
        return self.settings.get(community)

    async def start(self) -> None:
        await self.tracker.load(self.bot.clock.now())

    async def close(self) -> None:
        await self.tracker.flush()

    # --- events: sync and I/O-free; the tracker buffers what matters ------------------------

    @listen(MessagePosted)
    def on_message(self, event: MessagePosted) -> None:
        self.tracker.on_message(event)

    @listen(ReactionAdded)
    def on_reaction(self, event: ReactionAdded) -> None:
        self.tracker.on_reaction(event)

    @listen(MessageDeleted)
    def on_deleted(self, event: MessageDeleted) -> None:
        self.tracker.on_deleted(event)

    @listen(MemberLeft)
    def on_left(self, event: MemberLeft) -> None:
        self.tracker.on_left(event)

    @job(every=timedelta(seconds=15))
    async def flush(self) -> None:
        await self.tracker.flush()

    @job(every=timedelta(minutes=5))
    async def sweep(self) -> None:
        await self.tracker.flush()
        await self.sweeper.run()
        self.tracker.prune(self.bot.clock.now())

    # --- finding the question a command is about ------------------------------------------

    async def _question(self, ctx: CommandContext, given: str | None) -> Question:
        await self.tracker.flush()
        if given is None:
            if ctx.thread is None:
                raise UserError(self.t("questions.errors.which"))
            key = ctx.thread
        else:
            try:
                key = options.message_id(given)
            except ValueError:
                raise UserError(self.t("questions.errors.bad_question", value=given)) from None
        found = await self.store.find(ctx.community, key)
        if found is None:
            raise UserError(self.t("questions.errors.unknown", value=given or key))
        return found

    async def _is_helper(self, ctx: CommandContext) -> bool:
        role = self._settings(ctx.community).helper_role
        if ctx.is_moderator or (role and role in ctx.user.roles):
            return True
        return ctx.user.id in await self.store.on_duty(ctx.community)

    # --- commands ---------------------------------------------------------------------------

    @command("questions open", "Questions waiting for an answer, oldest first", private=True)
    async def open(self, ctx: CommandContext) -> Message:
        await self.tracker.flush()
        waiting, total = await self.store.waiting(ctx.community, limit=15)
        return self.render.waiting(waiting, total, ctx.now)

    @command(
        "questions stats",
        "How quickly this community answers questions",
        Text(
            name="period",
            description="day, week, month, all, or a duration such as 90d (default: week)",
            required=False,
            max_length=16,
        ),
    )
    async def stats(self, ctx: CommandContext, period: str | None) -> Message:
        try:
            label, span = options.period(period)
        except ValueError:
            raise UserError(self.t("questions.stats.bad_period", value=period)) from None
        await self.tracker.flush()
        since = None if span is None else ctx.now - span
        samples = await self.store.samples(ctx.community, since)
        target = self._settings(ctx.community).target
        summary = summarize(samples, target, self.bot.timezone(ctx.community))
        return self.render.stats(summary, label, target)

    @command(
        "questions solved",
        "Mark a question solved (by its asker, a helper or a moderator)",
        Text(name="question", description=QUESTION_OPTION, required=False, max_length=300),
        Member(
            name="helper", description="who helped (default: the first to answer)", required=False
        ),
        cooldown=False,  # an act on one question, not a post to repeat
    )
    async def solved(
        self, ctx: CommandContext, question: str | None, helper: str | None
    ) -> Message:
        found = await self._question(ctx, question)
        if found.state == SOLVED:
            raise UserError(self.t("questions.solved.already"))
        if ctx.user.id != found.asker and not await self._is_helper(ctx):
            raise UserError(self.t("questions.solved.not_yours"))
        if helper == found.asker:
            raise UserError(self.t("questions.solved.helper_is_asker"))
        named_by = None
        if helper is not None and not await self.store.replied(found.id, helper):
            # Accepted-answer credit goes to someone who answered; only a moderator may
            # credit anyone else, and that is recorded as their decision.
            if not ctx.is_moderator:
                raise UserError(
                    self.t("questions.solved.helper_did_not_reply", helper=mention(helper))
                )
            named_by = ctx.user.id
        done = await self.tracker.solve(found, ctx.now, ctx.user.id, helper, named_by)
        if done is None:
            raise UserError(self.t("questions.solved.already"))
        if done.helper:
            text = self.t("questions.solved.thanks", helper=mention(done.helper))
            return Message(text, colour=COLOUR_SUCCESS, mentions=(done.helper,))
        return Message(self.t("questions.solved.done"), colour=COLOUR_SUCCESS)

    @command(
        "questions claim",
        "Say you are on a question: no reminders about it for a while",
        Text(name="question", description=QUESTION_OPTION, required=False, max_length=300),
        cooldown=False,  # an act on one question, not a post to repeat
    )
    async def claim(self, ctx: CommandContext, question: str | None) -> Message:
        found = await self._question(ctx, question)
        if found.state != OPEN:
            raise UserError(self.t("questions.claim.not_open"))
        if found.asker == ctx.user.id:
            raise UserError(self.t("questions.claim.own"))
        if (
            found.claimed_by not in (None, ctx.user.id)
            and found.claim_until
            and found.claim_until > ctx.now
        ):
            raise UserError(
                self.t(
                    "questions.claim.taken",
                    user=mention(found.claimed_by),
                    left=format_duration(found.claim_until - ctx.now),
                )
            )
        span = self._settings(ctx.community).claim_for
        await self.store.claim(found.id, ctx.user.id, ctx.now + span)
        return Message(
            self.t("questions.claim.done", user=mention(ctx.user.id), span=format_duration(span))
        )

    @command(
        "questions on-duty",
        "Be pinged by the helpers' digest of waiting questions, or stop",
        Toggle(name="state", description="on or off"),
        private=True,
    )
    async def on_duty(self, ctx: CommandContext, state: bool) -> Message:
        changed = await self.store.set_on_duty(ctx.community, ctx.user.id, state, ctx.now)
        if state:
            text = (
                self.t("questions.on_duty.on")
                if changed
                else self.t("questions.on_duty.already_on")
            )
        else:
            text = (
                self.t("questions.on_duty.off")
                if changed
                else self.t("questions.on_duty.already_off")
            )
        return Message(text)

    # --- check-in buttons ---------------------------------------------------------------------

    async def _pressed(self, ctx: CommandContext, value: str) -> Question:
        await self.tracker.flush()
        found = await self.store.find(ctx.community, f"#{value}")
        if found is None:
            raise UserError(self.t("questions.errors.gone"))
        if ctx.user.id != found.asker and not ctx.is_moderator:
            raise UserError(self.t("questions.check_in.not_yours"))
        return found

    @button("solved")
    async def press_solved(self, ctx: CommandContext, value: str) -> Message:
        found = await self._pressed(ctx, value)
        if await self.tracker.solve(found, ctx.now, ctx.user.id, None) is None:
            raise UserError(self.t("questions.solved.already"))
        return Message(self.t("questions.check_in.solved_done"), colour=COLOUR_SUCCESS)

    @button("still")
    async def press_still(self, ctx: CommandContext, value: str) -> Message:
        found = await self._pressed(ctx, value)
        if found.state not in ACTIVE:
            raise UserError(self.t("questions.check_in.too_late"))
        close_at = ctx.now + self._settings(ctx.community).close_after
        await self.store.reopen(found.id, ctx.now, close_at)
        return Message(self.t("questions.check_in.reopened"))

    # --- for other cogs (the weekly digest) --------------------------------------------------------

    async def summary_between(self, community: str, since: datetime, until: datetime) -> Summary:
        """Questions asked in [since, until): how many, how many answered, how fast."""
        await self.tracker.flush()
        samples = [s for s in await self.store.samples(community, since) if s.asked_at < until]
        target = self._settings(community).target
        return summarize(samples, target, self.bot.timezone(community))

    async def waiting_questions(self, community: str, limit: int) -> tuple[list[Question], int]:
        """Open questions, oldest first (at most ``limit``), and how many there are."""
        await self.tracker.flush()
        return await self.store.waiting(community, limit)

    async def overdue_questions(self, community: str, now: datetime, limit: int) -> list[Question]:
        """Open questions asked longer ago than the escalation time, oldest first."""
        waiting, _ = await self.waiting_questions(community, limit)
        after = self._settings(community).escalate_after
        return [q for q in waiting if now - q.asked_at >= after]

    # --- privacy ---------------------------------------------------------------------------------

    async def delete_user_data(self, community: str, user: str) -> None:
        await self.tracker.flush()
        deleted = await self.store.forget(community, user)
        self.tracker.forget(community, user, deleted)

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        await self.tracker.flush()
        return await self.store.export(community, user)
