"""Numbered SQL migrations (``migrations/0001_core.sql``…), applied in order at start-up.

Each file runs in its own transaction and is recorded in ``schema_migrations``.
A database that knows a migration this code does not is refused: it was written
by a newer Hearth, and running older code against it could lose data.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from bot.database import Database
from bot.errors import DatabaseTooNew

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def available_migrations() -> list[Migration]:
    found = []
    for entry in resources.files("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a number: {versions}")
    return found


async def applied_versions(db: Database) -> set[int]:
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    rows = await db.fetch_all("SELECT version FROM schema_migrations")
    return {row[0] for row in rows}


async def migrate(db: Database, now_text: str, upto: int | None = None) -> list[Migration]:
    """Apply every pending migration (up to ``upto``); return the ones applied."""
    known = available_migrations()
    done = await applied_versions(db)
    newest_known = max((m.version for m in known), default=0)
    unknown = sorted(v for v in done if v > newest_known)
    if unknown:
        raise DatabaseTooNew(
            f"The database {db.path} has migration {unknown[-1]}, but this Hearth only knows "
            f"up to {newest_known}. It was used by a newer Hearth: upgrade Hearth, or restore "
            "a backup made by this version."
        )
    applied = []
    for migration in known:
        if migration.version in done or (upto is not None and migration.version > upto):
            continue
        async with db.transaction():
            for statement in split_statements(migration.sql):
                await db.execute(statement)
            await db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, now_text),
            )
        applied.append(migration)
    return applied


def split_statements(sql: str) -> list[str]:
    """Split a migration into statements (``executescript`` would commit mid-transaction)."""
    statements, current = [], []
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        current.append(line)
        if stripped.endswith(";") and _complete(current):
            statements.append("\n".join(current))
            current = []
    if current:
        statements.append("\n".join(current))
    return statements


def _complete(lines: list[str]) -> bool:
    return sqlite3.complete_statement("\n".join(lines))
