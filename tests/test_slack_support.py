"""Shared set-up for the Slack adapter tests (no tests here): a real Bot on a real SQLite
file, the real SlackAdapter (slack-bolt AsyncApp) and the fake Slack on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.app import Bot
from bot.clock import ManualClock
from bot.cog import Cog
from bot.config import Secrets
from bot.platforms.slack import SlackAdapter
from bot.runtime import running_bot
from tests.fakes.fake_slack import Call, FakeSlack
from tests.harness import START, harness_config

GENERAL = "C0GENERAL"
BOT_TOKEN = "xoxb-test"
APP_TOKEN = "xapp-1-test"


def clear_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk reads HTTP(S)_PROXY and ignores NO_PROXY: it would send 127.0.0.1 to a proxy."""
    for name in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)


def secrets_for(fake: FakeSlack) -> Secrets:
    return Secrets(None, BOT_TOKEN, APP_TOKEN, fake.signing_secret)


def slack_section(fake: FakeSlack, mode: str = "http", **more: Any) -> dict[str, Any]:
    return {"api_base_url": fake.api_base_url, "mode": mode, "http_port": 0, **more}


@dataclass
class Rig:
    fake: FakeSlack
    adapter: SlackAdapter
    bot: Bot
    clock: ManualClock

    @property
    def community(self) -> str:
        return f"slack:{self.fake.team_id}"

    async def event(self, event: dict[str, Any]) -> None:
        """Deliver an event the way the adapter listens (HTTP: signed POST; socket: envelope)."""
        if self.adapter.url is None:
            await self.fake.push_event(event)
        else:
            reply = await self.fake.post_event(self.adapter.url, event)
            assert reply.status == 200, reply.text

    async def command(
        self, user: str, line: str, *, channel: str = GENERAL, wait: str | None = "response_url"
    ) -> Call | None:
        """Run ``/group text`` as ``user``; returns the first new call to ``wait``."""
        command, _, text = line.partition(" ")
        payload = self.fake.slash_command(command, text, user=user, channel=channel)
        before = len(self.fake.calls_to(wait)) if wait else 0
        if self.adapter.url is None:
            await self.fake.push_command(payload)
        else:
            reply = await self.fake.post_command(self.adapter.url, payload)
            assert reply.status == 200, reply.text
        if wait is None:
            return None
        calls = await self.fake.wait_for_call(wait, count=before + 1)
        return calls[before]

    async def interactive(self, payload: dict[str, Any]) -> None:
        if self.adapter.url is None:
            await self.fake.push_interactive(payload)
        else:
            reply = await self.fake.post_interactive(self.adapter.url, payload)
            assert reply.status == 200, reply.text


@asynccontextmanager
async def slack_rig(
    tmp_path: Path,
    fake: FakeSlack,
    *,
    mode: str = "http",
    cogs: Iterable[str] = (),
    extra_cogs: Iterable[Callable[[Bot], Cog]] = (),
    slack: dict[str, Any] | None = None,
) -> AsyncIterator[Rig]:
    """A started bot with the Slack adapter listening (HTTP on 127.0.0.1, or Socket Mode)."""
    config = harness_config(list(cogs), {"slack": slack_section(fake, mode, **(slack or {}))})
    clock = ManualClock(START)
    adapter = SlackAdapter(config.slack, secrets_for(fake), clock)
    platform = await adapter.connect()
    async with running_bot(
        config, clock, database=tmp_path / "hearth.db", platforms=[platform]
    ) as bot:
        for make in extra_cogs:
            bot.add_cog(make(bot))
        await adapter.start(bot)
        try:
            yield Rig(fake, adapter, bot, clock)
        finally:
            await adapter.close()


def texts_of(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text in Block Kit blocks, one per line (for assertions)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("text"), str):
                found.append(value["text"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(blocks) if isinstance(blocks, str) else blocks)
    return "\n".join(found)
