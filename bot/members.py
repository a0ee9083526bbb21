"""The members registry: when each person joined, left, first and last posted, how often.

Joins and leaves are rare and written at once. Message activity is the hot path:
it is counted in memory and flushed in one transaction every few seconds and at
shutdown, never written per message. Reads merge the unflushed counts, including
those a flush is writing at that moment; a flush that fails keeps them for the next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.database import Database
from bot.timeutil import from_db, to_db


@dataclass(frozen=True, slots=True)
class MemberRecord:
    community: str
    user: str
    name: str = ""
    is_bot: bool = False
    first_joined_at: datetime | None = None
    last_joined_at: datetime | None = None
    left_at: datetime | None = None
    first_message_at: datetime | None = None
    last_message_at: datetime | None = None
    message_count: int = 0

    @property
    def is_member(self) -> bool:
        return self.left_at is None or (
            self.last_joined_at is not None and self.last_joined_at > self.left_at
        )


@dataclass(slots=True)
class _Activity:
    name: str
    count: int
    first_at: datetime
    last_at: datetime


def _when(value: str | None) -> datetime | None:
    return None if value is None else from_db(value)


class MembersRegistry:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._pending: dict[tuple[str, str], _Activity] = {}
        self._flushing: list[dict[tuple[str, str], _Activity]] = []  # being written now

    async def record_join(
        self, community: str, user: str, name: str, is_bot: bool, at: datetime
    ) -> MemberRecord | None:
        """Record a join; return the record as it was before (None for a first-time member)."""
        before = await self.get(community, user)
        await self._db.execute(
            "INSERT INTO members (community, user_id, name, is_bot, first_joined_at, last_joined_at)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (community, user_id) DO UPDATE SET name = excluded.name,"
            " is_bot = excluded.is_bot, last_joined_at = excluded.last_joined_at, left_at = NULL,"
            " first_joined_at = COALESCE(members.first_joined_at, excluded.first_joined_at)",
            (community, user, name, int(is_bot), to_db(at), to_db(at)),
        )
        return before

    async def record_leave(self, community: str, user: str, at: datetime) -> None:
        await self._db.execute(
            "INSERT INTO members (community, user_id, left_at) VALUES (?, ?, ?)"
            " ON CONFLICT (community, user_id) DO UPDATE SET left_at = excluded.left_at",
            (community, user, to_db(at)),
        )

    async def record_seen(self, community: str, user: str) -> None:
        """Note someone the platform says is a member, though Hearth saw no join or post of
        theirs (they were here before it came), so later checks need not ask again. Adds a
        row only when there is none, without a join time: a later join is still their first."""
        await self._db.execute(
            "INSERT INTO members (community, user_id) VALUES (?, ?)"
            " ON CONFLICT (community, user_id) DO NOTHING",
            (community, user),
        )

    def record_message(self, community: str, user: str, name: str, at: datetime) -> None:
        """Count a message in memory (no I/O: this runs for every message)."""
        activity = self._pending.get((community, user))
        if activity is None:
            self._pending[(community, user)] = _Activity(name, 1, at, at)
        else:
            activity.count += 1
            activity.last_at = at
            if name:
                activity.name = name

    async def flush(self) -> int:
        """Write the buffered activity in one transaction; return how many people it touched."""
        if not self._pending:
            return 0
        pending, self._pending = self._pending, {}
        self._flushing.append(pending)
        try:
            await self._write(pending)
        except BaseException:
            for key, activity in pending.items():
                self._pending[key] = _merged(activity, self._pending.get(key))
            raise
        finally:
            self._flushing.remove(pending)
        return len(pending)

    async def _write(self, pending: dict[tuple[str, str], _Activity]) -> None:
        async with self._db.transaction():  # rows read once it is our turn: after any forget
            rows = [
                (c, u, a.name, a.count, to_db(a.first_at), to_db(a.last_at))
                for (c, u), a in pending.items()
            ]
            await self._db.execute_many(
                "INSERT INTO members (community, user_id, name, message_count,"
                " first_message_at, last_message_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (community, user_id) DO UPDATE SET"
                " name = CASE WHEN excluded.name = '' THEN members.name ELSE excluded.name END,"
                " message_count = members.message_count + excluded.message_count,"
                " first_message_at = COALESCE(members.first_message_at, excluded.first_message_at),"
                " last_message_at = excluded.last_message_at",
                rows,
            )

    async def get(self, community: str, user: str) -> MemberRecord | None:
        row = await self._db.fetch_one(
            "SELECT * FROM members WHERE community = ? AND user_id = ?", (community, user)
        )
        record = None if row is None else _record(row)
        activity = None
        for batch in [*self._flushing, self._pending]:  # oldest first
            later = batch.get((community, user))
            if later is not None:
                activity = later if activity is None else _merged(activity, later)
        if activity is None:
            return record
        record = record or MemberRecord(community, user, activity.name)
        return replace(
            record,
            message_count=record.message_count + activity.count,
            first_message_at=record.first_message_at or activity.first_at,
            last_message_at=activity.last_at,
        )

    async def count(self, community: str) -> int:
        return await self._db.fetch_value(
            "SELECT COUNT(*) FROM members WHERE community = ? AND is_bot = 0"
            " AND (left_at IS NULL OR last_joined_at > left_at)",
            (community,),
        )

    async def delete(self, community: str, user: str) -> None:
        for batch in [*self._flushing, self._pending]:  # a failed flush must not bring them back
            batch.pop((community, user), None)
        await self._db.execute(
            "DELETE FROM members WHERE community = ? AND user_id = ?", (community, user)
        )

    async def export(self, community: str, user: str) -> dict[str, object]:
        record = await self.get(community, user)
        if record is None:
            return {}
        return {
            "name": record.name,
            "first_joined_at": record.first_joined_at and record.first_joined_at.isoformat(),
            "last_joined_at": record.last_joined_at and record.last_joined_at.isoformat(),
            "left_at": record.left_at and record.left_at.isoformat(),
            "first_message_at": record.first_message_at and record.first_message_at.isoformat(),
            "last_message_at": record.last_message_at and record.last_message_at.isoformat(),
            "message_count": record.message_count,
        }


def _merged(earlier: _Activity, later: _Activity | None) -> _Activity:
    """The activity of ``earlier`` followed by ``later`` (counted after it), as one."""
    if later is None:
        return earlier
    return _Activity(
        later.name or earlier.name, earlier.count + later.count, earlier.first_at, later.last_at
    )


def _record(row) -> MemberRecord:
    return MemberRecord(
        community=row["community"],
        user=row["user_id"],
        name=row["name"],
        is_bot=bool(row["is_bot"]),
        first_joined_at=_when(row["first_joined_at"]),
        last_joined_at=_when(row["last_joined_at"]),
        left_at=_when(row["left_at"]),
        first_message_at=_when(row["first_message_at"]),
        last_message_at=_when(row["last_message_at"]),
        message_count=row["message_count"],
    )
