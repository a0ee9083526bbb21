"""Every /welcome command with good and bad input: refusals are private, friendly, and change nothing."""

import asyncio
from datetime import timedelta

import pytest

from tests.harness import make_harness

MODERATOR_LINES = [
    "/welcome channel channel:#welcome",
    '/welcome message text:"Hi {member}"',
    "/welcome dm enabled:off",
    '/welcome back-message text:"Back, {member}!"',
    '/welcome steps add channel:#introductions text:"Introduce yourself"',
    "/welcome steps remove number:1",
    "/welcome steps list",
    "/welcome reminder after:24h",
    "/welcome reminder off",
    "/welcome preview",
    "/welcome test",
]


async def _settings(h):
    return h.bot.settings_for("welcome").get(h.community)


@pytest.mark.parametrize("line", MODERATOR_LINES)
async def test_moderator_commands_refuse_members_and_change_nothing(tmp_path, line):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        before = await _settings(h)
        reply = await h.command("alice", line)
        assert reply.private
        assert "Only moderators" in reply.message.text
        assert await _settings(h) == before
        assert h.platform.actions == []
        assert h.bot.cogs["welcome"].steps(h.community) == []


async def test_channel_message_and_back_message_are_saved(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", "/welcome channel channel:#lobby")
        assert reply.private and "<#lobby>" in reply.message.text
        reply = await h.command(
            "maria", '/welcome message text:"Hello {member}, see {channel:rules}"'
        )
        assert reply.private and "✅" in reply.message.text
        reply = await h.command("maria", '/welcome back-message text:"Back again, {member}!"')
        assert "✅" in reply.message.text
        settings = await _settings(h)
        assert settings.channel == "lobby"
        assert settings.message == "Hello {member}, see {channel:rules}"
        assert settings.back_message == "Back again, {member}!"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('/welcome message text:"Hi {user}"', "{user}"),
        ('/welcome back-message text:"Hi {member.name}"', "{member.name}"),
        ('/welcome dm enabled:on text:"Hi {name}"', "{name}"),
    ],
)
async def test_unknown_placeholders_are_refused_listing_the_known_ones(tmp_path, line, expected):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        before = await _settings(h)
        reply = await h.command("maria", line)
        assert reply.private
        text = reply.message.text
        assert expected in text and "not a placeholder" in text
        for known in ("{member}", "{community}", "{member_count}", "{channel:name}"):
            assert known in text
        assert await _settings(h) == before


async def test_broken_braces_and_a_nameless_channel_placeholder_are_refused(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", '/welcome message text:"Hi {member"')
        assert reply.private and "braces" in reply.message.text and "{{ }}" in reply.message.text
        reply = await h.command("maria", '/welcome message text:"See {channel}"')
        assert reply.private and "{channel:introductions}" in reply.message.text
        assert (await _settings(h)).message == ""


async def test_dm_toggle_and_text(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", "/welcome dm enabled:off")
        assert "no longer" in reply.message.text
        assert (await _settings(h)).dm_enabled is False
        reply = await h.command("maria", '/welcome dm enabled:on text:"Hey {member}!"')
        assert "text was updated" in reply.message.text
        settings = await _settings(h)
        assert settings.dm_enabled is True and settings.dm_message == "Hey {member}!"
        reply = await h.command("maria", "/welcome dm enabled:maybe")
        assert reply.private and "on or off" in reply.message.text
        assert (await _settings(h)).dm_enabled is True


async def test_steps_add_list_remove_and_their_mistakes(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", "/welcome steps list")
        assert "no steps yet" in reply.message.text
        reply = await h.command(
            "maria", '/welcome steps add channel:#introductions text:"Introduce yourself"'
        )
        assert "Step 1 added" in reply.message.text and "<#introductions>" in reply.message.text
        reply = await h.command("maria", "/welcome steps add Read the pinned rules")
        assert "Step 2 added: Read the pinned rules" in reply.message.text
        assert "/welcome done number:2" in reply.message.text
        reply = await h.command("maria", "/welcome steps list")
        assert reply.message.text.splitlines() == [
            "1. Introduce yourself — ticks itself when they post in <#introductions>",
            "2. Read the pinned rules — they tick it with `/welcome done number:2`",
        ]
        reply = await h.command("maria", "/welcome steps remove number:3")
        assert reply.private and "numbered 1 to 2" in reply.message.text
        reply = await h.command("maria", "/welcome steps remove number:0")
        assert reply.private and "number" in reply.message.text
        reply = await h.command("maria", "/welcome steps add channel:#x")
        assert reply.private and "text" in reply.message.text
        assert len(h.bot.cogs["welcome"].steps(h.community)) == 2
        reply = await h.command("maria", "/welcome steps remove number:1")
        assert "Removed step 1: Introduce yourself" in reply.message.text
        reply = await h.command("maria", "/welcome steps list")
        assert reply.message.text.startswith("1. Read the pinned rules")


async def test_steps_added_at_the_same_moment_are_all_kept(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        lines = [f'/welcome steps add text:"Step {n}"' for n in range(3)]
        await asyncio.gather(*(h.command("maria", line) for line in lines))
        shown = [s.text for s in h.bot.cogs["welcome"].steps(h.community)]
        assert sorted(shown) == ["Step 0", "Step 1", "Step 2"]


async def test_at_most_ten_steps(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        for n in range(10):
            await h.command("maria", f'/welcome steps add text:"Step {n}"')
        reply = await h.command("maria", '/welcome steps add text:"One too many"')
        assert reply.private and "already 10 steps" in reply.message.text
        count = await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_steps")
        assert count == 10


async def test_reminder_after_off_and_mistakes(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", "/welcome reminder after:2d")
        assert "2d after joining" in reply.message.text
        settings = await _settings(h)
        assert settings.reminder_enabled and settings.reminder_after == timedelta(days=2)
        await h.join("alice")
        assert await h.bot.cogs["welcome"].has_pending_reminder(h.community, "alice")
        reply = await h.command("maria", "/welcome reminder off")
        assert "cancelled: 1" in reply.message.text
        assert not (await _settings(h)).reminder_enabled
        assert not await h.bot.cogs["welcome"].has_pending_reminder(h.community, "alice")
        for line, expected in [
            ("/welcome reminder", "after:24h"),
            ("/welcome reminder enabled:off after:3h", "can't be off and have a time"),
            ("/welcome reminder after:soon", "duration"),
            ("/welcome reminder after:1m", "between"),
            ("/welcome reminder after:60d", "between"),
        ]:
            reply = await h.command("maria", line)
            assert reply.private and expected in reply.message.text, line
        assert not (await _settings(h)).reminder_enabled
        reply = await h.command("maria", "/welcome reminder on")
        assert "2d after joining" in reply.message.text
        assert (await _settings(h)).reminder_enabled


async def test_greeter_on_off_for_members(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        reply = await h.command("bob", "/welcome greeter on")
        assert reply.private and "You're a greeter now" in reply.message.text
        reply = await h.command("bob", "/welcome greeter on")
        assert "already a greeter" in reply.message.text
        reply = await h.command("bob", "/welcome greeter sometimes")
        assert reply.private and "on or off" in reply.message.text
        greeters = await h.bot.db.fetch_all("SELECT user_id FROM welcome_greeters")
        assert [row[0] for row in greeters] == ["bob"]
        reply = await h.command("bob", "/welcome greeter off")
        assert "no longer a greeter" in reply.message.text
        reply = await h.command("bob", "/welcome greeter off")
        assert "weren't a greeter" in reply.message.text
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_greeters") == 0


async def test_progress_and_done_for_members(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        reply = await h.command("alice", "/welcome progress")
        assert reply.private and "no onboarding steps" in reply.message.text
        await h.command("maria", '/welcome steps add channel:#introductions text:"Say hi"')
        await h.command("maria", '/welcome steps add text:"Read the rules"')
        reply = await h.command("alice", "/welcome done number:1")
        assert reply.private and "ticks itself when you post in <#introductions>" in (
            reply.message.text
        )
        reply = await h.command("alice", "/welcome done number:5")
        assert reply.private and "numbered 1 to 2" in reply.message.text
        reply = await h.command("alice", "/welcome done number:2")
        assert "Ticked step 2: Read the rules" in reply.message.text
        reply = await h.command("alice", "/welcome done number:2")
        assert "already ticked" in reply.message.text
        reply = await h.command("alice", "/welcome progress")
        assert reply.private
        assert reply.message.text.splitlines() == [
            "⬜ 1. Say hi (post in <#introductions>)",
            "✅ 2. Read the rules",
        ]
        assert reply.message.footer is None


async def test_preview_is_private_and_sends_nothing(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        h.moderators.add("maria")
        await h.command("maria", "/welcome channel channel:#welcome")
        await h.command("maria", '/welcome message text:"Hello {member} from {community}!"')
        await h.command("maria", '/welcome steps add channel:#introductions text:"Say hi"')
        await h.command("bob", "/welcome greeter on")
        h.platform.clear()
        reply = await h.command("maria", "/welcome preview")
        assert reply.private
        message = reply.message
        assert message.text.startswith("Hello <@maria> from Test Community!")
        assert "<@bob> is one of our greeters" in message.text
        assert message.mentions == ()  # a preview pings nobody
        fields = {f.name: f.value for f in message.fields}
        assert fields["Your first steps"] == "1. Say hi"
        assert fields["Posted in"] == "<#welcome>"
        assert fields["Direct message"].startswith("Hi <@maria>, welcome to Test Community!")
        assert fields["Welcome back (members who return)"].startswith("Welcome back")
        assert fields["Next greeter"] == "<@bob>"
        assert "10m" in message.footer
        assert h.platform.actions == []
        rotation = await h.bot.db.fetch_value("SELECT last_greeted_at FROM welcome_greeters")
        assert rotation is None  # previewing does not use up bob's turn
