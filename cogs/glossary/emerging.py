"""Emerging phrases: counting 1–4-word phrases on the hot path, and deciding which are new.

Counting stores normalized phrases and counts per person per day, never message
text. A phrase may not start or end with a common word, a single letter or a number
("the build", "it's 3" are not phrases); words inside may be anything ("piece of
cake"). Per message at most :data:`MAX_TOKENS` words are looked at, and the buffer
holds at most :data:`BUFFER_CAP` counters between flushes, so the cost is bounded.

:func:`detect` is the decision, a pure function: a phrase is emerging when at least
``min_people`` different people used it in the window, at least ``min_uses`` times,
at a daily rate at least ``surge`` times its earlier rate (smoothed by one use, so a
phrase never seen before needs only the minimum uses).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.text import tokens, words

MAX_WORDS = 4
MAX_TOKENS = 60
MAX_WORD_LENGTH = 24
MAX_PHRASE_LENGTH = 60
BUFFER_CAP = 50_000

# Code, links and platform tokens (<@U1>, <#C1>, <:emoji:1>) are not language.
_NOISE = re.compile(r"```.*?```|`[^`\n]*`|<[^<>\s]*>|https?://\S+|www\.\S+", re.DOTALL)

FirstUse = tuple[datetime, str, str, str | None]  # at, channel, message, thread


class Said:
    """The phrases of one message: each normalized phrase once, with the span of words
    (first, last) it came from. The written form is only split and joined when it is
    needed (at the flush, once per message), which keeps the hot path to one pass of
    normalized words."""

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


@dataclass(slots=True)
class Counts:
    """One person's phrases on one day: uses, and the message each was first said in
    (one shared record per message, so a new phrase costs two dict entries)."""

    uses: dict[str, int]
    firsts: dict[str, tuple[Said, FirstUse]]

    def form(self, phrase: str) -> str:
        said = self.firsts[phrase][0]
        return said.form(said.spans[phrase])

    def first(self, phrase: str) -> FirstUse:
        return self.firsts[phrase][1]


class PhraseBuffer:
    """Counts per (community, day, person) and phrase since the last flush."""

    def __init__(self, cap: int = BUFFER_CAP) -> None:
        self._counts: dict[tuple[str, str, str], Counts] = {}
        self._size = 0
        self._cap = cap
        #: Counters not kept because the buffer was full (logged by the flush).
        self.dropped = 0

    def __bool__(self) -> bool:
        return self._size > 0

    def add(self, community: str, day: str, user: str, said: Said, first: FirstUse) -> None:
        key = (community, day, user)
        counts = self._counts.get(key)
        spans = said.spans
        record = (said, first)
        if counts is None:
            if self._size + len(spans) <= self._cap:  # the common case, at C speed
                self._counts[key] = Counts(dict.fromkeys(spans, 1), dict.fromkeys(spans, record))
                self._size += len(spans)
                return
            counts = self._counts[key] = Counts({}, {})
        uses, firsts = counts.uses, counts.firsts
        for phrase in spans:
            known = uses.get(phrase)
            if known is not None:
                uses[phrase] = known + 1
            elif self._size < self._cap:
                uses[phrase] = 1
                firsts[phrase] = record
                self._size += 1
            else:
                self.dropped += 1

    def drain(self) -> dict[tuple[str, str, str], Counts]:
        counts, self._counts, self._size = self._counts, {}, 0
        return counts

    def forget_user(self, community: str, user: str) -> None:
        for key in [k for k in self._counts if k[0] == community and k[2] == user]:
            self._size -= len(self._counts.pop(key).uses)


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
