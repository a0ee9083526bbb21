"""Exactly once across restarts: nothing is sent twice, a digest missed for a few hours
goes out once at start-up, one missed for days is skipped, a crash mid-run repeats nothing."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.timeutil import to_db
from tests.harness import Harness, RecordingPlatform, make_harness, restarted

SECTIONS = {"hearth": {"flush_seconds": 3600}}
MONDAY_NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # START is Monday 09:00 UTC


async def set_up(h: Harness, line: str) -> None:
    h.moderators.add("maria")
    reply = await h.command("maria", line)
    assert reply.message.text.startswith("✅"), reply.message.text


async def next_digest(h: Harness) -> str:
    shown = (await h.command("maria", "/digest settings")).message
    return next(f.value for f in shown.fields if f.name == "Next digest")


async def test_a_restart_after_sending_sends_nothing_again(tmp_path):
    async with make_harness(tmp_path, cogs=["digest"], sections=SECTIONS) as h:
        await set_up(h, "/digest settings channel:#news day:monday time:12:00 nudges:on")
        await h.join("alice")
        await h.wait(timedelta(hours=26))  # the digest (12:00) and alice's nudge (next 09:00)
        assert len(h.platform.sent_to("news")) == 1
        assert len(h.platform.dms_to("alice")) == 1
    async with restarted(h) as again:
        await again.wait(timedelta(hours=2))
        assert len(again.platform.sent_to("news")) == 1
        assert len(again.platform.dms_to("alice")) == 1
        assert await next_digest(again) == "Mon 2026-03-09 12:00 UTC"


async def test_a_digest_missed_for_three_hours_is_sent_once_at_start_up(tmp_path):
    async with make_harness(tmp_path, cogs=["digest"], sections=SECTIONS) as h:
        await set_up(h, "/digest settings channel:#news day:monday time:12:00")
        await h.wait(timedelta(hours=1))
    h.clock.set(MONDAY_NOON + timedelta(hours=3))  # the bot was down from 10:00 to 15:00
    async with restarted(h) as again:
        await again.wait(timedelta(minutes=1))
        (sent,) = again.platform.sent_to("news")
        assert sent.message.text == "Mon 23 Feb – Sun 01 Mar 2026"  # the week it was due for
        await again.wait(timedelta(days=2))
        assert len(again.platform.sent_to("news")) == 1
    async with restarted(h) as third:
        await third.wait(timedelta(hours=1))
        assert len(third.platform.sent_to("news")) == 1
        assert await next_digest(third) == "Mon 2026-03-09 12:00 UTC"


async def test_a_digest_missed_for_three_days_is_skipped_and_the_next_one_comes_on_time(
    tmp_path,
):
    async with make_harness(tmp_path, cogs=["digest"], sections=SECTIONS) as h:
        await set_up(h, "/digest settings channel:#news day:monday time:12:00")
        await h.wait(timedelta(hours=1))
    h.clock.set(MONDAY_NOON + timedelta(days=3))
    async with restarted(h) as again:
        await again.wait(timedelta(minutes=5))
        assert again.platform.sent_to("news") == []
        state = await again.bot.db.fetch_value(
            "SELECT state FROM digest_runs WHERE due_at = ?", (to_db(MONDAY_NOON),)
        )
        assert state == "skipped"
        assert await next_digest(again) == "Mon 2026-03-09 12:00 UTC"
        await again.wait(datetime(2026, 3, 9, 12, 0, tzinfo=UTC) - again.clock.now())
        (sent,) = again.platform.sent_to("news")
        assert sent.message.text == "Mon 02 Mar – Sun 08 Mar 2026"


class Crash(BaseException):
    """The process dying in the middle of a run (not an error a handler could catch)."""


class CrashingPlatform(RecordingPlatform):
    def __init__(self) -> None:
        super().__init__()
        self.crash_on_dm: int | None = None

    async def send_dm(self, community, user, message):
        if self.crash_on_dm is not None and len(self.of_kind("dm")) + 1 == self.crash_on_dm:
            raise Crash
        return await super().send_dm(community, user, message)


async def test_a_crash_in_the_middle_of_a_run_repeats_nothing_after_the_restart(tmp_path):
    platform = CrashingPlatform()
    platform.crash_on_dm = 3
    people = ["ana", "ben", "cy", "dee", "eve"]
    with pytest.raises(Crash):
        async with make_harness(
            tmp_path, cogs=["digest"], sections=SECTIONS, platform=platform
        ) as h:
            await set_up(h, "/digest settings nudges:on quiet-hours:off")
            for person in people:
                await h.join(person)
            await h.wait(timedelta(hours=24, minutes=5))
    assert [a.user for a in platform.of_kind("dm")] == ["ana", "ben"]
    platform.crash_on_dm = None
    async with restarted(h) as again:
        await again.wait(timedelta(hours=1))
        received = [a.user for a in again.platform.of_kind("dm")]
        # cy's nudge was claimed when the process died: it is lost, never sent twice.
        assert received == ["ana", "ben", "dee", "eve"]
