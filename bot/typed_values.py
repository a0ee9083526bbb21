"""Checking and converting plain values (from TOML or JSON) to the types settings declare.

Used for ``config.toml`` and for per-community settings stored in the database, so
both report a wrong value the same way: the key's name and what was expected.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import time, timedelta
from typing import Any, Literal

from bot.timeutil import format_duration, parse_duration


class ValueProblem(Exception):
    pass


def describe(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(annotation))
    if origin in (types.UnionType, typing.Union):
        return " or ".join(describe(a) for a in typing.get_args(annotation))
    if origin is list:
        return f"a list of {describe(typing.get_args(annotation)[0])}"
    if origin is dict:
        key, value = typing.get_args(annotation)
        return f"a table of {describe(key)} to {describe(value)}"
    names = {
        bool: "true or false",
        int: "a whole number",
        float: "a number",
        str: "a string",
        timedelta: 'a duration such as "90m", "24h" or "7d"',
        time: 'a time of day such as "09:30"',
        type(None): "nothing",
    }
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def coerce(value: Any, annotation: Any) -> Any:
    """Return ``value`` as ``annotation``, or raise ValueProblem saying what was expected."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        if value in typing.get_args(annotation):
            return value
        raise ValueProblem(describe(annotation))
    if origin in (types.UnionType, typing.Union):
        for option in typing.get_args(annotation):
            try:
                return coerce(value, option)
            except ValueProblem:
                continue
        raise ValueProblem(describe(annotation))
    if origin is list:
        if not isinstance(value, list):
            raise ValueProblem(describe(annotation))
        item_type = typing.get_args(annotation)[0]
        return [coerce(item, item_type) for item in value]
    if origin is dict:
        if not isinstance(value, dict):
            raise ValueProblem(describe(annotation))
        key_type, value_type = typing.get_args(annotation)
        return {coerce(k, key_type): coerce(v, value_type) for k, v in value.items()}
    if annotation is type(None):
        if value is None:
            return None
        raise ValueProblem("nothing")
    if annotation is bool:
        if isinstance(value, bool):
            return value
    elif annotation is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif annotation is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    elif annotation is str:
        if isinstance(value, str):
            return value
    elif annotation is timedelta:
        if isinstance(value, timedelta) and value >= timedelta(0):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
            return timedelta(seconds=value)
        if isinstance(value, str) and (parsed := parse_duration(value)) is not None:
            return parsed
    elif annotation is time:
        if isinstance(value, time):
            return value
        if isinstance(value, str):
            try:
                return time.fromisoformat(value)
            except ValueError:
                pass
    raise ValueProblem(describe(annotation))


def to_plain(value: Any) -> Any:
    """The JSON/TOML form of a settings value (the inverse of ``coerce``)."""
    if isinstance(value, timedelta):
        return format_duration(value, exact=True).replace(" ", "")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    return value


def field_types(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}


def build(cls: type, data: dict[str, Any], path: str, problems: list[str]) -> Any:
    """Make a ``cls`` dataclass from ``data``; append one problem per bad or unknown key."""
    types_by_name = field_types(cls)
    values = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in types_by_name:
            known = ", ".join(sorted(types_by_name)) or "none"
            problems.append(f"{path}.{key}: unknown key (known keys: {known})")
            continue
        try:
            values[name] = coerce(value, types_by_name[name])
        except ValueProblem as problem:
            problems.append(f"{path}.{key}: expected {problem}, got {value!r}")
    return cls(**values)
