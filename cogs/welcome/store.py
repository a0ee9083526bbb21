"""The welcome cog's SQL: steps, progress, newcomers, welcome posts and waves, greeters."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.database import Database, Row
from bot.timeutil import from_db, to_db


@dataclass(frozen=True, slots=True)
class Step:
    id: int
    text: str
    channel: str | None


@dataclass(frozen=True, slots=True)
class Newcomer:
    community: str
    user: str
    joined_at: datetime
    is_returning: bool
    greeter: str | None
    posted_at: datetime | None
    reminder_sent_at: datetime | None
    welcome_channel: str | None
    welcome_message: str | None
    welcome_thread: str | None
    left_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WelcomePost:
    community: str
    message_id: str
    channel: str
    thread: str | None
    newcomer: str
    body: dict[str, Any]
    is_test: bool
    removed: bool


@dataclass(frozen=True, slots=True)
class GreeterRow:
    user: str
    last_greeted_at: datetime | None


def _when(value: str | None) -> datetime | None:
    return None if value is None else from_db(value)


def _newcomer(row: Row) -> Newcomer:
    return Newcomer(
        community=row["community"],
        user=row["user_id"],
        joined_at=from_db(row["joined_at"]),
        is_returning=bool(row["is_returning"]),
        greeter=row["greeter"],
        posted_at=_when(row["posted_at"]),
        reminder_sent_at=_when(row["reminder_sent_at"]),
        welcome_channel=row["welcome_channel"],
        welcome_message=row["welcome_message"],
        welcome_thread=row["welcome_thread"],
        left_at=_when(row["left_at"]),
    )


class WelcomeStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- steps ---------------------------------------------------------------------------

    async def all_steps(self) -> dict[str, list[Step]]:
        rows = await self.db.fetch_all(
            "SELECT community, id, text, channel FROM welcome_steps ORDER BY community, id"
        )
        steps: dict[str, list[Step]] = {}
        for row in rows:
            steps.setdefault(row["community"], []).append(
                Step(row["id"], row["text"], row["channel"])
            )
        return steps

    async def add_step(self, community: str, text: str, channel: str | None, now: datetime) -> Step:
        row = await self.db.fetch_one(
            "INSERT INTO welcome_steps (community, text, channel, created_at)"
            " VALUES (?, ?, ?, ?) RETURNING id",
            (community, text, channel, to_db(now)),
        )
        return Step(row[0], text, channel)

    async def remove_step(self, step_id: int) -> None:
        await self.db.execute("DELETE FROM welcome_steps WHERE id = ?", (step_id,))

    async def done_steps(self, community: str, user: str) -> set[int]:
        rows = await self.db.fetch_all(
            "SELECT step_id FROM welcome_progress WHERE community = ? AND user_id = ?",
            (community, user),
        )
        return {row[0] for row in rows}

    async def mark_done(self, community: str, user: str, step_id: int, now: datetime) -> bool:
        """Tick one step; False when it was already ticked."""
        changed = await self.db.execute(
            "INSERT INTO welcome_progress (community, user_id, step_id, done_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (community, user_id, step_id) DO NOTHING",
            (community, user, step_id, to_db(now)),
        )
        return changed > 0

    async def record_posts(self, seen: list[tuple[str, str, datetime, set[str]]]) -> None:
        """Write buffered newcomer activity: (community, user, first post, channels posted in).

        Ticks channel steps through a join on the steps table, so a step removed since
        the message was seen is simply not ticked. Call inside a transaction."""
        for community, user, first_at, channels in seen:
            await self.db.execute(
                "UPDATE welcome_newcomers SET posted_at = COALESCE(posted_at, ?)"
                " WHERE community = ? AND user_id = ?",
                (to_db(first_at), community, user),
            )
            for channel in sorted(channels):
                await self.db.execute(
                    "INSERT INTO welcome_progress (community, user_id, step_id, done_at)"
                    " SELECT community, ?, id, ? FROM welcome_steps"
                    " WHERE community = ? AND channel = ?"
                    " ON CONFLICT (community, user_id, step_id) DO NOTHING",
                    (user, to_db(first_at), community, channel),
                )

    # --- newcomers -----------------------------------------------------------------------

    async def newcomer(self, community: str, user: str) -> Newcomer | None:
        row = await self.db.fetch_one(
            "SELECT * FROM welcome_newcomers WHERE community = ? AND user_id = ?",
            (community, user),
        )
        return None if row is None else _newcomer(row)

    async def recent_newcomers(self, since: datetime) -> list[Newcomer]:
        """Members who joined at or after ``since`` (uses the joined_at index)."""
        rows = await self.db.fetch_all(
            "SELECT * FROM welcome_newcomers WHERE joined_at >= ?",
            (to_db(since),),
        )
        return [_newcomer(row) for row in rows]

    async def all_progress_since(self, since: datetime) -> dict[tuple[str, str], set[int]]:
        rows = await self.db.fetch_all(
            "SELECT p.community, p.user_id, p.step_id FROM welcome_progress p"
            " JOIN welcome_newcomers n ON n.community = p.community AND n.user_id = p.user_id"
            " WHERE n.joined_at >= ?",
            (to_db(since),),
        )
        done: dict[tuple[str, str], set[int]] = {}
        for row in rows:
            done.setdefault((row[0], row[1]), set()).add(row[2])
        return done

    async def record_join(
        self, community: str, user: str, at: datetime, is_returning: bool, greeter: str | None
    ) -> None:
        """Remember this join (a rejoin replaces the last one, keeping reminder_sent_at)."""
        await self.db.execute(
            "INSERT INTO welcome_newcomers (community, user_id, joined_at, is_returning, greeter)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community, user_id) DO UPDATE SET"
            " joined_at = excluded.joined_at, is_returning = excluded.is_returning,"
            " greeter = excluded.greeter, posted_at = NULL, welcome_channel = NULL,"
            " welcome_message = NULL, welcome_thread = NULL, left_at = NULL, held_at = NULL",
            (community, user, to_db(at), int(is_returning), greeter),
        )

    async def set_welcome_ref(
        self, community: str, user: str, channel: str, message: str, thread: str | None
    ) -> None:
        await self.db.execute(
            "UPDATE welcome_newcomers SET welcome_channel = ?, welcome_message = ?,"
            " welcome_thread = ? WHERE community = ? AND user_id = ?",
            (channel, message, thread, community, user),
        )

    async def claim_reminder(self, community: str, user: str, now: datetime) -> bool:
        """Mark the one reminder as sent; False when it already was (or there is no row)."""
        row = await self.db.fetch_one(
            "UPDATE welcome_newcomers SET reminder_sent_at = ?"
            " WHERE community = ? AND user_id = ? AND reminder_sent_at IS NULL"
            " RETURNING user_id",
            (to_db(now), community, user),
        )
        return row is not None

    # --- welcome posts and waves -----------------------------------------------------------

    async def add_post(
        self,
        community: str,
        message_id: str,
        channel: str,
        thread: str | None,
        newcomer: str,
        body: dict[str, Any],
        is_test: bool,
        now: datetime,
    ) -> None:
        await self.db.execute(
            "INSERT INTO welcome_posts (community, message_id, channel, thread, newcomer, body,"
            " is_test, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                community,
                message_id,
                channel,
                thread,
                newcomer,
                json.dumps(body, ensure_ascii=False),
                int(is_test),
                to_db(now),
            ),
        )

    async def post(self, community: str, message_id: str) -> WelcomePost | None:
        row = await self.db.fetch_one(
            "SELECT * FROM welcome_posts WHERE community = ? AND message_id = ?",
            (community, message_id),
        )
        if row is None:
            return None
        return WelcomePost(
            community=row["community"],
            message_id=row["message_id"],
            channel=row["channel"],
            thread=row["thread"],
            newcomer=row["newcomer"],
            body=json.loads(row["body"]),
            is_test=bool(row["is_test"]),
            removed=row["removed_at"] is not None,
        )

    async def mark_removed(self, community: str, message_id: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE welcome_posts SET removed_at = ? WHERE community = ? AND message_id = ?",
            (to_db(now), community, message_id),
        )

    async def add_wave(
        self, community: str, message_id: str, user: str, name: str, now: datetime
    ) -> bool:
        """Record a wave; False when this person had already waved at this welcome."""
        changed = await self.db.execute(
            "INSERT INTO welcome_waves (community, message_id, user_id, name, waved_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community, message_id, user_id) DO NOTHING",
            (community, message_id, user, name, to_db(now)),
        )
        return changed > 0

    async def wavers(self, community: str, message_id: str) -> list[str]:
        """Names of the people who waved, in the order they waved."""
        rows = await self.db.fetch_all(
            "SELECT name, user_id FROM welcome_waves WHERE community = ? AND message_id = ?"
            " ORDER BY waved_at, user_id",
            (community, message_id),
        )
        return [row[0] or row[1] for row in rows]

    # --- greeters ----------------------------------------------------------------------------

    async def set_greeter(self, community: str, user: str, on: bool, now: datetime) -> bool:
        """Opt in or out; False when nothing changed."""
        if on:
            changed = await self.db.execute(
                "INSERT INTO welcome_greeters (community, user_id, opted_in_at) VALUES (?, ?, ?)"
                " ON CONFLICT (community, user_id) DO NOTHING",
                (community, user, to_db(now)),
            )
        else:
            changed = await self.db.execute(
                "DELETE FROM welcome_greeters WHERE community = ? AND user_id = ?",
                (community, user),
            )
        return changed > 0

    async def greeter_rotation(self, community: str) -> list[GreeterRow]:
        """Every greeter, longest-rested first (never greeted, then oldest greeting)."""
        rows = await self.db.fetch_all(
            "SELECT user_id, last_greeted_at FROM welcome_greeters WHERE community = ?"
            " ORDER BY COALESCE(last_greeted_at, ''), opted_in_at, user_id",
            (community,),
        )
        return [GreeterRow(row[0], _when(row[1])) for row in rows]

    async def greeted(self, community: str, user: str, now: datetime) -> None:
        await self.db.execute(
            "UPDATE welcome_greeters SET last_greeted_at = ? WHERE community = ? AND user_id = ?",
            (to_db(now), community, user),
        )

    # --- community ------------------------------------------------------------------------------

    async def community_name(self, community: str) -> str:
        return (
            await self.db.fetch_value("SELECT name FROM communities WHERE id = ?", (community,))
            or ""
        )

    # --- personal data ---------------------------------------------------------------------------

    async def export(self, community: str, user: str) -> dict[str, Any]:
        params = (community, user)
        greeter = await self.db.fetch_one(
            "SELECT opted_in_at, last_greeted_at FROM welcome_greeters"
            " WHERE community = ? AND user_id = ?",
            params,
        )
        progress = await self.db.fetch_all(
            "SELECT s.text, p.done_at FROM welcome_progress p"
            " JOIN welcome_steps s ON s.id = p.step_id"
            " WHERE p.community = ? AND p.user_id = ? ORDER BY p.done_at",
            params,
        )
        waves = await self.db.fetch_all(
            "SELECT w.message_id, p.newcomer, w.waved_at FROM welcome_waves w"
            " JOIN welcome_posts p ON p.community = w.community AND p.message_id = w.message_id"
            " WHERE w.community = ? AND w.user_id = ? ORDER BY w.waved_at",
            params,
        )
        newcomer = await self.newcomer(community, user)
        data: dict[str, Any] = {
            "greeter": None
            if greeter is None
            else {"opted_in_at": greeter[0], "last_greeted_at": greeter[1]},
            "onboarding_steps_done": [{"step": r[0], "done_at": r[1]} for r in progress],
            "waves": [{"message": r[0], "welcomed": r[1], "waved_at": r[2]} for r in waves],
        }
        if newcomer is not None:
            data["joined"] = {
                "joined_at": newcomer.joined_at.isoformat(),
                "returning": newcomer.is_returning,
                "greeter": newcomer.greeter,
                "first_post_at": newcomer.posted_at and newcomer.posted_at.isoformat(),
                "reminder_sent_at": newcomer.reminder_sent_at
                and newcomer.reminder_sent_at.isoformat(),
            }
        return data

    async def delete_user(self, community: str, user: str) -> list[str]:
        """Forget ``user``; return the welcome posts whose wave list named them."""
        params = (community, user)
        async with self.db.transaction():
            rows = await self.db.fetch_all(
                "SELECT message_id FROM welcome_waves WHERE community = ? AND user_id = ?", params
            )
            for sql in (
                "DELETE FROM welcome_waves WHERE community = ? AND user_id = ?",
                "DELETE FROM welcome_progress WHERE community = ? AND user_id = ?",
                "DELETE FROM welcome_greeters WHERE community = ? AND user_id = ?",
                "DELETE FROM welcome_posts WHERE community = ? AND newcomer = ?",
                "DELETE FROM welcome_newcomers WHERE community = ? AND user_id = ?",
                "UPDATE welcome_newcomers SET greeter = NULL WHERE community = ? AND greeter = ?",
            ):
                await self.db.execute(sql, params)
        return [row[0] for row in rows]
