"""Welcome: newcomers get a warm welcome (channel post with a Wave button, a DM, a
greeter), onboarding steps that tick themselves, and at most one gentle reminder.

Modules: ``cog`` (commands), ``flow`` (events, reminder timer, Wave button, hot path),
``compose`` (messages), ``logic`` (pure decisions), ``templates`` (placeholders),
``store`` (SQL), ``settings``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.errors import ConfigError
from cogs.welcome.cog import Welcome
from cogs.welcome.settings import WelcomeSettings, config_problems

if TYPE_CHECKING:
    from bot.app import Bot

__all__ = ["Welcome", "WelcomeSettings", "setup"]


def setup(bot: Bot) -> Welcome:
    """Refuse to start on a ``[welcome]`` template with an unknown placeholder."""
    problems = config_problems(bot.config.cog_sections.get("welcome", {}))
    if problems:
        raise ConfigError(problems)
    return Welcome(bot)
