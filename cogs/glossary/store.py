"""The glossary's SQL. Portable statements only (ON CONFLICT … DO UPDATE, RETURNING).

Methods that write several rows open their own transaction, or join the caller's
(``Database.transaction`` nests), so an entry and its names are always written
together, and a flush or an import is all or nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.database import Row
from bot.timeutil import from_db, to_db
from cogs.glossary.model import Entry, name_key
from cogs.glossary.store_phrases import PhraseQueries, delete_in_batches
from cogs.glossary.store_reports import ReportQueries
from cogs.glossary.usage import UsageBatch


class NameTaken(Exception):
    """Another entry took one of the names between the check and the write."""


@dataclass(frozen=True, slots=True)
class Usage:
    uses: int
    first_used_at: datetime | None
    last_used_at: datetime | None
    top_people: tuple[tuple[str, int], ...]


def _when(value: str | None) -> datetime | None:
    return None if value is None else from_db(value)


def _entry(row: Row, aliases: tuple[str, ...]) -> Entry:
    return Entry(
        id=row["id"],
        community=row["community"],
        name=row["name"],
        kind=row["kind"],
        definition=row["definition"],
        origin=row["origin"],
        first_said=row["first_said"],
        author=row["author"],
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
        aliases=aliases,
    )


class GlossaryStore(PhraseQueries, ReportQueries):
    """Entries, names, usage and footnotes; phrase counts come from ``PhraseQueries``,
    reports that an entry is wrong from ``ReportQueries``."""

    # --- entries -----------------------------------------------------------------------

    async def all_entries(self) -> list[Entry]:
        aliases: dict[int, list[str]] = {}
        for row in await self.db.fetch_all(
            "SELECT entry_id, text FROM glossary_names WHERE is_alias = 1 ORDER BY rowid"
        ):
            aliases.setdefault(row[0], []).append(row[1])
        rows = await self.db.fetch_all("SELECT * FROM glossary_entries ORDER BY id")
        return [_entry(row, tuple(aliases.get(row["id"], ()))) for row in rows]

    async def get(self, entry_id: int) -> Entry | None:
        row = await self.db.fetch_one("SELECT * FROM glossary_entries WHERE id = ?", (entry_id,))
        if row is None:
            return None
        names = await self.db.fetch_all(
            "SELECT text FROM glossary_names WHERE entry_id = ? AND is_alias = 1 ORDER BY rowid",
            (entry_id,),
        )
        return _entry(row, tuple(r[0] for r in names))

    async def insert(self, entry: Entry) -> Entry:
        """Write a new entry (its ``id`` is ignored) with its names; return it with its id."""
        try:
            async with self.db.transaction():
                row = await self.db.fetch_one(
                    "INSERT INTO glossary_entries (community, name, kind, definition, origin,"
                    " first_said, author, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    (
                        entry.community,
                        entry.name,
                        entry.kind,
                        entry.definition,
                        entry.origin,
                        entry.first_said,
                        entry.author,
                        to_db(entry.created_at),
                        to_db(entry.updated_at),
                    ),
                )
                saved = replace(entry, id=row[0])
                await self._write_names(saved)
        except sqlite3.IntegrityError as error:
            raise NameTaken from error
        return saved

    async def update(self, entry: Entry) -> None:
        """Write every field and the names of an existing entry."""
        try:
            async with self.db.transaction():
                await self.db.execute(
                    "UPDATE glossary_entries SET name = ?, kind = ?, definition = ?, origin = ?,"
                    " first_said = ?, author = ?, created_at = ?, updated_at = ? WHERE id = ?",
                    (
                        entry.name,
                        entry.kind,
                        entry.definition,
                        entry.origin,
                        entry.first_said,
                        entry.author,
                        to_db(entry.created_at),
                        to_db(entry.updated_at),
                        entry.id,
                    ),
                )
                await self.db.execute("DELETE FROM glossary_names WHERE entry_id = ?", (entry.id,))
                await self._write_names(entry)
        except sqlite3.IntegrityError as error:
            raise NameTaken from error

    async def _write_names(self, entry: Entry) -> None:
        rows = [
            (entry.community, name_key(text), entry.id, text, int(index > 0))
            for index, text in enumerate(entry.names)
        ]
        await self.db.execute_many(
            "INSERT INTO glossary_names (community, key, entry_id, text, is_alias)"
            " VALUES (?, ?, ?, ?, ?)",
            rows,
        )

    async def delete(self, entry_id: int) -> None:
        await self.db.execute("DELETE FROM glossary_entries WHERE id = ?", (entry_id,))

    async def import_entries(self, new: Sequence[Entry], changed: Sequence[Entry]) -> list[Entry]:
        """Insert ``new`` and rewrite ``changed`` in one transaction; return the new ones."""
        async with self.db.transaction():
            for entry in changed:  # first, so a name an entry gives up is free for another
                await self.db.execute("DELETE FROM glossary_names WHERE entry_id = ?", (entry.id,))
            for entry in changed:
                await self.update(entry)
            return [await self.insert(entry) for entry in new]

    # --- usage ---------------------------------------------------------------------------

    async def write_usage(self, batch: UsageBatch) -> None:
        """Add one flush's counters (call inside a transaction). Entries removed since
        are skipped: every insert checks that its entry still exists."""
        exists = " WHERE EXISTS (SELECT 1 FROM glossary_entries WHERE id = ?)"
        await self.db.execute_many(
            "INSERT INTO glossary_usage_days (entry_id, community, day, uses)"
            " SELECT ?, ?, ?, ?" + exists + " ON CONFLICT (entry_id, day) DO UPDATE SET"
            " uses = glossary_usage_days.uses + excluded.uses",
            [(e, c, d, n, e) for (e, c, d), n in batch.days.items()],
        )
        await self.db.execute_many(
            "INSERT INTO glossary_usage_people"
            " (entry_id, community, user_id, uses, first_used_at, last_used_at)"
            " SELECT ?, ?, ?, ?, ?, ?" + exists + " ON CONFLICT (entry_id, user_id) DO UPDATE SET"
            " uses = glossary_usage_people.uses + excluded.uses,"
            " last_used_at = excluded.last_used_at",
            [
                (e, c, u, s.uses, to_db(s.first_at), to_db(s.last_at), e)
                for (e, c, u), s in batch.people.items()
            ],
        )
        await self.db.execute_many(
            "UPDATE glossary_entries SET uses = uses + ?,"
            " first_used_at = COALESCE(first_used_at, ?), last_used_at = ? WHERE id = ?",
            [(s.uses, to_db(s.first_at), to_db(s.last_at), e) for e, s in batch.entries.items()],
        )

    async def usage(self, entry_id: int, people: int = 3) -> Usage:
        row = await self.db.fetch_one(
            "SELECT uses, first_used_at, last_used_at FROM glossary_entries WHERE id = ?",
            (entry_id,),
        )
        top = await self.db.fetch_all(
            "SELECT user_id, uses FROM glossary_usage_people WHERE entry_id = ?"
            " ORDER BY uses DESC, user_id LIMIT ?",
            (entry_id, people),
        )
        if row is None:
            return Usage(0, None, None, ())
        return Usage(row[0], _when(row[1]), _when(row[2]), tuple((r[0], r[1]) for r in top))

    async def top(self, community: str, since_day: str | None, limit: int) -> list[tuple[int, int]]:
        """(entry id, uses) of the most used entries, since a day or of all time."""
        if since_day is None:
            rows = await self.db.fetch_all(
                "SELECT id, uses FROM glossary_entries WHERE community = ? AND uses > 0"
                " ORDER BY uses DESC, name LIMIT ?",
                (community, limit),
            )
        else:
            rows = await self.db.fetch_all(
                "SELECT entry_id, SUM(uses) AS total FROM glossary_usage_days"
                " WHERE community = ? AND day >= ? GROUP BY entry_id"
                " ORDER BY total DESC, entry_id LIMIT ?",
                (community, since_day, limit),
            )
        return [(row[0], row[1]) for row in rows]

    async def most_used(self, community: str, limit: int) -> list[str]:
        rows = await self.db.fetch_all(
            "SELECT name FROM glossary_entries WHERE community = ?"
            " ORDER BY uses DESC, created_at LIMIT ?",
            (community, limit),
        )
        return [row[0] for row in rows]

    # --- where entries were explained --------------------------------------------------------

    async def explained(self) -> dict[tuple[str, str, int], datetime]:
        rows = await self.db.fetch_all(
            "SELECT community, channel, entry_id, explained_at FROM glossary_explained"
        )
        return {(r[0], r[1], r[2]): from_db(r[3]) for r in rows}

    async def mark_explained(self, rows: Iterable[tuple[str, str, int, datetime]]) -> None:
        """Record (community, channel, entry id, when) explanations; entries removed since
        are skipped."""
        await self.db.execute_many(
            "INSERT INTO glossary_explained (community, channel, entry_id, explained_at)"
            " SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM glossary_entries WHERE id = ?)"
            " ON CONFLICT (community, channel, entry_id) DO UPDATE SET"
            " explained_at = excluded.explained_at",
            [(c, channel, e, to_db(at), e) for c, channel, e, at in rows],
        )

    # --- retention ----------------------------------------------------------------------------

    async def prune_usage(self, community: str, before_day: str, before: datetime) -> int:
        """Retention: daily uses before a day, per-person usage last seen before a moment,
        and footnote marks older than any footnote interval; in batches."""
        gone = await delete_in_batches(
            self.db,
            "glossary_usage_days",
            "entry_id, day",
            "community = ? AND day < ?",
            (community, before_day),
        )
        gone += await delete_in_batches(
            self.db,
            "glossary_usage_people",
            "entry_id, user_id",
            "community = ? AND last_used_at < ?",
            (community, to_db(before)),
        )
        return gone

    async def prune_explained(self, community: str, before: datetime) -> int:
        return await delete_in_batches(
            self.db,
            "glossary_explained",
            "community, channel, entry_id",
            "community = ? AND explained_at < ?",
            (community, to_db(before)),
        )

    # --- personal data -----------------------------------------------------------------------

    async def delete_user(self, community: str, user: str) -> None:
        async with self.db.transaction():
            await self.db.execute(
                "UPDATE glossary_entries SET author = NULL WHERE community = ? AND author = ?",
                (community, user),
            )
            await self.db.execute(
                "DELETE FROM glossary_usage_people WHERE community = ? AND user_id = ?",
                (community, user),
            )
            await self.forget_phrases_of(community, user)
            await self.db.execute(
                "UPDATE glossary_suggestions SET decided_by = NULL"
                " WHERE community = ? AND decided_by = ?",
                (community, user),
            )
            await self.forget_reports(community, user)

    async def export_user(self, community: str, user: str) -> dict[str, Any]:
        entries = await self.db.fetch_all(
            "SELECT name, kind, definition, origin, first_said, created_at FROM glossary_entries"
            " WHERE community = ? AND author = ? ORDER BY created_at",
            (community, user),
        )
        usage = await self.db.fetch_all(
            "SELECT e.name, u.uses, u.first_used_at, u.last_used_at FROM glossary_usage_people u"
            " JOIN glossary_entries e ON e.id = u.entry_id"
            " WHERE u.community = ? AND u.user_id = ? ORDER BY e.name",
            (community, user),
        )
        decisions = await self.db.fetch_all(
            "SELECT phrase, state FROM glossary_suggestions WHERE community = ? AND decided_by = ?",
            (community, user),
        )
        return {
            "entries_written": [dict(row) for row in entries],
            "usage": [
                {"entry": r[0], "uses": r[1], "first_used_at": r[2], "last_used_at": r[3]}
                for r in usage
            ],
            "phrases_first_said": await self.phrases_first_said_by(community, user),
            "suggestions_decided": [{"phrase": r[0], "decision": r[1]} for r in decisions],
            **await self.export_reports(community, user),
        }
