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
from cogs.missions.model import ARCHIVED, LIVE, Mission
from cogs.missions.people import PeopleQueries, optional_time


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
        reached_at=optional_time(row["reached_at"]),
        finished_at=optional_time(row["finished_at"]),
        cancel_reason=row["cancel_reason"],
        post=post,
        created_by=row["created_by"],
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


class MissionStore(PeopleQueries):
    """All of the cog's SQL: missions and notices here, people in ``PeopleQueries``."""

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

    async def active_automatic(self, community: str | None = None) -> list[Mission]:
        """Active missions that count activity (the listeners' index), oldest first: in
        ``community`` only (by ``missions_by_state``), or in every community."""
        if community is None:
            rows = await self.db.fetch_all(
                "SELECT * FROM missions WHERE state = 'active' AND counting <> 'manual' ORDER BY id"
            )
        else:
            rows = await self.db.fetch_all(
                "SELECT * FROM missions WHERE community = ? AND state = 'active'"
                " AND counting <> 'manual' ORDER BY id",
                (community,),
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
        """An upcoming mission starts (it has no post yet: its post notice makes one)."""
        row = await self.db.fetch_one(
            "UPDATE missions SET state = 'active' WHERE id = ? AND state = 'upcoming' RETURNING id",
            (mission_id,),
        )
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

    async def mark_post_dirty(self, mission_id: int) -> None:
        await self.db.execute("UPDATE missions SET post_dirty = 1 WHERE id = ?", (mission_id,))

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
