"""Every bad input gets a short private answer that says what is wrong, and changes nothing."""

from datetime import timedelta

from bot.messages import MessageRef
from tests.harness import make_harness

CREATE = (
    '/mission create name:"{name}" goal:"Do it" target:{target} unit:answers'
    " deadline:7d channel:#missions"
)


def create(name: str = "Answer 10", target: int = 10, extra: str = "") -> str:
    return CREATE.format(name=name, target=target) + (" " + extra if extra else "")


async def snapshot(h) -> tuple:
    """Everything a command could change: the cog's tables, timers, settings, the platform."""
    db = h.bot.db
    tables = (
        "missions",
        "mission_contributions",
        "mission_notices",
        "mission_participants",
        "mission_earners",
        "timers",
        "community_settings",
    )
    state = [
        [tuple(r) for r in await db.fetch_all(f"SELECT * FROM {t} ORDER BY 1, 2")] for t in tables
    ]
    return (*map(tuple, state), len(h.platform.actions))


async def refused(h, user: str, line: str, expected: str) -> None:
    before = await snapshot(h)
    reply = await h.command(user, line)
    assert reply.private, line
    assert expected in reply.message.text, (line, reply.message.text)
    assert len(reply.message.text) < 300, line  # short
    assert await snapshot(h) == before, f"{line} changed something"


async def world(h) -> None:
    """An active mission with bob's contribution #1, one finished, one cancelled, one upcoming."""
    h.moderators.add("maria")
    await h.command("maria", create())
    await h.command("bob", "/mission contribute 2")
    await h.command("maria", create("Done", 1))
    await h.command("bob", '/mission contribute 1 name:"Done"')
    await h.command("maria", create("Gone"))
    await h.command("maria", '/mission cancel "Gone" not needed')
    await h.command("maria", create("Later", extra="starts:3d deadline:9d"))
    await h.wait(timedelta(seconds=5))


async def test_bad_mission_definitions(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        await world(h)
        for user, line, expected in [
            ("alice", create("Mine"), "Only moderators can use `/mission create`"),
            ("maria", create("Zero", 0), "`target` must be a whole number 1–1000000 (you gave 0)"),
            ("maria", create("Big", "ten"), "`target` must be a whole number, not “ten”"),
            (
                "maria",
                create("Past").replace("deadline:7d", "deadline:2020-01-01"),
                "`deadline` must be in the future",
            ),
            (
                "maria",
                create("Soon").replace("deadline:7d", "deadline:soon"),
                "`deadline` must be a date",
            ),
            ("maria", create("ÁNSWER  10"), "A mission called “ÁNSWER  10” is already running"),
            ("maria", create("x" * 61), "`name` can be at most 60 characters (you gave 61)"),
            (
                "maria",
                create("Long").replace('goal:"Do it"', f'goal:"{"ა" * 301}"'),
                "`goal` can be at most 300 characters",
            ),
            (
                "maria",
                create("Low", extra="stretch:10"),
                "The stretch target (10) must be above the target (10)",
            ),
            (
                "maria",
                create("Chat", extra="counting:messages"),
                "A messages mission needs `count-channels:`",
            ),
            (
                "maria",
                create("Hand", extra='count-channels:"#help"'),
                "`count-channels` only applies to messages and answers missions, not manual",
            ),
            (
                "maria",
                create("Odd", extra='counting:messages count-channels:"help me"'),
                "`count-channels` must list channels",
            ),
            (
                "maria",
                create("Odd", extra="counting:vibes"),
                "`counting` must be one of: manual, messages",
            ),
            ("maria", create("Late", extra="starts:8d"), "The deadline must come after the start"),
            (
                "maria",
                create("Cap", extra="daily-cap:0"),
                "`daily-cap` must be a whole number 1–1000000",
            ),
        ]:
            await refused(h, user, line, expected)


async def test_bad_contributions(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        await world(h)
        for line, expected in [
            (
                "/mission contribute 0",
                "A contribution is a whole number from 1 to 100 (you gave 0)",
            ),
            ("/mission contribute -3", "from 1 to 100 (you gave -3)"),
            ("/mission contribute abc", "`amount` must be a whole number, not “abc”"),
            ("/mission contribute 101", "from 1 to 100 (you gave 101)"),
            ("/mission contribute 1.5", "`amount` must be a whole number, not “1.5”"),
            ("/mission contribute", "Please give `amount`"),
            ("/mission contribute 1 " + "ü" * 201, "`note` can be at most 200 characters"),
            ('/mission contribute 1 name:"Done"', "“Done” is finished: it reached its target"),
            ('/mission contribute 1 name:"Gone"', "“Gone” was cancelled"),
            (
                '/mission contribute 1 name:"Later"',
                "“Later” has not started yet: it starts in 2d 23h",
            ),
            ('/mission contribute 1 name:"Nope"', "There is no mission called “Nope”"),
            ('/mission join "Done"', "“Done” is finished"),
            ("/mission undo", "You have no contribution to take back"),
            ("/mission undo 1", "Contribution #1 is someone else's"),
            ("/mission undo 999", "There is no contribution #999 here"),
        ]:
            await refused(h, "alice", line, expected)
        before = await snapshot(h)
        pressed = await h.press(
            "alice", MessageRef(h.community, "missions", "x"), "missions.undo", "1"
        )
        assert pressed.private and "someone else's" in pressed.message.text
        assert await snapshot(h) == before


async def test_the_contribution_cap_follows_the_setting(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        await world(h)
        await h.command("maria", "/mission settings max-contribution:5")
        await refused(h, "alice", "/mission contribute 6", "from 1 to 5 (you gave 6)")


async def test_the_daily_cap_refuses_what_is_over_it_in_the_local_day(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", "/hearth timezone zone:Pacific/Kiritimati")  # UTC+14: 23:00
        await h.command("maria", create(extra="daily-cap:5"))
        await h.command("alice", "/mission contribute 3")
        await refused(h, "alice", "/mission contribute 3", "you can add 2 more today")
        await h.command("alice", "/mission contribute 2")
        await refused(h, "alice", "/mission contribute 1", "you reached that today")
        await h.wait(timedelta(hours=1))  # midnight in Kiritimati: a new day there
        reply = await h.command("alice", "/mission contribute 1")
        assert "✅ +1" in reply.message.text


async def test_undo_is_only_for_a_short_while(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        await world(h)
        await h.command("alice", "/mission contribute 2")
        await h.wait(timedelta(minutes=11))
        await refused(h, "alice", "/mission undo", "can be taken back for 10m")


async def test_bad_moderator_changes(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        await world(h)
        for user, line, expected in [
            (
                "alice",
                '/mission cancel "Answer 10" no',
                "Only moderators can use `/mission cancel`",
            ),
            ("alice", "/mission remove-contribution @bob spam", "Only moderators"),
            ("maria", '/mission cancel "Done" oops', "“Done” is already over (🏁 Target reached)"),
            ("maria", '/mission extend "Answer 10" by:1d until:2030-01-01', "Give either `by:`"),
            ("maria", '/mission extend "Answer 10"', "Give either `by:`"),
            ("maria", '/mission extend "Answer 10" until:1d', "must be later than the current one"),
            ("maria", '/mission edit "Answer 10"', "Nothing to change"),
            ("maria", '/mission edit "Answer 10" stretch:20 clear:stretch', "cannot set and clear"),
            ("maria", '/mission edit "Answer 10" stretch:5', "must be above the target (10)"),
            (
                "maria",
                '/mission edit "Answer 10" new-name:later',
                "A mission called “later” is already",
            ),
            (
                "maria",
                '/mission edit "Answer 10" counting:messages',
                "There is no option `counting`",
            ),
            ("maria", "/mission remove-contribution @carol spam", "<@carol> has no contribution"),
            ("maria", "/mission remove-contribution @alice spam id:1", "#1 is not <@alice>'s"),
            (
                "maria",
                "/mission settings milestones:abc",
                "Milestones are percentages from 1 to 100",
            ),
            ("maria", "/mission settings milestones:0,150", "Milestones are percentages"),
            ("maria", "/mission settings reminders:100", "Reminders are percentages of time left"),
        ]:
            await refused(h, user, line, expected)
