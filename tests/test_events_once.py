"""Every inbound event counts once: Slack's redeliveries (``X-Slack-Retry-Num``, the same
``event_id``) and a resumed Discord gateway's replay reach no cog a second time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import Bot
from bot.cog import Cog, listen
from bot.events import Event, MessagePosted, ReactionAdded, ReactionRemoved
from tests.fakes.fake_slack import FakeSlack
from tests.harness import make_harness
from tests.test_discord_e2e import World, running, world  # noqa: F401 (fixture)
from tests.test_slack_support import GENERAL, clear_proxies, slack_rig

SENTINEL = "last one"


class Counter(Cog):
    """Records every message and reaction it is handed, in order."""

    name = "counter"

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.events: asyncio.Queue[Event] = asyncio.Queue()

    @listen(MessagePosted)
    @listen(ReactionAdded)
    @listen(ReactionRemoved)
    def seen(self, event: Event) -> None:
        self.events.put_nowait(event)

    async def until_sentinel(self) -> list[Event]:
        """Everything handed over up to and including the message ``SENTINEL``."""
        found: list[Event] = []
        async with asyncio.timeout(5):
            while True:
                event = await self.events.get()
                found.append(event)
                if isinstance(event, MessagePosted) and event.text == SENTINEL:
                    return found

    async def take(self, count: int) -> list[Event]:
        async with asyncio.timeout(5):
            return [await self.events.get() for _ in range(count)]


class Drops(logging.Handler):
    """The core's "dropped a repeat" log lines, to wait on: a delivery either reaches the
    cogs or is dropped, so when both counts add up, every delivery has been handled."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.queue: asyncio.Queue[str] = asyncio.Queue()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("dropped a repeat"):
            self.queue.put_nowait(record.getMessage())

    async def take(self, count: int) -> list[str]:
        async with asyncio.timeout(5):
            return [await self.queue.get() for _ in range(count)]


@pytest.fixture
def drops() -> Iterator[Drops]:
    handler = Drops()
    core = logging.getLogger("bot.app")
    level = core.level
    core.addHandler(handler)
    core.setLevel(logging.INFO)
    yield handler
    core.removeHandler(handler)
    core.setLevel(level)

    async def delete_user_data(self, community: str, user: str) -> None:
        return None

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        return {}


def described(events: list[Event]) -> list[str]:
    return [
        event.text if isinstance(event, MessagePosted) else f"{type(event).__name__} {event.emoji}"
        for event in events
    ]


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeSlack]:
    clear_proxies(monkeypatch)
    async with FakeSlack() as slack:
        yield slack


@pytest.mark.parametrize("mode", ["http", "socket"])
async def test_a_slack_redelivery_counts_once(
    tmp_path: Path, fake: FakeSlack, mode: str, drops: Drops
) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake, mode=mode, extra_cogs=[Counter]) as rig:
        counter = rig.bot.cogs["counter"]
        assert isinstance(counter, Counter)
        hello = fake.event_callback(fake.message_event(GENERAL, alice, "hello"))
        thumbs = fake.reaction_event(GENERAL, hello["event"]["ts"], alice, "+1")
        thanks = fake.event_callback(thumbs)
        for envelope in (hello, thanks):
            await deliver(rig, fake, envelope)
            await deliver(rig, fake, envelope, retry=1)  # Slack thought the ack was late
            await deliver(rig, fake, envelope, retry=2)
        assert len(await drops.take(4)) == 4
        assert sorted(described(await counter.take(2))) == ["ReactionAdded 👍", "hello"]
        assert counter.events.empty()  # every delivery is accounted for: 2 handled, 4 dropped
        member = await rig.bot.members.get(rig.community, alice)
        assert member is not None and member.message_count == 1


async def deliver(rig: Any, fake: FakeSlack, envelope: dict[str, Any], retry: int = 0) -> None:
    if rig.adapter.url is None:
        await fake.push_event(envelope, retry=retry)
    else:
        reply = await fake.post_event(rig.adapter.url, envelope, retry=retry)
        assert reply.status == 200, reply.text


async def test_a_replay_after_a_discord_resume_counts_once(
    world: World,  # noqa: F811
    drops: Drops,
) -> None:
    async with running(world, cogs=[]) as r:
        r.bot.add_cog(Counter(r.bot))
        counter = r.bot.cogs["counter"]
        assert isinstance(counter, Counter)
        fake = world.fake
        hello = await fake.message_create(world.guild, world.general, world.alice, "hello")
        await fake.reaction_add(hello, world.bob, "👍")
        await fake.reaction_remove(hello, world.bob, "👍")
        await fake.reaction_add(hello, world.bob, "👍")  # again, for real: it counts
        fake.replay_on_resume = 4  # the gateway sends all four again after RESUMED
        await fake.request_reconnect()
        await fake.wait_for_resume()
        await fake.message_create(world.guild, world.general, world.alice, SENTINEL)
        assert len(await drops.take(4)) == 4
        seen = described(await counter.take(5))  # handler tasks may finish in any order
        assert sorted(seen) == sorted(
            ["hello", "ReactionAdded 👍", "ReactionRemoved 👍", "ReactionAdded 👍", SENTINEL]
        )
        assert counter.events.empty()  # 5 handled and 4 dropped: every delivery accounted for
        replayed = [name for name, _ in fake.dispatched].count("MESSAGE_CREATE")
        assert replayed == 3  # hello, its replay, the sentinel: the replay did arrive
        member = await r.bot.members.get(world.community, world.alice)
        assert member is not None and member.message_count == 2


async def test_the_same_event_id_counts_once_and_other_kinds_or_platforms_do_not_clash(
    tmp_path: Path,
) -> None:
    async with make_harness(tmp_path, extra_cogs=[Counter]) as h:
        counter = h.bot.cogs["counter"]
        assert isinstance(counter, Counter)

        def posted(text: str, event_id: str | None, community: str = h.community) -> Event:
            return MessagePosted(
                community=community,
                at=h.clock.now(),
                channel="general",
                message=text,
                author="alice",
                text=text,
                event_id=event_id,
            )

        for event in (
            posted("one", "E1"),
            posted("one", "E1"),  # redelivered
            posted("two", None),  # no id: never dropped
            posted("two", None),
            posted("three", "E1", community="other:c2"),  # same id on another platform
            ReactionAdded(
                community=h.community,
                at=h.clock.now(),
                channel="general",
                message="one",
                user="bob",
                emoji="👍",
                event_id="E1",  # same id, another kind of event
            ),
            posted(SENTINEL, "E2"),
        ):
            await h.bot.dispatch(event)
        assert described(await counter.until_sentinel()) == [
            "one",
            "two",
            "two",
            "three",
            "ReactionAdded 👍",
            SENTINEL,
        ]
        assert not counter.events.qsize()
