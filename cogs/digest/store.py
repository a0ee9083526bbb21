"""The digest cog's SQL: digest runs, nudges, opt-outs, moderator flags, activity days.

The core's ``members`` table is only read (new members, quiet members). Every
"send once" is a conditional UPDATE or an INSERT … ON CONFLICT DO NOTHING with
RETURNING: whoever gets the row back sends, nobody else.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.database import Database
from bot.timeutil import from_db, to_db
from cogs.digest.nudges import REENGAGE, MemberFacts

PENDING, SENT, FAILED, SKIPPED, CANCELLED = "pending", "sent", "failed", "skipped", "cancelled"


def _when(value: str | None) -> datetime | None:
    return None if value is None else from_db(value)


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    community: str
    due_at: datetime
    state: str


@dataclass(frozen=True, slots=True)
class Nudge:
    id: int
    community: str
    user: str
    kind: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class NewMembers:
    joined: int
    posted: int


class DigestStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def next_due(self) -> datetime | None:
        """The earliest pending digest or nudge (both indexed by state and due time)."""
        runs = await self.db.fetch_value(
            "SELECT MIN(due_at) FROM digest_runs WHERE state = ?", (PENDING,)
        )
        nudges = await self.db.fetch_value(
            "SELECT MIN(due_at) FROM digest_nudges WHERE state = ?", (PENDING,)
        )
        found = [from_db(v) for v in (runs, nudges) if v is not None]
        return min(found, default=None)

    # --- digest runs --------------------------------------------------------------------

    async def pending_run(self, community: str) -> Run | None:
        row = await self.db.fetch_one(
            "SELECT id, community, due_at, state FROM digest_runs"
            " WHERE community = ? AND state = ? ORDER BY due_at LIMIT 1",
            (community, PENDING),
        )
        return None if row is None else Run(row[0], row[1], from_db(row[2]), row[3])

    async def last_run_due(self, community: str) -> datetime | None:
        """The due time of the latest digest that went out (or was due to)."""
        value = await self.db.fetch_value(
            "SELECT MAX(due_at) FROM digest_runs WHERE community = ? AND state IN (?, ?)",
            (community, SENT, FAILED),
        )
        return _when(value)

    async def due_runs(self, now: datetime) -> list[Run]:
        rows = await self.db.fetch_all(
            "SELECT id, community, due_at, state FROM digest_runs"
            " WHERE state = ? AND due_at <= ? ORDER BY due_at, id",
            (PENDING, to_db(now)),
        )
        return [Run(r[0], r[1], from_db(r[2]), r[3]) for r in rows]

    async def plan_run(self, community: str, due: datetime, now: datetime) -> None:
        """Make ``due`` the community's one pending digest (a cancelled row for the same time
        comes back; a sent or skipped one never does)."""
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE digest_runs SET state = ?, done_at = ? WHERE community = ? AND state = ?"
                " AND due_at != ?",
                (CANCELLED, to_db(now), community, PENDING, to_db(due)),
            )
            await self.db.execute(
                "INSERT INTO digest_runs (community, due_at, state, created_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (community, due_at) DO UPDATE"
                " SET state = excluded.state, done_at = NULL WHERE digest_runs.state = ?",
                (community, to_db(due), PENDING, to_db(now), CANCELLED),
            )

    async def cancel_runs(self, community: str, now: datetime) -> int:
        return await self.db.execute(
            "UPDATE digest_runs SET state = ?, done_at = ? WHERE community = ? AND state = ?",
            (CANCELLED, to_db(now), community, PENDING),
        )

    async def claim_run(self, run: int, now: datetime, channel: str) -> bool:
        """Mark a pending digest sent; False when another sweep (or an earlier life of the
        bot) already did. Done before sending: a crash loses one digest, never repeats one."""
        row = await self.db.fetch_one(
            "UPDATE digest_runs SET state = ?, done_at = ?, channel = ? WHERE id = ? AND state = ?"
            " RETURNING id",
            (SENT, to_db(now), channel, run, PENDING),
        )
        return row is not None

    async def finish_run(self, run: int, message: str | None) -> None:
        if message is None:
            await self.db.execute("UPDATE digest_runs SET state = ? WHERE id = ?", (FAILED, run))
        else:
            await self.db.execute("UPDATE digest_runs SET message = ? WHERE id = ?", (message, run))

    async def skip_run(self, run: int, now: datetime) -> bool:
        row = await self.db.fetch_one(
            "UPDATE digest_runs SET state = ?, done_at = ? WHERE id = ? AND state = ? RETURNING id",
            (SKIPPED, to_db(now), run, PENDING),
        )
        return row is not None

    # --- nudges -------------------------------------------------------------------------

    async def add_nudge(
        self, community: str, user: str, kind: str, due: datetime, now: datetime
    ) -> bool:
        """Plan a nudge; False when one of that kind already waits for them."""
        row = await self.db.fetch_one(
            "INSERT INTO digest_nudges (community, user_id, kind, due_at, state, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (community, user_id, kind) WHERE state = 'pending' DO NOTHING"
            " RETURNING id",
            (community, user, kind, to_db(due), PENDING, to_db(now)),
        )
        return row is not None

    async def due_nudges(self, now: datetime, limit: int = 500) -> list[Nudge]:
        rows = await self.db.fetch_all(
            "SELECT id, community, user_id, kind, due_at FROM digest_nudges"
            " WHERE state = ? AND due_at <= ? ORDER BY due_at, id LIMIT ?",
            (PENDING, to_db(now), limit),
        )
        return [Nudge(r[0], r[1], r[2], r[3], from_db(r[4])) for r in rows]

    async def postpone_nudges(self, ids: Sequence[int], until: datetime) -> None:
        await self.db.execute_many(
            "UPDATE digest_nudges SET due_at = ? WHERE id = ? AND state = ?",
            [(to_db(until), nudge, PENDING) for nudge in ids],
        )

    async def claim_nudge(self, nudge: int, now: datetime) -> bool:
        """Mark a pending nudge sent before it goes out (never twice, even across a crash)."""
        row = await self.db.fetch_one(
            "UPDATE digest_nudges SET state = ?, sent_at = ? WHERE id = ? AND state = ?"
            " RETURNING id",
            (SENT, to_db(now), nudge, PENDING),
        )
        return row is not None

    async def fail_nudge(self, nudge: int) -> None:
        await self.db.execute("UPDATE digest_nudges SET state = ? WHERE id = ?", (FAILED, nudge))

    async def skip_nudge(self, nudge: int) -> None:
        await self.db.execute(
            "UPDATE digest_nudges SET state = ? WHERE id = ? AND state = ?",
            (SKIPPED, nudge, PENDING),
        )

    async def skip_pending(self, community: str, user: str) -> None:
        await self.db.execute(
            "UPDATE digest_nudges SET state = ? WHERE community = ? AND user_id = ? AND state = ?",
            (SKIPPED, community, user, PENDING),
        )

    async def sent_since(self, community: str, since: datetime) -> int:
        """Private nudges sent to this community since ``since`` (the hourly cap)."""
        return await self.db.fetch_value(
            "SELECT COUNT(*) FROM digest_nudges WHERE community = ? AND sent_at >= ?",
            (community, to_db(since)),
        )

    async def reengage_facts(
        self, community: str, silent_from: datetime, silent_to: datetime
    ) -> list[MemberFacts]:
        """Members whose last message falls in [silent_from, silent_to], with their nudges."""
        rows = await self.db.fetch_all(
            "SELECT m.user_id, m.is_bot, m.message_count, m.last_message_at, m.left_at,"
            " m.last_joined_at,"
            " (SELECT MAX(n.sent_at) FROM digest_nudges n WHERE n.community = m.community"
            "  AND n.user_id = m.user_id AND n.kind = ? AND n.state = ?) AS last_nudged,"
            " EXISTS (SELECT 1 FROM digest_optouts o WHERE o.community = m.community"
            "  AND o.user_id = m.user_id) AS opted_out,"
            " EXISTS (SELECT 1 FROM digest_nudges p WHERE p.community = m.community"
            "  AND p.user_id = m.user_id AND p.kind = ? AND p.state = ?) AS waiting"
            " FROM members m WHERE m.community = ? AND m.last_message_at >= ?"
            " AND m.last_message_at <= ? ORDER BY m.last_message_at, m.user_id",
            (REENGAGE, SENT, REENGAGE, PENDING, community, to_db(silent_from), to_db(silent_to)),
        )
        facts = []
        for row in rows:
            left, joined = _when(row["left_at"]), _when(row["last_joined_at"])
            facts.append(
                MemberFacts(
                    user=row["user_id"],
                    is_bot=bool(row["is_bot"]),
                    is_member=left is None or (joined is not None and joined > left),
                    message_count=row["message_count"],
                    last_message_at=_when(row["last_message_at"]),
                    last_nudged_at=_when(row["last_nudged"]),
                    opted_out=bool(row["opted_out"]),
                    waiting=bool(row["waiting"]),
                )
            )
        return facts

    # --- opting out -----------------------------------------------------------------------

    async def opt_out(self, community: str, user: str, now: datetime) -> bool:
        """True when this changed something (they had not opted out yet)."""
        async with self.db.transaction():
            row = await self.db.fetch_one(
                "INSERT INTO digest_optouts (community, user_id, at) VALUES (?, ?, ?)"
                " ON CONFLICT (community, user_id) DO NOTHING RETURNING user_id",
                (community, user, to_db(now)),
            )
            await self.skip_pending(community, user)
        return row is not None

    async def opt_in(self, community: str, user: str) -> bool:
        return (
            await self.db.execute(
                "DELETE FROM digest_optouts WHERE community = ? AND user_id = ?",
                (community, user),
            )
            > 0
        )

    async def opted_out(self, community: str, user: str) -> bool:
        row = await self.db.fetch_one(
            "SELECT 1 FROM digest_optouts WHERE community = ? AND user_id = ?", (community, user)
        )
        return row is not None

    # --- moderator flags ---------------------------------------------------------------------

    async def flag(self, community: str, kind: str, refs: Iterable[str], now: datetime) -> set[str]:
        """Record what moderators are about to be told; return the refs that are new."""
        new = set()
        async with self.db.transaction():
            for ref in refs:
                row = await self.db.fetch_one(
                    "INSERT INTO digest_flags (community, kind, ref, flagged_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (community, kind, ref) DO NOTHING"
                    " RETURNING ref",
                    (community, kind, ref, to_db(now)),
                )
                if row is not None:
                    new.add(ref)
        return new

    # --- activity -----------------------------------------------------------------------------

    async def add_activity(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """(community, day, user, channel) rows, in one transaction."""
        async with self.db.transaction():
            await self.db.execute_many(
                "INSERT INTO digest_activity (community, day, user_id, channel) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (community, day, user_id, channel) DO NOTHING",
                list(rows),
            )

    async def active_between(self, community: str, first_day: str, end_day: str) -> int:
        """People who posted on a local day in [first_day, end_day)."""
        return await self.db.fetch_value(
            "SELECT COUNT(DISTINCT user_id) FROM digest_activity"
            " WHERE community = ? AND day >= ? AND day < ?",
            (community, first_day, end_day),
        )

    async def usual_channels(self, community: str, user: str, limit: int = 3) -> list[str]:
        """The channels ``user`` posted in on the most days, most first."""
        rows = await self.db.fetch_all(
            "SELECT channel, COUNT(*) AS days FROM digest_activity"
            " WHERE community = ? AND user_id = ? GROUP BY channel"
            " ORDER BY days DESC, channel LIMIT ?",
            (community, user, limit),
        )
        return [r[0] for r in rows]

    async def prune_activity(self, community: str, before_day: str) -> None:
        await self.db.execute(
            "DELETE FROM digest_activity WHERE community = ? AND day < ?", (community, before_day)
        )

    # --- the core's tables, read only ---------------------------------------------------------

    async def community_name(self, community: str) -> str:
        return (
            await self.db.fetch_value("SELECT name FROM communities WHERE id = ?", (community,))
            or ""
        )

    async def new_members(self, community: str, since: datetime, until: datetime) -> NewMembers:
        """First-time members who joined in [since, until), and how many of them posted."""
        row = await self.db.fetch_one(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN first_message_at IS NOT NULL"
            " THEN 1 ELSE 0 END), 0) FROM members WHERE community = ? AND is_bot = 0"
            " AND last_joined_at >= ? AND first_joined_at >= ? AND first_joined_at < ?",
            (community, to_db(since), to_db(since), to_db(until)),
        )
        return NewMembers(row[0], row[1])

    # --- personal data ----------------------------------------------------------------------------

    async def delete_user(self, community: str, user: str) -> None:
        async with self.db.transaction():
            for table in ("digest_nudges", "digest_optouts", "digest_activity"):
                await self.db.execute(
                    f"DELETE FROM {table} WHERE community = ? AND user_id = ?", (community, user)
                )

    async def export_user(self, community: str, user: str) -> dict[str, Any]:
        nudges = await self.db.fetch_all(
            "SELECT kind, state, due_at, sent_at FROM digest_nudges"
            " WHERE community = ? AND user_id = ? ORDER BY due_at, id",
            (community, user),
        )
        activity = await self.db.fetch_all(
            "SELECT day, channel FROM digest_activity WHERE community = ? AND user_id = ?"
            " ORDER BY day, channel",
            (community, user),
        )
        return {
            "nudges_off": await self.opted_out(community, user),
            "nudges": [
                {"kind": r[0], "state": r[1], "due_at": r[2], "sent_at": r[3]} for r in nudges
            ],
            "active_days_recorded": len({row[0] for row in activity}),
            "activity": [{"day": row[0], "channel": row[1]} for row in activity],
        }
