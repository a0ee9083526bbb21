"""Timing and memory helpers: on-loop time of a coroutine, percentiles, resident memory."""

from __future__ import annotations

import gc
import os
import resource
import statistics
from array import array
from collections.abc import Coroutine, Generator, Iterable, Iterator
from contextlib import contextmanager
from time import perf_counter_ns
from typing import Any


class Timed:
    """``await Timed(coro)`` runs ``coro`` and measures the time it spends *running*.

    ``busy`` is the sum of the coroutine's steps on the event loop (the bot's own
    work); while it waits for I/O (aiosqlite's thread) the clock is stopped, and
    ``suspended`` records that it did wait. ``wall`` is first step to completion.
    This is what ``await coro`` does (forwarding every yielded future to the task),
    with a clock read around each step.
    """

    __slots__ = ("busy", "coro", "suspended", "wall")

    def __init__(self, coro: Coroutine[Any, Any, Any]) -> None:
        self.coro = coro
        self.busy = 0
        self.wall = 0
        self.suspended = False

    def __await__(self) -> Generator[Any, Any, None]:
        coro = self.coro
        value: Any = None
        error: BaseException | None = None
        first = perf_counter_ns()
        start = first
        while True:
            try:
                yielded = coro.send(value) if error is None else coro.throw(error)
            except StopIteration:
                end = perf_counter_ns()
                self.busy += end - start
                self.wall = end - first
                return
            self.busy += perf_counter_ns() - start
            self.suspended = True
            try:
                value, error = (yield yielded), None
            except BaseException as exc:  # cancellation goes to the coroutine
                value, error = None, exc
            start = perf_counter_ns()


class Samples:
    """Nanosecond samples in a compact array."""

    def __init__(self) -> None:
        self.values = array("q")

    def add(self, value: int) -> None:
        self.values.append(value)

    def __len__(self) -> int:
        return len(self.values)

    @property
    def total(self) -> int:
        return sum(self.values)

    def summary(self) -> dict[str, float]:
        """count, mean, p50, p99 and max in microseconds."""
        if not self.values:
            return {"count": 0}
        ordered = sorted(self.values)
        return {
            "count": len(ordered),
            "mean_us": sum(ordered) / len(ordered) / 1000,
            "p50_us": percentile(ordered, 50) / 1000,
            "p99_us": percentile(ordered, 99) / 1000,
            "max_us": ordered[-1] / 1000,
        }


def percentile(ordered: list[int] | list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * pct // 100))
    return float(ordered[int(rank) - 1])


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def rss_bytes() -> int:
    """Current resident memory (Linux /proc), else the peak from getrusage."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


@contextmanager
def settled_heap() -> Iterator[None]:
    """Collect, then freeze what exists (the contender's set-up: caches, the bot) so the
    collector does not rescan it during the timed section; objects made while timing are
    collected as usual. Applied alike to Hearth, discord.py and the naive peer."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
