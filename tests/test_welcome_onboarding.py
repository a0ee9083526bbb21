"""Onboarding after the welcome: steps tick themselves from posts, the one reminder (also
across restarts), what a nudges cog can ask, and forgetting and exporting a person."""

from datetime import timedelta

from tests.harness import make_harness, restarted

INTRO_STEP = '/welcome steps add channel:#introductions text:"Introduce yourself"'


async def setup_welcome(h, *lines):
    h.moderators.add("maria")
    for line in ("/welcome channel channel:#welcome", *lines):
        reply = await h.command("maria", line)
        assert "✅" in reply.message.text, reply.message.text


def reminders(h, user):
    """DMs to ``user`` other than the welcome DM."""
    return [a for a in h.platform.dms_to(user) if "gentle hello" in a.text]


async def test_posting_in_the_step_channel_ticks_the_step(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, INTRO_STEP, '/welcome steps add text:"Read the rules"')
        await h.join("chen")
        await h.say("chen", "general", "hello!")
        reply = await h.command("chen", "/welcome progress")
        assert reply.message.text.splitlines()[0].startswith("⬜ 1. Introduce yourself")
        await h.say("chen", "introductions", "Hi, I'm Chen — I make maps 🗺️", thread="t1")
        reply = await h.command("chen", "/welcome progress")
        assert reply.private
        assert reply.message.text.splitlines() == [
            "✅ 1. Introduce yourself",
            "⬜ 2. Read the rules (tick it with `/welcome done number:2`)",
        ]
        await h.command("chen", "/welcome done number:2")
        reply = await h.command("chen", "/welcome progress")
        assert reply.message.footer == "All done: welcome aboard! 🎉"


async def test_steps_tick_from_buffered_posts_written_by_the_flush_job(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, INTRO_STEP)
        await h.join("chen")
        await h.say("chen", "introductions", "hello")
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_progress") == 0
        await h.wait(timedelta(seconds=61))
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_progress") == 1
        posted = await h.bot.db.fetch_value("SELECT posted_at FROM welcome_newcomers")
        assert posted is not None


async def test_old_members_and_bots_do_not_tick_steps(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, INTRO_STEP)
        await h.say("oldtimer", "introductions", "I was here before the bot")
        await h.join("chen")
        await h.say("chen", "introductions", "bot says hi", is_bot=True)
        await h.bot.cogs["welcome"].flush()
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_progress") == 0


async def test_one_reminder_after_a_day_and_never_a_second(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, INTRO_STEP)
        await h.join("quiet")
        assert len(h.platform.dms_to("quiet")) == 1  # the welcome DM
        await h.wait(timedelta(hours=23, minutes=59))
        assert reminders(h, "quiet") == []
        await h.wait(timedelta(minutes=2))
        [reminder] = reminders(h, "quiet")
        assert "Hi <@quiet>!" in reminder.text
        assert [f.value for f in reminder.message.fields] == [
            "⬜ 1. Introduce yourself (post in <#introductions>)"
        ]
        welcome = h.bot.cogs["welcome"]
        assert await welcome.reminder_sent(h.community, "quiet")
        assert not await welcome.has_pending_reminder(h.community, "quiet")
        await h.leave("quiet")
        await h.wait(timedelta(minutes=30))
        await h.join("quiet")  # coming back does not earn a second reminder
        assert not await welcome.has_pending_reminder(h.community, "quiet")
        await h.wait(timedelta(hours=1))
        assert len(reminders(h, "quiet")) == 1
        pending = await h.bot.db.fetch_value("SELECT COUNT(*) FROM timers WHERE state = 'pending'")
        assert pending == 0


async def test_the_reminder_survives_a_restart_and_is_sent_once(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h)
        await h.join("quiet")
        await h.wait(timedelta(hours=1))
    async with restarted(h) as again:
        await again.wait(timedelta(hours=22, minutes=59))
        assert reminders(again, "quiet") == []
        await again.wait(timedelta(minutes=2))
        assert len(reminders(again, "quiet")) == 1
        # A crash right after sending leaves the timer "running": it is run again at start.
        await again.bot.db.execute("UPDATE timers SET state = 'running' WHERE kind = 'reminder'")
    async with restarted(again) as third:
        await third.wait(timedelta(minutes=5))
        assert len(reminders(third, "quiet")) == 1
        state = await third.bot.db.fetch_value("SELECT state FROM timers WHERE kind = 'reminder'")
        assert state == "done"


async def test_no_reminder_for_a_newcomer_who_posted(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, "/welcome reminder after:2h")  # the same timer as 24h, sooner
        await h.join("chatty")
        await h.join("late")
        await h.wait(timedelta(minutes=30))
        await h.say("chatty", "general", "hi all!")
        await h.wait(timedelta(minutes=2))  # the flush job cancels the timer
        welcome = h.bot.cogs["welcome"]
        assert not await welcome.has_pending_reminder(h.community, "chatty")
        assert await welcome.has_pending_reminder(h.community, "late")
        await h.wait(timedelta(hours=1, minutes=27, seconds=55))
        await h.say("late", "help", "how do I…?")  # seconds before the reminder, unflushed
        await h.wait(timedelta(hours=1))
        assert reminders(h, "chatty") == []
        assert reminders(h, "late") == []
        assert not await welcome.reminder_sent(h.community, "late")


async def test_no_reminder_for_someone_who_left(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, "/welcome reminder after:2h")
        await h.join("gone")
        await h.wait(timedelta(hours=1))
        await h.leave("gone")
        await h.wait(timedelta(hours=2))
        assert reminders(h, "gone") == []


async def test_export_and_forget_a_person(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await setup_welcome(h, INTRO_STEP)
        await h.command("bob", "/welcome greeter on")
        await h.join("chen")
        await h.say("chen", "introductions", "hello")
        [post] = h.platform.sent_to("welcome")
        await h.press_button("chen", post, "Wave")
        await h.join("dana")
        dana_post = h.platform.sent_to("welcome")[-1]
        await h.press_button("chen", dana_post, "Wave")
        await h.press_button("bob", dana_post, "Wave")
        welcome = h.bot.cogs["welcome"]
        await welcome.flush()
        data = await welcome.export_user_data(h.community, "chen")
        assert data["joined"]["greeter"] == "bob"
        assert [s["step"] for s in data["onboarding_steps_done"]] == ["Introduce yourself"]
        assert [w["welcomed"] for w in data["waves"]] == ["dana"]
        assert data["greeter"] is None
        assert [(g["newcomer"], g["greeter"], g["how"]) for g in data["greetings"]] == [
            ("dana", "chen", "wave")
        ]
        assert data["pending_reminder_at"] is None  # chen posted
        dana = await welcome.export_user_data(h.community, "dana")
        assert dana["pending_reminder_at"] is not None
        bob = await welcome.export_user_data(h.community, "bob")
        assert bob["greeter"]["last_greeted_at"] is not None

        await welcome.delete_user_data(h.community, "chen")
        last = h.platform.of_kind("edit")[-1]
        assert last.ref == dana_post.ref
        assert last.text.endswith("👋 waved: bob")  # chen's name is off dana's welcome
        await welcome.delete_user_data(h.community, "dana")
        assert not await welcome.has_pending_reminder(h.community, "dana")
        for table in ("welcome_progress", "welcome_newcomers", "welcome_waves"):
            rows = await h.bot.db.fetch_value(
                f"SELECT COUNT(*) FROM {table} WHERE user_id IN ('chen', 'dana')"
            )
            assert rows == 0, table
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_posts") == 0
        assert (
            await h.bot.db.fetch_value(
                "SELECT COUNT(*) FROM welcome_greetings WHERE 'chen' IN (newcomer, greeter)"
                " OR 'dana' IN (newcomer, greeter)"
            )
            == 0
        )
        await welcome.delete_user_data(h.community, "bob")
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM welcome_greeters") == 0
        assert await welcome.export_user_data(h.community, "chen") == {
            "greeter": None,
            "onboarding_steps_done": [],
            "waves": [],
            "greetings": [],
            "pending_reminder_at": None,
        }
