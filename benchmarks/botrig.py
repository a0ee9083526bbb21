"""A real Bot for benchmarking: real SQLite file, ManualClock, NullPlatform, and a
Database that counts (and on request captures) the statements it runs."""

from __future__ import annotations

import functools
import logging
import shutil
import sys
from collections.abc import AsyncIterator, Awaitable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter_ns
from typing import Any, TypeVar

from benchmarks.platform import NullPlatform
from bot.app import Bot
from bot.clock import ManualClock
from bot.config import parse_config
from bot.database import Database, Params, Row
from bot.migrations import migrate
from bot.platform import Person
from bot.registry import available_cogs, import_cog
from bot.timeutil import to_db

T = TypeVar("T")
MODERATOR = Person("bench-moderator", "bench-moderator", is_admin=True)


@functools.cache
def owner_of(filename: str) -> str | None:
    """Which part of Hearth a source file belongs to: a cog's name, or core (module)."""
    parts = Path(filename).parts
    if "cogs" in parts:
        index = parts.index("cogs")
        if index + 1 < len(parts):
            return parts[index + 1].removesuffix(".py")
    if len(parts) >= 2 and parts[-2] == "bot" and parts[-1] != "database.py":
        return f"core ({parts[-1].removesuffix('.py')})"
    return None


def _calling_owner() -> str:
    """The cog on whose behalf a statement runs (even when core code, such as the members
    registry or the timers, runs it for the cog); else the core module that runs it."""
    core = None
    frame = sys._getframe(2)
    while frame is not None:
        owner = owner_of(frame.f_code.co_filename)
        if owner is not None and not owner.startswith("core"):
            return owner
        core = core or owner
        frame = frame.f_back
    return core or "other"


class RecordingDatabase(Database):
    """Counts statements. With ``capture`` set to a list it also records (sql, params);
    with ``attribute`` set to a dict it adds up, per owner of the calling code (a cog or
    a core module), the statements and the time spent awaiting them."""

    statements = 0
    capture: list[tuple[str, Any]] | None = None
    attribute: dict[str, list[int]] | None = None

    async def _run(self, sql: str, params: Any, call: Awaitable[T]) -> T:
        self.statements += 1
        if self.capture is not None:
            self.capture.append((sql, params))
        if self.attribute is None:
            return await call
        owner = _calling_owner()
        started = perf_counter_ns()
        try:
            return await call
        finally:
            totals = self.attribute.setdefault(owner, [0, 0])
            totals[0] += 1
            totals[1] += perf_counter_ns() - started

    async def execute(self, sql: str, params: Params = ()) -> int:
        return await self._run(sql, params, super().execute(sql, params))

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        rows = list(rows)
        await self._run(sql, rows[0] if rows else (), super().execute_many(sql, rows))

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        return await self._run(sql, params, super().fetch_one(sql, params))

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        return await self._run(sql, params, super().fetch_all(sql, params))


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
async def bench_bot(path: Path, clock: ManualClock, cogs: Sequence[str]) -> AsyncIterator[Rig]:
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


def file_sizes(path: Path) -> dict[str, int]:
    """The database file and its write-ahead log, in bytes."""
    return {
        name: Path(f"{path}{suffix}").stat().st_size
        for name, suffix in (("file", ""), ("wal", "-wal"))
        if Path(f"{path}{suffix}").exists()
    }


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def copy_database(source: Path, target: Path) -> None:
    remove_database(target)
    for suffix in ("", "-wal"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")


async def database_bytes(db: Database, path: Path) -> dict[str, int]:
    """Sizes after folding the write-ahead log into the file (``busy`` 1: it could not)."""
    row = await db.fetch_one("PRAGMA wal_checkpoint(TRUNCATE)")
    sizes = file_sizes(path)
    return {**sizes, "total": sum(sizes.values()), "busy": row[0] if row else -1}


class LogTally(logging.Handler):
    """Counts what the bot logs at WARNING and above (a failing cog shows up here, in the
    report, instead of scrolling past), keeping the first few distinct messages."""

    def __init__(self, keep: int = 8) -> None:
        super().__init__(logging.WARNING)
        self.counts: dict[str, int] = {}
        self.keep = keep
        self._level = logging.WARNING

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage().splitlines()[0][:200]
        key = f"{record.levelname}: {message}"
        if key in self.counts or len(self.counts) < self.keep:
            self.counts[key] = self.counts.get(key, 0) + 1
        else:
            self.counts["(other messages)"] = self.counts.get("(other messages)", 0) + 1

    def install(self) -> None:
        """Count instead of printing: the table lists what was logged."""
        root = logging.getLogger()
        self._level = root.level
        root.addHandler(self)
        root.setLevel(logging.WARNING)

    def remove(self) -> None:
        root = logging.getLogger()
        root.removeHandler(self)
        root.setLevel(self._level)
