"""Normalization and tokenization: one definition of "the same word" for every matcher."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

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
