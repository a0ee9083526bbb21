"""The missions cog's SQL. Portable statements only (ON CONFLICT, RETURNING).

Methods that change several rows expect the caller to hold ``db.transaction()`` when
they must go together with other writes (a contribution, its total and its notices).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.database import Database, Row
from bot.messages import MessageRef
from bot.timeutil import from_db, to_db
from cogs.missions.model import ARCHIVED, LIVE, Contribution, Contributor, Mission


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything a moderator decides when creating a mission."""

    community: str
    name: str
    name_key: str
    goal: str
    target: int
    stretch: int | None
    unit: str
    counting: str
    count_channels: tuple[str, ...]
    channel: str
    role: str | None
    daily_cap: int | None
    starts_at: datetime
    deadline: datetime
    state: str
    created_by: str
    created_at: datetime


def _when(value: str | None) -> datetime | None:
    return None if value is None else from_db(value)


def _mission(row: Row) -> Mission:
    post = None
    if row["post_id"] is not None:
        post = MessageRef(row["community"], row["post_channel"], row["post_id"], row["post_thread"])
    return Mission(
        id=row["id"],
        community=row["community"],
        name=row["name"],
        goal=row["goal"],
        target=row["target"],
        stretch=row["stretch"],
        unit=row["unit"],
        counting=row["counting"],
        count_channels=tuple(json.loads(row["count_channels"])),
        channel=row["channel"],
        role=row["role"],
        daily_cap=row["daily_cap"],
        starts_at=from_db(row["starts_at"]),
        deadline=from_db(row["deadline"]),
        state=row["state"],
        outcome=row["outcome"],
        total=row["total"],
        reached_at=_when(row["reached_at"]),
        finished_at=_when(row["finished_at"]),
        cancel_reason=row["cancel_reason"],
        post=post,
        created_by=row["created_by"],
    )


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
        removed_at=_when(row["removed_at"]),
    )


_LIVE = "('" + "', '".join(LIVE) + "')"

#: Columns ``/mission edit`` may change.
EDITABLE = frozenset(
    {
        "name",
        "name_key",
        "goal",
        "target",
        "stretch",
        "unit",
        "count_channels",
        "channel",
        "role",
        "daily_cap",
    }
)


class MissionStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # In-memory hints that a sweep may find something, so that idle rounds of the
        # refresh job cost no query. The database flags stay the truth; the hints start
        # True so that the first round after a restart looks.
        self._posts_changed = True
        self._earners_changed = True

    # --- missions -------------------------------------------------------------------------

    async def create(self, plan: Plan) -> Mission:
        row = await self.db.fetch_one(
            "INSERT INTO missions (community, name, name_key, goal, target, stretch, unit,"
            " counting, count_channels, channel, role, daily_cap, starts_at, deadline, state,"
            " created_by, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
            (
                plan.community,
                plan.name,
                plan.name_key,
                plan.goal,
                plan.target,
                plan.stretch,
                plan.unit,
                plan.counting,
                json.dumps(list(plan.count_channels)),
                plan.channel,
                plan.role,
                plan.daily_cap,
                to_db(plan.starts_at),
                to_db(plan.deadline),
                plan.state,
                plan.created_by,
                to_db(plan.created_at),
            ),
        )
        return _mission(row)

    async def get(self, mission_id: int) -> Mission | None:
        row = await self.db.fetch_one("SELECT * FROM missions WHERE id = ?", (mission_id,))
        return None if row is None else _mission(row)

    async def live_by_key(self, community: str, name_key: str) -> Mission | None:
        row = await self.db.fetch_one(
            f"SELECT * FROM missions WHERE community = ? AND name_key = ? AND state IN {_LIVE}",
            (community, name_key),
        )
        return None if row is None else _mission(row)

    async def latest_by_key(self, community: str, name_key: str) -> Mission | None:
        """The live mission with that name, else the one that finished last."""
        row = await self.db.fetch_one(
            "SELECT * FROM missions WHERE community = ? AND name_key = ?"
            " ORDER BY CASE WHEN state = 'archived' THEN 1 ELSE 0 END,"
            " finished_at DESC, id DESC LIMIT 1",
            (community, name_key),
        )
        return None if row is None else _mission(row)

    async def in_state(self, community: str, *states: str) -> list[Mission]:
        marks = ", ".join("?" for _ in states)
        rows = await self.db.fetch_all(
            f"SELECT * FROM missions WHERE community = ? AND state IN ({marks})"
            " ORDER BY deadline, id",
            (community, *states),
        )
        return [_mission(r) for r in rows]

    async def past(self, community: str, limit: int) -> list[Mission]:
        rows = await self.db.fetch_all(
            "SELECT * FROM missions WHERE community = ? AND state = ?"
            " ORDER BY finished_at DESC, id DESC LIMIT ?",
            (community, ARCHIVED, limit),
        )
        return [_mission(r) for r in rows]

    async def names(self, community: str) -> list[tuple[str, str]]:
        """``(name, state)`` of every mission of the community, live ones first."""
        rows = await self.db.fetch_all(
            "SELECT name, state FROM missions WHERE community = ?"
            " ORDER BY CASE WHEN state = 'archived' THEN 1 ELSE 0 END, id DESC",
            (community,),
        )
        return [(r[0], r[1]) for r in rows]

    async def active_automatic(self) -> list[Mission]:
        """Active missions that count activity, in every community (the listeners' index)."""
        rows = await self.db.fetch_all(
            "SELECT * FROM missions WHERE state = 'active' AND counting <> 'manual'"
        )
        return [_mission(r) for r in rows]

    async def update(self, mission_id: int, **changes: Any) -> None:
        unknown = set(changes) - EDITABLE
        if unknown:
            raise KeyError(f"missions cannot edit {sorted(unknown)}")
        if "count_channels" in changes:
            changes["count_channels"] = json.dumps(list(changes["count_channels"]))
        assignments = ", ".join(f"{column} = ?" for column in changes)
        await self.db.execute(
            f"UPDATE missions SET {assignments}, post_dirty = 1 WHERE id = ?",
            (*changes.values(), mission_id),
        )
        self._posts_changed = True
        self._earners_changed = self._earners_changed or "role" in changes

    async def set_deadline(self, mission_id: int, deadline: datetime) -> None:
        await self.db.execute(
            "UPDATE missions SET deadline = ?, post_dirty = 1 WHERE id = ?",
            (to_db(deadline), mission_id),
        )
        self._posts_changed = True

    async def activate(self, mission_id: int) -> bool:
        row = await self.db.fetch_one(
            "UPDATE missions SET state = 'active', post_dirty = 1"
            " WHERE id = ? AND state = 'upcoming' RETURNING id",
            (mission_id,),
        )
        self._posts_changed = True
        return row is not None

    async def archive(
        self, mission_id: int, outcome: str, now: datetime, reason: str | None = None
    ) -> bool:
        """Archive a live mission; False when it already was (someone else got there first)."""
        row = await self.db.fetch_one(
            "UPDATE missions SET state = 'archived', outcome = ?, finished_at = ?,"
            f" cancel_reason = ?, post_dirty = 1 WHERE id = ? AND state IN {_LIVE} RETURNING id",
            (outcome, to_db(now), reason, mission_id),
        )
        self._posts_changed = True
        return row is not None

    async def add_to_total(self, mission_id: int, delta: int) -> int:
        self._posts_changed = True
        return await self.db.fetch_value(
            "UPDATE missions SET total = total + ?, post_dirty = 1 WHERE id = ? RETURNING total",
            (delta, mission_id),
        )

    async def mark_reached(self, mission_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE missions SET reached_at = ? WHERE id = ? AND reached_at IS NULL",
            (to_db(now), mission_id),
        )

    async def set_post(self, mission_id: int, ref: MessageRef) -> None:
        await self.db.execute(
            "UPDATE missions SET post_channel = ?, post_id = ?, post_thread = ? WHERE id = ?",
            (ref.channel, ref.id, ref.thread, mission_id),
        )

    async def claim_dirty_posts(self) -> list[Mission]:
        """Missions whose post needs an edit, flag cleared in the same statement: a change
        that lands while the edit is on its way sets the flag again for the next round."""
        if not self._posts_changed:
            return []
        self._posts_changed = False
        rows = await self.db.fetch_all(
            "UPDATE missions SET post_dirty = 0 WHERE post_dirty = 1 RETURNING *"
        )
        return [_mission(r) for r in rows]

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

    async def is_participant(self, mission_id: int, user: str) -> bool:
        row = await self.db.fetch_one(
            "SELECT 1 FROM mission_participants WHERE mission_id = ? AND user_id = ?",
            (mission_id, user),
        )
        return row is not None

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

    # --- notices --------------------------------------------------------------------------

    async def decide(self, mission_id: int, key: str, now: datetime) -> bool:
        """Record that ``key`` will be announced; False when it already was decided."""
        row = await self.db.fetch_one(
            "INSERT INTO mission_notices (mission_id, key, decided_at) VALUES (?, ?, ?)"
            " ON CONFLICT (mission_id, key) DO NOTHING RETURNING id",
            (mission_id, key, to_db(now)),
        )
        return row is not None

    async def is_unsent(self, mission_id: int, key: str) -> bool:
        row = await self.db.fetch_one(
            "SELECT 1 FROM mission_notices WHERE mission_id = ? AND key = ? AND sent_at IS NULL",
            (mission_id, key),
        )
        return row is not None

    async def mark_sent(self, mission_id: int, key: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE mission_notices SET sent_at = ? WHERE mission_id = ? AND key = ?",
            (to_db(now), mission_id, key),
        )

    async def decided(self, mission_id: int) -> set[str]:
        rows = await self.db.fetch_all(
            "SELECT key FROM mission_notices WHERE mission_id = ?", (mission_id,)
        )
        return {r[0] for r in rows}

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
