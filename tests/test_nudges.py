"""Nudges: who gets one (and who never does), what it mentions, the hourly cap, quiet
hours, the welcome cog's reminder, /nudges off and on, and the moderators' grouped note."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from cogs.digest.nudges import (
    MemberFacts,
    MissionView,
    NewcomerFacts,
    most_behind,
    needs_moderators,
    pick_hook,
    wants_newcomer_nudge,
    wants_reengagement,
)
from tests.harness import START, Harness, RecordingPlatform, make_harness

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
RULES = {"silent_after": 21 * DAY, "nudge_every": 60 * DAY}
STOP = "`/nudges off`"


def active_then_silent(**changes) -> MemberFacts:
    facts = MemberFacts(
        user="alice",
        is_bot=False,
        is_member=True,
        message_count=40,
        last_message_at=NOW - 30 * DAY,
        last_nudged_at=None,
        opted_out=False,
        waiting=False,
    )
    return replace(facts, **changes)


def test_reengagement_picks_the_active_then_silent_and_nobody_else():
    assert wants_reengagement(active_then_silent(), NOW, **RULES)
    assert wants_reengagement(active_then_silent(last_message_at=NOW - 21 * DAY), NOW, **RULES)
    assert wants_reengagement(active_then_silent(last_nudged_at=NOW - 60 * DAY), NOW, **RULES)
    for why, facts in {
        "never active": active_then_silent(message_count=0, last_message_at=None),
        "barely active": active_then_silent(message_count=4),
        "not silent long enough": active_then_silent(last_message_at=NOW - 20 * DAY),
        "opted out": active_then_silent(opted_out=True),
        "left": active_then_silent(is_member=False),
        "a bot": active_then_silent(is_bot=True),
        "recently nudged": active_then_silent(last_nudged_at=NOW - 59 * DAY),
        "already planned": active_then_silent(waiting=True),
    }.items():
        assert not wants_reengagement(facts, NOW, **RULES), why


def test_a_newcomer_nudge_only_for_a_first_timer_who_has_not_posted():
    facts = NewcomerFacts(
        is_bot=False,
        is_member=True,
        first_time=True,
        joined_at=NOW - DAY,
        last_message_at=None,
        opted_out=False,
        welcome_covers=False,
    )
    assert wants_newcomer_nudge(facts)
    assert wants_newcomer_nudge(replace(facts, last_message_at=NOW - 3 * DAY))  # before joining
    for why, changed in {
        "posted": replace(facts, last_message_at=NOW - timedelta(hours=2)),
        "returning": replace(facts, first_time=False),
        "left": replace(facts, is_member=False),
        "opted out": replace(facts, opted_out=True),
        "welcome reminds": replace(facts, welcome_covers=True),
        "a bot": replace(facts, is_bot=True),
    }.items():
        assert not wants_newcomer_nudge(changed), why


def test_missions_behind_pace_and_the_hook_a_nudge_mentions():
    start = NOW - 8 * DAY
    slow = MissionView("Slow", 1, 10, "pages", start, NOW + 2 * DAY, "1")
    fine = MissionView("Fine", 9, 10, "pages", start, NOW + 2 * DAY, "2")
    early = MissionView("Early", 0, 10, "pages", NOW - DAY, NOW + 20 * DAY, "3")
    assert most_behind([fine, early, slow], NOW) == slow
    assert most_behind([fine], NOW) is None
    assert needs_moderators(slow, NOW)
    assert not needs_moderators(fine, NOW) and not needs_moderators(early, NOW)
    assert pick_hook(["Docs"], [("How?", None)], ["LGTM"]).kind == "mission"
    assert pick_hook([], [("How?", "link")], ["LGTM"]).link == "link"
    assert pick_hook([], [], ["LGTM"]).text == "LGTM"
    assert pick_hook([], [], []) is None


class StampingPlatform(RecordingPlatform):
    """Records when (by the test clock) each private message was sent."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self.clock = clock
        self.dm_at: list[tuple[str, datetime]] = []

    async def send_dm(self, community, user, message):
        self.dm_at.append((user, self.clock.now()))
        return await super().send_dm(community, user, message)


@asynccontextmanager
async def nudge_bot(
    tmp_path, cogs: list[str], start: datetime = START
) -> AsyncIterator[tuple[Harness, StampingPlatform]]:
    clock = ManualClock(start)
    platform = StampingPlatform(clock)
    sections = {"hearth": {"flush_seconds": 3600}}
    async with make_harness(
        tmp_path, cogs=cogs, sections=sections, clock=clock, platform=platform
    ) as h:
        h.moderators.add("maria")
        yield h, platform


async def ok(h: Harness, line: str, user: str = "maria") -> None:
    reply = await h.command(user, line)
    assert "✅" in reply.message.text or "🔕" in reply.message.text, (line, reply.message.text)


def nudges_to(h: Harness, user: str) -> list[str]:
    return [a.text for a in h.platform.dms_to(user) if STOP in a.text]


async def test_quiet_members_get_one_nudge_with_something_concrete_and_others_none(tmp_path):
    async with nudge_bot(tmp_path, ["digest", "missions", "questions"]) as (h, _):
        for person in ("alice", "bob", "carol", "dan", "erin", "fay"):
            await h.join(person)
        await ok(
            h,
            '/mission create name:"Docs" goal:"Write docs" target:50 unit:pages deadline:60d'
            " channel:#general",
        )
        await ok(h, "/questions config help-channel:#help close-after:60d")
        joined = await h.command("alice", "/mission join")
        assert joined.message.text.startswith("You joined “Docs”")
        for person in ("alice", "carol", "dan", "erin"):
            for n in range(6):
                await h.say(person, "general", f"note {n}")
        await h.say("fay", "general", "hi")  # one message: never really active
        await ok(h, "/digest settings nudges:on")  # after the joins: no newcomer nudges
        await ok(h, "/nudges off", user="carol")
        await h.leave("dan")
        await h.wait(10 * DAY)
        await h.say("erin", "help", "Is the wiki down")  # erin goes quiet ten days later
        question = await h.say("bob", "help", "How do I export my data")
        await h.wait(11 * DAY)  # day 21, 09:00: alice is quiet for exactly 21 days
        assert h.platform.of_kind("dm") == []
        await h.wait(timedelta(hours=1, minutes=1))  # the daily 10:00 run
        (alice,) = nudges_to(h, "alice")
        assert "“Docs”, the mission you joined" in alice
        assert alice.startswith("👋 Hi <@alice>")
        await h.wait(10 * DAY)  # day 31: erin is quiet for 21 days
        (erin,) = nudges_to(h, "erin")
        assert f"“How do I export my data” https://chat.example/help/{question}" in erin
        assert {a.user for a in h.platform.of_kind("dm")} == {"alice", "erin"}
        assert len(h.platform.of_kind("dm")) == 2
        for nobody in ("bob", "carol", "dan", "fay"):
            assert h.platform.dms_to(nobody) == [], nobody


async def test_at_most_one_nudge_per_interval_and_nobody_is_chased_forever(tmp_path):
    async with nudge_bot(tmp_path, ["digest"]) as (h, platform):
        await h.join("alice")
        for n in range(6):
            await h.say("alice", "general", f"note {n}")
        await ok(h, "/digest settings nudges:on silent-after:7d nudge-every:14d")
        await h.wait(8 * DAY)  # quiet for 7 days at the daily run on day 7: one nudge
        assert len(nudges_to(h, "alice")) == 1
        await h.say("alice", "general", "oh hi")  # day 8: back, then quiet again
        await h.wait(10 * DAY)  # day 18: quiet 7+ days, but nudged only 11 days ago
        assert len(nudges_to(h, "alice")) == 1
        # Day 22, 09:00. At the run on day 21 the first nudge (sent at 10:01) was a minute
        # short of 14 days old.
        await h.wait(4 * DAY)
        assert len(nudges_to(h, "alice")) == 1
        await h.wait(DAY)  # day 22 10:00: 14 days since the first nudge: a second one
        assert len(nudges_to(h, "alice")) == 2
        await h.wait(20 * DAY)  # day 43: still quiet, but not chased beyond 7 + 14 days
        assert len(nudges_to(h, "alice")) == 2
        days = [(at - START).days for _, at in platform.dm_at]
        assert days == [7, 22]


async def test_newcomers_get_one_nudge_after_a_day_unless_they_posted(tmp_path):
    async with nudge_bot(tmp_path, ["digest"]) as (h, platform):
        await ok(h, "/digest settings nudges:on introductions:#introductions")
        for person in ("ana", "ben"):
            await h.join(person)
        await h.join("robot", is_bot=True)
        await h.say("ben", "general", "hello!")
        await h.wait(timedelta(hours=23, minutes=59))
        assert platform.dm_at == []
        await h.wait(timedelta(minutes=2))
        (nudge,) = nudges_to(h, "ana")
        assert "Say hello in <#introductions>" in nudge
        assert h.platform.dms_to("ana")[0].message.mentions == ("ana",)
        assert platform.dm_at == [("ana", START + DAY)]
        await h.wait(10 * DAY)
        assert [user for user, _ in platform.dm_at] == ["ana"]


async def test_the_welcome_reminder_and_the_newcomer_nudge_are_one_reminder_in_total(tmp_path):
    async with nudge_bot(tmp_path, ["digest", "welcome"]) as (h, _):
        await ok(h, "/digest settings nudges:on")
        await h.join("ana")
        await h.wait(3 * DAY)
        welcome_dms = h.platform.dms_to("ana")
        assert len(welcome_dms) == 2  # the welcome and its one reminder
        assert nudges_to(h, "ana") == []
        await ok(h, "/welcome reminder enabled:off")
        await h.join("ben")
        await h.wait(3 * DAY)
        assert len(nudges_to(h, "ben")) == 1  # the welcome DM, then the digest's nudge
        assert len(h.platform.dms_to("ben")) == 2


async def test_the_hourly_cap_makes_nudges_wait_for_the_next_hour_without_dropping_any(tmp_path):
    async with nudge_bot(tmp_path, ["digest"]) as (h, platform):
        await ok(h, "/digest settings nudges:on dm-cap:2")
        people = [f"p{n}" for n in range(5)]
        for person in people:
            await h.join(person)
        await h.wait(DAY + 3 * timedelta(hours=1))
        due = START + DAY
        assert [at for _, at in platform.dm_at] == [
            due,
            due,
            due + timedelta(hours=1),
            due + timedelta(hours=1),
            due + timedelta(hours=2),
        ]
        assert sorted(user for user, _ in platform.dm_at) == people


async def test_quiet_hours_hold_nudges_until_they_end_in_the_community_timezone(tmp_path):
    late = datetime(2026, 3, 2, 21, 30, tzinfo=UTC)  # 22:30 in Berlin
    async with nudge_bot(tmp_path, ["digest"], start=late) as (h, platform):
        await h.command("maria", "/hearth timezone zone:Europe/Berlin")
        await ok(h, "/digest settings nudges:on newcomer-after:1h quiet-hours:22:00-08:00")
        await h.join("ana")
        await h.wait(DAY)
        assert platform.dm_at == [("ana", datetime(2026, 3, 3, 7, 0, tzinfo=UTC))]  # 08:00


async def test_nudges_off_and_on(tmp_path):
    async with nudge_bot(tmp_path, ["digest"]) as (h, _):
        await h.join("ben")
        await h.leave("ben")
        await ok(h, "/digest settings nudges:on quiet-hours:off")
        await h.join("ana")
        off = await h.command("ana", "/nudges off")
        assert off.private and off.message.text.startswith("🔕")
        again = await h.command("ana", "/nudges off")
        assert "already off" in again.message.text
        await h.wait(2 * DAY)
        assert h.platform.dms_to("ana") == []  # the planned newcomer nudge was dropped
        on = await h.command("ana", "/nudges on")
        assert on.private and on.message.text.startswith("🔔")
        assert "already on" in (await h.command("ana", "/nudges on")).message.text
        await h.join("ben")  # a rejoin is no newcomer
        await h.join("cy")
        await h.leave("cy")  # and nobody who left gets one
        await h.wait(2 * DAY)
        assert h.platform.of_kind("dm") == []


async def test_moderators_get_one_grouped_note_per_run_and_each_item_once(tmp_path):
    async with nudge_bot(tmp_path, ["digest", "questions", "missions"]) as (h, _):
        await h.join("dan")
        await ok(h, "/questions config help-channel:#help escalate-after:12h")
        await ok(h, "/digest settings moderator-channel:#mods quiet-hours:off")
        await ok(
            h,
            '/mission create name:"Docs" goal:"Write docs" target:10 unit:pages deadline:4d'
            " channel:#general",
        )
        await h.say("dan", "help", "Why does the build fail")
        await h.wait(timedelta(hours=11, minutes=59))
        assert h.platform.sent_to("mods") == []
        await h.wait(timedelta(minutes=2))  # the hourly run at 21:00: waiting 12 hours
        (first,) = h.platform.sent_to("mods")
        assert first.message.title == "🛎️ For moderators"
        assert "“Why does the build fail”: waiting 12h" in first.text
        assert "Docs" not in first.text  # 3 days 12 hours left: not yet
        await h.wait(DAY)  # at 09:00 three days are left, and nothing is done
        (_, second) = h.platform.sent_to("mods")
        assert "**Docs**: 0/10 pages (0%), ends in 3d" in second.text
        assert "build fail" not in second.text  # told once already
        await h.wait(DAY)
        assert len(h.platform.sent_to("mods")) == 2


async def test_forgetting_a_member_removes_their_nudges_opt_out_and_activity(tmp_path):
    async with nudge_bot(tmp_path, ["digest"]) as (h, _):
        await ok(h, "/digest settings nudges:on")
        await h.join("ana")
        await h.say("ana", "general", "hello")
        await h.command("ana", "/nudges off")
        digest = h.bot.cogs["digest"]
        kept = await digest.export_user_data(h.community, "ana")
        assert kept["nudges_off"] is True
        assert [n["state"] for n in kept["nudges"]] == ["skipped"]  # the newcomer nudge
        assert kept["active_days_recorded"] == 1
        await digest.delete_user_data(h.community, "ana")
        assert await digest.export_user_data(h.community, "ana") == {
            "nudges_off": False,
            "nudges": [],
            "active_days_recorded": 0,
            "activity": [],
        }
