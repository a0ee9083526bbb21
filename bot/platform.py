"""What the core asks of a platform adapter, and the people and replies it hands over.

An adapter translates native events into core events (``bot.events``), native
command invocations into ``Bot.run_command``, and implements ``Platform`` so that
cogs can act without knowing where they run. A role is the platform's own notion
(a Discord role; a Slack user group or private channel; a name in the playground).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.messages import Message, MessageRef


@dataclass(frozen=True, slots=True)
class Person:
    """Someone invoking a command or pressing a button, as the platform sees them.

    ``is_admin`` is the platform's word that they can manage the community
    (Discord Manage Server, Slack admin or owner, playground ``--moderator``).
    """

    id: str
    name: str = ""
    is_admin: bool = False
    roles: tuple[str, ...] = ()
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to a command, button or action; ``private`` means only the invoker sees it."""

    message: Message
    private: bool


@dataclass(frozen=True, slots=True)
class TargetMessage:
    """The message a message action was used on."""

    ref: MessageRef
    author: str
    text: str


class Platform(Protocol):
    """Actions on one platform. Methods raise ``PlatformError`` when the platform refuses."""

    name: str
    supports_files: bool

    async def send(
        self, community: str, channel: str, message: Message, *, thread: str | None = None
    ) -> MessageRef: ...

    async def send_dm(self, community: str, user: str, message: Message) -> MessageRef: ...

    async def edit(self, ref: MessageRef, message: Message) -> None: ...

    async def delete(self, ref: MessageRef) -> None: ...

    async def react(self, ref: MessageRef, emoji: str) -> None: ...

    async def pin(self, ref: MessageRef) -> None: ...

    async def add_role(self, community: str, user: str, role: str, reason: str) -> None: ...

    async def remove_role(self, community: str, user: str, role: str, reason: str) -> None: ...

    def message_link(self, ref: MessageRef) -> str | None: ...
