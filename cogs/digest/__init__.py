"""Digest: the weekly community digest, and the nudges that keep the habits going (issue 9).

Modules: ``cog`` (commands, privacy), ``delivery`` (hot path, schedule, sending),
``collect`` (the week's figures, from the core and the other cogs' public methods),
``render`` (messages), ``chart`` (the PNG), ``nudges`` (who gets a nudge: pure rules),
``schedule`` (local times across daylight-saving changes), ``store`` (SQL), ``settings``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.digest.cog import Digest
from cogs.digest.settings import DigestSettings

if TYPE_CHECKING:
    from bot.app import Bot

__all__ = ["Digest", "DigestSettings", "setup"]


def setup(bot: Bot) -> Digest:
    return Digest(bot)
