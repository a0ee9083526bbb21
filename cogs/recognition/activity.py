"""Active days, counted on the hot path in memory and flushed in one transaction."""

from __future__ import annotations


class ActiveDays:
    """Which people posted on which local day, not yet written to the database."""

    def __init__(self) -> None:
        self._pending: set[tuple[str, str, str]] = set()
        self._last: dict[tuple[str, str], str] = {}  # the day last recorded per person

    def record(self, community: str, user: str, day: str) -> None:
        """Note that ``user`` posted on ``day`` (no I/O; a repeat on the same day is free)."""
        key = (community, user)
        if self._last.get(key) != day:
            self._last[key] = day
            self._pending.add((community, user, day))

    def drain(self) -> list[tuple[str, str, str]]:
        pending, self._pending = self._pending, set()
        return sorted(pending)

    def forget(self, community: str, user: str) -> None:
        self._last.pop((community, user), None)
        self._pending = {p for p in self._pending if p[:2] != (community, user)}
