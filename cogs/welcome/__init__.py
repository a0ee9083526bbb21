"""Welcome: newcomers get a warm welcome (channel post with a Wave button, a DM, a
greeter), onboarding steps that tick themselves, and at most one gentle reminder.

Modules: ``cog`` (commands, the Wave button), ``flow`` (the join, hot path), ``later``
(paced DMs, batched welcomes, the reminder, leaving), ``greetings`` (greeters earn credit
when they greet), ``bursts`` (pacing, pure), ``compose`` (messages), ``logic`` (pure
decisions), ``templates`` (placeholders), ``store`` and ``greetings_store`` (SQL),
``settings``.
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
