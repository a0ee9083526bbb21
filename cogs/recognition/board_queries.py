"""Read-only queries behind profiles, leaderboards, the history and the spotlight.

The core's ``members`` table is only read, to leave bots and people who left off boards.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.database import Database
from bot.timeutil import from_db, to_db

# A ledger row belongs to a current, human member unless the registry says otherwise.
_NOT_GONE = (
    " AND NOT EXISTS (SELECT 1 FROM members m WHERE m.community = l.community"
    " AND m.user_id = l.user_id AND (m.is_bot = 1 OR (m.left_at IS NOT NULL"
    " AND (m.last_joined_at IS NULL OR m.last_joined_at <= m.left_at))))"
)


@dataclass(frozen=True, slots=True)
class Kudos:
    id: int
    giver: str
    receiver: str
    reason: str
    source: str
    channel: str | None
    counted: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class Thanked:
    """Someone thanked in a period: how often, and the latest reason given."""

    user: str
    count: int
    reason: str


def _kudos(row: Any) -> Kudos:
    return Kudos(
        row["id"],
        row["giver"],
        row["receiver"],
        row["reason"],
        row["source"],
        row["channel"],
        bool(row["counted"]),
        from_db(row["at"]),
    )


def since_clause(column: str, since: datetime | None) -> tuple[str, tuple[str, ...]]:
    return ("", ()) if since is None else (f" AND {column} >= ?", (to_db(since),))


class BoardQueries:
    """Mixed into the store: the queries that only read, to show people's effort."""

    db: Database

    async def leaderboard(
        self, community: str, since: datetime | None, limit: int
    ) -> list[tuple[str, int]]:
        when, params = since_clause("l.at", since)
        rows = await self.db.fetch_all(
            "SELECT l.user_id, SUM(l.amount) AS points FROM recognition_ledger l"
            f" WHERE l.community = ?{when}{_NOT_GONE}"
            " GROUP BY l.user_id HAVING SUM(l.amount) > 0 ORDER BY points DESC, l.user_id LIMIT ?",
            (community, *params, limit),
        )
        return [(r[0], r[1]) for r in rows]

    async def newcomers(
        self,
        community: str,
        since: datetime | None,
        joined_since: datetime,
        limit: int,
        exclude: Iterable[str] = (),
    ) -> list[tuple[str, int]]:
        """The top earners among people who joined after ``joined_since``."""
        skip = tuple(exclude)
        when, params = since_clause("l.at", since)
        others = f" AND l.user_id NOT IN ({', '.join('?' * len(skip))})" if skip else ""
        rows = await self.db.fetch_all(
            "SELECT l.user_id, SUM(l.amount) AS points FROM recognition_ledger l"
            " JOIN members m ON m.community = l.community AND m.user_id = l.user_id"
            f" WHERE l.community = ? AND m.first_joined_at >= ?{when}{others}{_NOT_GONE}"
            " GROUP BY l.user_id HAVING SUM(l.amount) > 0 ORDER BY points DESC, l.user_id LIMIT ?",
            (community, to_db(joined_since), *params, *skip, limit),
        )
        return [(r[0], r[1]) for r in rows]

    async def points_by_kind(self, community: str, user: str) -> dict[str, tuple[int, int]]:
        """kind -> (how many, points), all time."""
        rows = await self.db.fetch_all(
            "SELECT kind, COUNT(*), SUM(amount) FROM recognition_ledger"
            " WHERE community = ? AND user_id = ? GROUP BY kind",
            (community, user),
        )
        return {r[0]: (r[1], r[2] or 0) for r in rows}

    async def kudos_received(self, community: str, user: str, limit: int) -> list[Kudos]:
        rows = await self.db.fetch_all(
            "SELECT * FROM recognition_kudos WHERE community = ? AND receiver = ? AND counted = 1"
            " ORDER BY at DESC, id DESC LIMIT ?",
            (community, user, limit),
        )
        return [_kudos(r) for r in rows]

    async def history(self, community: str, person: str | None, limit: int) -> list[Kudos]:
        """Latest kudos in the community (given or received by ``person``, when given)."""
        if person is None:
            rows = await self.db.fetch_all(
                "SELECT * FROM recognition_kudos WHERE community = ? ORDER BY at DESC, id DESC"
                " LIMIT ?",
                (community, limit),
            )
        else:
            rows = await self.db.fetch_all(
                "SELECT * FROM recognition_kudos WHERE community = ? AND giver = ?"
                " UNION SELECT * FROM recognition_kudos WHERE community = ? AND receiver = ?"
                " ORDER BY at DESC, id DESC LIMIT ?",
                (community, person, community, person, limit),
            )
        return [_kudos(r) for r in rows]

    async def top_thanked(
        self, community: str, since: datetime, until: datetime, n: int
    ) -> list[Thanked]:
        window = (community, to_db(since), to_db(until))
        rows = await self.db.fetch_all(
            "SELECT receiver, COUNT(*) AS n FROM recognition_kudos WHERE community = ?"
            " AND at >= ? AND at < ? AND counted = 1 GROUP BY receiver"
            " ORDER BY n DESC, receiver LIMIT ?",
            (*window, n),
        )
        out = []
        for receiver, count in rows:
            reason = await self.db.fetch_value(
                "SELECT reason FROM recognition_kudos WHERE community = ? AND at >= ? AND at < ?"
                " AND counted = 1 AND receiver = ? AND reason != '' ORDER BY at DESC, id DESC"
                " LIMIT 1",
                (*window, receiver),
            )
            out.append(Thanked(receiver, count, reason or ""))
        return out
