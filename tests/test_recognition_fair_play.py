"""Fair play (issue 15): thanks declined, collusion bounded, corrections, and saying why."""

import inspect
from datetime import timedelta

import pytest

from bot.events import MissionCompleted, MissionReopened
from tests.harness import make_harness, restarted

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
        assert "thanks, but nah" in reply.message.fields[5].value
        await h.say("alice", "general", "thanks, but nah <@bob>", mentions=("bob",))
        await h.command("maria", '/recognition settings not-thanks-remove:"no thanks"')
        await h.say("carol", "general", "no thanks <@bob>", mentions=("bob",))
        await settle(h)
        assert [(r["giver"], r["receiver"]) for r in await kudos_rows(h)] == [("carol", "bob")]
        reply = await h.command("maria", '/recognition settings not-thanks-remove:"nope"')
        assert reply.private and "“nope” is not a declining phrase here" in reply.message.text
        reply = await h.command("maria", '/recognition settings not-thanks-add:"לא תודה"')
        assert "“לא תודה” is already a declining phrase." == reply.message.text


async def points(h, user):
    value = await h.bot.db.fetch_value(
        "SELECT SUM(amount) FROM recognition_ledger WHERE user_id = ?", (user,)
    )
    return value or 0


async def counted(h):
    return await h.bot.db.fetch_value("SELECT COUNT(*) FROM recognition_kudos WHERE counted = 1")


# --- collusion is bounded -----------------------------------------------------------------


async def test_kudos_from_one_person_to_another_count_three_times_a_week(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        for day in range(5):
            reply = await h.command("alice", f"/kudos @bob day {day}")
            await h.wait(timedelta(days=1))
        assert reply.private
        assert reply.message.text == (
            "Noted, thank you! This one adds no points: your kudos to <@bob> already count 3"
            " times this week: the next counts in 3d."
        )
        assert await points(h, "bob") == 6
        rows = await h.bot.db.fetch_all("SELECT counted, why_uncounted FROM recognition_kudos")
        assert [tuple(r) for r in rows] == [(1, None)] * 3 + [(0, "pair_cap")] * 2
        await h.wait(timedelta(days=2))  # the first falls out of the rolling week
        assert not (await h.command("alice", "/kudos @bob again")).private
        assert await points(h, "bob") == 8


async def test_a_ring_of_eleven_thanking_each_other_is_capped(tmp_path):
    """Eleven friends each thank the next one in the ring every day for five days: 55 counted
    kudos before; the weekly pair cap keeps 3 per pair, 33."""
    ring = [f"r{i}" for i in range(11)]
    async with harness(tmp_path) as h:
        await join_all(h, *ring)
        for _ in range(5):
            for i, person in enumerate(ring):
                following = ring[(i + 1) % len(ring)]
                await h.say(person, "general", f"thanks <@{following}>!", mentions=(following,))
            await settle(h)
            await h.wait(timedelta(days=1))
        assert await counted(h) == 33
        assert await points(h, "r0") == 6
        assert len(h.platform.dms_to("r10")) == 1  # told once why, not every day


async def test_a_thank_for_thank_counts_once_in_chat_too_and_the_giver_hears_why(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.say("alice", "general", "thanks <@bob>", mentions=("bob",))
        await h.say("bob", "general", "thank YOU <@alice>!", mentions=("alice",))
        await settle(h)
        assert [tuple(r) for r in await kudos_rows(h)] == [
            ("alice", "bob", "thanks", 1),
            ("bob", "alice", "thanks", 0),
        ]
        [note] = h.platform.dms_to("bob")
        assert "<@alice> thanked you a moment ago, and a thank-for-thank counts once" in note.text
        assert not h.platform.dms_to("alice")
        assert len(h.platform.of_kind("react")) == 1  # only alice's thank-you is confirmed


async def test_removing_the_reaction_takes_its_kudos_back(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.bot.db.execute(
            "INSERT INTO recognition_tiers (community, role, metric, threshold, created_by,"
            " created_at) VALUES (?, 'helper', 'kudos', 1, 'maria', '2026-03-01T00:00:00+00:00')",
            (h.community,),
        )
        message = await h.say("bob", "general", "here is the fix")
        await h.react("alice", "general", message, "⭐", author="bob")
        await settle(h)
        assert await points(h, "bob") == 2
        assert [a.role for a in h.platform.of_kind("role+")] == ["helper"]
        await h.react("alice", "general", message, "⭐", author="bob", remove=True)
        await settle(h)
        assert await points(h, "bob") == 0
        assert [a.role for a in h.platform.of_kind("role-")] == ["helper"]  # re-evaluated
        row = await h.bot.db.fetch_one("SELECT counted, why_uncounted FROM recognition_kudos")
        assert tuple(row) == (0, "withdrawn")
        await h.wait(timedelta(hours=2))
        await h.react("alice", "general", message, "⭐", author="bob")  # toggling farms nothing
        await settle(h)
        assert await points(h, "bob") == 0 and len(await kudos_rows(h)) == 1


async def test_a_reaction_removed_before_the_flush_never_counts(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        message = await h.say("bob", "general", "here is the fix")
        await h.react("alice", "general", message, "⭐", author="bob")
        await h.react("alice", "general", message, "⭐", author="bob", remove=True)
        await settle(h)
        assert await points(h, "bob") == 0
        assert not h.platform.of_kind("react")  # nothing confirmed that did not happen


# --- people can see why -------------------------------------------------------------------


async def test_one_private_note_lists_who_did_not_count_and_why(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        h.platform.members = {*PEOPLE}
        await h.command("alice", "/kudos @bob earlier")
        await h.say(
            "alice",
            "help",
            "thanks <@bob> <@carol> <@ghost>",
            mentions=("bob", "carol", "ghost"),
        )
        await settle(h)
        assert [(r["receiver"], r["counted"]) for r in await kudos_rows(h)] == [
            ("bob", 1),
            ("carol", 1),
        ]
        [note] = h.platform.dms_to("alice")
        assert note.text == (
            "Thank you for thanking people in <#help>! Not every thank-you adds points:\n"
            "• you gave <@bob> kudos a short while ago: again in 1h\n"
            "• I don't know <@ghost> as a member of this community"
        )
        assert not h.platform.sent_to("help")  # never in public
        await h.wait(timedelta(minutes=10))
        await h.say("alice", "help", "thanks again <@bob>", mentions=("bob",))
        await settle(h)
        assert len(h.platform.dms_to("alice")) == 1  # each reason once


# --- the message path does no I/O ---------------------------------------------------------


async def test_listeners_are_synchronous_and_confirm_only_after_the_flush(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        cog = h.bot.cogs["recognition"]
        for listener in (cog.notice_thanks, cog.notice_reaction, cog.notice_unreaction):
            assert not inspect.iscoroutinefunction(listener)
        await h.say("alice", "general", "thanks <@bob>", mentions=("bob",))
        assert await kudos_rows(h) == [] and not h.platform.actions  # queued, not yet written
        await settle(h)
        assert len(await kudos_rows(h)) == 1 and len(h.platform.of_kind("react")) == 1


async def test_kudos_queued_at_shutdown_are_written(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.say("alice", "general", "thanks <@bob>", mentions=("bob",))
    async with restarted(h) as again:
        assert await points(again, "bob") == 2
        await again.say("alice", "general", "thanks <@bob>", mentions=("bob",))
        await settle(again)  # the restarted bot remembers the cooldown
        assert len(await kudos_rows(again)) == 1


# --- mission completions taken back -------------------------------------------------------


async def test_a_reopened_mission_takes_back_its_completion_points_and_roles(tmp_path):
    async with harness(tmp_path) as h:
        await join_all(h)
        await h.bot.db.execute(
            "INSERT INTO recognition_tiers (community, role, metric, threshold, created_by,"
            " created_at) VALUES (?, 'finisher', 'missions', 1, 'maria', '2026-03-01T00:00:00+00:00')",
            (h.community,),
        )
        done = MissionCompleted(
            community=h.community,
            at=h.clock.now(),
            mission="7",
            name="Answer 10",
            contributors=("alice", "bob"),
        )
        await h.bot.emit(done)
        assert await points(h, "alice") == 5 and await points(h, "bob") == 5
        assert sorted(a.user for a in h.platform.of_kind("role+")) == ["alice", "bob"]
        await h.bot.emit(MissionReopened(community=h.community, at=h.clock.now(), mission_id="7"))
        assert await points(h, "alice") == 0 and await points(h, "bob") == 0
        assert sorted(a.user for a in h.platform.of_kind("role-")) == ["alice", "bob"]
        assert h.platform.dms_to("alice")  # told kindly, privately
        await h.bot.emit(done)  # completed again: the points come back
        assert await points(h, "alice") == 5
