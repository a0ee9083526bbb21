"""Finding entries from what someone typed: exact, contained, in definitions, or fuzzy.

Fuzzy "did you mean …" uses RapidFuzz over the names' matching forms, so accents,
case and niqqud never count as typos.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz, process

from bot.text import sort_key
from cogs.glossary.matcher import GlossaryIndex
from cogs.glossary.model import Entry, name_key

FUZZY_CUTOFF = 70


@lru_cache(maxsize=32_768)
def _padded(text: str) -> str:
    """`` key `` with spaces around, so that " cat " is not found inside " concat "."""
    return f" {name_key(text)} "


def search(index: GlossaryIndex, query: str, locale: str) -> list[Entry]:
    """Entries whose name or alias contains the query's words (best first), then those
    whose definition does."""
    wanted = _padded(query)
    if not wanted.strip():
        return []
    scored: list[tuple[int, tuple[str, ...], Entry]] = []
    for entry in index.entries.values():
        keys = [_padded(text) for text in entry.names]
        if wanted in keys:
            score = 0
        elif any(wanted in key for key in keys):
            score = 1
        elif any(key.startswith(wanted.rstrip()) for key in keys):
            score = 2
        elif wanted in _padded(entry.definition):
            score = 3
        else:
            continue
        scored.append((score, sort_key(entry.name, locale), entry))
    scored.sort(key=lambda item: item[:2])
    return [entry for _, _, entry in scored]


def did_you_mean(index: GlossaryIndex, query: str, limit: int = 3) -> list[str]:
    """Names of the entries one of whose names is close to a misspelled query."""
    wanted = name_key(query)
    if not wanted:
        return []
    choices: dict[str, Entry] = {}
    for text, entry in index.names():
        choices.setdefault(name_key(text), entry)
    found = process.extract(
        wanted, list(choices), scorer=fuzz.WRatio, limit=None, score_cutoff=FUZZY_CUTOFF
    )
    names = dict.fromkeys(choices[key].name for key, _, _ in found)
    return list(names)[:limit]


def complete(index: GlossaryIndex, partial: str, limit: int = 25) -> list[str]:
    """Names and aliases for autocomplete: those starting with ``partial`` first."""
    wanted = name_key(partial)
    starts: list[str] = []
    contains: list[str] = []
    for text, _ in index.names():
        key = name_key(text)
        if key.startswith(wanted):
            starts.append(text)
        elif wanted in key:
            contains.append(text)
    return (sorted(starts, key=sort_key) + sorted(contains, key=sort_key))[:limit]
