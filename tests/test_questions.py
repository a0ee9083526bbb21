"""The questions cog end to end: finding questions, answers by every path, solving, the edges."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from bot.cog import Cog, listen
from bot.errors import PlatformError
from bot.events import Event, QuestionAnswered, QuestionAsked, QuestionSolved
from bot.messages import MessageRef
from bot.platform import TargetMessage
from tests.harness import START, Harness, make_harness, restarted

#: The buffer is flushed every 15 seconds; waiting this long settles it.
SETTLE = timedelta(seconds=15)


class Listener(Cog):
    """Another cog, as recognition or missions would be: it records the domain events."""

    name = "listener"

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.events: list[Event] = []

    @listen(QuestionAsked)
    async def asked(self, event: QuestionAsked) -> None:
        self.events.append(event)

    @listen(QuestionAnswered)
    async def answered(self, event: QuestionAnswered) -> None:
        self.events.append(event)

    @listen(QuestionSolved)
    async def solved(self, event: QuestionSolved) -> None:
        self.events.append(event)

    def of(self, kind: type) -> list:
        return [e for e in self.events if isinstance(e, kind)]

    async def delete_user_data(self, community: str, user: str) -> None:
        return None

    async def export_user_data(self, community: str, user: str) -> dict:
        return {}


@asynccontextmanager
async def questions_bot(tmp_path, *setup: str) -> AsyncIterator[Harness]:
    """A bot with the questions cog, #help as a help channel and ``setup`` commands run by maria.

    The core's member flush is slowed down so that long waits stay quick to simulate.
    """
    sections = {"hearth": {"cogs": ["questions"], "flush_seconds": 3600}}
    async with make_harness(
        tmp_path, cogs=["questions"], sections=sections, extra_cogs=[Listener]
    ) as h:
        h.moderators.add("maria")
        for line in ("/questions config help-channel:#help", *setup):
            reply = await h.command("maria", line)
            assert not line.startswith("/questions") or reply.message.text.startswith("✅"), (
                line,
                reply.message.text,
            )
        yield h


def listener(h: Harness) -> Listener:
    return h.bot.cogs["listener"]  # type: ignore[return-value]


async def row(h: Harness, message: str):
    return await h.bot.db.fetch_one("SELECT * FROM questions WHERE message = ?", (message,))


async def test_a_help_post_is_a_question_and_the_first_other_reply_answers_it_once(tmp_path):
    async with questions_bot(tmp_path) as h:
        question = await h.say("alice", "help", "My bot does not start")
        await h.wait(timedelta(minutes=3))
        await h.say("alice", "help", "(it says 403)", thread=question, reply_to=question)
        await h.say("helperbot", "help", "Did you try…", thread=question, is_bot=True)
        await h.wait(timedelta(minutes=4))
        await h.say("bob", "help", "Check the token scopes", thread=question, reply_to=question)
        await h.say("carol", "help", "Yes, the scopes", thread=question, reply_to=question)
        await h.wait(SETTLE)
        asked = listener(h).of(QuestionAsked)
        assert [(e.asker, e.channel, e.message) for e in asked] == [("alice", "help", question)]
        answered = listener(h).of(QuestionAnswered)
        assert len(answered) == 1
        assert (answered[0].responder, answered[0].asker) == ("bob", "alice")
        assert answered[0].response_seconds == 7 * 60
        stored = await row(h, question)
        assert stored["state"] == "answered" and stored["responder"] == "bob"


async def test_a_discord_reply_a_slack_thread_reply_and_a_forum_post_all_count(tmp_path):
    async with questions_bot(tmp_path) as h:
        discord = await h.say("alice", "help", "How do I set a prefix?")
        slack = await h.say("dave", "help", "Where are the logs?")
        forum = await h.say("erin", "help", "Crash on start", thread="t-9", starts_thread=True)
        await h.wait(timedelta(minutes=1))
        await h.say("bob", "help", "Use /hearth settings", reply_to=discord)  # not in a thread
        await h.say("bob", "help", "In ./logs", thread=slack, reply_to=slack)
        await h.say("carol", "help", "Which version?", thread="t-9")
        await h.wait(SETTLE)
        answered = {e.asker: e.responder for e in listener(h).of(QuestionAnswered)}
        assert answered == {"alice": "bob", "dave": "bob", "erin": "carol"}
        assert (await row(h, forum))["thread"] == "t-9"
        # The Discord reply was a top-level message in #help, yet no new question.
        assert len(listener(h).of(QuestionAsked)) == 3


async def test_watched_channels_detect_conservatively_or_eagerly_in_the_configured_languages(
    tmp_path,
):
    async with questions_bot(
        tmp_path,
        "/questions config watch-channel:#general",
        "/questions config watch-channel:#random mode:eager",
        "/questions config languages:en,ar,he",
    ) as h:
        await h.say("alice", "general", "Any idea why it fails?")
        await h.say("alice", "general", "how do I fix this")  # conservative: no "?"
        await h.say("bob", "random", "how do I fix this")
        await h.say("bob", "random", "كيف أصلح هذا")
        await h.say("bob", "random", "איך מתקנים את זה")
        await h.say("bob", "random", "Πώς το διορθώνω")  # Greek is not configured
        await h.say("carol", "elsewhere", "Is anyone there?")  # not a watched channel
        await h.wait(SETTLE)
        texts = [(e.channel, e.asker) for e in listener(h).of(QuestionAsked)]
        assert texts == [
            ("general", "alice"),
            ("random", "bob"),
            ("random", "bob"),
            ("random", "bob"),
        ]


async def test_solved_by_command_by_the_askers_reaction_and_with_a_named_helper(tmp_path):
    async with questions_bot(tmp_path) as h:
        first = await h.say("alice", "help", "How do I deploy?")
        second = await h.say("dave", "help", "Why is it slow?")
        third = await h.say("erin", "help", "Can I self-host?")
        await h.wait(timedelta(minutes=5))
        await h.say("bob", "help", "With docker", thread=first, reply_to=first)
        await h.say("carol", "help", "Add an index", thread=second, reply_to=second)
        await h.wait(SETTLE)

        reply = await h.command("alice", "/questions solved", thread=first)
        assert "<@bob>" in reply.message.text and reply.message.mentions == ("bob",)
        await h.react("carol", "help", second, "✅")  # not the asker: nothing
        await h.react("dave", "help", second, "white_check_mark")  # Slack's name for ✅
        # frank never replied: the asker cannot give him the credit, a moderator can.
        refused = await h.command("erin", f"/questions solved question:{third} helper:@frank")
        assert "hasn't answered" in refused.message.text and refused.private
        reply = await h.command("maria", f"/questions solved question:{third} helper:@frank")
        assert "<@frank>" in reply.message.text
        assert (await row(h, third))["helper_named_by"] == "maria"
        await h.wait(SETTLE)

        solved = {e.asker: (e.solver, e.helper) for e in listener(h).of(QuestionSolved)}
        assert solved == {
            "alice": ("alice", "bob"),
            "dave": ("dave", "carol"),
            "erin": ("maria", "frank"),
        }
        # frank helped before anyone replied: that is erin's first response, too.
        answered = [(e.asker, e.responder) for e in listener(h).of(QuestionAnswered)]
        assert ("erin", "frank") in answered
        assert (await row(h, third))["state"] == "solved"


async def test_solving_by_message_link_and_by_number_from_another_channel(tmp_path):
    async with questions_bot(tmp_path) as h:
        question = await h.say("alice", "help", "How do I deploy?")
        await h.wait(SETTLE)
        number = (await row(h, question))["id"]
        reply = await h.command(
            "alice", f"/questions solved question:https://chat.example/help/{question}"
        )
        assert reply.message.text.startswith("✅")
        other = await h.say("alice", "help", "And how do I roll back?")
        await h.wait(SETTLE)
        reply = await h.command("maria", f"/questions solved question:#{number + 1}")
        assert reply.message.text.startswith("✅")
        assert (await row(h, other))["solver"] == "maria"


async def test_deleted_questions_are_dropped_leavers_closed_and_bots_never_ask(tmp_path):
    async with questions_bot(tmp_path) as h:
        deleted = await h.say("alice", "help", "oops, wrong channel")
        left = await h.say("dave", "help", "How do I leave?")
        await h.say("somebot", "help", "Daily reminder: be kind?", is_bot=True)
        await h.command("dave", "/questions on-duty on")
        await h.wait(SETTLE)
        await h.delete_message("help", deleted)
        await h.leave("dave")
        await h.wait(SETTLE)
        assert await row(h, deleted) is None
        assert (await row(h, left))["state"] == "closed"
        assert (await row(h, left))["close_reason"] == "asker_left"
        count = await h.bot.db.fetch_value("SELECT COUNT(*) FROM questions")
        assert count == 1
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM questions_on_duty") == 0
        reply = await h.command("bob", "/questions open")
        assert reply.message.text.startswith("✅ No question is waiting")


async def test_one_person_opening_many_questions_quickly_is_rate_limited_with_one_note(tmp_path):
    async with questions_bot(tmp_path, "/questions config rate-limit:2 rate-window:10m") as h:
        for n in range(5):
            await h.say("spammer", "help", f"question {n}")
        await h.say("alice", "help", "a real question")
        await h.wait(SETTLE)
        askers = [e.asker for e in listener(h).of(QuestionAsked)]
        assert askers == ["spammer", "spammer", "alice"]
        notes = h.platform.dms_to("spammer")
        assert len(notes) == 1 and "2 questions within 10m" in notes[0].text
        await h.wait(timedelta(minutes=10))
        await h.say("spammer", "help", "a question after a pause")
        await h.wait(SETTLE)
        assert [e.asker for e in listener(h).of(QuestionAsked)][-1] == "spammer"


async def test_moderators_mark_messages_as_questions_or_not(tmp_path):
    async with questions_bot(tmp_path) as h:
        quiet = await h.say("alice", "general", "the build is red again")
        help_post = await h.say("dave", "help", "thanks everyone!")
        await h.wait(timedelta(hours=1))
        reply = await h.command("maria", f"/questions mark message:{quiet} as:question")
        assert reply.message.text.startswith("✅")
        # Asked when it was posted, not when it was marked: the response time is honest.
        assert (await row(h, quiet))["asked_at"] == START.isoformat(timespec="microseconds")
        reply = await h.command("maria", f"/questions mark message:{help_post} as:not-question")
        assert reply.message.text.startswith("✅")
        assert await row(h, help_post) is None

        unseen = TargetMessage(
            MessageRef(h.community, "random", "old-1"), "erin", "Does anyone know X"
        )
        reply = await h.act("maria", "Mark as question", unseen)
        assert reply.message.text.startswith("✅")
        assert (await row(h, "old-1"))["excerpt"] == "Does anyone know X"
        refused = await h.act("bob", "Mark as question", unseen)
        assert refused.private and "Only moderators" in refused.message.text

        await h.say("bob", "general", "rerun it", thread=quiet, reply_to=quiet)
        await h.wait(SETTLE)
        asked = [e.asker for e in listener(h).of(QuestionAsked)]
        assert asked == ["dave", "alice", "erin"]
        assert [e.asker for e in listener(h).of(QuestionAnswered)] == ["alice"]


async def test_questions_survive_a_restart_and_replies_still_answer_them(tmp_path):
    async with questions_bot(tmp_path) as h:
        await h.say("alice", "general", "hello")
        question = await h.say("alice", "help", "Is there an API?")
        # No wait: the buffer is written when the bot closes.
    async with restarted(h) as again:
        await again.say("bob", "help", "Yes, see the docs", thread=question, reply_to=question)
        await again.wait(SETTLE)
        stored = await row(again, question)
        assert stored["state"] == "answered" and stored["responder"] == "bob"
        assert stored["first_response_at"] == START.isoformat(timespec="microseconds")


async def test_an_answer_still_buffered_at_shutdown_counts_for_missions_and_recognition(tmp_path):
    cogs = ["missions", "questions", "recognition"]
    sections = {"hearth": {"cogs": cogs, "flush_seconds": 3600}}
    async with make_harness(tmp_path, cogs=cogs, sections=sections) as h:
        h.moderators.add("maria")
        for person in ("alice", "bob"):
            await h.join(person)
        await h.command("maria", "/questions config help-channel:#help")
        await h.command(
            "maria",
            '/mission create name:"One answer" goal:"Answer one" target:1 unit:answers'
            ' deadline:1d channel:#missions counting:answers count-channels:"#help"',
        )
        question = await h.say("alice", "help", "How do I start?")
        await h.wait(SETTLE)
        await h.say("bob", "help", "Like this", thread=question, reply_to=question)
        # No wait: the answer is still buffered. The platform closes before the bot does.
        h.platform.refuse["send"] = h.platform.refuse["edit"] = PlatformError("closed")
    h.platform.refuse.clear()
    async with restarted(h) as again:
        assert await again.bot.db.fetch_value("SELECT total FROM missions") == 1
        points = await again.bot.db.fetch_all(
            "SELECT kind, amount FROM recognition_ledger WHERE user_id = 'bob' ORDER BY kind"
        )
        assert [tuple(p) for p in points] == [
            ("answer", 3),
            ("mission", 2),
            ("mission_completed", 5),
        ]
        await again.wait(SETTLE)
        # The completion the shutdown decided is announced after the start, not lost.
        done = [a for a in again.platform.sent_to("missions") if "reached its target" in a.text]
        assert len(done) == 1


async def test_forgetting_a_person_deletes_their_questions_and_anonymises_their_answers(tmp_path):
    async with questions_bot(tmp_path) as h:
        mine = await h.say("alice", "help", "How do I X?")
        theirs = await h.say("dave", "help", "How do I Y?")
        await h.wait(SETTLE)
        await h.say("alice", "help", "Like this", thread=theirs, reply_to=theirs)
        await h.command("alice", "/questions on-duty state:on")
        await h.wait(SETTLE)
        cog = h.bot.cogs["questions"]
        exported = await cog.export_user_data(h.community, "alice")
        assert [q["message"] for q in exported["asked"]] == [mine]
        assert [r["message"] for r in exported["first_responses"]] == [theirs]
        assert exported["on_duty_since"] is not None

        await cog.delete_user_data(h.community, "alice")
        assert await row(h, mine) is None
        kept = await row(h, theirs)
        assert kept["responder"] is None and kept["first_response_at"] is not None
        assert await cog.export_user_data(h.community, "alice") == {
            "asked": [],
            "first_responses": [],
            "credited_as_helper": 0,
            "on_duty_since": None,
            "claims": [],
        }
        # A reply in the forgotten question's thread is just a message now.
        await h.say("bob", "help", "late answer", thread=mine, reply_to=mine)
        await h.wait(SETTLE)
        assert len(listener(h).of(QuestionAnswered)) == 1


async def test_a_named_helper_is_not_a_second_first_answer_when_a_reply_came_in_between(tmp_path):
    async with questions_bot(tmp_path) as h:
        question = await h.say("alice", "help", "How do I deploy?")
        await h.wait(SETTLE)
        cog = h.bot.cogs["questions"]
        read = await cog.store.find(h.community, question)  # as /questions solved reads it
        await h.say("bob", "help", "With docker", thread=question, reply_to=question)
        await h.wait(SETTLE)  # the flush job runs while the command waits
        assert await cog.tracker.solve(read, h.clock.now(), "alice", "carol") is not None
        answered = [e.responder for e in listener(h).of(QuestionAnswered)]
        assert answered == ["bob"]
        assert [e.helper for e in listener(h).of(QuestionSolved)] == ["carol"]
