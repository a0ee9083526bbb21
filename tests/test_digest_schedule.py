"""When the digest goes out: local day and time in the community's timezone, across DST."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from cogs.digest import schedule
from tests.harness import RecordingPlatform, make_harness

BERLIN = ZoneInfo("Europe/Berlin")
SUNDAY = 6
#: Berlin moves from CET (UTC+1) to CEST (UTC+2) on Sunday 29 March 2026 at 02:00.


def test_next_weekly_keeps_the_local_time_across_the_spring_change():
    before = datetime(2026, 3, 22, 12, 0, tzinfo=UTC)
    first = schedule.next_weekly(before, BERLIN, SUNDAY, time(18, 0))
    second = schedule.next_weekly(first, BERLIN, SUNDAY, time(18, 0))
    assert first == datetime(2026, 3, 22, 17, 0, tzinfo=UTC)  # 18:00 CET
    assert second == datetime(2026, 3, 29, 16, 0, tzinfo=UTC)  # 18:00 CEST: 167 h later
    assert second - first == timedelta(hours=167)
    for moment in (first, second):
        local = moment.astimezone(BERLIN)
        assert (local.weekday(), local.hour, local.minute) == (SUNDAY, 18, 0)


def test_next_weekly_is_strictly_after_and_finds_today_when_still_ahead():
    sunday_noon = datetime(2026, 3, 8, 11, 0, tzinfo=UTC)  # 12:00 in Berlin
    assert schedule.next_weekly(sunday_noon, BERLIN, SUNDAY, time(18, 0)) == datetime(
        2026, 3, 8, 17, 0, tzinfo=UTC
    )
    at_the_time = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)
    assert schedule.next_weekly(at_the_time, BERLIN, SUNDAY, time(18, 0)) == datetime(
        2026, 3, 15, 17, 0, tzinfo=UTC
    )


def test_a_time_in_the_skipped_hour_lands_just_after_the_change():
    due = schedule.next_weekly(datetime(2026, 3, 28, tzinfo=UTC), BERLIN, SUNDAY, time(2, 30))
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST
    assert due.astimezone(BERLIN).hour == 3


def test_the_autumn_change_keeps_the_local_time_too():
    first = schedule.next_weekly(datetime(2026, 10, 20, tzinfo=UTC), BERLIN, SUNDAY, time(18, 0))
    second = schedule.next_weekly(first, BERLIN, SUNDAY, time(18, 0))
    assert first == datetime(2026, 10, 25, 17, 0, tzinfo=UTC)  # CET again since 03:00 that day
    assert second - first == timedelta(days=7)
    earlier = schedule.next_weekly(datetime(2026, 10, 12, tzinfo=UTC), BERLIN, SUNDAY, time(18, 0))
    assert first - earlier == timedelta(hours=169)


def test_the_week_window_is_seven_full_local_days_and_weeks_tile():
    due = datetime(2026, 3, 29, 16, 0, tzinfo=UTC)  # Sunday 18:00 CEST
    since, until = schedule.week_window(due, BERLIN)
    assert since.astimezone(BERLIN) == datetime(2026, 3, 22, 0, 0, tzinfo=BERLIN)
    assert until.astimezone(BERLIN) == datetime(2026, 3, 29, 0, 0, tzinfo=BERLIN)
    assert until - since == timedelta(days=7)  # the change happens after midnight on the 29th
    next_since, _ = schedule.week_window(due + timedelta(days=7), BERLIN)
    assert next_since == until
    _, spring_until = schedule.week_window(datetime(2026, 4, 5, 16, 0, tzinfo=UTC), BERLIN)
    assert spring_until - until == timedelta(hours=167)
    weeks = schedule.weeks_back(until, BERLIN, 3)
    assert weeks[-1] == (since, until)
    assert [end for _, end in weeks[:-1]] == [start for start, _ in weeks[1:]]


def test_quiet_hours_across_midnight_and_within_a_day():
    evening = datetime(2026, 3, 2, 22, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert schedule.quiet_until(evening, BERLIN, time(22, 0), time(8, 0)) == datetime(
        2026, 3, 3, 7, 0, tzinfo=UTC
    )
    early = datetime(2026, 3, 3, 5, 0, tzinfo=UTC)  # 06:00
    assert schedule.quiet_until(early, BERLIN, time(22, 0), time(8, 0)) == datetime(
        2026, 3, 3, 7, 0, tzinfo=UTC
    )
    noon = datetime(2026, 3, 3, 11, 0, tzinfo=UTC)
    assert schedule.quiet_until(noon, BERLIN, time(22, 0), time(8, 0)) is None
    assert schedule.quiet_until(noon, BERLIN, time(12, 0), time(14, 0)) == datetime(
        2026, 3, 3, 13, 0, tzinfo=UTC
    )
    assert schedule.quiet_until(noon, BERLIN, None, None) is None


def test_lateness_and_parsing():
    due = datetime(2026, 3, 8, 17, 0, tzinfo=UTC)
    assert not schedule.is_too_late(due, due + timedelta(hours=23, minutes=59))
    assert schedule.is_too_late(due, due + timedelta(days=1))
    assert schedule.parse_time_of_day("9:30") == time(9, 30)
    assert schedule.parse_time_of_day("18:00") == time(18, 0)
    for bad in ("25:00", "six", "18:00:30", "18:00+01:00"):
        assert schedule.parse_time_of_day(bad) is None, bad
    assert schedule.parse_quiet_hours("22:00-08:00") == (time(22), time(8))
    assert schedule.parse_quiet_hours("22:00 – 07:30") == (time(22), time(7, 30))
    for bad in ("22:00", "22:00-22:00", "late-early", "1-2-3"):
        assert schedule.parse_quiet_hours(bad) is None, bad


class StampingPlatform(RecordingPlatform):
    """Records when (by the test clock) each message was sent."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self.clock = clock
        self.sent_at: list[datetime] = []

    async def send(self, community, channel, message, *, thread=None):
        self.sent_at.append(self.clock.now())
        return await super().send(community, channel, message, thread=thread)


async def test_a_weekly_digest_goes_out_at_sunday_18_00_berlin_time_before_and_after_the_change(
    tmp_path,
):
    clock = ManualClock(datetime(2026, 3, 21, 12, 0, tzinfo=UTC))  # a Saturday
    platform = StampingPlatform(clock)
    sections = {"hearth": {"flush_seconds": 3600}}
    async with make_harness(
        tmp_path, cogs=["digest"], sections=sections, clock=clock, platform=platform
    ) as h:
        h.moderators.add("maria")
        await h.command("maria", "/hearth timezone zone:Europe/Berlin")
        reply = await h.command("maria", "/digest settings channel:#news day:sunday time:18:00")
        assert reply.message.text.startswith("✅"), reply.message.text
        await h.wait(timedelta(days=16))
        assert platform.sent_at == [
            datetime(2026, 3, 22, 17, 0, tzinfo=UTC),
            datetime(2026, 3, 29, 16, 0, tzinfo=UTC),
            datetime(2026, 4, 5, 16, 0, tzinfo=UTC),
        ]
        assert [a.channel for a in platform.actions] == ["news"] * 3
        assert {m.astimezone(BERLIN).strftime("%a %H:%M") for m in platform.sent_at} == {
            "Sun 18:00"
        }


async def test_a_new_timezone_moves_the_planned_digest_within_the_hour(tmp_path):
    sections = {"hearth": {"flush_seconds": 3600}}
    async with make_harness(tmp_path, cogs=["digest"], sections=sections) as h:
        h.moderators.add("maria")
        await h.command("maria", "/digest settings channel:#news day:sunday time:18:00")

        async def planned() -> str:
            shown = (await h.command("maria", "/digest settings")).message
            return next(f.value for f in shown.fields if f.name == "Next digest")

        assert await planned() == "Sun 2026-03-08 18:00 UTC"
        await h.command("maria", "/hearth timezone zone:Europe/Berlin")
        await h.wait(timedelta(hours=1))
        assert await planned() == "Sun 2026-03-08 18:00 CET"
