"""The flush's planning of a run of replies: first response once, asker replies only activity."""

from datetime import UTC, datetime, timedelta

from cogs.questions.items import Replied
from cogs.questions.models import OPEN, SOLVED, Question
from cogs.questions.runs import plan_replies
from cogs.questions.settings import QuestionsSettings

AT = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


def question(qid: int, message: str, state: str = OPEN, first: datetime | None = None) -> Question:
    return Question(
        qid, "c", "help", message, None, "alice", "", "help", state, AT, AT, first,
        None, None, None, None, 0, None, None, None, None,
    )  # fmt: skip


def test_two_helpers_in_one_run_answer_once_and_solved_questions_are_left_alone():
    questions = {
        ("c", "m1"): question(1, "m1"),
        ("c", "m2"): question(2, "m2", SOLVED),
        ("c", "m3"): question(3, "m3", OPEN, first=AT),  # reopened: answered before
    }
    later = AT + timedelta(minutes=5)
    run = [
        Replied("c", "m1", "alice", AT),
        Replied("c", "m1", "bob", later),
        Replied("c", "m1", "carol", later),
        Replied("c", "m1", "alice", later),
        Replied("c", "m2", "bob", later),
        Replied("c", "m3", "bob", later),
        Replied("c", "missing", "bob", later),
    ]
    plan = plan_replies(run, questions, lambda community: QuestionsSettings())
    assert [(q.id, responder) for q, _, responder in plan.answers] == [(1, "bob")]
    assert plan.firsts == [(1, later, "bob")]
    assert plan.answered == [1, 3]
    assert set(plan.activity) == {1, 3}
    # The asker's last reply came after bob answered: waiting for the asker, so a check-in is due.
    assert plan.activity[1][1] is not None
