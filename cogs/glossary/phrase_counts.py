"""Emerging-phrase counting in bounded memory, off the message path.

The message listener only sets a message aside (:class:`PendingMessages`, a bounded
list of references). The flush job finds each message's phrases
(:func:`cogs.glossary.emerging.phrases`) and counts them per community and local day
(:class:`PhraseWindow`): uses, and the distinct people, as hashes of their ids that live
in this process's memory only (never written; at most :data:`PEOPLE_CAP` per phrase and
day). A community keeps the days of its detection window in memory.

A phrase that reaches the suggestion thresholds within the window (``min_people``
people and ``min_uses`` uses) is *hot*: from then on its daily uses (as deltas) and the
window's people count are handed to the store, with where it was first said. Nothing
is written about any other phrase: no per-person rows, no written forms.

The bound, and what it can miss: a community's day counts at most :data:`CAPACITY`
distinct phrases exactly. At ``2 * CAPACITY`` it is trimmed back to ``CAPACITY``: first
the phrases said once, oldest first, then those with the fewest people and uses (hot
phrases are kept); a dropped phrase said again starts from zero. A restart forgets who used which phrase
before it (the hashes are not written), so a phrase that was not hot yet needs its
threshold people again after the restart.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bot.events import MessagePosted
from cogs.glossary.emerging import Said

CAPACITY = 2048  # distinct phrases per community and day counted exactly
PEOPLE_CAP = 64  # distinct people remembered per phrase and day
PENDING_CAP = 50_000  # messages set aside between two flushes; more are not counted

#: Where a phrase was first said: at, channel, message, thread, author (None: forgotten).
FirstSeen = tuple[datetime, str, str, str | None, str | None]


class PendingMessages:
    """Messages waiting for the flush to count their phrases: one append per message."""

    def __init__(self, cap: int = PENDING_CAP) -> None:
        self._events: list[MessagePosted] = []
        self._cap = cap
        #: Messages not counted because the list was full (logged by the flush).
        self.dropped = 0

    def __bool__(self) -> bool:
        return bool(self._events)

    def add(self, event: MessagePosted) -> None:
        if len(self._events) < self._cap:
            self._events.append(event)
        else:
            self.dropped += 1

    def drain(self) -> list[MessagePosted]:
        events, self._events = self._events, []
        return events

    def forget_user(self, community: str, user: str) -> None:
        self._events = [
            e for e in self._events if not (e.community == community and e.author == user)
        ]


@dataclass(slots=True)
class Tally:
    """One phrase on one day: uses, people (hashes), and the first message it was in."""

    uses: int
    people: set[int]
    said: Said  # the first message's phrases: the written form comes from it
    first: FirstSeen
    written: int = 0  # uses already handed to the store


@dataclass
class PhraseRows:
    """What one flush writes: day deltas, and where hot phrases were first said."""

    #: (community, phrase, day) -> [uses to add, people in the window]
    days: dict[tuple[str, str, str], list[int]] = field(default_factory=dict)
    #: (community, phrase) -> the earliest first use in memory
    firsts: dict[tuple[str, str], FirstSeen] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.days)


class PhraseWindow:
    """One community's phrase counts for the days of its detection window."""

    def __init__(self, community: str, window_days: int, capacity: int = CAPACITY) -> None:
        self.community = community
        self.window_days = window_days
        self.capacity = capacity
        #: The suggestion thresholds within the window (the community's settings).
        self.min_people = 3
        self.min_uses = 5
        self.days: dict[str, dict[str, Tally]] = {}
        self.hot: set[str] = set()
        self._touched: set[str] = set()
        self._oldest = ""  # days before this one are no longer counted
        #: Phrases dropped because a day was over capacity (for the logs and the tests).
        self.dropped = 0

    def count(self, day: str, person: int, said: Said, first: FirstSeen, rows: PhraseRows) -> bool:
        """Count one message's phrases; False when its day is already out of the window.
        A new day first settles the counts so far (into ``rows``) and moves the window."""
        if day < self._oldest:
            return False
        tallies = self.days.get(day)
        if tallies is None:
            oldest = (date.fromisoformat(day) - timedelta(days=self.window_days - 1)).isoformat()
            if oldest > self._oldest:
                self.settle(rows)
                self._oldest = oldest
                for gone in [d for d in self.days if d < oldest]:
                    del self.days[gone]
            tallies = self.days[day] = {}
        for phrase in said.spans:
            tally = tallies.get(phrase)
            if tally is None:
                tallies[phrase] = Tally(1, {person}, said, first)
            else:
                tally.uses += 1
                if len(tally.people) < PEOPLE_CAP:
                    tally.people.add(person)
        self._touched.update(said.spans)
        if len(tallies) >= self.capacity * 2:
            self._trim(tallies)
        return True

    def _trim(self, tallies: dict[str, Tally]) -> None:
        """Back to capacity: first phrases one person said once, oldest first (most of a
        busy day; no sort needed), then by fewest people and uses."""
        hot, over = self.hot, len(tallies) - self.capacity
        singles = [
            phrase for phrase, tally in tallies.items() if tally.uses == 1 and phrase not in hot
        ][:over]
        for phrase in singles:
            del tallies[phrase]
        self.dropped += len(singles)
        if len(tallies) <= self.capacity:
            return
        kept = heapq.nlargest(  # ties: the phrase counted last stays (dicts keep order)
            self.capacity,
            enumerate(tallies.items()),
            key=lambda item: (item[1][0] in hot, len(item[1][1].people), item[1][1].uses, item[0]),
        )
        self.dropped += len(tallies) - len(kept)
        tallies.clear()
        tallies.update(item for _, item in sorted(kept))

    def settle(self, rows: PhraseRows) -> None:
        """Hand the store (``rows``) what changed for hot phrases since the last settle."""
        community, min_people, min_uses = self.community, self.min_people, self.min_uses
        days = sorted(self.days.items())
        for phrase in self._touched:
            tallies = [(day, d[phrase]) for day, d in days if phrase in d]
            if not tallies:
                continue
            people = len(set().union(*(t.people for _, t in tallies)))
            if phrase not in self.hot:
                if people < min_people or sum(t.uses for _, t in tallies) < min_uses:
                    continue
                self.hot.add(phrase)
            for day, tally in tallies:
                if tally.uses > tally.written:
                    row = rows.days.setdefault((community, phrase, day), [0, 0])
                    row[0] += tally.uses - tally.written
                    row[1] = max(row[1], people)
                    tally.written = tally.uses
            first = tallies[0][1].first
            known = rows.firsts.get((community, phrase))
            if known is None or first[0] < known[0]:
                rows.firsts[(community, phrase)] = first
        self._touched.clear()

    def form(self, phrase: str) -> str | None:
        """The phrase as first written, while its first day is still in memory."""
        for day in sorted(self.days):
            tally = self.days[day].get(phrase)
            if tally is not None:
                said = tally.said
                return said.form(said.spans[phrase])
        return None

    def forget(self, person: int, user: str) -> None:
        """Take a person out: their hash from every count, the phrases only they said
        (the counts built from their messages alone) and their name as a first user."""
        for tallies in self.days.values():
            for phrase in list(tallies):
                tally = tallies[phrase]
                if person not in tally.people:
                    continue
                tally.people.discard(person)
                if not tally.people:
                    del tallies[phrase]
                elif tally.first[4] == user:
                    tally.first = (*tally.first[:4], None)
