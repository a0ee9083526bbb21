"""Pure decisions: anti-gaming limits, who a thank-you credits, role tiers and time windows.

Nothing here does I/O; the cog gathers the facts (from the store, in one transaction)
and asks these functions what to do, so every rule is testable on its own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAY = timedelta(days=1)

#: Metrics a role tier can use, as moderators type them.
METRICS: tuple[str, ...] = ("points", "kudos", "answers", "missions", "tenure", "active-days")
FOUNDING = "founding"
#: Metrics that count ledger rows of one kind ("missions" means missions completed).
COUNTED_KINDS: dict[str, str] = {
    "kudos": "kudos",
    "answers": "answer",
    "missions": "mission_completed",
}
PERIODS: dict[str, timedelta | None] = {
    "week": timedelta(days=7),
    "month": timedelta(days=30),
    "all": None,
}
#: "Rising newcomers" on the leaderboard joined within this long.
NEWCOMER_AGE = timedelta(days=30)


WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Limits:
    """``cooldown`` between two kudos from one person to another; ``allowance`` counted kudos
    a person gives per 24 hours; a thank returned within ``loop_window`` counts once; at most
    ``pair_cap`` kudos from one person to another count for points in a rolling week."""

    cooldown: timedelta
    allowance: int
    loop_window: timedelta
    pair_cap: int = 3


PRESETS: dict[str, Limits] = {
    "relaxed": Limits(timedelta(minutes=15), 25, timedelta(minutes=5), 5),
    "standard": Limits(timedelta(hours=1), 10, timedelta(minutes=30), 3),
    "strict": Limits(timedelta(hours=24), 3, timedelta(hours=24), 2),
}


def preset_of(limits: Limits) -> str | None:
    """The preset these limits equal, or None when they were tuned by hand."""
    return next((name for name, preset in PRESETS.items() if preset == limits), None)


# --- kudos ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KudosFacts:
    """What the database says about a giver and a receiver right now.

    ``last_to_receiver``: the giver's last kudos to this receiver; ``given_today``: the
    giver's counted kudos in the last 24 hours, oldest first; ``receiver_thanked_giver``:
    the receiver's last counted kudos to the giver; ``counted_to_receiver``: the giver's
    counted kudos to this receiver in the last week.
    """

    last_to_receiver: datetime | None = None
    given_today: tuple[datetime, ...] = ()
    receiver_thanked_giver: datetime | None = None
    counted_to_receiver: tuple[datetime, ...] = ()


@dataclass(frozen=True, slots=True)
class Verdict:
    refusal: str | None = None  # "cooldown" or "allowance"
    wait: timedelta = timedelta(0)  # until the refusal (or the pair cap) no longer applies
    uncounted: str | None = None  # "loop" or "pair_cap": recorded without points

    @property
    def counted(self) -> bool:
        return self.refusal is None and self.uncounted is None


def judge(now: datetime, limits: Limits, facts: KudosFacts) -> Verdict:
    """Apply the per-pair cooldown, the thank-for-thank loop rule, the weekly pair cap and
    the daily allowance.

    A thank returned within ``loop_window`` is recorded but counts no points, so two
    people cannot farm points by thanking each other; nor does a kudos past the pair cap,
    so a ring of friends cannot farm them either. Neither uses the allowance.
    """
    last = facts.last_to_receiver
    if last is not None and now - last < limits.cooldown:
        return Verdict("cooldown", round_up(last + limits.cooldown - now))
    back = facts.receiver_thanked_giver
    if back is not None and now - back < limits.loop_window:
        return Verdict(uncounted="loop")
    week = sorted(t for t in facts.counted_to_receiver if now - t < WEEK)
    if len(week) >= limits.pair_cap:
        frees_up = week[len(week) - limits.pair_cap]
        return Verdict(uncounted="pair_cap", wait=round_up(frees_up + WEEK - now))
    given = sorted(t for t in facts.given_today if now - t < DAY)
    if len(given) >= limits.allowance:
        frees_up = given[len(given) - limits.allowance]
        return Verdict("allowance", round_up(frees_up + DAY - now))
    return Verdict()


def round_up(delta: timedelta) -> timedelta:
    """Waits are shown in whole minutes, rounded up, so "again in 42m" is never early."""
    return timedelta(minutes=max(1, math.ceil(delta.total_seconds() / 60)))


def credited(author: str, mentions: Iterable[str], replied_author: str | None) -> tuple[str, ...]:
    """Who a thank-you credits: everyone mentioned, else the author of the message replied to.

    Never the author themselves; each person once, in the order they were mentioned.
    """
    people = tuple(dict.fromkeys(m for m in mentions if m and m != author))
    if people:
        return people
    if replied_author and replied_author != author:
        return (replied_author,)
    return ()


# --- role tiers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tier:
    """A role earned by reaching ``threshold`` of ``metric`` (all time, or in a rolling window).

    Founding tiers use ``threshold`` as "the first N members", or ``joined_before``.
    """

    role: str
    metric: str
    threshold: int
    window: timedelta | None = None
    joined_before: datetime | None = None

    @property
    def rolling(self) -> bool:
        return self.window is not None

    @property
    def founding(self) -> bool:
        return self.metric == FOUNDING


def qualifies(tier: Tier, value: int) -> bool:
    """Founding values are 1 for a founding member; other metrics compare with the threshold."""
    return value >= (1 if tier.founding else tier.threshold)


def window_start(now: datetime, window: timedelta | None) -> datetime | None:
    return None if window is None else now - window


def tenure_days(first_joined: datetime | None, now: datetime) -> int:
    return 0 if first_joined is None else max(0, (now - first_joined).days)


def day_of(moment: datetime, tz: ZoneInfo) -> str:
    """The local calendar day of ``moment``, as stored for active days."""
    return moment.astimezone(tz).date().isoformat()


def parse_day(text: str, tz: ZoneInfo) -> datetime | None:
    """``2026-01-01`` → the start of that day in ``tz`` (as UTC); None if it is no date."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


# --- boards and the spotlight -----------------------------------------------------------

SPOTLIGHT_WEEKDAY = 0  # Monday
SPOTLIGHT_AT = time(10, 0)


def next_spotlight(now: datetime, tz: ZoneInfo) -> datetime:
    """The next Monday 10:00 in the community's timezone strictly after ``now`` (as UTC)."""
    local = now.astimezone(tz)
    days = (SPOTLIGHT_WEEKDAY - local.weekday()) % 7
    due = datetime.combine(local.date() + timedelta(days=days), SPOTLIGHT_AT, tzinfo=tz)
    if due <= local:
        due = datetime.combine(due.date() + timedelta(days=7), SPOTLIGHT_AT, tzinfo=tz)
    return due.astimezone(UTC)
