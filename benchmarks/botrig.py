"""A real Bot for benchmarking: real SQLite file, ManualClock, NullPlatform, and a
Database that counts (and on request captures) the statements it runs."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.platform import NullPlatform
from bot.app import Bot
from bot.clock import ManualClock
from bot.config import parse_config
from bot.database import Database, Params, Row
from bot.migrations import migrate
from bot.platform import Person
from bot.registry import available_cogs, import_cog
from bot.timeutil import to_db

log = logging.getLogger(__name__)

MODERATOR = Person("bench-moderator", "bench-moderator", is_admin=True)


class RecordingDatabase(Database):
    """Counts statements; with ``capture`` set to a list, also records (sql, params)."""

    statements = 0
    capture: list[tuple[str, Any]] | None = None

    def _note(self, sql: str, params: Any) -> None:
        self.statements += 1
        if self.capture is not None:
            self.capture.append((sql, params))

    async def execute(self, sql: str, params: Params = ()) -> int:
        self._note(sql, params)
        return await super().execute(sql, params)

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        rows = list(rows)
        self._note(sql, rows[0] if rows else ())
        await super().execute_many(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        self._note(sql, params)
        return await super().fetch_one(sql, params)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        self._note(sql, params)
        return await super().fetch_all(sql, params)


def loadable_cogs() -> tuple[list[str], dict[str, str]]:
    """The cogs under cogs/ that import and offer ``setup``; and why the others do not."""
    loaded: list[str] = []
    skipped: dict[str, str] = {}
    for name in available_cogs():
        try:
            module = import_cog(name)
        except Exception as error:  # a cog being written right now may not import yet
            skipped[name] = f"does not import: {type(error).__name__}: {error}"
            continue
        if not callable(getattr(module, "setup", None)):
            skipped[name] = "has no setup()"
            continue
        loaded.append(name)
    return loaded, skipped


@dataclass
class Rig:
    bot: Bot
    db: RecordingDatabase
    clock: ManualClock
    platform: NullPlatform
    path: Path


@asynccontextmanager
async def bench_bot(
    path: Path, clock: ManualClock, cogs: Sequence[str]
) -> AsyncIterator[Rig]:
    """What ``bot.runtime.running_bot`` does, on a RecordingDatabase."""
    config = parse_config(
        {"hearth": {"cogs": list(cogs), "database": str(path)}}, set(available_cogs())
    )
    db = await RecordingDatabase.open(path)
    try:
        await migrate(db, to_db(clock.now()))
        bot = Bot(config, db, clock)
        platform = NullPlatform()
        bot.add_platform(platform)
        bot.load_cogs()
        await bot.start()
        try:
            yield Rig(bot, db, clock, platform, path)
        finally:
            await bot.close()
    finally:
        await db.close()


def database_bytes(path: Path) -> int:
    """The database file plus its write-ahead log."""
    return sum(
        Path(f"{path}{suffix}").stat().st_size
        for suffix in ("", "-wal")
        if Path(f"{path}{suffix}").exists()
    )
