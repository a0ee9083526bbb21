"""The welcome cog's per-community settings (defaults < config.toml ``[welcome]`` < commands)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cogs.welcome.templates import TemplateProblem, check_template

#: Settings that hold a template; an empty template means "the catalog's default".
TEMPLATE_KEYS = ("message", "dm_message", "back_message")


@dataclass
class WelcomeSettings:
    #: Where the channel welcome goes; "" means the platform's default (Discord: the
    #: server's system channel), and no channel welcome where the platform has none.
    channel: str = ""
    #: Templates; "" uses the warm defaults in bot/locales/en/welcome.toml.
    message: str = ""
    dm_enabled: bool = True
    dm_message: str = ""
    back_message: str = ""
    #: One gentle DM if a newcomer has not posted anywhere this long after joining.
    reminder_enabled: bool = True
    reminder_after: timedelta = timedelta(hours=24)
    #: A newcomer who leaves this soon after joining takes their channel welcome along.
    remove_if_left_within: timedelta = timedelta(minutes=10)
    #: A greeter who greeted this recently is skipped in the rotation.
    greeter_cooldown: timedelta = timedelta(hours=1)
    #: How long after joining a newcomer's posts still tick their onboarding steps.
    onboarding_window: timedelta = timedelta(days=30)
    #: How many of the glossary's top terms the welcome lists (0: none).
    glossary_terms: int = 5
    #: More joins than ``burst_joins`` within ``burst_window`` (a raid, a big invite) are
    #: welcomed together: the joins past the limit share one batched channel welcome.
    burst_joins: int = 10
    burst_window: timedelta = timedelta(minutes=1)
    #: At most this many welcome DMs go out a minute; later ones wait their turn (none is
    #: dropped).
    dms_per_minute: int = 10
    #: A member who comes back this soon after leaving gets no new welcome and no "welcome
    #: back": their first onboarding (steps, reminder, greeter) simply goes on.
    rejoin_window: timedelta = timedelta(hours=1)
    #: A member who greets a newcomer (waves, replies to the welcome or to the newcomer,
    #: mentions them) this soon after the welcome earns welcome credit, once the newcomer
    #: has stayed past ``remove_if_left_within``.
    greet_window: timedelta = timedelta(hours=24)


def config_problems(section: dict[str, Any]) -> list[str]:
    """Template problems in the ``[welcome]`` section of config.toml, one line per key."""
    problems = []
    for key, value in section.items():
        name = key.replace("-", "_")
        if name not in TEMPLATE_KEYS or not isinstance(value, str):
            continue  # types and unknown keys are checked by the core
        try:
            check_template(value)
        except TemplateProblem as problem:
            problems.append(f"welcome.{key}: {problem.describe()}")
    return problems
