"""Is this message a new question? Pure and cheap: it runs for every message in a watched channel.

* Help channels: every top-level post, thread or forum post is a question.
* Watch channels, ``conservative``: a sentence anywhere in the message ends with a
  question mark of any script (``?``, Arabic ``؟``, ``？``, Greek ``;``…, as
  :func:`bot.text.looks_like_question` with no question words decides), so
  "How do I install on Windows? I tried pip." and "how do I fix this? @maria" are
  questions. Code (fenced or inline), links and quoted lines are left out first: a
  ``?`` in them asks nothing.
* Watch channels, ``eager``: the same, or a first word that is a question word in
  one of the community's languages.

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
# What is not the person's own prose: fenced and inline code, links (bare, or in <…> as
# Slack and Discord write them), a ">>>" quote (the rest of the message) and "> " quoted lines.
_NOT_PROSE = re.compile(
    r"```[\s\S]*?(?:```|\Z)|`[^`\n]*`|<https?://[^>]*>|https?://\S+"
    r"|^[ \t]*(?:>>>|&gt;&gt;&gt;)[\s\S]*|^[ \t]*(?:>|&gt;)[^\n]*",
    re.MULTILINE,
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
    if rule.mode == EAGER and looks_like_question(text, words):
        return True
    return asks_in_any_sentence(text)


def asks_in_any_sentence(text: str) -> bool:
    """Whether a sentence of the person's own prose (not code, links or quotes) ends with a
    question mark; a message with no question mark at all costs one scan."""
    if _MAYBE_QUESTION_MARK.search(text) is None:
        return looks_like_question(text, ())  # "¿…" and the Armenian mark need no final mark
    prose = _NOT_PROSE.sub("\n", text)
    return any(looks_like_question(sentence, ()) for sentence in _SENTENCE_BREAK.split(prose))
