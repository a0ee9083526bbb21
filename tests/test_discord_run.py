"""``hearth run`` and ``hearth discord …`` against the fake Discord: the real entry point
(``bot.platforms.launch.run``) started as a task with any token string and stopped
cleanly, a lost connection ending the run, and the sync and invite-url commands."""

from __future__ import annotations

import asyncio
import base64
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord
import pytest

from bot.__main__ import parser
from bot.clock import ManualClock
from bot.config import Config, Secrets
from bot.platforms.discord import cli
from bot.platforms.discord.permissions import needed_permissions
from bot.platforms.launch import run
from tests.fakes.fake_discord import FakeDiscord, Opt
from tests.harness import START, harness_config

COMMANDS = r"/applications/\d+/commands"
MESSAGES = r"/channels/\d+/messages"

#: discord.py's own endpoints, read before any test points them at the fake; every
#: test must leave them as it found them. Nothing here ever connects to them.
LIBRARY_BASE = discord.http.Route.BASE
LIBRARY_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        yield fake
    assert discord.http.Route.BASE == LIBRARY_BASE
    assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == LIBRARY_GATEWAY


def run_config(
    tmp_path: Path, fake: FakeDiscord, cogs: tuple[str, ...] = ("welcome",), **welcome: object
) -> Config:
    sections = {
        "discord": {"api_base_url": fake.api_base_url, "gateway_url": fake.gateway_url},
        "welcome": {"dm_enabled": False, **welcome},
    }
    config = harness_config(list(cogs), sections)
    config.hearth.database = str(tmp_path / "hearth.db")
    return config


def secrets(token: str = "any token string will do") -> Secrets:
    return Secrets(token, None, None, None)


async def test_hearth_run_serves_discord_and_stops_cleanly(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    guild = fake.add_guild("Hearth Test")
    general = fake.add_channel(guild, "general")
    config = run_config(tmp_path, fake, channel=general)
    assert await asyncio.wait_for(cli.sync(config, "any token string will do", None), 30) == 0
    [synced] = fake.find_requests("PUT", COMMANDS)
    assert {"hearth", "privacy", "welcome"} <= {c["name"] for c in synced.json}

    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        run(config, secrets(), ManualClock(START), "", stop=stop, ready=ready)
    )
    try:
        await asyncio.wait_for(ready.wait(), timeout=10)
        assert len(fake.find_requests("PUT", COMMANDS)) == 1  # synced by the CLI, not again
        identify = await fake.wait_for_identify()
        assert identify["token"] == "any token string will do"
        wanted = discord.Intents(guilds=True, members=True, message_content=True)
        wanted |= discord.Intents(guild_messages=True, guild_reactions=True, dm_messages=True)
        assert identify["intents"] == wanted.value
        dana = await fake.member_join(guild, "dana")
        [post] = await fake.wait_for_request("POST", rf"/channels/{general}/messages")
        assert f"<@{dana}>" in post.json["content"]
    finally:
        stop.set()
        code = await asyncio.wait_for(task, timeout=10)
    assert code == 0
    with sqlite3.connect(tmp_path / "hearth.db") as db:  # closed and committed
        [(name,)] = db.execute("SELECT name FROM members WHERE user_id = ?", (dana,)).fetchall()
    assert name == "dana"


async def test_at_shutdown_the_last_post_edit_goes_out_before_discord_closes(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    """A contribution just before the stop: the missions cog brings its post up to date
    while closing, and that edit reaches Discord (the platforms close after the bot)."""
    guild = fake.add_guild("Hearth Test")
    general = fake.add_channel(guild, "general")
    mods = fake.add_role(guild, "Mods", position=5, permissions=1 << 5)  # Manage Server
    maria = fake.add_member(guild, "maria", roles=[mods])
    config = run_config(tmp_path, fake, cogs=("missions",))
    assert await asyncio.wait_for(cli.sync(config, "any token string will do", None), 30) == 0
    stop, ready = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(
        run(config, secrets(), ManualClock(START), "", stop=stop, ready=ready)
    )
    try:
        await asyncio.wait_for(ready.wait(), timeout=10)
        options = {"name": "Docs", "goal": "Write the docs", "target": 10, "unit": "pages"}
        options |= {"deadline": "30d", "channel": Opt.channel(general)}
        created = await fake.slash_command(general, maria, "mission", options, subcommand="create")
        await fake.wait_for_callback(created)
        await fake.wait_for_request("POST", rf"/channels/{general}/messages")
        [post] = [m for m in fake.messages_in(general) if m.get("embeds")]  # the card
        given = await fake.slash_command(
            general, maria, "mission", {"amount": 3}, subcommand="contribute"
        )
        assert "3" in (await fake.wait_for_callback(given)).json["data"]["content"]
        assert not fake.find_requests("PATCH", rf"/channels/{general}/messages/\d+")
    finally:
        stop.set()
        code = await asyncio.wait_for(task, timeout=10)
    assert code == 0
    [edit] = fake.find_requests("PATCH", rf"/channels/{general}/messages/{post['id']}")
    assert "3" in str(edit.json)
    assert not [r for r in caplog.records if "Session is closed" in r.getMessage()]


async def test_hearth_run_ends_when_the_connection_is_lost(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    fake.add_guild("Hearth Test")
    stop, ready = asyncio.Event(), asyncio.Event()
    config = run_config(tmp_path, fake)
    task = asyncio.create_task(
        run(config, secrets(), ManualClock(START), "", stop=stop, ready=ready)
    )
    await asyncio.wait_for(ready.wait(), timeout=10)
    await fake.close_sockets(4004)  # authentication failed: discord.py does not reconnect
    code = await asyncio.wait_for(task, timeout=10)
    assert code == 1
    assert any("Discord connection ended" in r.getMessage() for r in caplog.records)


async def test_hearth_run_refuses_a_token_discord_refuses(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    fake.add_guild("Hearth Test")
    fake.fail_next("GET", "/users/@me", 401)
    code = await run(run_config(tmp_path, fake), secrets(), ManualClock(START), "")
    assert code == 2
    assert fake.identifies == []


async def test_sync_to_one_guild(tmp_path: Path, fake: FakeDiscord) -> None:
    guild = fake.add_guild("Hearth Test")
    args = parser().parse_args(["discord", "sync", "--guild", guild])
    assert (args.discord_command, args.guild) == ("sync", guild)
    assert await cli.sync(run_config(tmp_path, fake), "token", args.guild) == 0
    [put] = fake.find_requests("PUT", rf"/applications/\d+/guilds/{guild}/commands")
    assert "welcome" in {c["name"] for c in put.json}
    assert not fake.find_requests("PUT", COMMANDS)
    assert await cli.sync(run_config(tmp_path, fake), None, guild) == 2  # no token


async def test_invite_url_has_both_scopes_and_what_the_cogs_need(
    tmp_path: Path, fake: FakeDiscord, capsys: pytest.CaptureFixture[str]
) -> None:
    config = run_config(tmp_path, fake)
    token = base64.b64encode(fake.application_id.encode()).decode().rstrip("=") + ".x.y"
    assert await cli.invite(config, token, None) == 0
    url = urlparse(capsys.readouterr().out.strip())
    query = parse_qs(url.query)
    assert query["client_id"] == [fake.application_id]
    assert query["scope"] == ["bot applications.commands"]
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions == needed_permissions(["welcome"])[0]
    assert permissions.send_messages and permissions.embed_links
    assert not permissions.manage_roles and not permissions.administrator  # welcome needs none

    assert await cli.invite(config, "not-base64!", None) == 0  # asks Discord who it is
    assert f"client_id={fake.application_id}" in capsys.readouterr().out
    assert fake.find_requests("GET", "/oauth2/applications/@me")


def test_permissions_follow_the_actions_cogs_call() -> None:
    _, welcome = needed_permissions(["welcome"])
    _, recognition = needed_permissions(["recognition"])
    assert "manage_roles" not in welcome and "manage_roles" in recognition
    assert "add_reactions" in recognition


def test_application_id_from_a_token() -> None:
    token = base64.b64encode(b"81384788765712384").decode().rstrip("=") + ".G1.xyz"
    assert cli.application_id_from_token(token) == "81384788765712384"
    assert cli.application_id_from_token("garbage") is None
