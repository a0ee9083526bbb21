"""Points from other cogs' events, and recognition roles: grants, rolling removal, founding."""

import asyncio
from datetime import timedelta

from bot.errors import PlatformError
from bot.events import (
    MissionCompleted,
    MissionContributed,
    NewcomerGreeted,
    QuestionAnswered,
    QuestionSolved,
)
from tests.harness import make_harness

NO_SLOW_FLUSH = {"hearth": {"cogs": ["recognition"], "flush_seconds": 3600}}


def harness(tmp_path):
    return make_harness(tmp_path, cogs=["recognition"], sections=NO_SLOW_FLUSH)


async def setup_people(h, *people):
    h.moderators.add("maria")
    for person in ("maria", *people):
        await h.join(person)


async def answered(h, responder, question, channel="help"):
    await h.bot.emit(
        QuestionAnswered(
            community=h.community,
            at=h.clock.now(),
            question=question,
            channel=channel,
            asker="asker",
            responder=responder,
            response_seconds=60.0,
        )
    )


async def ledger(h, user):
    rows = await h.bot.db.fetch_all(
        "SELECT kind, amount FROM recognition_ledger WHERE user_id = ? ORDER BY id", (user,)
    )
    return [(r[0], r[1]) for r in rows]


async def tiers(h):
    return await h.bot.db.fetch_all("SELECT role FROM recognition_tiers")


def role_changes(h):
    return [(a.kind, a.user, a.role) for a in h.platform.actions if a.kind in ("role+", "role-")]


# --- points -----------------------------------------------------------------------------


async def test_points_from_answers_missions_and_greetings(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob", "carol")
        await h.join("robot", is_bot=True)
        at = h.clock.now
        await answered(h, "bob", "q1")
        await answered(h, "bob", "q1")  # the same event twice counts once
        await answered(h, "robot", "q2")  # bots earn nothing
        await h.bot.emit(
            QuestionSolved(
                community=h.community,
                at=at(),
                question="q1",
                channel="help",
                asker="carol",
                solver="carol",
                helper="bob",
            )
        )
        for _ in range(2):
            await h.bot.emit(
                MissionContributed(
                    community=h.community, at=at(), mission="m1", user="bob", amount=3
                )
            )
            await h.wait(timedelta(minutes=1))
        await h.bot.emit(
            MissionCompleted(
                community=h.community,
                at=at(),
                mission="m1",
                name="FAQ",
                contributors=("bob", "carol"),
            )
        )
        await h.bot.emit(
            NewcomerGreeted(community=h.community, at=at(), newcomer="dave", greeter="carol")
        )
        assert await ledger(h, "bob") == [
            ("answer", 3),
            ("accepted", 5),
            ("mission", 2),
            ("mission", 2),
            ("mission_completed", 5),
        ]
        assert await ledger(h, "carol") == [("mission_completed", 5), ("greeting", 2)]
        assert await ledger(h, "robot") == []


async def test_weights_are_configurable(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob")
        reply = await h.command("maria", "/recognition settings weight:answer points:10")
        assert "answer 10" in next(f.value for f in reply.message.fields if f.name == "Points")
        await answered(h, "bob", "q1")
        assert await ledger(h, "bob") == [("answer", 10)]


# --- roles ------------------------------------------------------------------------------


async def test_crossing_a_threshold_grants_the_role_once_and_announces_it_once(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob")
        reply = await h.command(
            "maria", "/recognition role add role:@Helper metric:answers threshold:2"
        )
        assert reply.message.text == (
            "✅ <@&Helper> now goes to everyone with 2 answers. People who have it now: 0."
        )
        await answered(h, "bob", "q1")
        assert role_changes(h) == []
        await answered(h, "bob", "q2")
        await answered(h, "bob", "q3")
        await h.wait(timedelta(days=2))  # the daily job re-evaluates everyone
        assert role_changes(h) == [("role+", "bob", "Helper")]
        [announcement] = h.platform.sent_to("help")  # where the answer was given
        assert announcement.text == "🎉 <@bob> is now <@&Helper>: 2 answers!"
        assert announcement.message.mentions == ("bob",)
        assert announcement.message.role_mentions == ()  # the role itself is not pinged


async def test_announcements_go_to_the_configured_channel(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob")
        await h.command("maria", "/recognition settings announce:#shoutouts")
        await h.command("maria", "/recognition role add role:@Thanked metric:kudos threshold:1")
        await h.command("alice", "/kudos @bob thanks", channel="random")
        [announcement] = h.platform.sent_to("shoutouts")
        assert announcement.text == "🎉 <@bob> is now <@&Thanked>: 1 kudos!"
        assert not h.platform.sent_to("random")


async def test_a_new_tier_reaches_everyone_who_already_qualifies(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob", "carol")
        for question in ("q1", "q2"):
            await answered(h, "bob", question)
        await answered(h, "carol", "q3")
        reply = await h.command(
            "maria", "/recognition role add role:@Helper metric:points threshold:6"
        )
        assert reply.message.text.endswith("People who have it now: 1.")
        assert role_changes(h) == [("role+", "bob", "Helper")]
        assert h.platform.sent_to("general") == []  # a moderator's command announces nowhere


async def test_a_rolling_role_is_removed_after_the_window_with_a_kind_note(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob")
        await h.command(
            "maria", "/recognition role add role:@Active metric:kudos threshold:1 window:7d"
        )
        await h.command("alice", "/kudos @bob thanks")
        assert role_changes(h) == [("role+", "bob", "Active")]
        await h.wait(timedelta(days=6))
        assert role_changes(h) == [("role+", "bob", "Active")]  # still inside the window
        await h.wait(timedelta(days=2))
        assert role_changes(h) == [("role+", "bob", "Active"), ("role-", "bob", "Active")]
        [note] = h.platform.dms_to("bob")
        assert note.text.startswith("Your <@&Active> role has been set aside for now")
        assert "1 kudos in the last 7 days" in note.text
        assert await h.bot.db.fetch_all("SELECT * FROM recognition_grants") == []
        await h.command("alice", "/kudos @bob welcome back")
        assert role_changes(h)[-1] == ("role+", "bob", "Active")


async def test_two_evaluations_at_once_tell_a_person_once_that_a_rolling_role_fell_off(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob")
        await h.command(
            "maria", "/recognition role add role:@Active metric:kudos threshold:1 window:7d"
        )
        await h.command("alice", "/kudos @bob thanks")
        await h.wait(timedelta(days=6, hours=4))  # Sunday 13:00, after that day's run
        h.clock.move(timedelta(days=1))  # past the window, without the daily run
        cog = h.bot.cogs["recognition"]
        await asyncio.gather(cog.daily(h.community), cog.daily(h.community))
        assert len(h.platform.dms_to("bob")) == 1
        assert await h.bot.db.fetch_all("SELECT * FROM recognition_grants") == []


async def test_active_days_and_tenure_tiers_follow_the_clock(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob")
        await h.command(
            "maria", "/recognition role add role:@Regular metric:active-days threshold:3 window:30d"
        )
        await h.command("maria", "/recognition role add role:@Veteran metric:tenure threshold:10")
        for _ in range(3):
            await h.say("bob", "general", "hello")
            await h.say("bob", "general", "again")  # one day counts once
            await h.wait(timedelta(days=1))
        assert ("role+", "bob", "Regular") in role_changes(h)
        days = await h.bot.db.fetch_value("SELECT COUNT(*) FROM recognition_active_days")
        assert days == 3
        assert ("role+", "bob", "Veteran") not in role_changes(h)
        await h.wait(timedelta(days=8))
        assert ("role+", "bob", "Veteran") in role_changes(h)
        assert ("role+", "maria", "Veteran") in role_changes(h)


async def test_founding_members_first_n(tmp_path):
    async with harness(tmp_path) as h:
        h.moderators.add("maria")
        for person in ("alice", "bob", "carol"):
            await h.join(person)
            await h.wait(timedelta(minutes=1))
        await h.join("robot", is_bot=True)
        reply = await h.command("maria", "/recognition founding role:@Founder first:4")
        assert "one of the first 4 members" in reply.message.text
        assert role_changes(h) == [
            ("role+", "alice", "Founder"),
            ("role+", "bob", "Founder"),
            ("role+", "carol", "Founder"),
        ]
        await h.join("dave")  # the fourth human: a founder on joining
        await h.join("erin")  # the fifth: not
        assert role_changes(h)[3:] == [("role+", "dave", "Founder")]


async def test_founding_members_before_a_date(tmp_path):
    async with harness(tmp_path) as h:
        h.moderators.add("maria")
        await h.join("alice")  # 2026-03-02
        await h.wait(timedelta(days=2))
        await h.join("bob")  # 2026-03-04
        reply = await h.command("maria", "/recognition founding role:@Pioneer before:2026-03-03")
        assert "a member since before 2026-03-03" in reply.message.text
        assert role_changes(h) == [("role+", "alice", "Pioneer")]


async def test_role_list_and_remove(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob")
        await h.command(
            "maria", "/recognition role add role:@Helper metric:answers threshold:25 window:30d"
        )
        await h.command("maria", "/recognition founding role:@Founder first:100")
        listing = await h.command("bob", "/recognition role list")
        assert listing.message.text.splitlines() == [
            "<@&Helper>: 25 answers in the last 30 days (rolling: it moves on when you fall below)",
            "<@&Founder>: one of the first 100 members (kept once earned)",
        ]
        removed = await h.command("maria", "/recognition role remove role:@Helper")
        assert "no longer manage <@&Helper>" in removed.message.text
        assert [r[0] for r in await tiers(h)] == ["Founder"]
        again = await h.command("maria", "/recognition role remove role:@Helper")
        assert again.private and again.message.text == (
            "<@&Helper> is not a recognition role here. Recognition roles: <@&Founder>."
        )


# --- bad input --------------------------------------------------------------------------


async def test_bad_tiers_are_refused_and_change_nothing(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "bob")
        cases = {
            "/recognition role add role:@Helper metric:karma threshold:5": "must be one of: points, kudos, answers, missions, tenure, active-days",
            "/recognition role add role:@Helper metric:points threshold:-3": "`threshold` must be a whole number 1–1000000 (you gave -3)",
            "/recognition role add role:@Old metric:tenure threshold:30 window:30d": "takes no `window`",
            "/recognition founding role:@Founder": "either `first`",
            "/recognition founding role:@Founder first:10 before:2026-01-01": "either `first`",
            "/recognition founding role:@Founder before:soon": "must be a date such as 2026-01-01",
        }
        for line, expected in cases.items():
            reply = await h.command("maria", line)
            assert reply.private and expected in reply.message.text, line
        refused = await h.command("bob", "/recognition role add role:@Me metric:points threshold:1")
        assert "Only moderators" in refused.message.text
        assert await tiers(h) == []
        assert role_changes(h) == []


async def test_a_role_the_bot_cannot_manage_is_refused_with_what_to_fix(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob")
        await h.command("alice", "/kudos @bob thanks")
        h.platform.refuse["role"] = PlatformError(
            "Missing Permissions", fix="Give Hearth the Manage Roles permission."
        )
        reply = await h.command(
            "maria", "/recognition role add role:@Admin metric:kudos threshold:1"
        )
        assert reply.private
        assert reply.message.text.startswith("I could not give <@&Admin> to <@bob>")
        assert "Manage Roles" in reply.message.text
        assert await tiers(h) == []
        assert await h.bot.db.fetch_all("SELECT * FROM recognition_grants") == []
        notice = await h.bot.db.fetch_value("SELECT text FROM moderator_notices")
        assert notice == "Give Hearth the Manage Roles permission."  # the core told moderators


async def test_a_refused_grant_is_retried_on_the_next_evaluation(tmp_path):
    async with harness(tmp_path) as h:
        await setup_people(h, "alice", "bob")
        await h.command("maria", "/recognition role add role:@Thanked metric:kudos threshold:1")
        h.platform.refuse["role"] = PlatformError("Missing Permissions", fix="Move the role down.")
        await h.command("alice", "/kudos @bob thanks")
        assert await h.bot.db.fetch_all("SELECT * FROM recognition_grants") == []
        del h.platform.refuse["role"]
        await h.wait(timedelta(days=1))
        assert role_changes(h) == [("role+", "bob", "Thanked")]
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM recognition_grants") == 1
