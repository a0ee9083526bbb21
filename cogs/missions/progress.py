"""Pure decisions about a mission's progress: milestones, pace, reminders, caps, outcomes.

No I/O and no clock: every function gets "now" and the numbers it needs, so the rules
are tested directly and the cog only moves data between them and the database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from cogs.missions.model import MISSED, REACHED, STRETCHED

COMPLETION = "milestone:100"
STRETCH = "milestone:stretch"


def milestone_key(percent: int) -> str:
    return f"milestone:{percent}"


def reminder_key(percent_left: int) -> str:
    return f"reminder:{percent_left}"


def thresholds(target: int, percents: Iterable[int]) -> list[tuple[int, int]]:
    """``(percent, amount)`` for each milestone, in order; 100 % is always one of them.

    Amounts round up, so "25 % of 10" is reached at 3, never before a quarter is done.
    """
    wanted = sorted({p for p in percents if 0 < p <= 100} | {100})
    return [(p, math.ceil(target * p / 100)) for p in wanted]


def reached(total: int, target: int, stretch: int | None, percents: Iterable[int]) -> list[str]:
    """Keys of every milestone ``total`` has reached (announced ones are filtered by the store)."""
    keys = [milestone_key(p) for p, amount in thresholds(target, percents) if total >= amount]
    if stretch and total >= stretch:
        keys.append(STRETCH)
    return keys


def to_announce(new: list[str]) -> list[str]:
    """Of the milestones one change reached (in order), which to announce: a jump from 10 %
    to 80 % announces 75 %, not 25, 50 and 75; reaching the target or the stretch is always
    told."""
    special = [k for k in new if k in (COMPLETION, STRETCH)]
    if special:
        return special
    return [k for k in new if milestone_percent(k) is not None][-1:]


def milestone_percent(key: str) -> int | None:
    """25 for ``milestone:25``; None for the stretch milestone or another notice."""
    kind, _, value = key.partition(":")
    return int(value) if kind == "milestone" and value.isdigit() else None


def elapsed_share(start: datetime, deadline: datetime, now: datetime) -> float:
    """How much of the mission's time has passed, 0.0 to 1.0."""
    span = (deadline - start).total_seconds()
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (now - start).total_seconds() / span))


def behind_pace(
    total: int, target: int, start: datetime, deadline: datetime, now: datetime
) -> bool:
    """True when the share done is below the share of time gone (a straight line to the target)."""
    return total < target and total / target < elapsed_share(start, deadline, now)


def reminder_time(start: datetime, deadline: datetime, percent_left: int) -> datetime:
    """When ``percent_left`` % of the mission's time remains."""
    return deadline - (deadline - start) * (percent_left / 100)


def outcome(total: int, target: int, stretch: int | None) -> str:
    if stretch and total >= stretch:
        return STRETCHED
    return REACHED if total >= target else MISSED


def local_day_start(now: datetime, zone: ZoneInfo) -> datetime:
    """The start of today in ``zone`` (what a per-person daily cap counts from)."""
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone)


def room_today(cap: int | None, used_today: int) -> int | None:
    """How much more a person may add today; None when there is no cap."""
    return None if cap is None else max(0, cap - used_today)


def clamp(amount: int, room: int | None) -> int:
    """What an automatic contribution adds once the daily cap is applied."""
    return amount if room is None else min(amount, room)


_PERCENTS = re.compile(r"^\s*\d{1,3}\s*%?\s*(?:[,;\s]\s*\d{1,3}\s*%?\s*)*$")


def parse_percents(text: str, low: int, high: int) -> list[int] | None:
    """``"25, 50, 75"`` or ``"25% 50%"`` → ``[25, 50, 75]``; None when malformed or out of range."""
    if not _PERCENTS.match(text):
        return None
    values = sorted({int(v) for v in re.findall(r"\d+", text)})
    if not values or any(not low <= v <= high for v in values):
        return None
    return values


_CHANNEL_TOKEN = re.compile(r"<#([A-Za-z0-9_.-]+)(?:\|[^>]*)?>|#([\w.-]+)")


def parse_channels(text: str) -> list[str] | None:
    """Channel ids from ``"<#C1> <#C2|help>"`` (Discord, Slack) or ``"#general #help"`` (where
    ids are names, as in the playground). None when anything else is in the text."""
    found: list[str] = []
    rest = text
    for match in _CHANNEL_TOKEN.finditer(text):
        found.append(match.group(1) or match.group(2))
        rest = rest.replace(match.group(0), " ", 1)
    if not found or rest.replace(",", " ").strip():
        return None
    return list(dict.fromkeys(found))


def time_left(deadline: datetime, now: datetime) -> timedelta:
    return max(timedelta(0), deadline - now)
