"""A Platform that records nothing: it only counts what the bot asked it to do."""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bot.messages import Message, MessageRef


@dataclass
class NullPlatform:
    name: str = "bench"
    supports_files: bool = True
    counts: Counter[str] = field(default_factory=Counter)
    #: Messages sent, by channel (so a sweep can tell digests from reminders).
    channels: Counter[str] = field(default_factory=Counter)
    _ids: Any = field(default_factory=lambda: itertools.count(1))

    def _ref(self, community: str, channel: str, thread: str | None = None) -> MessageRef:
        return MessageRef(community, channel, f"n{next(self._ids)}", thread)

    async def send(
        self, community: str, channel: str, message: Message, *, thread: str | None = None
    ) -> MessageRef:
        self.counts["send"] += 1
        self.channels[channel] += 1
        return self._ref(community, channel, thread)

    async def send_dm(self, community: str, user: str, message: Message) -> MessageRef:
        self.counts["dm"] += 1
        return self._ref(community, f"dm-{user}")

    async def edit(self, ref: MessageRef, message: Message) -> None:
        self.counts["edit"] += 1

    async def delete(self, ref: MessageRef) -> None:
        self.counts["delete"] += 1

    async def react(self, ref: MessageRef, emoji: str) -> None:
        self.counts["react"] += 1

    async def pin(self, ref: MessageRef) -> None:
        self.counts["pin"] += 1

    async def add_role(self, community: str, user: str, role: str, reason: str) -> None:
        self.counts["role+"] += 1

    async def remove_role(self, community: str, user: str, role: str, reason: str) -> None:
        self.counts["role-"] += 1

    def message_link(self, ref: MessageRef) -> str | None:
        return f"https://bench.invalid/{ref.channel}/{ref.id}"
