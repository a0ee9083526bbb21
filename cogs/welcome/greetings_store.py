"""SQL for greetings (who greeted which newcomer, and the credit for it) and for the calm
welcome in bursts of joins (held welcomes, the last leave)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.database import Database
from bot.timeutil import from_db, to_db


@dataclass(frozen=True, slots=True)
class Greeting:
    community: str
    newcomer: str
    greeter: str
    how: str
    greeted_at: datetime
    due_at: datetime


class GreetingsStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- greetings --------------------------------------------------------------------

    async def add_greetings(self, greetings: list[Greeting]) -> None:
        """Record greetings, once per (newcomer, greeter); a pair voided by an early leave
        counts again when the newcomer came back and was greeted anew."""
        await self.db.execute_many(
            "INSERT INTO welcome_greetings"
            " (community, newcomer, greeter, how, greeted_at, due_at, state)"
            " VALUES (?, ?, ?, ?, ?, ?, 'pending')"
            " ON CONFLICT (community, newcomer, greeter) DO UPDATE SET how = excluded.how,"
            " greeted_at = excluded.greeted_at, due_at = excluded.due_at, state = 'pending'"
            " WHERE welcome_greetings.state = 'void'",
            [
                (
                    g.community,
                    g.newcomer,
                    g.greeter,
                    g.how,
                    to_db(g.greeted_at),
                    to_db(g.due_at),
                )
                for g in greetings
            ],
        )

    async def greeted_pairs_since(self, since: datetime) -> set[tuple[str, str, str]]:
        """(community, newcomer, greeter) already recorded for newcomers who joined since."""
        rows = await self.db.fetch_all(
            "SELECT g.community, g.newcomer, g.greeter FROM welcome_greetings g"
            " JOIN welcome_newcomers n ON n.community = g.community AND n.user_id = g.newcomer"
            " WHERE n.joined_at >= ? AND g.state <> 'void'",
            (to_db(since),),
        )
        return {(row[0], row[1], row[2]) for row in rows}

    async def due_greetings(self, now: datetime, limit: int) -> list[Greeting]:
        """Pending greetings whose newcomer has stayed past the removal window (indexed)."""
        rows = await self.db.fetch_all(
            "SELECT * FROM welcome_greetings WHERE state = 'pending' AND due_at <= ?"
            " ORDER BY due_at LIMIT ?",
            (to_db(now), limit),
        )
        return [
            Greeting(
                row["community"],
                row["newcomer"],
                row["greeter"],
                row["how"],
                from_db(row["greeted_at"]),
                from_db(row["due_at"]),
            )
            for row in rows
        ]

    async def settle(self, credited: list[Greeting], void: list[Greeting]) -> None:
        """Mark greetings credited or void, in one batch per state. Call in a transaction."""
        for state, greetings in (("credited", credited), ("void", void)):
            await self.db.execute_many(
                "UPDATE welcome_greetings SET state = ?"
                " WHERE community = ? AND newcomer = ? AND greeter = ? AND state = 'pending'",
                [(state, g.community, g.newcomer, g.greeter) for g in greetings],
            )

    async def void_greetings(self, community: str, newcomer: str) -> None:
        """The newcomer left within the removal window: nobody earns credit for them."""
        await self.db.execute(
            "UPDATE welcome_greetings SET state = 'void'"
            " WHERE community = ? AND newcomer = ? AND state = 'pending'",
            (community, newcomer),
        )

    # --- leaving, rejoining, bursts ---------------------------------------------------

    async def record_leave(self, community: str, user: str, at: datetime) -> None:
        await self.db.execute(
            "UPDATE welcome_newcomers SET left_at = ? WHERE community = ? AND user_id = ?",
            (to_db(at), community, user),
        )

    async def clear_leave(self, community: str, user: str) -> None:
        """A quiet rejoin: the onboarding goes on as if they had not left."""
        await self.db.execute(
            "UPDATE welcome_newcomers SET left_at = NULL WHERE community = ? AND user_id = ?",
            (community, user),
        )

    async def joined_and_left(
        self, community: str, user: str
    ) -> tuple[datetime, datetime | None] | None:
        """When ``user`` joined (their first onboarding) and last left; None if unknown."""
        row = await self.db.fetch_one(
            "SELECT joined_at, left_at FROM welcome_newcomers WHERE community = ? AND user_id = ?",
            (community, user),
        )
        if row is None:
            return None
        return from_db(row[0]), None if row[1] is None else from_db(row[1])

    async def hold(self, community: str, user: str, at: datetime) -> None:
        """Keep this newcomer's channel welcome for the next batched welcome."""
        await self.db.execute(
            "UPDATE welcome_newcomers SET held_at = ? WHERE community = ? AND user_id = ?",
            (to_db(at), community, user),
        )

    async def take_held(self, community: str) -> list[str]:
        """The newcomers waiting for a batched welcome, in join order; no longer waiting.
        Call in a transaction."""
        rows = await self.db.fetch_all(
            "UPDATE welcome_newcomers SET held_at = NULL"
            " WHERE community = ? AND held_at IS NOT NULL RETURNING user_id, held_at",
            (community,),
        )
        return [row[0] for row in sorted(rows, key=lambda row: (row[1], row[0]))]

    # --- personal data ----------------------------------------------------------------

    async def export(self, community: str, user: str) -> list[dict[str, str]]:
        rows = await self.db.fetch_all(
            "SELECT newcomer, greeter, how, greeted_at, state FROM welcome_greetings"
            " WHERE community = ? AND (greeter = ? OR newcomer = ?) ORDER BY greeted_at",
            (community, user, user),
        )
        return [
            {"newcomer": r[0], "greeter": r[1], "how": r[2], "greeted_at": r[3], "state": r[4]}
            for r in rows
        ]

    async def delete_user(self, community: str, user: str) -> None:
        """Forget ``user``'s greetings, given and received."""
        await self.db.execute(
            "DELETE FROM welcome_greetings WHERE community = ? AND (greeter = ? OR newcomer = ?)",
            (community, user, user),
        )
