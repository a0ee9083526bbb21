"""Migrations, transactions and online backup on real SQLite files."""

import asyncio
import sqlite3

import pytest

from bot.database import Database, backup_file
from bot.errors import DatabaseTooNew
from bot.migrations import available_migrations, migrate

NOW = "2026-03-02T09:00:00.000000+00:00"


async def test_an_empty_database_gets_every_migration_in_order(tmp_path):
    db = await Database.open(tmp_path / "new.db")
    try:
        applied = await migrate(db, NOW)
        assert [m.version for m in applied] == [m.version for m in available_migrations()]
        rows = await db.fetch_all("SELECT version FROM schema_migrations ORDER BY version")
        assert [r[0] for r in rows] == [m.version for m in applied]
        assert await db.fetch_value("PRAGMA journal_mode") == "wal"
        assert await db.fetch_value("PRAGMA foreign_keys") == 1
        assert await migrate(db, NOW) == []  # idempotent
    finally:
        await db.close()


async def test_an_older_database_is_brought_up_to_date_keeping_its_data(tmp_path):
    db = await Database.open(tmp_path / "old.db")
    try:
        await migrate(db, NOW, upto=1)
        await db.execute(
            "INSERT INTO communities (id, platform, created_at) VALUES ('test:c1', 'test', ?)",
            (NOW,),
        )
        applied = await migrate(db, NOW)
        assert applied and applied[0].version == 2
        assert await db.fetch_value("SELECT COUNT(*) FROM communities") == 1
    finally:
        await db.close()


async def test_a_database_from_a_newer_hearth_is_refused_with_a_clear_message(tmp_path):
    db = await Database.open(tmp_path / "future.db")
    try:
        await migrate(db, NOW)
        await db.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', ?)",
            (NOW,),
        )
        with pytest.raises(DatabaseTooNew, match="newer Hearth"):
            await migrate(db, NOW)
    finally:
        await db.close()


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path):
    db = await Database.open(tmp_path / "tx.db")
    try:
        await db.execute("CREATE TABLE t (x INTEGER)")
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.execute("INSERT INTO t VALUES (1)")
                raise RuntimeError("halfway")
        assert await db.fetch_value("SELECT COUNT(*) FROM t") == 0
        async with db.transaction():
            await db.execute("INSERT INTO t VALUES (2)")
            async with db.transaction():  # nested joins the outer one
                await db.execute("INSERT INTO t VALUES (3)")
        assert await db.fetch_value("SELECT SUM(x) FROM t") == 5
    finally:
        await db.close()


async def test_work_gathered_inside_a_transaction_is_part_of_it(tmp_path):
    db = await Database.open(tmp_path / "gather.db")
    try:
        await db.execute("CREATE TABLE t (x INTEGER)")
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await asyncio.gather(
                    db.execute("INSERT INTO t VALUES (1)"), db.execute("INSERT INTO t VALUES (2)")
                )
                raise RuntimeError("halfway")
        assert await db.fetch_value("SELECT COUNT(*) FROM t") == 0
    finally:
        await db.close()


async def test_a_task_that_outlives_its_transaction_does_not_write_into_the_next_one(tmp_path):
    db = await Database.open(tmp_path / "spawn.db")
    try:
        await db.execute("CREATE TABLE t (x INTEGER)")
        may_write = asyncio.Event()

        async def late_writer() -> None:
            await may_write.wait()
            await db.execute("INSERT INTO t VALUES (1)")

        async with db.transaction():
            spawned = asyncio.create_task(late_writer())  # copies the transaction's context
        with pytest.raises(RuntimeError):
            async with db.transaction():  # someone else's transaction, which fails
                await db.execute("INSERT INTO t VALUES (2)")
                may_write.set()
                await db.fetch_value("SELECT COUNT(*) FROM t")  # the late writer runs meanwhile
                raise RuntimeError("halfway")
        await spawned
        assert [r[0] for r in await db.fetch_all("SELECT x FROM t")] == [1]
    finally:
        await db.close()


async def test_backup_while_writing_is_consistent(tmp_path):
    source = tmp_path / "live.db"
    db = await Database.open(source)
    try:
        await db.execute("CREATE TABLE ledger (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER)")
        stop = asyncio.Event()
        fifty_written = asyncio.Event()

        async def writer() -> int:
            written = 0
            while not stop.is_set() and written < 5000:
                async with db.transaction():  # every row pair keeps a + b == 0
                    await db.execute("INSERT INTO ledger (a, b) VALUES (?, ?)", (written, -written))
                written += 1
                if written == 50:
                    fifty_written.set()
            return written

        task = asyncio.create_task(writer())
        await fifty_written.wait()
        await backup_file(source, tmp_path / "copy.db")
        stop.set()
        written = await task
    finally:
        await db.close()
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        count, total = copy.execute(
            "SELECT COUNT(*), COALESCE(SUM(a + b), 0) FROM ledger"
        ).fetchone()
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()
    assert 50 <= count <= written
    assert total == 0
