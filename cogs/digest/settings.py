"""The digest cog's per-community settings (defaults < config.toml ``[digest]`` < /digest settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Literal

from bot.commands import READ

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass
class DigestSettings:
    #: Where the weekly digest goes; "" means no weekly digest.
    channel: str = ""
    #: When it goes out, in the community's timezone.
    day: Weekday = "sunday"
    at: time = time(18, 0)
    #: Where moderator nudges go; "" means the core's log channel (none: no moderator nudges).
    moderator_channel: str = ""
    #: Private nudges to members (re-engagement and the newcomer nudge); off by default.
    nudges: bool = False
    #: A member who used to be active and has been silent this long gets a nudge…
    silent_after: timedelta = timedelta(days=21)
    #: …at most once in this long.
    nudge_every: timedelta = timedelta(days=60)
    #: A newcomer who has not posted this long after joining gets one nudge (unless the
    #: welcome cog's reminder does it).
    newcomer_after: timedelta = timedelta(hours=24)
    #: Where the newcomer nudge points ("" leaves the channel out).
    introductions_channel: str = field(default="", metadata={"needs": READ})  # read, not posted
    #: No nudges (to members or moderators) in these local hours (both set, or neither).
    quiet_start: time | None = time(22, 0)
    quiet_end: time | None = time(8, 0)
    #: At most this many private nudges per community per hour; the rest wait.
    dm_cap: int = 20

    @property
    def weekday(self) -> int:
        return WEEKDAYS.index(self.day)
