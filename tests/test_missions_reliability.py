"""Exactly once: concurrent contributions, restarts between a contribution and its
announcement, and reminders and summaries at the right clock times, never twice."""

import asyncio
from datetime import timedelta

import pytest

from tests.harness import START, RecordingPlatform, make_harness, restarted

CREATE = (
    '/mission create name:"Answer 10" goal:"Answer 10 questions" target:10 unit:answers'
    " deadline:2h channel:#missions"
)


class Crash(BaseException):
    """The process dying: nothing in the bot catches it."""


class CrashingPlatform(RecordingPlatform):
    """Dies on the first message whose text contains ``crash_on``."""

    crash_on: str | None = None

    async def send(self, community, channel, message, *, thread=None):
        if self.crash_on is not None and self.crash_on in message.text:
            self.crash_on = None
            raise Crash
        return await super().send(community, channel, message, thread=thread)


def announced(h, fragment: str) -> int:
    return sum(fragment in a.text for a in h.platform.sent_to("missions"))


async def test_concurrent_contributions_announce_each_milestone_once(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE.replace("target:10", "target:20"))
        await h.command("starter", "/mission contribute 9")
        people = [f"p{i}" for i in range(8)]
        replies = await asyncio.gather(*(h.command(p, "/mission contribute 1") for p in people))
        assert all("✅ +1" in r.message.text for r in replies)
        assert await h.bot.db.fetch_value("SELECT total FROM missions") == 17
        assert announced(h, "50% done") == 1
        assert announced(h, "75% done") == 1
        keys = await h.bot.db.fetch_all("SELECT key FROM mission_notices ORDER BY id")
        assert [k[0] for k in keys] == [
            "post",
            "milestone:25",
            "milestone:50",
            "milestone:75",
        ]


async def test_concurrent_contributions_past_the_target_celebrate_once(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE)
        await h.command("starter", "/mission contribute 8")
        replies = await asyncio.gather(
            *(h.command(p, "/mission contribute 1") for p in ("a", "b", "c", "d"))
        )
        counted = [r for r in replies if "✅ +1" in r.message.text]
        assert len(counted) == 2  # the mission finished at 10; the others are told so
        assert all("is finished" in r.message.text for r in replies if r not in counted)
        assert announced(h, "reached its target") == 1


async def test_a_restart_between_contribution_and_announcement_announces_once(tmp_path):
    platform = CrashingPlatform()
    async with make_harness(tmp_path, cogs=["missions"], platform=platform) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE)
        platform.crash_on = "50% done"
        with pytest.raises(Crash):
            await h.command("alice", "/mission contribute 5")
        # The contribution was committed before anything was announced…
        assert await h.bot.db.fetch_value("SELECT total FROM missions") == 5
        assert announced(h, "50% done") == 0
    # …and after the restart the announcement goes out, once.
    async with restarted(h) as again:
        assert announced(again, "50% done") == 1
        await again.wait(timedelta(minutes=10))
        await again.command("bob", "/mission contribute 1")
        assert announced(again, "50% done") == 1


async def test_counts_buffered_at_shutdown_are_written_and_announced_after_restart(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command(
            "maria",
            CREATE.replace("target:10", "target:4") + ' counting:messages count-channels:"#help"',
        )
        for text in ("one", "two", "three", "four"):
            await h.say("alice", "help", text)
        assert await h.bot.db.fetch_value("SELECT total FROM missions") == 0  # only in memory
    async with restarted(h) as again:
        assert await again.bot.db.fetch_value("SELECT total FROM missions") == 4
        assert announced(again, "reached its target: 4/4") == 1


async def test_a_reminder_when_behind_pace_and_a_summary_at_the_deadline_each_once(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE)
        await h.command("alice", "/mission join")
        await h.command("alice", "/mission contribute 2")
        await h.wait(timedelta(minutes=89))  # 25 % of the time is left at 1h30
        assert announced(h, "left for") == 0
        await h.wait(timedelta(minutes=2))
        reminders = [a for a in h.platform.sent_to("missions") if "left for" in a.text]
        assert len(reminders) == 1
        assert "30m left for “Answer 10”, and it is 20% done (2/10 answers)" in reminders[0].text
        assert reminders[0].message.mentions == ("alice",)  # she joined: she asked for it
        await h.wait(timedelta(minutes=27))
        assert announced(h, "is over") == 0
        await h.wait(timedelta(minutes=2))
        summaries = [a for a in h.platform.sent_to("missions") if a.message.title]
        summaries = [a for a in summaries if "is over" in a.message.title]
        assert len(summaries) == 1
        assert "It ended at 2/10 answers (20%)" in summaries[0].text
        assert "<@alice>" in summaries[0].text
        row = await h.bot.db.fetch_one("SELECT state, outcome FROM missions")
        assert tuple(row) == ("archived", "missed")
    async with restarted(h) as again:
        await again.wait(timedelta(hours=1))
        assert announced(again, "left for") == 1
        assert (
            sum("is over" in (a.message.title or "") for a in again.platform.of_kind("send")) == 1
        )


async def test_no_reminder_when_on_pace(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE.replace("deadline:2h", "deadline:1h"))
        await h.command("alice", "/mission contribute 8")
        await h.wait(timedelta(minutes=61))
        assert announced(h, "left for") == 0
        assert announced(h, "It ended at 8/10") == 1


async def test_the_summary_comes_once_after_a_stop_across_the_deadline(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE.replace("deadline:2h", "deadline:1h"))
        await h.command("alice", "/mission contribute 3")
    h.clock.set(START + timedelta(hours=5))  # the bot is down while the deadline passes
    async with restarted(h) as again:
        assert announced(again, "It ended at 3/10") == 1
        assert announced(again, "left for") == 0  # a reminder that late would only be noise
    async with restarted(again) as third:
        await third.wait(timedelta(minutes=1))
        assert announced(third, "It ended at 3/10") == 1


async def test_extending_moves_the_reminder_and_the_summary(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE.replace("deadline:2h", "deadline:1h"))
        await h.command("maria", '/mission extend "Answer 10" by:1h')
        await h.wait(timedelta(minutes=61))
        assert announced(h, "left for") == 0 and announced(h, "ended") == 0
        await h.wait(timedelta(minutes=30))  # 25 % of two hours left: at 1h30
        assert announced(h, "30m left for") == 1
        await h.wait(timedelta(minutes=30))
        assert announced(h, "It ended at 0/10") == 1


async def test_a_messages_mission_counts_up_to_its_deadline_and_no_further(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command(
            "maria",
            CREATE.replace("deadline:2h", "deadline:1h")
            + ' counting:messages count-channels:"#help"',
        )
        await h.wait(timedelta(minutes=59, seconds=58))
        await h.say("alice", "help", "just in time")
        await h.wait(timedelta(seconds=3))  # the deadline falls before the next flush
        assert announced(h, "It ended at 1/10") == 1
        await h.say("alice", "help", "too late")
        await h.wait(timedelta(seconds=10))
        assert await h.bot.db.fetch_value("SELECT total FROM missions") == 1
