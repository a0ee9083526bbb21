"""Configuration: every problem is named with its key; secrets come from the environment."""

import pytest

from bot.config import Secrets, load_config, parse_config
from bot.errors import ConfigError

KNOWN = {"welcome", "glossary"}


def test_defaults_need_no_file():
    config = load_config(None, KNOWN)
    assert config.hearth.database == "hearth.db"
    assert config.hearth.cogs is None  # every cog
    assert config.slack.mode == "socket"


def test_unknown_keys_wrong_types_and_unknown_sections_are_all_reported(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        '[hearth]\ndatabase = 5\ncogz = ["welcome"]\ncogs = ["welcome", "nope"]\n'
        'timezone = "Europe/Berln"\nflush_seconds = 0\n'
        '[slack]\nmode = "carrier-pigeon"\n[weather]\nx = 1\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as raised:
        load_config(path, KNOWN)
    problems = "\n".join(raised.value.problems)
    assert "hearth.database: expected a string, got 5" in problems
    assert "hearth.cogz: unknown key" in problems
    assert "hearth.cogs: unknown cog 'nope'" in problems
    assert "slack.mode: expected one of 'socket', 'http'" in problems
    assert "weather: unknown section" in problems
    assert "hearth.timezone: unknown timezone 'Europe/Berln'" in problems
    assert "hearth.flush_seconds: expected at least 1, got 0" in problems


def test_broken_toml_is_reported_with_the_file(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[hearth\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path, KNOWN)


def test_cog_sections_are_kept_for_their_cog():
    config = parse_config({"welcome": {"reminder_after": "12h"}}, KNOWN)
    assert config.cog_sections == {"welcome": {"reminder_after": "12h"}}


def test_secrets_come_from_the_environment_only():
    secrets = Secrets.from_environment({"DISCORD_TOKEN": " abc ", "SLACK_BOT_TOKEN": ""})
    assert secrets.discord_token == "abc"
    assert secrets.slack_bot_token is None


def test_the_example_config_is_valid_for_every_cog():
    from pathlib import Path

    from bot.registry import available_cogs, check_cog_sections

    example = Path(__file__).resolve().parent.parent / "config.example.toml"
    config = load_config(example, set(available_cogs()))
    check_cog_sections(config)


def test_negative_durations_are_refused():
    from datetime import timedelta

    from bot.typed_values import ValueProblem, coerce

    with pytest.raises(ValueProblem):
        coerce(-5, timedelta)
    with pytest.raises(ValueProblem):
        coerce("-5m", timedelta)
    assert coerce(90, timedelta) == timedelta(seconds=90)
