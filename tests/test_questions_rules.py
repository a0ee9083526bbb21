"""The questions cog's pure rules: detection, option parsing, statistics, reminder plans, config."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from cogs.questions import options
from cogs.questions.configure import ConfigProblem, plan_config
from cogs.questions.detect import ChannelRule, is_new_question, question_words
from cogs.questions.reminders import NudgeState, plan_nudge, quiet_until
from cogs.questions.settings import QuestionsSettings
from cogs.questions.stats import Sample, busiest_hours, median, percentile, summarize

HELP = ChannelRule("help")
CONSERVATIVE = ChannelRule("watch", "conservative")
EAGER = ChannelRule("watch", "eager")
ALL_WORDS = question_words(("en", "ar", "he", "el", "ka"))


def top_level(text: str, rule: ChannelRule, words=ALL_WORDS) -> bool:
    return is_new_question(text, rule, words, thread=None, reply_to=None, starts_thread=False)


# --- detection ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "How do I install Hearth?",
        "any idea why it fails? 🙏",
        "أين أجد ملف الإعدادات؟",  # Arabic question mark
        "איך מתקינים את זה?",  # Hebrew
        "Πώς το εγκαθιστώ\u037e",  # Greek question mark
        "Πώς το εγκαθιστώ;",  # ASCII semicolon after a Greek letter
        "როგორ დავაყენო?",  # Georgian
    ],
)
def test_conservative_mode_takes_a_final_question_mark_in_any_script(text):
    assert top_level(text, CONSERVATIVE)
    assert top_level(text, EAGER)


@pytest.mark.parametrize(
    "text",
    [
        "how do I install Hearth",
        "hello; world",  # an ASCII semicolon after Latin is no Greek question mark
        "It works now. Thanks!",
        "Use `x ? a : b` for that.",  # a question mark in code asks nothing
        "See https://example.com/search?q=pip for details",
        "> how do I install it?\nLike this: pip install hearth",  # quoted
        "ماذا أفعل الآن",
    ],
)
def test_conservative_mode_ignores_anything_without_a_final_question_mark(text):
    assert not top_level(text, CONSERVATIVE)


@pytest.mark.parametrize(
    "text",
    [
        "How do I install on Windows? I tried pip and it failed.",
        "how do I fix this? @maria",
        "how do I fix this? <@123>",
        "Is it me? No, it works now.",
        "ثبّت البرنامج. أين أجد الإعدادات؟ لا أراها",  # Arabic question mark mid-message
        "Το έκανα. Πώς το εγκαθιστώ; Δεν ξέρω",  # Greek semicolon ends a sentence
        "一つ質問です。どうやって入れますか？ よろしく",  # full-width question mark
        "```\nx = 1; y = 2\n```\nWhy does this fail? It worked yesterday.",
    ],
)
def test_conservative_mode_finds_a_question_mark_ending_any_sentence(text):
    """Issue 15: people who ask mid-message were ignored (only the last character counted)."""
    assert top_level(text, CONSERVATIVE)


@pytest.mark.parametrize(
    "text",
    [
        "Run `which python?` first. Then it works.",
        "Read https://example.com/faq?id=3 first. It explains it.",
        "> why not?\nBecause it is slow.",
        ">>> is it done?\nstill quoted",
        "int x = 1; return x; done",  # an ASCII semicolon after Latin is no question mark
    ],
)
def test_conservative_mode_takes_no_question_mark_from_code_links_or_quotes(text):
    assert not top_level(text, CONSERVATIVE)
    assert not top_level(text, EAGER, frozenset())


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("how do I install Hearth", "en"),
        ("كيف أثبت البرنامج", "ar"),
        ("وهل يعمل هذا على ويندوز", "ar"),  # attached conjunction و
        ("איך מתקינים את זה", "he"),
        ("Πώς το εγκαθιστώ", "el"),
        ("როგორ დავაყენო ეს", "ka"),
    ],
)
def test_eager_mode_takes_question_words_of_the_configured_languages(text, language):
    assert top_level(text, EAGER, question_words((language,)))
    assert not top_level(text, CONSERVATIVE, question_words((language,)))
    other = "de" if language != "de" else "en"
    assert not top_level(text, EAGER, question_words((other,)))


def test_eager_mode_takes_a_question_mark_at_the_end_of_any_sentence():
    assert top_level("It fails on start. Any idea? I tried pip.", EAGER)
    assert top_level("فشل التثبيت. لماذا؟ جربت كل شيء", EAGER)
    assert not top_level("It fails on start. I tried pip.", EAGER)
    assert not top_level("Thanks. That works now", EAGER)


def test_help_channels_take_every_top_level_post_thread_or_forum_post_but_no_reply():
    assert top_level("my bot crashes", HELP)
    assert top_level("", HELP)  # an image alone is still a question
    forum_post = is_new_question(
        "crash on start", HELP, ALL_WORDS, thread="t1", reply_to=None, starts_thread=True
    )
    assert forum_post
    in_thread = is_new_question(
        "How?", HELP, ALL_WORDS, thread="m1", reply_to="m1", starts_thread=False
    )
    reply = is_new_question(
        "Why?", EAGER, ALL_WORDS, thread=None, reply_to="m1", starts_thread=False
    )
    assert not in_thread and not reply


def test_question_words_of_unknown_languages_add_nothing():
    assert question_words(("xx",)) == frozenset()
    assert "how" in question_words(("en", "xx"))


# --- option parsing ----------------------------------------------------------------------


def test_message_ids_come_from_ids_and_links_of_every_platform():
    assert options.message_id("m7") == "m7"
    assert options.message_id("#12") == "#12"
    assert (
        options.message_id("https://chat.example/channels/81/82/1234567890123") == "1234567890123"
    )
    assert (
        options.message_id("https://team.example/archives/C024/p1712345678123456")
        == "1712345678.123456"
    )
    assert options.message_id("<https://chat.example/help/u3>") == "u3"
    for bad in ("two words", "", "https://example.com/", "a" * 101):
        with pytest.raises(ValueError):
            options.message_id(bad)


def test_periods_quiet_hours_and_languages():
    assert options.period(None) == ("week", timedelta(weeks=1))
    assert options.period("ALL") == ("all", None)
    assert options.period("90d") == ("90d", timedelta(days=90))
    for bad in ("fortnight", "30s", "-3d"):
        with pytest.raises(ValueError):
            options.period(bad)
    assert options.quiet_hours("22:00-8:00") == (time(22), time(8))
    assert options.quiet_hours("off") is None
    for bad in ("22-08", "25:00-08:00", "08:00-08:00"):
        with pytest.raises(ValueError):
            options.quiet_hours(bad)
    assert options.languages("en, AR he,en") == ["en", "ar", "he"]
    with pytest.raises(ValueError, match="xx"):
        options.languages("en xx")


# --- statistics ----------------------------------------------------------------------------


def test_median_and_90th_percentile_checked_by_hand():
    minutes = [5, 10, 20, 30, 60, 90, 120, 240, 600, 1440]
    # Median of ten values: the mean of the 5th and 6th, (60 + 90) / 2.
    assert median(minutes) == 75
    # 90th percentile: position (10 − 1) × 0.9 = 8.1, so x[8] + 0.1 × (x[9] − x[8])
    # = 600 + 0.1 × 840 = 684.
    assert percentile(minutes, 0.9) == pytest.approx(684)
    assert percentile([42], 0.9) == 42
    assert median([]) is None and percentile([], 0.9) is None


def test_summary_counts_shares_busiest_local_hours_and_top_responders():
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    samples = [
        Sample(start, start + timedelta(minutes=30), "bob", None),
        Sample(start, start + timedelta(hours=3), "carol", None),
        Sample(start + timedelta(hours=5), start + timedelta(hours=5, minutes=10), "bob", None),
        Sample(start + timedelta(hours=5), None, None, start + timedelta(hours=6)),
        Sample(start + timedelta(hours=6), None, None, None),
    ]
    summary = summarize(samples, timedelta(hours=1), ZoneInfo("Asia/Tbilisi"))  # UTC+4
    assert (summary.asked, summary.answered) == (5, 4)
    assert summary.answered_share == pytest.approx(0.8)
    assert summary.median == timedelta(minutes=30)
    assert summary.within_target == pytest.approx(2 / 5)
    assert summary.busiest_hours == [(13, 2), (18, 2), (19, 1)]
    assert summary.top_responders == [("bob", 2), ("carol", 1)]
    assert busiest_hours([], ZoneInfo("UTC")) == []


# --- reminder plans ---------------------------------------------------------------------------

ASKED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULES = {
    "renudge_every": timedelta(hours=12),
    "max_nudges": 3,
    "escalate_after": timedelta(hours=24),
}


def test_a_question_is_reminded_at_most_once_per_renudge_and_max_times_then_escalated():
    state = NudgeState(ASKED, 0, None, None, None)
    now = ASKED + timedelta(hours=2)
    plan = plan_nudge(state, now, **RULES)
    assert (plan.remind, plan.escalate, plan.next_at) == (True, False, now + timedelta(hours=12))
    second = NudgeState(ASKED, 1, now, None, None)
    early = plan_nudge(second, now + timedelta(hours=1), **RULES)
    assert not early.remind and early.next_at == now + timedelta(hours=12)
    third = NudgeState(ASKED, 2, ASKED + timedelta(hours=14), None, None)
    at_escalation = plan_nudge(third, ASKED + timedelta(hours=24), **RULES)
    assert not at_escalation.remind and at_escalation.escalate
    assert at_escalation.next_at == ASKED + timedelta(hours=26)
    done = NudgeState(ASKED, 3, ASKED + timedelta(hours=26), ASKED + timedelta(hours=24), None)
    assert plan_nudge(done, ASKED + timedelta(days=3), **RULES).next_at is None


def test_a_live_claim_postpones_reminders_and_escalation():
    until = ASKED + timedelta(hours=30)
    state = NudgeState(ASKED, 0, None, None, until)
    plan = plan_nudge(state, ASKED + timedelta(hours=25), **RULES)
    assert (plan.remind, plan.escalate, plan.next_at) == (False, False, until)
    after = plan_nudge(state, until, **RULES)
    assert after.remind and after.escalate


def test_no_reminders_when_max_is_zero_but_moderators_still_hear():
    state = NudgeState(ASKED, 0, None, None, None)
    plan = plan_nudge(state, ASKED + timedelta(hours=2), **{**RULES, "max_nudges": 0})
    assert not plan.remind and plan.next_at == ASKED + timedelta(hours=24)


def test_quiet_hours_end_in_the_community_timezone_also_across_midnight():
    berlin = ZoneInfo("Europe/Berlin")  # UTC+1 in March before the switch

    def local(hour: int, day: int = 2) -> datetime:
        return datetime(2026, 3, day, hour, 30, tzinfo=berlin)

    eight_tomorrow = datetime(2026, 3, 3, 8, 0, tzinfo=berlin)
    assert quiet_until(local(23), berlin, time(22), time(8)) == eight_tomorrow
    assert quiet_until(local(3, day=3), berlin, time(22), time(8)) == eight_tomorrow
    assert quiet_until(local(8), berlin, time(22), time(8)) is None
    assert quiet_until(local(12), berlin, time(12), time(14)) == datetime(
        2026, 3, 2, 14, 0, tzinfo=berlin
    )
    assert quiet_until(local(12), berlin, None, None) is None
    # The night the clocks go forward (02:00 → 03:00 on 29 March): 22:30 CET is 21:30 UTC,
    # and 08:00 the next morning is summer time, 06:00 UTC, not 07:00.
    spring = quiet_until(datetime(2026, 3, 28, 21, 30, tzinfo=UTC), berlin, time(22), time(8))
    assert spring == datetime(2026, 3, 29, 6, 0, tzinfo=UTC)
    # The night they go back (03:00 → 02:00 on 25 October): 08:00 is winter time, 07:00 UTC.
    autumn = quiet_until(datetime(2026, 10, 25, 0, 30, tzinfo=UTC), berlin, time(22), time(8))
    assert autumn == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)


# --- config plans ----------------------------------------------------------------------------


def given(**values):
    names = (
        "help_channel watch_channel mode remove_channel helper_role helpers_channel nudge_after"
        " renudge_every max_nudges escalate_after check_in_after close_after claim_for"
        " quiet_hours target languages rate_limit rate_window timezone"
    ).split()
    return {name: values.get(name) for name in names}


def test_config_plans_channels_with_their_own_nudge_and_keeps_what_was_there():
    settings = QuestionsSettings()
    plan = plan_config(given(help_channel="help", nudge_after=timedelta(minutes=30)), settings, {})
    assert plan.channel == ("help", ChannelRule("help", "conservative", timedelta(minutes=30)))
    assert plan.settings == {}
    existing = {"general": ChannelRule("watch", "eager", timedelta(hours=1))}
    again = plan_config(given(watch_channel="general"), settings, existing)
    assert again.channel == ("general", ChannelRule("watch", "eager", timedelta(hours=1)))
    default = plan_config(
        given(nudge_after=timedelta(hours=3), quiet_hours="22:00-07:30"), settings, {}
    )
    assert default.settings == {
        "nudge_after": timedelta(hours=3),
        "quiet_start": time(22),
        "quiet_end": time(7, 30),
    }
    assert plan_config(given(), settings, {}).empty


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"help_channel": "a", "watch_channel": "b"}, "questions.config.one_channel"),
        ({"mode": "eager"}, "questions.config.mode_needs_watch"),
        ({"remove_channel": "nowhere"}, "questions.config.not_watched"),
        ({"quiet_hours": "late"}, "questions.config.bad_quiet"),
        ({"languages": "en,klingon"}, "questions.config.bad_languages"),
        ({"timezone": "Mars/Olympus"}, "questions.config.bad_timezone"),
        ({"check_in_after": timedelta(days=8)}, "questions.config.check_in_before_close"),
    ],
)
def test_config_problems(values, key):
    with pytest.raises(ConfigProblem) as problem:
        plan_config(given(**values), QuestionsSettings(), {})
    assert problem.value.key == key
