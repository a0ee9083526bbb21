"""The questions cog's SQL: channels, questions, on-duty helpers, and forgetting a person.

Portable SQL only (``ON CONFLICT … DO UPDATE``, ``RETURNING``). Times are stored
with ``to_db`` and read back with ``from_db``. Methods that belong together in one
transaction are called inside the caller's ``async with db.transaction()``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.database import Database, row_id
from bot.timeutil import from_db, to_db
from cogs.questions.detect import ChannelRule
from cogs.questions.models import (
    ACTIVE,
    ANSWERED,
    CLOSED,
    OPEN,
    SOLVED,
    Question,
    question_from_row,
    when,
)
from cogs.questions.stats import Sample

#: The states a question can be marked solved from.
SOLVABLE = (OPEN, ANSWERED, CLOSED)


def _db(value: datetime | None) -> str | None:
    return None if value is None else to_db(value)


class QuestionsStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- channels -------------------------------------------------------------------

    async def channels(self) -> dict[str, dict[str, ChannelRule]]:
        rows = await self.db.fetch_all(
            "SELECT community, channel, kind, mode, nudge_after FROM questions_channels"
        )
        found: dict[str, dict[str, ChannelRule]] = {}
        for community, channel, kind, mode, seconds in rows:
            after = None if seconds is None else timedelta(seconds=seconds)
            found.setdefault(community, {})[channel] = ChannelRule(kind, mode, after)
        return found

    async def save_channel(self, community: str, channel: str, rule: ChannelRule) -> None:
        seconds = None if rule.nudge_after is None else int(rule.nudge_after.total_seconds())
        await self.db.execute(
            "INSERT INTO questions_channels (community, channel, kind, mode, nudge_after)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community, channel) DO UPDATE SET"
            " kind = excluded.kind, mode = excluded.mode, nudge_after = excluded.nudge_after",
            (community, channel, rule.kind, rule.mode, seconds),
        )

    async def remove_channel(self, community: str, channel: str) -> None:
        await self.db.execute(
            "DELETE FROM questions_channels WHERE community = ? AND channel = ?",
            (community, channel),
        )

    # --- questions: reading -----------------------------------------------------------

    async def active_roots(self) -> list[tuple[str, str, str | None]]:
        """(community, message, thread) of every open or answered question."""
        rows = await self.db.fetch_all(
            "SELECT community, message, thread FROM questions WHERE state IN (?, ?)", ACTIVE
        )
        return [(r[0], r[1], r[2]) for r in rows]

    async def asked_since(self, since: datetime) -> list[tuple[str, str, datetime]]:
        rows = await self.db.fetch_all(
            "SELECT community, asker, asked_at FROM questions WHERE asked_at >= ?"
            " ORDER BY asked_at",
            (to_db(since),),
        )
        return [(r[0], r[1], from_db(r[2])) for r in rows]

    async def by_message(self, community: str, message: str) -> Question | None:
        row = await self.db.fetch_one(
            "SELECT * FROM questions WHERE community = ? AND message = ?", (community, message)
        )
        return None if row is None else question_from_row(row)

    async def find(self, community: str, key: str) -> Question | None:
        """By message id, then thread id, then (for ``12`` or ``#12``) the question's number."""
        found = await self.by_message(community, key)
        if found is not None:
            return found
        row = await self.db.fetch_one(
            "SELECT * FROM questions WHERE community = ? AND thread = ? ORDER BY id DESC LIMIT 1",
            (community, key),
        )
        number = key.removeprefix("#")
        if row is None and (number_id := row_id(number)) is not None:
            row = await self.db.fetch_one(
                "SELECT * FROM questions WHERE community = ? AND id = ?", (community, number_id)
            )
        return None if row is None else question_from_row(row)

    async def waiting(self, community: str, limit: int) -> tuple[list[Question], int]:
        """Open questions, oldest first (at most ``limit``), and how many there are."""
        rows = await self.db.fetch_all(
            "SELECT * FROM questions WHERE community = ? AND state = ? ORDER BY asked_at, id"
            " LIMIT ?",
            (community, OPEN, limit),
        )
        total = await self.db.fetch_value(
            "SELECT COUNT(*) FROM questions WHERE community = ? AND state = ?", (community, OPEN)
        )
        return [question_from_row(r) for r in rows], total

    async def samples(self, community: str, since: datetime | None) -> list[Sample]:
        sql = "SELECT asked_at, first_response_at, responder, solved_at FROM questions"
        sql += " WHERE community = ?"
        params: tuple[Any, ...] = (community,)
        if since is not None:
            sql += " AND asked_at >= ?"
            params += (to_db(since),)
        rows = await self.db.fetch_all(sql, params)
        return [Sample(from_db(r[0]), when(r[1]), r[2], when(r[3])) for r in rows]

    # --- questions: changes ---------------------------------------------------------

    async def insert(
        self,
        *,
        community: str,
        channel: str,
        message: str,
        thread: str | None,
        asker: str,
        excerpt: str,
        source: str,
        at: datetime,
        next_nudge_at: datetime,
        close_at: datetime,
    ) -> Question | None:
        """Record a question; None if that message already is one."""
        row = await self.db.fetch_one(
            "INSERT INTO questions (community, channel, message, thread, asker, excerpt, source,"
            " asked_at, last_activity_at, next_nudge_at, close_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (community, message) DO NOTHING RETURNING *",
            (
                community,
                channel,
                message,
                thread,
                asker,
                excerpt,
                source,
                to_db(at),
                to_db(at),
                to_db(next_nudge_at),
                to_db(close_at),
            ),
        )
        return None if row is None else question_from_row(row)

    async def record_activity(
        self, question: int, at: datetime, *, check_in_at: datetime | None, close_at: datetime
    ) -> None:
        await self.db.execute(
            "UPDATE questions SET last_activity_at = ?, check_in_at = ?, close_at = ? WHERE id = ?",
            (to_db(at), _db(check_in_at), to_db(close_at), question),
        )

    async def record_response(
        self,
        question: int,
        at: datetime,
        responder: str | None,
        *,
        check_in_at: datetime | None,
        close_at: datetime,
    ) -> bool:
        """Mark answered; True when this is the question's first response."""
        first = await self.db.fetch_one(
            "UPDATE questions SET first_response_at = ?, responder = ?"
            " WHERE id = ? AND first_response_at IS NULL RETURNING id",
            (to_db(at), responder, question),
        )
        await self.db.execute(
            "UPDATE questions SET state = ?, next_nudge_at = NULL, claimed_by = NULL,"
            " claim_until = NULL WHERE id = ? AND state = ?",
            (ANSWERED, question, OPEN),
        )
        await self.record_activity(question, at, check_in_at=check_in_at, close_at=close_at)
        return first is not None

    async def add_replier(self, question: int, community: str, user: str, at: datetime) -> None:
        await self.db.execute(
            "INSERT INTO question_repliers (question_id, community, user_id, first_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (question_id, user_id) DO NOTHING",
            (question, community, user, to_db(at)),
        )

    async def replied(self, question: int, user: str) -> bool:
        """Whether ``user`` replied to the question with something to say."""
        row = await self.db.fetch_one(
            "SELECT 1 FROM question_repliers WHERE question_id = ? AND user_id = ?",
            (question, user),
        )
        return row is not None

    async def solve(
        self,
        question: int,
        at: datetime,
        solver: str,
        helper: str | None,
        named_by: str | None = None,
    ) -> Question | None:
        """Mark solved (from open, answered or closed); None if it already was."""
        row = await self.db.fetch_one(
            "UPDATE questions SET state = ?, solved_at = ?, solver = ?, helper = ?,"
            " helper_named_by = ?, last_activity_at = ?, next_nudge_at = NULL, check_in_at = NULL, close_at = NULL,"
            " claimed_by = NULL, claim_until = NULL"
            " WHERE id = ? AND state IN (?, ?, ?) RETURNING *",
            (SOLVED, to_db(at), solver, helper, named_by, to_db(at), question, *SOLVABLE),
        )
        return None if row is None else question_from_row(row)

    async def reopen(self, question: int, at: datetime, close_at: datetime) -> Question | None:
        """The asker still needs help: waiting again, and due in the next digest."""
        row = await self.db.fetch_one(
            "UPDATE questions SET state = ?, last_activity_at = ?, next_nudge_at = ?,"
            " nudge_count = 0, last_nudge_at = NULL, check_in_at = NULL, close_at = ?"
            " WHERE id = ? AND state = ? RETURNING *",
            (OPEN, to_db(at), to_db(at), to_db(close_at), question, ANSWERED),
        )
        return None if row is None else question_from_row(row)

    async def claim(self, question: int, user: str, until: datetime) -> None:
        """Claimed questions are not reminded until the claim ends (the sweep sees it due then)."""
        await self.db.execute(
            "UPDATE questions SET claimed_by = ?, claim_until = ?, next_nudge_at = CASE"
            " WHEN next_nudge_at IS NULL OR next_nudge_at < ? THEN ? ELSE next_nudge_at END"
            " WHERE id = ?",
            (user, to_db(until), to_db(until), to_db(until), question),
        )

    async def delete(self, community: str, message: str) -> Question | None:
        row = await self.db.fetch_one(
            "DELETE FROM questions WHERE community = ? AND message = ? RETURNING *",
            (community, message),
        )
        return None if row is None else question_from_row(row)

    async def close_for_asker(self, community: str, asker: str, at: datetime) -> list[Question]:
        rows = await self.db.fetch_all(
            "UPDATE questions SET state = ?, closed_at = ?, close_reason = 'asker_left',"
            " next_nudge_at = NULL, check_in_at = NULL, close_at = NULL"
            " WHERE community = ? AND asker = ? AND state IN (?, ?) RETURNING *",
            (CLOSED, to_db(at), community, asker, *ACTIVE),
        )
        return [question_from_row(r) for r in rows]

    # --- sweeps -------------------------------------------------------------------------

    async def due_nudges(self, now: datetime) -> list[Question]:
        rows = await self.db.fetch_all(
            "SELECT * FROM questions WHERE state = ? AND next_nudge_at <= ?"
            " ORDER BY community, asked_at, id",
            (OPEN, to_db(now)),
        )
        return [question_from_row(r) for r in rows]

    async def save_nudges(
        self, plans: Iterable[tuple[int, int, datetime | None, datetime | None, datetime | None]]
    ) -> None:
        """(id, nudge_count, last_nudge_at, escalated_at, next_nudge_at) for each question."""
        await self.db.execute_many(
            "UPDATE questions SET nudge_count = ?, last_nudge_at = ?, escalated_at = ?,"
            " next_nudge_at = ? WHERE id = ?",
            [(count, _db(last), _db(esc), _db(nxt), qid) for qid, count, last, esc, nxt in plans],
        )

    async def postpone_nudges(self, ids: Sequence[int], until: datetime) -> None:
        await self.db.execute_many(
            "UPDATE questions SET next_nudge_at = ? WHERE id = ?",
            [(to_db(until), qid) for qid in ids],
        )

    async def due_check_ins(self, now: datetime) -> list[Question]:
        rows = await self.db.fetch_all(
            "SELECT * FROM questions WHERE state = ? AND check_in_at <= ? ORDER BY check_in_at, id",
            (ANSWERED, to_db(now)),
        )
        return [question_from_row(r) for r in rows]

    async def checked_in(self, question: int, at: datetime) -> bool:
        """Record the check-in; False when the question was solved, closed, reopened or
        replied to since the sweep found it due (then no check-in is sent)."""
        changed = await self.db.execute(
            "UPDATE questions SET checked_in_at = ?, check_in_at = NULL"
            " WHERE id = ? AND state = ? AND check_in_at <= ?",
            (to_db(at), question, ANSWERED, to_db(at)),
        )
        return changed > 0

    async def postpone_check_in(self, question: int, until: datetime) -> None:
        await self.db.execute(
            "UPDATE questions SET check_in_at = ? WHERE id = ?", (to_db(until), question)
        )

    async def due_closes(self, now: datetime) -> list[Question]:
        rows = await self.db.fetch_all(
            "SELECT * FROM questions WHERE state IN (?, ?) AND close_at <= ? ORDER BY close_at, id",
            (*ACTIVE, to_db(now)),
        )
        return [question_from_row(r) for r in rows]

    async def close_inactive(self, question: int, at: datetime) -> bool:
        """Close a quiet question; False when it was solved or had activity since the sweep
        found it due (then it stays as it is and no closing note is sent)."""
        changed = await self.db.execute(
            "UPDATE questions SET state = ?, closed_at = ?, close_reason = 'inactive',"
            " next_nudge_at = NULL, check_in_at = NULL, close_at = NULL"
            " WHERE id = ? AND state IN (?, ?) AND close_at <= ?",
            (CLOSED, to_db(at), question, *ACTIVE, to_db(at)),
        )
        return changed > 0

    # --- on duty --------------------------------------------------------------------------

    async def set_on_duty(self, community: str, user: str, on: bool, at: datetime) -> bool:
        """Returns whether anything changed."""
        if on:
            row = await self.db.fetch_one(
                "INSERT INTO questions_on_duty (community, user_id, since) VALUES (?, ?, ?)"
                " ON CONFLICT (community, user_id) DO NOTHING RETURNING user_id",
                (community, user, to_db(at)),
            )
            return row is not None
        changed = await self.db.execute(
            "DELETE FROM questions_on_duty WHERE community = ? AND user_id = ?", (community, user)
        )
        return changed > 0

    async def on_duty(self, community: str) -> list[str]:
        rows = await self.db.fetch_all(
            "SELECT user_id FROM questions_on_duty WHERE community = ? ORDER BY since, user_id",
            (community,),
        )
        return [r[0] for r in rows]

    # --- privacy --------------------------------------------------------------------------

    async def forget(self, community: str, user: str) -> list[Question]:
        """Delete their questions and on-duty row; anonymise their answers, solutions, claims.

        Returns the deleted questions (so the caller can drop them from its caches).
        """
        async with self.db.transaction():
            rows = await self.db.fetch_all(
                "DELETE FROM questions WHERE community = ? AND asker = ? RETURNING *",
                (community, user),
            )
            for column in ("responder", "solver", "helper", "helper_named_by"):
                await self.db.execute(
                    f"UPDATE questions SET {column} = NULL WHERE community = ? AND {column} = ?",
                    (community, user),
                )
            await self.db.execute(
                "UPDATE questions SET claimed_by = NULL, claim_until = NULL"
                " WHERE community = ? AND claimed_by = ?",
                (community, user),
            )
            await self.db.execute(
                "DELETE FROM questions_on_duty WHERE community = ? AND user_id = ?",
                (community, user),
            )
            await self.db.execute(
                "DELETE FROM question_repliers WHERE community = ? AND user_id = ?",
                (community, user),
            )
            await self.db.execute(
                "DELETE FROM questions_outbox WHERE community = ? AND user_id = ?",
                (community, user),
            )
        return [question_from_row(r) for r in rows]

    async def export(self, community: str, user: str) -> dict[str, Any]:
        asked = await self.db.fetch_all(
            "SELECT * FROM questions WHERE community = ? AND asker = ? ORDER BY asked_at",
            (community, user),
        )
        answered = await self.db.fetch_all(
            "SELECT id, channel, message, first_response_at FROM questions"
            " WHERE community = ? AND responder = ? ORDER BY first_response_at",
            (community, user),
        )
        helped = await self.db.fetch_value(
            "SELECT COUNT(*) FROM questions WHERE community = ? AND helper = ?", (community, user)
        )
        duty = await self.db.fetch_value(
            "SELECT since FROM questions_on_duty WHERE community = ? AND user_id = ?",
            (community, user),
        )
        claims = await self.db.fetch_all(
            "SELECT id, channel, message, claim_until FROM questions"
            " WHERE community = ? AND claimed_by = ? ORDER BY id",
            (community, user),
        )
        return {
            "asked": [
                {
                    "id": q.id,
                    "channel": q.channel,
                    "message": q.message,
                    "excerpt": q.excerpt,
                    "state": q.state,
                    "asked_at": q.asked_at.isoformat(),
                }
                for q in map(question_from_row, asked)
            ],
            "first_responses": [
                {"id": r[0], "channel": r[1], "message": r[2], "at": r[3]} for r in answered
            ],
            "credited_as_helper": helped,
            "on_duty_since": duty,
            "claims": [
                {"id": r[0], "channel": r[1], "message": r[2], "until": r[3]} for r in claims
            ],
        }
