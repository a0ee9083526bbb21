"""Fair play (issue 15): thanks declined, collusion bounded, corrections, and saying why."""

from datetime import timedelta

import pytest

from tests.harness import make_harness

PEOPLE = ("alice", "bob", "carol", "dave")
NO_SLOW_FLUSH = {"hearth": {"cogs": ["recognition"], "flush_seconds": 3600}}


def harness(tmp_path):
    return make_harness(tmp_path, cogs=["recognition"], sections=NO_SLOW_FLUSH)


async def join_all(h, *people):
    for person in people or PEOPLE:
        await h.join(person)


async def kudos_rows(h):
    return await h.bot.db.fetch_all(
        "SELECT giver, receiver, source, counted FROM recognition_kudos ORDER BY id"
    )


async def settle(h):
    """Let the kudos flush run: confirmations follow it by a few seconds."""
    await h.wait(timedelta(seconds=5))


# --- negated thanks -----------------------------------------------------------------------

DECLINED = [
    "no thanks {a}, I'm fine",
    "No, thanks {a}",
    "thanks but no thanks {a}",
    "no thank you {a}!",
    "לא תודה {a}",
    "לא, תודה {a}",
    "لا شكرا {a}",
    "لا، شكراً {a}",
    "Όχι ευχαριστώ {a}",
    "არა, მადლობა {a}",
    "no gracias {a}",
    "non merci {a}",
    "Nein danke {a}",
]


@pytest.mark.parametrize("template", DECLINED)
async def test_declined_thanks_credit_nobody(tmp_path, template):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.say("alice", "general", template.format(a="<@bob>"), mentions=("bob",))
        await settle(h)
        assert await kudos_rows(h) == []
        assert h.platform.actions == []


async def test_moderators_extend_and_shrink_the_declining_phrases(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h, *PEOPLE, "maria")
        h.moderators.add("maria")
        reply = await h.command("maria", '/recognition settings not-thanks-add:"thanks, but nah"')
        assert "thanks, but nah" in reply.message.fields[4].value
        await h.say("alice", "general", "thanks, but nah <@bob>", mentions=("bob",))
        await h.command("maria", '/recognition settings not-thanks-remove:"no thanks"')
        await h.say("carol", "general", "no thanks <@bob>", mentions=("bob",))
        await settle(h)
        assert [(r["giver"], r["receiver"]) for r in await kudos_rows(h)] == [("carol", "bob")]
        reply = await h.command("maria", '/recognition settings not-thanks-remove:"nope"')
        assert reply.private and "“nope” is not a declining phrase here" in reply.message.text
        reply = await h.command("maria", '/recognition settings not-thanks-add:"לא תודה"')
        assert "“לא תודה” is already a declining phrase." == reply.message.text
