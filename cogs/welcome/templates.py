"""Welcome templates: the placeholders they may use, checking one when it is set, rendering.

Parsing uses ``string.Formatter().parse``, the same grammar ``str.format`` reads, so
``{{`` and ``}}`` are literal braces as people expect. ``{channel:name}`` carries the
channel's name in the format-spec slot; the cog looks the name up on the platform.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from string import Formatter

#: Placeholders whose value the cog supplies.
SIMPLE = ("member", "community", "member_count")
#: Every placeholder as people write it, for messages that list them.
KNOWN = ("{member}", "{community}", "{member_count}", "{channel:name}")

_CHANNEL_NAME = re.compile(r"#?([^\s{}<>#:]+)")


class TemplateProblem(Exception):
    """Why a template is refused: ``kind`` is "unknown", "braces" or "channel"."""

    def __init__(self, kind: str, placeholder: str = "") -> None:
        super().__init__(kind, placeholder)
        self.kind = kind
        self.placeholder = placeholder

    def describe(self) -> str:
        """An operator-facing description (config.toml problems); people get the catalog's."""
        known = ", ".join(KNOWN)
        if self.kind == "braces":
            return f"unbalanced braces (write {{{{ and }}}} for a literal brace; placeholders: {known})"
        if self.kind == "channel":
            return f"{self.placeholder} needs a channel name, like {{channel:introductions}}"
        return f"unknown placeholder {self.placeholder} (known: {known})"


def _parts(template: str) -> list[tuple[str, str | None, str | None, str | None]]:
    try:
        return list(Formatter().parse(template))
    except ValueError:
        raise TemplateProblem("braces") from None


def _shown(field: str, spec: str | None, conversion: str | None) -> str:
    return (
        "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
    )


def check_template(template: str) -> None:
    """Raise TemplateProblem for the first placeholder that is not one of ``KNOWN``."""
    for _, field, spec, conversion in _parts(template):
        if field is None:
            continue
        if field == "channel":
            if conversion or not spec or not _CHANNEL_NAME.fullmatch(spec):
                raise TemplateProblem("channel", _shown(field, spec, conversion))
        elif field not in SIMPLE or spec or conversion:
            raise TemplateProblem("unknown", _shown(field, spec, conversion))


def channel_names(template: str) -> list[str]:
    """The names in ``{channel:name}`` placeholders, in order, without duplicates."""
    try:
        parts = _parts(template)
    except TemplateProblem:
        return []
    names = (_channel(spec) for _, field, spec, _ in parts if field == "channel" and spec)
    return list(dict.fromkeys(name for name in names if name))


def _channel(spec: str) -> str | None:
    found = _CHANNEL_NAME.fullmatch(spec)
    return found.group(1) if found else None


def render(template: str, values: Mapping[str, str], channels: Mapping[str, str]) -> str:
    """Fill ``template``. ``channels`` maps a channel name to how to show it (``<#id>``);
    a name not in it shows as ``#name``. Anything unknown stays as written, so a template
    that slipped past the check (an old database row) still renders instead of failing."""
    try:
        parts = _parts(template)
    except TemplateProblem:
        return template
    out: list[str] = []
    for literal, field, spec, conversion in parts:
        out.append(literal)
        if field is None:
            continue
        name = _channel(spec) if field == "channel" and spec and not conversion else None
        if name is not None:
            out.append(channels.get(name, f"#{name}"))
        elif field in values and not spec and not conversion:
            out.append(values[field])
        else:
            out.append(_shown(field, spec, conversion))
    return "".join(out)
