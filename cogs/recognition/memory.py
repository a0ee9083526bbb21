"""The last week of kudos, kept in memory so that judging a kudos needs no database.

Every limit looks back at most a week (the pair cap; the cooldown and the loop window
are at most seven days), so the kudos of the last week are all the facts a verdict
needs. They are loaded once at start-up and kept current by the flush that writes
new kudos, so a thank-you in chat is judged without a single statement.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from cogs.recognition.rules import DAY, WEEK, KudosFacts


@dataclass(slots=True)
class Given:
    """One kudos as the limits see it. ``id`` is None until the flush has written it;
    ``why`` says why it adds no points (loop, pair_cap, withdrawn, revoked)."""

    giver: str
    receiver: str
    at: datetime
    counted: bool
    message: str | None = None
    source: str = ""
    id: int | None = None
    why: str | None = None


class KudosMemory:
    """The kudos each person gave in the last week, oldest first."""

    def __init__(self) -> None:
        self._by_giver: dict[tuple[str, str], deque[Given]] = {}

    def add(self, community: str, given: Given) -> None:
        self._by_giver.setdefault((community, given.giver), deque()).append(given)

    def remove(self, community: str, given: Given) -> None:
        entries = self._by_giver.get((community, given.giver))
        if entries is not None and given in entries:
            entries.remove(given)

    def given_by(self, community: str, giver: str, now: datetime) -> deque[Given]:
        """The giver's kudos of the last week (older ones are dropped on the way)."""
        entries = self._by_giver.get((community, giver))
        if entries is None:
            return deque()
        while entries and now - entries[0].at >= WEEK:
            entries.popleft()
        if not entries:
            del self._by_giver[(community, giver)]
        return entries

    def facts(self, community: str, giver: str, receiver: str, now: datetime) -> KudosFacts:
        mine = self.given_by(community, giver, now)
        to_receiver = [g for g in mine if g.receiver == receiver]
        back = [
            g.at
            for g in self.given_by(community, receiver, now)
            if g.receiver == giver and g.counted
        ]
        return KudosFacts(
            last_to_receiver=max((g.at for g in to_receiver), default=None),
            given_today=tuple(g.at for g in mine if g.counted and now - g.at < DAY),
            receiver_thanked_giver=max(back, default=None),
            counted_to_receiver=tuple(g.at for g in to_receiver if g.counted),
        )

    def find(
        self, community: str, giver: str, message: str, source: str, now: datetime
    ) -> Given | None:
        """The giver's kudos for ``message`` by ``source`` (a reaction), if it is this recent."""
        for given in self.given_by(community, giver, now):
            if given.message == message and given.source == source:
                return given
        return None

    def by_id(self, community: str, kudos: int) -> Given | None:
        for (c, _), entries in self._by_giver.items():
            if c == community:
                for given in entries:
                    if given.id == kudos:
                        return given
        return None

    def forget(self, community: str, user: str) -> None:
        """Drop everything ``user`` gave or received (forget-me)."""
        self._by_giver.pop((community, user), None)
        for (c, _), entries in self._by_giver.items():
            if c == community:
                for given in [g for g in entries if g.receiver == user]:
                    entries.remove(given)
