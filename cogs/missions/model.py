"""What a mission and a contribution are, as the rest of the cog sees them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.messages import MessageRef

#: How a mission's progress is counted.
COUNTING = ("manual", "messages", "answers", "kudos", "welcomes")
#: Counting kinds whose ``count-channels`` limit where activity counts.
CHANNEL_KINDS = ("messages", "answers")

UPCOMING, ACTIVE, ARCHIVED = "upcoming", "active", "archived"
LIVE = (UPCOMING, ACTIVE)

REACHED, STRETCHED, MISSED, CANCELLED = "reached", "stretched", "missed", "cancelled"


@dataclass(frozen=True, slots=True)
class Mission:
    id: int
    community: str
    name: str
    goal: str
    target: int
    stretch: int | None
    unit: str
    counting: str
    count_channels: tuple[str, ...]
    channel: str
    role: str | None
    daily_cap: int | None
    starts_at: datetime
    deadline: datetime
    state: str
    outcome: str | None
    total: int
    reached_at: datetime | None
    finished_at: datetime | None
    cancel_reason: str | None
    post: MessageRef | None
    created_by: str | None

    @property
    def manual(self) -> bool:
        return self.counting == "manual"

    @property
    def final_goal(self) -> int:
        """The number that ends the mission early: the stretch target if set, else the target."""
        return self.stretch or self.target

    @property
    def live(self) -> bool:
        return self.state in LIVE


@dataclass(frozen=True, slots=True)
class Contribution:
    id: int
    mission_id: int
    community: str
    user: str | None
    amount: int
    source: str
    note: str | None
    at: datetime
    removed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Contributor:
    user: str
    amount: int
