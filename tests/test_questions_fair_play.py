"""Fair play for questions (issue 15): an answer says something, credit goes to who answered."""

from datetime import timedelta

import pytest

from bot.events import QuestionAnswered
from bot.text.substance import MIN_LETTERS, has_substance
from tests.test_questions import SETTLE, listener, questions_bot, row

# --- the substance rule (bot/text/substance.py) ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        ".",
        "...",
        "+1",
        "+1 same",
        "same",
        "Same here!",
        "me too",
        "bump",
        "thanks",
        "Thank you so much",
        "any update?",
        "👍👍",
        "🙏 :pray: <:party:123> <@42>",
        "hahaha",
        "lol",
        "aaaa",
        "a",
        "a a a",
        "גם אני",
        "תודה רבה",
        "חחחחח",
        "نفس المشكلة",
        "شكرا",
        "ههههه",
        "κι εγώ",
        "ευχαριστώ πολύ",
        "მეც",
        "დიდი მადლობა",
        "yo también",
        "moi aussi",
        "ich auch",
        "vielen Dank",
    ],
)
def test_filler_punctuation_and_emoji_are_no_substance(text):
    assert not has_substance(text)


@pytest.mark.parametrize(
    "text",
    [
        "Use pip install --user",
        "Restart the bot after the update",
        "thanks, but the docs say to use docker",
        "<@42> check the firewall",
        "תנסה להתקין מחדש",
        "أعد تشغيل الخادم",
        "Δοκίμασε επανεκκίνηση",
        "გადატვირთე სერვერი",
        "Reinicia el servidor",
        "Redémarre le serveur",
        "Starte den Server neu",
        "重新启动服务器",
    ],
)
def test_a_reply_that_says_something_has_substance(text):
    assert has_substance(text)


def test_the_minimum_of_letters_is_a_parameter():
    assert MIN_LETTERS == 4
    assert not has_substance("ok, go")  # "ok" is filler, "go" two letters
    assert has_substance("use it")  # five letters
    assert has_substance("use it", 5)
    assert not has_substance("use it", 6)
    assert has_substance("+1", 0)  # 0: every reply counts


# --- answers -------------------------------------------------------------------------------


async def test_a_reply_without_substance_is_no_answer_and_a_later_one_is(tmp_path):
    """Issue 15: ".", "+1" or "same" answered a question (points, missions, stats)."""
    async with questions_bot(tmp_path) as h:
        question = await h.say("alice", "help", "How do I deploy?")
        await h.wait(timedelta(minutes=5))
        for text in (".", "+1", "same", "me too 🙏", "bump"):
            await h.say("bob", "help", text, thread=question, reply_to=question)
        await h.say("alice", "help", "still stuck, anyone?", thread=question, reply_to=question)
        await h.wait(SETTLE)

        assert (await row(h, question))["state"] == "open"
        assert listener(h).of(QuestionAnswered) == []
        waiting = await h.command("carol", "/questions open")
        assert "How do I deploy?" in waiting.message.text
        stats = await h.command("carol", "/questions stats")
        fields = {f.name: f.value for f in stats.message.fields}
        assert fields["Answered"].startswith("0 ")

        await h.wait(timedelta(minutes=10))
        await h.say("carol", "help", "Use the docker image", thread=question, reply_to=question)
        await h.wait(SETTLE)
        stored = await row(h, question)
        assert (stored["state"], stored["responder"]) == ("answered", "carol")
        answers = [(e.responder, e.response_seconds) for e in listener(h).of(QuestionAnswered)]
        assert len(answers) == 1 and answers[0][0] == "carol"
        assert answers[0][1] >= 15 * 60  # measured to the reply with substance


async def test_moderators_change_the_minimum_of_letters(tmp_path):
    async with questions_bot(tmp_path, "/questions config answer-letters:0") as h:
        shown = await h.command("maria", "/questions config")
        assert any("at least 0 letters" in f.value for f in shown.message.fields)
        question = await h.say("alice", "help", "How do I deploy?")
        await h.say("bob", "help", "+1", thread=question, reply_to=question)
        await h.wait(SETTLE)
        assert (await row(h, question))["responder"] == "bob"


async def test_the_askers_own_replies_never_answer(tmp_path):
    async with questions_bot(tmp_path) as h:
        question = await h.say("alice", "help", "How do I deploy?")
        await h.say("alice", "help", "I tried the docker image already", thread=question)
        await h.wait(SETTLE)
        assert (await row(h, question))["state"] == "open"
        assert listener(h).of(QuestionAnswered) == []


# --- accepted-answer credit -----------------------------------------------------------------


async def test_accepted_answer_credit_goes_only_to_someone_who_answered(tmp_path):
    """Issue 15: `/questions solved helper:@friend` credited someone who never replied."""
    async with questions_bot(tmp_path) as h:
        question = await h.say("alice", "help", "How do I deploy?")
        await h.say("bob", "help", "+1", thread=question, reply_to=question)
        await h.say("carol", "help", "Use the docker image", thread=question, reply_to=question)
        await h.wait(SETTLE)

        for friend in ("frank", "bob"):  # never replied; replied with nothing to say
            refused = await h.command(
                "alice", f"/questions solved helper:@{friend}", thread=question
            )
            assert refused.private and "hasn't answered" in refused.message.text
            assert (await row(h, question))["state"] == "answered"

        done = await h.command("alice", "/questions solved helper:@carol", thread=question)
        assert "<@carol>" in done.message.text
        stored = await row(h, question)
        assert (stored["helper"], stored["helper_named_by"]) == ("carol", None)


async def test_a_moderator_may_credit_anyone_and_that_is_recorded(tmp_path):
    async with questions_bot(tmp_path) as h:
        question = await h.say("alice", "help", "How do I deploy?")
        await h.wait(SETTLE)
        done = await h.command("maria", "/questions solved helper:@frank", thread=question)
        assert "<@frank>" in done.message.text
        stored = await row(h, question)
        assert (stored["solver"], stored["helper"], stored["helper_named_by"]) == (
            "maria",
            "frank",
            "maria",
        )
