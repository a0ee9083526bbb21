"""Emerging phrases: which 1–4-word phrases a message has, and deciding which are new.

A phrase may not start or end with a common word, a single letter or a number ("the
build", "it's 3" are not phrases); words inside may be anything ("piece of cake"). Per
message at most :data:`MAX_TOKENS` words are looked at, so the cost is bounded. Counting
them (in bounded memory, at the flush) is :mod:`cogs.glossary.phrase_counts`.

:func:`detect` is the decision, a pure function: a phrase is emerging when at least
``min_people`` different people used it in the window, at least ``min_uses`` times,
at a daily rate at least ``surge`` times its earlier rate (smoothed by one use, so a
phrase never seen before needs only the minimum uses).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from bot.text import tokens, words

MAX_WORDS = 4
MAX_TOKENS = 60
MAX_WORD_LENGTH = 24
MAX_PHRASE_LENGTH = 60
MIN_USES = 5  # uses within the window before a phrase can be suggested

# Code, links and platform tokens (<@U1>, <#C1>, <:emoji:1>) are not language.
_NOISE = re.compile(r"```.*?```|`[^`\n]*`|<[^<>\s]*>|https?://\S+|www\.\S+", re.DOTALL)


class Said:
    """The phrases of one message: each normalized phrase once, with the span of words
    (first, last) it came from. The written form is only split and joined when a phrase
    is suggested, which keeps counting to one pass of normalized words."""

    __slots__ = ("_text", "_written", "spans")

    def __init__(self, spans: dict[str, tuple[int, int]], text: str) -> None:
        self.spans = spans
        self._text = text  # noise already removed; words as written come from it
        self._written: list[str] | None = None

    def form(self, span: tuple[int, int]) -> str:
        written = self._written
        if written is None:
            # tokens() yields the same words as words(), with their written form.
            written = self._written = [t.text for t in tokens(self._text)[:MAX_TOKENS]]
        return " ".join(written[span[0] : span[1] + 1])

    def forms(self) -> dict[str, str]:
        return {phrase: self.form(span) for phrase, span in self.spans.items()}


def phrases(text: str, stop: frozenset[str]) -> Said:
    """The phrases of one message (see the module docstring for what counts)."""
    if "`" in text or "<" in text or "://" in text or "www." in text:
        text = _NOISE.sub(" ", text)
    norms = words(text)[:MAX_TOKENS]
    long = [len(n) > MAX_WORD_LENGTH for n in norms]
    edge = [not (n in stop or len(n) < 2 or long[i] or n.isdigit()) for i, n in enumerate(norms)]
    spans: dict[str, tuple[int, int]] = {}
    count = len(norms)
    for i in range(count):
        if not edge[i]:
            continue
        if norms[i] not in spans:
            spans[norms[i]] = (i, i)
        for j in range(i + 1, min(count, i + MAX_WORDS)):
            if long[j]:
                break
            if edge[j]:
                key = " ".join(norms[i : j + 1])
                if len(key) > MAX_PHRASE_LENGTH:
                    break
                if key not in spans:
                    spans[key] = (i, j)
    return Said(spans, text)


@dataclass(frozen=True, slots=True)
class Trend:
    phrase: str
    uses: int
    people: int
    earlier: int  # uses in the earlier period


def detect(
    recent: Iterable[tuple[str, int, int]],
    earlier: dict[str, int],
    *,
    min_people: int,
    min_uses: int,
    window_days: float,
    earlier_days: float,
    surge: float,
    exclude: Collection[str] = (),
) -> list[Trend]:
    """The emerging phrases among ``recent`` (phrase, uses, distinct people), best first.

    Best: most people, then most uses. A phrase inside a longer emerging phrase that
    accounts for most of its uses is left out ("yak" when "yak shave" is emerging),
    also when the longer one is itself left out (``exclude``: already an entry, ignored
    or suggested recently), so that its pieces are not offered instead.
    """
    trends = []
    for phrase, uses, people in recent:
        before = earlier.get(phrase, 0)
        if people < min_people or uses < min_uses:
            continue
        if uses / window_days < surge * (before + 1) / earlier_days:
            continue
        trends.append(Trend(phrase, uses, people, before))
    kept: list[Trend] = []
    for trend in sorted(trends, key=lambda t: -t.phrase.count(" ")):
        inside = f" {trend.phrase} "
        if any(
            inside in f" {longer.phrase} " and longer.uses * 5 >= trend.uses * 4 for longer in kept
        ):
            continue
        kept.append(trend)
    shown = [t for t in kept if t.phrase not in exclude]
    return sorted(shown, key=lambda t: (-t.people, -t.uses, t.phrase))
