"""The pure rules behind missions: milestones, what to announce, pace, days, parsing."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from cogs.missions import progress
from cogs.missions.base import key_of

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_milestone_amounts_round_up_and_always_include_the_target():
    assert progress.thresholds(10, [25, 50, 75]) == [(25, 3), (50, 5), (75, 8), (100, 10)]
    assert progress.thresholds(3, [50, 0, 150]) == [(50, 2), (100, 3)]


def test_reached_milestones_include_the_stretch_only_when_set_and_reached():
    assert progress.reached(4, 10, None, [25, 50]) == ["milestone:25"]
    assert progress.reached(12, 10, 15, [50]) == ["milestone:50", "milestone:100"]
    assert progress.reached(15, 10, 15, [50])[-1] == "milestone:stretch"


def test_a_jump_announces_only_the_highest_milestone_or_the_finish():
    assert progress.to_announce(["milestone:25", "milestone:50", "milestone:75"]) == [
        "milestone:75"
    ]
    assert progress.to_announce(["milestone:75", "milestone:100"]) == ["milestone:100"]
    assert progress.to_announce(["milestone:100", "milestone:stretch"]) == [
        "milestone:100",
        "milestone:stretch",
    ]
    assert progress.to_announce([]) == []


def test_behind_pace_compares_share_done_with_share_of_time_gone():
    deadline = T0 + timedelta(days=4)
    assert progress.behind_pace(40, 100, T0, deadline, T0 + timedelta(days=3))
    assert not progress.behind_pace(75, 100, T0, deadline, T0 + timedelta(days=3))
    assert not progress.behind_pace(100, 100, T0, deadline, deadline)
    assert progress.reminder_time(T0, deadline, 25) == T0 + timedelta(days=3)


def test_outcomes():
    assert progress.outcome(9, 10, None) == "missed"
    assert progress.outcome(10, 10, 12) == "reached"
    assert progress.outcome(12, 10, 12) == "stretched"


def test_the_day_starts_at_local_midnight():
    tbilisi = ZoneInfo("Asia/Tbilisi")  # UTC+4
    start = progress.local_day_start(datetime(2026, 3, 2, 21, 0, tzinfo=UTC), tbilisi)
    assert start == datetime(2026, 3, 3, 0, 0, tzinfo=tbilisi)
    assert start.astimezone(UTC) == datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert progress.room_today(5, 7) == 0 and progress.room_today(None, 7) is None
    assert progress.clamp(4, 1) == 1 and progress.clamp(4, None) == 4


def test_percent_lists():
    assert progress.parse_percents("25, 50,75", 1, 100) == [25, 50, 75]
    assert progress.parse_percents("50% 25%", 1, 99) == [25, 50]
    assert progress.parse_percents("0,150", 1, 100) is None
    assert progress.parse_percents("a quarter", 1, 100) is None


def test_channel_lists_from_every_front_door():
    assert progress.parse_channels("<#C1> <#C2|help>") == ["C1", "C2"]
    assert progress.parse_channels("#general, #help #general") == ["general", "help"]
    assert progress.parse_channels("#general and #help") is None
    assert progress.parse_channels("general") is None


def test_names_compare_across_case_accents_and_scripts():
    assert key_of("  Ánswer   10 ") == key_of("answer 10")
    assert key_of("Ἀποστολή") == key_of("αποστολη")  # Greek with breathing mark and accent
    assert key_of("مُهِمَّة") == key_of("مهمة")  # Arabic with tashkeel
    assert key_of("מְשִׂימָה") == key_of("משימה")  # Hebrew with niqqud
    assert key_of("მისია") != key_of("მისიები")  # Georgian: different words stay different
