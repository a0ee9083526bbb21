"""Cooldowns, in memory: "this person posted that publicly a moment ago; not again yet".

Public answers (``/mission status``, leaderboards, lists, "Show to channel") are a way to
get the bot to post in a channel; without a pause, one person can make it post again and
again. A cooldown is a key (community, person, what) and the moment it ends. It lives in
memory on purpose: losing the cooldowns in a restart lets someone post once more, which
is harmless, and keeps the check free of database round trips.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import datetime, timedelta

#: Past this many entries, a start also drops the ones that have ended (keeps memory flat).
PRUNE_ABOVE = 1024


class Cooldowns:
    def __init__(self) -> None:
        self._until: dict[Hashable, datetime] = {}

    def remaining(self, key: Hashable, now: datetime) -> timedelta | None:
        """How long ``key`` must still wait, or None when it may go now."""
        until = self._until.get(key)
        if until is None or until <= now:
            return None
        return until - now

    def start(self, key: Hashable, now: datetime, period: timedelta) -> None:
        """``key`` went now; it may go again after ``period``."""
        if len(self._until) >= PRUNE_ABOVE:
            self._until = {k: until for k, until in self._until.items() if until > now}
        self._until[key] = now + period

    def claim(self, key: Hashable, now: datetime, period: timedelta) -> timedelta | None:
        """Start ``key`` unless it is cooling down; return what is left of the wait if it is."""
        left = self.remaining(key, now)
        if left is None:
            self.start(key, now, period)
        return left

    def forget(self, key: Hashable) -> None:
        """Let ``key`` go again at once (the public post it allowed did not happen)."""
        self._until.pop(key, None)
