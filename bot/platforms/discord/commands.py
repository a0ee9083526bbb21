"""The core's command declarations as Discord application commands, and back.

A path of 1–3 words becomes a command, a subcommand, or a subcommand in a group:
``("kudos",)`` → ``/kudos``, ``("welcome", "channel")`` → ``/welcome channel``,
``("hearth", "moderator-role", "add")`` → ``/hearth moderator-role add``. Discord
cannot both run ``/x`` and hold ``/x y``; when a cog declares both, the bare one is
offered as ``/x run`` (``RUN``). Message and user actions become context-menu
commands named by their label.

Options keep Discord's own bounds (text length, integer range, choices, user,
channel, role), and required ones come first as Discord demands. A group whose
commands are all for moderators is hidden from others with
``default_member_permissions`` (Manage Server); the core checks every call again, so
a group that mixes both shows to everyone and refuses non-moderators politely.

The JSON built here is exactly what is synced (in name order, so declaration order
does not matter), so its hash says whether the declarations changed since the last sync.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.commands import Channel as ChannelOption
from bot.commands import (
    Choice,
    CommandSpec,
    Integer,
    Member,
    Option,
    Text,
    Toggle,
)
from bot.commands import Role as RoleOption
from bot.interactions import ActionHandler
from bot.text import truncate

log = logging.getLogger(__name__)

JSON = dict[str, Any]
Translate = Callable[..., str]

RUN = "run"
MANAGE_GUILD = 1 << 5
GUILD_ONLY = [0]
DESCRIPTION = 100
NAME = 32
CHOICES = 25
OPTIONS = 25
SUBCOMMANDS = 25
TEXT_MAX = 6000

# Discord option types.
SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE = range(1, 9)
# Discord command types.
CHAT_INPUT, USER_MENU, MESSAGE_MENU = 1, 2, 3


@dataclass
class _Node:
    spec: CommandSpec | None = None
    children: dict[str, _Node] = field(default_factory=dict)

    def specs(self) -> Iterable[CommandSpec]:
        if self.spec is not None:
            yield self.spec
        for child in self.children.values():
            yield from child.specs()


@dataclass(frozen=True)
class CommandTable:
    """What to sync, and how to read an invocation back into the core's terms."""

    payloads: list[JSON]
    #: Discord path (command, group, subcommand names) → the core's path.
    paths: dict[tuple[str, ...], tuple[str, ...]]
    #: (command type, context-menu name) → the action's label.
    labels: dict[tuple[int, str], str]

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.payloads, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _description(text: str, fallback: str) -> str:
    return truncate((text or fallback).strip() or fallback, DESCRIPTION)


def option_payload(option: Option) -> JSON:
    """One option with Discord's type and bounds."""
    payload: JSON = {
        "name": option.name,
        "description": _description(option.description, option.hint()),
        "required": option.required,
        "type": STRING,
    }
    if isinstance(option, Text):
        payload["min_length"] = max(0, min(option.min_length, TEXT_MAX))
        payload["max_length"] = max(1, min(option.max_length, TEXT_MAX))
    elif isinstance(option, Integer):
        payload["type"] = INTEGER
        if option.min_value is not None:
            payload["min_value"] = option.min_value
        if option.max_value is not None:
            payload["max_value"] = option.max_value
    elif isinstance(option, Choice) and option.autocomplete is None:
        if len(option.choices) <= CHOICES:  # more: free text, checked by the core
            payload["choices"] = [{"name": c[:DESCRIPTION], "value": c} for c in option.choices]
    elif isinstance(option, Toggle):
        payload["type"] = BOOLEAN
    elif isinstance(option, Member):
        payload["type"] = USER
    elif isinstance(option, ChannelOption):
        payload["type"] = CHANNEL
    elif isinstance(option, RoleOption):
        payload["type"] = ROLE
    if option.autocomplete is not None and payload["type"] == STRING:  # choices are text
        payload["autocomplete"] = True
    return payload


def _options(spec: CommandSpec) -> list[JSON]:
    options = sorted(spec.options, key=lambda o: not o.required)  # required first
    if len(options) > OPTIONS:
        log.error(
            "/%s has more than %d options; Discord shows the first", spec.qualified_name, OPTIONS
        )
    return [option_payload(o) for o in options[:OPTIONS]]


def _tree(
    specs: Iterable[CommandSpec],
) -> tuple[dict[str, _Node], dict[tuple[str, ...], tuple[str, ...]]]:
    roots: dict[str, _Node] = {}
    for spec in specs:
        node = roots.setdefault(spec.path[0], _Node())
        for word in spec.path[1:]:
            node = node.children.setdefault(word, _Node())
        node.spec = spec
    paths: dict[tuple[str, ...], tuple[str, ...]] = {}

    def settle(node: _Node, prefix: tuple[str, ...]) -> None:
        if node.spec is not None and node.children:
            if RUN in node.children or len(prefix) >= 3:
                log.error(
                    "/%s cannot be offered on Discord next to its subcommands", " ".join(prefix)
                )
            else:
                node.children[RUN] = _Node(node.spec)
            node.spec = None
        for word, child in node.children.items():
            settle(child, (*prefix, word))
        if node.spec is not None:
            paths[prefix] = node.spec.path

    for word, root in roots.items():
        settle(root, (word,))
    return roots, paths


def _subcommands(node: _Node, t: Translate, name: str) -> list[JSON]:
    out: list[JSON] = []
    for word, child in sorted(node.children.items())[:SUBCOMMANDS]:
        if child.spec is not None:
            out.append(
                {
                    "type": SUB_COMMAND,
                    "name": word,
                    "description": _description(child.spec.description, word),
                    "options": _options(child.spec),
                }
            )
        else:
            out.append(
                {
                    "type": SUB_COMMAND_GROUP,
                    "name": word,
                    "description": _group_description(child, t, f"{name} {word}"),
                    "options": _subcommands(child, t, f"{name} {word}"),
                }
            )
    if len(node.children) > SUBCOMMANDS:
        log.error("/%s has more than %d subcommands; Discord shows the first", name, SUBCOMMANDS)
    return out


def _group_description(node: _Node, t: Translate, name: str) -> str:
    names = ", ".join(sorted(node.children))
    return _description(t("discord.command.group", group=name, names=names), name)


def build_commands(
    specs: Iterable[CommandSpec], actions: Iterable[ActionHandler], t: Translate
) -> CommandTable:
    """The application commands for the core's declarations (deterministic order)."""
    roots, paths = _tree(specs)
    payloads: list[JSON] = []
    for word in sorted(roots):
        root = roots[word]
        payload: JSON = {"type": CHAT_INPUT, "name": word, "contexts": GUILD_ONLY}
        if root.spec is not None:
            payload["description"] = _description(root.spec.description, word)
            payload["options"] = _options(root.spec)
        else:
            payload["description"] = _group_description(root, t, word)
            payload["options"] = _subcommands(root, t, word)
        if all(spec.moderator for spec in root.specs()):
            payload["default_member_permissions"] = str(MANAGE_GUILD)
        payloads.append(payload)
    labels: dict[tuple[int, str], str] = {}
    for action in sorted(actions, key=lambda a: (a.target, a.label)):
        kind = MESSAGE_MENU if action.target == "message" else USER_MENU
        name = action.label[:NAME]
        if (kind, name) in labels:
            log.error("two actions are called %r on Discord; only the first is offered", name)
            continue
        labels[(kind, name)] = action.label
        payloads.append({"type": kind, "name": name, "contexts": GUILD_ONLY})
    return CommandTable(payloads, paths, labels)


# --- invocations ---------------------------------------------------------------------


@dataclass(frozen=True)
class Invocation:
    """A chat-input command as Discord sent it: where it points and the raw values."""

    path: tuple[str, ...]
    raw: dict[str, str]
    focused: tuple[str, str] | None = None  # autocomplete: (option, what was typed)


def raw_value(option: JSON, resolved: JSON) -> str:
    """One option value as the core's option kinds read it (mentions for ids)."""
    kind, value = option.get("type"), option.get("value")
    if kind == USER:
        return f"<@{value}>"
    if kind == CHANNEL:
        return f"<#{value}>"
    if kind == ROLE:
        return f"<@&{value}>"
    if kind == 9:  # mentionable: a role when Discord resolved it as one
        return f"<@&{value}>" if str(value) in resolved.get("roles", {}) else f"<@{value}>"
    if kind == BOOLEAN:
        return "on" if value else "off"
    return "" if value is None else str(value)


def read_invocation(data: JSON) -> Invocation:
    """The path and raw option values of an application command's ``data``."""
    path = [str(data.get("name", ""))]
    options: list[JSON] = list(data.get("options") or [])
    while options and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        path.append(str(options[0]["name"]))
        options = list(options[0].get("options") or [])
    resolved = data.get("resolved") or {}
    raw = {str(o["name"]): raw_value(o, resolved) for o in options}
    focused = next(
        ((str(o["name"]), str(o.get("value") or "")) for o in options if o.get("focused")), None
    )
    return Invocation(tuple(path), raw, focused)
