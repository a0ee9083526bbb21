"""Unanswered questions: nobody is left ignored (issue 8).

Finds questions in help and watched channels, records who answered and how fast,
reminds helpers in one digest, tells moderators about long waits, checks in with
the asker and closes quiet questions kindly. See ``cog.py`` for the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.questions.cog import Questions

if TYPE_CHECKING:
    from bot.app import Bot

__all__ = ["Questions", "setup"]


def setup(bot: Bot) -> Questions:
    return Questions(bot)
