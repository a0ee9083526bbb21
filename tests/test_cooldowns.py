"""Public answers have a cooldown per person and command, empty answers are private, and
"Show to channel" posts once per definition shown (issue 20, item 5)."""

from datetime import timedelta

from tests.harness import make_harness

CREATE = (
    '/mission create name:"Answer 10" goal:"Answer 10 questions" target:10 unit:answers'
    " deadline:7d channel:#missions"
)


async def with_mission(h) -> None:
    h.moderators.add("maria")
    reply = await h.command("maria", CREATE)
    assert "✅" in reply.message.text, reply.message.text


async def test_a_public_answer_waits_a_minute_per_person_and_command(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        await with_mission(h)
        first = await h.command("bob", "/mission status")
        assert not first.private and first.message.title
        again = await h.command("bob", "/mission status")
        assert again.private
        assert again.message.text == (
            "⏳ You posted `/mission status` here a moment ago. To keep the channel calm,"
            " you can post it again in 1m."
        )
        # Another command, and another person, are not held back.
        assert not (await h.command("bob", "/mission list")).private
        assert not (await h.command("chen", "/mission status")).private
        await h.wait(timedelta(seconds=45))
        later = await h.command("bob", "/mission status")
        assert later.private and "again in 15s" in later.message.text
        await h.wait(timedelta(seconds=15))
        assert not (await h.command("bob", "/mission status")).private


async def test_the_cooldown_is_a_setting_and_kudos_are_not_held_back(tmp_path):
    sections = {"hearth": {"public_cooldown": "5m"}}
    async with make_harness(tmp_path, cogs=["missions", "recognition"], sections=sections) as h:
        await with_mission(h)
        await h.say("bob", "general", "hello")
        await h.say("chen", "general", "hello")
        await h.say("dana", "general", "hello")
        assert not (await h.command("bob", "/mission list")).private
        await h.wait(timedelta(minutes=4))
        assert "again in 1m" in (await h.command("bob", "/mission list")).message.text
        first = await h.command("bob", "/kudos person:@chen reason:help")
        second = await h.command("bob", "/kudos person:@dana reason:help")
        assert not first.private and not second.private, second.message.text


async def test_empty_answers_are_private_and_start_no_cooldown(tmp_path):
    async with make_harness(tmp_path, cogs=["missions", "recognition"]) as h:
        listing = await h.command("bob", "/mission list")
        assert listing.private and "no missions" in listing.message.text.casefold()
        board = await h.command("bob", "/recognition leaderboard")
        assert board.private
        await with_mission(h)
        empty_board = await h.command("bob", "/mission leaderboard")
        assert empty_board.private and "Answer 10" in empty_board.message.text
        assert not (await h.command("bob", "/mission list")).private  # no cooldown started


async def test_show_to_channel_posts_once_per_definition(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        added = await h.command("alice", '/glossary add term:"PR" definition:"pull request"')
        assert "✅" in added.message.text
        define = await h.command("bob", "/glossary define term:PR", channel="dev")
        ref = await h.bot.send(h.community, "dev", define.message)  # as the adapter shows it
        show = define.message.buttons[0]
        h.platform.clear()
        first = await h.press("bob", ref, show.action, show.value)
        assert first.message.text == "📣 Shared **PR** in <#dev>."
        second = await h.press("bob", ref, show.action, show.value)
        assert second.private
        assert second.message.text == "**PR** was already shared in <#dev> from this message."
        other = await h.press("chen", ref, show.action, show.value)  # the same message
        assert other.private and "already shared" in other.message.text
        assert len(h.platform.sent_to("dev")) == 1
        # A fresh definition within the minute is held back by bob's cooldown…
        define = await h.command("bob", "/glossary define term:PR", channel="dev")
        ref = await h.bot.send(h.community, "dev", define.message)
        held = await h.press("bob", ref, show.action, show.value)
        assert held.private and "again in 1m" in held.message.text
        # …and goes once the minute has passed.
        await h.wait(timedelta(minutes=1))
        shared = await h.press("bob", ref, show.action, show.value)
        assert shared.message.text == "📣 Shared **PR** in <#dev>."
        assert len(h.platform.sent_to("dev")) == 3  # two definitions shown (the bot.send above)
