"""Memory and what it scales with: communities and members.

Python's own allocations are traced with ``tracemalloc`` (exact, and blind to other
processes); resident memory (RSS) is reported beside it because SQLite's page cache
and the interpreter live outside the traced heap. Members here are distinct people
posting (what every member does); joins, which also write rows and send welcomes,
are part of the ingest stream.
"""

from __future__ import annotations

import gc
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchmarks.botrig import bench_bot, copy_database, remove_database
from benchmarks.corpus import glossary_terms
from benchmarks.hearth import BATCH, HearthStream, Template, glossary_by_script
from benchmarks.measure import rss_bytes
from benchmarks.sizes import Sizes
from benchmarks.stream import Community, Post, make_layout, records
from bot.clock import ManualClock


def _traced() -> int:
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


async def run_footprint(
    template: Template, workdir: Path, sizes: Sizes, seed: int, cogs: list[str]
) -> dict[str, Any]:
    empty_path, path = workdir / "footprint-empty.db", workdir / "footprint.db"
    remove_database(empty_path)
    copy_database(template.path, path)
    layout = make_layout(sizes.communities, seed)
    glossary = glossary_by_script(glossary_terms(sizes.glossary, seed))
    stream_size = sizes.footprint_events
    tracemalloc.start()
    try:
        async with bench_bot(empty_path, ManualClock(template.clock_after), cogs):
            empty, rss_empty = _traced(), rss_bytes()
        async with bench_bot(path, ManualClock(template.clock_after), cogs) as rig:
            started, rss_started = _traced(), rss_bytes()
            hearth = HearthStream(rig, layout)
            batch = []
            for record in records(layout, stream_size, seed, glossary):
                batch.append(record)
                if len(batch) == BATCH:
                    await hearth.dispatch(batch)
                    await hearth.advance(timedelta(seconds=5))
                    batch = []
            await hearth.dispatch(batch)
            await hearth.advance(timedelta(minutes=1))
            active, rss_active = _traced(), rss_bytes()
            extra = _crowd(layout, sizes.members)
            layout.communities.append(extra)
            for start in range(0, sizes.members, BATCH):
                await hearth.dispatch(
                    [
                        Post(
                            extra.index,
                            extra.channels["general"],
                            f"f{n}",
                            extra.members[n],
                            "hello all",
                        )
                        for n in range(start, min(start + BATCH, sizes.members))
                    ]
                )
                await hearth.advance(timedelta(seconds=5))
            await hearth.advance(timedelta(minutes=1))
            crowd, rss_crowd = _traced(), rss_bytes()
    finally:
        tracemalloc.stop()
    per_member = (crowd - active) / max(1, sizes.members)
    return {
        "communities": sizes.communities,
        "stream_events": stream_size,
        "members": sizes.members,
        "traced_bytes": {
            "empty_bot": empty,
            "started": started,
            "after_stream": active,
            "after_members": crowd,
        },
        "rss_bytes": {
            "empty_bot": rss_empty,
            "started": rss_started,
            "after_stream": rss_active,
            "after_members": rss_crowd,
        },
        "per_community_started": (started - empty) / sizes.communities,
        "per_community_active": (active - empty) / sizes.communities,
        "per_10k_members": per_member * 10_000,
    }


def _crowd(layout: Any, members: int) -> Community:
    """One more community with ``members`` distinct people, each posting once."""
    base = make_layout(1, 99)
    community = base.communities[0]
    community.index = len(layout.communities)
    community.members = [str(2_000_000_000_000_000_000 + n) for n in range(members)]
    return community
