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
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Mapping
from functools import lru_cache
from itertools import islice
from types import MappingProxyType
from typing import Any, Generic, NamedTuple, TypeVar

__all__ = [
    "QUESTION_WORDS",
    "Match",
    "PhraseMatcher",
    "Token",
    "looks_like_question",
    "normalize",
    "sort_key",
    "split_text",
    "tokens",
    "truncate",
    "words",
]

K = TypeVar("K", bound=Hashable)

# ---------------------------------------------------------------------------
# Normalization
# ---------------------------------------------------------------------------

# Combining marks are removed only where they are diacritics on an alphabet:
# Latin/Greek/Cyrillic accents, Hebrew niqqud and cantillation, Arabic tashkeel.
# Marks in Indic, Thai and similar scripts are vowels (removing them would merge
# different words), so they are kept.
_DIACRITIC_RANGES: tuple[tuple[int, int], ...] = (
    (0x0300, 0x036F),  # Combining Diacritical Marks
    (0x0483, 0x0489),  # Cyrillic combining marks
    (0x0591, 0x05C7),  # Hebrew cantillation and niqqud (only the marks in it)
    (0x0610, 0x061A),  # Arabic honorifics and small marks
    (0x064B, 0x065F),  # Arabic harakat, tanwin, shadda, sukun, hamza above/below
    (0x0670, 0x0670),  # Arabic superscript alef
    (0x06D6, 0x06ED),  # Arabic Quranic annotation marks (only the marks in it)
    (0x08D3, 0x08FF),  # Arabic Extended-A marks (only the marks in it)
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1DFF),  # Combining Diacritical Marks Supplement
    (0x20D0, 0x20FF),  # Combining marks for symbols
    (0xFE20, 0xFE2F),  # Combining half marks
)

# Invisible format characters that RTL and Persian text carry inside words (bidi
# marks, ZWNJ/ZWJ, soft hyphen, word joiner, BOM). They never change which word it is.
_INVISIBLES: tuple[int, ...] = (
    0x00AD,
    0x061C,
    *range(0x200B, 0x2010),
    *range(0x202A, 0x202F),
    *range(0x2060, 0x2065),
    *range(0x2066, 0x206A),
    0xFEFF,
)

_LETTER_FOLDS: dict[str, str] = {
    # Arabic: alef variants that have no canonical decomposition (أ إ آ decompose to
    # ا + hamza/madda, which the mark removal drops), teh marbuta as heh, alef maksura
    # as yeh, and the Persian keyboard's yeh/kaf as the Arabic letters.
    "\u0671": "\u0627",  # ٱ alef wasla
    "\u0672": "\u0627",  # ٲ alef with wavy hamza above
    "\u0673": "\u0627",  # ٳ alef with wavy hamza below
    "\u0674": "",  # ٴ high hamza (what ٵ decomposes to, with alef)
    "\u0640": "",  # ـ tatweel (kashida): stretching only
    "\u0629": "\u0647",  # ة teh marbuta -> ه heh
    "\u0649": "\u064a",  # ى alef maksura -> ي yeh
    "\u06cc": "\u064a",  # ی Farsi yeh -> ي yeh
    "\u06a9": "\u0643",  # ک keheh -> ك kaf
    # Joiners inside words: one spelling each, so "don’t" == "don't", "f‑string" ==
    # "f-string", "בית־ספר" == "בית-ספר", "צה״ל" == 'צה"ל'.
    "\u2019": "'",
    "\u02bc": "'",
    "\u05f3": "'",  # Hebrew geresh
    "\u05f4": '"',  # Hebrew gershayim
    "\u2010": "-",  # hyphen (and U+2011, which NFKD turns into it)
    "\u05be": "-",  # Hebrew maqaf
    # Latin letters with a stroke or ligatures: no decomposition exists, but people
    # type them without it ("Lodz", "oeuvre"), like an accent.
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ħ": "h",
    "ı": "i",
    "æ": "ae",
    "œ": "oe",
}


def _build_fold_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for lo, hi in _DIACRITIC_RANGES:
        for cp in range(lo, hi + 1):
            if unicodedata.category(chr(cp)).startswith("M"):
                table[cp] = None
    for cp in _INVISIBLES:
        table[cp] = None
    for src, dst in _LETTER_FOLDS.items():
        table[ord(src)] = dst or None
    return table


_FOLD_TABLE = _build_fold_table()


def normalize(text: str) -> str:
    """Return the form of ``text`` used for every comparison ("is this the same word").

    Steps, and why:

    1. NFKD: compatibility forms (full-width ``ＰＲ``, ligatures ``ﬁ``, Arabic and Hebrew
       presentation forms) become ordinary letters, and precomposed letters split into
       base + mark so the marks can be dropped.
    2. ``str.casefold``: case-insensitive for every cased script. It also folds Greek
       final sigma ``ς`` to ``σ`` and ``ß`` to ``ss``.
    3. Remove diacritic marks (Latin/Greek accents, Hebrew niqqud and cantillation,
       Arabic tashkeel). Because أ إ آ ؤ ئ decompose to a base letter plus
       hamza/madda, this also folds them to ا ا ا و ي: chat writers often omit the
       hamza. Vowel signs of Indic/Thai-like scripts are kept (they are letters there).
    4. Arabic: drop tatweel; ٱ ٲ ٳ → ا; teh marbuta ة → ه and alef maksura ى → ي (the
       usual spelling variation, as in Lucene's Arabic normalizer); Persian ی ک → ي ك.
    5. Joiners get one spelling (’ ʼ ׳ → ', ״ → ", ‐ ‑ ־ → -); invisible format
       characters (bidi marks, ZWJ/ZWNJ, soft hyphen) are removed.
    6. A few Latin letters without decomposition fold like accents: ø ł đ ħ ı → o l d h i,
       æ œ → ae oe.
    7. NFC, so what remains (e.g. Hangul jamo, Indic marks) is in composed form.

    Hebrew final letters (ך ם ן ף ץ) are kept: they only occur at the end of a word, a
    prefix never changes a word's end, and the writer's choice of form already agrees
    with the unpointed word. (:func:`sort_key` does treat them as their regular letters.)
    """
    if text.isascii():
        return text.lower()
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_FOLD_TABLE)
    if folded.isascii():
        return folded
    return unicodedata.normalize("NFC", folded)


# ---------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------


def _mark_classes() -> tuple[str, str]:
    """All combining marks as two regex class bodies: BMP, and astral planes.

    ``re``'s ``\\w`` does not include combining marks, so without them a vowelled word
    such as مَكْتَبَة would be split at every haraka. They are two classes because a
    class with astral ranges loses ``re``'s BMP bitmap and is several times slower;
    astral marks (Adlam, Brahmi, …) are matched only after a cheap astral check.
    """

    def ranges(cps: list[int]) -> str:
        out: list[str] = []
        start = prev = cps[0]
        for cp in [*cps[1:], -1]:
            if cp != prev + 1:
                out.append(chr(start) if start == prev else f"{chr(start)}-{chr(prev)}")
                start = cp
            prev = cp
        return "".join(out)

    def marks(block: Iterable[int]) -> list[int]:
        return [cp for cp in block if unicodedata.category(chr(cp)).startswith("M")]

    bmp = marks(range(0x10000))
    astral = marks([*range(0x10000, 0x20000), *range(0xE0000, 0xE1000)])
    return ranges(bmp), ranges(astral)


_BMP_MARKS, _ASTRAL_MARKS = _mark_classes()
# A run of word characters: letters, digits, underscore and combining marks.
_RUN = rf"[\w{_BMP_MARKS}]*(?:(?=[\U00010000-\U0010ffff])[{_ASTRAL_MARKS}]+[\w{_BMP_MARKS}]*)*"
# One joiner between two word parts keeps them in one token: apostrophes (don't,
# l'eau), hyphens and maqaf (f-string, בית־ספר), geresh (ג'ורג'), invisible marks,
# and a double quote or gershayim between Hebrew letters (צה"ל, ארה״ב). Underscores
# belong to the run (snake_case) but a token neither starts nor ends with one, so
# the markdown of _italic_ and __underline__ is not part of the word.
_JOINER = (
    r"(?:['\u2019\u02bc\u05f3\-\u2010\u2011\u05be\u00ad\u200c-\u200f\u2060]"
    r'|(?<=[\u05d0-\u05ea\u0591-\u05c7])["\u05f4](?=[\u05d0-\u05ea]))'
)
# "C++", "C#", "F#", "A+": the symbol belongs to the word when it ends the word.
_SUFFIX = r"(?:(?<=[^\W\d_])(?:\+\+?|#)(?!\w))?"
_TOKEN_RE = re.compile(rf"[^\W_]{_RUN}(?:{_JOINER}[^\W_]{_RUN})*(?<!_){_SUFFIX}")


class Token(NamedTuple):
    """One word of a text: as written, normalized, and where it is (``text[start:end]``)."""

    text: str
    norm: str
    start: int
    end: int


# Word-level caches: chat vocabulary repeats, so most tokens are normalized once. Plain
# dicts, cleared when full, and only for words of normal length, so that memory stays
# bounded (a few MB) even against floods of unique or huge tokens.
_CACHE_SIZE = 1 << 16
_CACHEABLE_LEN = 64
_WORD_CACHE: dict[str, str] = {}


def _normalize_word(raw: str) -> str:
    norm = _WORD_CACHE.get(raw)
    if norm is None:
        norm = normalize(raw)
        if len(raw) <= _CACHEABLE_LEN:
            if len(_WORD_CACHE) >= _CACHE_SIZE:
                _WORD_CACHE.clear()
            _WORD_CACHE[raw] = norm
    return norm


def tokens(text: str) -> list[Token]:
    """Split ``text`` into words, with offsets into the original text.

    A word is a run of letters, digits and their combining marks, in any script. Inside
    a word, one apostrophe, hyphen (also ‐ ‑ and Hebrew maqaf) or invisible joiner
    keeps it one token: ``don't``, ``f-string``, ``בית־ספר``; so do underscores
    (``snake_case``), but not at the edges (``_italic_`` is markdown around "italic").
    A trailing ``+``/``++``/``#`` right after a letter is kept (``C++``, ``C#``).
    Everything else (spaces, punctuation, emoji, markdown) separates words.

    Scripts written without spaces (Chinese, Japanese, Thai) come out as one token per
    run; no dictionary segmentation is attempted.
    Tokens whose normalized form is empty (a lone tatweel) are skipped.
    """
    out: list[Token] = []
    for m in _TOKEN_RE.finditer(text):
        raw = m.group()
        norm = _normalize_word(raw)
        if norm:
            out.append(Token(raw, norm, m.start(), m.end()))
    return out


def words(text: str) -> list[str]:
    """The normalized forms of :func:`tokens`, without offsets: cheaper when only words matter."""
    out: list[str] = []
    for raw in _TOKEN_RE.findall(text):
        norm = _normalize_word(raw)
        if norm:
            out.append(norm)
    return out


# ---------------------------------------------------------------------------
# Attached prefixes (Hebrew, Arabic)
# ---------------------------------------------------------------------------

# Hebrew one-letter prefixes and their usual stacks (ו + ש/כש/מ + ה/ב/כ/ל).
_HE_PREFIXES = frozenset(
    "ה ו ב ל ש כ מ וה וב ול וכ ומ וש שה שב של שכ שמ כש מה ושה ושב ושל וכש ומה כשה כשב וכשה".split()
)


def _arabic_prefixes() -> frozenset[str]:
    out = set()
    for conj in ("", "و", "ف"):
        for prep in ("", "ب", "ك", "ل"):
            for art in ("", "ال"):
                p = conj + prep + art
                out.add(p.replace("لال", "لل"))  # li + al- is written لل
    out.discard("")
    return frozenset(out)


_AR_PREFIXES = _arabic_prefixes()
_PREFIXES = _HE_PREFIXES | _AR_PREFIXES
_PREFIX_INITIALS = frozenset(p[0] for p in _PREFIXES)
_MAX_PREFIX = max(map(len, _PREFIXES))


def _stems(word: str) -> list[str]:
    """Prefix-stripped forms of a normalized word part, shortest prefix first.

    Only Hebrew/Arabic prefixes exist, so a Latin word is never stripped; the stem
    must keep at least two characters and start with a letter or digit.
    """
    if not word or word[0] not in _PREFIX_INITIALS:
        return []
    return [
        word[k:]
        for k in range(1, min(_MAX_PREFIX, len(word) - 2) + 1)
        if word[:k] in _PREFIXES and word[k].isalnum()
    ]


def _analyze(raw: str) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    """A token's matching parts, and the ways a phrase may start in it.

    Parts are the normalized token split at hyphens, so "pull-request" can match the
    phrase "pull request" and "f string" the phrase "f-string". Starts are (index of
    the part, what to look up for it): the first part as written, then its
    prefix-stripped stems, then, for a prefix written with a hyphen before a foreign
    word or number ("ה-PR", "ב-2024"), the part after the hyphen.
    """
    norm = _normalize_word(raw)
    parts = tuple(p for p in norm.split("-") if p) if "-" in norm else (norm,) if norm else ()
    if not parts:
        return (), ()
    starts = [(0, parts[0])]
    starts.extend((0, stem) for stem in _stems(parts[0]))
    if len(parts) > 1 and parts[0] in _PREFIXES:
        starts.append((1, parts[1]))
    return parts, tuple(starts)


# Per-token analyses for find(), read inline there (cheaper than a call per token on
# the hot path); bounded like _WORD_CACHE.
_ANALYSIS_CACHE: dict[str, tuple[tuple[str, ...], tuple[tuple[int, str], ...]]] = {}


def _analyze_cached(raw: str) -> tuple[tuple[str, ...], tuple[tuple[int, str], ...]]:
    result = _analyze(raw)
    if len(raw) <= _CACHEABLE_LEN:
        if len(_ANALYSIS_CACHE) >= _CACHE_SIZE:
            _ANALYSIS_CACHE.clear()
        _ANALYSIS_CACHE[raw] = result
    return result


# ---------------------------------------------------------------------------
# PhraseMatcher
# ---------------------------------------------------------------------------


class Match(NamedTuple, Generic[K]):
    """A phrase found in a text: which key, which phrase as added, and ``text[start:end]``.

    The span covers the whole matched words as written, including an attached prefix
    (``start`` of "והספר", not of "ספר").
    """

    key: K
    phrase: str
    start: int
    end: int


class _Node:
    """A trie node: children by the next normalized word part; phrases ending here."""

    __slots__ = ("children", "entries")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        # (phrase, key) -> None: an insertion-ordered set.
        self.entries: dict[tuple[str, Any], None] | None = None


def _phrase_parts(phrase: str) -> tuple[str, ...]:
    parts: list[str] = []
    for raw in _TOKEN_RE.findall(phrase):
        parts.extend(_analyze(raw)[0])
    return tuple(parts)


class PhraseMatcher(Generic[K]):
    """Find many phrases (glossary terms, thank-you phrases) in messages at once.

    Phrases are stored in a trie keyed by normalized word parts (see :func:`tokens`;
    hyphens split parts). :meth:`find` tokenizes the message once and, at each word,
    walks the trie from that word (and from its Hebrew/Arabic prefix-stripped stems).
    The cost per message is O(words × (1 + stems) × longest phrase) dictionary
    lookups, whatever the number of phrases; :attr:`lookups` counts them for tests.

    Matching rules:

    * Whole words only: "cat" is not found in "concatenate" nor "cat-like", "PR" not in
      "PRISM". Words are compared after :func:`normalize`.
    * Between the words of a phrase any spaces, punctuation, markdown or emoji may
      stand ("pull  request", "pull, request", "**pull** request"), and a hyphen equals
      a space ("pull-request").
    * The first word may carry attached Hebrew (ה ו ב ל ש כ מ and stacks such as וה
      שה כש) or Arabic (ال و ف ب ك ل and stacks such as وال بال لل) prefixes, also
      before a hyphen ("ה-PR"), if at least two characters remain.
    * Unvocalized Hebrew and Arabic are ambiguous, so stripping can give false
      positives when a term equals a word minus its first letters (term "לך" in
      "מלך"). The word as written is tried first and wins ties.
    * Leftmost-longest: at each word the longest phrase wins; matches do not overlap.
      All keys of the winning phrase are reported, each key once.
    """

    def __init__(self, phrases: Iterable[tuple[str, K]] = ()) -> None:
        self._root = _Node()
        self._size = 0
        #: Trie lookups made by the last :meth:`find`.
        self.lookups = 0
        for phrase, key in phrases:
            self.add(phrase, key)

    def __len__(self) -> int:
        """Number of (phrase, key) pairs stored."""
        return self._size

    def add(self, phrase: str, key: K) -> None:
        """Add ``phrase`` for ``key``. Adding the same pair twice is a no-op.

        Raises ``ValueError`` if the phrase has no words (e.g. only punctuation).
        """
        parts = _phrase_parts(phrase)
        if not parts:
            raise ValueError(f"phrase has no words to match: {phrase!r}")
        node = self._root
        for part in parts:
            child = node.children.get(part)
            if child is None:
                child = node.children[part] = _Node()
            node = child
        if node.entries is None:
            node.entries = {}
        if (phrase, key) not in node.entries:
            node.entries[(phrase, key)] = None
            self._size += 1

    def remove(self, phrase: str, key: K) -> bool:
        """Remove the pair added as ``add(phrase, key)``; return whether it was there."""
        path: list[tuple[_Node, str]] = []
        node = self._root
        for part in _phrase_parts(phrase):
            child = node.children.get(part)
            if child is None:
                return False
            path.append((node, part))
            node = child
        if not node.entries or (phrase, key) not in node.entries:
            return False
        del node.entries[(phrase, key)]
        self._size -= 1
        if not node.entries:
            node.entries = None
        # Prune nodes left with neither phrases nor children.
        for parent, part in reversed(path):
            child = parent.children[part]
            if child.entries or child.children:
                break
            del parent.children[part]
        return True

    def find(self, text: str) -> list[Match[K]]:
        """Return the phrases in ``text``, in text order (see the class docstring)."""
        root = self._root.children
        lookups = 0
        found: list[tuple[int, int, _Node]] = []  # (first token, last token, node)
        cache = _ANALYSIS_CACHE
        analyzed = (
            [cache.get(raw) or _analyze_cached(raw) for raw in _TOKEN_RE.findall(text)]
            if root
            else []
        )
        ntok = len(analyzed)
        t = 0
        while t < ntok:
            best_t = -1
            best: _Node | None = None
            for p, first in analyzed[t][1]:
                node = root.get(first)
                lookups += 1
                if node is None:
                    continue
                # Walk the trie along the following parts, across token boundaries.
                ti, tparts = t, analyzed[t][0]
                while node is not None:
                    if node.entries and p == len(tparts) - 1 and ti > best_t:
                        best_t, best = ti, node  # a phrase ends at the end of a token
                    if not node.children:
                        break
                    p += 1
                    if p == len(tparts):
                        ti += 1
                        while ti < ntok and not analyzed[ti][0]:
                            ti += 1
                        if ti == ntok:
                            break
                        tparts, p = analyzed[ti][0], 0
                    node = node.children.get(tparts[p])
                    lookups += 1
            if best is None:
                t += 1
            else:
                found.append((t, best_t, best))
                t = best_t + 1
        self.lookups = lookups
        if not found:
            return []
        # Offsets only now: most messages match nothing.
        spans = [m.span() for m in _TOKEN_RE.finditer(text)]
        out: list[Match[K]] = []
        for first_t, last_t, node in found:
            start, end = spans[first_t][0], spans[last_t][1]
            seen: set[Hashable] = set()
            for phrase, key in node.entries or ():
                if key not in seen:
                    seen.add(key)
                    out.append(Match(key, phrase, start, end))
        return out


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


# ---------------------------------------------------------------------------
# Grapheme clusters (UAX #29, standard library only)
# ---------------------------------------------------------------------------

_OTHER, _CR, _LF, _CONTROL, _EXTEND, _ZWJ, _RI, _PREPEND, _SPACING = range(9)
_L, _V, _T, _LV, _LVT = range(9, 14)
_PREPEND_CPS = frozenset({*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2})
_PREPEND_CPS |= {0x0D4E, 0x110BD, 0x110CD, 0x111C2, 0x111C3}


def _gcb(ch: str) -> int:
    """Grapheme_Cluster_Break property, from ``unicodedata`` plus a few fixed ranges."""
    cp = ord(ch)
    if cp < 0x300:
        if ch == "\r":
            return _CR
        if ch == "\n":
            return _LF
        if cp < 0x20 or 0x7F <= cp < 0xA0 or cp == 0xAD:
            return _CONTROL
        return _OTHER
    if cp == 0x200D:
        return _ZWJ
    if 0x1F1E6 <= cp <= 0x1F1FF:
        return _RI
    if cp == 0x200C or 0x1F3FB <= cp <= 0x1F3FF or 0xE0020 <= cp <= 0xE007F:
        return _EXTEND  # ZWNJ, emoji skin tones, emoji tag sequences (subdivision flags)
    if 0x1100 <= cp <= 0x11FF or 0xA960 <= cp <= 0xA97C or 0xAC00 <= cp <= 0xD7FB:
        if cp <= 0x115F or 0xA960 <= cp <= 0xA97C:
            return _L
        if cp <= 0x11A7 or 0xD7B0 <= cp <= 0xD7C6:
            return _V
        if cp <= 0x11FF or 0xD7CB <= cp <= 0xD7FB:
            return _T
        if cp <= 0xD7A3:
            return _LV if (cp - 0xAC00) % 28 == 0 else _LVT
        return _OTHER
    cat = unicodedata.category(ch)
    if cat in ("Mn", "Me"):
        return _EXTEND
    if cat == "Mc":
        return _SPACING
    if cat == "Cf":
        return _PREPEND if cp in _PREPEND_CPS else _CONTROL
    if cat in ("Cc", "Zl", "Zp", "Cs"):
        return _CONTROL
    return _PREPEND if cp in _PREPEND_CPS else _OTHER


def _is_pictographic(ch: str) -> bool:
    """Extended_Pictographic, approximated: the emoji blocks and the symbol ``So``s.

    Only used for emoji ZWJ sequences, where a slight over-approximation is harmless.
    """
    cp = ord(ch)
    if 0x1F000 <= cp <= 0x1FFFD:
        return not (0x1F1E6 <= cp <= 0x1F1FF or 0x1F3FB <= cp <= 0x1F3FF)
    if cp in (0xA9, 0xAE, 0x203C, 0x2049):
        return True
    return 0x2100 <= cp <= 0x3299 and unicodedata.category(ch) == "So"


def _is_grapheme_boundary(text: str, i: int) -> bool:
    """Whether a cut between ``text[i-1]`` and ``text[i]`` keeps grapheme clusters whole.

    Implements the extended grapheme cluster rules of UAX #29 (GB3–GB13) with local
    lookback: CR LF, Hangul syllable sequences, combining marks and spacing marks,
    prepended marks, emoji ZWJ sequences and regional-indicator (flag) pairs. Not
    implemented: GB9c (Indic conjuncts), so a conjunct may be cut after its virama.
    """
    if i <= 0 or i >= len(text):
        return True
    a, b = _gcb(text[i - 1]), _gcb(text[i])
    if a == _CR and b == _LF:
        return False
    if a in (_CR, _LF, _CONTROL) or b in (_CR, _LF, _CONTROL):
        return True
    if a == _L and b in (_L, _V, _LV, _LVT):
        return False
    if a in (_LV, _V) and b in (_V, _T):
        return False
    if a in (_LVT, _T) and b == _T:
        return False
    if b in (_EXTEND, _ZWJ, _SPACING) or a == _PREPEND:
        return False
    if a == _ZWJ and _is_pictographic(text[i]):
        j = i - 2
        while j >= 0 and _gcb(text[j]) == _EXTEND:
            j -= 1
        return not (j >= 0 and _is_pictographic(text[j]))
    if a == _RI and b == _RI:
        j = i - 1
        while j >= 0 and _gcb(text[j]) == _RI:
            j -= 1
        return (i - 1 - j) % 2 == 0  # an even number of RIs before: a new flag starts
    return True


# ---------------------------------------------------------------------------
# Truncation and splitting
# ---------------------------------------------------------------------------

# Platform tokens that must stay whole: Discord <@1> <@!1> <@&1> <#1> <:e:1> <a:e:1>
# <t:1:R> </cmd:1>, Slack <@U1> <#C1|name> <!here> <!subteam^S1|@team> <https://…|text>.
_ATOMIC_RE = re.compile(r"<(?:[@#!/]|a?:|t:|https?://|mailto:)[^<>\n]*>")
# A cut inside a word is avoided if a word boundary exists at most this far back.
_WORD_BACKOFF = 32


def _measure(text: str, utf16: bool) -> int:
    return len(text.encode("utf-16-le")) // 2 if utf16 else len(text)


def _advance(text: str, pos: int, budget: int, utf16: bool) -> int:
    """The largest index ``end`` with ``_measure(text[pos:end]) <= budget``."""
    end = min(len(text), pos + budget)
    if not utf16 or text[pos:end].isascii():
        return end
    used = 0
    for i in range(pos, len(text)):
        used += 2 if ord(text[i]) > 0xFFFF else 1
        if used > budget:
            return i
    return len(text)


class _Cutter:
    """Finds safe cut positions in one text: whole graphemes, whole platform tokens."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = [m.span() for m in _ATOMIC_RE.finditer(text)]
        self.starts = [s for s, _ in self.spans]

    def _span_around(self, i: int) -> tuple[int, int] | None:
        k = bisect_right(self.starts, i) - 1
        if k >= 0:
            s, e = self.spans[k]
            if s < i < e:
                return s, e
        return None

    def safe(self, i: int) -> bool:
        return self._span_around(i) is None and _is_grapheme_boundary(self.text, i)

    def back_to_safe(self, i: int, lo: int = 0) -> int:
        """The largest safe position in [lo, i], or ``lo`` if there is none."""
        while i > lo:
            span = self._span_around(i)
            if span is not None:
                i = span[0]
            elif _is_grapheme_boundary(self.text, i):
                return i
            else:
                i -= 1
        return lo

    def in_word(self, i: int) -> bool:
        text = self.text
        return 0 < i < len(text) and _wordish(text[i - 1]) and _wordish(text[i])

    def back_to_word_boundary(self, i: int, lo: int) -> int | None:
        """The largest safe position in [lo, i] not inside a word, if any."""
        for j in range(i, max(lo, 0) - 1, -1):
            if not self.in_word(j) and self.safe(j):
                return j
        return None


def _wordish(ch: str) -> bool:
    return ch.isalnum() or ch in "'\u2019_" or unicodedata.category(ch).startswith("M")


def truncate(text: str, limit: int, *, ellipsis: str = "…", utf16: bool = False) -> str:
    """Shorten ``text`` to at most ``limit`` characters, ending with ``ellipsis`` if cut.

    Characters are code points (``len``), which is what Discord counts (its API is
    Python and measures code points). ``utf16=True`` counts UTF-16 code units instead,
    for consumers that measure like JavaScript.

    The cut never splits a grapheme cluster (accented letters, emoji ZWJ sequences,
    flags, Hangul, …) or a platform token (``<@123>``, ``<#C123|name>``, ``<@&456>``,
    ``<!subteam^S1>``, ``<:emoji:1>``, ``<https://…|label>``). When a word boundary
    lies within 32 characters (and half the budget) before the cut, the cut moves
    there so no word is chopped. Text that fits is returned unchanged; if not even the
    first cluster or token fits whole, the result is the ellipsis alone.

    Raises ``ValueError`` if ``limit`` cannot hold ``ellipsis``.
    """
    if _measure(text, utf16) <= limit:
        return text
    budget = limit - _measure(ellipsis, utf16)
    if budget < 0:
        raise ValueError(f"limit {limit} is shorter than the ellipsis {ellipsis!r}")
    cutter = _Cutter(text)
    cut = cutter.back_to_safe(_advance(text, 0, budget, utf16))
    if cutter.in_word(cut):
        word_cut = cutter.back_to_word_boundary(cut, cut - min(_WORD_BACKOFF, cut // 2))
        if word_cut:
            cut = word_cut
    head = text[:cut].rstrip()
    return head + ellipsis


def split_text(text: str, limit: int, *, utf16: bool = False) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters, for long bot output.

    Preferred cut points: a line break in the second half of the chunk, then the last
    whitespace, then the last word boundary, then any grapheme boundary; never inside
    a grapheme cluster or a platform token (as :func:`truncate`), unless one alone is
    longer than ``limit``. Whitespace at the cut points is dropped (indentation after a
    line break is kept); every other character is kept, in order. ``utf16`` as in
    :func:`truncate`. Empty or all-whitespace text gives ``[]``.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    cutter = _Cutter(text)
    chunks: list[str] = []
    pos, n = 0, len(text)
    while pos < n:
        if _measure(text[pos:], utf16) <= limit:
            last = text[pos:].rstrip()
            if last:
                chunks.append(last)
            break
        end = _advance(text, pos, limit, utf16)
        mid = pos + (end - pos) // 2
        nl = text.rfind("\n", mid, end + 1)
        cut = nl - 1 if nl > 0 and text[nl - 1] == "\r" else nl
        if cut > pos and cutter.safe(cut):
            nxt = nl + 1
        else:
            cut = next((j for j in range(end, pos, -1) if text[j].isspace() and cutter.safe(j)), 0)
            if cut:
                nxt = cut
                while nxt < n and text[nxt].isspace():
                    nxt += 1
            else:
                safe_end = cutter.back_to_safe(end, pos)
                word_cut = cutter.back_to_word_boundary(safe_end, pos + 1)
                cut = word_cut or safe_end
                if cut <= pos:  # one cluster or token longer than the limit
                    cut = end
                nxt = cut
        chunk = text[pos:cut].rstrip()
        if chunk:
            chunks.append(chunk)
        pos = nxt
    return chunks


# ---------------------------------------------------------------------------
# Sorting
# ---------------------------------------------------------------------------

_HEBREW_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
# Letters that a language sorts as separate letters (after a base letter) instead of
# as accented variants. Private-use code points above every letter make "ñ" sort after
# every "n…" word and before "o"; "å ä ö" after "z".
_AFTER = "\U0010fff0"


def _after(base: str, rank: int) -> str:
    return base + chr(ord(_AFTER) + rank)


_SORT_TAILORINGS: dict[str, dict[int, str]] = {
    "es": {ord("ñ"): _after("n", 0)},
    "sv": {ord(c): _after("z", r) for c, r in zip("åäöæø", (0, 1, 2, 1, 2), strict=True)},
    "da": {ord(c): _after("z", r) for c, r in zip("æøåäö", (0, 1, 2, 0, 1), strict=True)},
}
_SORT_TAILORINGS["fi"] = _SORT_TAILORINGS["sv"]
_SORT_TAILORINGS.update(dict.fromkeys(("nb", "nn", "no"), _SORT_TAILORINGS["da"]))


def sort_key(text: str, locale: str = "en") -> tuple[str, str, str, str]:
    """A key for alphabetical order: ``sorted(names, key=sort_key)``.

    Levels, like the Unicode Collation Algorithm, built on :func:`normalize`:

    1. base letters: case, accents, niqqud, tashkeel ignored; Hebrew final letters as
       their regular forms. Within each script the code point order is the alphabet
       (Latin, Greek, Cyrillic, Hebrew, Arabic hijā'ī order, Georgian); scripts follow
       each other in code point order.
    2. accents: unaccented first ("cafe" < "café").
    3. case: lowercase first ("apple" < "Apple").
    4. the text itself, so the order is total and deterministic.

    ``locale`` ("es", "sv-SE", "nb_NO"…) tailors letters a language treats as separate:
    Spanish ñ after n; Swedish/Finnish å ä ö and Danish/Norwegian æ ø å after z. Other
    languages use the default order (German ä = a, as in DIN 5007-1).
    """
    lang = locale.replace("_", "-").split("-", 1)[0].casefold()
    folded = unicodedata.normalize("NFC", text.casefold())
    tailoring = _SORT_TAILORINGS.get(lang)
    if tailoring:
        folded = folded.translate(tailoring)
    primary = normalize(folded).translate(_HEBREW_FINALS)
    secondary = unicodedata.normalize("NFKD", folded)
    tertiary = unicodedata.normalize("NFKD", text).swapcase()
    return primary, secondary, tertiary, text
