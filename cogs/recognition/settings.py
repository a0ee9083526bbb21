"""Per-community recognition settings, and the names people use for them in commands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

#: Thank-you phrases found in chat by default (the list is configurable per community).
DEFAULT_THANKS: tuple[str, ...] = (
    "thanks",
    "thank you",
    "thank u",
    "thankyou",
    "thx",
    "ty",
    "tysm",
    "tyvm",
    "merci",
    "danke",
    "gracias",
    "grazie",
    "obrigado",
    "obrigada",
    "спасибо",
    "شكرا",
    "תודה",
    "ευχαριστώ",
    "მადლობა",
)

#: Thanks declined, not given ("no thanks @bob, I'm fine"): a message with one credits nobody.
#: Matched like the thank-you phrases (whole words; punctuation between words is ignored, so
#: "no, thanks" and "არა, მადლობა" match too). Configurable per community.
DEFAULT_NOT_THANKS: tuple[str, ...] = (
    "no thanks",
    "no thank you",
    "no thx",
    "no ty",
    "thanks but no thanks",
    "לא תודה",
    "لا شكرا",
    "όχι ευχαριστώ",
    "არა მადლობა",
    "no gracias",
    "non merci",
    "nein danke",
)

#: What earns points: ledger kind -> the settings field holding its weight.
WEIGHTS: dict[str, str] = {
    "kudos": "weight_kudos",
    "answer": "weight_answer",
    "accepted": "weight_accepted",
    "mission": "weight_mission",
    "mission_completed": "weight_mission_completed",
    "greeting": "weight_greeting",
}

#: The same kinds as people type them (``/recognition settings weight:mission-completed``).
WEIGHT_CHOICES: tuple[str, ...] = tuple(kind.replace("_", "-") for kind in WEIGHTS)


@dataclass
class RecognitionSettings:
    # Anti-gaming (see rules.PRESETS for the relaxed/standard/strict sets).
    cooldown: timedelta = timedelta(hours=1)
    daily_allowance: int = 10
    loop_window: timedelta = timedelta(minutes=30)
    pair_cap: int = 3  # kudos from one person to another that count, per rolling week
    # How kudos are given and confirmed.
    reaction_emoji: str = "⭐"
    confirm: Literal["reaction", "reply"] = "reaction"
    thanks_phrases: list[str] = field(default_factory=lambda: list(DEFAULT_THANKS))
    not_thanks_phrases: list[str] = field(default_factory=lambda: list(DEFAULT_NOT_THANKS))
    # Points per kind; message count alone earns nothing.
    weight_kudos: int = 2
    weight_answer: int = 3
    weight_accepted: int = 5
    weight_mission: int = 2
    weight_mission_completed: int = 5
    weight_greeting: int = 2
    # Where role announcements go ("" = the channel where it happened) and the
    # weekly spotlight ("" = off).
    announce_channel: str = ""
    spotlight_channel: str = ""

    def weight(self, kind: str) -> int:
        return int(getattr(self, WEIGHTS[kind]))
