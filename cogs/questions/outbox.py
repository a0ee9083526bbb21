"""The outbox: messages the sweep decided to send, kept until the platform accepts them.

Rows are written in the same transaction as the state change they announce (see
``sweep``), so a restart sends what is left and decides nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.database import Database
from bot.timeutil import to_db


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    community: str
    kind: str
    channel: str | None
    thread: str | None
    user: str | None
    message: str
    attempts: int


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        community: str,
        kind: str,
        message: str,
        now: datetime,
        *,
        channel: str | None = None,
        thread: str | None = None,
        user: str | None = None,
    ) -> None:
        await self.db.execute(
            "INSERT INTO questions_outbox (community, kind, channel, thread, user_id, message,"
            " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (community, kind, channel, thread, user, message, to_db(now), to_db(now)),
        )

    async def due(self, now: datetime, limit: int = 100) -> list[OutboxEntry]:
        rows = await self.db.fetch_all(
            "SELECT * FROM questions_outbox WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id"
            " LIMIT ?",
            (to_db(now), limit),
        )
        return [
            OutboxEntry(
                r["id"],
                r["community"],
                r["kind"],
                r["channel"],
                r["thread"],
                r["user_id"],
                r["message"],
                r["attempts"],
            )
            for r in rows
        ]

    async def sent(self, entry: int) -> None:
        await self.db.execute("DELETE FROM questions_outbox WHERE id = ?", (entry,))

    async def retry(self, entry: int, attempts: int, at: datetime) -> None:
        await self.db.execute(
            "UPDATE questions_outbox SET attempts = ?, next_attempt_at = ? WHERE id = ?",
            (attempts, to_db(at), entry),
        )
