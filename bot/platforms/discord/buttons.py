"""Button custom ids: the whole meaning of a button lives in its id, so presses need no memory.

``hearth:<action>:<value>`` when it fits Discord's 100 characters (actions are
``<cog>.<name>``, never containing ``:``); otherwise ``hearth#<digest>``, whose action
and value are stored in ``platform_state``. Either way a press on a message sent long
ago, before any number of restarts, reaches the cog's ``@button`` handler.
"""

from __future__ import annotations

import hashlib
import logging

from bot.messages import Button
from bot.platforms.discord.store import DiscordStore

log = logging.getLogger(__name__)

CUSTOM_ID = 100
PREFIX = "hearth:"
STORED_PREFIX = "hearth#"


def inline_id(action: str, value: str) -> str | None:
    """The self-contained custom id, or None when it would not fit."""
    custom_id = f"{PREFIX}{action}:{value}"
    if ":" in action or len(custom_id) > CUSTOM_ID:
        return None
    return custom_id


def digest(action: str, value: str) -> str:
    return hashlib.sha256(f"{action}\n{value}".encode()).hexdigest()[:40]


def parse_inline(custom_id: str) -> tuple[str, str] | None:
    if not custom_id.startswith(PREFIX):
        return None
    action, sep, value = custom_id.removeprefix(PREFIX).partition(":")
    return (action, value) if sep and action else None


class ButtonIds:
    """Makes and reads custom ids; long ones are kept in the store.

    Until the bot is attached (messages sent while it starts up) long ids wait in
    memory; they are written when the store arrives, before any press can be received.
    """

    def __init__(self) -> None:
        self._store: DiscordStore | None = None
        self._unsaved: dict[str, tuple[str, str]] = {}

    async def attach(self, store: DiscordStore) -> None:
        self._store = store
        for key, (action, value) in self._unsaved.items():
            await store.put_button(key, action, value)
        self._unsaved.clear()

    async def ids_for(self, buttons: tuple[Button, ...]) -> list[tuple[Button, str]]:
        """Each button with its custom id; duplicates (same action and value) are dropped,
        since Discord wants ids unique within a message and they would do the same thing."""
        seen: set[str] = set()
        out: list[tuple[Button, str]] = []
        for button in buttons:
            custom_id = inline_id(button.action, button.value)
            if custom_id is None:
                key = digest(button.action, button.value)
                custom_id = STORED_PREFIX + key
                if self._store is None:
                    self._unsaved[key] = (button.action, button.value)
                else:
                    await self._store.put_button(key, button.action, button.value)
            if custom_id in seen:
                log.warning("dropped a duplicate button %r (%s)", button.label, button.action)
                continue
            seen.add(custom_id)
            out.append((button, custom_id))
        return out

    async def parse(self, custom_id: str) -> tuple[str, str] | None:
        """The (action, value) of one of our custom ids; None for ids that are not ours."""
        found = parse_inline(custom_id)
        if found is not None or not custom_id.startswith(STORED_PREFIX):
            return found
        key = custom_id.removeprefix(STORED_PREFIX)
        if key in self._unsaved:
            return self._unsaved[key]
        return None if self._store is None else await self._store.button(key)
