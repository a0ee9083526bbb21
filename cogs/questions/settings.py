"""Per-community settings of the questions cog (defaults < config.toml [questions] < /questions config)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time, timedelta

from bot.text.substance import MIN_LETTERS


@dataclass
class QuestionsSettings:
    #: Languages whose question words count (keys of ``bot.text.QUESTION_WORDS``).
    languages: list[str] = field(default_factory=lambda: ["en"])
    helper_role: str = ""
    helpers_channel: str = ""
    #: Default wait before an unanswered question is reminded; channels may override it.
    nudge_after: timedelta = timedelta(hours=2)
    renudge_every: timedelta = timedelta(hours=12)
    max_nudges: int = 3
    escalate_after: timedelta = timedelta(hours=24)
    check_in_after: timedelta = timedelta(hours=48)
    close_after: timedelta = timedelta(days=7)
    claim_for: timedelta = timedelta(hours=2)
    #: Quiet hours in the community's timezone (both set, or neither).
    quiet_start: time | None = None
    quiet_end: time | None = None
    #: Target time to first response, for /questions stats.
    target: timedelta = timedelta(hours=1)
    #: More than ``rate_limit`` questions by one person within ``rate_window`` are ignored.
    rate_limit: int = 5
    rate_window: timedelta = timedelta(minutes=10)
    #: A reply answers a question only when this many letters remain beyond filler ("+1",
    #: "same", "thanks", emoji…; see ``bot.text.substance``). 0 lets every reply count.
    answer_letters: int = MIN_LETTERS
