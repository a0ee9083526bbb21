"""The welcome cog's decisions, as pure functions: who greets, who is returning, what a
post is worth noticing, when a welcome goes, and how the wave list reads."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta

from bot.text import isolate, truncate
from cogs.welcome.store import GreeterRow, Step

#: The most steps a welcome shows (a short list gets done; a long one gets skipped).
MAX_STEPS = 10
#: Room for the wave list; long lists end in "…" rather than crowd out the welcome.
WAVED_LIMIT = 300


def is_returning(
    first_joined_at: datetime | None, joined_at: datetime, welcomed_before: bool
) -> bool:
    """A member is returning when they joined before this join (the members registry records
    the first join), or when this cog already welcomed them once."""
    return welcomed_before or (first_joined_at is not None and first_joined_at < joined_at)


def rejoined_soon(left_at: datetime | None, joined_at: datetime, window: timedelta) -> bool:
    """A join this soon after leaving continues the first onboarding quietly (no new
    welcome, no "welcome back"), so a slip or a join/leave loop posts nothing."""
    return left_at is not None and joined_at - left_at <= window


def pick_greeter(
    rotation: Sequence[GreeterRow],
    *,
    newcomer: str,
    now: datetime,
    cooldown: timedelta,
    absent: Collection[str],
) -> str | None:
    """The next greeter in the rotation (longest-rested first), skipping the newcomer
    themselves, greeters who left, and greeters who greeted within ``cooldown``."""
    for greeter in rotation:
        if greeter.user == newcomer or greeter.user in absent:
            continue
        if greeter.last_greeted_at is not None and now - greeter.last_greeted_at < cooldown:
            continue
        return greeter.user
    return None


def steps_ticked_by(channel: str, steps: Iterable[Step], done: Collection[int]) -> set[int]:
    """The channel steps that a post in ``channel`` ticks (those not ticked yet)."""
    return {s.id for s in steps if s.channel == channel and s.id not in done}


def left_soon(joined_at: datetime, left_at: datetime, within: timedelta) -> bool:
    """Whether a leave is soon enough after the join that the channel welcome goes too."""
    return left_at - joined_at <= within


def waved_names(names: Sequence[str]) -> str:
    """``bob, chen, …``: the wavers in order, truncated on a grapheme boundary."""
    return truncate(", ".join(isolate(name) for name in names), WAVED_LIMIT)
