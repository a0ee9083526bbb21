"""Kudos by command, user action, reaction and natural thanks, and every anti-gaming rule."""

import sqlite3
from datetime import timedelta

import pytest

from bot.cog import Cog, listen
from bot.events import KudosGiven
from tests.harness import make_harness, restarted


async def settle(h):
    """Let the kudos flush run: confirmations follow it by a few seconds."""
    await h.wait(timedelta(seconds=5))


PEOPLE = ("alice", "bob", "carol", "dave")


class KudosSpy(Cog):
    """Another cog, listening for the domain event recognition emits."""

    name = "kudos_spy"

    def __init__(self, bot):
        super().__init__(bot)
        self.seen = []

    @listen(KudosGiven)
    def kudos(self, event):
        self.seen.append(event)


NO_SLOW_FLUSH = {"hearth": {"cogs": ["recognition"], "flush_seconds": 3600}}


def harness(tmp_path):
    return make_harness(tmp_path, cogs=["recognition"], sections=NO_SLOW_FLUSH)


async def join_all(h, *people):
    for person in people or PEOPLE:
        await h.join(person)


async def kudos_rows(h):
    return await h.bot.db.fetch_all(
        "SELECT giver, receiver, reason, source, counted FROM recognition_kudos ORDER BY id"
    )


async def points(h, user):
    value = await h.bot.db.fetch_value(
        "SELECT SUM(amount) FROM recognition_ledger WHERE user_id = ?", (user,)
    )
    return value or 0


# --- by hand -----------------------------------------------------------------------------


async def test_kudos_command_is_committed_before_it_is_confirmed(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        reply = await h.command("alice", "/kudos @bob thanks for the review")
        assert not reply.private
        assert reply.message.text == "⭐ <@alice> gave kudos to <@bob>: “thanks for the review”"
        assert reply.message.mentions == ("bob",)  # only the receiver is pinged
        # Another connection sees it: it was committed, not just written in a transaction.
        with sqlite3.connect(h.database) as other:
            row = other.execute("SELECT giver, receiver, reason FROM recognition_kudos").fetchone()
        assert row == ("alice", "bob", "thanks for the review")
        assert await points(h, "bob") == 2
    async with restarted(h) as again:
        assert await points(again, "bob") == 2


async def test_kudos_without_a_reason_and_the_user_action(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        reply = await h.command("alice", "/kudos @bob")
        assert reply.message.text == "⭐ <@alice> gave kudos to <@bob>."
        reply = await h.act("carol", "Give kudos", "bob")
        assert not reply.private and "<@carol> gave kudos to <@bob>" in reply.message.text
        assert [r["source"] for r in await kudos_rows(h)] == ["command", "user_action"]
        assert await points(h, "bob") == 4


async def test_kudos_is_announced_to_other_cogs(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        spy = KudosSpy(h.bot)
        h.bot.add_cog(spy)
        await h.command("alice", "/kudos @bob nice")
        seen = spy.seen
        assert [(e.giver, e.receiver, e.reason, e.source) for e in seen] == [
            ("alice", "bob", "nice", "command")
        ]


# --- natural thanks ----------------------------------------------------------------------

LANGUAGES = [
    "thanks {a} {b}!",
    "thank you {a} and {b}",
    "ty {a} {b}",
    "thx {a} {b}",
    "شكراً {a} {b}",
    "תודה רבה {a} {b}",
    "Ευχαριστώ πολύ {a} {b}",
    "მადლობა {a} {b}",
]


@pytest.mark.parametrize("template", LANGUAGES)
async def test_natural_thanks_credit_everyone_mentioned(tmp_path, template):
    async with harness(tmp_path) as h:
        await join_all(h)
        text = template.format(a="<@bob>", b="<@carol>")
        message = await h.say("alice", "general", text, mentions=("bob", "carol", "alice"))
        await settle(h)
        rows = await kudos_rows(h)
        assert [(r["giver"], r["receiver"], r["source"]) for r in rows] == [
            ("alice", "bob", "thanks"),
            ("alice", "carol", "thanks"),
        ]
        assert rows[0]["reason"] == text
        reactions = h.platform.of_kind("react")
        assert len(reactions) == 1 and reactions[0].ref.id == message  # one short confirmation
        assert not h.platform.of_kind("send")


async def test_messages_without_thanks_or_mentions_give_nothing(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.say("alice", "general", "thanks everyone!")  # no one mentioned
        await settle(h)
        await h.say("alice", "general", "ask <@bob> about it", mentions=("bob",))
        await h.say("alice", "general", "thanksgiving with <@bob>", mentions=("bob",))
        await settle(h)
        await h.say("robot", "general", "thanks <@bob>", mentions=("bob",), is_bot=True)
        await settle(h)
        assert await kudos_rows(h) == []
        assert h.platform.actions == []


async def test_a_thank_you_reply_credits_the_author_of_the_message_it_answers(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        tip = await h.say("bob", "general", "try restarting the router")
        await h.say("alice", "general", "that worked, thank you!", reply_to=tip)
        await settle(h)
        # In a thread everyone "replies" to the root: that names nobody in particular.
        root = await h.say("carol", "help", "how do I reset it?")
        await h.say("dave", "help", "thanks", thread=root, reply_to=root)
        await settle(h)
        assert [(r["giver"], r["receiver"]) for r in await kudos_rows(h)] == [("alice", "bob")]


async def test_confirm_by_reply_names_people_without_pinging_them(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        h.moderators.add("maria")
        await h.command("maria", "/recognition settings confirm:reply")
        await h.say("alice", "general", "thanks <@bob> <@carol>", mentions=("bob", "carol"))
        await settle(h)
        [sent] = h.platform.sent_to("general")
        assert sent.text == "⭐ Kudos noted for <@bob>, <@carol>."
        assert sent.message.mentions == ()
        assert not h.platform.of_kind("react")


# --- reactions ---------------------------------------------------------------------------


async def test_reaction_kudos_count_once_however_often_they_are_added(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        message = await h.say("bob", "general", "here is the fix")
        for _ in range(3):
            await h.react("alice", "general", message, "⭐", author="bob")
            await settle(h)
            await h.wait(timedelta(hours=2))  # past the cooldown: only the message rule is left
        await h.react("alice", "general", message, "👍", author="bob")  # not the kudos emoji
        await settle(h)
        await h.react("bob", "general", message, "⭐", author="bob")  # their own message
        await settle(h)
        rows = await kudos_rows(h)
        assert [(r["giver"], r["receiver"], r["source"]) for r in rows] == [
            ("alice", "bob", "reaction")
        ]
        assert len(h.platform.of_kind("react")) == 1
        assert await points(h, "bob") == 2


async def test_the_kudos_emoji_is_configurable(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        h.moderators.add("maria")
        reply = await h.command("maria", "/recognition settings emoji:🌟")
        assert "🌟" in [f.value for f in reply.message.fields]
        message = await h.say("bob", "general", "done")
        await h.react("alice", "general", message, "⭐", author="bob")
        await settle(h)
        await h.react("carol", "general", message, "star2", author="bob")  # Slack spells names
        await settle(h)
        assert [r["giver"] for r in await kudos_rows(h)] == ["carol"]


# --- anti-gaming -------------------------------------------------------------------------


async def refused(h, user, line):
    before = await kudos_rows(h)
    reply = await h.command(user, line)
    assert reply.private
    assert await kudos_rows(h) == before  # a refusal changes nothing
    return reply.message.text


async def test_no_kudos_to_oneself_bots_or_strangers(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.join("robot", is_bot=True)
        await h.join("erin")
        await h.leave("erin")
        h.platform.members = set(PEOPLE)  # the platform does not know ghost either
        assert "yourself" in await refused(h, "alice", "/kudos @alice I rock")
        assert await refused(h, "alice", "/kudos @robot beep") == (
            "<@robot> is a bot. Kudos are for people."
        )
        assert "don't know <@ghost>" in await refused(h, "alice", "/kudos @ghost hi")
        assert "don't know <@erin>" in await refused(h, "alice", "/kudos @erin bye")
        await h.say("alice", "general", "thanks <@alice> <@robot>", mentions=("alice", "robot"))
        await settle(h)
        assert await kudos_rows(h) == []


async def test_cooldown_per_pair(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.command("alice", "/kudos @bob one")
        await h.wait(timedelta(minutes=18))
        text = await refused(h, "alice", "/kudos @bob two")
        assert (
            text == "You gave <@bob> kudos a short while ago. You can give them kudos again in 42m."
        )
        other = await h.command("alice", "/kudos @carol fine")  # another person is fine
        assert not other.private
        await h.wait(timedelta(minutes=42))
        assert not (await h.command("alice", "/kudos @bob two")).private


async def test_daily_allowance(tmp_path):
    async with harness(tmp_path) as h:
        people = [f"p{i}" for i in range(11)]
        await join_all(h, "alice", *people)
        for person in people[:10]:
            assert not (await h.command("alice", f"/kudos @{person} thanks")).private
            await h.wait(timedelta(minutes=1))
        text = await refused(h, "alice", "/kudos @p10 thanks")
        assert text == "You've given your 10 kudos for today. You can give more in 23h 50m."
        await h.say("alice", "general", "thanks <@p10>", mentions=("p10",))  # silently refused
        await settle(h)
        assert len(await kudos_rows(h)) == 10
        await h.wait(timedelta(hours=23, minutes=50))
        assert not (await h.command("alice", "/kudos @p10 thanks")).private


async def test_a_thank_for_thank_loop_counts_once(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.command("alice", "/kudos @bob great answer")
        await h.wait(timedelta(minutes=2))
        reply = await h.command("bob", "/kudos @alice no, thank YOU")
        assert reply.private and "counts once" in reply.message.text
        await h.say("bob", "general", "thanks <@alice>!", mentions=("alice",))  # in cooldown
        await settle(h)
        assert await points(h, "bob") == 2
        assert await points(h, "alice") == 0
        assert [r["counted"] for r in await kudos_rows(h)] == [1, 0]
        await h.wait(timedelta(hours=1))
        await h.command("bob", "/kudos @alice for the docs")  # later: a thank of its own
        assert await points(h, "alice") == 2


async def test_an_over_long_reason_is_refused(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        text = await refused(h, "alice", "/kudos @bob " + "x" * 201)
        assert "at most 200 characters" in text


async def test_presets_change_the_limits(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h, *PEOPLE, "maria")
        h.moderators.add("maria")
        reply = await h.command("maria", "/recognition settings preset:strict")
        assert (
            "strict: one kudos per person every 1d, 3 kudos a day" in reply.message.fields[0].value
        )
        for person in ("bob", "carol", "dave"):
            await h.command("alice", f"/kudos @{person} ok")
        assert "your 3 kudos" in await refused(h, "alice", "/kudos @maria ok")
        await h.command("maria", "/recognition settings preset:relaxed")
        assert not (await h.command("alice", "/kudos @maria ok")).private
