"""The SQL of emerging phrases: daily counts of hot phrases, first uses, suggestions,
retention.

Only phrases that reached the suggestion thresholds are stored (see
:mod:`cogs.glossary.phrase_counts`), as aggregates: no per-person rows, no message text,
no written form until a phrase is suggested. Portable statements only (ON CONFLICT …
DO UPDATE, row values with IN).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.database import Database
from bot.timeutil import from_db, to_db
from cogs.glossary.phrase_counts import PhraseRows

_CHUNK = 400  # parameters per IN (...) list, well below SQLite's limit
BATCH = 1000  # rows per DELETE of the retention job


@dataclass(frozen=True, slots=True)
class FirstUse:
    form: str
    at: datetime
    user: str | None  # None once they asked to be forgotten
    channel: str | None
    message: str | None
    thread: str | None


async def delete_in_batches(db: Database, table: str, keys: str, where: str, params: Any) -> int:
    """Delete the rows of ``table`` matching ``where``, :data:`BATCH` at a time (each its
    own statement, so commands run in between); return how many went."""
    total = 0
    while True:
        gone = await db.execute(
            f"DELETE FROM {table} WHERE ({keys}) IN"
            f" (SELECT {keys} FROM {table} WHERE {where} LIMIT {BATCH})",
            params,
        )
        total += gone
        if gone < BATCH:
            return total


class PhraseQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def write_phrase_counts(self, rows: PhraseRows) -> None:
        """Add one flush's hot-phrase counts (call inside the flush's transaction)."""
        await self.db.execute_many(
            "INSERT INTO glossary_phrase_days (community, phrase, day, uses, people)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community, phrase, day) DO UPDATE SET"
            " uses = glossary_phrase_days.uses + excluded.uses,"
            " people = MAX(glossary_phrase_days.people, excluded.people)",
            [(c, p, d, uses, people) for (c, p, d), (uses, people) in rows.days.items()],
        )
        await self.db.execute_many(
            "INSERT INTO glossary_phrases (community, phrase, first_at, first_user,"
            " first_channel, first_message, first_thread) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (community, phrase) DO UPDATE SET first_at = excluded.first_at,"
            " first_user = excluded.first_user, first_channel = excluded.first_channel,"
            " first_message = excluded.first_message, first_thread = excluded.first_thread"
            " WHERE excluded.first_at < glossary_phrases.first_at",
            [
                (c, p, to_db(at), user, channel, message, thread)
                for (c, p), (at, channel, message, thread, user) in rows.firsts.items()
            ],
        )

    async def hot_phrases(self, since_day: str) -> dict[str, set[str]]:
        """Per community, the phrases stored since a day (they stay hot after a restart)."""
        found: dict[str, set[str]] = {}
        for row in await self.db.fetch_all(
            "SELECT DISTINCT community, phrase FROM glossary_phrase_days WHERE day >= ?",
            (since_day,),
        ):
            found.setdefault(row[0], set()).add(row[1])
        return found

    async def recent_phrases(
        self, community: str, since_day: str, min_people: int
    ) -> list[tuple[str, int, int]]:
        """(phrase, uses, people) of the phrases enough people used since a day."""
        rows = await self.db.fetch_all(
            "SELECT phrase, SUM(uses), MAX(people) FROM glossary_phrase_days"
            " WHERE community = ? AND day >= ? GROUP BY phrase HAVING MAX(people) >= ?",
            (community, since_day, min_people),
        )
        return [(r[0], r[1], r[2]) for r in rows]

    async def earlier_uses(
        self, community: str, phrases: Sequence[str], since_day: str, until_day: str
    ) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(phrases), _CHUNK):
            chunk = list(phrases[start : start + _CHUNK])
            marks = ", ".join("?" * len(chunk))
            rows = await self.db.fetch_all(
                "SELECT phrase, SUM(uses) FROM glossary_phrase_days WHERE community = ?"
                f" AND phrase IN ({marks}) AND day >= ? AND day < ? GROUP BY phrase",
                (community, *chunk, since_day, until_day),
            )
            found.update((r[0], r[1]) for r in rows)
        return found

    async def first_use(self, community: str, phrase: str, form: str) -> FirstUse | None:
        row = await self.db.fetch_one(
            "SELECT first_at, first_user, first_channel, first_message, first_thread"
            " FROM glossary_phrases WHERE community = ? AND phrase = ?",
            (community, phrase),
        )
        if row is None:
            return None
        return FirstUse(form, from_db(row[0]), row[1], row[2], row[3], row[4])

    async def prune_phrases(self, community: str, before_day: str) -> int:
        """Retention: daily counts before a day, then first uses of phrases with no day
        left (a phrase still suggested keeps its form in glossary_suggestions)."""
        gone = await delete_in_batches(
            self.db,
            "glossary_phrase_days",
            "community, phrase, day",
            "community = ? AND day < ?",
            (community, before_day),
        )
        gone += await delete_in_batches(
            self.db,
            "glossary_phrases",
            "community, phrase",
            "community = ? AND NOT EXISTS (SELECT 1 FROM glossary_phrase_days d"
            " WHERE d.community = glossary_phrases.community"
            " AND d.phrase = glossary_phrases.phrase)",
            (community,),
        )
        return gone

    async def forget_phrases_of(self, community: str, user: str) -> None:
        """Remove the person as the first user of a phrase, with the message reference."""
        await self.db.execute(
            "UPDATE glossary_phrases SET first_user = NULL, first_channel = NULL,"
            " first_message = NULL, first_thread = NULL WHERE community = ? AND first_user = ?",
            (community, user),
        )

    async def phrases_first_said_by(self, community: str, user: str) -> list[dict[str, Any]]:
        rows = await self.db.fetch_all(
            "SELECT phrase, first_at, first_channel, first_message FROM glossary_phrases"
            " WHERE community = ? AND first_user = ? ORDER BY first_at, phrase",
            (community, user),
        )
        return [{"phrase": r[0], "at": r[1], "channel": r[2], "message": r[3]} for r in rows]

    async def decided(self, community: str, suggested_since: datetime | None) -> set[str]:
        """Phrases ignored or added, and (with a time) those suggested since then."""
        sql = (
            "SELECT phrase FROM glossary_suggestions WHERE community = ? AND (state <> 'suggested'"
        )
        params: list[Any] = [community]
        if suggested_since is not None:
            sql += " OR suggested_at >= ?"
            params.append(to_db(suggested_since))
        rows = await self.db.fetch_all(sql + ")", params)
        return {row[0] for row in rows}

    async def suggested_since(self, community: str, since: datetime) -> bool:
        row = await self.db.fetch_one(
            "SELECT 1 FROM glossary_suggestions WHERE community = ? AND suggested_at >= ? LIMIT 1",
            (community, to_db(since)),
        )
        return row is not None

    async def suggested_form(self, community: str, phrase: str) -> str | None:
        return await self.db.fetch_value(
            "SELECT form FROM glossary_suggestions WHERE community = ? AND phrase = ?",
            (community, phrase),
        )

    async def suggest(
        self, community: str, phrases: Iterable[tuple[str, str]], at: datetime
    ) -> None:
        """Record (phrase, form as written) pairs as suggested now."""
        await self.db.execute_many(
            "INSERT INTO glossary_suggestions (community, phrase, state, suggested_at, form)"
            " VALUES (?, ?, 'suggested', ?, ?) ON CONFLICT (community, phrase) DO UPDATE SET"
            " suggested_at = excluded.suggested_at, form = excluded.form"
            " WHERE glossary_suggestions.state = 'suggested'",
            [(community, phrase, to_db(at), form) for phrase, form in phrases],
        )

    async def decide(
        self, community: str, phrase: str, state: str, user: str, at: datetime
    ) -> None:
        await self.db.execute(
            "INSERT INTO glossary_suggestions (community, phrase, state, suggested_at, decided_by)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (community, phrase) DO UPDATE SET"
            " state = excluded.state, decided_by = excluded.decided_by",
            (community, phrase, state, to_db(at), user),
        )
