"""Planning a run of buffered questions, or of replies, for the flush's batched writes (pure).

:func:`plan_asks` keeps the first ask of each message not yet a question, as
``INSERT … ON CONFLICT DO NOTHING`` one at a time would, and gives its row.

:func:`plan_replies` replays, in order, what ``Tracker._replied`` decides one reply at a time:
a reply by someone other than the asker that says something (``Replied.answers``)
is the first response only while the question has none (each question's first response is recorded, and announced,
once), moves an open question to answered, and every reply records activity.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.timeutil import to_db
from cogs.questions.items import Asked, Replied
from cogs.questions.models import ACTIVE, ANSWERED, OPEN, Question
from cogs.questions.render import excerpt
from cogs.questions.settings import QuestionsSettings


@dataclass(slots=True)
class ReplyPlan:
    firsts: list[tuple[int, datetime, str]] = field(default_factory=list)
    #: (question id, community, person, at) of every reply that could answer: who may be credited.
    repliers: list[tuple[int, str, str, datetime]] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    #: Latest (at, check_in_at, close_at) per question id; later replies overwrite earlier ones.
    activity: dict[int, tuple[datetime, datetime | None, datetime]] = field(default_factory=dict)
    #: (question as read, at, responder) of each first response, in order: the events to emit.
    answers: list[tuple[Question, datetime, str]] = field(default_factory=list)


def plan_replies(
    items: Sequence[Replied],
    questions: Mapping[tuple[str, str], Question],
    settings: Callable[[str], QuestionsSettings],
) -> ReplyPlan:
    plan = ReplyPlan()
    state: dict[int, str] = {}
    responded: set[int] = set()
    for item in items:
        question = questions.get((item.community, item.question))
        if question is None:
            continue
        qid = question.id
        current = state.setdefault(qid, question.state)
        if current not in ACTIVE:
            continue
        rules = settings(item.community)
        close_at = item.at + rules.close_after
        check_in_at = item.at + rules.check_in_after
        if item.author == question.asker:
            waiting_for_asker = current == ANSWERED
            plan.activity[qid] = (item.at, check_in_at if waiting_for_asker else None, close_at)
            continue
        if not item.answers:
            continue  # "+1", "same", an emoji: no answer, the question keeps waiting
        plan.repliers.append((qid, item.community, item.author, item.at))
        if question.first_response_at is None and qid not in responded:
            responded.add(qid)
            plan.firsts.append((qid, item.at, item.author))
            plan.answers.append((question, item.at, item.author))
        if current == OPEN:
            state[qid] = ANSWERED
            plan.answered.append(qid)
        plan.activity[qid] = (item.at, check_in_at, close_at)
    return plan


def plan_asks(
    items: Sequence[Asked],
    existing: Collection[tuple[str, str]],
    settings: Callable[[str], QuestionsSettings],
) -> tuple[list[Asked], list[tuple[Any, ...]]]:
    """The asks that make new questions, and their rows for ``bulk.insert_many``."""
    taken = set(existing)
    new: list[Asked] = []
    rows: list[tuple[Any, ...]] = []
    for item in items:
        key = (item.community, item.message)
        if key in taken:
            continue
        taken.add(key)
        new.append(item)
        rules = settings(item.community)
        at = to_db(item.at)
        rows.append(
            (
                item.community,
                item.channel,
                item.message,
                item.thread,
                item.asker,
                excerpt(item.text),
                item.source,
                at,
                at,
                to_db(item.at + (item.nudge_after or rules.nudge_after)),
                to_db(item.at + rules.close_after),
            )
        )
    return new, rows
