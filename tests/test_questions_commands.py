"""/questions commands: statistics on a known set, every bad input, and a playground session."""

from datetime import timedelta

import pytest

from bot.platforms.playground import run_playground
from tests.harness import PLAYGROUND_START, harness_config
from tests.test_questions import SETTLE, questions_bot, row


async def test_stats_on_a_known_set_of_questions(tmp_path):
    async with questions_bot(tmp_path, "/questions config timezone:Europe/Berlin") as h:
        minutes = [5, 10, 20, 30, 60, 90, 120, 240, 600, 1440]
        asked = [await h.say(f"asker{n}", "help", f"question {n}") for n in range(10)]
        waited = 0
        for n, after in enumerate(minutes):
            await h.wait(timedelta(minutes=after - waited))
            waited = after
            responder = "bob" if n < 6 else "carol"
            await h.say(responder, "help", "an answer", thread=asked[n], reply_to=asked[n])
            if after == 240:  # 13:00 UTC, 14:00 in Berlin: two that nobody answers
                await h.say("late1", "help", "unanswered one")
                await h.say("late2", "help", "unanswered two")

        reply = await h.command("alice", "/questions stats")
        assert not reply.private
        stats = {f.name: f.value for f in reply.message.fields}
        assert reply.message.title == "Questions: week"
        assert stats["Asked"] == "12"
        assert stats["Answered"] == "10 (83%)"
        # By hand: the median of ten is (60 + 90) / 2 = 75 minutes; the 90th percentile is
        # at position 9 × 0.9 = 8.1: 600 + 0.1 × (1440 − 600) = 684 minutes.
        assert stats["Median first response"] == "1h 15m"
        assert stats["90% answered within"] == "11h 24m"
        assert stats["Answered within 1h"] == "42%"  # 5 of 12
        assert stats["Busiest hours"] == "10:00 (10), 14:00 (2)"
        assert stats["Top responders"] == "<@bob> (6), <@carol> (4)"
        assert reply.message.mentions == ()  # named, never pinged

        await h.wait(timedelta(minutes=1))  # the public cooldown
        recent = await h.command("alice", "/questions stats period:1h")
        recent_stats = {f.name: f.value for f in recent.message.fields}
        assert recent_stats["Asked"] == "0" and recent_stats["Median first response"] == "—"
        await h.wait(timedelta(minutes=1))
        everything = await h.command("alice", "/questions stats all")
        assert everything.message.title == "Questions: all"


async def test_on_duty_and_open_list(tmp_path):
    async with questions_bot(tmp_path) as h:
        assert "on duty" in (await h.command("bob", "/questions on-duty on")).message.text
        again = await h.command("bob", "/questions on-duty state:on")
        assert again.message.text == "You were already on duty."
        assert "off duty" in (await h.command("bob", "/questions on-duty off")).message.text
        first = await h.say("alice", "help", "First?")
        await h.wait(timedelta(minutes=30))
        await h.say("dave", "help", "Second?")
        listed = await h.command("bob", "/questions open")
        assert listed.private and listed.message.title == "Questions waiting for an answer: 2"
        lines = listed.message.text.splitlines()
        assert first in lines[0] and "waiting 30m" in lines[0] and "“First?”" in lines[0]


async def set_up_bad_inputs(h):
    """alice's question (answered by bob, claimed by nobody), dave's waiting one claimed by
    carol, and erin's solved one."""
    answered = await h.say("alice", "help", "How do I A?")
    waiting = await h.say("dave", "help", "How do I B?")
    solved = await h.say("erin", "help", "How do I C?")
    await h.wait(SETTLE)
    await h.say("bob", "help", "Like this", thread=answered, reply_to=answered)
    await h.say("general-chat", "general", "just chatting")
    assert (await h.command("carol", "/questions claim", thread=waiting)).message.text
    assert (await h.command("erin", "/questions solved", thread=solved)).message.text
    return {"answered": answered, "waiting": waiting, "solved": solved}


BAD_INPUTS = [
    # (who, command, in the thread of, what the answer says)
    ("bob", "/questions open now:yes", None, "There is no option `now`"),
    ("bob", "/questions stats period:fortnight", None, "`period` must be day, week"),
    ("bob", "/questions stats period:30s", None, "`period` must be day, week"),
    ("bob", "/questions solved", None, "Which question?"),
    ("bob", "/questions solved question:what?!", None, "is not a question number"),
    ("bob", "/questions solved question:#999", None, "I don't know a question at “#999”"),
    ("zed", "/questions solved", "answered", "Only the person who asked, a helper"),
    ("alice", "/questions solved helper:@alice", "answered", "not the one who asked"),
    ("erin", "/questions solved", "solved", "already marked solved"),
    ("bob", "/questions claim", None, "Which question?"),
    ("dave", "/questions claim", "waiting", "You asked this question"),
    ("bob", "/questions claim", "waiting", "<@carol> is already on this one"),
    ("bob", "/questions claim", "answered", "Only questions still waiting"),
    ("bob", "/questions claim question:nope", None, "I don't know a question at “nope”"),
    ("bob", "/questions on-duty state:maybe", None, "must be on or off"),
    ("bob", "/questions on-duty", None, "Please give `state`"),
    ("bob", "/questions config help-channel:#general", None, "Only moderators"),
    ("maria", "/questions config help-channel:#a watch-channel:#b", None, "only one of"),
    ("maria", "/questions config mode:eager", None, "give it with `watch-channel`"),
    ("maria", "/questions config remove-channel:#general", None, "not a help or watched"),
    ("maria", "/questions config remove-channel:#help nudge-after:1h", None, "can't go with"),
    ("maria", "/questions config quiet-hours:night", None, "`quiet-hours` must look like"),
    ("maria", "/questions config languages:en,xx", None, "unknown: “xx”"),
    ("maria", "/questions config timezone:Mars/Olympus", None, "is not a timezone"),
    ("maria", "/questions config check-in-after:8d", None, "must come before"),
    ("maria", "/questions config max-nudges:99", None, "`max-nudges` must be"),
    ("maria", "/questions config nudge-after:1m", None, "`nudge-after` must be between"),
    ("maria", "/questions config close-after:soon", None, "must be a duration"),
    ("maria", "/questions config mode:loud watch-channel:#x", None, "must be one of"),
    ("bob", "/questions mark message:u1 as:question", None, "Only moderators"),
    ("maria", "/questions mark message:a b as:question", None, "more than this command takes"),
    ("maria", "/questions mark message:never-seen as:question", None, "I don't remember"),
    ("maria", "/questions mark message:u5 as:not-question", None, "nothing to unmark"),
    ("maria", "/questions mark message:u1 as:question", None, "already a question"),
    ("maria", "/questions mark message:u1 as:maybe", None, "must be one of"),
]


@pytest.mark.parametrize(("who", "line", "thread", "says"), BAD_INPUTS)
async def test_every_bad_input_gets_a_private_friendly_answer_and_changes_nothing(
    tmp_path, who, line, thread, says
):
    async with questions_bot(tmp_path) as h:
        questions = await set_up_bad_inputs(h)
        before_config = await h.command("maria", "/questions config")
        before = await h.bot.db.fetch_all("SELECT * FROM questions ORDER BY id")
        reply = await h.command(who, line, thread=questions.get(thread))
        assert reply.private
        text = reply.message.text
        assert any(part in text for part in says.split("|")), text
        assert not text.startswith("✅")
        after = await h.bot.db.fetch_all("SELECT * FROM questions ORDER BY id")
        assert [tuple(r) for r in after] == [tuple(r) for r in before]
        assert (await h.command("maria", "/questions config")) == before_config


async def test_a_check_in_button_after_the_question_was_solved_says_so(tmp_path):
    async with questions_bot(tmp_path, "/questions config check-in-after:1h close-after:1d") as h:
        question = await h.say("alice", "help", "How do I B?")
        await h.say("bob", "help", "Like that", thread=question, reply_to=question)
        await h.wait(timedelta(hours=1))
        [check_in] = h.platform.dms_to("alice")
        await h.command("alice", "/questions solved", thread=question)
        late = await h.press_button("alice", check_in, "Still need help")
        assert late.private and "already solved or closed" in late.message.text
        twice = await h.press_button("alice", check_in, "Solved")
        assert "already marked solved" in twice.message.text
        assert (await row(h, question))["state"] == "solved"


async def test_config_shows_and_changes_every_setting(tmp_path):
    async with questions_bot(
        tmp_path,
        "/questions config watch-channel:#general mode:eager nudge-after:30m",
        "/questions config helper-role:@Helpers helpers-channel:#helpers quiet-hours:22:00-08:00",
        "/questions config renudge-every:6h max-nudges:2 escalate-after:12h claim-for:1h",
        "/questions config check-in-after:1d close-after:3d target:30m languages:en,ka",
        "/questions config rate-limit:3 rate-window:5m timezone:Asia/Tbilisi",
    ) as h:
        shown = await h.command("maria", "/questions config")
        fields = {f.name: f.value for f in shown.message.fields}
        assert fields["Channels"] == (
            "<#general>: watched, eager detection, first reminder after 30m\n"
            "<#help>: help channel (every post is a question)"
        )
        assert fields["Helper role"] == "<@&Helpers>" and fields["Helpers' channel"] == "<#helpers>"
        assert fields["Quiet hours"] == "22:00–08:00 (Asia/Tbilisi)"
        assert fields["Question words"] == "en, ka"
        assert "then every 6h (at most 2); moderators after 12h" in fields["Timings"]
        assert "check-in after 1d" in fields["Timings"] and "claims last 1h" in fields["Timings"]
        assert fields["Rate limit"] == "3 questions per 5m per person"
        removed = await h.command(
            "maria", "/questions config remove-channel:#general quiet-hours:off"
        )
        fields = {f.name: f.value for f in removed.message.fields}
        assert "general" not in fields["Channels"] and fields["Quiet hours"] == "none"
        await h.say("alice", "general", "Anyone?")
        await h.wait(SETTLE)
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM questions") == 0


async def test_a_playground_session_finds_answers_and_solves_a_question(tmp_path):
    out: list[str] = []
    errors = await run_playground(
        harness_config(cogs=["questions"]),
        tmp_path / "pg.db",
        fresh=True,
        start=PLAYGROUND_START,
        script=[
            "as alice",
            "say #help How do I install Hearth?",
            "as bob",
            "reply m1 pip install hearth",
            "as alice",
            "in m1 /questions solved",
            "/questions stats period:all",
        ],
        write=out.append,
    )
    assert errors == 0
    assert not any(line.startswith("[setup]") for line in out), out
    assert any(
        line.startswith("[thread m1]") and "Marked solved. Thank you @bob for helping!" in line
        for line in out
    ), out
    assert "  Answered: 1 (100%)" in out
