"""Starting the real front doors for ``hearth run``: whichever platforms have tokens."""

from __future__ import annotations

import logging

from bot.clock import Clock
from bot.config import Config, Secrets

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


async def run(config: Config, secrets: Secrets, clock: Clock, no_token_help: str) -> int:
    platforms = wanted_platforms(config, secrets)
    if not platforms:
        print(no_token_help)
        return 2
    log.error("platform adapters are not available in this build: %s", ", ".join(platforms))
    return 2
