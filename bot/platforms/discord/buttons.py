"""Button custom ids: the whole meaning of a button lives in its id, so presses need no memory.

``hearth@<guild>:<action>:<value>`` when it fits Discord's 100 characters (actions
are ``<cog>.<name>``, never containing ``:``). The server is named because a press in
a direct message carries none, and the core needs the community. What does not fit
becomes ``hearth#<digest>``, its action, value and server stored in ``platform_state``.
Either way a press on a message sent long ago, before any number of restarts,
reaches the cog's ``@button`` handler.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from bot.messages import Button
from bot.platforms.discord.store import DiscordStore

log = logging.getLogger(__name__)

CUSTOM_ID = 100
PREFIX = "hearth"
STORED_PREFIX = "hearth#"
_INLINE = re.compile(r"^hearth(?:@(?P<guild>\d+))?:(?P<action>[^:]+):(?P<value>.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Press:
    """What a custom id stands for (``guild``: the server the button was sent from)."""

    action: str
    value: str
    guild: str | None = None


def inline_id(press: Press) -> str | None:
    """The self-contained custom id, or None when it would not fit."""
    where = f"@{press.guild}" if press.guild else ""
    custom_id = f"{PREFIX}{where}:{press.action}:{press.value}"
    if ":" in press.action or len(custom_id) > CUSTOM_ID:
        return None
    return custom_id


def digest(press: Press) -> str:
    key = f"{press.guild or ''}\n{press.action}\n{press.value}"
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def parse_inline(custom_id: str) -> Press | None:
    found = _INLINE.match(custom_id)
    if found is None:
        return None
    return Press(found["action"], found["value"], found["guild"])


class ButtonIds:
    """Makes and reads custom ids; long ones are kept in the store.

    Until the bot is attached (messages sent while it starts up) long ids wait in
    memory; they are written when the store arrives, before any press can be received.
    """

    def __init__(self) -> None:
        self._store: DiscordStore | None = None
        self._unsaved: dict[str, Press] = {}

    async def attach(self, store: DiscordStore) -> None:
        self._store = store
        for key, press in self._unsaved.items():
            await store.put_button(key, press.action, press.value, press.guild)
        self._unsaved.clear()

    async def ids_for(
        self, buttons: tuple[Button, ...], *, guild: str | None = None
    ) -> list[tuple[Button, str]]:
        """Each button with its custom id (naming ``guild``); duplicates (same action and
        value) are dropped: Discord wants unique ids, and they would do the same."""
        seen: set[str] = set()
        out: list[tuple[Button, str]] = []
        for button in buttons:
            press = Press(button.action, button.value, guild)
            custom_id = inline_id(press)
            if custom_id is None:
                key = digest(press)
                custom_id = STORED_PREFIX + key
                if self._store is None:
                    self._unsaved[key] = press
                else:
                    await self._store.put_button(key, press.action, press.value, press.guild)
            if custom_id in seen:
                log.warning("dropped a duplicate button %r (%s)", button.label, button.action)
                continue
            seen.add(custom_id)
            out.append((button, custom_id))
        return out

    async def parse(self, custom_id: str) -> Press | None:
        """What one of our custom ids stands for; None for ids that are not ours."""
        if not custom_id.startswith(STORED_PREFIX):
            return parse_inline(custom_id)
        key = custom_id.removeprefix(STORED_PREFIX)
        if key in self._unsaved:
            return self._unsaved[key]
        stored = None if self._store is None else await self._store.button(key)
        return None if stored is None else Press(*stored)
