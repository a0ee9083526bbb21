"""What the hot path buffers for the next flush, and what it remembers of recent messages.

Small frozen records, written in order by ``Tracker.flush``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple


class Seen(NamedTuple):
    """A recent message, so a moderator can mark it as a question by its id."""

    channel: str
    thread: str | None
    author: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Asked:
    community: str
    channel: str
    message: str
    thread: str | None
    asker: str
    at: datetime
    text: str
    source: str  # help | detected | marked
    nudge_after: timedelta | None


@dataclass(frozen=True, slots=True)
class Replied:
    community: str
    question: str  # the question's message id
    author: str
    at: datetime
    #: Says something (``bot.text.substance``): only such a reply can answer the question.
    answers: bool = True


@dataclass(frozen=True, slots=True)
class Ticked:
    community: str
    question: str
    user: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Removed:
    community: str
    message: str


@dataclass(frozen=True, slots=True)
class Left:
    community: str
    user: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Limited:
    community: str
    user: str


Item = Asked | Replied | Ticked | Removed | Left | Limited
