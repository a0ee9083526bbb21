"""What the Discord adapter keeps between runs, in the core table ``platform_state``.

Keys (platform ``discord``):

* ``commands:<application id>:<scope>``: hash of the last synced command declarations
  (scope ``global`` or ``guild:<id>``), so commands are synced only when they change;
* ``button:<digest>``: action, value (and server, for a DM) of a button whose custom
  id would pass Discord's 100 characters, so presses on it still work after a restart;
* ``pending:<guild id>:<user id>``: a member held back by membership screening, to be
  welcomed once they pass it (even if that happens while the bot is down).

Range scans on the primary key (``key >= prefix AND key < prefix-successor``) keep
every lookup indexed.
"""

from __future__ import annotations

import json
from datetime import datetime

from bot.database import Database
from bot.timeutil import to_db

PLATFORM = "discord"


def _successor(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class DiscordStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def _get(self, key: str) -> str | None:
        return await self._db.fetch_value(
            "SELECT value FROM platform_state WHERE platform = ? AND key = ?", (PLATFORM, key)
        )

    async def _put(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO platform_state (platform, key, value) VALUES (?, ?, ?)"
            " ON CONFLICT (platform, key) DO UPDATE SET value = excluded.value",
            (PLATFORM, key, value),
        )

    # --- command sync -----------------------------------------------------------------

    async def synced_hash(self, application: str, scope: str) -> str | None:
        return await self._get(f"commands:{application}:{scope}")

    async def set_synced_hash(self, application: str, scope: str, digest: str) -> None:
        await self._put(f"commands:{application}:{scope}", digest)

    # --- long button values -----------------------------------------------------------

    async def put_button(self, digest: str, action: str, value: str, guild: str | None) -> None:
        await self._put(f"button:{digest}", json.dumps([action, value, guild]))

    async def button(self, digest: str) -> tuple[str, str, str | None] | None:
        """(action, value, guild of a DM button) of a stored custom id."""
        stored = await self._get(f"button:{digest}")
        if stored is None:
            return None
        action, value, guild = json.loads(stored)
        return action, value, guild

    # --- members behind membership screening --------------------------------------------

    async def hold_pending(self, guild: str, user: str, at: datetime) -> None:
        await self._put(f"pending:{guild}:{user}", to_db(at))

    async def release_pending(self, guild: str, user: str) -> bool:
        """Forget a held member; True if this call removed the row (so only one caller acts)."""
        row = await self._db.fetch_one(
            "DELETE FROM platform_state WHERE platform = ? AND key = ? RETURNING key",
            (PLATFORM, f"pending:{guild}:{user}"),
        )
        return row is not None

    async def pending_in(self, guild: str) -> list[str]:
        prefix = f"pending:{guild}:"
        rows = await self._db.fetch_all(
            "SELECT key FROM platform_state WHERE platform = ? AND key >= ? AND key < ?",
            (PLATFORM, prefix, _successor(prefix)),
        )
        return [row[0].removeprefix(prefix) for row in rows]
