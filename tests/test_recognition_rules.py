"""Recognition's pure rules: limits, who thanks credit, tiers, dates, emoji and phrases."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cogs.recognition.rules import (
    FOUNDING,
    PRESETS,
    KudosFacts,
    Limits,
    Tier,
    credited,
    judge,
    next_spotlight,
    parse_day,
    preset_of,
    qualifies,
    round_up,
)
from cogs.recognition.settings import DEFAULT_THANKS
from cogs.recognition.thanks import RecentAuthors, ThanksDetector, emoji_key, is_emoji

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
STANDARD = PRESETS["standard"]


def test_a_first_kudos_counts():
    assert judge(NOW, STANDARD, KudosFacts()).refusal is None
    assert judge(NOW, STANDARD, KudosFacts()).counted


def test_cooldown_per_pair_says_how_long_to_wait():
    facts = KudosFacts(last_to_receiver=NOW - timedelta(minutes=17, seconds=30))
    verdict = judge(NOW, STANDARD, facts)
    assert verdict.refusal == "cooldown"
    assert verdict.wait == timedelta(minutes=43)  # 42m30s, rounded up
    later = KudosFacts(last_to_receiver=NOW - timedelta(hours=1))
    assert judge(NOW, STANDARD, later).refusal is None


def test_allowance_frees_up_when_the_oldest_kudos_is_a_day_old():
    given = tuple(NOW - timedelta(hours=h) for h in (20, 10, 5))
    limits = Limits(timedelta(hours=1), 3, timedelta(minutes=30))
    verdict = judge(NOW, limits, KudosFacts(given_today=given))
    assert verdict.refusal == "allowance"
    assert verdict.wait == timedelta(hours=4)
    older = (NOW - timedelta(hours=25), *given[1:])
    assert judge(NOW, limits, KudosFacts(given_today=older)).refusal is None


def test_a_thank_for_thank_is_recorded_without_points_and_uses_no_allowance():
    limits = Limits(timedelta(hours=1), 1, timedelta(minutes=30))
    facts = KudosFacts(given_today=(NOW,), receiver_thanked_giver=NOW - timedelta(minutes=5))
    verdict = judge(NOW, limits, facts)
    assert verdict.refusal is None and not verdict.counted
    outside = KudosFacts(receiver_thanked_giver=NOW - timedelta(minutes=31))
    assert judge(NOW, limits, outside).counted


def test_round_up_never_shows_zero():
    assert round_up(timedelta(seconds=1)) == timedelta(minutes=1)


def test_presets_are_recognised_and_ordered_by_strictness():
    assert preset_of(STANDARD) == "standard"
    assert preset_of(Limits(timedelta(hours=2), 10, timedelta(minutes=30))) is None
    relaxed, strict = PRESETS["relaxed"], PRESETS["strict"]
    assert relaxed.cooldown < STANDARD.cooldown < strict.cooldown
    assert relaxed.allowance > STANDARD.allowance > strict.allowance


def test_thanks_credit_everyone_mentioned_but_never_the_author():
    assert credited("a", ["b", "c", "b", "a"], None) == ("b", "c")
    assert credited("a", [], "b") == ("b",)
    assert credited("a", [], "a") == ()
    assert credited("a", ["a"], None) == ()


def test_tiers_compare_values_with_the_threshold():
    assert qualifies(Tier("Helper", "answers", 25), 25)
    assert not qualifies(Tier("Helper", "answers", 25), 24)
    assert qualifies(Tier("Founder", FOUNDING, 100), 1)  # founding values are 0 or 1
    assert not qualifies(Tier("Founder", FOUNDING, 100), 0)


def test_spotlight_is_next_monday_ten_local():
    berlin = ZoneInfo("Europe/Berlin")
    monday_morning = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert next_spotlight(monday_morning, berlin) == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    after = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # exactly 10:00 in Berlin: next week
    assert next_spotlight(after, berlin) == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)
    summer = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # the week the clocks change
    assert next_spotlight(summer, berlin) == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_founding_dates_are_local_midnight():
    tokyo = ZoneInfo("Asia/Tokyo")
    assert parse_day("2026-01-01", tokyo) == datetime(2025, 12, 31, 15, 0, tzinfo=UTC)
    assert parse_day("01/01/2026", tokyo) is None


def test_reaction_emoji_have_one_spelling():
    assert emoji_key("⭐") == emoji_key("⭐\ufe0f") == emoji_key(":star:") == emoji_key("star")
    assert emoji_key("⭐") != emoji_key("🌟")
    assert is_emoji("⭐") and is_emoji(":tada:") and is_emoji("<:hearth:123>")
    assert not is_emoji("two words") and not is_emoji("שלום") and not is_emoji("")


@pytest.mark.parametrize(
    "text",
    [
        "thanks <@b>",
        "Thank you so much <@b>!",
        "ty <@b>",
        "THX <@b>",
        "شكراً جزيلاً <@b>",
        "وشكرا <@b>",
        "תודה רבה <@b>",
        "ותודה <@b>",
        "Ευχαριστώ πολύ <@b>",
        "ευχαριστω <@b>",
        "მადლობა <@b>",
    ],
)
def test_thank_you_phrases_in_every_listed_language(text):
    assert ThanksDetector().says_thanks("c", list(DEFAULT_THANKS), text)


@pytest.mark.parametrize(
    "text", ["the thanksgiving menu <@b>", "type it <@b>", "tyre <@b>", "hello <@b>"]
)
def test_other_words_are_not_thanks(text):
    assert not ThanksDetector().says_thanks("c", list(DEFAULT_THANKS), text)


def test_the_detector_follows_the_phrase_list():
    detector = ThanksDetector()
    assert not detector.says_thanks("c", ["thanks"], "cheers <@b>")
    assert detector.says_thanks("c", ["thanks", "cheers"], "cheers <@b>")
    assert not detector.says_thanks("c", [], "thanks <@b>")


def test_recent_authors_are_bounded():
    recent = RecentAuthors(size=2)
    for i in range(3):
        recent.remember("c", f"m{i}", f"u{i}")
    assert recent.author("c", "m0") is None
    assert recent.author("c", "m2") == "u2"
    recent.forget_user("c", "u2")
    assert recent.author("c", "m2") is None
