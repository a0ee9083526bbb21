"""Hearth itself: set the communities up through commands, then feed the stream.

The set-up (communities, missions, help channels, the glossary) is done once, into a
template database, through ``bot.interactions.run_text`` as a moderator; every run
starts a fresh bot on a copy of it, as a restart would, and feeds the same stream
through ``bot.dispatch`` while the ManualClock moves on so the buffered flushes run.
"""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from time import perf_counter, perf_counter_ns
from typing import Any

from benchmarks import scenario
from benchmarks.botrig import MODERATOR, Rig, bench_bot, database_bytes
from benchmarks.corpus import glossary_terms
from benchmarks.measure import Samples, Timed, rss_bytes
from benchmarks.sizes import Sizes
from benchmarks.stream import Community, Join, Layout, Post, Record, make_layout, member_name, records
from bot.clock import ManualClock
from bot.events import Event, MemberJoined, MessagePosted, ReactionAdded
from bot.platform import Person

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
#: Events dispatched between two moves of the clock (the flush jobs run in the moves).
BATCH = 250


@dataclass
class Template:
    path: Path
    clock_after: datetime
    seconds: float
    commands: int
    echo: dict[str, str] = field(default_factory=dict)
    checks: dict[str, bool] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seconds": round(self.seconds, 2),
            "commands": self.commands,
            "first_replies": self.echo,
            "checks": self.checks,
            "not_declared": self.skipped,
        }


def glossary_by_script(terms: list[tuple[str, str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for term, _, script in terms:
        grouped[script].append(term)
    return dict(grouped)


async def command(rig: Rig, community: Community, person: Person, line: str) -> str:
    reply = await rig.bot.interactions.run_text(community.id, person, "general", line)
    message = reply.message
    return " ".join(filter(None, [message.title or "", message.text, *(f.value for f in message.fields)]))


async def build_template(path: Path, sizes: Sizes, seed: int, cogs: list[str]) -> Template:
    """Configure every community through commands and fill community 0's glossary."""
    clock = ManualClock(START)
    layout = make_layout(sizes.communities, seed)
    terms = glossary_terms(sizes.glossary, seed)
    began = perf_counter()
    template = Template(path, START, 0.0, 0)
    async with bench_bot(path, clock, cogs) as rig:
        lines_for_all = scenario.community_setup(layout.communities[0])
        skipped = {" ".join(line.path) for line in lines_for_all if not scenario.declared(rig.bot, line.path)}
        if not scenario.declared(rig.bot, ("glossary", "add")):
            skipped.add("glossary add")
        template.skipped = sorted(skipped)
        for community in layout.communities:
            await rig.bot.ensure_community(community.id, community.name)
            lines = list(scenario.community_setup(community))
            if community.index == 0:
                lines += scenario.glossary_setup(terms)
            for line in lines:
                if " ".join(line.path) in skipped:
                    continue
                reply = await command(rig, community, MODERATOR, line.text)
                template.commands += 1
                template.echo.setdefault(" ".join(line.path), reply[:160])
        for name, path_, line, expected in scenario.checks(terms):
            if scenario.declared(rig.bot, path_):
                reply = await command(rig, layout.communities[0], MODERATOR, line)
                template.checks[name] = expected in reply
        template.clock_after = clock.now()
    template.seconds = perf_counter() - began
    return template


def to_event(record: Record, layout: Layout, at: datetime) -> Event:
    community = layout.communities[record.community]
    if isinstance(record, Post):
        return MessagePosted(
            community=community.id,
            at=at,
            channel=record.channel,
            message=record.message,
            author=record.author,
            author_name=member_name(record.author),
            text=record.text,
            thread=record.thread,
            reply_to=record.reply_to,
            mentions=record.mentions,
            starts_thread=record.starts_thread,
        )
    if isinstance(record, Join):
        return MemberJoined(
            community=community.id, at=at, user=record.user, name=member_name(record.user)
        )
    return ReactionAdded(
        community=community.id,
        at=at,
        channel=record.channel,
        message=record.message,
        user=record.user,
        emoji=record.emoji,
        message_author=record.message_author,
    )


KIND = {MessagePosted: "message", ReactionAdded: "reaction", MemberJoined: "join"}


@dataclass
class Ingest:
    busy: dict[str, Samples] = field(default_factory=lambda: defaultdict(Samples))
    wall: dict[str, Samples] = field(default_factory=lambda: defaultdict(Samples))
    suspended: Counter[str] = field(default_factory=Counter)
    statements: Counter[str] = field(default_factory=Counter)
    jobs_wall_ns: int = 0
    jobs_busy_ns: int = 0
    job_statements: int = 0


async def _dispatch_batch(rig: Rig, batch: list[Record], layout: Layout, ingest: Ingest) -> None:
    now = rig.clock.now()
    events = [to_event(record, layout, now) for record in batch]
    db = rig.db
    for event in events:
        kind = KIND[type(event)]
        before = db.statements
        timed = Timed(rig.bot.dispatch(event))
        await timed
        ingest.busy[kind].add(timed.busy)
        ingest.wall[kind].add(timed.wall)
        if timed.suspended:
            ingest.suspended[kind] += 1
        ingest.statements[kind] += db.statements - before


async def _advance(rig: Rig, delta: timedelta, ingest: Ingest) -> None:
    before = rig.db.statements
    started = perf_counter_ns()
    timed = Timed(rig.bot.scheduler.advance(delta))  # type: ignore[union-attr]
    await timed
    ingest.jobs_wall_ns += perf_counter_ns() - started
    ingest.jobs_busy_ns += timed.busy
    ingest.job_statements += rig.db.statements - before


def copy_database(source: Path, target: Path) -> None:
    for suffix in ("", "-wal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    Path(f"{target}-shm").unlink(missing_ok=True)


async def run_ingest(
    template: Template, workdir: Path, sizes: Sizes, seed: int, cogs: list[str]
) -> dict[str, Any]:
    """One run: a fresh bot on a copy of the template, the whole stream, the flushes,
    then the common commands against the data the stream left behind."""
    path = workdir / "ingest.db"
    copy_database(template.path, path)
    clock = ManualClock(template.clock_after)
    layout = make_layout(sizes.communities, seed)
    terms = glossary_terms(sizes.glossary, seed)
    glossary = glossary_by_script(terms)
    step = timedelta(seconds=sizes.stream_hours * 3600 / max(1, sizes.messages))
    rss_before = rss_bytes()
    started = perf_counter()
    async with bench_bot(path, clock, cogs) as rig:
        startup = perf_counter() - started
        rss_started = rss_bytes()
        await rig.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        bytes_before = database_bytes(path)
        ingest = Ingest()
        batch: list[Record] = []
        stream_began = perf_counter()
        for record in records(layout, sizes.messages, seed, glossary):
            batch.append(record)
            if len(batch) == BATCH:
                await _dispatch_batch(rig, batch, layout, ingest)
                await _advance(rig, step * len(batch), ingest)
                batch = []
        if batch:
            await _dispatch_batch(rig, batch, layout, ingest)
            await _advance(rig, step * len(batch), ingest)
        await _advance(rig, timedelta(minutes=1), ingest)  # the last buffered counts
        stream_seconds = perf_counter() - stream_began
        rss_after = rss_bytes()
        await rig.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        bytes_after = database_bytes(path)
        latencies = await command_latencies(rig, layout, terms, sizes, seed)
        actions = dict(rig.platform.counts)
    events = sum(len(s) for s in ingest.busy.values())
    messages = len(ingest.busy["message"])
    own_wall = sum(s.total for s in ingest.wall.values())
    return {
        "events": events,
        "by_kind": {
            kind: {
                "busy": ingest.busy[kind].summary(),
                "wall": ingest.wall[kind].summary(),
                "waited_for_io": ingest.suspended[kind],
                "sql_statements": ingest.statements[kind],
            }
            for kind in sorted(ingest.busy)
        },
        "events_per_second": events / ((own_wall + ingest.jobs_wall_ns) / 1e9),
        "stream_seconds": stream_seconds,
        "jobs": {
            "wall_ms": ingest.jobs_wall_ns / 1e6,
            "busy_ms": ingest.jobs_busy_ns / 1e6,
            "per_event_us": ingest.jobs_wall_ns / events / 1000,
            "sql_statements": ingest.job_statements,
        },
        "own_total_per_event_us": (own_wall + ingest.jobs_wall_ns) / events / 1000,
        "startup_seconds": startup,
        "rss": {"before": rss_before, "started": rss_started, "after_stream": rss_after},
        "disk": {
            "bytes_before": bytes_before,
            "bytes_after": bytes_after,
            "messages": messages,
            "bytes_per_100k_messages": (bytes_after - bytes_before) * 100_000 / max(1, messages),
        },
        "commands": latencies,
        "platform_actions": actions,
    }


async def command_latencies(
    rig: Rig, layout: Layout, terms: list[tuple[str, str, str]], sizes: Sizes, seed: int
) -> dict[str, dict[str, float]]:
    samples: dict[str, Samples] = defaultdict(Samples)
    for label, community, user, line in scenario.common_command_lines(
        rig.bot, layout.communities, terms, sizes.commands, seed
    ):
        person = Person(user, member_name(user))
        started = perf_counter_ns()
        await rig.bot.interactions.run_text(community.id, person, community.channels["general"], line)
        samples[label].add(perf_counter_ns() - started)
    return {label: s.summary() for label, s in samples.items()}
