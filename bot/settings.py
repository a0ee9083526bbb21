"""Per-community settings for each cog: dataclass defaults < ``config.toml`` < moderator commands.

All overrides are loaded into memory at start-up, so reading settings on the hot
path (every message) costs no database round trip; changing one writes through.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from typing import Any

from bot.database import Database
from bot.timeutil import to_db
from bot.typed_values import ValueProblem, coerce, field_types, to_plain


class SettingsStore:
    def __init__(self, db: Database, cog: str, cls: type, defaults: Any) -> None:
        self._db = db
        self._cog = cog
        self._cls = cls
        self._types = field_types(cls)
        self._defaults = defaults
        self._overrides: dict[str, dict[str, Any]] = {}
        self._cache: dict[str, Any] = {}

    async def load(self) -> None:
        rows = await self._db.fetch_all(
            "SELECT community, key, value FROM community_settings WHERE cog = ?", (self._cog,)
        )
        for community, key, value in rows:
            if key not in self._types:
                continue  # a setting that a later version removed
            try:
                self._overrides.setdefault(community, {})[key] = coerce(
                    json.loads(value), self._types[key]
                )
            except ValueProblem:
                continue
        self._cache.clear()

    def get(self, community: str) -> Any:
        """The effective settings of ``community`` (a frozen view; do not mutate)."""
        cached = self._cache.get(community)
        if cached is None:
            cached = dataclasses.replace(self._defaults, **self._overrides.get(community, {}))
            self._cache[community] = cached
        return cached

    async def update(self, community: str, now: datetime, **changes: Any) -> Any:
        for key, value in changes.items():
            if key not in self._types:
                raise KeyError(f"{self._cog} has no setting {key!r}")
            coerce(value, self._types[key])
        async with self._db.transaction():
            for key, value in changes.items():
                await self._db.execute(
                    "INSERT INTO community_settings (community, cog, key, value, updated_at)"
                    " VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (community, cog, key) DO UPDATE SET"
                    " value = excluded.value, updated_at = excluded.updated_at",
                    (community, self._cog, key, json.dumps(to_plain(value)), to_db(now)),
                )
        self._overrides.setdefault(community, {}).update(changes)
        self._cache.pop(community, None)
        return self.get(community)
