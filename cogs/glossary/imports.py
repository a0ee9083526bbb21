"""Checking an import against the glossary before anything is written (pure).

A record whose name is an existing entry's name updates that entry; any other record
adds one. An update changes only the fields the record has (a record with only a name
and a definition keeps the entry's kind, origin, aliases and first-said), and the plan
says which fields each update changes. Every record is checked with the same rules as
``/glossary add``, against the entries that stay and the records before it, so that an
import either passes as a whole or is refused with every problem and where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cogs.glossary.io import FIELDS, LineProblem, Record
from cogs.glossary.matcher import GlossaryIndex
from cogs.glossary.model import KINDS, Entry, name_key
from cogs.glossary.rules import (
    MAX_DEFINITION,
    MAX_ENTRIES,
    MAX_ORIGIN,
    MAX_REFERENCE,
    Problem,
    check_kind,
    check_names,
    check_text,
)

_ID = re.compile(r"^[\w.:-]{1,64}$")  # a platform's user id ("U024BE7LD", "8138…", "alice")


#: The fields an update can change, as the entry and the files call them.
_COMPARED = (
    ("name", "name"),
    ("kind", "kind"),
    ("definition", "definition"),
    ("origin", "origin"),
    ("aliases", "aliases"),
    ("first_said", "first_said"),
    ("author", "author"),
    ("created_at", "created_at"),
)
#: The field a problem of the rules is about, when its parameters do not say.
_PROBLEM_FIELDS = {
    "bad_kind": "kind",
    "bad_author": "author",
    "bad_created_at": "created_at",
    "common_word": "name",
    "name_taken": "name",
    "alias_taken": "aliases",
    "alias_loop": "aliases",
    "too_many_aliases": "aliases",
}


@dataclass
class ImportPlan:
    new: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    unchanged: int = 0
    problems: list[LineProblem] = field(default_factory=list)
    #: For each changed entry (same order), the fields that change.
    changes: list[tuple[str, ...]] = field(default_factory=list)


class _Claims:
    """Who owns a name during the import: earlier records, then entries that stay.

    Entries the import updates give up their current names (the record says which
    names they keep), so records may move names between them in any order.
    """

    def __init__(self, index: GlossaryIndex, updated: set[int]) -> None:
        self._index = index
        self._updated = updated
        self._claimed: dict[str, Entry] = {}

    def owner(self, key: str) -> Entry | None:
        claimed = self._claimed.get(key)
        if claimed is not None:
            return claimed
        entry = self._index.owner(key)
        return None if entry is None or entry.id in self._updated else entry

    def claim(self, entry: Entry) -> None:
        for text in entry.names:
            self._claimed[name_key(text)] = entry


def _updates(record: Record, index: GlossaryIndex) -> Entry | None:
    """The existing entry this record updates: the one whose *name* it has."""
    key = name_key(record.name)
    entry = index.owner(key) if key else None
    return entry if entry is not None and name_key(entry.name) == key else None


def plan_import(
    records: list[Record],
    index: GlossaryIndex,
    stop: frozenset[str],
    community: str,
    importer: str,
    now: datetime,
) -> ImportPlan:
    plan = ImportPlan()
    targets = [_updates(record, index) for record in records]
    claims = _Claims(index, {e.id for e in targets if e is not None})
    for record, existing in zip(records, targets, strict=True):
        try:
            entry = _entry(record, existing, claims, stop, community, importer, now)
        except Problem as problem:
            about = problem.params.get("field") or _PROBLEM_FIELDS.get(problem.key)
            plan.problems.append(
                LineProblem(
                    record.line,
                    problem.key,
                    tuple(problem.params.items()),
                    entry=record.entry,
                    name=record.name,
                    field=about if record.entry is not None else None,
                )
            )
            continue
        claims.claim(entry)
        if existing is None:
            plan.new.append(entry)
            continue
        changes = tuple(
            label for attr, label in _COMPARED if getattr(entry, attr) != getattr(existing, attr)
        )
        if changes:
            plan.changed.append(entry)
            plan.changes.append(changes)
        else:
            plan.unchanged += 1
    if len(index) + len(plan.new) > MAX_ENTRIES:
        plan.problems.append(LineProblem(1, "too_many_entries", (("max", MAX_ENTRIES),)))
    return plan


def _entry(
    record: Record,
    existing: Entry | None,
    claims: _Claims,
    stop: frozenset[str],
    community: str,
    importer: str,
    now: datetime,
) -> Entry:
    # An id no stored entry has, so that this record's own names are not collisions.
    itself = existing.id if existing is not None else -record.line
    if existing is None:  # a new entry takes every field from the record
        has = frozenset(FIELDS)
        base = Entry(itself, community, "", KINDS[0], "", None, None, importer, now, now)
    else:
        has, base = record.present, existing
    name, aliases = check_names(
        record.name, record.aliases if "aliases" in has else base.aliases, stop, claims, itself
    )
    author = base.author
    if "author" in has and record.author is not None:  # None: the file has no author
        author = record.author.strip() or None
        if author is not None and not _ID.match(author):
            raise Problem("bad_author", author=record.author)
    return Entry(
        id=itself,
        community=community,
        name=name,
        kind=check_kind(record.kind or None) if "kind" in has else base.kind,
        definition=(
            check_text(record.definition, "definition", MAX_DEFINITION, required=True) or ""
            if "definition" in has
            else base.definition
        ),
        origin=check_text(record.origin, "origin", MAX_ORIGIN) if "origin" in has else base.origin,
        first_said=(
            check_text(record.first_said, "first_said", MAX_REFERENCE)
            if "first_said" in has
            else base.first_said
        ),
        author=author,
        created_at=_moment(record.created_at, base.created_at),
        updated_at=now,
        aliases=aliases,
    )


def _moment(text: str | None, default: datetime) -> datetime:
    if text is None or not text.strip():
        return default
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Problem("bad_created_at", value=text) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
