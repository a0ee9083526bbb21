"""The tuned peer: what a competent single-purpose bot does with the same stream.

Per message: a per-person XP counter with a one-minute cooldown, kept in memory, and
glossary term counting with one word-set lookup per token (no phrase matching, no
normalisation beyond case folding). Once a minute of stream time it writes what
changed in one transaction, one ``executemany`` per table, through aiosqlite with
the same WAL and synchronous=NORMAL settings as Hearth's. Reactions and joins are
ignored (it has no feature for them), but looking at them is timed like any event.

This is the yardstick of issue 13's "total ≤ 3× the tuned peer's, while doing every
feature": it does two features, and does them about as cheaply as Python allows.
It is committed before Hearth's optimisation and left unchanged afterwards.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from time import perf_counter_ns
from typing import Any

import aiosqlite

from benchmarks.measure import Samples
from benchmarks.stream import Layout, Post, Record

#: XP a message earns, and how long after one the next earns any.
XP_PER_MESSAGE = 20
COOLDOWN = timedelta(minutes=1)
#: How often the buffered counters are written.
FLUSH_EVERY = timedelta(minutes=1)


class TunedPeer:
    def __init__(self, layout: Layout, glossary: dict[int, list[str]]) -> None:
        self.layout = layout
        #: community index -> its single-word glossary terms, case-folded once.
        self.words = {
            index: frozenset(t.casefold() for t in terms if " " not in t)
            for index, terms in glossary.items()
        }
        self.guilds = [c.guild for c in layout.communities]
        self.cooldown_until: dict[tuple[int, str], datetime] = {}
        self.xp: Counter[tuple[int, str]] = Counter()
        self.terms: Counter[tuple[int, str]] = Counter()
        self.event_ns = Samples()
        self.message_ns = Samples()
        self.flush_ns = 0
        self.flushes = 0
        self.rows_written = 0
        self._next_flush: datetime | None = None
        self._db: aiosqlite.Connection | None = None

    async def open(self, path: Path) -> None:
        self._db = await aiosqlite.connect(path)
        await self._db.execute("PRAGMA journal_mode=WAL")
        await self._db.execute("PRAGMA synchronous=NORMAL")
        await self._db.execute(
            "CREATE TABLE IF NOT EXISTS xp (guild TEXT, member TEXT, xp INTEGER,"
            " PRIMARY KEY (guild, member)) WITHOUT ROWID"
        )
        await self._db.execute(
            "CREATE TABLE IF NOT EXISTS term_uses (guild TEXT, term TEXT, uses INTEGER,"
            " PRIMARY KEY (guild, term)) WITHOUT ROWID"
        )
        await self._db.commit()

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()

    def handle(self, batch: list[Record], now: datetime) -> None:
        """The per-event work: synchronous, no I/O."""
        cooldown_until = self.cooldown_until
        xp, terms, words = self.xp, self.terms, self.words
        for record in batch:
            started = perf_counter_ns()
            if isinstance(record, Post):
                key = (record.community, record.author)
                until = cooldown_until.get(key)
                if until is None or now >= until:
                    cooldown_until[key] = now + COOLDOWN
                    xp[key] += XP_PER_MESSAGE
                vocabulary = words.get(record.community)
                if vocabulary:
                    for token in record.text.casefold().split():
                        if token in vocabulary:
                            terms[(record.community, token)] += 1
                elapsed = perf_counter_ns() - started
                self.message_ns.add(elapsed)
            else:
                elapsed = perf_counter_ns() - started
            self.event_ns.add(elapsed)

    async def tick(self, now: datetime, *, force: bool = False) -> None:
        """The once-a-minute job: write the changed counters as aggregates."""
        if self._next_flush is None:
            self._next_flush = now + FLUSH_EVERY
        if not force and now < self._next_flush:
            return
        self._next_flush = now + FLUSH_EVERY
        if not self.xp and not self.terms:
            return
        assert self._db is not None
        started = perf_counter_ns()
        guilds = self.guilds
        xp_rows = [(guilds[c], member, amount) for (c, member), amount in self.xp.items()]
        term_rows = [(guilds[c], term, uses) for (c, term), uses in self.terms.items()]
        self.xp.clear()
        self.terms.clear()
        db = self._db
        if xp_rows:
            await db.executemany(
                "INSERT INTO xp VALUES (?, ?, ?) ON CONFLICT (guild, member)"
                " DO UPDATE SET xp = xp + excluded.xp",
                xp_rows,
            )
        if term_rows:
            await db.executemany(
                "INSERT INTO term_uses VALUES (?, ?, ?) ON CONFLICT (guild, term)"
                " DO UPDATE SET uses = uses + excluded.uses",
                term_rows,
            )
        await db.commit()
        self.flush_ns += perf_counter_ns() - started
        self.flushes += 1
        self.rows_written += len(xp_rows) + len(term_rows)

    def summary(self) -> dict[str, Any]:
        events = len(self.event_ns)
        total = self.event_ns.total + self.flush_ns
        return {
            "events": events,
            "messages": len(self.message_ns),
            "per_event": self.event_ns.summary(),
            "per_message": self.message_ns.summary(),
            "flushes": self.flushes,
            "rows_written": self.rows_written,
            "flush_per_event_us": self.flush_ns / max(1, events) / 1000,
            "total_per_event_us": total / max(1, events) / 1000,
        }
