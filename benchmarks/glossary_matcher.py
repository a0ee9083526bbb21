"""The glossary matcher against an Aho-Corasick automaton (pyahocorasick), on the
benchmark's own texts: ``python -m benchmarks.glossary_matcher [--terms N] [--texts N]``.

Issue 13 asks to move matching onto a maintained multi-pattern library if it beats the
trie. The candidate keeps the trie's rules (normalized word parts, whole words, hyphen =
space, Hebrew/Arabic prefixes, leftmost-longest): the message's word parts are joined
with one space, every phrase is a pattern ending in a space, and a match is kept only
where it starts a token, a prefix-stripped stem or the part after a hyphenated prefix,
and ends a token. Both must find the same entries in every text; the figures are µs per
message for each, over the same texts, best of a few rounds.
"""

from __future__ import annotations

import argparse
import random
import sys
from time import perf_counter
from typing import Any

from benchmarks.corpus import SCRIPTS, TextMaker, glossary_terms
from bot.text import PhraseMatcher
from bot.text.matching import (
    _ANALYSIS_CACHE,
    _TOKEN_RE,
    _analyze_cached,
    _phrase_parts,
)


def _texts(terms: list[tuple[str, str, str]], count: int, seed: int) -> list[str]:
    """Chatter in the five scripts; a third of it uses a glossary term (as the benchmark's
    glossary community does)."""
    rng = random.Random(seed)
    maker = TextMaker(rng)
    by_script: dict[str, list[str]] = {}
    for term, _, script in terms:
        by_script.setdefault(script, []).append(term)
    out = []
    for _ in range(count):
        script = rng.choice(SCRIPTS)
        text = maker.chatter(script)
        if rng.random() < 0.33:
            words = text.split()
            words.insert(rng.randrange(len(words) + 1), rng.choice(by_script[script]))
            text = " ".join(words)
        out.append(text)
    return out


class AhoCorasickMatcher:
    """The trie's rules on a pyahocorasick automaton (see the module docstring)."""

    def __init__(self, phrases: list[tuple[str, Any]]) -> None:
        import ahocorasick

        self._automaton = ahocorasick.Automaton()
        keys: dict[str, list[Any]] = {}
        for phrase, key in phrases:
            keys.setdefault(" ".join(_phrase_parts(phrase)) + " ", []).append(key)
        for pattern, found in keys.items():
            self._automaton.add_word(pattern, (len(pattern), found))
        self._automaton.make_automaton()

    def find(self, text: str) -> list[Any]:
        cache = _ANALYSIS_CACHE
        analyzed = [cache.get(raw) or _analyze_cached(raw) for raw in _TOKEN_RE.findall(text)]
        pieces: list[str] = []
        starts: dict[int, tuple[int, int]] = {}  # offset -> (token, rank of the start)
        ends: dict[int, int] = {}  # offset just past a token's last part -> token
        offset = 0
        for t, (parts, options) in enumerate(analyzed):
            if not parts:
                continue
            starts[offset] = (t, 0)
            first = parts[0]
            for rank, (p, part) in enumerate(options[1:], 1):
                at = offset + (len(first) - len(part) if p == 0 else len(first) + 1)
                starts.setdefault(at, (t, rank))
            for part in parts:
                pieces.append(part)
                offset += len(part) + 1
            ends[offset] = t
        if not pieces:
            return []
        best: dict[int, tuple[int, int, list[Any]]] = {}  # first token -> (last, rank, keys)
        for end, (length, found) in self._automaton.iter(" ".join(pieces) + " "):
            last = ends.get(end + 1)
            start = starts.get(end + 1 - length)
            if last is None or start is None:
                continue
            first, rank = start
            known = best.get(first)
            if known is None or last > known[0] or (last == known[0] and rank < known[1]):
                best[first] = (last, rank, found)
        out: list[Any] = []
        reach = -1
        for first in sorted(best):
            if first > reach:
                last, _, found = best[first]
                out.extend(k for k in found if k not in out)
                reach = last
        return out


def _trie_keys(matcher: PhraseMatcher[Any], text: str) -> list[Any]:
    return list(dict.fromkeys(match.key for match in matcher.find(text)))


def _time(find: Any, texts: list[str], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        began = perf_counter()
        for text in texts:
            find(text)
        best = min(best, perf_counter() - began)
    return best / len(texts) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=10_000)
    parser.add_argument("--texts", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    terms = glossary_terms(args.terms, args.seed)
    phrases = [(term, n) for n, (term, _, _) in enumerate(terms)]
    phrases += [("ה" + term, -1) for term, _, script in terms[:5] if script == "hebrew"]
    texts = _texts(terms, args.texts, args.seed)
    texts += ["ו" + text for text in texts[:200]] + ["ה-" + t for t in texts[:200]]
    trie = PhraseMatcher(phrases)
    automaton = AhoCorasickMatcher(phrases)
    differ = [t for t in texts if _trie_keys(trie, t) != automaton.find(t)]
    matched = sum(1 for t in texts if automaton.find(t))
    trie_us = _time(trie.find, texts, args.rounds)
    ac_us = _time(automaton.find, texts, args.rounds)
    print(f"{len(phrases):,} phrases, {len(texts):,} texts ({matched:,} with an entry)")
    print(f"  trie (bot.text.PhraseMatcher)      {trie_us:8.2f} µs per message")
    print(f"  Aho-Corasick (pyahocorasick)       {ac_us:8.2f} µs per message")
    print(f"  texts where the two disagree       {len(differ):,}")
    for text in differ[:3]:
        print(f"    {text!r}: trie {_trie_keys(trie, text)} vs {automaton.find(text)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
