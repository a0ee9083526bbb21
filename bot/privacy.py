"""Forgetting a person completely, and exporting everything Hearth keeps about them.

Red-DiscordBot's data-deletion API is the model (``redbot/core/bot.py``,
``handle_data_deletion_request``): every cog's deletion runs on its own, under a lock per
person, and the caller learns which cogs failed. Hearth makes it durable too: before any
cog runs, one row per cog goes into ``forget_requests``; a cog's row goes once its
deletion has succeeded. Rows that are left (a cog failed, or the process stopped in the
middle) are retried at every start, and hourly, until every part is done.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.timeutil import to_db

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

#: The core cog forgets last: its members row is what other cogs may still look up.
CORE = "hearth"


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What a forget-me did: the cogs whose part is not removed yet (retried later)."""

    failed: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return not self.failed


class Privacy:
    """``/privacy forget-me`` and ``/privacy export`` across every loaded cog."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        #: One lock per person being forgotten; it lives as long as someone holds it.
        self._locks: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )

    def _order(self, names: set[str] | None = None) -> list[str]:
        loaded = [n for n in sorted(self.bot.cogs) if names is None or n in names]
        return sorted(loaded, key=lambda name: name == CORE)

    async def forget(self, community: str, user: str, now: datetime) -> Forgotten:
        """Ask every loaded cog to delete what it keeps about ``user``, each on its own."""
        cogs = self._order()
        await self.bot.db.execute_many(
            "INSERT INTO forget_requests (community, user_id, cog, requested_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (community, user_id, cog) DO NOTHING",
            [(community, user, cog, to_db(now)) for cog in cogs],
        )
        return await self._run(community, user, cogs)

    async def retry_pending(self) -> int:
        """Run the parts of earlier forget-me requests that are not done; return how many
        parts are still left after this round."""
        rows = await self.bot.db.fetch_all(
            "SELECT community, user_id, cog FROM forget_requests ORDER BY requested_at"
        )
        people: dict[tuple[str, str], set[str]] = {}
        for community, user, cog in rows:
            people.setdefault((community, user), set()).add(cog)
        left = 0
        for (community, user), cogs in people.items():
            unknown = cogs - set(self.bot.cogs)
            if unknown:
                log.warning(
                    "forget-me of %s in %s waits for cogs that are not loaded: %s",
                    user,
                    community,
                    ", ".join(sorted(unknown)),
                )
            result = await self._run(community, user, self._order(cogs))
            left += len(result.failed) + len(unknown)
        return left

    async def _run(self, community: str, user: str, cogs: list[str]) -> Forgotten:
        lock = self._locks.get((community, user))
        if lock is None:
            lock = self._locks[(community, user)] = asyncio.Lock()
        failed = []
        async with lock:
            for name in cogs:
                if not await self._forget_in(name, community, user):
                    failed.append(name)
        return Forgotten(tuple(failed))

    async def _forget_in(self, name: str, community: str, user: str) -> bool:
        cog = self.bot.cogs[name]
        try:
            await cog.delete_user_data(community, user)
        except Exception as error:
            log.exception("cog %s failed to forget %s in %s", name, user, community)
            await self._note_failure(community, user, name, error)
            return False
        await self.bot.db.execute(
            "DELETE FROM forget_requests WHERE community = ? AND user_id = ? AND cog = ?",
            (community, user, name),
        )
        return True

    async def _note_failure(self, community: str, user: str, cog: str, error: Exception) -> None:
        try:
            await self.bot.db.execute(
                "UPDATE forget_requests SET attempts = attempts + 1, last_error = ?"
                " WHERE community = ? AND user_id = ? AND cog = ?",
                (f"{type(error).__name__}: {error}"[:500], community, user, cog),
            )
        except Exception:  # the row stays as it was: still retried
            log.exception("could not note the failed forget of %s in %s", user, community)

    async def export(self, community: str, user: str) -> dict[str, Any]:
        """What every cog keeps about ``user``; a cog that fails says so in its place."""
        data: dict[str, Any] = {}
        for name, cog in sorted(self.bot.cogs.items()):
            try:
                data[name] = await cog.export_user_data(community, user)
            except Exception:
                log.exception("cog %s failed to export %s in %s", name, user, community)
                data[name] = {"error": self.bot.catalog.text("core.privacy.export_part_failed")}
        pending = await self.bot.db.fetch_all(
            "SELECT cog, requested_at FROM forget_requests WHERE community = ? AND user_id = ?"
            " ORDER BY cog",
            (community, user),
        )
        if pending:
            data[CORE]["forget_me_pending"] = [{"part": r[0], "asked_at": r[1]} for r in pending]
        return data
