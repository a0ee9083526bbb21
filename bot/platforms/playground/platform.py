"""The playground as a Platform: every bot action becomes one line of the transcript.

Ids are names: people are ``alice``, channels ``general``, roles ``Regular``,
messages ``m7``. Messages, people and roles are kept in the SQLite file so a
session can be continued (and buttons on old messages pressed) after a restart.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from bot.database import Database
from bot.errors import PlatformError
from bot.messages import Message, MessageRef
from bot.platforms.playground.render import render_lines

COMMUNITY = "playground:hearth"
#: Role names that mean everybody in the room.
EVERYONE = frozenset({"everyone", "@everyone", "here", "@here"})


class PlaygroundPlatform:
    name = "playground"
    supports_files = False

    def __init__(self, db: Database, write: Callable[[str], None]) -> None:
        self._db = db
        self._write = write

    # --- storage of messages ------------------------------------------------------------

    async def next_ref(self) -> str:
        row = await self._db.fetch_one(
            "INSERT INTO playground_state (key, value) VALUES ('next_message', '1')"
            " ON CONFLICT (key) DO UPDATE SET value = CAST(playground_state.value AS INTEGER) + 1"
            " RETURNING value"
        )
        return f"m{row[0]}"

    async def record(
        self,
        channel: str,
        author: str,
        text: str,
        *,
        thread: str | None = None,
        buttons: list[tuple[str, str, str]] | None = None,
        private_to: str | None = None,
    ) -> str:
        ref = await self.next_ref()
        await self._db.execute(
            "INSERT INTO playground_messages (ref, channel, thread, author, text, buttons, private_to)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (ref, channel, thread, author, text, json.dumps(buttons or []), private_to),
        )
        return ref

    async def _record_bot(
        self, channel: str, message: Message, thread: str | None, private_to: str | None
    ) -> str:
        buttons = [(b.label, b.action, b.value) for b in message.buttons]
        text = "\n".join(render_lines(message))
        return await self.record(
            channel, "hearth", text, thread=thread, buttons=buttons, private_to=private_to
        )

    def _show(self, prefix: str, message: Message, ref: str | None = None) -> None:
        lines = render_lines(message)
        head = f"{prefix} ({ref}) " if ref else f"{prefix} "
        self._write(head + lines[0])
        for line in lines[1:]:
            self._write("  " + line)

    # --- Platform ---------------------------------------------------------------------------

    async def send(
        self, community: str, channel: str, message: Message, *, thread: str | None = None
    ) -> MessageRef:
        exists = await self._db.fetch_one(
            "SELECT 1 FROM playground_channels WHERE name = ?", (channel,)
        )
        if exists is None:
            raise PlatformError(
                f"no channel #{channel}",
                fix=f"Hearth tried to post in #{channel}, which does not exist.",
            )
        ref = await self._record_bot(channel, message, thread, None)
        self._show(f"[thread {thread}]" if thread else f"[#{channel}]", message, ref)
        return MessageRef(community, channel, ref, thread)

    async def send_dm(self, community: str, user: str, message: Message) -> MessageRef:
        ref = await self._record_bot(f"dm:{user}", message, None, user)
        self._show(f"[dm {user}]", message, ref)
        return MessageRef(community, f"dm:{user}", ref)

    async def send_private(
        self, community: str, channel: str, user: str, message: Message
    ) -> MessageRef:
        """A reply only ``user`` sees (ephemeral)."""
        ref = await self._record_bot(channel, message, None, user)
        self._show(f"[private to {user}]", message, ref)
        return MessageRef(community, channel, ref)

    async def edit(self, ref: MessageRef, message: Message) -> None:
        buttons = [(b.label, b.action, b.value) for b in message.buttons]
        await self._db.execute(
            "UPDATE playground_messages SET text = ?, buttons = ? WHERE ref = ?",
            ("\n".join(render_lines(message)), json.dumps(buttons), ref.id),
        )
        self._show(f"[edit {ref.id}]", message)

    async def delete(self, ref: MessageRef) -> None:
        await self._db.execute(
            "UPDATE playground_messages SET deleted = 1 WHERE ref = ?", (ref.id,)
        )
        self._write(f"[deleted {ref.id}]")

    async def react(self, ref: MessageRef, emoji: str) -> None:
        self._write(f"[react {ref.id}] {emoji}")

    async def pin(self, ref: MessageRef) -> None:
        self._write(f"[pin {ref.id}]")

    async def add_role(self, community: str, user: str, role: str, reason: str) -> None:
        await self._db.execute(
            "INSERT INTO playground_roles (name, role) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (user, role),
        )
        self._write(f"[role] {user} +{role}")

    async def remove_role(self, community: str, user: str, role: str, reason: str) -> None:
        await self._db.execute(
            "DELETE FROM playground_roles WHERE name = ? AND role = ?", (user, role)
        )
        self._write(f"[role] {user} -{role}")

    def message_link(self, ref: MessageRef) -> str | None:
        return ref.id

    # --- optional hooks (see Bot.is_member, Bot.channel_problem, Bot.role_problem) ------

    async def check_channel(self, community: str, channel: str, *, post: bool) -> str | None:
        """A channel must exist (``create #name`` adds one); Hearth may post in every one."""
        exists = await self._db.fetch_one(
            "SELECT 1 FROM playground_channels WHERE name = ?", (channel,)
        )
        return None if exists is not None else "core.check.channel_missing"

    async def check_role(self, community: str, role: str, *, grant: bool) -> str | None:
        """Any name is a role, except the one that means everybody."""
        return "core.check.role_everyone" if role.casefold() in EVERYONE else None

    async def is_member(self, community: str, user: str) -> bool:
        """Everyone the session has acted as, unless they left since (the members registry
        records leaves) or they are a bot account."""
        row = await self._db.fetch_one(
            "SELECT 1 FROM playground_people p LEFT JOIN members m"
            " ON m.community = ? AND m.user_id = p.name"
            " WHERE p.name = ? AND p.is_bot = 0"
            " AND (m.left_at IS NULL OR m.last_joined_at > m.left_at)",
            (community, user),
        )
        return row is not None
