"""Time helpers: one storage format for instants, and parsing of durations and moments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pytimeparse2 import parse as parse_seconds


def to_db(moment: datetime) -> str:
    """Fixed-width ISO-8601 UTC text: sorts like time and reads like time."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)


def parse_duration(text: str) -> timedelta | None:
    """``90m``, ``3d``, ``1w``, ``2h30m`` → timedelta; None when it is not a duration."""
    text = text.strip().replace(" ", "")
    if not text or text.startswith("-"):
        return None
    seconds = parse_seconds(text)
    if seconds is None or isinstance(seconds, timedelta):
        return seconds
    try:
        return timedelta(seconds=float(seconds))
    except OverflowError:  # a duration, just longer than any date can hold
        return timedelta.max


def format_duration(delta: timedelta, *, exact: bool = False) -> str:
    """Short, human form: ``2d 3h``, ``45m``, ``30s``; the two largest units unless ``exact``."""
    seconds = max(0, int(delta.total_seconds()))
    units = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
    parts = []
    for suffix, size in units:
        if seconds >= size:
            parts.append(f"{seconds // size}{suffix}")
            seconds %= size
        if len(parts) == 2 and not exact:
            break
    return " ".join(parts) or "0s"


def timezone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_moment(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    """A date (``2026-12-01``, end of that day in ``tz``), a date-time, or a duration from now.
    A moment past the last date a ``datetime`` holds (year 9999) is ``datetime.max`` in UTC."""
    try:
        return _moment(text.strip(), now, tz)
    except OverflowError:
        return datetime.max.replace(tzinfo=UTC)


def _moment(text: str, now: datetime, tz: ZoneInfo) -> datetime | None:
    delta = parse_duration(text)
    if delta is not None:
        return now + delta
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        end = datetime.combine(day, datetime.max.time().replace(microsecond=0), tzinfo=tz)
        return end.astimezone(UTC)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)
