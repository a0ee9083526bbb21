"""Syncing application commands only when their declarations changed.

The hash of exactly the JSON that would be sent is kept in ``platform_state`` per
application and scope (global, or one guild), so a restart with the same cogs
sends nothing, and a changed option or a new cog syncs once.
"""

from __future__ import annotations

import logging

import discord

from bot.platforms.discord.commands import CommandTable
from bot.platforms.discord.store import DiscordStore

log = logging.getLogger(__name__)


async def sync_commands(
    client: discord.Client,
    table: CommandTable,
    store: DiscordStore,
    *,
    guild: str | None = None,
    force: bool = False,
) -> bool:
    """Sync (after ``client.login``); True if Discord was asked, False if nothing changed."""
    application = client.application_id
    if application is None:
        raise RuntimeError("log in before syncing commands")
    scope = f"guild:{guild}" if guild else "global"
    if not force and await store.synced_hash(str(application), scope) == table.digest:
        log.info("application commands unchanged (%s): not syncing", scope)
        return False
    if guild:
        await client.http.bulk_upsert_guild_commands(application, int(guild), table.payloads)
    else:
        await client.http.bulk_upsert_global_commands(application, table.payloads)
    await store.set_synced_hash(str(application), scope, table.digest)
    log.info("synced %d application commands (%s)", len(table.payloads), scope)
    return True
