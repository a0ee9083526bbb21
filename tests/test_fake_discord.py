"""The fake Discord server works with the real discord.py client (no Hearth code here)."""

from __future__ import annotations

import asyncio
import io
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest
from discord import app_commands

from tests.fakes.fake_discord import (
    EPHEMERAL,
    ChannelType,
    FakeDiscord,
    Opt,
    point_discord_at,
    run_client,
)

TIMEOUT = 5.0
MESSAGES = r"/channels/\d+/messages"

#: discord.py's own endpoints, read before any test points them at the fake; every
#: test must leave them as it found them. Nothing here ever connects to them.
LIBRARY_BASE = discord.http.Route.BASE
LIBRARY_GATEWAY = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


@dataclass
class World:
    fake: FakeDiscord
    guild: str
    general: str
    forum: str
    member_role: str
    admin_role: str
    alice: str
    bob: str


@pytest.fixture
async def world() -> AsyncIterator[World]:
    async with FakeDiscord() as fake:
        guild = fake.add_guild("Hearth Test", bot_role_position=10)
        general = fake.add_channel(guild, "general")
        forum = fake.add_forum(guild, "questions", tags=("python",))
        member_role = fake.add_role(guild, "Member", position=1)
        admin_role = fake.add_role(guild, "Admin", position=20)
        alice = fake.add_member(guild, "alice")
        bob = fake.add_member(guild, "bob", pending=True)
        with point_discord_at(fake):
            yield World(fake, guild, general, forum, member_role, admin_role, alice, bob)
    assert discord.http.Route.BASE == LIBRARY_BASE
    assert discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY == LIBRARY_GATEWAY


def make_client(**options: Any) -> discord.Client:
    intents = discord.Intents.default()
    intents.members = intents.message_content = True
    intents.reactions = intents.messages = intents.dm_messages = intents.guilds = True
    return discord.Client(intents=intents, guild_ready_timeout=0.05, **options)


class Events:
    """Futures the client's event handlers resolve, awaited with a timeout."""

    def __init__(self, client: discord.Client, *names: str) -> None:
        self.queues: dict[str, asyncio.Queue[Any]] = {n: asyncio.Queue() for n in names}
        for name in names:
            client.event(self._listener(name))

    def _listener(self, name: str) -> Any:
        async def listener(*args: Any) -> None:
            self.queues[name].put_nowait(args[0] if len(args) == 1 else args)

        listener.__name__ = f"on_{name}"  # plain Client has no add_listener
        return listener

    async def next(self, name: str) -> Any:
        return await asyncio.wait_for(self.queues[name].get(), TIMEOUT)


async def test_connects_and_on_ready_sees_the_guild(world: World) -> None:
    client = make_client()
    async with run_client(client):
        identify = await world.fake.wait_for_identify()
        await world.fake.wait_until_connected()
        guild = client.get_guild(int(world.guild))
        assert guild is not None and guild.name == "Hearth Test"
        assert guild.get_channel(int(world.general)).name == "general"
        assert isinstance(guild.get_channel(int(world.forum)), discord.ForumChannel)
        assert guild.get_member(int(world.bob)).pending is True
        assert guild.me.top_role.position == 10
        assert client.user.id == int(world.fake.bot_id)
        assert identify["intents"] == client.intents.value
        # No zstandard here: discord.py asks for zlib-stream, and reads it back.
        assert world.fake.gateway_queries == [
            {"v": "10", "encoding": "json", "compress": "zlib-stream"}
        ]
    assert world.fake.find_requests("GET", "/users/@me")
    assert world.fake.find_requests("GET", "/oauth2/applications/@me")
    assert not world.fake.unhandled


async def test_receives_message_and_reply(world: World) -> None:
    client = make_client()
    events = Events(client, "message")
    async with run_client(client):
        first = await world.fake.message_create(world.guild, world.general, world.alice, "hi")
        message = await events.next("message")
        assert message.content == "hi" and message.author.name == "alice"
        assert isinstance(message.author, discord.Member)
        await world.fake.message_create(
            world.guild, world.general, world.bob, f"<@{world.alice}> yes", reply_to=first,
            mentions=[world.alice],
        )  # fmt: skip
        reply = await events.next("message")
        assert reply.reference.message_id == int(first)
        assert [m.id for m in reply.mentions] == [int(world.alice)]


async def test_sends_message_with_embed_and_view(world: World) -> None:
    client = make_client()
    events = Events(client, "message")
    async with run_client(client):
        view = discord.ui.View(timeout=None)
        view.add_item(discord.ui.Button(label="Join", custom_id="join"))
        channel = client.get_channel(int(world.general))
        sent = await channel.send(
            f"Welcome <@{world.alice}>",
            embed=discord.Embed(title="Hello", description="Glad you are here"),
            view=view,
            allowed_mentions=discord.AllowedMentions.none(),
        )
        [request] = world.fake.find_requests("POST", MESSAGES)
        assert request.json["allowed_mentions"]["parse"] == []
        assert request.json["embeds"][0]["title"] == "Hello"
        assert request.json["components"][0]["components"][0]["custom_id"] == "join"
        assert sent.embeds[0].title == "Hello" and sent.components
        assert world.fake.messages[str(sent.id)]["mentions"] == []
        echoed = await events.next("message")  # Discord echoes the bot's own message
        assert echoed.id == sent.id and echoed.author == client.user
        edited = await sent.edit(content="Edited")
        assert edited.content == "Edited"
        assert world.fake.messages[str(sent.id)]["content"] == "Edited"


async def test_slash_command_sync_invoke_and_ephemeral_reply(world: World) -> None:
    client = make_client()
    tree = app_commands.CommandTree(client)
    got: asyncio.Future[discord.Member] = asyncio.get_running_loop().create_future()

    @tree.command(name="thanks", description="Thank someone")
    async def thanks(interaction: discord.Interaction, who: discord.Member, points: int) -> None:
        got.set_result(who)
        await interaction.response.send_message(f"{who.name} +{points}", ephemeral=True)

    async with run_client(client):
        guild = discord.Object(int(world.guild))
        tree.copy_global_to(guild=guild)  # a guild sync sends only guild commands
        synced = await tree.sync(guild=guild)
        [put] = world.fake.find_requests("PUT", r"/applications/\d+/guilds/\d+/commands")
        assert put.json[0]["name"] == "thanks" and synced[0].name == "thanks"
        interaction = await world.fake.slash_command(
            world.general, world.alice, "thanks", {"who": Opt.user(world.bob), "points": 3}
        )
        assert interaction.payload["data"]["guild_id"] == world.guild
        callback = await world.fake.wait_for_callback(interaction)
        who = await asyncio.wait_for(got, TIMEOUT)
        assert who.id == int(world.bob) and isinstance(who, discord.Member)
        assert callback.json["type"] == 4
        assert callback.json["data"]["flags"] == EPHEMERAL
        assert callback.json["data"]["content"] == "bob +3"


async def test_deferred_reply_and_followup(world: World) -> None:
    client = make_client()
    tree = app_commands.CommandTree(client)

    @tree.command(name="digest", description="Post the digest")
    async def digest(interaction: discord.Interaction) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content="Digest ready")
        await interaction.followup.send("More", ephemeral=True)

    @tree.command(name="slow", description="Answer after thinking")
    async def slow(interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send("Done thinking")

    async with run_client(client):
        await tree.sync()
        slow_one = await world.fake.slash_command(world.general, world.alice, "slow")
        await world.fake.wait_for_request("POST", rf"/webhooks/\d+/{slow_one.token}")
        original = world.fake.interactions[slow_one.id]["original"]
        assert world.fake.messages[original]["content"] == "Done thinking"  # replaced "thinking"
        assert world.fake.is_ephemeral(original)

        interaction = await world.fake.slash_command(world.general, world.alice, "digest")
        callback = await world.fake.wait_for_callback(interaction)
        assert callback.json["type"] == 5
        [followup] = await world.fake.wait_for_request(
            "POST", rf"/webhooks/\d+/{interaction.token}"
        )
        assert followup.json["flags"] == EPHEMERAL
        [edit] = world.fake.find_requests("PATCH", r"/webhooks/.*/messages/@original")
        assert edit.json["content"] == "Digest ready"
        original = world.fake.interactions[interaction.id]["original"]
        assert world.fake.messages[original]["content"] == "Digest ready"


async def test_autocomplete_and_context_menus(world: World) -> None:
    client = make_client()
    tree = app_commands.CommandTree(client)
    targets: asyncio.Queue[Any] = asyncio.Queue()

    @tree.command(name="define", description="Look up a term")
    async def define(interaction: discord.Interaction, term: str) -> None:
        await interaction.response.send_message(term)

    @define.autocomplete("term")
    async def complete(interaction: discord.Interaction, current: str) -> list[Any]:
        return [app_commands.Choice(name=t, value=t) for t in ("python", "pytest") if current in t]

    @tree.context_menu(name="Thank")
    async def thank(interaction: discord.Interaction, member: discord.Member) -> None:
        targets.put_nowait(member)
        await interaction.response.send_message("thanked", ephemeral=True)

    @tree.context_menu(name="Save")
    async def save(interaction: discord.Interaction, message: discord.Message) -> None:
        targets.put_nowait(message)
        await interaction.response.defer(ephemeral=True)

    async with run_client(client):
        await tree.sync()
        auto = await world.fake.autocomplete(
            world.general, world.alice, "define", {"term": "py"}, focused="term"
        )
        callback = await world.fake.wait_for_callback(auto)
        assert callback.json["type"] == 8
        assert [c["name"] for c in callback.json["data"]["choices"]] == ["python", "pytest"]

        thank_bob = await world.fake.user_command(world.general, world.alice, "Thank", world.bob)
        member = await asyncio.wait_for(targets.get(), TIMEOUT)
        assert member.id == int(world.bob)
        await world.fake.wait_for_callback(thank_bob)

        mid = world.fake.add_message(world.general, world.bob, "save me")
        save_it = await world.fake.message_command(world.alice, "Save", mid)
        message = await asyncio.wait_for(targets.get(), TIMEOUT)
        assert message.id == int(mid) and message.content == "save me"
        deferred = await world.fake.wait_for_callback(save_it)
        assert deferred.json == {"type": 5, "data": {"flags": EPHEMERAL}}


class JoinView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.pressed: asyncio.Queue[discord.Interaction] = asyncio.Queue()

    @discord.ui.button(label="Join", custom_id="hearth:join")
    async def join(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.pressed.put_nowait(interaction)
        await interaction.response.edit_message(content="Joined!", view=None)


async def test_button_press_reaches_persistent_view(world: World) -> None:
    client = make_client()
    view = JoinView()
    client.add_view(view)  # persistent: no message id, found by custom_id
    async with run_client(client):
        components = [{"type": 1, "components": [
            {"type": 2, "style": 1, "label": "Join", "custom_id": "hearth:join"},
        ]}]  # fmt: skip
        mid = world.fake.add_message(
            world.general, world.fake.bot_id, "Click", components=components
        )
        press = await world.fake.button_press(mid, world.alice, "hearth:join")
        interaction = await asyncio.wait_for(view.pressed.get(), TIMEOUT)
        assert interaction.user.id == int(world.alice) and interaction.message.id == int(mid)
        callback = await world.fake.wait_for_callback(press)
        assert callback.json["type"] == 7
        assert callback.json["data"]["content"] == "Joined!"
        assert callback.json["data"]["components"] == []
        assert world.fake.messages[mid]["content"] == "Joined!"


async def test_rate_limit_is_retried(world: World) -> None:
    client = make_client()
    async with run_client(client):
        world.fake.fail_next("POST", MESSAGES, 429, retry_after=0.05)
        sent = await client.get_channel(int(world.general)).send("after the wait")
        statuses = [r.status for r in world.fake.find_requests("POST", MESSAGES)]
        assert statuses == [429, 200]
        assert world.fake.messages[str(sent.id)]["content"] == "after the wait"


async def test_forbidden_and_not_found(world: World) -> None:
    client = make_client()
    async with run_client(client):
        channel = client.get_channel(int(world.general))
        world.fake.fail_next("POST", MESSAGES, 403)
        with pytest.raises(discord.Forbidden) as forbidden:
            await channel.send("nope")
        assert forbidden.value.code == 50013
        with pytest.raises(discord.NotFound) as missing:
            await channel.fetch_message(1)
        assert missing.value.code == 10008
        await channel.send("fine again")
        assert [r.status for r in world.fake.find_requests("POST", MESSAGES)] == [403, 200]


async def test_messages_over_discords_limits_or_empty_are_refused(world: World) -> None:
    client = make_client()
    async with run_client(client):
        channel = client.get_channel(int(world.general))
        many = discord.AllowedMentions(users=[discord.Object(i + 1) for i in range(101)])
        too_big = [
            {"content": "x" * 2001},
            {"embed": discord.Embed(description="x" * 4097)},
            {"embed": discord.Embed(title="t").add_field(name="n", value="x" * 1025)},
            {"content": "hi", "allowed_mentions": many},
        ]
        for kwargs in too_big:
            with pytest.raises(discord.HTTPException) as refused:
                await channel.send(**kwargs)
            assert refused.value.code == 50035
        with pytest.raises(discord.HTTPException) as empty:
            await channel.send("   ")
        assert empty.value.code == 50006
        sent = await channel.send("x" * 2000)
        with pytest.raises(discord.HTTPException) as edited:
            await sent.edit(content="x" * 2001)
        assert edited.value.code == 50035
        assert world.fake.messages[str(sent.id)]["content"] == "x" * 2000


async def test_member_join_update_and_roles(world: World) -> None:
    client = make_client()
    events = Events(client, "member_join", "member_update")
    async with run_client(client):
        carol = await world.fake.member_join(world.guild, "carol", pending=True)
        joined = await events.next("member_join")
        assert joined.id == int(carol) and joined.pending is True
        await world.fake.member_update(world.guild, carol, pending=False)
        before, after = await events.next("member_update")
        assert before.pending is True and after.pending is False

        guild = client.get_guild(int(world.guild))
        member = guild.get_member(int(carol))
        await member.add_roles(guild.get_role(int(world.member_role)), reason="Welcome done")
        [put] = world.fake.find_requests("PUT", r"/guilds/\d+/members/\d+/roles/\d+")
        assert put.status == 204 and put.reason == "Welcome done"
        _, updated = await events.next("member_update")  # echoed GUILD_MEMBER_UPDATE
        assert [r.id for r in updated.roles[1:]] == [int(world.member_role)]
        with pytest.raises(discord.Forbidden):  # Admin sits above the bot's role
            await member.add_roles(guild.get_role(int(world.admin_role)))
        assert world.fake.guilds[world.guild]["members"][carol]["roles"] == [world.member_role]


async def test_reactions_threads_dm_and_pins(world: World) -> None:
    client = make_client()
    events = Events(client, "raw_reaction_add", "thread_create", "message")
    async with run_client(client):
        mid = await world.fake.message_create(world.guild, world.general, world.alice, "react")
        await events.next("message")
        await world.fake.reaction_add(mid, world.alice, "✅")
        reaction = await events.next("raw_reaction_add")
        assert str(reaction.emoji) == "✅" and reaction.user_id == int(world.alice)

        message = await client.get_channel(int(world.general)).fetch_message(int(mid))
        await message.add_reaction("👀")
        assert world.fake.reactions[mid]["👀"] == {world.fake.bot_id}
        assert (await events.next("raw_reaction_add")).user_id == client.user.id  # echoed
        await message.pin(reason="important")
        assert world.fake.messages[mid]["pinned"] is True
        thread = await message.create_thread(name="Discussion")
        assert thread.id == int(mid) and world.fake.channels[mid]["parent_id"] == world.general
        assert (await events.next("thread_create")).id == thread.id  # echoed
        await world.fake.message_create(
            world.guild, world.general, world.bob, "in the thread", thread=str(thread.id)
        )
        in_thread = [m for m in await _drain(events, "message") if m.content == "in the thread"]
        assert in_thread[0].channel.id == thread.id
        assert isinstance(in_thread[0].channel, discord.Thread)

        tag = world.fake.forum_tag_id(world.forum, "python")
        post = await world.fake.thread_create(
            world.forum, "How do I?", world.alice, "Question body", applied_tags=(tag,)
        )
        created = await events.next("thread_create")
        assert created.id == int(post) and created.parent_id == int(world.forum)
        starter = [m for m in await _drain(events, "message") if m.id == int(post)]
        assert starter and starter[0].content == "Question body"

        dm = await client.get_user(int(world.alice)).send("Welcome!")
        assert isinstance(dm.channel, discord.DMChannel)
        assert world.fake.channels[str(dm.channel.id)]["type"] == ChannelType.DM
        assert world.fake.find_requests("POST", "/users/@me/channels")


async def _drain(events: Events, name: str) -> list[Any]:
    """Everything queued for ``name``, waiting for at least one item."""
    items = [await events.next(name)]
    while not events.queues[name].empty():
        items.append(events.queues[name].get_nowait())
    return items


async def test_reconnect_resumes_the_session(world: World) -> None:
    client = make_client()
    events = Events(client, "resumed", "message")
    async with run_client(client):
        identify = await world.fake.wait_for_identify()
        await world.fake.request_reconnect()
        resume = await world.fake.wait_for_resume()
        await events.next("resumed")
        assert resume["token"] == identify["token"] == "fake-token"
        assert len(world.fake.identifies) == 1
        await world.fake.message_create(world.guild, world.general, world.alice, "still here")
        assert (await events.next("message")).content == "still here"
        assert world.fake.heartbeats >= 2  # one per connection, sent right after HELLO


async def test_wait_for_request_times_out_with_a_useful_message(world: World) -> None:
    with pytest.raises(AssertionError, match=re.escape("1 x DELETE /nothing")):
        await world.fake.wait_for_request("DELETE", "/nothing", timeout=0.01)


async def test_more_rest_routes_and_events(world: World) -> None:
    client = make_client()
    events = Events(client, "message", "raw_message_edit", "raw_message_delete", "member_remove")
    async with run_client(client):
        fake, guild = world.fake, client.get_guild(int(world.guild))
        member = await guild.fetch_member(int(world.alice))
        await member.edit(nick="Al", reason="tidy")
        assert fake.guilds[world.guild]["members"][world.alice]["nick"] == "Al"
        role = await guild.create_role(name="Helper", mentionable=True)
        assert role.position == 1 and "Helper" in [r.name for r in await guild.fetch_roles()]
        channel = await client.fetch_channel(int(world.general))
        assert channel.name == "general"

        sent = await channel.send("with a file", file=discord.File(io.BytesIO(b"abc"), "a.txt"))
        assert sent.attachments[0].filename == "a.txt" and sent.attachments[0].size == 3
        [upload] = fake.find_requests("POST", MESSAGES)
        assert upload.json["content"] == "with a file" and upload.files[0]["size"] == 3
        assert [m.id async for m in channel.history(limit=5)] == [sent.id]
        await sent.add_reaction("✅")
        await sent.remove_reaction("✅", client.user)
        assert fake.reactions[str(sent.id)]["✅"] == set()
        await sent.delete()
        assert str(sent.id) not in fake.messages

        forum = guild.get_channel(int(world.forum))
        post = await forum.create_thread(name="Weekly", content="Post body")
        assert post.message.id == post.thread.id and post.message.content == "Post body"
        private = await channel.create_thread(name="mods", type=discord.ChannelType.private_thread)
        assert fake.channels[str(private.id)]["type"] == ChannelType.PRIVATE_THREAD

        await _drain(events, "message")  # echoes of the bot's own messages
        dm = fake.add_dm_channel(world.bob)
        mid = await fake.message_create(None, dm, world.bob, "a private hello")
        received = await events.next("message")
        assert received.content == "a private hello" and received.guild is None
        assert isinstance(received.channel, discord.DMChannel)
        await fake.message_update(mid, content="edited")
        await fake.message_delete(mid)
        await fake.member_remove(world.guild, world.bob)
        assert (await events.next("member_remove")).id == int(world.bob)
        assert (await events.next("raw_message_edit")).data["content"] == "edited"
        assert (await events.next("raw_message_delete")).message_id == sent.id  # echoed
        assert (await events.next("raw_message_delete")).channel_id == int(dm)
        assert not fake.unhandled
