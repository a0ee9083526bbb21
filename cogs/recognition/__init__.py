"""Recognition: kudos, points and roles that make insiders visible (issue 7).

``/kudos``, the "Give kudos" user action, a kudos reaction and natural thanks in chat
give kudos under the same anti-gaming rules; other cogs' events earn points; role
tiers turn effort into visible roles; profiles, boards and a weekly spotlight show it.
"""

from __future__ import annotations

from bot.app import Bot
from cogs.recognition.cog import Recognition

__all__ = ["Recognition", "setup"]


def setup(bot: Bot) -> Recognition:
    return Recognition(bot)
