"""Reminders, escalation, claims, check-ins and closes, at the right clock times, across restarts.

The harness starts at 09:00 UTC on a Monday; the sweep runs every 5 minutes from then.
"""

from datetime import timedelta

from bot.errors import PlatformError
from bot.events import MessagePosted, QuestionSolved
from tests.harness import restarted
from tests.test_questions import SETTLE, listener, questions_bot, row

HELPERS = "/questions config helpers-channel:#helpers"


def digests(h) -> list:
    return [a.message for a in h.platform.sent_to("helpers")]


async def test_waiting_questions_are_grouped_oldest_first_in_one_digest_at_the_right_time(
    tmp_path,
):
    async with questions_bot(
        tmp_path, HELPERS, "/questions config watch-channel:#general nudge-after:3h"
    ) as h:
        await h.command("carol", "/questions on-duty on")
        await h.command("frank", "/questions on-duty state:on")
        older = await h.say("dave", "general", "Does anyone use the API?")  # due at 12:00
        await h.wait(timedelta(hours=1))
        newer = await h.say("alice", "help", "How do I <@everyone> install?")  # due at 12:00
        await h.wait(timedelta(hours=1, minutes=59))
        assert digests(h) == []
        await h.wait(timedelta(minutes=1))
        [digest] = digests(h)
        assert digest.mentions == ("carol", "frank") and digest.role_mentions == ()
        assert "<@carol> <@frank>" in digest.text
        lines = digest.text.splitlines()[1:]
        assert f"https://chat.example/general/{older}" in lines[0] and "waiting 3h" in lines[0]
        assert f"https://chat.example/help/{newer}" in lines[1] and "waiting 2h" in lines[1]
        # What alice wrote is shown, but only the on-duty helpers can be pinged.
        assert "everyone" not in digest.mentions
        assert "Questions waiting for an answer: 2" in digest.title


async def test_reminders_repeat_at_most_max_times_then_moderators_hear_once(tmp_path):
    async with questions_bot(
        tmp_path,
        HELPERS,
        "/questions config helper-role:@Helpers renudge-every:1h max-nudges:2 escalate-after:4h",
        "/hearth moderator-role add role:@Mods",
    ) as h:
        question = await h.say("alice", "help", "Why is the sky blue?")
        seen = []
        for _ in range(8):  # 10:00 … 17:00
            await h.wait(timedelta(hours=1))
            seen.append(len(digests(h)))
        assert seen == [0, 1, 2, 3, 3, 3, 3, 3]  # 11:00, 12:00 reminders; 13:00 escalation
        first, second, escalation = digests(h)
        assert first.role_mentions == ("Helpers",) and first.mentions == ()
        assert question in second.text
        assert escalation.role_mentions == ("Helpers", "Mods")
        assert "Waiting more than 4h" in escalation.fields[0].name
        assert question in escalation.fields[0].value and question not in escalation.text
        stored = await row(h, question)
        assert stored["nudge_count"] == 2 and stored["next_nudge_at"] is None


async def test_quiet_hours_in_the_community_timezone_postpone_reminders(tmp_path):
    async with questions_bot(
        tmp_path, HELPERS, "/questions config timezone:Pacific/Auckland quiet-hours:22:00-08:00"
    ) as h:
        # 09:00 UTC is 22:00 in Auckland (UTC+13): the reminder falls due at midnight there.
        await h.say("alice", "help", "Anyone awake?")
        await h.wait(timedelta(hours=9, minutes=59))  # 07:59 in Auckland
        assert digests(h) == []
        await h.wait(timedelta(minutes=1))  # 08:00 in Auckland
        assert len(digests(h)) == 1
        assert "waiting 10h" in digests(h)[0].text


async def test_a_claim_holds_reminders_back_until_it_expires(tmp_path):
    async with questions_bot(tmp_path, HELPERS) as h:
        question = await h.say("alice", "help", "How do I migrate?")
        await h.wait(timedelta(hours=1, minutes=30))
        reply = await h.command("bob", "/questions claim", thread=question)
        assert "<@bob> is on it" in reply.message.text and "2h" in reply.message.text
        taken = await h.command("carol", "/questions claim", thread=question)
        assert taken.private and "<@bob> is already on this one" in taken.message.text
        listed = await h.command("carol", "/questions open")
        assert "claimed by <@bob>" in listed.message.text
        await h.wait(timedelta(hours=1, minutes=59))  # 12:29
        assert digests(h) == []
        await h.wait(timedelta(minutes=1))  # the claim ended at 12:30
        [digest] = digests(h)
        assert question in digest.text and "claimed" not in digest.text


async def test_check_ins_ask_the_asker_with_buttons_and_still_need_help_reminds_again(tmp_path):
    async with questions_bot(
        tmp_path, HELPERS, "/questions config check-in-after:4h close-after:1d"
    ) as h:
        solved = await h.say("alice", "help", "How do I A?")
        still = await h.say("dave", "help", "How do I B?")
        await h.wait(timedelta(minutes=10))
        await h.say("bob", "help", "Like this", thread=solved, reply_to=solved)
        await h.say("bob", "help", "Like that", thread=still, reply_to=still)
        await h.wait(timedelta(hours=3, minutes=59))  # 13:09
        assert h.platform.dms_to("alice") == []
        await h.wait(timedelta(minutes=1))  # four hours of silence after the answer
        [check_in] = h.platform.dms_to("alice")
        assert [b.label for b in check_in.message.buttons] == ["Solved", "Still need help"]
        assert len(h.platform.dms_to("dave")) == 1

        refused = await h.press_button("bob", check_in, "Solved")
        assert refused.private and "Only the person who asked" in refused.message.text
        done = await h.press_button("alice", check_in, "Solved")
        assert done.message.text.startswith("✅")
        [event] = listener(h).of(QuestionSolved)
        assert (event.asker, event.solver, event.helper) == ("alice", "alice", "bob")

        again = await h.press_button("dave", h.platform.dms_to("dave")[0], "Still need help")
        assert "back on the helpers' list" in again.message.text
        await h.wait(timedelta(minutes=5))
        [digest] = digests(h)
        assert still in digest.text and solved not in digest.text
        # One check-in per silence: no second one while nothing happens.
        await h.wait(timedelta(hours=5))
        assert len(h.platform.dms_to("alice")) == 1


async def test_a_check_in_goes_to_the_thread_when_direct_messages_are_refused(tmp_path):
    async with questions_bot(tmp_path, "/questions config check-in-after:1h close-after:1d") as h:
        question = await h.say("alice", "help", "How do I B?")
        await h.say("bob", "help", "Like that", thread=question, reply_to=question)
        h.platform.refuse["dm"] = PlatformError("this person does not accept DMs")
        await h.wait(timedelta(hours=1))
        [posted] = h.platform.sent_to("help")
        assert posted.thread == question
        assert posted.message.mentions == ("alice",) and len(posted.message.buttons) == 2


async def test_quiet_questions_are_closed_kindly_and_then_left_alone(tmp_path):
    async with questions_bot(
        tmp_path, HELPERS, "/questions config check-in-after:1h close-after:3h"
    ) as h:
        question = await h.say("alice", "help", "Is this thing on?")
        await h.wait(timedelta(hours=2, minutes=59))
        assert len(digests(h)) == 1
        assert h.platform.sent_to("help") == []
        await h.wait(timedelta(minutes=1))
        [closed] = h.platform.sent_to("help")
        assert closed.thread == question and "quiet for 3h" in closed.text
        assert "<@alice>" in closed.text and closed.message.mentions == ()
        assert (await row(h, question))["state"] == "closed"
        await h.wait(timedelta(hours=12))
        assert len(digests(h)) == 1 and len(h.platform.sent_to("help")) == 1


async def test_what_happened_after_a_sweep_found_a_question_due_wins(tmp_path):
    """The sweep reads what is due, then writes each question in its own transaction; a
    solve or a reply in between must not be overwritten by a close or a check-in."""
    async with questions_bot(tmp_path, "/questions config check-in-after:1h close-after:3h") as h:
        solved = await h.say("alice", "help", "How do I A?")
        answered = await h.say("dave", "help", "How do I B?")
        await h.say("bob", "help", "Like this", thread=answered, reply_to=answered)
        await h.wait(SETTLE)
        store = h.bot.cogs["questions"].store
        check_in_at = h.clock.now() + timedelta(hours=1) - SETTLE
        close_at = h.clock.now() + timedelta(hours=3) - SETTLE
        [check_in] = await store.due_check_ins(check_in_at)
        closes = {q.message: q.id for q in await store.due_closes(close_at)}
        await h.command("alice", "/questions solved", thread=solved)
        await h.say("dave", "help", "trying it", thread=answered, reply_to=answered)
        await h.wait(SETTLE)
        assert not await store.close_inactive(closes[solved], close_at)
        assert (await row(h, solved))["state"] == "solved"
        assert not await store.checked_in(check_in.id, check_in_at)
        assert not await store.close_inactive(closes[answered], close_at)
        assert (await row(h, answered))["state"] == "answered"
        assert await store.close_inactive(closes[answered], close_at + SETTLE)


async def test_without_a_helpers_channel_moderators_are_told_once_and_nothing_is_lost(tmp_path):
    async with questions_bot(tmp_path, "/hearth log-channel channel:#mods") as h:
        await h.say("alice", "help", "Hello?")
        await h.wait(timedelta(hours=2, minutes=30))
        [notice] = h.platform.sent_to("mods")
        assert "helpers-channel" in notice.text
        await h.command("maria", HELPERS)
        await h.wait(timedelta(minutes=5))
        assert len(digests(h)) == 1 and len(h.platform.sent_to("mods")) == 1


async def test_a_restart_in_the_middle_of_a_sweep_sends_nothing_twice_and_loses_nothing(
    tmp_path,
):
    async with questions_bot(tmp_path, HELPERS, "/questions config renudge-every:1h") as h:
        await h.command("carol", "/questions on-duty on")
        question = await h.say("alice", "help", "Where is the changelog?")
        await h.wait(timedelta(hours=1, minutes=59))
        # The platform goes down as the 11:00 sweep decides to remind helpers.
        h.platform.refuse["send"] = PlatformError("the platform is down")
        await h.wait(timedelta(minutes=1))
        assert digests(h) == []
        stored = await row(h, question)
        assert stored["nudge_count"] == 1  # decided, and the digest waits in the outbox
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM questions_outbox") == 1
    h.platform.refuse.clear()
    async with restarted(h) as again:
        await again.wait(timedelta(minutes=5))
        [digest] = digests(again)
        assert question in digest.text and digest.mentions == ("carol",)
        assert await again.bot.db.fetch_value("SELECT COUNT(*) FROM questions_outbox") == 0
    async with restarted(h) as third:  # a restart between two sweeps
        await third.wait(timedelta(minutes=54))  # 11:59
        assert len(digests(third)) == 1
        await third.wait(timedelta(minutes=1))  # the next reminder, an hour after the first
        assert len(digests(third)) == 2
        assert (await row(third, question))["nudge_count"] == 2


async def test_a_community_that_fails_does_not_stop_reminders_in_the_others(tmp_path):
    async with questions_bot(tmp_path, HELPERS) as h:
        ghost = "ghost:c2"  # its platform is not running: links and sends fail there
        for line in ("/questions config help-channel:#help", HELPERS):
            reply = await h.bot.interactions.run_text(
                ghost, h.person("maria"), "general", line, resolvers=h.resolvers()
            )
            assert reply.message.text.startswith("✅")
        posted = MessagePosted(
            community=ghost, at=h.clock.now(), channel="help", message="g1", author="zoe", text="?"
        )
        await h.bot.dispatch(posted)
        question = await h.say("alice", "help", "Hello?")
        await h.wait(timedelta(hours=2))
        [digest] = digests(h)
        assert question in digest.text
        ghost_row = await h.bot.db.fetch_one(
            "SELECT * FROM questions WHERE community = ?", (ghost,)
        )
        assert ghost_row["nudge_count"] == 0  # nothing decided there; it is tried again later


async def test_answered_questions_are_not_reminded(tmp_path):
    async with questions_bot(tmp_path, HELPERS) as h:
        question = await h.say("alice", "help", "Is there a dark mode?")
        await h.wait(timedelta(hours=1))
        await h.say("bob", "help", "Yes, in settings", thread=question, reply_to=question)
        await h.wait(timedelta(hours=3) - SETTLE)
        assert digests(h) == []
