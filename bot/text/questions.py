"""Question detection: looks_like_question and QUESTION_WORDS."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from itertools import islice
from types import MappingProxyType

from bot.text.normalization import _TOKEN_RE, _normalize_word, words

# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------

QUESTION_WORDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        # Words are compared after normalize(), so accents that tell a question word
        # from a conjunction are lost (es "qué"/"que", fr "où"/"ou", el "πότε"/"ποτέ"):
        # those ambiguous words are left out, as are auxiliaries that start commands
        # or replies ("do it", "will do", "should be fine"). A "?" still catches them.
        "en": frozenset(
            "what what's whats who who's whom whose when where where's why how how's which "
            "is are does did can could anyone anybody".split()
        ),
        # Spanish questions usually open with "¿", which counts on its own.
        "es": frozenset(
            ["por qué", *"cuál cuáles quién quiénes dónde adónde cuántos cuántas".split()]
        ),
        "fr": frozenset(
            "pourquoi comment combien quel quelle quels quelles qui quoi est-ce".split()
        ),
        "de": frozenset(
            "wer was wann wo warum wieso weshalb weswegen wie welche welcher welches "
            "welchen wem wen wessen woher wohin".split()
        ),
        "el": frozenset(
            "τι ποιος ποια ποιο ποιοι ποιες ποιον πού πώς γιατί πόσο πόσα πόσοι πόσες μήπως".split()
        ),
        "ka": frozenset("რა ვინ სად როდის რატომ როგორ რომელი რამდენი საიდან".split()),
        # Standard and common dialect forms; "من" (who/from) and "ما" (what/not) are
        # ambiguous and left out.
        "ar": frozenset(
            "هل ماذا لماذا كيف متى أين كم ليش ليه وين فين شو إيش ازاي شلون منو".split()
        ),
        # "כמה" (how many/some) and "איזה" (which/what a …!) are ambiguous, left out.
        "he": frozenset("האם מה מי איך למה מדוע מתי איפה היכן לאן מאיפה כיצד מישהו".split()),
    }
)

# Question marks of any script, anywhere at the end (after trailing emoji etc.).
_QUESTION_MARKS = frozenset(
    "?\uff1f\ufe56\ufe16\u061f\u037e\u2e2e\u203d\u2047\u2048\u2049\u2753\u2754\u1367"
)
_ARMENIAN_QUESTION = "\u055e"  # written over the questioned word, so it counts anywhere
_SPANISH_OPEN = "\u00bf"  # ¿
_TRAILING_IGNORED_CATEGORIES = frozenset({"So", "Sk", "Cf", "Mn", "Me", "Pe", "Pf"})
_TRAILING_IGNORED_CHARS = frozenset("\"'*_~`|!")
_TRAILING_EMOJI_CODE = re.compile(r"(?::[\w+-]+:|<a?:\w+:\d+>)+\Z")
_LEADING_NOISE = re.compile(r"(?:\s|<(?:[@#!]|a?:)[^<>]*>|:[\w+-]+:|[>*_~|(\[\"'])+")
# Conjunctions that may be attached to a question word: וּ, وَ, فَ ("ולמה", "وهل").
_QUESTION_CONJUNCTIONS = ("\u05d5", "\u0648", "\u0641")


def _is_greek(ch: str) -> bool:
    return "\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff"


def _ends_with_question_mark(text: str) -> bool:
    i = len(text)
    while i > 0:
        ch = text[i - 1]
        if ch in _QUESTION_MARKS:
            return True
        if ch == ";":
            # The Greek question mark is a semicolon; a keyboard gives the ASCII one.
            for prev in reversed(text[: i - 1]):
                if prev.isalpha():
                    return _is_greek(prev)
            return False
        if (
            ch.isspace()
            or ch in _TRAILING_IGNORED_CHARS
            or unicodedata.category(ch) in _TRAILING_IGNORED_CATEGORIES
        ):
            i -= 1
            continue
        m = _TRAILING_EMOJI_CODE.search(text, 0, i) if ch in ":>" else None
        if m is None:
            return False
        i = m.start()
    return False


@lru_cache(maxsize=64)
def _question_phrases(question_words: frozenset[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(p for p in (tuple(words(w)) for w in question_words) if p)


def looks_like_question(text: str, question_words: Iterable[str]) -> bool:
    """Whether ``text`` reads as a question.

    True when either:

    * it ends with a question mark of any script (``?`` ``？`` Arabic ``؟``, Greek
      ``;`` U+037E, or an ASCII ``;`` after a Greek letter, ``‽`` ``⁇`` ``⁉`` ``❓``…),
      ignoring trailing whitespace, emoji (also ``:shortcode:`` and ``<:custom:1>``),
      closing brackets/quotes, markdown and ``!``; or it contains the Armenian
      question mark ``՞`` (written over the questioned word, anywhere); or
    * it starts with ``¿`` or with one of ``question_words`` (compared with
      :func:`normalize`, phrases allowed), after leading mentions, emoji codes and
      markdown; an attached Hebrew ו or Arabic و/ف before the word is allowed
      ("ולמה", "وهل").

    ``question_words`` is usually a union of :data:`QUESTION_WORDS` entries for the
    community's languages; pass ``()`` for question marks only.
    """
    if _ends_with_question_mark(text) or _ARMENIAN_QUESTION in text:
        return True
    m = _LEADING_NOISE.match(text)
    head = text[m.end() :] if m else text
    if head.startswith(_SPANISH_OPEN):
        return True
    if not isinstance(question_words, frozenset):
        question_words = frozenset(question_words)
    phrases = _question_phrases(question_words)
    if not phrases:
        return False
    longest = max(map(len, phrases))
    first = [_normalize_word(m.group()) for m in islice(_TOKEN_RE.finditer(head), longest)]
    if not first:
        return False
    candidates = [first]
    if first[0].startswith(_QUESTION_CONJUNCTIONS) and len(first[0]) > 2:
        candidates.append([first[0][1:], *first[1:]])
    return any(tuple(cand[:n]) in phrases for cand in candidates for n in range(1, len(cand) + 1))
