"""Profiles, leaderboards, history, settings, the weekly spotlight, privacy and the playground."""

from datetime import timedelta

from bot.core_cog import export, forget
from bot.events import QuestionAnswered
from bot.platforms.playground import run_playground
from tests.harness import PLAYGROUND_START, harness_config, make_harness


async def settle(h):
    """Let the kudos flush run: confirmations follow it by a few seconds."""
    await h.wait(timedelta(seconds=5))


NO_SLOW_FLUSH = {"hearth": {"cogs": ["recognition"], "flush_seconds": 3600}}


def harness(tmp_path):
    return make_harness(tmp_path, cogs=["recognition"], sections=NO_SLOW_FLUSH)


def restart(h):
    """``restarted(h)``, keeping the slow member flush so long waits stay quick."""
    return make_harness(
        h.database.parent,
        cogs=["recognition"],
        sections=NO_SLOW_FLUSH,
        clock=h.clock,
        platform=h.platform,
        database=h.database,
    )


async def setup_people(h, *people):
    h.moderators.add("maria")
    for person in ("maria", *people):
        await h.join(person)


async def answered(h, responder, question):
    await h.bot.emit(
        QuestionAnswered(
            community=h.community,
            at=h.clock.now(),
            question=question,
            channel="help",
            asker="asker",
            responder=responder,
            response_seconds=60.0,
        )
    )


def fields(message):
    return {f.name: f.value for f in message.fields}


# --- profile and boards -----------------------------------------------------------------


async def test_profile_shows_points_by_kind_kudos_roles_tenure_and_missions(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob", "carol")
        await h.command("maria", "/recognition role add role:@Helper metric:answers threshold:1")
        await h.wait(timedelta(days=12))
        await answered(h, "bob", "q1")
        await h.command("alice", "/kudos @bob for the review")
        await h.act("carol", "Give kudos", "bob")
        reply = await h.command("carol", "/recognition profile person:@bob")
        assert not reply.private
        assert reply.message.text == "⭐ Recognition for <@bob>"
        assert reply.message.mentions == ()
        assert fields(reply.message) == {
            "Points": "7 (7 in the last 30 days)",
            "In the community": "12 days",
            "Earned from": "Kudos received: 2 (4 points)\nQuestions answered: 1 (3 points)",
            "Roles": "<@&Helper>",
            "Missions": "contributed 0 times, 0 completed",
            "Recent kudos": "from <@carol>\nfrom <@alice>: “for the review”",
        }
        mine = await h.command("alice", "/recognition profile")
        assert mine.message.text == "⭐ Recognition for <@alice>"
        assert fields(mine.message)["Points"] == "0 (0 in the last 30 days)"
        unknown = await h.command("alice", "/recognition profile person:@ghost")
        assert unknown.private and "don't know <@ghost>" in unknown.message.text


async def test_leaderboard_shows_the_top_and_rising_newcomers_separately(tmp_path):
    async with harness(tmp_path) as h:
        veterans = [f"v{i:02}" for i in range(11)]
        await setup_people(h, *veterans)
        await h.wait(timedelta(days=31))
        for number, person in enumerate(veterans):
            await answered(h, person, f"old-{number}")
            await answered(h, person, f"old-{number}b")
        await h.join("nina")
        await answered(h, "nina", "new-1")
        reply = await h.command("nina", "/recognition leaderboard")
        assert not reply.private and reply.message.mentions == ()
        board = fields(reply.message)
        top = board["Top helpers"].splitlines()
        assert len(top) == 10 and top[0] == "1. <@v00>: 6 points"
        assert "nina" not in board["Top helpers"]
        assert board["Rising newcomers (joined in the last 30 days)"] == "1. <@nina>: 3 points"


async def test_leaderboard_periods(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob", "carol")
        await answered(h, "bob", "q1")
        await h.wait(timedelta(days=10))
        await answered(h, "carol", "q2")
        week = fields((await h.command("bob", "/recognition leaderboard period:week")).message)
        assert week["Top helpers"] == "1. <@carol>: 3 points"
        await h.wait(timedelta(minutes=1))  # the public cooldown
        every = await h.command("bob", "/recognition leaderboard period:all")
        assert every.message.title == "🏆 Leaderboard: all time"
        assert fields(every.message)["Top helpers"] == "1. <@bob>: 3 points\n2. <@carol>: 3 points"
        bad = await h.command("bob", "/recognition leaderboard period:year")
        assert bad.private and "week, month, all" in bad.message.text


async def test_people_who_left_are_not_on_the_board(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob", "carol")
        await answered(h, "bob", "q1")
        await answered(h, "carol", "q2")
        await h.leave("bob")
        board = fields((await h.command("carol", "/recognition leaderboard")).message)
        assert board["Top helpers"] == "1. <@carol>: 3 points"


async def test_history_is_for_moderators_and_shows_uncounted_loops(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob", "carol")
        await h.command("alice", "/kudos @bob nice fix")
        await h.command("bob", "/kudos @alice you too")
        await h.say("carol", "general", "thanks <@alice>", mentions=("alice",))
        await settle(h)
        refused = await h.command("alice", "/recognition history")
        assert refused.private and "Only moderators" in refused.message.text
        reply = await h.command("maria", "/recognition history")
        assert reply.private and reply.message.mentions == ()
        assert reply.message.text.splitlines() == [
            "`2026-03-02 09:00` <@carol> → <@alice> (thanks in chat): “thanks <@alice>”",
            "`2026-03-02 09:00` <@bob> → <@alice> (/kudos): “you too” (thank-for-thank, not counted)",
            "`2026-03-02 09:00` <@alice> → <@bob> (/kudos): “nice fix”",
        ]
        only_bob = await h.command("maria", "/recognition history person:@bob")
        assert len(only_bob.message.text.splitlines()) == 2


# --- settings -----------------------------------------------------------------------------


async def test_thank_you_phrases_can_be_added_and_removed(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob", "carol")
        reply = await h.command("maria", '/recognition settings thanks-add:"cheers mate"')
        assert reply.message.text == "✅ Saved."
        assert fields(reply.message)["Thank-you phrases"].endswith("მადლობა, cheers mate")
        await h.command("maria", "/recognition settings thanks-remove:thanks")
        await h.say("alice", "general", "thanks <@bob>", mentions=("bob",))
        await settle(h)
        await h.say("alice", "general", "Cheers mate <@carol>", mentions=("carol",))
        await settle(h)
        rows = await h.bot.db.fetch_all("SELECT receiver FROM recognition_kudos")
        assert [r[0] for r in rows] == ["carol"]


async def test_bad_settings_are_refused_and_change_nothing(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice")
        before = fields((await h.command("maria", "/recognition settings")).message)
        cases = {
            '/recognition settings emoji:"two words"': "is not an emoji",
            "/recognition settings emoji:hello!": "is not an emoji",
            "/recognition settings thanks-add:THX": "already a thank-you phrase",
            "/recognition settings thanks-add:!!!": "no words to look for",
            "/recognition settings thanks-remove:cheers": "Phrases: thanks, thank you",
            "/recognition settings weight:answer": "Give `weight` and `points` together",
            "/recognition settings points:4": "Give `weight` and `points` together",
            "/recognition settings weight:karma points:4": "must be one of: kudos, answer",
            "/recognition settings spotlight:#wins clear:spotlight": "set and cleared",
            "/recognition settings allowance:0": "`allowance` must be a whole number 1–100",
            "/recognition settings preset:lenient": "relaxed, standard, strict",
            "/recognition settings cooldown:soon": "must be a duration",
            "/recognition settings preset:strict emoji:nope!": "is not an emoji",
        }
        for line, expected in cases.items():
            reply = await h.command("maria", line)
            assert reply.private and expected in reply.message.text, line
        member = await h.command("alice", "/recognition settings preset:relaxed")
        assert "Only moderators" in member.message.text
        after = fields((await h.command("maria", "/recognition settings")).message)
        assert after == before
        assert await h.bot.db.fetch_all("SELECT * FROM community_settings") == []


async def test_settings_survive_a_restart(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob")
        await h.command(
            "maria", "/recognition settings cooldown:2h allowance:5 loop-window:1h confirm:reply"
        )
    async with restart(h) as again:
        again.moderators.add("maria")
        shown = fields((await again.command("maria", "/recognition settings")).message)
        assert shown["Limits"] == (
            "custom: one kudos per person every 2h, 5 kudos a day, thank-for-thank window 1h,"
            " at most 3 kudos from one person to another count per week"
        )
        assert shown["Confirm with"] == "reply"


# --- weekly spotlight -------------------------------------------------------------------------


async def test_weekly_spotlight_names_the_most_thanked_once(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob", "carol", "dave")
        await h.command("maria", "/recognition settings spotlight:#wins")
        await h.command("alice", "/kudos @bob fixed the login bug")
        await h.say("carol", "general", "thank you <@bob>", mentions=("bob",))
        await settle(h)
        await h.command("bob", "/kudos @dave")
        await h.wait(timedelta(hours=2))  # Monday 10:00
        [post] = h.platform.sent_to("wins")
        assert post.message.title == "🌟 Weekly spotlight"
        assert post.text.splitlines() == [
            "The people you thanked most this week:",
            "<@bob> (🙏 2): “thank you <@bob>”",
            "<@dave> (🙏 1)",
        ]
        assert post.message.mentions == ()
    async with restart(h) as again:
        # A spotlight timer run twice for the same week (cut off by a crash) posts once.
        sent_at = h.clock.now() - timedelta(hours=1)
        await again.bot.timers.schedule(
            again.community, "recognition", "spotlight", sent_at, now=again.clock.now(), key="x"
        )
        await again.command("alice", "/kudos @carol next week")
        await again.wait(timedelta(days=7))
        posts = again.platform.sent_to("wins")
        assert [p.text.splitlines()[1] for p in posts] == [
            "<@bob> (🙏 2): “thank you <@bob>”",
            "<@carol> (🙏 1): “next week”",
        ]


async def test_the_spotlight_stops_when_its_channel_is_cleared(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob")
        await h.command("maria", "/recognition settings spotlight:#wins")
        pending = await h.bot.timers.pending(h.community, "recognition", "spotlight", "weekly")
        assert pending is not None
        await h.command("maria", "/recognition settings clear:spotlight")
        assert await h.bot.timers.pending(h.community, "recognition", "spotlight", "weekly") is None
        await h.command("alice", "/kudos @bob thanks")
        await h.wait(timedelta(days=8))
        assert h.platform.sent_to("wins") == []


async def test_top_thanked_is_there_for_a_digest(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob", "carol")
        await h.command("alice", "/kudos @bob one")
        await h.command("carol", "/kudos @bob two")
        await h.command("bob", "/kudos @carol three")
        cog = h.bot.cogs["recognition"]
        now = h.clock.now()
        top = await cog.top_thanked(h.community, now - timedelta(days=7), now + timedelta(1), 1)
        assert [(t.user, t.count, t.reason) for t in top] == [("bob", 2, "two")]


# --- hot path, privacy, playground -------------------------------------------------------------


async def test_active_days_are_buffered_and_flushed_in_one_go(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob")
        for _ in range(20):
            await h.say("alice", "general", "chatting away")
        await h.say("bob", "general", "me too")
        count = "SELECT COUNT(*) FROM recognition_active_days"
        assert await h.bot.db.fetch_value(count) == 0  # nothing written per message
        await h.wait(timedelta(minutes=15))
        assert await h.bot.db.fetch_value(count) == 2
        await h.say("bob", "general", "late")
        await h.wait(timedelta(days=1))
        await h.say("bob", "general", "a new day")
    async with restart(h) as again:  # closing flushed the buffer
        assert await again.bot.db.fetch_value(count) == 3


async def test_forget_me_and_export(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob", "carol")
        await h.command("maria", "/recognition role add role:@Thanked metric:kudos threshold:1")
        await h.command("alice", "/kudos @bob thanks")
        await h.command("bob", "/kudos @carol thanks")
        data = (await export(h.bot, h.community, "bob"))["recognition"]
        assert [k["giver"] for k in data["kudos_received"]] == ["alice"]
        assert [k["receiver"] for k in data["kudos_given"]] == ["carol"]
        assert data["points"][0]["kind"] == "kudos"
        assert data["roles"][0]["role"] == "Thanked"
        await forget(h.bot, h.community, "bob")
        mentions_bob = await h.bot.db.fetch_value(
            "SELECT COUNT(*) FROM recognition_kudos WHERE giver = 'bob' OR receiver = 'bob'"
        )
        assert mentions_bob == 0
        for table in ("recognition_ledger", "recognition_grants"):
            rows = await h.bot.db.fetch_all(f"SELECT * FROM {table} WHERE user_id = 'bob'")
            assert rows == [], table
        carol = await h.bot.db.fetch_value(
            "SELECT SUM(amount) FROM recognition_ledger WHERE user_id = 'carol'"
        )
        assert carol == 2  # what carol earned stays, without the giver


async def test_playground_script(tmp_path):
    out: list[str] = []
    script = [
        "as maria --moderator",
        "join",
        "/recognition role add role:@Helper metric:kudos threshold:2",
        "as bob",
        "join",
        "say #general I fixed the build",
        "as alice",
        "join",
        "say #general thanks @bob!",
        "as carol",
        "join",
        "/kudos @bob for the review",
        "/recognition leaderboard",
    ]
    errors = await run_playground(
        harness_config(["recognition"]),
        tmp_path / "pg.db",
        fresh=True,
        start=PLAYGROUND_START,
        script=script,
        write=out.append,
    )
    assert errors == 0
    transcript = "\n".join(out)
    assert "[react m3] 🙌" in transcript
    assert "[role] bob +Helper" in transcript
    assert "🎉 @bob is now @Helper: 2 kudos!" in transcript
    assert "⭐ @carol gave kudos to @bob: “for the review”" in transcript
    assert "Top helpers: 1. @bob: 4 points" in transcript
