"""What a glossary entry is, and the one definition of "the same name"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.text import words

TERM, JOKE = "term", "joke"
KINDS = (TERM, JOKE)


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    community: str
    name: str
    kind: str
    definition: str
    origin: str | None
    first_said: str | None
    author: str | None
    created_at: datetime
    updated_at: datetime
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def name_key(text: str) -> str:
    """The matching form of a name: normalized words, a hyphen counting as a space.

    Two names with the same key are the same words to the matcher ("F-String",
    "f string", "f‑string"), so they cannot belong to two entries.
    """
    return " ".join(part for word in words(text) for part in word.split("-") if part)


@dataclass(frozen=True, slots=True)
class Report:
    """An open report that an entry is wrong (``name`` is the entry's name now)."""

    id: int
    community: str
    entry_id: int
    name: str
    reporter: str
    reason: str
    reported_at: datetime
