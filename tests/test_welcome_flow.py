"""The join flow end to end: welcome, greeter, DM, returning members, bots, leaving soon,
greeter rotation, the Wave button, /welcome test, platform hooks and the glossary hook."""

import asyncio
from datetime import timedelta

from bot.cog import Cog, listen
from bot.errors import PlatformError
from bot.events import NewcomerGreeted
from tests.harness import RecordingPlatform, make_harness


class Recorder(Cog):
    """Listens for NewcomerGreeted the way missions and recognition will."""

    name = "recorder"

    def __init__(self, bot):
        super().__init__(bot)
        self.greeted: list[NewcomerGreeted] = []

    @listen(NewcomerGreeted)
    async def on_greeted(self, event: NewcomerGreeted) -> None:
        self.greeted.append(event)


def recorder(h) -> Recorder:
    return h.bot.cogs["recorder"]


async def setup_welcome(h, *lines):
    h.moderators.add("maria")
    for line in ("/welcome channel channel:#welcome", *lines):
        reply = await h.command("maria", line)
        assert "✅" in reply.message.text, reply.message.text


async def test_a_newcomer_is_welcomed_with_a_wave_button_a_greeter_and_a_dm(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        events = recorder(h)
        await setup_welcome(
            h, '/welcome steps add channel:#introductions text:"Introduce yourself"'
        )
        await h.command("bob", "/welcome greeter on")
        await h.join("chen")
        [post] = h.platform.sent_to("welcome")
        message = post.message
        assert message.text.startswith("Welcome to Test Community, <@chen>!")
        assert "member number 1" in message.text
        assert "<@bob> is one of our greeters" in message.text
        assert message.mentions == ("chen", "bob")
        assert [b.label for b in message.buttons] == ["👋 Wave"]
        assert [(f.name, f.value) for f in message.fields] == [
            ("Your first steps", "1. Introduce yourself")
        ]
        [dm] = h.platform.dms_to("chen")
        assert dm.message.text.startswith("Hi <@chen>, welcome to Test Community!")
        assert "Your greeter is <@bob>" in dm.message.text
        assert dm.message.mentions == ("chen",)  # the greeter is named in a DM, not pinged
        assert events.greeted == []  # being assigned earns nothing: greeting does


async def test_no_dm_when_dms_are_off_and_no_greeter_line_without_greeters(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        events = recorder(h)
        await setup_welcome(h, "/welcome dm enabled:off")
        await h.join("chen")
        [post] = h.platform.sent_to("welcome")
        assert "greeter" not in post.message.text
        assert post.message.mentions == ("chen",)
        assert h.platform.dms_to("chen") == []
        assert events.greeted == []


async def test_text_in_templates_never_pings(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, '/welcome message text:"Hi {member}! Ask <@mallory> or @everyone"')
        await h.join("chen")
        [post] = h.platform.sent_to("welcome")
        assert "<@mallory>" in post.message.text
        assert post.message.mentions == ("chen",)
        assert post.message.role_mentions == ()


async def test_a_returning_member_gets_the_back_message(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        events = recorder(h)
        await setup_welcome(h, '/welcome back-message text:"Look who is back: {member}!"')
        await h.command("bob", "/welcome greeter on")
        await h.join("chen")
        await h.wait(timedelta(minutes=20))
        await h.leave("chen")
        await h.wait(timedelta(hours=2))  # past the rejoin window: a real return
        h.platform.clear()
        await h.join("chen")
        [post] = h.platform.sent_to("welcome")
        assert post.message.text == "Look who is back: <@chen>!"
        assert post.message.mentions == ("chen",)  # no greeter for someone who knows the way
        assert h.platform.dms_to("chen") == []  # the back message is in the channel
        assert events.greeted == []  # nobody greeted anyone
        assert not await h.bot.cogs["welcome"].has_pending_reminder(h.community, "chen")


async def test_a_member_the_registry_knows_from_before_is_returning(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await h.join("chen")
        await h.wait(timedelta(minutes=30))
        await h.leave("chen")
        await h.bot.db.execute("DELETE FROM welcome_newcomers")  # as if welcome came later
        await setup_welcome(h)
        await h.wait(timedelta(minutes=30))
        await h.join("chen")
        [post] = h.platform.sent_to("welcome")
        assert post.message.text.startswith("Welcome back to Test Community, <@chen>!")


async def test_bots_joining_are_not_welcomed(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        events = recorder(h)
        await setup_welcome(h)
        await h.join("helperbot", is_bot=True)
        await h.wait(timedelta(minutes=5))
        assert h.platform.actions == []
        assert events.greeted == []
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_newcomers") == 0
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM timers") == 0


async def test_leaving_within_ten_minutes_removes_the_welcome(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h)
        await h.join("quick")
        [post] = h.platform.sent_to("welcome")
        await h.wait(timedelta(minutes=10))
        await h.leave("quick")
        [deleted] = h.platform.of_kind("delete")
        assert deleted.ref == post.ref
        assert not await h.bot.cogs["welcome"].has_pending_reminder(h.community, "quick")


async def test_leaving_after_eleven_minutes_keeps_the_welcome(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h)
        await h.join("slow")
        await h.wait(timedelta(minutes=11))
        await h.leave("slow")
        assert h.platform.of_kind("delete") == []


async def test_greeters_take_turns_skipping_who_left_and_who_just_greeted(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, "/welcome dm enabled:off")
        for greeter in ("ana", "bo", "cy"):
            await h.join(greeter)
            await h.command(greeter, "/welcome greeter on")
        await h.wait(timedelta(hours=1))
        await h.bot.db.execute(  # bo greeted someone 30 minutes ago
            "UPDATE welcome_greeters SET last_greeted_at = ? WHERE user_id = 'bo'",
            ((h.clock.now() - timedelta(minutes=30)).isoformat(timespec="microseconds"),),
        )
        await h.leave("ana")
        h.platform.clear()
        await h.join("n1")
        assert h.platform.sent_to("welcome")[-1].message.mentions == ("n1", "cy")
        await h.join("n2")  # cy just greeted, bo is resting, ana left: nobody
        assert h.platform.sent_to("welcome")[-1].message.mentions == ("n2",)
        await h.wait(timedelta(minutes=45))
        await h.join("n3")  # bo has rested an hour now
        assert h.platform.sent_to("welcome")[-1].message.mentions == ("n3", "bo")
        await h.wait(timedelta(hours=1))
        await h.join("ana")  # ana is back (and is not her own greeter)
        await h.join("n4")
        assert h.platform.sent_to("welcome")[-1].message.mentions == ("n4", "ana")
        await h.join("n5")
        assert h.platform.sent_to("welcome")[-1].message.mentions == ("n5", "cy")


async def test_newcomers_joining_at_the_same_moment_do_not_share_one_greeter(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, "/welcome dm enabled:off")
        for greeter in ("ana", "bo"):
            await h.join(greeter)
            await h.command(greeter, "/welcome greeter on")
        h.platform.clear()
        await asyncio.gather(h.join("n1"), h.join("n2"), h.join("n3"))
        greeters = sorted(p.message.mentions[1:] for p in h.platform.sent_to("welcome"))
        assert greeters == [(), (), ("bo",)]  # ana just greeted bo; bo's one turn, then rest


async def test_waves_edit_the_welcome_once_per_person(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h)
        await h.join("chen")
        [post] = h.platform.sent_to("welcome")
        dms_before = len(h.platform.dms_to("chen"))
        reply = await h.press_button("bob", post, "Wave")
        assert reply.private and "You waved at <@chen>" in reply.message.text
        [edit] = h.platform.of_kind("edit")
        assert edit.ref == post.ref
        assert edit.message.text.endswith("👋 waved: bob")
        assert edit.message.mentions == post.message.mentions
        assert [b.label for b in edit.message.buttons] == ["👋 Wave"]
        reply = await h.press_button("bob", post, "Wave")
        assert reply.private and "already waved" in reply.message.text
        assert len(h.platform.of_kind("edit")) == 1
        await h.press_button("محمد", post, "Wave")
        await h.press_button("ნინო", post, "Wave")
        last = h.platform.of_kind("edit")[-1]
        assert last.message.text.endswith("👋 waved: bob, \u2068محمد\u2069, ნინო")
        reply = await h.press_button("chen", post, "Wave")
        assert reply.private and "This welcome is for you" in reply.message.text
        assert len(h.platform.of_kind("edit")) == 3
        assert len(h.platform.dms_to("chen")) == dms_before  # no DM per wave


async def test_a_removed_welcome_cannot_be_waved_at(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h)
        await h.join("quick")
        [post] = h.platform.sent_to("welcome")
        await h.leave("quick")
        reply = await h.press_button("bob", post, "Wave")
        assert reply.private and "no longer around" in reply.message.text
        assert h.platform.of_kind("edit") == []


async def test_welcome_test_runs_the_flow_without_recording_a_join(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        events = recorder(h)
        await setup_welcome(h, '/welcome steps add channel:#introductions text:"Say hi"')
        await h.command("bob", "/welcome greeter on")
        reply = await h.command("maria", "/welcome test")
        assert reply.private
        assert "welcome posted in <#welcome>" in reply.message.text
        assert "direct message sent" in reply.message.text
        [post] = h.platform.sent_to("welcome")
        assert post.message.text.startswith("Welcome to Test Community, <@maria>!")
        assert "<@bob> is one of our greeters" in post.message.text
        assert post.message.mentions == ("maria",)  # the greeter is not pinged by a test
        assert "test run" in post.message.footer
        assert len(h.platform.dms_to("maria")) == 1
        assert await h.bot.members.get(h.community, "maria") is None
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_newcomers") == 0
        assert await h.bot.db.fetch_value("SELECT last_greeted_at FROM welcome_greeters") is None
        assert not await h.bot.cogs["welcome"].has_pending_reminder(h.community, "maria")
        assert events.greeted == []
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM timers") == 0


class SystemChannelPlatform(RecordingPlatform):
    """A platform that, like Discord, has a default channel and can find channels by name."""

    def default_welcome_channel(self, community):
        return "system"

    async def find_channel(self, community, name):
        return {"rules": "C42"}.get(name)


async def test_the_platform_default_channel_is_used_until_moderators_choose_one(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], platform=SystemChannelPlatform()) as h:
        h.moderators.add("maria")
        await h.command(
            "maria", '/welcome message text:"Hi {member}, read {channel:rules} and {channel:faq}"'
        )
        await h.join("chen")
        [post] = h.platform.sent_to("system")
        assert post.message.text == "Hi <@chen>, read <#C42> and #faq"
        await h.command("maria", "/welcome channel channel:#lobby")
        await h.join("dana")
        assert len(h.platform.sent_to("lobby")) == 1
        assert len(h.platform.sent_to("system")) == 1


async def test_without_any_channel_the_newcomer_still_gets_the_dm(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await h.join("chen")
        assert h.platform.of_kind("send") == []
        assert len(h.platform.dms_to("chen")) == 1


class Glossary(Cog):
    """Stands in for the glossary cog's ``top_terms`` (that cog does not exist yet)."""

    name = "glossary"

    async def top_terms(self, community, n):
        return ["LGTM", "יאללה", "καφές", "bikeshed", "yak", "ship it"][:n]


async def test_the_welcome_lists_the_glossary_top_terms_when_there_is_a_glossary(tmp_path):
    async with make_harness(
        tmp_path,
        cogs=["welcome"],
        sections={"welcome": {"glossary_terms": 3}},
        extra_cogs=[Glossary],
    ) as h:
        await setup_welcome(h)
        await h.join("chen")
        [post] = h.platform.sent_to("welcome")
        fields = {f.name: f.value for f in post.message.fields}
        assert fields["Words you'll hear here"] == "LGTM, יאללה, καφές"


async def test_without_a_channel_a_returning_member_gets_the_back_message_by_dm(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await h.join("chen")
        await h.wait(timedelta(minutes=30))
        await h.leave("chen")
        await h.wait(timedelta(hours=2))
        await h.join("chen")
        first, again = h.platform.dms_to("chen")
        assert first.text.startswith("Hi <@chen>, welcome")
        assert again.text.startswith("Welcome back to Test Community, <@chen>!")
        assert again.message.fields == ()  # no first steps for someone who knows the way


async def test_welcome_test_says_what_could_not_be_delivered(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h)
        h.platform.refuse["dm"] = PlatformError("DMs closed")
        h.platform.refuse["send"] = PlatformError("no access")
        reply = await h.command("maria", "/welcome test")
        assert reply.private
        assert "could not be posted in <#welcome>" in reply.message.text
        assert "direct message could not be delivered" in reply.message.text
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_posts") == 0
        await h.command("maria", "/welcome dm enabled:off")
        await h.bot.settings_for("welcome").update(h.community, h.clock.now(), channel="")
        reply = await h.command("maria", "/welcome test")
        assert "nothing was sent" in reply.message.text
