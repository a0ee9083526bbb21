"""Scheduled sweeps over a large store: 10,000 communities, 1,000,000 questions, 1 % due.

The communities are configured through ``/questions config`` (help channel and
helpers' channel). The questions are then written straight into the questions cog's
table with SQL, because a million questions cannot be asked through the stream in
the time budget; the columns mirror ``QuestionsStore.insert`` (cogs/questions/store.py)
plus the due times the sweep reads: ``next_nudge_at`` (reminders and the helpers'
digest, ``QuestionsStore.due_nudges``), ``check_in_at`` (``due_check_ins``) and
``close_at`` (``due_closes``). If the cog's table changes shape, the section is
skipped with a note instead of failing.

Each run then starts a bot on a copy and moves the clock through the scheduler, so
the cog's real sweep job runs exactly as in production: once with the due rows,
once more with nothing due. Only the cogs that own sweeps over this store are loaded
(questions, and digest once it exists), so other cogs' flush jobs do not blur the
figure; the core's own jobs (members flush, timers) still run, as they always do. Every statement the sweep ran is captured and
``EXPLAIN QUERY PLAN`` shows whether it searched an index or scanned a table.
"""

from __future__ import annotations

import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks import scenario
from benchmarks.botrig import MODERATOR, RecordingDatabase, bench_bot, copy_database
from benchmarks.hearth import START, command
from benchmarks.measure import rss_bytes
from benchmarks.sizes import Sizes
from benchmarks.stream import Layout, make_layout
from bot.clock import ManualClock
from bot.cog import JobMark, marks_of
from bot.timeutil import to_db

DUE_SHARE = 0.01
ACTIVE_SHARE = 0.19  # waiting or answered, due later

_COLUMNS = (
    "community", "channel", "message", "thread", "asker", "excerpt", "source", "state",
    "asked_at", "last_activity_at", "first_response_at", "responder", "solved_at", "solver",
    "closed_at", "close_reason", "next_nudge_at", "check_in_at", "close_at",
)  # fmt: skip


def _times(rng: random.Random, now: datetime, low: timedelta, high: timedelta) -> list[str]:
    """A pool of stored times in [now+low, now+high): formatting a million datetimes one by
    one would cost more than the sweep being measured."""
    span = (high - low).total_seconds()
    return [to_db(now + low + timedelta(seconds=rng.random() * span)) for _ in range(4096)]


def _question_rows(
    communities: list[tuple[str, str, list[str]]], count: int, now: datetime, seed: int
) -> Any:
    """Rows for ``_COLUMNS``: 1 % due now, 19 % due later, the rest solved or closed."""
    rng = random.Random(seed)
    hour, day = timedelta(hours=1), timedelta(days=1)
    asked_recently = _times(rng, now, -150 * hour, -3 * hour)
    asked_long_ago = _times(rng, now, -365 * day, -7 * day)
    earlier = _times(rng, now, -2 * hour, -timedelta(minutes=1))
    later = _times(rng, now, hour, 3 * day)
    much_later = _times(rng, now, 3 * day, 6 * day)
    due_count = round(count * DUE_SHARE)
    active_count = round(count * ACTIVE_SHARE)
    pick = rng.randrange
    for index in range(count):
        community, channel, members = communities[index % len(communities)]
        message = str(1_300_000_000_000_000_000 + index)
        asker = members[pick(len(members))]
        responder = members[(members.index(asker) + 1) % len(members)]
        asked = asked_recently[pick(4096)]
        state = "open"
        first = who = solved = solver = closed = reason = None
        nudge = check_in = close = None
        if index < due_count:
            kind = index % 5
            if kind < 3:  # a reminder (and the helpers' digest) is due
                nudge, close = earlier[pick(4096)], later[pick(4096)]
            elif kind == 3:  # the asker's check-in is due
                state, first, who = "answered", asked, responder
                check_in, close = earlier[pick(4096)], later[pick(4096)]
            else:  # closing an inactive question is due
                nudge, close = later[pick(4096)], earlier[pick(4096)]
        elif index < due_count + active_count:
            if index % 2:
                nudge, close = later[pick(4096)], much_later[pick(4096)]
            else:
                state, first, who = "answered", asked, responder
                check_in, close = later[pick(4096)], much_later[pick(4096)]
        elif index % 5:
            asked = asked_long_ago[pick(4096)]
            state, first, who, solved, solver = "solved", asked, responder, asked, asker
        else:
            asked = asked_long_ago[pick(4096)]
            state, closed, reason = "closed", asked, "inactive"
        yield (
            community, channel, message, message, asker, "how do I make the build pass?",
            "help", state, asked, asked, first, who, solved, solver, closed, reason,
            nudge, check_in, close,
        )  # fmt: skip


SWEEP_COGS = ("questions", "digest")


def sweep_layout(sizes: Sizes, seed: int) -> Layout:
    return make_layout(sizes.sweep_communities, seed + 1, biggest=50)


def sweep_cogs(cogs: list[str]) -> list[str]:
    return [name for name in cogs if name in SWEEP_COGS]


async def build_sweep_template(
    path: Path, sizes: Sizes, seed: int, cogs: list[str]
) -> dict[str, Any]:
    """Configure the communities through commands, then bulk-insert the questions."""
    if "questions" not in cogs:
        return {"skipped": "the questions cog has not landed"}
    cogs = sweep_cogs(cogs)
    layout = sweep_layout(sizes, seed)
    clock = ManualClock(START)
    began = perf_counter()
    async with bench_bot(path, clock, cogs) as rig:
        for community in layout.communities:
            await rig.bot.ensure_community(community.id, community.name)
            for line in scenario.sweep_setup(community):
                if scenario.declared(rig.bot, line.path):
                    await command(rig, community, MODERATOR, line.text)
        now = clock.now()
    configured = perf_counter() - began
    rows = _question_rows(
        [(c.id, c.channels["help"], c.members) for c in layout.communities],
        sizes.questions,
        now,
        seed,
    )
    connection = sqlite3.connect(path)
    try:
        missing = set(_COLUMNS) - {r[1] for r in connection.execute("PRAGMA table_info(questions)")}
        if missing:
            return {"skipped": f"the questions table has no column(s) {sorted(missing)}"}
        # A bulk load is faster with the indexes built afterwards, from their own definitions.
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'index' AND tbl_name = 'questions' AND sql IS NOT NULL"
        ).fetchall()
        with connection:
            for name, _ in indexes:
                connection.execute(f'DROP INDEX "{name}"')
            connection.executemany(
                f"INSERT INTO questions ({', '.join(_COLUMNS)})"
                f" VALUES ({', '.join('?' * len(_COLUMNS))})",
                rows,
            )
            for _, sql in indexes:
                connection.execute(sql)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return {
        "communities": sizes.sweep_communities,
        "questions": sizes.questions,
        "due": round(sizes.questions * DUE_SHARE),
        "configure_seconds": round(configured, 2),
        "build_seconds": round(perf_counter() - began, 2),
        "clock": now,
    }


def declared_jobs(cogs: dict[str, Any]) -> list[tuple[str, JobMark]]:
    """Every ``@job`` of the loaded cogs, read from the marks (as ``Bot.add_cog`` does)."""
    found = []
    for cog in cogs.values():
        seen: set[str] = set()
        for klass in type(cog).__mro__:
            for attribute, function in vars(klass).items():
                if attribute in seen or not callable(function):
                    continue
                seen.add(attribute)
                for mark in marks_of(function):
                    if isinstance(mark, JobMark):
                        found.append((f"{cog.name}.{attribute}", mark))
    return found


async def explain(db: RecordingDatabase, captured: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """The query plan of every distinct reading statement a sweep ran. A statement reads
    only due rows when no step scans a table (a partial index holds only the rows it
    names, so scanning one is fine)."""
    partial = {
        row[0]
        for row in await db.fetch_all("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
        if row[1] and " WHERE " in row[1].upper()
    }
    plans: dict[str, dict[str, Any]] = {}
    for sql, params in captured:
        text = " ".join(sql.split())
        verb = text.split(" ", 1)[0].upper()
        if text in plans or verb not in {"SELECT", "UPDATE", "DELETE", "WITH"}:
            continue
        if " WHERE " not in text.upper() and verb != "SELECT":
            continue
        rows = await db.fetch_all(f"EXPLAIN QUERY PLAN {sql}", params)
        details = [row[3] for row in rows]
        scans = [
            d for d in details
            if d.startswith("SCAN ") and not any(f"INDEX {name}" in d for name in partial)
        ]  # fmt: skip
        plans[text] = {"sql": text, "plan": details, "reads_only_due_rows": not scans}
    return list(plans.values())


async def run_sweeps(
    template: Path, info: dict[str, Any], workdir: Path, sizes: Sizes, seed: int, cogs: list[str]
) -> dict[str, Any]:
    path = workdir / "sweeps.db"
    copy_database(template, path)
    cogs = sweep_cogs(cogs)
    rss_before = rss_bytes()
    began = perf_counter()
    async with bench_bot(path, ManualClock(info["clock"]), cogs) as rig:
        startup = perf_counter() - began
        rss_started = rss_bytes()
        jobs = declared_jobs(rig.bot.cogs)
        questions_every = [
            mark.every for name, mark in jobs if name.startswith("questions.") and mark.every
        ]
        every = max(questions_every, default=timedelta(minutes=5))
        sends_before = dict(rig.platform.counts)
        rig.db.capture = []
        statements = rig.db.statements
        started = perf_counter()
        await rig.bot.scheduler.advance(every)  # type: ignore[union-attr]
        due_seconds = perf_counter() - started
        due_statements = rig.db.statements - statements
        captured, rig.db.capture = rig.db.capture, None
        sends = {k: v - sends_before.get(k, 0) for k, v in rig.platform.counts.items()}
        statements = rig.db.statements
        started = perf_counter()
        await rig.bot.scheduler.advance(every)  # type: ignore[union-attr]
        idle_seconds = perf_counter() - started
        idle_statements = rig.db.statements - statements
        general = {c.channels["general"] for c in sweep_layout(sizes, seed).communities}
        digest = await _digest_sweep(rig, info["clock"], captured, general)
        plans = await explain(rig.db, captured)
        daily = await _daily_jobs(rig, jobs)
    return {
        "startup_seconds": startup,
        "rss_started_minus_before": rss_started - rss_before,
        "window": str(every),
        "due_sweep_seconds": due_seconds,
        "due_sweep_statements": due_statements,
        "idle_sweep_seconds": idle_seconds,
        "idle_sweep_statements": idle_statements,
        "platform_actions": sends,
        "digest": digest,
        "query_plans": plans,
        "all_read_only_due_rows": all(p["reads_only_due_rows"] for p in plans),
        "daily_jobs": daily,
        "jobs": [
            {
                "job": name,
                "every": str(mark.every) if mark.every else None,
                "daily_at": str(mark.daily_at) if mark.daily_at else None,
            }
            for name, mark in jobs
        ],
    }


async def _digest_sweep(
    rig: Any, start: datetime, captured: list[tuple[str, Any]], channels: set[str]
) -> dict[str, Any] | None:
    """Move the clock past the moment the weekly digests are due; count what went to the
    digest channels (reminders go to the helpers' channels)."""
    if "digest" not in rig.bot.cogs:
        return None
    hour, minute = (int(part) for part in scenario.DIGEST_TIME.split(":"))
    target = start.replace(hour=hour, minute=minute) + timedelta(minutes=1)

    def digests() -> int:
        return sum(rig.platform.channels[channel] for channel in channels)

    sent = digests()
    statements = rig.db.statements
    rig.db.capture = captured
    started = perf_counter()
    await rig.bot.scheduler.advance(target - rig.clock.now())
    seconds = perf_counter() - started
    rig.db.capture = None
    return {
        "seconds": seconds,
        "digests_sent": digests() - sent,
        "statements": rig.db.statements - statements,
    }


async def _daily_jobs(rig: Any, jobs: list[tuple[str, JobMark]]) -> dict[str, float]:
    """Daily jobs (a digest) run per community: what the scheduler would do at that hour,
    for every community at once (the worst case: all in one timezone)."""
    timings: dict[str, float] = {}
    for name, mark in jobs:
        if mark.daily_at is None:
            continue
        cog_name, attribute = name.split(".", 1)
        function = getattr(rig.bot.cogs[cog_name], attribute)
        started = perf_counter()
        for community in rig.bot.communities():
            await function(community)
        timings[name] = perf_counter() - started
    return timings
