"""``hearth run`` against the fake Slack: the real entry point (``bot.platforms.launch.run``)
in Socket Mode (apps.connections.open, hello, envelopes, acks) and in HTTP mode, started
as a task and stopped cleanly; and ``hearth slack manifest``."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from bot.__main__ import main
from bot.clock import ManualClock
from bot.config import Config, Secrets, parse_config
from bot.platforms.launch import run
from bot.registry import available_cogs
from bot.runtime import running_bot
from tests.fakes.fake_slack import FakeSlack
from tests.harness import START, harness_config
from tests.test_slack_support import GENERAL, clear_proxies, secrets_for, slack_section, texts_of


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxies(monkeypatch)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_config(tmp_path: Path, fake: FakeSlack, mode: str, **slack: object) -> Config:
    config = harness_config(["welcome"], {"slack": slack_section(fake, mode, **slack)})
    config.hearth.database = str(tmp_path / "hearth.db")
    return config


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


async def stop_cleanly(task: asyncio.Task[int], stop: asyncio.Event) -> int:
    stop.set()
    return await asyncio.wait_for(task, timeout=10)


async def test_hearth_run_in_socket_mode_end_to_end(tmp_path: Path, fake: FakeSlack) -> None:
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    welcome = fake.add_channel("welcome", members=[fake.bot_user_id])["id"]
    stop = asyncio.Event()
    config = run_config(tmp_path, fake, "socket")
    task = asyncio.create_task(run(config, secrets_for(fake), ManualClock(START), "", stop=stop))
    try:
        await fake.wait_for_socket()
        [opened] = fake.calls_to("apps.connections.open")
        assert opened.token == "xapp-1-test"

        # a moderator sets the welcome channel: acked on the socket, answered privately
        command = fake.slash_command(
            "/welcome", f"channel channel:<#{welcome}|welcome>", user=maria, channel=GENERAL
        )
        ack = await fake.push_command(command)
        assert set(ack) == {"envelope_id"}
        [answer] = await fake.wait_for_call("response_url")
        assert answer.args["response_type"] == "ephemeral"

        # someone joins the workspace: the welcome is posted in the welcome channel
        ack = await fake.push_event(fake.team_join_event("U0NEWBIE", "dana"))
        assert set(ack) == {"envelope_id"}
        [post] = await fake.wait_for_call(
            "chat.postMessage", predicate=lambda c: c.args.get("channel") == welcome
        )
        assert "<@U0NEWBIE>" in post.args["text"] + texts_of(post.args["blocks"])

        # a private export: acked, answered ephemerally, the file sent by DM
        await fake.push_command(
            fake.slash_command("/privacy", "export", user=maria, channel=GENERAL)
        )
        await fake.wait_for_call("files.completeUploadExternal")
        [upload] = [f for f in fake.files.values() if f["name"] == "hearth-data.json"]
        assert "hearth" in json.loads(upload["content"])
        replies = await fake.wait_for_call("response_url", count=2)
        assert replies[1].args["response_type"] == "ephemeral"

        # Slack asks for a reconnect: the app reconnects and keeps answering
        await fake.socket_disconnect()
        await fake.wait_for_socket(2)
        await fake.push_command(fake.slash_command("/hearth", "help", user=maria, channel=GENERAL))
        await fake.wait_for_call("response_url", count=3)
    finally:
        code = await stop_cleanly(task, stop)
    assert code == 0
    with sqlite3.connect(tmp_path / "hearth.db") as db:  # stopped cleanly: closed, committed
        [(name,)] = db.execute("SELECT name FROM members WHERE user_id = 'U0NEWBIE'").fetchall()
    assert name == "dana"


async def test_hearth_run_in_http_mode_verifies_and_refuses(
    tmp_path: Path, fake: FakeSlack
) -> None:
    bob = fake.add_user(name="bob")["id"]
    port = free_port()
    stop, ready = asyncio.Event(), asyncio.Event()
    config = run_config(tmp_path, fake, "http", http_port=port)
    secrets = Secrets(None, "xoxb-anything", None, fake.signing_secret)
    clock = ManualClock(START)
    task = asyncio.create_task(run(config, secrets, clock, "", stop=stop, ready=ready))
    url = f"http://127.0.0.1:{port}/slack/events"
    try:
        await asyncio.wait_for(ready.wait(), timeout=10)
        command = fake.slash_command("/hearth", "settings", user=bob, channel=GENERAL)
        assert (await fake.post_command(url, command, secret="wrong")).status == 401
        reply = await fake.post_command(url, command)
        assert reply.status == 200
        [answer] = await fake.wait_for_call("response_url")
        assert answer.args["response_type"] == "ephemeral"
        assert "Only moderators" in answer.args["text"]
        assert fake.calls_to("auth.test")[0].token == "xoxb-anything"
    finally:
        code = await stop_cleanly(task, stop)
    assert code == 0


async def test_hearth_run_stops_on_a_refused_token(tmp_path: Path, fake: FakeSlack) -> None:
    fake.error_next("auth.test", "invalid_auth")
    config = run_config(tmp_path, fake, "socket")
    code = await run(config, secrets_for(fake), ManualClock(START), "", stop=asyncio.Event())
    assert code == 2 and not fake.calls_to("apps.connections.open")


async def declared_groups(database: Path) -> set[str]:
    """The command groups of a bot running every cog in cogs/ (as with no [hearth] cogs)."""
    config = parse_config({}, set(available_cogs()))
    async with running_bot(config, ManualClock(START), database=database) as bot:
        return set(bot.interactions.groups())


def test_manifest_command_lists_every_declared_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[hearth]\ndatabase = "unused.db"\n', encoding="utf-8")
    assert main(["--config", str(config), "slack", "manifest"]) == 0
    manifest = yaml.safe_load(capsys.readouterr().out)
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    groups = asyncio.run(declared_groups(tmp_path / "all-cogs.db"))
    assert commands == {f"/{g}" for g in groups}
    assert {"/hearth", "/privacy", "/welcome"} <= commands
    assert all(
        c["should_escape"] and c["usage_hint"] for c in manifest["features"]["slash_commands"]
    )
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert not (tmp_path / "unused.db").exists()
