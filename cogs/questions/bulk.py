"""The flush's batched SQL: a run of buffered questions or replies in a few statements.

``Tracker.flush`` writes consecutive items of one kind together, inside its
transaction: one read of the questions they touch, then one ``execute_many`` per
kind of change. Nothing else writes between the read and the writes (the
transaction holds the database), so what the read says decides exactly what the
writes change; the conditional ``WHERE`` clauses are kept all the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from bot.database import Database
from bot.timeutil import to_db
from cogs.questions.models import ANSWERED, OPEN, Question, question_from_row

Key = tuple[str, str]  # (community, message)

#: Keys per lookup statement (two parameters each), well under SQLite's parameter limit.
CHUNK = 400


def _chunks(keys: Sequence[Key]) -> Iterable[Sequence[Key]]:
    for start in range(0, len(keys), CHUNK):
        yield keys[start : start + CHUNK]


def _db(value: datetime | None) -> str | None:
    return None if value is None else to_db(value)


async def by_messages(db: Database, keys: Iterable[Key]) -> dict[Key, Question]:
    """The questions asked in these messages, by (community, message); one indexed read per chunk."""
    unique = list(dict.fromkeys(keys))
    found: dict[Key, Question] = {}
    for chunk in _chunks(unique):
        values = ", ".join(["(?, ?)"] * len(chunk))
        params = [part for key in chunk for part in key]
        rows = await db.fetch_all(
            f"WITH k (community, message) AS (VALUES {values})"
            " SELECT q.* FROM k JOIN questions q"
            " ON q.community = k.community AND q.message = k.message",
            params,
        )
        for row in rows:
            question = question_from_row(row)
            found[(question.community, question.message)] = question
    return found


async def insert_many(db: Database, rows: Sequence[Sequence[Any]]) -> None:
    """New questions, columns as ``QuestionsStore.insert`` writes them (times already converted)."""
    await db.execute_many(
        "INSERT INTO questions (community, channel, message, thread, asker, excerpt, source,"
        " asked_at, last_activity_at, next_nudge_at, close_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (community, message) DO NOTHING",
        rows,
    )


async def record_replies(
    db: Database,
    *,
    firsts: Sequence[tuple[int, datetime, str]],
    answered: Sequence[int],
    activity: Iterable[tuple[int, datetime, datetime | None, datetime]],
    repliers: Sequence[tuple[int, str, str, datetime]] = (),
) -> None:
    """What ``QuestionsStore.record_response`` / ``record_activity`` write, for many questions.

    ``firsts`` are (id, at, responder) of first responses, ``answered`` the ids that move
    from open to answered, ``activity`` (id, at, check_in_at, close_at) in order,
    ``repliers`` (id, community, person, at) of the replies that could answer.
    """
    if repliers:
        await db.execute_many(
            "INSERT INTO question_repliers (question_id, community, user_id, first_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (question_id, user_id) DO NOTHING",
            [(qid, community, user, to_db(at)) for qid, community, user, at in repliers],
        )
    if firsts:
        await db.execute_many(
            "UPDATE questions SET first_response_at = ?, responder = ?"
            " WHERE id = ? AND first_response_at IS NULL",
            [(to_db(at), responder, qid) for qid, at, responder in firsts],
        )
    if answered:
        await db.execute_many(
            "UPDATE questions SET state = ?, next_nudge_at = NULL, claimed_by = NULL,"
            " claim_until = NULL WHERE id = ? AND state = ?",
            [(ANSWERED, qid, OPEN) for qid in answered],
        )
    rows = [(to_db(at), _db(check_in), to_db(close), qid) for qid, at, check_in, close in activity]
    if rows:
        await db.execute_many(
            "UPDATE questions SET last_activity_at = ?, check_in_at = ?, close_at = ? WHERE id = ?",
            rows,
        )
