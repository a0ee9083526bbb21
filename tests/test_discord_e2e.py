"""The Discord adapter end to end: the real discord.py client against the fake Discord.

The bot is real (cogs, SQLite file, core); the adapter is pointed at the fake only
through ``[discord] api_base_url`` and ``gateway_url``, as ``hearth run`` would be.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import pytest

from bot.app import Bot
from bot.clock import ManualClock
from bot.cog import Cog, button, command, listen, message_action, user_action
from bot.commands import UNCHECKED, Channel, Integer, Member, Role, Text
from bot.events import (
    Event,
    MemberJoined,
    MemberLeft,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
)
from bot.interactions import CommandContext
from bot.messages import Button, Message, MessageRef, mention
from bot.outbox import retry_delay
from bot.platform import TargetMessage
from bot.platforms.discord import DiscordAdapter
from bot.runtime import running_bot
from tests.fakes.fake_discord import EPHEMERAL, FakeDiscord, Opt
from tests.harness import START, harness_config

MESSAGES = r"/channels/\d+/messages"
#: discord.py's own URL, read before any test points it at the fake (never reached).
DEFAULT_BASE = discord.http.Route.BASE
DEFAULT_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
TIMEOUT = 5.0


class Echo(Cog):
    """A small cog for the adapter's tests: every kind of declaration, little logic."""

    name = "echo"

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.release = asyncio.Event()
        self.targets: list[TargetMessage | str] = []
        self.events: asyncio.Queue[Event] = asyncio.Queue()

    @listen(MessagePosted)
    @listen(MessageEdited)
    @listen(MessageDeleted)
    @listen(ReactionAdded)
    @listen(ReactionRemoved)
    @listen(MemberJoined)
    @listen(MemberLeft)
    def seen(self, event: Event) -> None:
        self.events.put_nowait(event)

    async def next_event(self, kind: type[Event]) -> Any:
        """The next event of ``kind`` (others in between are skipped)."""
        async with asyncio.timeout(TIMEOUT):
            while True:
                event = await self.events.get()
                if isinstance(event, kind):
                    return event

    @command(
        "echo say",
        "Repeat some text",
        Text(name="text", max_length=20),
        Integer(name="times", min_value=1, max_value=3, required=False),
        cooldown=False,  # the tests run it again and again
    )
    async def say(self, ctx: CommandContext, text: str, times: int | None) -> Message:
        return Message(" ".join([text] * (times or 1)))

    @command("echo whisper", "Repeat privately", Text(name="text"), private=True)
    async def whisper(self, ctx: CommandContext, text: str) -> Message:
        return Message(text)

    @command("echo purge", "Moderators only", moderator=True, private=True)
    async def purge(self, ctx: CommandContext) -> Message:
        return Message("purged")

    @command("echo slow", "Answers once the test lets it", private=True)
    async def slow(self, ctx: CommandContext) -> Message:
        await self.release.wait()
        return Message("finally")

    @command(
        "echo grant",
        "Give a role (unchecked, to reach the platform's own refusal)",
        Member(name="who"),
        Role(name="role", needs=UNCHECKED),
        moderator=True,
    )
    async def grant(self, ctx: CommandContext, who: str, role: str) -> Message:
        done = await self.bot.add_role(ctx.community, who, role, "echo grant")
        return Message("granted" if done else "not granted")

    @command(
        "echo place",
        "Point at a channel and a role (checked by the core)",
        Channel(name="where"),
        Role(name="role", required=False),
        moderator=True,
        private=True,
    )
    async def place(self, ctx: CommandContext, where: str, role: str | None) -> Message:
        return Message("usable")

    @command(
        "echo pick", "Autocomplete", Text(name="word", autocomplete="complete_word"), private=True
    )
    async def pick(self, ctx: CommandContext, word: str) -> Message:
        return Message(word)

    async def complete_word(self, ctx: CommandContext, partial: str) -> list[str]:
        return [w for w in ("ბარი", "βήτα", "שלום", "alpha") if partial in w]

    @command("echo post", "Post with a button", Text(name="text"))
    async def post(self, ctx: CommandContext, text: str) -> Message:
        message = Message(text, buttons=(Button("Wave", "echo.wave", ctx.user.id),))
        ref = await self.bot.send(ctx.community, ctx.channel, message)
        return Message("posted" if ref else "not posted")

    @command("echo crowd", "Thank many at once", Integer(name="people", min_value=1))
    async def crowd(self, ctx: CommandContext, people: int) -> Message:
        ids = tuple(str(10**17 + i) for i in range(people))
        thanks = Message(" ".join(map(mention, ids)), colour=0x57F287, mentions=ids)
        ref = await self.bot.send(ctx.community, ctx.channel, thanks)
        return Message("thanked" if ref else "not thanked")

    @command("echo thread", "Answer in a message's thread", Text(name="message"))
    async def in_thread(self, ctx: CommandContext, message: str) -> Message:
        ref = await self.bot.send(
            ctx.community, ctx.channel, Message("in the thread"), thread=message
        )
        return Message("answered" if ref else "not answered")

    @command("echo where", "Where the command ran", private=True)
    async def where(self, ctx: CommandContext) -> Message:
        return Message(f"{ctx.channel}/{ctx.thread}")

    @command("echo dm", "A direct message with a button")
    async def dm(self, ctx: CommandContext) -> Message:
        message = Message("wave back?", buttons=(Button("Wave", "echo.wave", ctx.user.id),))
        ref = await self.bot.send_dm(ctx.community, ctx.user.id, message)
        return Message("sent" if ref else "not sent")

    @button("wave")
    async def wave(self, ctx: CommandContext, value: str) -> Message | None:
        assert ctx.message is not None
        await self.bot.edit(ctx.message, Message(f"{mention(ctx.user.id)} waved"))
        return None

    @message_action("Echo message")
    async def echo_message(self, ctx: CommandContext, target: TargetMessage) -> Message:
        self.targets.append(target)
        return Message(f"{mention(target.author)} wrote: {target.text}")

    @user_action("Poke")
    async def poke(self, ctx: CommandContext, user: str) -> Message:
        self.targets.append(user)
        return Message(f"poked {mention(user)}", mentions=(user,))

    async def delete_user_data(self, community: str, user: str) -> None:
        return None

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        return {}


@dataclass
class World:
    fake: FakeDiscord
    tmp_path: Path
    guild: str
    general: str
    log: str
    forum: str
    member_role: str
    high_role: str
    maria: str  # administrator (Manage Server)
    alice: str
    bob: str
    clock: ManualClock = field(default_factory=lambda: ManualClock(START))

    @property
    def community(self) -> str:
        return f"discord:{self.guild}"

    def sections(self, **extra: Any) -> dict[str, Any]:
        discord_section = {
            "api_base_url": self.fake.api_base_url,
            "gateway_url": self.fake.gateway_url,
        }
        return {"discord": discord_section, **extra}


@pytest.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    async with FakeDiscord() as fake:
        guild = fake.add_guild("Hearth Test", bot_role_position=10)
        general = fake.add_channel(guild, "general")
        log_channel = fake.add_channel(guild, "mod-log")
        forum = fake.add_forum(guild, "questions")
        member_role = fake.add_role(guild, "Member", position=1)
        high_role = fake.add_role(guild, "Admin", position=20)
        admin = fake.add_role(
            guild, "Mods", position=5, permissions=discord.Permissions(manage_guild=True).value
        )
        maria = fake.add_member(guild, "maria", roles=[admin])
        alice = fake.add_member(guild, "alice")
        bob = fake.add_member(guild, "bob")
        yield World(
            fake, tmp_path, guild, general, log_channel, forum, member_role, high_role, maria,
            alice, bob,
        )  # fmt: skip
    assert discord.http.Route.BASE == DEFAULT_BASE
    assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == DEFAULT_GATEWAY


@dataclass
class Running:
    bot: Bot
    adapter: DiscordAdapter
    echo: Echo


@asynccontextmanager
async def running(
    world: World,
    *,
    cogs: list[str] | None = None,
    sections: dict[str, Any] | None = None,
    defer_after: float = 2.0,
) -> AsyncIterator[Running]:
    """The bot with the Discord adapter, connected to the fake and ready."""
    config = harness_config(cogs or [], world.sections(**(sections or {})))
    adapter = DiscordAdapter(
        config.discord, "fake-token", guild_ready_timeout=0.05, defer_after=defer_after
    )
    made: list[Echo] = []

    def echo(bot: Bot) -> Echo:
        made.append(Echo(bot))
        return made[0]

    extra: list[Callable[[Bot], Cog]] = [echo]
    try:
        platform = await adapter.connect()
        async with running_bot(
            config,
            world.clock,
            database=world.tmp_path / "hearth.db",
            platforms=[platform],
            extra_cogs=extra,
        ) as bot:
            try:
                await adapter.start(bot)
                async with asyncio.timeout(TIMEOUT):
                    await adapter.wait_until_ready()
                yield Running(bot, adapter, made[0])
            finally:
                await adapter.stop_listening()
                await bot.close()
    finally:
        await adapter.close()
    assert not world.fake.unhandled, [(r.method, r.path) for r in world.fake.unhandled]


async def test_slash_command_good_and_bad_options(world: World) -> None:
    async with running(world):
        good = await world.fake.slash_command(
            world.general, world.alice, "echo", {"text": "hi", "times": 2}, subcommand="say"
        )
        callback = await world.fake.wait_for_callback(good)
        assert callback.json["type"] == 4
        assert callback.json["data"]["content"] == "hi hi"
        assert not int(callback.json["data"].get("flags") or 0) & EPHEMERAL

        bad = await world.fake.slash_command(
            world.general, world.alice, "echo", {"text": "hi", "times": 7}, subcommand="say"
        )
        refused = await world.fake.wait_for_callback(bad)
        assert int(refused.json["data"]["flags"]) & EPHEMERAL
        assert "`times`" in refused.json["data"]["content"]
        assert "7" in refused.json["data"]["content"]


async def test_private_command_answers_ephemerally(world: World) -> None:
    async with running(world):
        asked = await world.fake.slash_command(
            world.general, world.alice, "echo", {"text": "psst"}, subcommand="whisper"
        )
        callback = await world.fake.wait_for_callback(asked)
        assert callback.json["data"]["content"] == "psst"
        assert int(callback.json["data"]["flags"]) & EPHEMERAL


async def test_moderator_command_refused_to_others(world: World) -> None:
    async with running(world):
        tried = await world.fake.slash_command(
            world.general, world.alice, "echo", {}, subcommand="purge"
        )
        refused = await world.fake.wait_for_callback(tried)
        assert int(refused.json["data"]["flags"]) & EPHEMERAL
        assert "Only moderators" in refused.json["data"]["content"]
        done = await world.fake.slash_command(
            world.general, world.maria, "echo", {}, subcommand="purge"
        )
        assert (await world.fake.wait_for_callback(done)).json["data"]["content"] == "purged"


async def test_slow_command_is_deferred_then_followed_up(world: World) -> None:
    async with running(world, defer_after=0.05) as r:
        asked = await world.fake.slash_command(
            world.general, world.alice, "echo", {}, subcommand="slow"
        )
        deferred = await world.fake.wait_for_callback(asked)
        assert deferred.json["type"] == 5
        assert int(deferred.json["data"]["flags"]) & EPHEMERAL
        r.echo.release.set()
        await world.fake.wait_for_request("POST", rf"/webhooks/\d+/{asked.token}")
        original = world.fake.interactions[asked.id]["original"]
        assert world.fake.messages[original]["content"] == "finally"
        assert world.fake.is_ephemeral(original)


async def test_commands_sync_once_and_again_only_when_they_change(world: World) -> None:
    global_commands = r"/applications/\d+/commands"
    async with running(world):
        [put] = world.fake.find_requests("PUT", global_commands)
        by_name = {c["name"]: c for c in put.json}
        echo = by_name["echo"]
        assert {o["name"] for o in echo["options"]} >= {"say", "purge", "grant", "pick"}
        say = next(o for o in echo["options"] if o["name"] == "say")
        text, times = say["options"]
        assert (text["type"], text["max_length"], text["required"]) == (3, 20, True)
        assert (times["type"], times["min_value"], times["max_value"]) == (4, 1, 3)
        assert "default_member_permissions" not in echo  # mixed: the core checks each call
        assert by_name["hearth"]["default_member_permissions"] == str(1 << 5)
        assert by_name["Echo message"]["type"] == 3 and by_name["Poke"]["type"] == 2
    async with running(world):
        assert len(world.fake.find_requests("PUT", global_commands)) == 1
    async with running(world, cogs=["welcome"]):
        puts = world.fake.find_requests("PUT", global_commands)
        assert len(puts) == 2 and "welcome" in {c["name"] for c in puts[-1].json}


async def test_member_behind_screening_is_welcomed_once_they_pass(world: World) -> None:
    welcome = {"channel": world.general, "dm_enabled": False, "reminder_enabled": False}
    async with running(world, cogs=["welcome"], sections={"welcome": welcome}) as r:
        dana = await world.fake.member_join(world.guild, "dana", pending=True)
        carol = await world.fake.member_join(world.guild, "carol")
        assert (await r.echo.next_event(MemberJoined)).user == carol
        [first] = await world.fake.wait_for_request("POST", MESSAGES)
        assert f"<@{carol}>" in first.json["content"]
        assert first.json["allowed_mentions"]["users"] == [int(carol)]

        await world.fake.member_update(world.guild, dana, pending=False)
        assert (await r.echo.next_event(MemberJoined)).user == dana
        posts = await world.fake.wait_for_request("POST", MESSAGES, count=2)
        assert f"<@{dana}>" in posts[1].json["content"]
        [row] = posts[1].json["components"][0]["components"]
        assert row["custom_id"] == f"hearth@{world.guild}:welcome.wave:"
        assert row["label"] == "👋 Wave"
        assert await r.adapter.store.pending_in(world.guild) == []


async def test_pressing_the_wave_button_edits_the_welcome(world: World) -> None:
    welcome = {"channel": world.general, "dm_enabled": False, "reminder_enabled": False}
    async with running(world, cogs=["welcome"], sections={"welcome": welcome}):
        carol = await world.fake.member_join(world.guild, "carol")
        await world.fake.wait_for_request("POST", MESSAGES)
        welcome_id = world.fake.messages_in(world.general)[-1]["id"]
        wave = f"hearth@{world.guild}:welcome.wave:"
        pressed = await world.fake.button_press(welcome_id, world.bob, wave)
        callback = await world.fake.wait_for_callback(pressed)
        assert int(callback.json["data"]["flags"]) & EPHEMERAL
        assert f"<@{carol}>" in callback.json["data"]["content"]
        [edit] = world.fake.find_requests(
            "PATCH", rf"/channels/{world.general}/messages/{welcome_id}"
        )
        shown = world.fake.messages[welcome_id]
        everything = shown["content"] + str(shown["embeds"])
        assert "waved" in everything and "bob" in everything
        assert edit.json["allowed_mentions"]["parse"] == []
        assert shown["components"]  # the Wave button stays for the next person


async def test_everyone_and_roles_in_text_people_wrote_never_ping(world: World) -> None:
    template = "Welcome {member}! @everyone @here <@&" + world.member_role + "> say hi"
    welcome = {"channel": world.general, "message": template, "dm_enabled": False}
    async with running(world, cogs=["welcome"], sections={"welcome": welcome}):
        carol = await world.fake.member_join(world.guild, "carol")
        [post] = await world.fake.wait_for_request("POST", MESSAGES)
        assert (
            "@everyone" in post.json["content"]
            and f"<@&{world.member_role}>" in post.json["content"]
        )
        assert post.json["allowed_mentions"] == {"parse": [], "users": [int(carol)]}

        # The core echoes a bad value back in its refusal: still no ping.
        zone = "@everyone <@&" + world.member_role + ">"
        asked = await world.fake.slash_command(
            world.general, world.maria, "hearth", {"zone": zone}, subcommand="timezone"
        )
        refused = await world.fake.wait_for_callback(asked)
        assert zone in refused.json["data"]["content"]
        assert refused.json["data"]["allowed_mentions"]["parse"] == []
        assert "roles" not in refused.json["data"]["allowed_mentions"]

        # A message action that quotes a message with @everyone.
        mid = world.fake.add_message(
            world.general, world.bob, "@everyone look <@&" + world.member_role + ">"
        )
        acted = await world.fake.message_command(world.alice, "Echo message", mid)
        echoed = await world.fake.wait_for_callback(acted)
        assert "@everyone look" in echoed.json["data"]["content"]
        assert echoed.json["data"]["allowed_mentions"] == {"parse": []}  # not even the author


async def test_role_refused_tells_moderators_once_and_works_after_the_fix(world: World) -> None:
    async with running(world) as r:
        set_log = await world.fake.slash_command(
            world.general,
            world.maria,
            "hearth",
            {"channel": Opt.channel(world.log)},
            subcommand="log-channel",
        )
        await world.fake.wait_for_callback(set_log)
        role = {"who": Opt.user(world.bob), "role": Opt.role(world.high_role)}
        for _ in range(2):
            asked = await world.fake.slash_command(
                world.general, world.maria, "echo", role, subcommand="grant"
            )
            answered = await world.fake.wait_for_callback(asked)
            assert answered.json["data"]["content"] == "not granted"
        refusals = world.fake.find_requests(
            "PUT", rf"/guilds/{world.guild}/members/{world.bob}/roles/\d+"
        )
        assert [x.status for x in refusals] == [403, 403]
        [notice] = world.fake.find_requests("POST", rf"/channels/{world.log}/messages")
        assert "drag Hearth's role above" in notice.json["content"]
        assert f"<@&{world.high_role}>" in notice.json["content"]
        assert notice.json["allowed_mentions"]["parse"] == []

        bot_role = world.fake.guilds[world.guild]["bot_role_id"]
        world.fake.guilds[world.guild]["roles"][bot_role]["position"] = 30  # the moderators' fix
        asked = await world.fake.slash_command(
            world.general, world.maria, "echo", role, subcommand="grant"
        )
        assert (await world.fake.wait_for_callback(asked)).json["data"]["content"] == "granted"
        assert world.high_role in world.fake.guilds[world.guild]["members"][world.bob]["roles"]
        notices = await r.bot.db.fetch_value("SELECT COUNT(*) FROM moderator_notices")
        assert notices == 0  # a new problem will be reported again


async def test_rate_limited_send_goes_out_after_the_wait(world: World) -> None:
    async with running(world):
        world.fake.fail_next("POST", MESSAGES, 429, retry_after=0.05)
        asked = await world.fake.slash_command(
            world.general, world.alice, "echo", {"text": "hello"}, subcommand="post"
        )
        answered = await world.fake.wait_for_callback(asked)
        assert answered.json["data"]["content"] == "posted"
        assert [x.status for x in world.fake.find_requests("POST", MESSAGES)] == [429, 200]
        [sent] = [m for m in world.fake.messages_in(world.general) if m["content"] == "hello"]
        assert sent["components"]


async def test_a_message_pinging_many_people_goes_out_in_parts_discord_takes(
    world: World,
) -> None:
    async with running(world):
        asked = await world.fake.slash_command(
            world.general, world.alice, "echo", {"people": 150}, subcommand="crowd"
        )
        assert (await world.fake.wait_for_callback(asked)).json["data"]["content"] == "thanked"
        posts = world.fake.find_requests("POST", MESSAGES)
        assert len(posts) > 1 and {p.status for p in posts} == {200}
        assert not any(p.json.get("embeds") for p in posts)  # a colour alone is no embed
        pinged = [u for p in posts for u in p.json["allowed_mentions"].get("users", [])]
        assert pinged == [10**17 + i for i in range(150)]


async def test_server_error_is_logged_with_ids_and_the_cog_is_told(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(world):
        world.fake.fail_next("POST", MESSAGES, 503)
        asked = await world.fake.slash_command(
            world.general, world.alice, "echo", {"text": "lost"}, subcommand="post"
        )
        assert (await world.fake.wait_for_callback(asked)).json["data"]["content"] == "not posted"
    failures = [r for r in caplog.records if r.levelname == "ERROR" and "send" in r.getMessage()]
    assert failures and "echo.wave=" + world.alice in failures[0].getMessage()


async def test_button_on_an_old_message_works_after_a_restart(world: World) -> None:
    async with running(world):
        asked = await world.fake.slash_command(
            world.general, world.alice, "echo", {"text": "press me"}, subcommand="post"
        )
        await world.fake.wait_for_callback(asked)
        [old] = [m for m in world.fake.messages_in(world.general) if m["content"] == "press me"]
        custom_id = old["components"][0]["components"][0]["custom_id"]
        assert custom_id == f"hearth@{world.guild}:echo.wave:{world.alice}"
    async with running(world):
        pressed = await world.fake.button_press(old["id"], world.bob, custom_id)
        callback = await world.fake.wait_for_callback(pressed)
        assert callback.json["type"] == 6  # acknowledged: the cog edited the message itself
        assert world.fake.messages[old["id"]]["content"] == f"<@{world.bob}> waved"


async def test_inbound_messages_threads_edits_deletes_and_reactions(world: World) -> None:
    async with running(world) as r:
        first = await world.fake.message_create(world.guild, world.general, world.alice, "hello")
        posted = await r.echo.next_event(MessagePosted)
        assert (posted.community, posted.channel, posted.message) == (
            world.community,
            world.general,
            first,
        )
        assert (posted.author, posted.text, posted.thread) == (world.alice, "hello", None)

        await world.fake.message_create(
            world.guild,
            world.general,
            world.bob,
            f"<@{world.alice}> hi",
            reply_to=first,
            mentions=[world.alice],
        )
        reply = await r.echo.next_event(MessagePosted)
        assert reply.reply_to == first and reply.mentions == (world.alice,)

        post = await world.fake.thread_create(world.forum, "How do I?", world.bob, "Question body")
        starter = await r.echo.next_event(MessagePosted)
        assert (starter.channel, starter.thread, starter.starts_thread) == (world.forum, post, True)
        await world.fake.message_create(
            world.guild, world.forum, world.alice, "an answer", thread=post
        )
        answer = await r.echo.next_event(MessagePosted)
        assert (answer.channel, answer.thread, answer.starts_thread) == (world.forum, post, False)

        await world.fake.message_update(first, content="hello again")
        edited = await r.echo.next_event(MessageEdited)
        assert (edited.message, edited.text, edited.author) == (first, "hello again", world.alice)
        old = world.fake.add_message(world.general, world.bob, "from before the bot started")
        await world.fake.reaction_add(old, world.alice, "👍")
        reacted = await r.echo.next_event(ReactionAdded)
        assert (reacted.message, reacted.user, reacted.emoji, reacted.message_author) == (
            old, world.alice, "👍", world.bob,
        )  # fmt: skip
        await world.fake.message_delete(first)
        deleted = await r.echo.next_event(MessageDeleted)
        assert (deleted.channel, deleted.message) == (world.general, first)
        await world.fake.member_remove(world.guild, world.bob)
        assert (await r.echo.next_event(MemberLeft)).user == world.bob
        assert r.echo.events.empty()  # nothing from the bot's own messages slipped through


async def test_autocomplete_and_context_menus(world: World) -> None:
    async with running(world) as r:
        auto = await world.fake.autocomplete(
            world.general, world.alice, "echo", {"word": "β"}, focused="word", subcommand="pick"
        )
        callback = await world.fake.wait_for_callback(auto)
        assert callback.json["type"] == 8
        assert callback.json["data"]["choices"] == [{"name": "βήτα", "value": "βήτα"}]

        poked = await world.fake.user_command(world.general, world.alice, "Poke", world.bob)
        answered = await world.fake.wait_for_callback(poked)
        assert answered.json["data"]["content"] == f"poked <@{world.bob}>"
        assert answered.json["data"]["allowed_mentions"]["users"] == [int(world.bob)]
        assert r.echo.targets == [world.bob]

        mid = world.fake.add_message(world.general, world.bob, "שלום עולם")
        acted = await world.fake.message_command(world.alice, "Echo message", mid)
        await world.fake.wait_for_callback(acted)
        target = r.echo.targets[-1]
        assert isinstance(target, TargetMessage)
        assert target.ref == MessageRef(world.community, world.general, mid)
        assert (target.author, target.text) == (world.bob, "שלום עולם")


async def test_a_member_who_passed_screening_while_the_bot_was_down_is_welcomed(
    world: World,
) -> None:
    async with running(world) as r:
        dana = await world.fake.member_join(world.guild, "dana", pending=True)
        await world.fake.message_create(world.guild, world.general, world.alice, "after dana")
        await r.echo.next_event(MessagePosted)  # the join before it is handled (close waits)
    world.fake.guilds[world.guild]["members"][dana]["pending"] = False  # passed meanwhile
    async with running(world) as r:
        joined = await r.echo.next_event(MemberJoined)
        assert (joined.user, joined.name) == (dana, "dana")
        assert await r.adapter.store.pending_in(world.guild) == []


async def test_a_thread_reply_to_a_plain_message_opens_its_thread(world: World) -> None:
    async with running(world):
        question = await world.fake.message_create(
            world.guild, world.general, world.alice, "Where is the FAQ? It moved"
        )
        asked = await world.fake.slash_command(
            world.general, world.bob, "echo", {"message": question}, subcommand="thread"
        )
        assert (await world.fake.wait_for_callback(asked)).json["data"]["content"] == "answered"
        [opened] = world.fake.find_requests(
            "POST", rf"/channels/{world.general}/messages/{question}/threads"
        )
        assert opened.json["name"] == "Where is the FAQ? It moved"
        [reply] = world.fake.messages_in(question)
        assert reply["content"] == "in the thread"


async def test_a_button_in_a_direct_message_reaches_its_community(world: World) -> None:
    async with running(world):
        asked = await world.fake.slash_command(
            world.general, world.alice, "echo", {}, subcommand="dm"
        )
        assert (await world.fake.wait_for_callback(asked)).json["data"]["content"] == "sent"
        dm = world.fake.add_dm_channel(world.alice)
        [sent] = world.fake.messages_in(dm)
        custom_id = sent["components"][0]["components"][0]["custom_id"]
        pressed = await world.fake.button_press(sent["id"], world.alice, custom_id)
        assert (await world.fake.wait_for_callback(pressed)).json["type"] == 6
        assert world.fake.messages[sent["id"]]["content"] == f"<@{world.alice}> waved"


async def test_a_command_in_a_forum_post_knows_its_thread(world: World) -> None:
    async with running(world):
        post = await world.fake.thread_create(world.forum, "How do I?", world.bob, "body")
        asked = await world.fake.slash_command(post, world.bob, "echo", {}, subcommand="where")
        answered = await world.fake.wait_for_callback(asked)
        assert answered.json["data"]["content"] == f"{world.forum}/{post}"


async def test_channels_and_roles_are_checked_against_the_server(world: World) -> None:
    """A channel Hearth cannot see or post in, a category, @everyone, a role above Hearth's
    and an integration's role are refused with the fix; a good pair is accepted."""
    fake, guild = world.fake, world.guild
    view = discord.Permissions(view_channel=True).value
    send = discord.Permissions(send_messages=True).value
    hidden = fake.add_channel(
        guild,
        "hidden",
        permission_overwrites=[{"id": guild, "type": 0, "allow": "0", "deny": str(view)}],
    )
    read_only = fake.add_channel(
        guild,
        "announcements",
        permission_overwrites=[{"id": guild, "type": 0, "allow": "0", "deny": str(send)}],
    )
    category = fake.add_channel(guild, "Topics", type=4)
    managed = fake.add_role(guild, "Twitch Subscriber", position=2, managed=True)
    async with running(world):
        gone = fake.add_channel(guild, "made-after-ready")  # Hearth never saw it

        async def answer(where: str, role: str | None = None) -> str:
            options: dict[str, Any] = {"where": Opt.channel(where)}
            if role is not None:
                options["role"] = Opt.role(role)
            asked = await fake.slash_command(
                world.general, world.maria, "echo", options, subcommand="place"
            )
            return (await fake.wait_for_callback(asked)).json["data"]["content"]

        assert await answer(world.general, world.member_role) == "usable"
        assert "does not exist" in await answer(gone)
        assert "cannot see" in await answer(hidden)
        assert "cannot post in" in await answer(read_only)
        assert "not a channel Hearth can post" in await answer(category)
        assert "everyone in the community" in await answer(world.general, guild)
        assert "drag Hearth's role above" in await answer(world.general, world.high_role)
        assert "integration" in await answer(world.general, managed)


async def test_a_mission_post_discord_refuses_is_retried_never_reported_as_posted(
    world: World,
) -> None:
    """Discord answers the mission post with a 503 (discord.py gives up at once) and then
    a 429 without ``Via`` (taken for a ban, not retried): the moderator is not told
    "posted", and the outbox posts it on a later try, with its pin."""
    fake, general = world.fake, world.general
    posts = rf"/channels/{general}/messages"
    async with running(world, cogs=["missions"]) as r:
        fake.fail_next("POST", posts, 503)
        fake.fail_next("POST", posts, 429, headers={"Via": ""})
        options = {"name": "Docs", "goal": "Write the docs", "target": 10, "unit": "pages"}
        options |= {"deadline": "30d", "channel": Opt.channel(general)}
        asked = await fake.slash_command(
            general, world.maria, "mission", options, subcommand="create"
        )
        answer = (await fake.wait_for_callback(asked)).json["data"]["content"]
        assert "✅" not in answer and "did not go out yet" in answer and "503" in answer
        assert not [m for m in fake.messages_in(general) if m.get("embeds")]

        await r.bot.scheduler.advance(retry_delay(1))  # type: ignore[union-attr]
        assert [q.status for q in fake.find_requests("POST", posts)][-2:] == [503, 429]
        assert not [m for m in fake.messages_in(general) if m.get("embeds")]

        await r.bot.scheduler.advance(retry_delay(2))  # type: ignore[union-attr]
        [card] = [m for m in fake.messages_in(general) if m.get("embeds")]
        assert "Docs" in str(card["embeds"])
        await fake.wait_for_request("PUT", rf"/channels/{general}/(messages/)?pins/{card['id']}")
        [mission] = await r.bot.cogs["missions"].live_missions(r.bot.communities()[0])
        assert mission.post is not None and mission.post.id == card["id"]
