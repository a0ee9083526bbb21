"""Response statistics for /questions stats: pure functions over a list of samples.

Percentiles use linear interpolation between the closest ranks (the "inclusive"
method of :func:`statistics.quantiles`, numpy's default): for sorted times
x₀…xₙ₋₁ the p-th percentile is at position (n−1)·p.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Sample:
    asked_at: datetime
    first_response_at: datetime | None
    responder: str | None
    solved_at: datetime | None


@dataclass(frozen=True, slots=True)
class Summary:
    asked: int
    answered: int
    median: timedelta | None
    p90: timedelta | None
    within_target: float | None  # share of asked questions first answered within the target
    busiest_hours: list[tuple[int, int]]  # (local hour, questions asked), busiest first
    top_responders: list[tuple[str, int]]  # (user, first responses), most first

    @property
    def answered_share(self) -> float | None:
        return None if self.asked == 0 else self.answered / self.asked


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The ``fraction`` (0–1) percentile of ``values``, interpolated; None when empty."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    position = round(fraction * 100)
    if position <= 0:
        return float(min(values))
    if position >= 100:
        return float(max(values))
    return cuts[position - 1]


def busiest_hours(times: Iterable[datetime], zone: ZoneInfo, top: int = 3) -> list[tuple[int, int]]:
    """The local hours of day with the most questions, busiest (then earliest) first."""
    counts = Counter(moment.astimezone(zone).hour for moment in times)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def top_responders(responders: Iterable[str | None], top: int = 5) -> list[tuple[str, int]]:
    counts = Counter(r for r in responders if r)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:top]


def summarize(samples: Sequence[Sample], target: timedelta, zone: ZoneInfo) -> Summary:
    """Answered means a first response or a solution; response times only count responses."""
    seconds = [
        (s.first_response_at - s.asked_at).total_seconds()
        for s in samples
        if s.first_response_at is not None
    ]
    answered = sum(1 for s in samples if s.first_response_at or s.solved_at)
    in_time = sum(1 for value in seconds if value <= target.total_seconds())
    mid, high = median(seconds), percentile(seconds, 0.9)
    return Summary(
        asked=len(samples),
        answered=answered,
        median=None if mid is None else timedelta(seconds=mid),
        p90=None if high is None else timedelta(seconds=high),
        within_target=None if not samples else in_time / len(samples),
        busiest_hours=busiest_hours((s.asked_at for s in samples), zone),
        top_responders=top_responders(s.responder for s in samples if s.first_response_at),
    )
