"""Spotting kudos in chat: thank-you phrases, who a reply answers, the kudos reaction.

Everything here runs on the hot path (every message, every reaction), so it is
in-memory and cheap: a phrase matcher per community, rebuilt only when its phrase
list changes, and a bounded map from recent message ids to their authors.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence

from bot.text import PhraseMatcher, tokens


def is_phrase(text: str) -> bool:
    """Whether ``text`` has words a matcher can find (not only punctuation or emoji)."""
    return bool(tokens(text))


class ThanksDetector:
    """Finds a configured thank-you phrase in a message (whole words, any script), unless the
    message declines ("no thanks", "לא תודה"): one matcher holds both lists, so a message is
    scanned once, and leftmost-longest matching lets "no thanks" win over its "thanks"."""

    def __init__(self) -> None:
        self._matchers: dict[str, tuple[tuple[tuple[str, ...], ...], PhraseMatcher[bool]]] = {}

    def _matcher(
        self, community: str, phrases: Sequence[str], declines: Sequence[str]
    ) -> PhraseMatcher[bool]:
        key = (tuple(phrases), tuple(declines))
        cached = self._matchers.get(community)
        if cached is not None and cached[0] == key:
            return cached[1]
        matcher: PhraseMatcher[bool] = PhraseMatcher(
            [(p, True) for p in phrases if is_phrase(p)]
            + [(p, False) for p in declines if is_phrase(p)]
        )
        self._matchers[community] = (key, matcher)
        return matcher

    def says_thanks(
        self, community: str, phrases: Sequence[str], text: str, declines: Sequence[str] = ()
    ) -> bool:
        """A thank-you phrase is there and no declining one (which credits nobody)."""
        found = self._matcher(community, phrases, declines).find(text)
        return bool(found) and all(match.key for match in found)


class RecentAuthors:
    """Who wrote the last ``size`` messages, so a "thanks!" reply can credit its parent."""

    def __init__(self, size: int = 5000) -> None:
        self._size = size
        self._authors: OrderedDict[tuple[str, str], str] = OrderedDict()

    def remember(self, community: str, message: str, author: str) -> None:
        self._authors[(community, message)] = author
        if len(self._authors) > self._size:
            self._authors.popitem(last=False)

    def author(self, community: str, message: str | None) -> str | None:
        return None if message is None else self._authors.get((community, message))

    def forget_user(self, community: str, user: str) -> None:
        for key in [k for k, v in self._authors.items() if k[0] == community and v == user]:
            del self._authors[key]


# Slack and some clients report emoji by name; the usual kudos emoji are known both ways.
_EMOJI_NAMES = {
    "⭐": "star",
    "🌟": "star2",
    "✨": "sparkles",
    "👏": "clap",
    "🙏": "pray",
    "🙌": "raised_hands",
    "🏆": "trophy",
    "🎉": "tada",
    "💯": "100",
    "❤": "heart",
    "👍": "+1",
}


def emoji_key(emoji: str) -> str:
    """One spelling per emoji: ``⭐``, ``⭐️`` (with VS16), ``:star:`` and ``star`` agree."""
    bare = emoji.strip().replace("\ufe0f", "").strip(":")
    return _EMOJI_NAMES.get(bare, bare).casefold()


_EMOJI_NAME = re.compile(r"^:?[\w+-]+:?$|^<a?:\w+:\d+>$", re.ASCII)


def is_emoji(text: str) -> bool:
    """A plausible reaction: a symbol (⭐), a name (``:star:``, ``star``) or a custom emoji."""
    text = text.strip()
    if not text or len(text) > 64 or any(c.isspace() for c in text):
        return False
    if text.isascii():
        return bool(_EMOJI_NAME.match(text))
    return any(unicodedata.category(c) == "So" for c in text)
