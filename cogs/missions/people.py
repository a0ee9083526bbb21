"""The missions cog's SQL about people: contributions, participants, earners, privacy.

Mixed into ``MissionStore``; portable statements only (ON CONFLICT, RETURNING).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.database import Database, Row
from bot.timeutil import from_db, to_db
from cogs.missions.model import Contribution, Contributor, Mission


def optional_time(value: str | None) -> datetime | None:
    return None if value is None else from_db(value)


def _contribution(row: Row) -> Contribution:
    return Contribution(
        id=row["id"],
        mission_id=row["mission_id"],
        community=row["community"],
        user=row["user_id"],
        amount=row["amount"],
        source=row["source"],
        note=row["note"],
        at=from_db(row["at"]),
        removed_at=optional_time(row["removed_at"]),
    )


class PeopleQueries:
    db: Database
    _earners_changed: bool

    # --- contributions --------------------------------------------------------------------

    async def add_contribution(
        self,
        mission: Mission,
        user: str,
        amount: int,
        source: str,
        note: str | None,
        now: datetime,
    ) -> int:
        return await self.db.fetch_value(
            "INSERT INTO mission_contributions (mission_id, community, user_id, amount, source,"
            " note, at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (mission.id, mission.community, user, amount, source, note, to_db(now)),
        )

    async def contribution(self, contribution_id: int) -> Contribution | None:
        row = await self.db.fetch_one(
            "SELECT * FROM mission_contributions WHERE id = ?", (contribution_id,)
        )
        return None if row is None else _contribution(row)

    async def last_contribution(
        self, community: str, user: str, mission_id: int | None = None, *, typed: bool = False
    ) -> Contribution | None:
        """The person's most recent contribution that still counts (in one mission, or any;
        ``typed``: only those they made by command or button, not counted from activity)."""
        sql = (
            "SELECT * FROM mission_contributions WHERE community = ? AND user_id = ?"
            " AND removed_at IS NULL"
        )
        params: tuple[Any, ...] = (community, user)
        if mission_id is not None:
            sql += " AND mission_id = ?"
            params += (mission_id,)
        if typed:
            sql += " AND source IN ('manual', 'button')"
        row = await self.db.fetch_one(sql + " ORDER BY at DESC, id DESC LIMIT 1", params)
        return None if row is None else _contribution(row)

    async def remove_contribution(
        self, contribution_id: int, by: str, reason: str, now: datetime
    ) -> bool:
        row = await self.db.fetch_one(
            "UPDATE mission_contributions SET removed_at = ?, removed_by = ?, removed_reason = ?"
            " WHERE id = ? AND removed_at IS NULL RETURNING id",
            (to_db(now), by, reason, contribution_id),
        )
        return row is not None

    async def used_since(self, mission_id: int, user: str, since: datetime) -> int:
        return await self.db.fetch_value(
            "SELECT COALESCE(SUM(amount), 0) FROM mission_contributions"
            " WHERE mission_id = ? AND user_id = ? AND at >= ? AND removed_at IS NULL",
            (mission_id, user, to_db(since)),
        )

    async def contributors(self, mission_id: int, limit: int | None = None) -> list[Contributor]:
        """People by what they added, most first (ties: who started earlier)."""
        sql = (
            "SELECT user_id, SUM(amount) AS amount FROM mission_contributions"
            " WHERE mission_id = ? AND removed_at IS NULL AND user_id IS NOT NULL"
            " GROUP BY user_id ORDER BY amount DESC, MIN(at), user_id"
        )
        params: tuple[Any, ...] = (mission_id,)
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        rows = await self.db.fetch_all(sql, params)
        return [Contributor(r[0], r[1]) for r in rows]

    async def contributor_count(self, mission_id: int) -> int:
        return await self.db.fetch_value(
            "SELECT COUNT(DISTINCT user_id) FROM mission_contributions"
            " WHERE mission_id = ? AND removed_at IS NULL AND user_id IS NOT NULL",
            (mission_id,),
        )

    async def person_total(self, mission_id: int, user: str) -> int:
        return await self.db.fetch_value(
            "SELECT COALESCE(SUM(amount), 0) FROM mission_contributions"
            " WHERE mission_id = ? AND user_id = ? AND removed_at IS NULL",
            (mission_id, user),
        )

    # --- participants and earners -----------------------------------------------------------

    async def join(self, mission: Mission, user: str, now: datetime) -> bool:
        row = await self.db.fetch_one(
            "INSERT INTO mission_participants (mission_id, community, user_id, joined_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (mission_id, user_id) DO NOTHING RETURNING user_id",
            (mission.id, mission.community, user, to_db(now)),
        )
        return row is not None

    async def leave(self, mission_id: int, user: str) -> bool:
        return (
            await self.db.execute(
                "DELETE FROM mission_participants WHERE mission_id = ? AND user_id = ?",
                (mission_id, user),
            )
            > 0
        )

    async def participants(self, mission_id: int) -> list[str]:
        rows = await self.db.fetch_all(
            "SELECT user_id FROM mission_participants WHERE mission_id = ? ORDER BY joined_at",
            (mission_id,),
        )
        return [r[0] for r in rows]

    async def joined_missions(self, community: str, user: str) -> set[int]:
        rows = await self.db.fetch_all(
            "SELECT mission_id FROM mission_participants WHERE community = ? AND user_id = ?",
            (community, user),
        )
        return {r[0] for r in rows}

    async def add_earners(self, mission: Mission, users: list[str], now: datetime) -> None:
        self._earners_changed = True
        await self.db.execute_many(
            "INSERT INTO mission_earners (mission_id, community, user_id, earned_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (mission_id, user_id) DO NOTHING",
            [(mission.id, mission.community, user, to_db(now)) for user in users],
        )

    async def earners(self, mission_id: int) -> list[str]:
        rows = await self.db.fetch_all(
            "SELECT user_id FROM mission_earners WHERE mission_id = ? ORDER BY earned_at, user_id",
            (mission_id,),
        )
        return [r[0] for r in rows]

    async def ungranted_roles(self) -> list[Row]:
        """Earners still waiting for the mission's role (an indexed sweep)."""
        if not self._earners_changed:
            return []
        self._earners_changed = False
        return await self.db.fetch_all(
            "SELECT e.mission_id, e.user_id, m.community, m.role, m.name"
            " FROM mission_earners e JOIN missions m ON m.id = e.mission_id"
            " WHERE e.role_granted_at IS NULL AND m.role IS NOT NULL"
        )

    async def mark_granted(self, mission_id: int, user: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE mission_earners SET role_granted_at = ? WHERE mission_id = ? AND user_id = ?",
            (to_db(now), mission_id, user),
        )

    # --- privacy --------------------------------------------------------------------------

    async def forget(self, community: str, user: str) -> None:
        """Anonymise, not delete: amounts stay (totals and outcomes are history), the person's
        id and their notes go; their memberships and earned recognition are removed."""
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE mission_contributions SET user_id = NULL, note = NULL"
                " WHERE community = ? AND user_id = ?",
                (community, user),
            )
            await self.db.execute(
                "UPDATE mission_contributions SET removed_by = NULL"
                " WHERE community = ? AND removed_by = ?",
                (community, user),
            )
            await self.db.execute(
                "DELETE FROM mission_participants WHERE community = ? AND user_id = ?",
                (community, user),
            )
            await self.db.execute(
                "DELETE FROM mission_earners WHERE community = ? AND user_id = ?",
                (community, user),
            )
            await self.db.execute(
                "UPDATE missions SET created_by = NULL WHERE community = ? AND created_by = ?",
                (community, user),
            )

    async def export(self, community: str, user: str) -> dict[str, Any]:
        contributions = await self.db.fetch_all(
            "SELECT c.*, m.name AS mission FROM mission_contributions c"
            " JOIN missions m ON m.id = c.mission_id"
            " WHERE c.community = ? AND c.user_id = ? ORDER BY c.at, c.id",
            (community, user),
        )
        joined = await self.db.fetch_all(
            "SELECT m.name, p.joined_at FROM mission_participants p"
            " JOIN missions m ON m.id = p.mission_id WHERE p.community = ? AND p.user_id = ?",
            (community, user),
        )
        earned = await self.db.fetch_all(
            "SELECT m.name, e.earned_at FROM mission_earners e"
            " JOIN missions m ON m.id = e.mission_id WHERE e.community = ? AND e.user_id = ?",
            (community, user),
        )
        created = await self.db.fetch_all(
            "SELECT name, created_at FROM missions WHERE community = ? AND created_by = ?",
            (community, user),
        )
        return {
            "contributions": [
                {
                    "mission": r["mission"],
                    "amount": r["amount"],
                    "source": r["source"],
                    "note": r["note"],
                    "at": r["at"],
                    "removed_at": r["removed_at"],
                    "removed_reason": r["removed_reason"],
                }
                for r in contributions
            ],
            "joined": [{"mission": r[0], "at": r[1]} for r in joined],
            "earned": [{"mission": r[0], "at": r[1]} for r in earned],
            "created": [{"mission": r[0], "at": r[1]} for r in created],
        }
