"""Following questions as messages arrive: an in-memory view for the hot path, and its buffer.

Every message passes :meth:`Tracker.on_message`, which is synchronous and does no
I/O. It keeps, per community, the ids that replies to an open or answered question
point at (the question's message and thread), the channels being watched, and
recent question times per person (for the rate limit). A message that opens a
question, answers one, or a ✅ on one becomes an item in a buffer; :meth:`flush`
writes the buffer in one transaction (from a frequent job, before every command,
and at shutdown) and then emits the domain events. Replies to anything else cost
a dictionary lookup.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict, deque
from collections.abc import Callable
from datetime import datetime, timedelta
from itertools import groupby
from typing import TYPE_CHECKING, cast

from bot.events import (
    Event,
    MemberLeft,
    MessageDeleted,
    MessagePosted,
    QuestionAnswered,
    QuestionAsked,
    QuestionSolved,
    ReactionAdded,
)
from bot.messages import Message
from bot.text.substance import has_substance
from bot.timeutil import format_duration
from cogs.questions import bulk
from cogs.questions.detect import ChannelRule, is_new_question, question_words
from cogs.questions.items import Asked, Item, Left, Limited, Removed, Replied, Seen, Ticked
from cogs.questions.models import ACTIVE, ANSWERED, Question
from cogs.questions.render import excerpt
from cogs.questions.runs import plan_asks, plan_replies
from cogs.questions.settings import QuestionsSettings
from cogs.questions.store import QuestionsStore

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

#: Reactions that mean "solved" (Discord sends the emoji, Slack its name).
SOLVED_REACTIONS = frozenset(
    {"✅", "✔", "☑", "white_check_mark", "heavy_check_mark", "ballot_box_with_check"}
)
#: How many recent messages per community are remembered for ``/questions mark message:<id>``.
REMEMBERED = 200
#: The longest rate window a moderator can set; recent questions are loaded this far back.
MAX_RATE_WINDOW = timedelta(days=1)


def _reaction(emoji: str) -> str:
    return emoji.strip(":").replace("\ufe0f", "")


class Tracker:
    def __init__(
        self, bot: Bot, store: QuestionsStore, settings: Callable[[str], QuestionsSettings]
    ) -> None:
        self.bot = bot
        self.store = store
        self.settings = settings
        self.channels: dict[str, dict[str, ChannelRule]] = {}
        self._roots: dict[str, dict[str, str]] = {}  # community -> reply target -> question
        self._queue: list[Item] = []
        self._asks: dict[tuple[str, str], deque[datetime]] = {}
        self._warned: set[tuple[str, str]] = set()
        self._recent: dict[str, OrderedDict[str, Seen]] = {}
        self._lock = asyncio.Lock()

    async def load(self, now: datetime) -> None:
        self.channels = await self.store.channels()
        for community, message, thread in await self.store.active_roots():
            self._track(community, message, thread)
        for community, asker, at in await self.store.asked_since(now - MAX_RATE_WINDOW):
            self._asks.setdefault((community, asker), deque()).append(at)

    # --- the in-memory index ------------------------------------------------------------

    def _track(self, community: str, message: str, thread: str | None) -> None:
        roots = self._roots.setdefault(community, {})
        roots[message] = message
        if thread is not None:
            roots[thread] = message

    def untrack(self, question: Question) -> None:
        roots = self._roots.get(question.community, {})
        for root in question.roots:
            if roots.get(root) == question.message:
                del roots[root]

    def is_tracked(self, community: str, message: str) -> bool:
        return self._roots.get(community, {}).get(message) == message

    def seen(self, community: str, message: str) -> Seen | None:
        return self._recent.get(community, {}).get(message)

    # --- the hot path (sync, no I/O) --------------------------------------------------------

    def on_message(self, event: MessagePosted) -> None:
        if event.author_is_bot:
            return
        community = event.community
        recent = self._recent.get(community)
        if recent is None:
            recent = self._recent[community] = OrderedDict()
        recent[event.message] = Seen(event.channel, event.thread, event.author, event.at)
        if len(recent) > REMEMBERED:
            recent.popitem(last=False)
        roots = self._roots.get(community)
        if roots:
            for target in (event.thread, event.reply_to):
                question = roots.get(target) if target is not None else None
                if question is not None and question != event.message:
                    self._buffer_reply(community, question, event)
                    return
        rule = self.channels.get(community, {}).get(event.channel)
        if rule is None:
            return
        settings = self.settings(community)
        words = question_words(tuple(settings.languages))
        if not is_new_question(
            event.text,
            rule,
            words,
            thread=event.thread,
            reply_to=event.reply_to,
            starts_thread=event.starts_thread,
        ):
            return
        if self._rate_limited(community, event.author, event.at, settings):
            return
        source = "help" if rule.kind == "help" else "detected"
        self.ask(
            Asked(
                community,
                event.channel,
                event.message,
                event.thread,
                event.author,
                event.at,
                event.text,
                source,
                rule.nudge_after,
            )
        )

    def _buffer_reply(self, community: str, question: str, event: MessagePosted) -> None:
        """Buffer a reply to a question. Whether it can answer is decided here, where the text
        is at hand: "+1", "same" or an emoji is no answer (the asker's own replies never are,
        which the flush knows from the question's row)."""
        letters = self.settings(community).answer_letters
        answers = has_substance(event.text, letters)
        self._queue.append(Replied(community, question, event.author, event.at, answers))

    def ask(self, item: Asked) -> None:
        """Start following a question now; it is written at the next flush."""
        self._track(item.community, item.message, item.thread)
        self._queue.append(item)

    def _rate_limited(
        self, community: str, user: str, at: datetime, settings: QuestionsSettings
    ) -> bool:
        key = (community, user)
        times = self._asks.setdefault(key, deque())
        while times and times[0] <= at - settings.rate_window:
            times.popleft()
        if len(times) >= settings.rate_limit:
            if key not in self._warned:
                self._warned.add(key)
                self._queue.append(Limited(community, user))
            return True
        times.append(at)
        self._warned.discard(key)
        return False

    def prune(self, now: datetime) -> None:
        """Forget rate-limit history older than any window can be (the sweep calls this)."""
        cutoff = now - MAX_RATE_WINDOW
        stale = [key for key, times in self._asks.items() if not times or times[-1] <= cutoff]
        for key in stale:
            del self._asks[key]
            self._warned.discard(key)

    def on_reaction(self, event: ReactionAdded) -> None:
        if _reaction(event.emoji) in SOLVED_REACTIONS and self.is_tracked(
            event.community, event.message
        ):
            self._queue.append(Ticked(event.community, event.message, event.user, event.at))

    def on_deleted(self, event: MessageDeleted) -> None:
        watched = event.channel in self.channels.get(event.community, {})
        if watched or self.is_tracked(event.community, event.message):
            self._queue.append(Removed(event.community, event.message))

    def on_left(self, event: MemberLeft) -> None:
        self._queue.append(Left(event.community, event.user, event.at))

    # --- writing the buffer -------------------------------------------------------------------

    async def flush(self) -> None:
        """Write what the hot path buffered, in order and in one transaction; then emit."""
        async with self._lock:
            if not self._queue:
                return
            items, self._queue = self._queue, []
            events: list[Event] = []
            notes: list[Limited] = []
            try:
                async with self.store.db.transaction():
                    await self._apply_runs(items, events, notes)
            except Exception:
                log.exception("questions: writing %d buffered items failed; one by one", len(items))
                events, notes = [], []
                for item in items:
                    mine: list[Event] = []
                    try:
                        async with self.store.db.transaction():
                            await self._apply(item, mine, notes)
                    except Exception:
                        log.exception("questions: dropping %r", item)
                        continue
                    events.extend(mine)
        for event in events:
            await self.bot.emit(event)
        for note in notes:
            settings = self.settings(note.community)
            text = self.bot.catalog.text(
                "questions.rate_limited",
                count=settings.rate_limit,
                window=format_duration(settings.rate_window),
            )
            await self.bot.send_dm(note.community, note.user, Message(text))

    async def _apply_runs(
        self, items: list[Item], events: list[Event], notes: list[Limited]
    ) -> None:
        """Write consecutive questions, and consecutive replies, in a few statements each."""
        for kind, run in groupby(items, type):
            if kind is Asked:
                await self._asked_run(cast("list[Asked]", list(run)), events)
            elif kind is Replied:
                await self._replied_run(cast("list[Replied]", list(run)), events)
            else:
                for item in run:
                    await self._apply(item, events, notes)

    async def _asked_run(self, run: list[Asked], events: list[Event]) -> None:
        db = self.store.db
        existing = await bulk.by_messages(db, ((i.community, i.message) for i in run))
        new, rows = plan_asks(run, existing, self.settings)
        if not new:
            return
        await bulk.insert_many(db, rows)
        written = await bulk.by_messages(db, ((i.community, i.message) for i in new))
        for item in new:
            question = written[(item.community, item.message)]
            events.append(_asked(question, item.at))

    async def _replied_run(self, run: list[Replied], events: list[Event]) -> None:
        db = self.store.db
        questions = await bulk.by_messages(db, ((i.community, i.question) for i in run))
        plan = plan_replies(run, questions, self.settings)
        await bulk.record_replies(
            db,
            firsts=plan.firsts,
            answered=plan.answered,
            activity=[(qid, *values) for qid, values in plan.activity.items()],
            repliers=plan.repliers,
        )
        events.extend(
            _answered(question, at, responder) for question, at, responder in plan.answers
        )

    async def _apply(self, item: Item, events: list[Event], notes: list[Limited]) -> None:
        if isinstance(item, Asked):
            await self._asked(item, events)
        elif isinstance(item, Replied):
            await self._replied(item, events)
        elif isinstance(item, Ticked):
            question = await self.store.by_message(item.community, item.question)
            if question is not None and question.asker == item.user:
                await self.solve_in(question, item.at, item.user, None, events)
        elif isinstance(item, Removed):
            dropped = await self.store.delete(item.community, item.message)
            if dropped is not None:
                self.untrack(dropped)
        elif isinstance(item, Left):
            for question in await self.store.close_for_asker(item.community, item.user, item.at):
                self.untrack(question)
            await self.store.set_on_duty(item.community, item.user, False, item.at)
        else:
            notes.append(item)

    async def _asked(self, item: Asked, events: list[Event]) -> None:
        settings = self.settings(item.community)
        question = await self.store.insert(
            community=item.community,
            channel=item.channel,
            message=item.message,
            thread=item.thread,
            asker=item.asker,
            excerpt=excerpt(item.text),
            source=item.source,
            at=item.at,
            next_nudge_at=item.at + (item.nudge_after or settings.nudge_after),
            close_at=item.at + settings.close_after,
        )
        if question is not None:
            events.append(_asked(question, item.at))

    async def _replied(self, item: Replied, events: list[Event]) -> None:
        question = await self.store.by_message(item.community, item.question)
        if question is None or question.state not in ACTIVE:
            return
        settings = self.settings(item.community)
        close_at = item.at + settings.close_after
        check_in_at = item.at + settings.check_in_after
        if item.author == question.asker:
            waiting_for_asker = question.state == ANSWERED
            await self.store.record_activity(
                question.id,
                item.at,
                check_in_at=check_in_at if waiting_for_asker else None,
                close_at=close_at,
            )
            return
        if not item.answers:
            return
        await self.store.add_replier(question.id, question.community, item.author, item.at)
        first = await self.store.record_response(
            question.id, item.at, item.author, check_in_at=check_in_at, close_at=close_at
        )
        if first:
            events.append(_answered(question, item.at, item.author))

    async def solve_in(
        self,
        question: Question,
        at: datetime,
        solver: str,
        helper: str | None,
        events: list[Event],
        named_by: str | None = None,
    ) -> Question | None:
        """Mark solved inside the caller's transaction; None if it already was.

        The helper defaults to the first responder. A question solved before anyone
        replied counts as answered by the helper, when someone other than the asker helped.
        """
        if helper is None and question.responder != question.asker:
            helper = question.responder
        if question.first_response_at is None and helper and helper != question.asker:
            settings = self.settings(question.community)
            # ``question`` may be stale: a reply flushed since it was read answered it first.
            if await self.store.record_response(
                question.id, at, helper, check_in_at=None, close_at=at + settings.close_after
            ):
                events.append(_answered(question, at, helper))
        solved = await self.store.solve(question.id, at, solver, helper, named_by)
        if solved is None:
            return None
        self.untrack(solved)
        events.append(
            QuestionSolved(
                community=solved.community,
                at=at,
                question=str(solved.id),
                channel=solved.channel,
                asker=solved.asker,
                solver=solver,
                helper=helper,
            )
        )
        return solved

    async def solve(
        self,
        question: Question,
        at: datetime,
        solver: str,
        helper: str | None,
        named_by: str | None = None,
    ) -> Question | None:
        """Mark solved now (commands and buttons), then tell listeners. ``named_by``: the
        moderator who credited a helper who never replied (their decision, on record)."""
        events: list[Event] = []
        async with self.store.db.transaction():
            solved = await self.solve_in(question, at, solver, helper, events, named_by)
        for event in events:
            await self.bot.emit(event)
        return solved

    def forget(self, community: str, user: str, questions: list[Question]) -> None:
        for question in questions:
            self.untrack(question)
        self._asks.pop((community, user), None)
        self._warned.discard((community, user))
        recent = self._recent.get(community, {})
        for message in [m for m, seen in recent.items() if seen.author == user]:
            del recent[message]


def _asked(question: Question, at: datetime) -> QuestionAsked:
    return QuestionAsked(
        community=question.community,
        at=at,
        question=str(question.id),
        channel=question.channel,
        message=question.message,
        asker=question.asker,
    )


def _answered(question: Question, at: datetime, responder: str) -> QuestionAnswered:
    return QuestionAnswered(
        community=question.community,
        at=at,
        question=str(question.id),
        channel=question.channel,
        asker=question.asker,
        responder=responder,
        response_seconds=(at - question.asked_at).total_seconds(),
    )
