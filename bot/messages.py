"""The neutral reply: adapters render it as a Discord embed, Slack blocks or plain text.

Mentions are written in one neutral form that Discord and Slack share:
``<@user>``, ``<#channel>`` and ``<@&role>``. Only the users and roles listed in
``mentions`` and ``role_mentions`` may be pinged; adapters make sure nothing else
(above all text that people wrote, such as ``@everyone`` or ``<!channel>``) pings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class Button:
    """A button; pressing it calls the handler registered for ``action`` with ``value``."""

    label: str
    action: str
    value: str = ""
    style: str = "secondary"  # "primary", "secondary", "danger", "success"


@dataclass(frozen=True, slots=True)
class Progress:
    current: float
    target: float

    @property
    def ratio(self) -> float:
        return 0.0 if self.target <= 0 else max(0.0, self.current / self.target)

    def bar(self, width: int = 10) -> str:
        filled = min(width, round(self.ratio * width))
        return "█" * filled + "░" * (width - filled) + f" {self.ratio:.0%}"


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    data: bytes
    description: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    text: str = ""
    title: str | None = None
    fields: tuple[Field, ...] = ()
    progress: Progress | None = None
    buttons: tuple[Button, ...] = ()
    colour: int | None = None
    footer: str | None = None
    mentions: tuple[str, ...] = ()
    role_mentions: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = field(default=(), repr=False)

    def with_text(self, text: str) -> Message:
        return replace(self, text=text)


@dataclass(frozen=True, slots=True)
class MessageRef:
    """Where a message lives, so that it can be edited, deleted, reacted to or replied to."""

    community: str
    channel: str
    id: str
    thread: str | None = None


def mention(user: str) -> str:
    return f"<@{user}>"


def channel_mention(channel: str) -> str:
    return f"<#{channel}>"


def role_mention(role: str) -> str:
    return f"<@&{role}>"


COLOUR_INFO = 0x5865F2
COLOUR_SUCCESS = 0x57F287
COLOUR_WARNING = 0xFEE75C
COLOUR_ERROR = 0xED4245
