"""Plain-text rendering of a neutral Message, for the terminal."""

from __future__ import annotations

import re

from bot.messages import Message

_MENTION = re.compile(r"<(@&|@!?|#)([^>|]+)(?:\|[^>]*)?>")


def plain_mentions(text: str) -> str:
    """``<@alice>`` → ``@alice``, ``<#help>`` → ``#help``, ``<@&Regular>`` → ``@Regular``."""

    def show(match: re.Match[str]) -> str:
        sigil = "#" if match.group(1) == "#" else "@"
        return sigil + match.group(2)

    return _MENTION.sub(show, text)


def render_lines(message: Message) -> list[str]:
    """The message as lines: title, text, fields, progress, footer, attachments, buttons."""
    lines: list[str] = []
    if message.title:
        lines.append(f"**{message.title}**")
    if message.text:
        lines.extend(message.text.splitlines() or [""])
    for field in message.fields:
        value_lines = field.value.splitlines() or [""]
        lines.append(f"{field.name}: {value_lines[0]}")
        lines.extend("  " + line for line in value_lines[1:])
    if message.progress is not None:
        lines.append(message.progress.bar())
    if message.footer:
        lines.append(f"— {message.footer}")
    for attachment in message.attachments:
        lines.append(f"[file] {attachment.filename} ({len(attachment.data)} bytes)")
    for button in message.buttons:
        lines.append(f"[button] {button.label}")
    return [plain_mentions(line) for line in lines] or [""]
