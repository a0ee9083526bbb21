"""Glossary: the community's own language — terms and inside jokes, kept and explained.

Modules: ``members`` (add, define, search, list, top, new, random, origin, Explain
jargon), ``manage`` (edit, aliases, remove, import, export, settings), ``reports``
(reporting a wrong entry, listing and resolving reports), ``suggest``
(emerging phrases for moderators), ``base`` (state, hot path, flush, privacy),
``matcher`` (the per-community index), ``usage`` and ``emerging`` (buffered counters
and the emerging-phrase decision), ``rules`` (checks), ``search``, ``io`` and
``imports`` (CSV/JSON), ``render`` (messages), ``store`` (SQL; ``store_phrases`` and
``store_reports`` beside it), ``stopwords``, ``settings``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cogs.glossary.cog import Glossary
from cogs.glossary.settings import GlossarySettings

if TYPE_CHECKING:
    from bot.app import Bot

__all__ = ["Glossary", "GlossarySettings", "setup"]


def setup(bot: Bot) -> Glossary:
    return Glossary(bot)
