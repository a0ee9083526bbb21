"""The SQL of emerging phrases: counts per person and per day, suggestions, pruning.

Only normalized phrases, counts and references to a first message are stored, never
message text. Portable statements only (ON CONFLICT … DO UPDATE, RETURNING).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.database import Database
from bot.timeutil import from_db, to_db
from cogs.glossary.emerging import Counts

_CHUNK = 400  # parameters per IN (...) list, well below SQLite's limit
_ROWS = 5000  # phrases (and days) per transaction
_PERSON = (
    "community, phrase, day, user_id, uses, form, first_at, first_channel, first_message,"
    " first_thread"
)
_NO_ONE = (None,) * 6  # a day row without a lone use
_FORGET_LONE = (
    "user_id = NULL, form = NULL, first_at = NULL, first_channel = NULL,"
    " first_message = NULL, first_thread = NULL"
)


@dataclass(frozen=True, slots=True)
class FirstUse:
    form: str
    at: datetime
    user: str
    channel: str
    message: str
    thread: str | None


class PhraseQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def write_phrases(self, counts: dict[tuple[str, str, str], Counts]) -> None:
        """Add one flush's phrase counters, in transactions of about :data:`_ROWS` phrases,
        so that a large flush never holds the database for long (commands run in between).

        A phrase said once in the flush is written to its day row only (the lone use, see
        migration 0010); it gets a per-person row only when that day row already had uses.
        A day row's lone use that gains company moves to ``glossary_ngram_people``.
        """
        groups: dict[tuple[str, str, str], list[tuple[Any, ...]]] = {}
        moments: dict[datetime, str] = {}
        for (community, day, user), bucket in counts.items():
            for phrase, uses in bucket.uses.items():
                at, *where = bucket.first(phrase)
                when = moments.get(at) or moments.setdefault(at, to_db(at))
                row = (community, phrase, day, user, uses, bucket.form(phrase), when, *where)
                group = groups.get((community, phrase, day))
                if group is None:
                    groups[(community, phrase, day)] = [row]
                else:
                    group.append(row)
        items = list(groups.items())
        for start in range(0, len(items), _ROWS):
            days, people, lone = [], [], []
            for (community, phrase, day), rows in items[start : start + _ROWS]:
                if len(rows) == 1 and rows[0][4] == 1:
                    days.append((community, phrase, day, 1, *rows[0][3:4], *rows[0][5:]))
                    lone.append((*rows[0], community, phrase, day))
                else:
                    days.append((community, phrase, day, sum(r[4] for r in rows), *_NO_ONE))
                    people.extend(rows)
            async with self.db.transaction():
                await self.db.execute_many(
                    "INSERT INTO glossary_ngram_days (community, phrase, day, uses, user_id,"
                    " form, first_at, first_channel, first_message, first_thread)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (community, phrase, day)"
                    " DO UPDATE SET uses = glossary_ngram_days.uses + excluded.uses",
                    days,
                )
                await self.db.execute(
                    f"INSERT INTO glossary_ngram_people ({_PERSON}) SELECT community, phrase,"
                    " day, user_id, 1, form, first_at, first_channel,"
                    " first_message, first_thread FROM glossary_ngram_days"
                    " WHERE user_id IS NOT NULL AND uses > 1"
                    " ON CONFLICT (community, phrase, day, user_id) DO UPDATE SET"
                    " uses = glossary_ngram_people.uses + 1"
                )
                await self.db.execute(
                    f"UPDATE glossary_ngram_days SET {_FORGET_LONE}"
                    " WHERE user_id IS NOT NULL AND uses > 1"
                )
                await self.db.execute_many(
                    f"INSERT INTO glossary_ngram_people ({_PERSON})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (community, phrase, day, user_id) DO UPDATE SET"
                    " uses = glossary_ngram_people.uses + excluded.uses",
                    people,
                )
                await self.db.execute_many(
                    f"INSERT INTO glossary_ngram_people ({_PERSON})"
                    " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM"
                    " glossary_ngram_days WHERE community = ? AND phrase = ? AND day = ?"
                    " AND uses > 1) ON CONFLICT (community, phrase, day, user_id) DO UPDATE"
                    " SET uses = glossary_ngram_people.uses + excluded.uses",
                    lone,
                )

    async def recent_phrases(
        self, community: str, since_day: str, min_people: int
    ) -> list[tuple[str, int, int]]:
        """(phrase, uses, distinct people) of phrases enough people used since a day."""
        rows = await self.db.fetch_all(
            "SELECT phrase, SUM(uses), COUNT(DISTINCT user_id) FROM ("
            " SELECT phrase, user_id, uses FROM glossary_ngram_people"
            " WHERE community = ? AND day >= ? UNION ALL"
            " SELECT phrase, user_id, uses FROM glossary_ngram_days"
            " WHERE community = ? AND day >= ? AND user_id IS NOT NULL)"
            " GROUP BY phrase HAVING COUNT(DISTINCT user_id) >= ?",
            (community, since_day, community, since_day, min_people),
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
                "SELECT phrase, SUM(uses) FROM glossary_ngram_days WHERE community = ?"
                f" AND phrase IN ({marks}) AND day >= ? AND day < ? GROUP BY phrase",
                (community, *chunk, since_day, until_day),
            )
            found.update((r[0], r[1]) for r in rows)
        return found

    async def first_use(self, community: str, phrase: str, since_day: str) -> FirstUse | None:
        row = await self.db.fetch_one(
            "SELECT form, first_at, user_id, first_channel, first_message, first_thread"
            " FROM glossary_ngram_people WHERE community = ? AND phrase = ? AND day >= ?"
            " UNION ALL SELECT form, first_at, user_id, first_channel, first_message,"
            " first_thread FROM glossary_ngram_days WHERE community = ? AND phrase = ?"
            " AND day >= ? AND user_id IS NOT NULL ORDER BY first_at LIMIT 1",
            (community, phrase, since_day, community, phrase, since_day),
        )
        if row is None:
            return None
        return FirstUse(row[0], from_db(row[1]), row[2], row[3], row[4], row[5])

    async def prune_phrases(self, community: str, people_before: str, days_before: str) -> None:
        """Forget who used what before the window, all counts before the earlier period,
        and phrases used only once in all the days before the window."""
        async with self.db.transaction():
            await self.db.execute(
                "DELETE FROM glossary_ngram_people WHERE community = ? AND day < ?",
                (community, people_before),
            )
            await self.db.execute(
                "DELETE FROM glossary_ngram_days WHERE community = ? AND day < ?",
                (community, days_before),
            )
            await self.db.execute(
                f"UPDATE glossary_ngram_days SET {_FORGET_LONE} WHERE community = ? AND day < ?"
                " AND user_id IS NOT NULL",
                (community, people_before),
            )
            await self.db.execute(
                "DELETE FROM glossary_ngram_days WHERE community = ? AND day < ? AND phrase IN ("
                " SELECT phrase FROM glossary_ngram_days WHERE community = ? AND day < ?"
                " GROUP BY phrase HAVING SUM(uses) <= 1)",
                (community, people_before, community, people_before),
            )

    async def forget_phrases_of(self, community: str, user: str) -> None:
        """Remove the person from phrase counts (their lone uses stay as anonymous counts)."""
        await self.db.execute(
            "DELETE FROM glossary_ngram_people WHERE community = ? AND user_id = ?",
            (community, user),
        )
        await self.db.execute(
            f"UPDATE glossary_ngram_days SET {_FORGET_LONE} WHERE community = ? AND user_id = ?",
            (community, user),
        )

    async def phrase_counts_of(self, community: str, user: str) -> list[dict[str, Any]]:
        rows = await self.db.fetch_all(
            "SELECT phrase, day, uses FROM glossary_ngram_people"
            " WHERE community = ? AND user_id = ? UNION ALL"
            " SELECT phrase, day, uses FROM glossary_ngram_days"
            " WHERE community = ? AND user_id = ? ORDER BY day, phrase",
            (community, user, community, user),
        )
        return [{"phrase": r[0], "day": r[1], "uses": r[2]} for r in rows]

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

    async def suggest(self, community: str, phrases: Iterable[str], at: datetime) -> None:
        await self.db.execute_many(
            "INSERT INTO glossary_suggestions (community, phrase, state, suggested_at)"
            " VALUES (?, ?, 'suggested', ?) ON CONFLICT (community, phrase) DO UPDATE SET"
            " suggested_at = excluded.suggested_at WHERE glossary_suggestions.state = 'suggested'",
            [(community, phrase, to_db(at)) for phrase in phrases],
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
