"""When things happen, in the community's timezone: pure functions, no clock, no I/O.

Every result is an aware UTC datetime, and every comparison is made in UTC: two aware
datetimes sharing a ``ZoneInfo`` compare by wall time in Python, which is wrong across a
daylight-saving change.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: A digest later than this (the bot was down) is skipped, not sent.
LATE_LIMIT = timedelta(days=1)
#: The least time between two digests of one community (a moved schedule never sends the
#: same week twice on one day).
MIN_GAP = timedelta(days=1)


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """``at`` on ``day`` in ``zone``, as UTC. A wall time that does not exist (the hour
    skipped in spring) is read with the offset before the change, so it lands just after
    it (02:30 → 03:30); an ambiguous one (the hour repeated in autumn) is the first."""
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def next_weekly(after: datetime, zone: ZoneInfo, weekday: int, at: time) -> datetime:
    """The first ``weekday`` (Monday 0) at local ``at`` strictly after ``after``, as UTC."""
    start = after.astimezone(zone).date()
    for offset in range(8):
        day = start + timedelta(days=offset)
        if day.weekday() != weekday:
            continue
        moment = local_moment(day, at, zone)
        if moment > after:
            return moment
    raise AssertionError("a weekday recurs within eight days")  # pragma: no cover


def week_window(moment: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The seven full local days before ``moment``'s local date, as [since, until) in UTC.

    A digest due on Sunday at 18:00 covers Sunday 00:00 a week earlier to Saturday 24:00,
    so consecutive digests cover every day exactly once. Across a daylight-saving change
    the window is 167 or 169 hours long.
    """
    today = moment.astimezone(zone).date()
    return (
        local_moment(today - timedelta(days=7), time(0), zone),
        local_moment(today, time(0), zone),
    )


def weeks_back(until: datetime, zone: ZoneInfo, count: int) -> list[tuple[datetime, datetime]]:
    """``count`` consecutive local weeks ending at ``until`` (a local midnight), oldest first."""
    end = until.astimezone(zone).date()
    return [
        (
            local_moment(end - timedelta(days=7 * (k + 1)), time(0), zone),
            local_moment(end - timedelta(days=7 * k), time(0), zone),
        )
        for k in reversed(range(count))
    ]


def local_day(moment: datetime, zone: ZoneInfo) -> str:
    """The local date of ``moment`` (ISO): the unit of activity records."""
    return moment.astimezone(zone).date().isoformat()


def is_too_late(due: datetime, now: datetime) -> bool:
    """A digest missed while the bot was down is sent if less than a day late."""
    return now - due >= LATE_LIMIT


def quiet_until(
    now: datetime, zone: ZoneInfo, start: time | None, end: time | None
) -> datetime | None:
    """The end of the quiet hours (UTC) when ``now`` is inside them, else None.

    ``start``–``end`` are local times and may cross midnight (22:00–08:00).
    """
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside, end_day = start <= clock < end, local.date()
    else:
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return local_moment(end_day, end, zone)


def hour_start(now: datetime) -> datetime:
    """The start of ``now``'s clock hour (UTC): the private-message cap counts per hour."""
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """``22:00-08:00`` → (22:00, 08:00); None when it is not two different times."""
    parts = text.replace("–", "-").replace(" ", "").split("-")
    if len(parts) != 2:
        return None
    try:
        start, end = time.fromisoformat(parts[0]), time.fromisoformat(parts[1])
    except ValueError:
        return None
    if start == end or start.tzinfo or end.tzinfo:
        return None
    return start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0)


def parse_time_of_day(text: str) -> time | None:
    """``18:00`` or ``9:30`` → a time; None otherwise."""
    text = text.strip()
    if len(text) == 4 and text[1] == ":":
        text = "0" + text
    try:
        value = time.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None or value.second or value.microsecond:
        return None
    return value
