"""Putting a Bot together: open the database, migrate, load cogs, start; and tear down."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

from bot.app import Bot
from bot.catalog import Catalog
from bot.clock import Clock
from bot.cog import Cog
from bot.config import Config
from bot.database import Database
from bot.migrations import migrate
from bot.platform import Platform
from bot.timeutil import to_db


@asynccontextmanager
async def running_bot(
    config: Config,
    clock: Clock,
    *,
    database: str | Path | None = None,
    platforms: Iterable[Platform] = (),
    catalog: Catalog | None = None,
    extra_cogs: Iterable[Callable[[Bot], Cog]] = (),
) -> AsyncIterator[Bot]:
    """A started bot on a migrated database; flushed and closed on exit.

    ``extra_cogs`` are factories for cogs that do not live under ``cogs/`` (tests, plugins).
    """
    db = await Database.open(database or config.hearth.database)
    try:
        await migrate(db, to_db(clock.now()))
        bot = Bot(config, db, clock, catalog)
        for platform in platforms:
            bot.add_platform(platform)
        bot.load_cogs()
        for factory in extra_cogs:
            bot.add_cog(factory(bot))
        await bot.start()
        try:
            yield bot
        finally:
            await bot.close()
    finally:
        await db.close()
