"""``hearth slack …``: helpers for workspace admins."""

from __future__ import annotations

import argparse

from bot.app import Bot
from bot.clock import SystemClock
from bot.config import Config
from bot.database import Database
from bot.platforms.slack.manifest import build_manifest, manifest_yaml


async def manifest_text(
    config: Config, *, name: str = "Hearth", request_url: str | None = None
) -> str:
    """The app manifest for the cogs ``config`` enables (loaded on a throwaway database)."""
    db = await Database.open(":memory:")
    try:
        bot = Bot(config, db, SystemClock())
        bot.load_cogs()
        manifest = build_manifest(
            bot.interactions.commands,
            bot.interactions.actions,
            bot.catalog,
            name=name,
            request_url=request_url,
        )
    finally:
        await db.close()
    return manifest_yaml(manifest)


async def slack_command(args: argparse.Namespace, config: Config) -> int:
    if args.slack_command == "manifest":
        print(await manifest_text(config, name=args.name, request_url=args.url), end="")
        return 0
    return 2
