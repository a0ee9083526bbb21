"""What the questions cog stores about a question, as the rest of the cog sees it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.database import Row
from bot.timeutil import from_db

OPEN = "open"
ANSWERED = "answered"
SOLVED = "solved"
CLOSED = "closed"
ACTIVE = (OPEN, ANSWERED)


def when(value: str | None) -> datetime | None:
    """A nullable time column."""
    return None if value is None else from_db(value)


@dataclass(frozen=True, slots=True)
class Question:
    id: int
    community: str
    channel: str
    message: str
    thread: str | None
    asker: str
    excerpt: str
    source: str
    state: str
    asked_at: datetime
    last_activity_at: datetime
    first_response_at: datetime | None
    responder: str | None
    solved_at: datetime | None
    solver: str | None
    helper: str | None
    nudge_count: int
    last_nudge_at: datetime | None
    escalated_at: datetime | None
    claimed_by: str | None
    claim_until: datetime | None

    @property
    def roots(self) -> tuple[str, ...]:
        """The ids replies point at: the message and, if it differs, its thread."""
        return (
            (self.message,) if self.thread in (None, self.message) else (self.message, self.thread)
        )

    @property
    def thread_root(self) -> str:
        return self.thread or self.message


def question_from_row(row: Row) -> Question:
    return Question(
        id=row["id"],
        community=row["community"],
        channel=row["channel"],
        message=row["message"],
        thread=row["thread"],
        asker=row["asker"],
        excerpt=row["excerpt"],
        source=row["source"],
        state=row["state"],
        asked_at=from_db(row["asked_at"]),
        last_activity_at=from_db(row["last_activity_at"]),
        first_response_at=when(row["first_response_at"]),
        responder=row["responder"],
        solved_at=when(row["solved_at"]),
        solver=row["solver"],
        helper=row["helper"],
        nudge_count=row["nudge_count"],
        last_nudge_at=when(row["last_nudge_at"]),
        escalated_at=when(row["escalated_at"]),
        claimed_by=row["claimed_by"],
        claim_until=when(row["claim_until"]),
    )
