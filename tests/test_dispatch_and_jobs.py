"""Event dispatch isolation, clock-driven jobs and timers."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import ManualClock
from bot.cog import Cog, job, listen, timer
from bot.errors import PlatformError
from bot.events import Event, MessagePosted, QuestionAnswered
from bot.jobs import ProductionScheduler, ScheduledJob
from bot.messages import Message
from bot.timers import Timer
from tests.harness import COMMUNITY, make_harness


class Recorder(Cog):
    """Records what reaches it; ``broken`` raises on every message."""

    name = "recorder"

    def __init__(self, bot, broken: bool = False) -> None:
        super().__init__(bot)
        self.broken = broken
        self.seen: list[Event] = []
        self.ticks: list[datetime] = []
        self.daily: list[tuple[str, datetime]] = []
        self.fired: list[tuple[str, datetime]] = []

    @listen(MessagePosted)
    def on_message(self, event: MessagePosted) -> None:
        if self.broken:
            raise RuntimeError("broken listener")
        self.seen.append(event)

    @listen(Event)
    async def on_anything(self, event: Event) -> None:
        if isinstance(event, QuestionAnswered):
            self.seen.append(event)

    @job(every=timedelta(minutes=10))
    async def tick(self) -> None:
        self.ticks.append(self.bot.clock.now())

    @job(daily_at=time(9, 30))
    async def morning(self, community: str) -> None:
        self.daily.append((community, self.bot.local_now(community)))

    @timer("ping")
    async def ping(self, due: Timer) -> None:
        self.fired.append((due.payload["what"], self.bot.clock.now()))

    async def delete_user_data(self, community: str, user: str) -> None:
        return None

    async def export_user_data(self, community: str, user: str) -> dict:
        return {}


class Broken(Recorder):
    name = "broken"

    def __init__(self, bot) -> None:
        super().__init__(bot, broken=True)


async def test_a_failing_cog_is_logged_by_name_and_the_others_still_run(tmp_path, caplog):
    async with make_harness(tmp_path, extra_cogs=[Broken, Recorder]) as h:
        await h.say("alice", "general", "hello")
        recorder = h.bot.cogs["recorder"]
        assert [e.text for e in recorder.seen] == ["hello"]
        assert any("cog broken failed on MessagePosted" in r.getMessage() for r in caplog.records)


async def test_domain_events_reach_listeners_of_their_base_class(tmp_path):
    async with make_harness(tmp_path, extra_cogs=[Recorder]) as h:
        event = QuestionAnswered(
            community=COMMUNITY,
            at=h.clock.now(),
            question="q1",
            channel="help",
            asker="alice",
            responder="bob",
            response_seconds=60.0,
        )
        await h.bot.emit(event)
        assert h.bot.cogs["recorder"].seen == [event]


async def test_interval_jobs_run_in_order_as_the_clock_moves(tmp_path):
    async with make_harness(tmp_path, extra_cogs=[Recorder]) as h:
        start = h.clock.now()
        await h.wait(timedelta(minutes=35))
        ticks = h.bot.cogs["recorder"].ticks
        assert ticks == [start + timedelta(minutes=m) for m in (10, 20, 30)]
        assert h.clock.now() == start + timedelta(minutes=35)


class Mover(Recorder):
    """Changes the community's timezone from inside a job, which reinstalls the jobs."""

    name = "mover"

    @job(every=timedelta(minutes=10))
    async def tick(self) -> None:
        self.ticks.append(self.bot.clock.now())
        await self.bot.set_timezone(COMMUNITY, ZoneInfo("Europe/Berlin"))


async def test_a_job_that_reinstalls_the_jobs_still_runs_once_per_interval(tmp_path):
    async with make_harness(tmp_path, extra_cogs=[Mover]) as h:
        start = h.clock.now()
        await h.wait(timedelta(minutes=25))
        ticks = h.bot.cogs["mover"].ticks
        assert ticks == [start + timedelta(minutes=10), start + timedelta(minutes=20)]


async def test_daily_jobs_follow_each_community_timezone_across_daylight_saving(tmp_path):
    # 2026-03-28 09:00 UTC; Europe/Berlin moves to summer time on Sunday 2026-03-29.
    clock = ManualClock(datetime(2026, 3, 28, 9, 0, tzinfo=UTC))
    async with make_harness(tmp_path, extra_cogs=[Recorder], clock=clock) as h:
        await h.bot.set_timezone(COMMUNITY, ZoneInfo("Europe/Berlin"))
        await h.wait(timedelta(days=3))
        daily = [(c, t.strftime("%Y-%m-%d %H:%M %Z")) for c, t in h.bot.cogs["recorder"].daily]
        # 09:30 CET on the 28th had passed (it was 10:00 there); then 09:30 local each day,
        # which is 07:30 UTC once summer time has begun.
        assert daily == [
            (COMMUNITY, "2026-03-29 09:30 CEST"),
            (COMMUNITY, "2026-03-30 09:30 CEST"),
            (COMMUNITY, "2026-03-31 09:30 CEST"),
        ]
        first = h.bot.cogs["recorder"].daily[0][1]
        assert first.astimezone(UTC).hour == 7


async def test_timers_fire_exactly_when_due_and_once_across_a_restart(tmp_path):
    async with make_harness(tmp_path, extra_cogs=[Recorder]) as h:
        now = h.clock.now()
        timers = h.bot.timers
        await timers.schedule(
            COMMUNITY,
            "recorder",
            "ping",
            now + timedelta(hours=2),
            now=now,
            payload={"what": "later"},
        )
        await timers.schedule(
            COMMUNITY,
            "recorder",
            "ping",
            now + timedelta(hours=1),
            now=now,
            payload={"what": "sooner"},
        )
        keyed = await timers.schedule(
            COMMUNITY,
            "recorder",
            "ping",
            now + timedelta(hours=1),
            now=now,
            key="k",
            payload={"what": "keyed"},
        )
        again = await timers.schedule(
            COMMUNITY,
            "recorder",
            "ping",
            now + timedelta(hours=5),
            now=now,
            key="k",
            payload={"what": "dup"},
        )
        assert again == keyed  # the same keyed timer, not a second one
        await h.wait(timedelta(minutes=90))
        fired = h.bot.cogs["recorder"].fired
        assert fired == [("sooner", now + timedelta(hours=1)), ("keyed", now + timedelta(hours=1))]
    async with make_harness(
        tmp_path, extra_cogs=[Recorder], clock=h.clock, database=h.database
    ) as h3:
        await h3.wait(timedelta(hours=3))
        assert h3.bot.cogs["recorder"].fired == [("later", now + timedelta(hours=2))]


async def test_a_timer_cut_off_mid_flight_runs_again_after_a_restart(tmp_path):
    async with make_harness(tmp_path, extra_cogs=[Recorder]) as h:
        now = h.clock.now()
        await h.bot.timers.schedule(
            COMMUNITY, "recorder", "ping", now, now=now, payload={"what": "x"}
        )
        claimed = await h.bot.timers.claim_due(now)  # claimed, then the process "dies"
        assert len(claimed) == 1
    async with make_harness(
        tmp_path, extra_cogs=[Recorder], clock=h.clock, database=h.database
    ) as h2:
        assert [w for w, _ in h2.bot.cogs["recorder"].fired] == ["x"]


async def _with_log_channel(h) -> None:
    h.moderators.add("maria")
    await h.command("maria", "/hearth log-channel channel:#mods")
    h.platform.clear()


async def test_a_lasting_refusal_without_a_fix_reaches_moderators_once(tmp_path):
    async with make_harness(tmp_path) as h:
        await _with_log_channel(h)
        h.platform.refuse["send:news"] = PlatformError("restricted_action", status=200)
        assert await h.bot.send(COMMUNITY, "news", Message("the mission is done!")) is None
        assert await h.bot.send(COMMUNITY, "news", Message("and again")) is None
        [notice] = h.platform.sent_to("mods")
        assert "<#news>" in notice.text and "restricted_action" in notice.text


async def test_a_fixed_problem_is_forgotten_so_it_is_reported_again_if_it_returns(tmp_path):
    async with make_harness(tmp_path) as h:
        await _with_log_channel(h)
        h.platform.refuse["send:news"] = PlatformError("restricted_action", status=200)
        await h.bot.send(COMMUNITY, "news", Message("one"))
        settings = await h.command("maria", "/hearth settings")
        assert "restricted_action" in settings.message.fields[-1].value
        del h.platform.refuse["send:news"]
        assert await h.bot.send(COMMUNITY, "news", Message("two")) is not None  # fixed
        assert await h.bot.open_notices(COMMUNITY) == []
        h.platform.refuse["send:news"] = PlatformError("restricted_action", status=200)
        await h.bot.send(COMMUNITY, "news", Message("three"))
        assert len(h.platform.sent_to("mods")) == 2  # broken again: told again


@pytest.mark.parametrize("what", ["pin", "react"])
async def test_a_refused_pin_or_reaction_reaches_moderators(tmp_path, what):
    async with make_harness(tmp_path) as h:
        await _with_log_channel(h)
        ref = await h.bot.send(COMMUNITY, "news", Message("hello"))
        h.platform.refuse[what] = PlatformError("Missing Permissions", status=403)
        done = await (h.bot.pin(ref) if what == "pin" else h.bot.react(ref, "👍"))
        assert done is False
        [notice] = h.platform.sent_to("mods")
        assert "<#news>" in notice.text and "Missing Permissions" in notice.text


@pytest.mark.parametrize(
    "error",
    [
        PlatformError("503 Service Unavailable", status=503),
        PlatformError("ratelimited", status=429),
        PlatformError("could not be reached"),
    ],
)
async def test_a_passing_failure_or_a_refused_dm_stays_in_the_log(tmp_path, error):
    async with make_harness(tmp_path) as h:
        await _with_log_channel(h)
        h.platform.refuse["send:news"] = error
        h.platform.refuse["dm"] = PlatformError("Cannot send messages to this user", status=403)
        assert await h.bot.send(COMMUNITY, "news", Message("hello")) is None
        assert await h.bot.send_dm(COMMUNITY, "alice", Message("hello")) is None
        assert h.platform.sent_to("mods") == []


async def test_production_jobs_keep_their_next_run_when_the_jobs_are_reinstalled():
    async def nothing() -> None:
        return None

    def every_hour(now: datetime) -> ScheduledJob:
        trigger = IntervalTrigger(hours=1, start_date=now + timedelta(hours=1), timezone=UTC)
        return ScheduledJob("cog.hourly", trigger, nothing)

    scheduler = ProductionScheduler(nothing)
    now = datetime.now(UTC)
    scheduler.set_jobs([every_hour(now)])
    scheduler.set_jobs([every_hour(now + timedelta(minutes=20))])  # before the start, too
    await scheduler.start()
    try:
        first = scheduler._scheduler.get_job("cog.hourly").next_run_time
        scheduler.set_jobs([every_hour(now + timedelta(minutes=30))])  # a timezone changed
        assert scheduler._scheduler.get_job("cog.hourly").next_run_time == first
        assert abs(first - (now + timedelta(hours=1))) < timedelta(seconds=1)
        scheduler.set_jobs([])
        assert scheduler._scheduler.get_job("cog.hourly") is None
    finally:
        await scheduler.stop()


async def test_finished_timers_are_pruned_after_a_week(tmp_path):
    async with make_harness(tmp_path, extra_cogs=[Recorder]) as h:
        now = h.clock.now()
        await h.bot.timers.schedule(
            COMMUNITY, "recorder", "ping", now, now=now, payload={"what": "x"}
        )
        await h.wait(timedelta(minutes=1))
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM timers WHERE state = 'done'") == 1
        await h.wait(timedelta(days=7, hours=7))
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM timers") == 0
