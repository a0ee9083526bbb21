"""One run: Hearth, discord.py's parser and the two peers on the same stream, interleaved.

The contenders take turns batch by batch (parse, naive, tuned, Hearth), so a noisy
neighbour on a shared machine slows all of them alike and the ratios stay meaningful
even when absolute times drift.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks.botrig import bench_bot, copy_database, database_bytes, remove_database
from benchmarks.corpus import glossary_terms
from benchmarks.floor import DiscordFloor
from benchmarks.hearth import (
    BATCH,
    HearthStream,
    Template,
    command_latencies,
    glossary_by_script,
)
from benchmarks.measure import rss_bytes, settled_heap
from benchmarks.naive import NaivePeer
from benchmarks.sizes import Sizes
from benchmarks.stream import Record, make_layout, records
from benchmarks.tuned import TunedPeer
from bot.clock import ManualClock


def _batches(stream: Any, size: int) -> Any:
    batch: list[Record] = []
    for record in stream:
        batch.append(record)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def one_run(
    template: Template,
    workdir: Path,
    sizes: Sizes,
    seed: int,
    cogs: list[str],
    *,
    deadline: float | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Feed ``sizes.messages`` records (or ``limit``), stopping at the batch that passes
    ``deadline`` (a ``perf_counter`` value): the time box that keeps ``make bench`` short
    however slow the cogs are. The clock moves as if the whole stream were played, so
    flushes are amortised over the same number of events per second either way."""
    path = workdir / "hearth.db"
    copy_database(template.path, path)
    naive_path = workdir / "naive.db"
    remove_database(naive_path)
    tuned_path = workdir / "tuned.db"
    remove_database(tuned_path)
    layout = make_layout(sizes.communities, seed)
    terms = glossary_terms(sizes.glossary, seed)
    glossary = glossary_by_script(terms)
    floor = DiscordFloor(layout)
    naive = NaivePeer(layout, {0: [term for term, _, _ in terms]})
    await naive.open(naive_path)
    tuned = TunedPeer(layout, {0: [term for term, _, _ in terms]})
    await tuned.open(tuned_path)
    step = timedelta(seconds=sizes.stream_hours * 3600 / max(1, sizes.messages))
    rss_before = rss_bytes()
    started = perf_counter()
    async with bench_bot(path, ManualClock(template.clock_after), cogs) as rig:
        startup = perf_counter() - started
        rss_started = rss_bytes()
        disk_before = await database_bytes(rig.db, path)
        hearth = HearthStream(rig, layout)
        seen = 0
        began = perf_counter()
        count = sizes.messages if limit is None else min(limit, sizes.messages)
        with settled_heap():
            for batch in _batches(records(layout, count, seed, glossary), BATCH):
                if deadline is not None and perf_counter() > deadline:
                    break
                floor.feed(batch)
                if seen < sizes.naive_messages:
                    await naive.handle(batch)
                tuned.handle(batch, rig.clock.now())
                seen += len(batch)
                await hearth.dispatch(batch)
                await hearth.advance(step * len(batch))
                await tuned.tick(rig.clock.now())
            await hearth.advance(timedelta(minutes=1))  # the last buffered counts
            await tuned.tick(rig.clock.now(), force=True)
        stream_seconds = perf_counter() - began
        rss_after = rss_bytes()
        disk_after = await database_bytes(rig.db, path)
        commands = await command_latencies(rig, layout, terms, sizes.commands, seed)
        actions = dict(rig.platform.counts)
    await naive.close()
    await tuned.close()
    summary = hearth.summary()
    messages = summary["by_kind"].get("message", {}).get("busy", {}).get("count", 0)
    return {
        "requested_events": count,
        "hearth": summary,
        "discord": floor.summary(),
        "naive": naive.summary(),
        "tuned": tuned.summary(),
        "commands": commands,
        "startup_seconds": startup,
        "stream_seconds": stream_seconds,
        "rss": {"before": rss_before, "started": rss_started, "after_stream": rss_after},
        "disk": {
            "before": disk_before,
            "after": disk_after,
            "messages": messages,
            "bytes_per_100k_messages": (disk_after["total"] - disk_before["total"])
            * 100_000
            / max(1, messages),
        },
        "platform_actions": actions,
    }
