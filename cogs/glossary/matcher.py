"""One community's glossary in memory: entries, their names, and the phrase matcher.

Built once at start-up and updated on every change, so that scanning a message costs
one :meth:`PhraseMatcher.find` whatever the number of entries, and lookups by name,
autocomplete and sorted listings need no database round trip.
"""

from __future__ import annotations

from bot.text import PhraseMatcher, sort_key
from cogs.glossary.model import Entry, name_key


class GlossaryIndex:
    def __init__(self, entries: list[Entry] | None = None) -> None:
        self.entries: dict[int, Entry] = {}
        self._keys: dict[str, int] = {}  # name_key of every name and alias -> entry id
        self._matcher: PhraseMatcher[int] = PhraseMatcher()
        self._sorted: tuple[str, list[Entry]] | None = None
        for entry in entries or ():
            self.put(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def put(self, entry: Entry) -> None:
        """Add ``entry``, or replace the entry with its id (new name, aliases…)."""
        self.drop(entry.id)
        self.entries[entry.id] = entry
        for text in entry.names:
            self._keys[name_key(text)] = entry.id
            self._matcher.add(text, entry.id)
        self._sorted = None

    def drop(self, entry_id: int) -> Entry | None:
        entry = self.entries.pop(entry_id, None)
        if entry is None:
            return None
        for text in entry.names:
            key = name_key(text)
            if self._keys.get(key) == entry_id:  # another entry may have taken it meanwhile
                del self._keys[key]
            self._matcher.remove(text, entry_id)
        self._sorted = None
        return entry

    def owner(self, key: str) -> Entry | None:
        """The entry one of whose names has the matching form ``key``."""
        entry_id = self._keys.get(key)
        return None if entry_id is None else self.entries[entry_id]

    def lookup(self, text: str) -> Entry | None:
        """The entry called ``text`` (by its name or an alias), as the matcher would see it."""
        return self.owner(name_key(text))

    def find(self, text: str) -> list[int]:
        """Ids of the entries used in ``text``, each once, in the order they appear."""
        found = self._matcher.find(text)
        if not found:
            return []
        return list(dict.fromkeys(match.key for match in found))

    def covers(self, text: str) -> bool:
        """Whether one entry's name matches the whole of ``text`` (prefixes allowed)."""
        return any(m.start == 0 and m.end == len(text) for m in self._matcher.find(text))

    def alphabetical(self, locale: str) -> list[Entry]:
        if self._sorted is None or self._sorted[0] != locale:
            ordered = sorted(self.entries.values(), key=lambda e: sort_key(e.name, locale))
            self._sorted = (locale, ordered)
        return self._sorted[1]

    def names(self) -> list[tuple[str, Entry]]:
        """Every (name or alias, entry): for autocomplete and fuzzy search."""
        return [(text, entry) for entry in self.entries.values() for text in entry.names]
