"""Is this message a new question? Pure and cheap: it runs for every message in a watched channel.

* Help channels: every top-level post, thread or forum post is a question.
* Watch channels, ``conservative``: the message ends with a question mark of any
  script (``?``, Arabic ``؟``, Greek ``;``…), as :func:`bot.text.looks_like_question`
  with no question words decides.
* Watch channels, ``eager``: a question mark at the end of any sentence, or a first
  word that is a question word in one of the community's languages.

Messages inside a thread, and replies to another message, are part of a
conversation, not new questions (they may answer one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from bot.text import QUESTION_WORDS, looks_like_question

HELP = "help"
WATCH = "watch"
CONSERVATIVE = "conservative"
EAGER = "eager"
MODES = (CONSERVATIVE, EAGER)

# A sentence ends at whitespace after punctuation or an emoji, or at a line break.
_SENTENCE_BREAK = re.compile(r"(?<=[^\w\s])\s+|\n+")
# Every character that ends a question in some script (and ";"): most messages have none,
# so this one scan spares them the sentence-by-sentence check.
_MAYBE_QUESTION_MARK = re.compile(
    "[?;\uff1f\ufe56\ufe16\u061f\u037e\u2e2e\u203d\u2047\u2048\u2049\u2753\u2754\u1367]"
)


@dataclass(frozen=True, slots=True)
class ChannelRule:
    kind: str  # HELP or WATCH
    mode: str = CONSERVATIVE
    nudge_after: timedelta | None = None  # None: the community's default


@lru_cache(maxsize=64)
def question_words(languages: tuple[str, ...]) -> frozenset[str]:
    """The question words of the given languages, as one set (unknown codes add nothing)."""
    found: set[str] = set()
    for language in languages:
        found |= QUESTION_WORDS.get(language, frozenset())
    return frozenset(found)


def is_new_question(
    text: str,
    rule: ChannelRule,
    words: frozenset[str],
    *,
    thread: str | None,
    reply_to: str | None,
    starts_thread: bool,
) -> bool:
    """Whether a message posted in a channel with ``rule`` opens a question."""
    if not (starts_thread or (thread is None and reply_to is None)):
        return False
    if rule.kind == HELP:
        return True
    if rule.mode == EAGER:
        if looks_like_question(text, words):
            return True
        return _MAYBE_QUESTION_MARK.search(text) is not None and any(
            looks_like_question(sentence, ()) for sentence in _SENTENCE_BREAK.split(text)
        )
    return looks_like_question(text, ())
