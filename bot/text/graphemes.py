"""Grapheme clusters and platform-safe cutting: truncate and split_text."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

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
