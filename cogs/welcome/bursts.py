"""Raids and big invites stay calm: bursts of joins share one batched welcome, and the
welcome DMs go out at a steady pace (later ones wait their turn; none is dropped).

Both counters live in memory, per community: a restart in the middle of a raid forgets
the burst and the pace, so at most one more minute's worth goes out unbatched.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.messages import COLOUR_INFO, Message, mention

Translate = Callable[..., str]

#: The batched welcome pings this many newcomers by name; the rest are "and N others".
BATCH_NAMED = 3
PACE_PERIOD = timedelta(minutes=1)


class JoinBurst:
    """Counts one community's joins in a sliding window."""

    def __init__(self) -> None:
        self._joins: deque[datetime] = deque()

    def join(self, at: datetime, window: timedelta, limit: int) -> bool:
        """Count a join at ``at``; True when it is past ``limit`` joins within ``window``
        (its channel welcome then waits for the batched one)."""
        while self._joins and self._joins[0] <= at - window:
            self._joins.popleft()
        self._joins.append(at)
        return len(self._joins) > limit


class Pace:
    """When each of one community's DMs may go: at most ``per_minute`` in any minute."""

    def __init__(self) -> None:
        self._slots: deque[datetime] = deque()

    def slot(self, at: datetime, per_minute: int) -> datetime:
        """The moment the next DM may go (``at`` itself when there is room), booked."""
        per_minute = max(1, per_minute)
        while len(self._slots) > per_minute:
            self._slots.popleft()
        due = at
        if len(self._slots) >= per_minute:
            due = max(at, self._slots[-per_minute] + PACE_PERIOD)
        self._slots.append(due)
        return due


def batch_message(t: Translate, newcomers: Sequence[str], community: str) -> Message:
    """``Welcome to X, @a, @b, @c and 17 others!``: one post for a burst of joins, pinging
    only the first few."""
    named = list(newcomers[:BATCH_NAMED])
    others = len(newcomers) - len(named)
    shown = [mention(user) for user in named]
    if others == 1:
        shown.append(t("welcome.batch.one_other"))
    elif others > 1:
        shown.append(t("welcome.batch.others", count=others))
    if len(shown) == 1:
        names = shown[0]
    else:
        names = t("welcome.batch.list", first=", ".join(shown[:-1]), last=shown[-1])
    return Message(
        t("welcome.batch.text", names=names, community=community),
        colour=COLOUR_INFO,
        mentions=tuple(named),
    )
