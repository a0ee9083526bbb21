"""The neutral ``Message`` as Slack Block Kit, within Slack's limits.

A message becomes a header (title), sections (text, split at 3,000 characters),
field sections (at most 10 fields each), a context line for progress and footer,
and action blocks with the buttons (at most 25 each). More than 50 blocks are
split into several Slack messages; the buttons always travel with the last one.
Lengths are counted in UTF-16 code units, which is never less than Slack's count.
Colour has no Block Kit equivalent and is left out.

Button ``action_id`` is ``hearth:<action>:<n>`` (unique within the message, as
Slack requires); the button's ``value`` is the core's value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.messages import Button, Message
from bot.platforms.slack.mrkdwn import escape, to_mrkdwn
from bot.text import split_text, truncate

SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS_PER_SECTION = 10
BLOCKS_PER_MESSAGE = 50
BLOCKS_PER_HOME = 100
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
BUTTONS_PER_BLOCK = 25
FALLBACK_TEXT = 3000
ACTION_PREFIX = "hearth:"

Block = dict[str, Any]
_ACTION_ID = re.compile(r"^hearth:(.+):\d+$")
_STYLES = {"primary": "primary", "success": "primary", "danger": "danger"}


@dataclass(frozen=True)
class Names:
    """How people and user groups that must not be pinged are shown (``@name``)."""

    users: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SlackMessage:
    """One Slack message: ``text`` is the notification fallback, ``blocks`` what people see."""

    text: str
    blocks: list[Block]


def _length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def action_of(action_id: str) -> str | None:
    """The core action a Slack ``action_id`` of ours stands for."""
    found = _ACTION_ID.match(action_id)
    return found.group(1) if found else None


class Renderer:
    """Renders one ``Message`` (its mention lists decide who may be pinged)."""

    def __init__(self, message: Message, names: Names) -> None:
        self.message = message
        self.names = names

    def mrkdwn(self, text: str) -> str:
        return to_mrkdwn(
            text,
            mentions=self.message.mentions,
            role_mentions=self.message.role_mentions,
            users=self.names.users,
            groups=self.names.groups,
        )

    def chunks(self, text: str, limit: int, prefix: str = "") -> list[str]:
        """``text`` rendered in pieces of at most ``limit``, never cutting a token or a word.

        Escaping makes text longer, so a piece that outgrows ``limit`` once rendered is
        split again, smaller, until every piece fits."""
        budget = limit - _length(prefix)
        pending = list(reversed(split_text(text, budget, utf16=True)))
        done: list[str] = []
        while pending:
            raw = pending.pop()
            rendered = self.mrkdwn(raw)
            if _length(rendered) <= budget:
                done.append(rendered)
                continue
            smaller = max(1, min(_length(raw) - 1, _length(raw) * budget // _length(rendered)))
            pending.extend(reversed(split_text(raw, smaller, utf16=True)))
        if done:
            done[0] = prefix + done[0]
        return done

    def fit(self, text: str, limit: int) -> str:
        """``text`` rendered and shortened (with …) to at most ``limit``."""
        pieces = self.chunks(text, limit - 1)
        if len(pieces) <= 1:
            return pieces[0] if pieces else ""
        return pieces[0] + "…"

    def blocks(self) -> list[Block]:
        message = self.message
        blocks: list[Block] = []
        title = truncate((message.title or "").strip(), HEADER_TEXT, utf16=True)
        if title:  # Slack refuses an empty (or blank) header
            blocks.append({"type": "header", "text": _plain(title)})
        blocks += [_section(text) for text in self.chunks(message.text, SECTION_TEXT)]
        inline: list[Block] = []
        for item in message.fields:
            name = f"*{escape(truncate(item.name, 200, utf16=True))}*\n"
            if item.inline:
                inline.append(_mrkdwn(name + self.fit(item.value, FIELD_TEXT - _length(name))))
                continue
            blocks += _field_groups(inline)
            inline = []
            pieces = self.chunks(item.value, SECTION_TEXT, prefix=name) or [name.rstrip()]
            blocks += [_section(text) for text in pieces]
        blocks += _field_groups(inline)
        context = []
        if message.progress is not None:
            context.append(_mrkdwn(escape(message.progress.bar())))
        footer = self.fit(message.footer or "", SECTION_TEXT)
        if footer:
            context.append(_mrkdwn(footer))
        if context:
            blocks.append({"type": "context", "elements": context})
        for start in range(0, len(message.buttons), BUTTONS_PER_BLOCK):
            group = message.buttons[start : start + BUTTONS_PER_BLOCK]
            elements = [_button(b, start + i) for i, b in enumerate(group)]
            blocks.append({"type": "actions", "elements": elements})
        return blocks

    def fallback(self) -> str:
        message = self.message
        source = (
            message.text.strip()
            or (message.title or "").strip()
            or "\n".join(f.name for f in message.fields)
        )
        return self.fit(source, FALLBACK_TEXT) if source else ""


def render(message: Message, names: Names | None = None) -> list[SlackMessage]:
    """``message`` as one or more Slack messages (several only past 50 blocks)."""
    renderer = Renderer(message, names or Names())
    blocks = renderer.blocks()
    fallback = renderer.fallback()
    if not blocks:
        return []
    groups = [
        blocks[start : start + BLOCKS_PER_MESSAGE]
        for start in range(0, len(blocks), BLOCKS_PER_MESSAGE)
    ]
    return [SlackMessage(fallback, groups[0])] + [
        SlackMessage(_text_of(group) or fallback, group) for group in groups[1:]
    ]


def render_one(
    message: Message, names: Names | None = None, limit: int = BLOCKS_PER_MESSAGE
) -> SlackMessage | None:
    """``message`` as a single Slack message (for edits and views): blocks past ``limit``
    are dropped, keeping the buttons, and the cut is marked with …"""
    renderer = Renderer(message, names or Names())
    blocks = renderer.blocks()
    if not blocks:
        return None
    if len(blocks) > limit:
        actions = [b for b in blocks if b["type"] == "actions"]
        others = [b for b in blocks if b["type"] != "actions"]
        keep = limit - len(actions) - 1
        blocks = [*others[:keep], {"type": "context", "elements": [_mrkdwn("…")]}, *actions]
    return SlackMessage(renderer.fallback(), blocks)


def _plain(text: str) -> Block:
    return {"type": "plain_text", "text": text, "emoji": True}


def _mrkdwn(text: str) -> Block:
    """Verbatim: Slack parses only our ``<…>`` tokens, so a plain ``@here`` or ``@handle``
    in text people wrote stays text (by default Slack would make it a ping)."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _section(text: str) -> Block:
    return {"type": "section", "text": _mrkdwn(text)}


def _field_groups(fields: list[Block]) -> list[Block]:
    return [
        {"type": "section", "fields": fields[start : start + FIELDS_PER_SECTION]}
        for start in range(0, len(fields), FIELDS_PER_SECTION)
    ]


def _button(button: Button, index: int) -> Block:
    element: Block = {
        "type": "button",
        "text": _plain(truncate(button.label.strip(), BUTTON_TEXT, utf16=True) or "…"),
        "action_id": f"{ACTION_PREFIX}{button.action}:{index}",
    }
    if button.value:  # optional; a press without one reads as ""
        element["value"] = button.value[:BUTTON_VALUE]
    if button.style in _STYLES:
        element["style"] = _STYLES[button.style]
    return element


def _text_of(blocks: list[Block]) -> str:
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            return block["text"]["text"]  # at most SECTION_TEXT == FALLBACK_TEXT
    return ""
