"""The ``hearth`` command: run, playground, migrate, backup, check."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import SystemClock
from bot.config import Config, Secrets, load_config
from bot.database import Database, backup_file
from bot.errors import ConfigError, DatabaseTooNew
from bot.migrations import available_migrations, migrate
from bot.registry import available_cogs, check_cog_sections
from bot.timeutil import to_db

NO_TOKEN = """\
Hearth found no platform token, so there is nothing to connect to.

To run on Discord, set:
  DISCORD_TOKEN          the bot token of your Discord application
To run on Slack (Socket Mode), set:
  SLACK_BOT_TOKEN        the xoxb- bot token
  SLACK_APP_TOKEN        the xapp- app-level token (connections:write)
  (HTTP mode instead: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, with [slack] mode = "http")

Or try every feature offline first, with no token at all:
  hearth playground      (or: make playground)"""


def default_config_path() -> Path | None:
    configured = os.environ.get("HEARTH_CONFIG")
    if configured:
        return Path(configured)
    path = Path("config.toml")
    return path if path.exists() else None


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="hearth", description="Hearth, a community bot.")
    root.add_argument("--config", type=Path, help="config file (default: ./config.toml if present)")
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="connect to Discord and/or Slack (tokens from the environment)")
    play = commands.add_parser("playground", help="try Hearth in the terminal, no token needed")
    play.add_argument("--script", help="run the lines of this file ('-' for stdin) and exit")
    play.add_argument("--db", type=Path, help="playground database (default: playground.db)")
    play.add_argument("--fresh", action="store_true", help="start over with a new playground")
    play.add_argument(
        "--start",
        help="where a new playground's clock starts, ISO in UTC (e.g. 2026-01-05T09:00)",
    )
    migrate_cmd = commands.add_parser("migrate", help="apply database migrations and exit")
    migrate_cmd.add_argument("--db", type=Path, help="database (default: from the config)")
    backup = commands.add_parser(
        "backup", help="consistent copy of the database, safe while running"
    )
    backup.add_argument("path", type=Path)
    backup.add_argument("--db", type=Path, help="database (default: from the config)")
    commands.add_parser("check", help="validate the config and say what would start")
    slack = commands.add_parser("slack", help="Slack helpers")
    slack_commands = slack.add_subparsers(dest="slack_command", required=True)
    manifest = slack_commands.add_parser(
        "manifest", help="print the Slack app manifest (YAML) for the enabled cogs"
    )
    manifest.add_argument("--name", default="Hearth", help="the app's name in Slack")
    manifest.add_argument("--url", help="HTTP mode: the public events URL (default: Socket Mode)")
    discord = commands.add_parser("discord", help="Discord helpers: sync commands, invite link")
    discord_commands = discord.add_subparsers(dest="discord_command", required=True)
    sync = discord_commands.add_parser("sync", help="sync the slash commands now (DISCORD_TOKEN)")
    sync.add_argument("--guild", help="sync to this server only (shows at once)")
    invite = discord_commands.add_parser("invite-url", help="print the link that adds the bot")
    invite.add_argument("--client-id", help="the application id (default: from DISCORD_TOKEN)")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        config = load_config(args.config or default_config_path(), set(available_cogs()))
        check_cog_sections(config)
    except ConfigError as error:
        print("The configuration has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=config.hearth.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        return asyncio.run(_dispatch(args, config))
    except DatabaseTooNew as error:
        print(error, file=sys.stderr)
        return 2
    except ConfigError as error:
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


async def _dispatch(args: argparse.Namespace, config: Config) -> int:
    if args.command == "playground":
        from bot.platforms.playground import (
            PlaygroundError,
            parse_start,
            run_playground,
            script_lines,
        )

        # Problems moderators should hear of are shown as lines in #mods, not as log lines.
        logging.getLogger().setLevel(logging.ERROR)
        database = args.db or Path(config.playground.database)
        try:
            start = None if args.start is None else parse_start(args.start)
            errors = await run_playground(
                config, database, fresh=args.fresh, start=start, script=script_lines(args.script)
            )
        except PlaygroundError as error:
            print(error, file=sys.stderr)
            return 2
        return 1 if errors else 0
    if args.command == "migrate":
        return await _migrate(Path(args.db or config.hearth.database))
    if args.command == "backup":
        await backup_file(Path(args.db or config.hearth.database), args.path)
        print(f"Backed up to {args.path}")
        return 0
    if args.command == "check":
        return _check(config, Secrets.from_environment())
    if args.command == "slack":
        from bot.platforms.slack.cli import slack_command

        return await slack_command(args, config)
    if args.command == "discord":
        from bot.platforms.discord.cli import discord_command

        return await discord_command(args, config)
    if args.command == "run":
        from bot.platforms.launch import run

        return await run(config, Secrets.from_environment(), SystemClock(), NO_TOKEN)
    return 2


async def _migrate(path: Path) -> int:
    db = await Database.open(path)
    try:
        applied = await migrate(db, to_db(datetime.now(UTC)))
    finally:
        await db.close()
    for migration in applied:
        print(f"applied {migration.version:04d}_{migration.name}")
    newest = max(m.version for m in available_migrations())
    print(f"{path} is at migration {newest:04d}")
    return 0


def _check(config: Config, secrets: Secrets) -> int:
    from bot.platforms.launch import wanted_platforms

    print(f"config: {config.path or 'defaults (no config.toml)'} — OK")
    print(f"database: {config.hearth.database}")
    cogs = available_cogs() if config.hearth.cogs is None else config.hearth.cogs
    print(f"cogs: {', '.join(cogs) or 'none'}")
    platforms = wanted_platforms(config, secrets)
    print(f"platforms: {', '.join(platforms) or 'none (no tokens set: hearth run would stop)'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
