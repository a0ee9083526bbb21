"""Platform-neutral text helpers: matching, question detection, truncation, sorting.

Hearth's communities write in Latin, Arabic, Hebrew, Greek, Georgian and more, so
nothing here may assume ASCII, spaces around every word, or one code point per
visible character. Everything is a pure function or a small in-memory class: no I/O,
no platform imports, standard library only.

Pieces and who uses them:

* :func:`normalize`, :func:`tokens`, :func:`words`: the single definition of "the same
  word" that every matcher shares.
* :class:`PhraseMatcher`: glossary terms and recognition phrases ("thanks", "תודה", …),
  scanned in every message (hot path).
* :func:`looks_like_question` and :data:`QUESTION_WORDS`: the questions cog.
* :func:`truncate` and :func:`split_text`: the Discord and Slack adapters at platform
  limits.
* :func:`sort_key`: lists sorted alphabetically.
* :func:`isolate`: right-to-left names and quotes inside a left-to-right line.
"""

from bot.text.direction import isolate
from bot.text.graphemes import split_text, truncate
from bot.text.matching import Match, PhraseMatcher
from bot.text.normalization import Token, normalize, tokens, words
from bot.text.questions import QUESTION_WORDS, looks_like_question
from bot.text.sorting import sort_key

__all__ = [
    "QUESTION_WORDS",
    "Match",
    "PhraseMatcher",
    "Token",
    "isolate",
    "looks_like_question",
    "normalize",
    "sort_key",
    "split_text",
    "tokens",
    "truncate",
    "words",
]
