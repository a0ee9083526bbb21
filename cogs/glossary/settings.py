"""The glossary's per-community settings (defaults < config.toml ``[glossary]`` < commands)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

WhoCanAdd = Literal["everyone", "members", "moderators"]


@dataclass
class GlossarySettings:
    #: Who may add entries: everyone, members who joined at least ``min_days`` ago, or
    #: moderators only. Moderators and authors may always edit their own entries.
    who_can_add: WhoCanAdd = "everyone"
    min_days: int = 7
    #: Footnotes explaining an entry where it is used (off by default: it talks in threads).
    newcomer_help: bool = False
    #: A channel gets a footnote for an entry at most once per this long.
    footnote_every: timedelta = timedelta(days=7)
    #: Count phrases (not text) to suggest emerging ones to moderators.
    emerging: bool = True
    #: Where the weekly suggestions go; empty: the core's moderator log channel, if any.
    emerging_channel: str = ""
    #: At least this many different people must use a phrase within ``emerging_window``.
    emerging_people: int = 3
    emerging_window: timedelta = timedelta(days=7)
    #: The community's languages: their common words are refused as names and ignored
    #: as phrases, and the first one orders /glossary list.
    languages: list[str] = field(default_factory=lambda: ["en"])
