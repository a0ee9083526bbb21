"""``hearth discord sync [--guild ID]`` and ``hearth discord invite-url [--client-id ID]``.

``sync`` pushes the enabled cogs' commands now (``--guild``: to one server, where
they appear at once; good for trying changes) and records their hash, so the next
``hearth run`` does not sync them again. ``invite-url`` prints the link that adds the
bot to a server with the ``bot`` and ``applications.commands`` scopes and exactly the
permissions the enabled cogs need (see ``permissions.py``).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import sys
from datetime import UTC, datetime

import discord

from bot.app import Bot
from bot.clock import SystemClock
from bot.config import Config, Secrets
from bot.database import Database
from bot.errors import PlatformError
from bot.migrations import migrate
from bot.platforms.discord.adapter import DiscordAdapter
from bot.platforms.discord.permissions import invite_url, needed_permissions
from bot.platforms.discord.sync import sync_commands
from bot.registry import available_cogs
from bot.timeutil import to_db

NO_TOKEN = "Set DISCORD_TOKEN to the bot token (Developer Portal → your application → Bot)."


async def discord_command(args: argparse.Namespace, config: Config) -> int:
    secrets = Secrets.from_environment()
    if args.discord_command == "sync":
        return await sync(config, secrets.discord_token, args.guild)
    return await invite(config, secrets.discord_token, args.client_id)


async def sync(config: Config, token: str | None, guild: str | None) -> int:
    if not token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    adapter = DiscordAdapter(config.discord, token)
    db = await Database.open(config.hearth.database)
    try:
        await migrate(db, to_db(datetime.now(UTC)))
        bot = Bot(config, db, SystemClock())
        bot.load_cogs()  # not started: no jobs or timers run from here
        await adapter.connect()
        await adapter.attach(bot)
        assert adapter.table is not None
        scope = guild or config.discord.command_guild or None
        await sync_commands(adapter.client, adapter.table, adapter.store, guild=scope, force=True)
    except PlatformError as error:
        print(error, file=sys.stderr)
        return 2
    except discord.HTTPException as error:
        print(f"Discord refused the commands: {error.status} {error.text}", file=sys.stderr)
        return 1
    finally:
        await adapter.close()
        await db.close()
    where = f"to server {scope}" if scope else "globally"
    print(f"Synced {len(adapter.table.payloads)} commands {where}.")
    return 0


def application_id_from_token(token: str) -> str | None:
    """A bot token starts with the bot's user id in base64, which is its application's id."""
    head = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(head + "=" * (-len(head) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded if decoded.isdigit() else None


async def invite(config: Config, token: str | None, client_id: str | None) -> int:
    client_id = client_id or (application_id_from_token(token) if token else None)
    if client_id is None and token:
        adapter = DiscordAdapter(config.discord, token)
        try:
            await adapter.connect()
            client_id = str(adapter.client.application_id)
        except PlatformError as error:
            print(error, file=sys.stderr)
            return 2
        finally:
            await adapter.close()
    if client_id is None:
        print(f"Give --client-id, or {NO_TOKEN}", file=sys.stderr)
        return 2
    cogs = available_cogs() if config.hearth.cogs is None else config.hearth.cogs
    permissions, names = needed_permissions(cogs)
    print(invite_url(client_id, permissions))
    print(f"Permissions ({permissions.value}): {', '.join(names)}", file=sys.stderr)
    return 0
