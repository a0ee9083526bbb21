"""The core outbox: posts that matter go out, late rather than never, and never twice
by design.

A cog writes a post with ``await bot.outbox.post(...)`` inside the transaction that
decided it, so the post exists exactly when its cause does. The row is delivered by
the core's timers (cog ``hearth``, kind ``outbox``, key = the row id): a timer due now
runs as soon as the runner next looks, and one that fails is scheduled again with
backoff, across restarts. Each post says how late it may still go out (a welcome
within its removal window, an announcement within an hour, a mission post any time);
past that it is dropped and the moderators are told once. When it keeps failing, the
moderator who asked and the moderators' channel are told once, with the fix. Once it
is posted the core emits ``PostDelivered`` so the cog can keep the message's ref.

A crash between the platform accepting a post and the row being marked sent posts it
again after the restart: the one duplicate the outbox cannot rule out.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.database import Database
from bot.messages import Attachment, Button, Field, Message, Progress
from bot.timers import Timers
from bot.timeutil import from_db, to_db

#: The core timer kind that delivers an outbox row.
TIMER_COG, TIMER_KIND = "hearth", "outbox"
#: First retry after this; each next one waits twice as long, up to ``MOST_BETWEEN``.
FIRST_RETRY = timedelta(seconds=30)
MOST_BETWEEN = timedelta(hours=1)
#: After this many failed attempts in a row (or one the platform calls lasting), the
#: moderators hear that a post keeps failing.
WARN_AFTER = 3


@dataclass(frozen=True, slots=True)
class Post:
    """One outbox row."""

    id: int
    community: str
    cog: str
    kind: str
    key: str
    channel: str
    thread: str | None
    message: Message
    label: str
    asked_by: str | None
    created_at: datetime
    expires_at: datetime | None
    attempts: int
    last_error: str | None
    warned: bool
    state: str
    sent_id: str | None

    @property
    def sent(self) -> bool:
        return self.state == "sent"


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failure in a row: 30 s, 1 min, 2 min, …
    up to an hour."""
    return min(MOST_BETWEEN, FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 20))


class Outbox:
    """The rows; the delivering (platform, notices, events) is the Bot's part."""

    def __init__(self, db: Database, timers: Timers) -> None:
        self._db = db
        self._timers = timers

    async def post(
        self,
        community: str,
        channel: str,
        message: Message,
        *,
        cog: str,
        kind: str,
        now: datetime,
        late_after: timedelta | None,
        label: str,
        key: str = "",
        thread: str | None = None,
        asked_by: str | None = None,
    ) -> int:
        """Queue ``message`` for ``channel``; call it inside the transaction that decided it.
        ``late_after``: how long after ``now`` it may still go out (None: any time);
        ``label``: what it is, in words moderators read (“the post of the mission …”).
        A ``key`` names one post: queuing it again (a handler re-run after a crash) returns
        the one already queued, sent or not."""
        expires = None if late_after is None else to_db(now + late_after)
        async with self._db.transaction():
            if key:
                queued = await self.latest(community, cog, kind, key)
                if queued is not None:
                    return queued.id
            row = await self._db.fetch_one(
                "INSERT INTO outbox (community, cog, kind, key, channel, thread, message, label,"
                " asked_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    community,
                    cog,
                    kind,
                    key,
                    channel,
                    thread,
                    message_to_json(message),
                    label,
                    asked_by,
                    to_db(now),
                    expires,
                ),
            )
            await self.schedule(community, row[0], now, now=now)
        return row[0]

    async def schedule(self, community: str, post_id: int, due: datetime, *, now: datetime) -> None:
        await self._timers.schedule(
            community, TIMER_COG, TIMER_KIND, due, now=now, key=str(post_id), replace=True
        )

    async def get(self, post_id: int) -> Post | None:
        row = await self._db.fetch_one("SELECT * FROM outbox WHERE id = ?", (post_id,))
        return None if row is None else _post(row)

    async def latest(self, community: str, cog: str, kind: str, key: str) -> Post | None:
        """The newest post a cog queued under ``key``, whatever became of it."""
        row = await self._db.fetch_one(
            "SELECT * FROM outbox WHERE community = ? AND cog = ? AND kind = ? AND key = ?"
            " ORDER BY id DESC LIMIT 1",
            (community, cog, kind, key),
        )
        return None if row is None else _post(row)

    async def mark_sent(self, post_id: int, message_id: str, now: datetime) -> None:
        await self._db.execute(
            "UPDATE outbox SET state = 'sent', sent_id = ?, sent_at = ?, last_error = NULL"
            " WHERE id = ?",
            (message_id, to_db(now), post_id),
        )

    async def mark_failed(self, post_id: int, error: str, *, warned: bool) -> int:
        """Count a failed attempt; returns how many there were in a row."""
        row = await self._db.fetch_one(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?,"
            " warned = MAX(warned, ?) WHERE id = ? RETURNING attempts",
            (error, int(warned), post_id),
        )
        return 0 if row is None else row[0]

    async def mark_dropped(self, post_id: int, error: str | None) -> None:
        await self._db.execute(
            "UPDATE outbox SET state = 'dropped', last_error = COALESCE(?, last_error)"
            " WHERE id = ?",
            (error, post_id),
        )

    async def prune(self, before: datetime) -> int:
        """Forget posts sent or dropped before ``before`` (pending ones always stay)."""
        return await self._db.execute(
            "DELETE FROM outbox WHERE state IN ('sent', 'dropped') AND created_at < ?",
            (to_db(before),),
        )

    async def delete_for_user(self, community: str, user: str) -> None:
        """Forget posts that name ``user`` (a welcome, a thank-you), sent or not, and who
        asked for the others (those still go out: they are the community's)."""
        async with self._db.transaction():
            await self._db.execute(
                "DELETE FROM outbox WHERE community = ? AND message LIKE ?",
                (community, f"%{user}%"),
            )
            await self._db.execute(
                "UPDATE outbox SET asked_by = NULL WHERE community = ? AND asked_by = ?",
                (community, user),
            )


# --- messages as JSON ----------------------------------------------------------------------


def message_to_json(message: Message) -> str:
    data: dict[str, Any] = asdict(message)
    data["attachments"] = [
        {**a, "data": base64.b64encode(a["data"]).decode("ascii")} for a in data["attachments"]
    ]
    return json.dumps(data, ensure_ascii=False)


def message_from_json(text: str) -> Message:
    data = json.loads(text)
    progress = data.get("progress")
    return Message(
        text=data.get("text", ""),
        title=data.get("title"),
        fields=tuple(Field(**f) for f in data.get("fields", ())),
        progress=None if progress is None else Progress(**progress),
        buttons=tuple(Button(**b) for b in data.get("buttons", ())),
        colour=data.get("colour"),
        footer=data.get("footer"),
        mentions=tuple(data.get("mentions", ())),
        role_mentions=tuple(data.get("role_mentions", ())),
        attachments=tuple(
            Attachment(a["filename"], base64.b64decode(a["data"]), a.get("description", ""))
            for a in data.get("attachments", ())
        ),
    )


def _post(row: Any) -> Post:
    return Post(
        id=row["id"],
        community=row["community"],
        cog=row["cog"],
        kind=row["kind"],
        key=row["key"],
        channel=row["channel"],
        thread=row["thread"],
        message=message_from_json(row["message"]),
        label=row["label"],
        asked_by=row["asked_by"],
        created_at=from_db(row["created_at"]),
        expires_at=None if row["expires_at"] is None else from_db(row["expires_at"]),
        attempts=row["attempts"],
        last_error=row["last_error"],
        warned=bool(row["warned"]),
        state=row["state"],
        sent_id=row["sent_id"],
    )
