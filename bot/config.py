"""``config.toml``: which platforms and cogs run, where the database is, cog defaults.

Secrets never live here: tokens come from environment variables (see ``Secrets``).
Every key is checked; an unknown key or a wrong type is reported with its name and
what was expected, and the bot does not start on a broken configuration.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from bot.errors import ConfigError
from bot.timeutil import timezone
from bot.typed_values import build


@dataclass
class HearthSection:
    database: str = "hearth.db"
    cogs: list[str] | None = None  # None: every cog in cogs/
    timezone: str = "UTC"
    locale: str = "en"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    flush_seconds: int = 5
    #: How long one person waits before the same public command posts again.
    public_cooldown: timedelta = timedelta(minutes=1)


@dataclass
class DiscordSection:
    enabled: bool = True
    # For tests and self-hosted proxies: where the REST API and the gateway are.
    api_base_url: str = ""
    gateway_url: str = ""
    command_guild: str = ""


@dataclass
class SlackSection:
    enabled: bool = True
    mode: Literal["socket", "http"] = "socket"
    http_host: str = "127.0.0.1"
    http_port: int = 3000
    http_path: str = "/slack/events"
    # For tests and self-hosted proxies: where the Web API is.
    api_base_url: str = ""
    # Role id or name -> private channel id: where a role goes when user groups can't.
    role_channels: dict[str, str] = field(default_factory=dict)


@dataclass
class PlaygroundSection:
    database: str = "playground.db"
    community_name: str = "Hearth Playground"


@dataclass
class Config:
    hearth: HearthSection = field(default_factory=HearthSection)
    discord: DiscordSection = field(default_factory=DiscordSection)
    slack: SlackSection = field(default_factory=SlackSection)
    playground: PlaygroundSection = field(default_factory=PlaygroundSection)
    cog_sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None


CORE_SECTIONS = {
    "hearth": HearthSection,
    "discord": DiscordSection,
    "slack": SlackSection,
    "playground": PlaygroundSection,
}


def parse_config(data: dict[str, Any], known_cogs: set[str], path: Path | None = None) -> Config:
    problems: list[str] = []
    config = Config(path=path)
    for section, value in data.items():
        if not isinstance(value, dict):
            problems.append(f"{section}: expected a [{section}] table, got {value!r}")
        elif section in CORE_SECTIONS:
            setattr(config, section, build(CORE_SECTIONS[section], value, section, problems))
        elif section in known_cogs:
            config.cog_sections[section] = value
        else:
            known = ", ".join(sorted([*CORE_SECTIONS, *known_cogs]))
            problems.append(f"{section}: unknown section (known sections: {known})")
    for name in config.hearth.cogs or ():
        if name not in known_cogs:
            problems.append(
                f"hearth.cogs: unknown cog {name!r} (known cogs: {', '.join(sorted(known_cogs))})"
            )
    if timezone(config.hearth.timezone) is None:
        problems.append(
            f"hearth.timezone: unknown timezone {config.hearth.timezone!r}"
            " (use a name such as Europe/Berlin, America/New_York or UTC)"
        )
    if config.hearth.flush_seconds < 1:
        problems.append(
            f"hearth.flush_seconds: expected at least 1, got {config.hearth.flush_seconds}"
        )
    if problems:
        raise ConfigError(problems)
    return config


def load_config(path: Path | None, known_cogs: set[str]) -> Config:
    """Read ``path`` (defaults when it is None); raise ConfigError listing every problem."""
    if path is None:
        return parse_config({}, known_cogs)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such file"]) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([f"{path}: not valid TOML: {error}"]) from None
    return parse_config(data, known_cogs, path)


@dataclass(frozen=True)
class Secrets:
    """Tokens from the environment. Never from a file in the repository."""

    discord_token: str | None
    slack_bot_token: str | None
    slack_app_token: str | None
    slack_signing_secret: str | None

    @classmethod
    def from_environment(cls, env: dict[str, str] | None = None) -> Secrets:
        env = dict(os.environ) if env is None else env

        def value(name: str) -> str | None:
            return env.get(name, "").strip() or None

        return cls(
            discord_token=value("DISCORD_TOKEN"),
            slack_bot_token=value("SLACK_BOT_TOKEN"),
            slack_app_token=value("SLACK_APP_TOKEN"),
            slack_signing_secret=value("SLACK_SIGNING_SECRET"),
        )
