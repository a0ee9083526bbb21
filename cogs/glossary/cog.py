"""The glossary cog: the commands of every part, on one class."""

from __future__ import annotations

from cogs.glossary.manage import ManageCommands
from cogs.glossary.members import MemberCommands
from cogs.glossary.reports import ReportCommands
from cogs.glossary.suggest import Suggestions


class Glossary(MemberCommands, ManageCommands, ReportCommands, Suggestions):
    """The community's own words: entries, usage, footnotes, reports, emerging phrases."""
