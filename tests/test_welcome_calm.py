"""Raids and loops stay calm (issue 20, item 4): a burst of joins shares one batched
welcome, welcome DMs are paced (none dropped), a rejoin soon after leaving continues the
first onboarding quietly, and steps tick for returning members too."""

from datetime import timedelta

from tests.harness import make_harness

INTRO = '/welcome steps add channel:#introductions text:"Introduce yourself"'


async def setup_welcome(h, *lines):
    h.moderators.add("maria")
    for line in ("/welcome channel channel:#welcome", *lines):
        reply = await h.command("maria", line)
        assert "✅" in reply.message.text, reply.message.text


async def test_twenty_joins_in_a_minute_get_ten_welcomes_and_one_batched_welcome(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h)
        people = [f"p{n:02d}" for n in range(20)]
        for n, person in enumerate(people):
            await h.wait(timedelta(seconds=3 if n else 0))
            await h.join(person)  # the last joins 57 seconds after the first
        posts = h.platform.sent_to("welcome")
        assert [p.message.mentions for p in posts] == [(p,) for p in people[:10]]
        assert len(h.platform.of_kind("dm")) == 10  # the minute's DMs; the rest wait
        await h.wait(timedelta(minutes=1))
        posts = h.platform.sent_to("welcome")
        assert len(posts) == 11
        batch = posts[-1].message
        assert batch.text.startswith(
            "Welcome to Test Community, <@p10>, <@p11>, <@p12> and 7 others! 👋"
        )
        assert batch.mentions == ("p10", "p11", "p12")
        dms = h.platform.of_kind("dm")
        assert sorted(dm.user for dm in dms) == people  # every newcomer, once: none dropped
        held = await h.bot.db.fetch_value(
            "SELECT COUNT(*) FROM welcome_newcomers WHERE held_at IS NOT NULL"
        )
        assert held == 0


async def test_dms_never_exceed_the_limit_in_any_minute(tmp_path):
    sections = {"welcome": {"dms_per_minute": 3, "burst_joins": 100}}
    async with make_harness(tmp_path, cogs=["welcome"], sections=sections) as h:
        await setup_welcome(h)
        for n in range(7):
            await h.join(f"p{n}")
        assert len(h.platform.of_kind("dm")) == 3
        await h.wait(timedelta(seconds=59))
        assert len(h.platform.of_kind("dm")) == 3
        await h.wait(timedelta(seconds=1))
        assert len(h.platform.of_kind("dm")) == 6
        await h.wait(timedelta(minutes=1))
        assert [dm.user for dm in h.platform.of_kind("dm")] == [f"p{n}" for n in range(7)]
        assert len(h.platform.sent_to("welcome")) == 7  # under the burst limit: one each


async def test_a_batched_welcome_leaves_out_who_already_left(tmp_path):
    sections = {"welcome": {"burst_joins": 1, "dm_enabled": False}}
    async with make_harness(tmp_path, cogs=["welcome"], sections=sections) as h:
        await setup_welcome(h)
        for person in ("ann", "ben", "cat", "dan"):
            await h.join(person)
        await h.leave("cat")
        await h.wait(timedelta(minutes=1))
        first, batch = h.platform.sent_to("welcome")
        assert first.message.mentions == ("ann",)
        assert batch.text.startswith("Welcome to Test Community, <@ben> and <@dan>!")


async def test_a_quick_rejoin_continues_the_onboarding_without_a_new_welcome(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, INTRO)
        await h.join("chen")
        await h.wait(timedelta(seconds=20))
        await h.leave("chen")  # a slip: the welcome goes (left within ten minutes)
        await h.wait(timedelta(seconds=30))
        h.platform.clear()
        await h.join("chen")
        assert h.platform.sent_to("welcome") == [] and h.platform.dms_to("chen") == []
        welcome = h.bot.cogs["welcome"]
        assert await welcome.has_pending_reminder(h.community, "chen")
        await h.say("chen", "introductions", "hi, I'm Chen")
        progress = await h.command("chen", "/welcome progress")
        assert progress.message.text == "✅ 1. Introduce yourself"
        assert not await welcome.has_pending_reminder(h.community, "chen")


async def test_a_join_leave_loop_posts_no_welcome_back(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h)
        await h.join("loop")
        await h.wait(timedelta(minutes=15))  # past the removal window: the welcome stays
        for _ in range(5):
            await h.leave("loop")
            await h.wait(timedelta(seconds=10))
            await h.join("loop")
            await h.wait(timedelta(seconds=10))
        [post] = h.platform.sent_to("welcome")
        assert post.message.text.startswith("Welcome to Test Community, <@loop>!")
        assert len(h.platform.dms_to("loop")) == 1


async def test_a_rejoin_after_the_window_is_welcomed_back_and_the_window_is_a_setting(tmp_path):
    sections = {"welcome": {"rejoin_window": "5m"}}
    async with make_harness(tmp_path, cogs=["welcome"], sections=sections) as h:
        await setup_welcome(h)
        await h.join("chen")
        await h.wait(timedelta(minutes=20))
        await h.leave("chen")
        await h.wait(timedelta(minutes=6))
        await h.join("chen")
        _, back = h.platform.sent_to("welcome")
        assert back.text.startswith("Welcome back to Test Community, <@chen>!")


async def test_steps_tick_for_returning_members_too(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, INTRO)
        await h.join("chen")
        await h.wait(timedelta(minutes=20))
        await h.leave("chen")
        await h.wait(timedelta(hours=2))
        await h.join("chen")
        assert h.platform.sent_to("welcome")[-1].text.startswith("Welcome back")
        await h.say("chen", "introductions", "hello again")
        progress = await h.command("chen", "/welcome progress")
        assert progress.message.text == "✅ 1. Introduce yourself"
