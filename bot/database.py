"""SQLite through aiosqlite: WAL, foreign keys, explicit transactions, online backup.

One connection serves the whole bot. Transactions are serialised with a lock so
that two coroutines never interleave statements inside one BEGIN…COMMIT; a
statement run outside ``transaction()`` commits on its own.

Code inside ``transaction()`` runs its statements without the lock (it holds it).
Tasks it spawns (``create_task``, ``gather``) copy its context, so they join the
transaction too, but only while that transaction is open: a task that outlives
it takes the lock like anyone else, instead of slipping its statements into the
next coroutine's transaction. Await spawned work before the block ends.
"""

from __future__ import annotations

import asyncio
import contextvars
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

Row = sqlite3.Row
Params = Sequence[Any] | dict[str, Any]

#: The largest integer SQLite stores (a signed 64-bit integer); larger ones fail to bind.
INTEGER_MAX = 2**63 - 1


def row_id(text: str) -> int | None:
    """``text`` as a row id (ASCII digits within SQLite's range), else None: a typed
    ``#99999999999999999999`` is "no such row", never an overflow at bind time."""
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if value <= INTEGER_MAX else None


def containing(text: str) -> str:
    """``text`` escaped for a ``LIKE … ESCAPE '\\'`` pattern (``%`` and ``_`` taken literally)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: The transaction the current context opened (or inherited when it was spawned).
_joined: contextvars.ContextVar[object | None] = contextvars.ContextVar(
    "hearth_transaction", default=None
)


class Database:
    def __init__(self, connection: aiosqlite.Connection, path: str) -> None:
        self._connection = connection
        self._lock = asyncio.Lock()
        self._open: object | None = None  # the transaction between BEGIN and COMMIT, if any
        self.path = path

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        connection = await aiosqlite.connect(str(path), isolation_level=None)
        connection.row_factory = sqlite3.Row
        await connection.execute("PRAGMA journal_mode=WAL")
        await connection.execute("PRAGMA foreign_keys=ON")
        await connection.execute("PRAGMA synchronous=NORMAL")
        await connection.execute("PRAGMA busy_timeout=5000")
        return cls(connection, str(path))

    async def close(self) -> None:
        await self._connection.close()

    def in_transaction(self) -> bool:
        """Whether the caller runs inside an open ``transaction()``."""
        return self._inside_open_transaction()

    def _inside_open_transaction(self) -> bool:
        return self._open is not None and _joined.get() is self._open

    @asynccontextmanager
    async def _guard(self) -> AsyncIterator[None]:
        if self._inside_open_transaction():
            yield
            return
        async with self._lock:
            yield

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the number of rows changed."""
        async with self._guard():
            cursor = await self._connection.execute(sql, params)
            count = cursor.rowcount
            await cursor.close()
            return count

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        async with self._guard():
            await self._connection.executemany(sql, rows)

    async def fetch_one(self, sql: str, params: Params = ()) -> Row | None:
        async with self._guard():
            async with self._connection.execute(sql, params) as cursor:
                return await cursor.fetchone()

    async def fetch_all(self, sql: str, params: Params = ()) -> list[Row]:
        async with self._guard():
            async with self._connection.execute(sql, params) as cursor:
                return list(await cursor.fetchall())

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Database]:
        """``async with db.transaction():`` — all or nothing; nested use joins the outer one."""
        if self._inside_open_transaction():
            yield self
            return
        async with self._lock:
            marker = object()
            token = _joined.set(marker)
            try:
                await self._connection.execute("BEGIN IMMEDIATE")
                self._open = marker
                try:
                    yield self
                    await self._connection.execute("COMMIT")
                except BaseException:
                    if self._connection.in_transaction:  # also when COMMIT itself failed
                        await self._connection.execute("ROLLBACK")
                    raise
            finally:
                self._open = None
                _joined.reset(token)


async def backup_file(source: str | Path, target: str | Path) -> None:
    """Copy a live database file with SQLite's online backup API (in a worker thread)."""

    def copy() -> None:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    await asyncio.to_thread(copy)
