"""The glossary cog: the commands of every part, on one class."""

from __future__ import annotations

from cogs.glossary.manage import ManageCommands
from cogs.glossary.members import MemberCommands
from cogs.glossary.suggest import Suggestions


class Glossary(MemberCommands, ManageCommands, Suggestions):
    """The community's own words: entries, usage, footnotes, emerging phrases."""
