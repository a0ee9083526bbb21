"""``hearth run`` with both platforms: one failing to connect never leaves the other open."""

import asyncio

import discord

from bot.clock import ManualClock
from bot.config import Secrets
from bot.platforms.launch import run
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_slack import FakeSlack
from tests.harness import START, harness_config
from tests.test_slack_support import clear_proxies, slack_section


async def test_a_refused_slack_token_closes_the_discord_session_already_opened(
    tmp_path, monkeypatch
):
    clear_proxies(monkeypatch)
    original_base = discord.http.Route.BASE
    async with FakeDiscord() as discord_fake, FakeSlack() as slack_fake:
        slack_fake.error_next("auth.test", "invalid_auth")
        config = harness_config(
            [],
            {
                "discord": {
                    "api_base_url": discord_fake.api_base_url,
                    "gateway_url": discord_fake.gateway_url,
                },
                "slack": slack_section(slack_fake, "socket"),
            },
        )
        config.hearth.database = str(tmp_path / "hearth.db")
        secrets = Secrets("any-discord-token", "xoxb-anything", "xapp-anything", None)
        code = await run(config, secrets, ManualClock(START), "", stop=asyncio.Event())
        assert code == 2
        assert discord_fake.find_requests("GET", r"/users/@me")  # Discord did connect first
    assert discord.http.Route.BASE == original_base  # …and was closed, restoring the URL
