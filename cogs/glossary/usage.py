"""Usage counters of the hot path: counted in memory, written in one batch by the flush job.

Per entry per day (the community's local date), per entry per person, and per entry
in total with its first and last use. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(slots=True)
class Seen:
    uses: int
    first_at: datetime
    last_at: datetime

    def again(self, at: datetime) -> None:
        self.uses += 1
        self.last_at = at


@dataclass
class UsageBatch:
    """What one flush writes."""

    days: dict[tuple[int, str, str], int] = field(default_factory=dict)  # (entry, community, day)
    people: dict[tuple[int, str, str], Seen] = field(
        default_factory=dict
    )  # (entry, community, user)
    entries: dict[int, Seen] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.entries)


class UsageBuffer:
    def __init__(self) -> None:
        self._batch = UsageBatch()

    def __bool__(self) -> bool:
        return bool(self._batch)

    def record(
        self, community: str, entry_ids: Iterable[int], user: str, at: datetime, day: str
    ) -> None:
        """Count one message that used ``entry_ids`` (each once)."""
        batch = self._batch
        for entry_id in entry_ids:
            key = (entry_id, community, day)
            batch.days[key] = batch.days.get(key, 0) + 1
            person = batch.people.get((entry_id, community, user))
            if person is None:
                batch.people[(entry_id, community, user)] = Seen(1, at, at)
            else:
                person.again(at)
            total = batch.entries.get(entry_id)
            if total is None:
                batch.entries[entry_id] = Seen(1, at, at)
            else:
                total.again(at)

    def drain(self) -> UsageBatch:
        batch, self._batch = self._batch, UsageBatch()
        return batch

    def forget_entry(self, entry_id: int) -> None:
        batch = self._batch
        batch.entries.pop(entry_id, None)
        for key in [k for k in batch.days if k[0] == entry_id]:
            del batch.days[key]
        for key in [k for k in batch.people if k[0] == entry_id]:
            del batch.people[key]

    def forget_user(self, community: str, user: str) -> None:
        """Drop the person's buffered per-person counts (entry totals are anonymous)."""
        people = self._batch.people
        for key in [k for k in people if k[1] == community and k[2] == user]:
            del people[key]
