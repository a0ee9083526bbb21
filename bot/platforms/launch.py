"""Starting the real front doors for ``hearth run``: whichever platforms have tokens."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from typing import Any

from bot.clock import Clock
from bot.config import Config, Secrets
from bot.errors import PlatformError
from bot.runtime import running_bot

log = logging.getLogger(__name__)


def wanted_platforms(config: Config, secrets: Secrets) -> list[str]:
    wanted = []
    if config.discord.enabled and secrets.discord_token:
        wanted.append("discord")
    slack_ready = secrets.slack_bot_token and (
        secrets.slack_app_token if config.slack.mode == "socket" else secrets.slack_signing_secret
    )
    if config.slack.enabled and slack_ready:
        wanted.append("slack")
    return wanted


async def run(
    config: Config,
    secrets: Secrets,
    clock: Clock,
    no_token_help: str,
    *,
    stop: asyncio.Event | None = None,
    ready: asyncio.Event | None = None,
) -> int:
    """Serve every platform that has tokens, sharing one bot and database, until ``stop``
    is set or the process gets SIGTERM (Ctrl-C cancels, which also stops cleanly).
    ``ready`` is set once every adapter listens.

    An adapter has ``connect() -> Platform`` (before the bot starts), ``start(bot)``
    (begin listening), ``stop_listening()`` and ``close()``. Shutdown goes in that order:
    the adapters stop taking events, the bot closes (the cogs' last edits and flushes go
    out while the platforms are still open), then the adapters close their sessions."""
    platforms = wanted_platforms(config, secrets)
    if not platforms:
        print(no_token_help)
        return 2
    stop = stop or asyncio.Event()
    adapters: list[Any] = []
    if "discord" in platforms:
        from bot.platforms.discord import DiscordAdapter

        # A Discord connection lost for good stops the run (exit code 1) for a supervisor.
        adapters.append(
            DiscordAdapter(config.discord, secrets.discord_token or "", on_lost=stop.set)
        )
    if "slack" in platforms:
        from bot.platforms.slack import SlackAdapter

        adapters.append(SlackAdapter(config.slack, secrets, clock))
    loop = asyncio.get_running_loop()
    with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
        loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        connected = [await adapter.connect() for adapter in adapters]
        async with running_bot(config, clock, platforms=connected) as bot:
            try:
                for adapter in adapters:
                    await adapter.start(bot)
                if ready is not None:
                    ready.set()
                await stop.wait()
            finally:
                for adapter in reversed(adapters):
                    await adapter.stop_listening()
                await bot.close()
    except PlatformError as error:
        log.error("%s", error)
        return 2
    finally:
        for adapter in reversed(adapters):  # also those connected before one failed
            await adapter.close()
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.remove_signal_handler(signal.SIGTERM)
    return 1 if any(getattr(adapter, "lost", False) for adapter in adapters) else 0
