"""The SQL of reports that an entry is wrong: file, list, resolve, forget, export.

An entry's open reports are resolved together (a moderator fixed or confirmed it); a
removed entry takes every report with it (ON DELETE CASCADE). Portable statements only.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from bot.database import Database
from bot.timeutil import from_db, to_db
from cogs.glossary.model import Report


class AlreadyReported(Exception):
    """The person already has an open report on this entry."""


class ReportQueries:
    db: Database

    async def add_report(
        self, community: str, entry_id: int, reporter: str, reason: str, at: datetime
    ) -> int | None:
        """File a report and return its id (None: the entry was removed meanwhile); raise
        :class:`AlreadyReported` when one of theirs on this entry is still open."""
        try:
            return await self.db.fetch_value(
                "INSERT INTO glossary_reports (community, entry_id, reporter, reason, reported_at)"
                " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM glossary_entries WHERE id = ?)"
                " RETURNING id",
                (community, entry_id, reporter, reason, to_db(at), entry_id),
            )
        except sqlite3.IntegrityError as error:
            raise AlreadyReported from error

    async def open_reports(self, community: str) -> list[Report]:
        """The community's open reports, oldest first."""
        rows = await self.db.fetch_all(
            "SELECT r.id, r.entry_id, e.name, r.reporter, r.reason, r.reported_at"
            " FROM glossary_reports r JOIN glossary_entries e ON e.id = r.entry_id"
            " WHERE r.community = ? AND r.resolved_at IS NULL ORDER BY r.reported_at, r.id",
            (community,),
        )
        return [Report(r[0], community, r[1], r[2], r[3], r[4], from_db(r[5])) for r in rows]

    async def open_report_count(self, entry_id: int) -> int:
        return await self.db.fetch_value(
            "SELECT COUNT(*) FROM glossary_reports WHERE entry_id = ? AND resolved_at IS NULL",
            (entry_id,),
        )

    async def resolve_reports(
        self, entry_id: int, moderator: str, at: datetime, resolution: str
    ) -> int:
        """Close every open report of an entry; return how many there were."""
        return await self.db.execute(
            "UPDATE glossary_reports SET resolved_at = ?, resolved_by = ?, resolution = ?"
            " WHERE entry_id = ? AND resolved_at IS NULL",
            (to_db(at), moderator, resolution, entry_id),
        )

    async def forget_reports(self, community: str, user: str) -> None:
        """A forgotten person's reports go; reports they resolved stay, without their name."""
        await self.db.execute(
            "DELETE FROM glossary_reports WHERE community = ? AND reporter = ?", (community, user)
        )
        await self.db.execute(
            "UPDATE glossary_reports SET resolved_by = NULL WHERE community = ? AND resolved_by = ?",
            (community, user),
        )

    async def export_reports(self, community: str, user: str) -> dict[str, Any]:
        made = await self.db.fetch_all(
            "SELECT e.name, r.reason, r.reported_at, r.resolved_at, r.resolution"
            " FROM glossary_reports r JOIN glossary_entries e ON e.id = r.entry_id"
            " WHERE r.community = ? AND r.reporter = ? ORDER BY r.reported_at, r.id",
            (community, user),
        )
        resolved = await self.db.fetch_all(
            "SELECT e.name, r.resolved_at, r.resolution"
            " FROM glossary_reports r JOIN glossary_entries e ON e.id = r.entry_id"
            " WHERE r.community = ? AND r.resolved_by = ? ORDER BY r.resolved_at, r.id",
            (community, user),
        )
        return {
            "reports_made": [
                {
                    "entry": r[0],
                    "reason": r[1],
                    "reported_at": r[2],
                    "resolved_at": r[3],
                    "resolution": r[4],
                }
                for r in made
            ],
            "reports_resolved": [
                {"entry": r[0], "resolved_at": r[1], "resolution": r[2]} for r in resolved
            ],
        }
