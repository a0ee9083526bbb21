"""Where the time goes: the stream replayed under cProfile, attributed to each cog.

A cog's listeners, jobs and timer handlers are called by the core (bot/app.py), so
the profile's caller→callee edges out of bot/app.py say how much time each cog's
entry point took, without knowing anything about the cog.
"""

from __future__ import annotations

import cProfile
import pstats
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.botrig import bench_bot, copy_database, owner_of
from benchmarks.corpus import glossary_terms
from benchmarks.hearth import BATCH, Template, glossary_by_script, to_event
from benchmarks.sizes import Sizes
from benchmarks.stream import Record, make_layout, records
from bot.clock import ManualClock

_CORE_CALLER = ("bot", "app.py")


def _short(function: tuple[str, int, str]) -> str:
    filename, line, name = function
    parts = Path(filename).parts
    for anchor in ("cogs", "bot", "discord", "aiosqlite", "asyncio"):
        if anchor in parts:
            filename = "/".join(parts[parts.index(anchor) :])
            break
    else:
        filename = Path(filename).name
    return f"{filename}:{line}:{name}"


def entry_points(stats: pstats.Stats, total: float) -> list[dict[str, Any]]:
    """Functions the Bot calls (listeners, jobs, timers, the members registry), by time."""
    by_function: dict[tuple[str, int, str], float] = defaultdict(float)
    for function, (_, _, _, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        inside_bot = Path(function[0]).parts[-2:] == _CORE_CALLER
        if owner_of(function[0]) is None or inside_bot:
            continue
        for caller, edge in callers.items():
            if Path(caller[0]).parts[-2:] == _CORE_CALLER:
                by_function[function] += edge[3]
    rows = sorted(by_function.items(), key=lambda item: -item[1])
    return [
        {
            "owner": owner_of(function[0]),
            "function": _short(function),
            "seconds": round(seconds, 4),
            "share": round(seconds / total, 3) if total else 0.0,
        }
        for function, seconds in rows
        if seconds > 0
    ]


def hottest(stats: pstats.Stats, limit: int = 12) -> list[dict[str, Any]]:
    rows = sorted(
        stats.stats.items(),  # type: ignore[attr-defined]
        key=lambda item: -item[1][2],
    )[:limit]
    return [
        {"function": _short(function), "self_seconds": round(tt, 4), "calls": nc}
        for function, (_, nc, tt, _, _) in rows
    ]


def by_owner(entries: list[dict[str, Any]]) -> dict[str, float]:
    totals: dict[str, float] = defaultdict(float)
    for entry in entries:
        totals[entry["owner"]] += entry["seconds"]
    return {
        owner: round(seconds, 4) for owner, seconds in sorted(totals.items(), key=lambda i: -i[1])
    }


async def profile_stream(
    template: Template, workdir: Path, sizes: Sizes, seed: int, cogs: list[str]
) -> dict[str, Any]:
    """Replay the first ``profile_events`` records under two profilers: one around
    each ``dispatch`` (the hot path), one around the clock moves (jobs and timers)."""
    path = workdir / "profile.db"
    copy_database(template.path, path)
    layout = make_layout(sizes.communities, seed)
    glossary = glossary_by_script(glossary_terms(sizes.glossary, seed))
    step = timedelta(seconds=sizes.stream_hours * 3600 / max(1, sizes.messages))
    hot, jobs = cProfile.Profile(), cProfile.Profile()
    sql: dict[str, dict[str, list[int]]] = {"dispatch": {}, "jobs": {}}
    async with bench_bot(path, ManualClock(template.clock_after), cogs) as rig:
        batch: list[Record] = []
        stream = records(layout, sizes.profile_events, seed, glossary)
        for record in [*stream, None]:
            if record is not None:
                batch.append(record)
            if batch and (record is None or len(batch) == BATCH):
                events = [to_event(r, layout, rig.clock.now()) for r in batch]
                rig.db.attribute = sql["dispatch"]
                hot.enable()
                for event in events:
                    await rig.bot.dispatch(event)
                hot.disable()
                rig.db.attribute = sql["jobs"]
                jobs.enable()
                await rig.bot.scheduler.advance(step * len(batch))  # type: ignore[union-attr]
                jobs.disable()
                rig.db.attribute = None
                batch = []
    result: dict[str, Any] = {"events": sizes.profile_events}
    for name, profiler in (("dispatch", hot), ("jobs", jobs)):
        stats = pstats.Stats(profiler)
        total = stats.total_tt  # type: ignore[attr-defined]
        entries = entry_points(stats, total)
        result[name] = {
            "seconds": round(total, 3),
            "by_owner": by_owner(entries),
            "sql_by_owner": {
                owner: {"statements": count, "awaited_seconds": round(ns / 1e9, 3)}
                for owner, (count, ns) in sorted(sql[name].items(), key=lambda i: -i[1][1])
            },
            "entry_points": entries[:15],
            "hottest": hottest(stats),
        }
    return result
