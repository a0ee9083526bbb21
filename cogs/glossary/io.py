"""Glossary import and export as CSV or JSON: pure text in, records out, and back.

Both formats carry the same fields; aliases are one comma-separated cell in CSV and
a list in JSON. Parsing reports structural problems where they are (a CSV record's
first line; a JSON entry's number and name, and the key) and never stops at the first
one, so a moderator can fix a file in one go. Checking the values themselves
(lengths, collisions, mentions) is the cog's job, with the same places.

Exports neutralise text a spreadsheet would run as a formula: a value starting with
``= + - @``, a tab or a carriage return gets a leading ``'`` (and so does one that
already starts with ``'`` before such a character); imports take that ``'`` away, so
what an export writes imports as it was.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cogs.glossary.model import Entry

FIELDS = ("name", "kind", "definition", "origin", "aliases", "first_said", "author", "created_at")
REQUIRED = ("name", "definition")
FORMAT = "hearth-glossary"
_FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(value: str) -> str:
    """``value`` as a spreadsheet shows it without running it (see the module docstring)."""
    bare = value.lstrip("'")
    return "'" + value if bare[:1] in _FORMULA_STARTS and bare else value


def restore(value: str) -> str:
    """The value :func:`neutralise` was given."""
    if value.startswith("'"):
        bare = value.lstrip("'")
        if bare and bare[0] in _FORMULA_STARTS:
            return value[1:]
    return value


@dataclass(frozen=True, slots=True)
class Record:
    """One entry as read from a file; ``line`` is where it starts (``entry``: its number
    in a JSON list, from 1). ``present``: the fields the record has, the only ones an
    update changes."""

    line: int
    name: str
    definition: str
    kind: str = ""
    origin: str = ""
    aliases: tuple[str, ...] = ()
    first_said: str = ""
    author: str | None = None  # None: the file has no author (not even an empty one)
    created_at: str | None = None
    present: frozenset[str] = frozenset(FIELDS)
    entry: int | None = None


@dataclass(frozen=True, slots=True)
class LineProblem:
    """A problem and where: a line, or in JSON an entry (number, name) and its key."""

    line: int
    key: str  # under glossary.import. (or glossary.problem. for the cog's checks)
    params: tuple[tuple[str, Any], ...] = ()
    entry: int | None = None
    name: str = ""
    field: str | None = None


def _row(entry: Entry) -> dict[str, Any]:
    return {
        "name": neutralise(entry.name),
        "kind": entry.kind,
        "definition": neutralise(entry.definition),
        "origin": neutralise(entry.origin or ""),
        "aliases": [neutralise(alias) for alias in entry.aliases],
        "first_said": neutralise(entry.first_said or ""),
        "author": neutralise(entry.author or ""),
        "created_at": entry.created_at.isoformat(),
    }


def export_csv(entries: Iterable[Entry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        row = _row(entry)
        row["aliases"] = neutralise(", ".join(entry.aliases))
        writer.writerow(row)
    return out.getvalue()


def export_json(entries: Iterable[Entry]) -> str:
    data = {"format": FORMAT, "version": 1, "entries": [_row(e) for e in entries]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def parse_csv(text: str) -> tuple[list[Record], list[LineProblem]]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), strict=True)
    problems: list[LineProblem] = []
    try:
        header = [cell.strip().casefold().replace(" ", "_") for cell in next(reader, [])]
    except csv.Error as error:
        return [], [LineProblem(1, "csv_broken", (("error", str(error)),))]
    missing = [f for f in REQUIRED if f not in header]
    unknown = [f for f in header if f not in FIELDS]
    if missing or unknown:
        params = (("missing", ", ".join(missing) or "-"), ("unknown", ", ".join(unknown) or "-"))
        return [], [LineProblem(1, "csv_header", (*params, ("fields", ", ".join(FIELDS))))]
    records: list[Record] = []
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(LineProblem(line, "csv_broken", (("error", str(error)),)))
            break
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            params = (("found", len(cells)), ("expected", len(header)))
            problems.append(LineProblem(line, "csv_cells", params))
            continue
        values = {key: restore(cell) for key, cell in zip(header, cells, strict=True)}
        aliases = values.get("aliases", "")
        records.append(_record(line, values, [a for a in aliases.split(",") if a.strip()]))
    return records, problems


def _record(
    line: int, values: dict[str, Any], aliases: list[str], entry: int | None = None
) -> Record:
    return Record(
        line=line,
        name=str(values.get("name") or ""),
        definition=str(values.get("definition") or ""),
        kind=str(values.get("kind") or ""),
        origin=str(values.get("origin") or ""),
        aliases=tuple(a.strip() for a in aliases),
        first_said=str(values.get("first_said") or ""),
        author=None if values.get("author") is None else str(values["author"]),
        created_at=None if values.get("created_at") is None else str(values["created_at"]),
        present=frozenset(values),
        entry=entry,
    )


def parse_json(text: str) -> tuple[list[Record], list[LineProblem]]:
    """Either ``{"entries": [...]}`` (what export writes) or a bare list of entries."""
    text = text.lstrip("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [LineProblem(error.lineno, "json_broken", (("error", error.msg),))]
    items = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(items, list):
        return [], [LineProblem(1, "json_shape")]
    lines = _element_lines(text)
    records: list[Record] = []
    problems: list[LineProblem] = []
    for number, item in enumerate(items):
        line = lines[number] if number < len(lines) else 1
        name = item.get("name") if isinstance(item, dict) else None
        where = {"entry": number + 1, "name": name if isinstance(name, str) else ""}
        if not isinstance(item, dict):
            problems.append(LineProblem(line, "json_entry", **where))
            continue
        unknown = [k for k in item if k not in FIELDS]
        if unknown:
            params = (("unknown", ", ".join(unknown)), ("fields", ", ".join(FIELDS)))
            problems.append(LineProblem(line, "json_fields", params, **where))
            continue
        aliases = item.get("aliases") or []
        if isinstance(aliases, str):
            aliases = aliases.split(",")
        wrong = [
            key
            for key, value in item.items()
            if not (
                isinstance(value, str)
                or value is None
                or (key == "aliases" and isinstance(value, list))
            )
        ]
        if isinstance(aliases, list) and not all(isinstance(a, str) for a in aliases):
            wrong.append("aliases")
        if wrong:
            problems.append(LineProblem(line, "json_types", field=wrong[0], **where))
            continue
        values = {key: restore(v) if isinstance(v, str) else v for key, v in item.items()}
        aliases = [restore(a) for a in aliases if a.strip()]
        records.append(_record(line, values, aliases, number + 1))
    return records, problems


def _element_lines(text: str) -> list[int]:
    """The line on which each element of the entries list starts.

    ``json`` gives no positions for parsed values, so the outer structure (a list, or
    an object holding ``entries``) is walked with ``raw_decode``, one value at a time.
    """
    decoder = json.JSONDecoder()
    pos = _skip(text, 0)
    if text.startswith("{", pos):
        pos = _skip(text, pos + 1)
        while pos < len(text) and text[pos] != "}":
            key, pos = decoder.raw_decode(text, pos)
            pos = _skip(text, _skip(text, pos) + 1)  # past the colon
            if key == "entries" and text.startswith("[", pos):
                break
            _, pos = decoder.raw_decode(text, pos)
            pos = _skip(text, pos)
            pos = _skip(text, pos + 1) if text.startswith(",", pos) else pos
        else:
            return []
    if not text.startswith("[", pos):
        return []
    lines: list[int] = []
    pos = _skip(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        lines.append(text.count("\n", 0, pos) + 1)
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        pos = _skip(text, pos + 1) if text.startswith(",", pos) else pos
    return lines


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
