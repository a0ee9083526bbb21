"""Phrase matching: PhraseMatcher, Match, and Hebrew/Arabic prefix stripping."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any, Generic, NamedTuple, TypeVar

from bot.text.normalization import _CACHE_SIZE, _CACHEABLE_LEN, _TOKEN_RE, _normalize_word

K = TypeVar("K", bound=Hashable)


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
