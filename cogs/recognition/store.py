"""Recognition's SQL: kudos, the points ledger, tiers, grants, active days, privacy.

Portable SQL only (``ON CONFLICT``, ``RETURNING``); every sweep is served by an index
from ``migrations/0006_recognition.sql``. The core's ``members`` table is only read.
Read-only board queries live in ``board_queries`` (mixed in).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from bot.database import Database
from bot.timeutil import from_db, to_db
from cogs.recognition.board_queries import BoardQueries, since_clause
from cogs.recognition.memory import Given
from cogs.recognition.rules import COUNTED_KINDS, Tier

#: (community, giver, receiver, reason, source, channel, message, counted, why_uncounted, at)
KudosRow = tuple[str, str, str, str, str, str | None, str | None, int, str | None, str]
#: What identifies a written kudos for its writer: (community, giver, receiver, message, at,
#: counted).
KudosKey = tuple[str, str, str, str | None, str, int]
T = TypeVar("T")


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Slices of at most ``size``: a statement's parameters stay under the driver's limit."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


_CURRENT = " AND is_bot = 0 AND (left_at IS NULL OR last_joined_at > left_at)"


def _tier(row: Any) -> Tier:
    window = row["window_seconds"]
    before = row["joined_before"]
    return Tier(
        row["role"],
        row["metric"],
        row["threshold"],
        None if window is None else timedelta(seconds=window),
        None if before is None else from_db(before),
    )


class RecognitionStore(BoardQueries):
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- kudos --------------------------------------------------------------------------

    async def recent_kudos(self, since: datetime) -> list[tuple[str, Given]]:
        """Every community's kudos since ``since``, oldest first (start-up fills memory)."""
        rows = await self.db.fetch_all(
            "SELECT id, community, giver, receiver, at, counted, message, source"
            " FROM recognition_kudos WHERE at > ? ORDER BY at, id",
            (to_db(since),),
        )
        return [
            (
                r["community"],
                Given(
                    r["giver"],
                    r["receiver"],
                    from_db(r["at"]),
                    bool(r["counted"]),
                    r["message"],
                    r["source"],
                    r["id"],
                ),
            )
            for r in rows
        ]

    async def membership(self, people: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """(community, user) -> "member", "bot" or "gone" as the registry knows them; people
        the registry has never seen are left out (ask the platform about them)."""
        found: dict[tuple[str, str], str] = {}
        wanted = sorted(set(people))
        for chunk in _chunks(wanted, 400):
            pairs = ", ".join("(?, ?)" for _ in chunk)
            rows = await self.db.fetch_all(
                "SELECT community, user_id, is_bot, left_at, last_joined_at FROM members"
                f" WHERE (community, user_id) IN (VALUES {pairs})",
                [value for pair in chunk for value in pair],
            )
            for r in rows:
                gone = r["left_at"] is not None and (
                    r["last_joined_at"] is None or r["last_joined_at"] <= r["left_at"]
                )
                found[(r[0], r[1])] = "bot" if r["is_bot"] else "gone" if gone else "member"
        return found

    async def insert_kudos(self, rows: list[KudosRow]) -> list[tuple[int, KudosKey]]:
        """Write kudos in as few statements as the driver allows; returns (id, key) of each row
        written. A row whose giver already credited its receiver for that message is skipped."""
        written: list[tuple[int, KudosKey]] = []
        for chunk in _chunks(rows, 300):
            values = ", ".join("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" for _ in chunk)
            found = await self.db.fetch_all(
                "INSERT INTO recognition_kudos (community, giver, receiver, reason, source,"
                f" channel, message, counted, why_uncounted, at) VALUES {values}"
                " ON CONFLICT (community, giver, receiver, message) DO NOTHING"
                " RETURNING id, community, giver, receiver, message, at, counted",
                [value for row in chunk for value in row],
            )
            written += [(r[0], (r[1], r[2], r[3], r[4], r[5], r[6])) for r in found]
        return written

    async def withdraw_reaction(
        self, community: str, giver: str, message: str
    ) -> tuple[int, str] | None:
        """Take back the points of ``giver``'s reaction kudos on ``message``: (id, receiver),
        or None when there was none that counted."""
        row = await self.db.fetch_one(
            "UPDATE recognition_kudos SET counted = 0, why_uncounted = 'withdrawn'"
            " WHERE community = ? AND giver = ? AND message = ? AND source = 'reaction'"
            " AND counted = 1 RETURNING id, receiver",
            (community, giver, message),
        )
        if row is None:
            return None
        await self.remove_kudos_points(community, row[1], [row[0]])
        return row[0], row[1]

    async def remove_kudos_points(self, community: str, receiver: str, ids: list[int]) -> None:
        await self.db.execute_many(
            "DELETE FROM recognition_ledger WHERE community = ? AND user_id = ?"
            " AND kind = 'kudos' AND ref = ?",
            [(community, receiver, str(i)) for i in ids],
        )

    async def add_points_many(self, rows: list[tuple[str, str, str, int, str, str]]) -> None:
        """(community, user, kind, amount, at, ref) rows; a (kind, ref) counts once per person."""
        await self.db.execute_many(
            "INSERT INTO recognition_ledger (community, user_id, kind, amount, at, ref)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (community, user_id, kind, ref) DO NOTHING",
            rows,
        )

    async def add_points(
        self, community: str, user: str, kind: str, amount: int, at: datetime, ref: str
    ) -> bool:
        """Add a ledger row; False when this (kind, ref) already counted for ``user``."""
        row = await self.db.fetch_one(
            "INSERT INTO recognition_ledger (community, user_id, kind, amount, at, ref)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (community, user_id, kind, ref) DO NOTHING"
            " RETURNING id",
            (community, user, kind, amount, to_db(at), ref),
        )
        return row is not None

    async def take_back_points(self, community: str, kind: str, ref: str) -> list[str]:
        """Remove every ledger row of (kind, ref); returns whose points went down."""
        rows = await self.db.fetch_all(
            "DELETE FROM recognition_ledger WHERE community = ? AND kind = ? AND ref = ?"
            " RETURNING user_id",
            (community, kind, ref),
        )
        return sorted({r[0] for r in rows})

    # --- metrics ------------------------------------------------------------------------

    async def metric_values(
        self, community: str, metric: str, since: datetime | None, user: str | None = None
    ) -> dict[str, int]:
        """Points, counted kinds or active days per person (one person when ``user``).

        For active days, ``since`` is in the community's timezone (days are local dates).
        """
        who, who_params = ("", ()) if user is None else (" AND user_id = ?", (user,))
        if metric == "active-days":
            when = "" if since is None else " AND day >= ?"
            when_params = () if since is None else (since.date().isoformat(),)
            sql = (
                "SELECT user_id, COUNT(*) FROM recognition_active_days WHERE community = ?"
                f"{who}{when} GROUP BY user_id"
            )
            rows = await self.db.fetch_all(sql, (community, *who_params, *when_params))
            return {r[0]: r[1] for r in rows}
        when, when_params = since_clause("at", since)
        if metric == "points":
            value, kind, kind_params = "SUM(amount)", "", ()
        else:
            value, kind, kind_params = "COUNT(*)", " AND kind = ?", (COUNTED_KINDS[metric],)
        sql = (
            f"SELECT user_id, {value} FROM recognition_ledger WHERE community = ?{kind}{who}{when}"
            " GROUP BY user_id"
        )
        rows = await self.db.fetch_all(sql, (community, *kind_params, *who_params, *when_params))
        return {r[0]: r[1] or 0 for r in rows}

    async def current_members(self, community: str) -> dict[str, datetime | None]:
        """Human members now in the community, with when they first joined (if known)."""
        rows = await self.db.fetch_all(
            f"SELECT user_id, first_joined_at FROM members WHERE community = ?{_CURRENT}",
            (community,),
        )
        return {r[0]: None if r[1] is None else from_db(r[1]) for r in rows}

    async def founding_members(self, community: str, tier: Tier) -> set[str]:
        """Everyone a founding tier covers: the first N humans to join, or all who joined before."""
        base = (
            "SELECT user_id FROM members WHERE community = ? AND is_bot = 0"
            " AND first_joined_at IS NOT NULL"
        )
        if tier.joined_before is not None:
            rows = await self.db.fetch_all(
                base + " AND first_joined_at < ?", (community, to_db(tier.joined_before))
            )
        else:
            rows = await self.db.fetch_all(
                base + " ORDER BY first_joined_at, user_id LIMIT ?", (community, tier.threshold)
            )
        return {r[0] for r in rows}

    # --- tiers and grants -----------------------------------------------------------------

    async def tiers(self, community: str) -> list[Tier]:
        rows = await self.db.fetch_all(
            "SELECT * FROM recognition_tiers WHERE community = ? ORDER BY metric, threshold, role",
            (community,),
        )
        return [_tier(r) for r in rows]

    async def save_tier(self, community: str, tier: Tier, by: str, at: datetime) -> None:
        window = None if tier.window is None else int(tier.window.total_seconds())
        before = None if tier.joined_before is None else to_db(tier.joined_before)
        await self.db.execute(
            "INSERT INTO recognition_tiers (community, role, metric, threshold, window_seconds,"
            " joined_before, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (community, role) DO UPDATE SET metric = excluded.metric,"
            " threshold = excluded.threshold, window_seconds = excluded.window_seconds,"
            " joined_before = excluded.joined_before, created_by = excluded.created_by,"
            " created_at = excluded.created_at",
            (community, tier.role, tier.metric, tier.threshold, window, before, by, to_db(at)),
        )

    async def remove_tier(self, community: str, role: str) -> bool:
        """Forget a tier and whom it was given to (people keep the role on the platform)."""
        async with self.db.transaction():
            removed = await self.db.execute(
                "DELETE FROM recognition_tiers WHERE community = ? AND role = ?", (community, role)
            )
            await self.db.execute(
                "DELETE FROM recognition_grants WHERE community = ? AND role = ?", (community, role)
            )
        return removed > 0

    async def roles_of(self, community: str, user: str) -> set[str]:
        rows = await self.db.fetch_all(
            "SELECT role FROM recognition_grants WHERE community = ? AND user_id = ?",
            (community, user),
        )
        return {r[0] for r in rows}

    async def holders(self, community: str, role: str) -> set[str]:
        rows = await self.db.fetch_all(
            "SELECT user_id FROM recognition_grants WHERE community = ? AND role = ?",
            (community, role),
        )
        return {r[0] for r in rows}

    async def add_grant(
        self, community: str, user: str, role: str, at: datetime, reason: str
    ) -> bool:
        """Remember a grant; False when it was already remembered (then nobody announces it)."""
        row = await self.db.fetch_one(
            "INSERT INTO recognition_grants (community, user_id, role, granted_at, reason)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community, user_id, role) DO NOTHING"
            " RETURNING role",
            (community, user, role, to_db(at), reason),
        )
        return row is not None

    async def remove_grant(self, community: str, user: str, role: str) -> bool:
        """Forget a grant; False when it was already forgotten (then nobody tells the person)."""
        removed = await self.db.execute(
            "DELETE FROM recognition_grants WHERE community = ? AND user_id = ? AND role = ?",
            (community, user, role),
        )
        return removed > 0

    # --- active days --------------------------------------------------------------------

    async def add_active_days(self, rows: Iterable[tuple[str, str, str]]) -> None:
        async with self.db.transaction():
            await self.db.execute_many(
                "INSERT INTO recognition_active_days (community, user_id, day) VALUES (?, ?, ?)"
                " ON CONFLICT (community, user_id, day) DO NOTHING",
                list(rows),
            )

    async def mark_spotlight(self, community: str, week: str, at: datetime) -> bool:
        """Claim this week's spotlight; False when it was already posted."""
        row = await self.db.fetch_one(
            "INSERT INTO recognition_spotlights (community, week, posted_at) VALUES (?, ?, ?)"
            " ON CONFLICT (community, week) DO NOTHING RETURNING week",
            (community, week, to_db(at)),
        )
        return row is not None

    # --- privacy ------------------------------------------------------------------------

    async def delete_user(self, community: str, user: str) -> None:
        """Their kudos given and received, their points, grants and active days.

        Points that others earned from this person's kudos stay (without the giver).
        """
        async with self.db.transaction():
            await self.db.execute(
                "DELETE FROM recognition_kudos WHERE community = ? AND (giver = ? OR receiver = ?)",
                (community, user, user),
            )
            await self.db.execute(
                "UPDATE recognition_corrections SET moderator = '' WHERE community = ?"
                " AND moderator = ?",
                (community, user),
            )
            for table in (
                "recognition_ledger",
                "recognition_grants",
                "recognition_active_days",
                "recognition_corrections",
            ):
                await self.db.execute(
                    f"DELETE FROM {table} WHERE community = ? AND user_id = ?", (community, user)
                )

    async def export_user(self, community: str, user: str) -> dict[str, Any]:
        def kudos(row: Any) -> dict[str, Any]:
            return {k: row[k] for k in ("giver", "receiver", "reason", "source", "counted", "at")}

        given = await self.db.fetch_all(
            "SELECT * FROM recognition_kudos WHERE community = ? AND giver = ? ORDER BY at",
            (community, user),
        )
        received = await self.db.fetch_all(
            "SELECT * FROM recognition_kudos WHERE community = ? AND receiver = ? ORDER BY at",
            (community, user),
        )
        ledger = await self.db.fetch_all(
            "SELECT kind, amount, at, ref FROM recognition_ledger WHERE community = ?"
            " AND user_id = ? ORDER BY at, id",
            (community, user),
        )
        grants = await self.db.fetch_all(
            "SELECT role, granted_at, reason FROM recognition_grants WHERE community = ?"
            " AND user_id = ? ORDER BY granted_at",
            (community, user),
        )
        days = await self.db.fetch_all(
            "SELECT day FROM recognition_active_days WHERE community = ? AND user_id = ?"
            " ORDER BY day",
            (community, user),
        )
        return {
            "kudos_given": [kudos(r) for r in given],
            "kudos_received": [kudos(r) for r in received],
            "points": [dict(r) for r in ledger],
            "roles": [dict(r) for r in grants],
            "active_days": [r[0] for r in days],
        }
