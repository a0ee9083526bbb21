"""Missions that fill from activity: messages (buffered, flushed by a job), answered
questions, kudos and welcomes, emitted as the other cogs emit them."""

from datetime import timedelta

from bot.events import KudosGiven, NewcomerGreeted, QuestionAnswered
from tests.harness import make_harness

CREATE = (
    '/mission create name:"Busy week" goal:"Talk it up" target:10 unit:messages'
    " deadline:1d channel:#missions"
)


async def total(h) -> int:
    return await h.bot.db.fetch_value("SELECT total FROM missions")


async def rows(h) -> int:
    return await h.bot.db.fetch_value("SELECT COUNT(*) FROM mission_contributions")


async def test_messages_in_the_chosen_channels_count_without_a_write_per_message(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE + ' counting:messages count-channels:"#help #dev"')
        for _ in range(3):
            await h.say("alice", "help", "here is how")
        await h.say("bob", "dev", "merged", thread="t1")  # a thread in a counted channel counts
        await h.say("bob", "random", "off topic")  # not a counted channel
        await h.say("helperbot", "help", "beep", is_bot=True)  # bots do not count
        assert await total(h) == 0 and await rows(h) == 0  # nothing written per message
        await h.wait(timedelta(seconds=5))
        assert await total(h) == 4
        per_person = await h.bot.db.fetch_all(
            "SELECT user_id, amount, source FROM mission_contributions ORDER BY user_id"
        )
        assert [tuple(r) for r in per_person] == [("alice", 3, "messages"), ("bob", 1, "messages")]
        manual = await h.command("alice", '/mission contribute 1 name:"Busy week"')
        assert manual.private and "counts by itself" in manual.message.text
        assert await total(h) == 4


async def test_counts_a_failed_flush_could_not_write_are_kept_for_the_next(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE + ' counting:messages count-channels:"#help"')
        await h.say("alice", "help", "one")
        await h.bot.db.execute(
            "CREATE TEMP TRIGGER full BEFORE INSERT ON mission_contributions"
            " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        await h.wait(timedelta(seconds=5))  # the flush fails (logged by the job)
        await h.say("alice", "help", "two")
        await h.bot.db.execute("DROP TRIGGER full")
        await h.wait(timedelta(seconds=5))
        assert await total(h) == 2


async def test_a_daily_cap_cuts_automatic_counts_per_local_day(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", "/hearth timezone zone:Pacific/Kiritimati")  # UTC+14: 23:00
        await h.command("maria", CREATE + ' counting:messages count-channels:"#help" daily-cap:3')
        for _ in range(5):
            await h.say("alice", "help", "hi")
        await h.wait(timedelta(seconds=5))
        assert await total(h) == 3
        await h.wait(timedelta(minutes=59, seconds=50))  # 23:59:55 local: still the same day
        await h.say("alice", "help", "still today")
        await h.wait(timedelta(seconds=5))  # flushed at 00:00:00, counted on the day it was said
        assert await total(h) == 3
        await h.wait(timedelta(minutes=1))
        await h.say("alice", "help", "a new day")  # 00:01:00 local
        await h.wait(timedelta(seconds=5))
        assert await total(h) == 4


async def test_answered_questions_count_for_the_responder_in_the_chosen_channel(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command(
            "maria",
            CREATE.replace("target:10", "target:2").replace("unit:messages", "unit:answers")
            + ' counting:answers count-channels:"#help"',
        )

        async def answered(channel: str, responder: str) -> None:
            await h.bot.emit(
                QuestionAnswered(
                    community=h.community,
                    at=h.clock.now(),
                    question="q",
                    channel=channel,
                    asker="newbie",
                    responder=responder,
                    response_seconds=30.0,
                )
            )

        await answered("help", "bob")
        await answered("random", "carol")  # not the mission's channel
        assert await total(h) == 1  # counted at once: answers are rare
        await answered("help", "dan")
        assert sum("reached its target" in a.text for a in h.platform.sent_to("missions")) == 1
        board = await h.command("maria", "/mission leaderboard")
        assert board.message.text.splitlines() == ["1. <@bob> · 1", "2. <@dan> · 1"]


async def test_kudos_and_welcomes_count_for_the_giver_and_the_greeter(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE.replace("Busy week", "Thanks") + " counting:kudos")
        await h.command("maria", CREATE.replace("Busy week", "Hello") + " counting:welcomes")
        await h.bot.emit(
            KudosGiven(
                community=h.community,
                at=h.clock.now(),
                giver="ana",
                receiver="ben",
                reason="review",
                source="command",
            )
        )
        await h.bot.emit(
            NewcomerGreeted(community=h.community, at=h.clock.now(), newcomer="zoe", greeter="eli")
        )
        await h.bot.emit(
            NewcomerGreeted(community=h.community, at=h.clock.now(), newcomer="yan")
        )  # no greeter: nobody to credit
        counted = await h.bot.db.fetch_all(
            "SELECT m.name, c.user_id, c.amount FROM mission_contributions c"
            " JOIN missions m ON m.id = c.mission_id ORDER BY m.name"
        )
        assert [tuple(r) for r in counted] == [("Hello", "eli", 1), ("Thanks", "ana", 1)]


async def test_a_cancelled_automatic_mission_stops_counting(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE + ' counting:messages count-channels:"#help"')
        await h.say("alice", "help", "one")
        await h.wait(timedelta(seconds=5))
        await h.command("maria", '/mission cancel "Busy week" wrong channel')
        await h.say("alice", "help", "two")
        await h.wait(timedelta(seconds=5))
        assert await total(h) == 1 and await rows(h) == 1


async def test_changing_one_communitys_missions_leaves_the_others_counting(tmp_path):
    """The listeners' index is refreshed per community: a create, edit or cancel in one
    community is seen at once there and does not disturb another community's missions."""

    async def totals(h) -> dict[str, int]:
        found = await h.bot.db.fetch_all("SELECT community, name, total FROM missions")
        return {f"{r[0]}/{r[1]}": r[2] for r in found}

    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        other = "test:c2"
        await h.bot.ensure_community(other, "Other Community")
        await h.command("maria", CREATE + ' counting:messages count-channels:"#help"')
        h.community = other
        await h.command("maria", CREATE + ' counting:messages count-channels:"#dev"')
        await h.say("bob", "dev", "one")
        await h.command("maria", '/mission edit "Busy week" count-channels:"#help"')
        await h.say("bob", "help", "two")  # counts under the edited channels at once
        await h.say("bob", "dev", "not any more")
        h.community = "test:c1"
        await h.say("alice", "help", "one")
        await h.wait(timedelta(seconds=5))
        assert await totals(h) == {"test:c1/Busy week": 1, "test:c2/Busy week": 2}

        h.community = other
        await h.command("maria", '/mission cancel "Busy week" wrong channel')
        await h.say("bob", "help", "after the cancel")
        h.community = "test:c1"
        await h.say("alice", "help", "two")
        await h.wait(timedelta(seconds=5))
        assert await totals(h) == {"test:c1/Busy week": 2, "test:c2/Busy week": 2}
