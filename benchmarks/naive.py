"""The naive peer: the same stream handled the way a typical hobby bot does it.

Per message: one awaited aiosqlite INSERT and COMMIT, then a Python loop over every
glossary term of the message's community (``if term in text.lower()``). The
database uses the same WAL and synchronous=NORMAL settings as Hearth's, so the
difference is the design (a write per message, a scan per message), not durability.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from time import perf_counter_ns
from typing import Any

import aiosqlite

from benchmarks.measure import Samples
from benchmarks.stream import Layout, Post, Record


class NaivePeer:
    def __init__(self, layout: Layout, glossary: dict[int, list[str]]) -> None:
        self.layout = layout
        #: community index -> its glossary terms, lower-cased once (the generous version).
        self.glossary = {index: [t.lower() for t in terms] for index, terms in glossary.items()}
        self.samples: dict[str, Samples] = defaultdict(Samples)
        self.hits = 0
        self._db: aiosqlite.Connection | None = None

    async def open(self, path: Path) -> None:
        self._db = await aiosqlite.connect(path)
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=NORMAL")
        await self._db.execute(
            "CREATE TABLE IF NOT EXISTS message_log (guild TEXT, channel TEXT, message TEXT,"
            " author TEXT, content TEXT)"
        )
        await self._db.commit()

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()

    async def handle(self, batch: list[Record]) -> None:
        assert self._db is not None
        db = self._db
        for record in batch:
            if not isinstance(record, Post):
                continue
            community = self.layout.communities[record.community]
            started = perf_counter_ns()
            await db.execute(
                "INSERT INTO message_log VALUES (?, ?, ?, ?, ?)",
                (community.guild, record.channel, record.message, record.author, record.text),
            )
            await db.commit()
            lowered = record.text.lower()
            for term in self.glossary.get(record.community, ()):
                if term in lowered:
                    self.hits += 1
            elapsed = perf_counter_ns() - started
            self.samples["message"].add(elapsed)
            scope = (
                "glossary community" if record.community in self.glossary else "other communities"
            )
            self.samples[scope].add(elapsed)

    def summary(self) -> dict[str, Any]:
        return {
            "messages": len(self.samples["message"]),
            "per_message": {scope: s.summary() for scope, s in self.samples.items()},
            "glossary_hits": self.hits,
        }
