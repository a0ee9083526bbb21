"""Timers: anything that must happen later is a row with a due time (RoboDanny's pattern).

A due timer is claimed (``running``) in one statement before its handler runs and
marked ``done`` after, so two sweeps never both run it and a restart does not
lose it. A timer found ``running`` at start-up was cut off mid-flight and is run
again: handlers that send something check their own state first.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.database import Database, containing
from bot.timeutil import from_db, to_db


@dataclass(frozen=True, slots=True)
class Timer:
    id: int
    community: str
    cog: str
    kind: str
    key: str
    due_at: datetime
    payload: dict[str, Any]


class Timers:
    def __init__(self, db: Database) -> None:
        self._db = db
        #: Called when a timer is scheduled due at once (the Bot runs it soon after).
        self.on_due_now: Callable[[], None] = lambda: None
        # The earliest pending due time, cached: the test clock asks for it at every step.
        self._next_due: datetime | None = None
        self._next_known = False

    def _forget_next_due(self) -> None:
        self._next_known = False

    async def schedule(
        self,
        community: str,
        cog: str,
        kind: str,
        due_at: datetime,
        *,
        now: datetime,
        key: str = "",
        payload: dict[str, Any] | None = None,
        replace: bool = False,
    ) -> int:
        """Add a timer. With a ``key``, at most one is pending per (community, cog, kind, key):
        an existing one is kept (or moved to ``due_at`` when ``replace``)."""
        async with self._db.transaction():
            if key:
                existing = await self._db.fetch_one(
                    "SELECT id FROM timers WHERE community = ? AND cog = ? AND kind = ?"
                    " AND key = ? AND state = 'pending'",
                    (community, cog, kind, key),
                )
                if existing is not None:
                    self._forget_next_due()
                    if replace:
                        await self._db.execute(
                            "UPDATE timers SET due_at = ?, payload = ? WHERE id = ?",
                            (to_db(due_at), json.dumps(payload or {}), existing[0]),
                        )
                        if due_at <= now:
                            self.on_due_now()
                    return existing[0]
            row = await self._db.fetch_one(
                "INSERT INTO timers (community, cog, kind, key, due_at, payload, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (community, cog, kind, key, to_db(due_at), json.dumps(payload or {}), to_db(now)),
            )
            if self._next_known and (self._next_due is None or due_at < self._next_due):
                self._next_due = due_at
            if due_at <= now:
                self.on_due_now()
            return row[0]

    async def cancel(self, community: str, cog: str, kind: str, key: str | None = None) -> int:
        sql = (
            "UPDATE timers SET state = 'cancelled' WHERE community = ? AND cog = ? AND kind = ?"
            " AND state = 'pending'"
        )
        params: tuple[str, ...] = (community, cog, kind)
        if key is not None:
            sql += " AND key = ?"
            params += (key,)
        self._forget_next_due()
        return await self._db.execute(sql, params)

    async def pending(self, community: str, cog: str, kind: str, key: str = "") -> Timer | None:
        row = await self._db.fetch_one(
            "SELECT * FROM timers WHERE community = ? AND cog = ? AND kind = ? AND key = ?"
            " AND state = 'pending' ORDER BY due_at LIMIT 1",
            (community, cog, kind, key),
        )
        return None if row is None else _timer(row)

    async def next_due(self) -> datetime | None:
        if not self._next_known:
            value = await self._db.fetch_value(
                "SELECT MIN(due_at) FROM timers WHERE state = 'pending'"
            )
            self._next_due = None if value is None else from_db(value)
            self._next_known = True
        return self._next_due

    async def claim_due(self, now: datetime, limit: int = 200) -> list[Timer]:
        self._forget_next_due()
        rows = await self._db.fetch_all(
            "UPDATE timers SET state = 'running' WHERE id IN ("
            " SELECT id FROM timers WHERE state = 'pending' AND due_at <= ?"
            " ORDER BY due_at, id LIMIT ?) RETURNING *",
            (to_db(now), limit),
        )
        return sorted((_timer(r) for r in rows), key=lambda t: (t.due_at, t.id))

    async def claim(self, community: str, cog: str, kind: str, key: str) -> int | None:
        """Claim the pending timer under ``key`` to run its work now, ahead of its time;
        ``finish`` it after. None when there is none (done, or running elsewhere). Cut off
        by a crash, it is recovered and runs again, as a claimed due timer would."""
        self._forget_next_due()
        row = await self._db.fetch_one(
            "UPDATE timers SET state = 'running' WHERE id = ("
            " SELECT id FROM timers WHERE community = ? AND cog = ? AND kind = ? AND key = ?"
            " AND state = 'pending' ORDER BY due_at LIMIT 1) RETURNING id",
            (community, cog, kind, key),
        )
        return None if row is None else row[0]

    async def finish(self, timer_id: int) -> None:
        await self._db.execute("UPDATE timers SET state = 'done' WHERE id = ?", (timer_id,))

    async def recover(self) -> int:
        """Put timers cut off by a crash back in the queue."""
        self._forget_next_due()
        return await self._db.execute("UPDATE timers SET state = 'pending' WHERE state = 'running'")

    async def delete_for_user(self, community: str, user: str) -> None:
        """Delete every timer about ``user``, in any state: keyed by their id, or naming
        it in the payload (what a forget-me must leave no trace of)."""
        self._forget_next_due()
        await self._db.execute(
            f"DELETE FROM timers WHERE community = ? AND ({_ABOUT_USER})",
            (community, user, _json_string(user)),
        )

    async def about_user(self, community: str, user: str) -> list[Timer]:
        """Pending timers about ``user`` (keyed by their id or naming it), soonest first."""
        rows = await self._db.fetch_all(
            f"SELECT * FROM timers WHERE community = ? AND state = 'pending' AND ({_ABOUT_USER})"
            " ORDER BY due_at, id",
            (community, user, _json_string(user)),
        )
        return [_timer(r) for r in rows]

    async def prune(self, before: datetime) -> int:
        """Delete finished and cancelled timers that were due before ``before``."""
        return await self._db.execute(
            "DELETE FROM timers WHERE state IN ('done', 'cancelled') AND due_at < ?",
            (to_db(before),),
        )


#: A timer about a person: keyed by their id, or their id as a JSON string in the payload.
_ABOUT_USER = "key = ? OR payload LIKE ? ESCAPE '\\'"


def _json_string(value: str) -> str:
    """A LIKE pattern for payloads holding ``value`` as a JSON string."""
    return "%" + containing(json.dumps(value)) + "%"


def _timer(row) -> Timer:
    return Timer(
        id=row["id"],
        community=row["community"],
        cog=row["cog"],
        kind=row["kind"],
        key=row["key"],
        due_at=from_db(row["due_at"]),
        payload=json.loads(row["payload"]),
    )
