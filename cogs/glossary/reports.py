"""Reports that an entry is wrong: any member files one privately, moderators list and
resolve them.

Reports are also resolved when a moderator edits the entry (``manage``); removing an entry
takes its reports along. The digest reads :meth:`ReportCommands.open_reports` to tell
moderators about new reports in its grouped note.
"""

from __future__ import annotations

from bot.cog import command
from bot.commands import Text
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message
from cogs.glossary import render
from cogs.glossary.base import GlossaryBase
from cogs.glossary.members import term_option
from cogs.glossary.model import Report
from cogs.glossary.rules import check_text
from cogs.glossary.store_reports import AlreadyReported

MAX_REASON = 300
REPORTS_SHOWN = 10


class ReportCommands(GlossaryBase):
    @command(
        "glossary report",
        "Tell moderators an entry is wrong (only you see the reply)",
        term_option(),
        Text(name="reason", description="What is wrong with it", max_length=MAX_REASON),
        private=True,
    )
    async def report(self, ctx: CommandContext, term: str, reason: str) -> Message:
        entry = self.entry_named(ctx.community, term)
        with self.problems():
            text = check_text(reason, "reason", MAX_REASON, required=True) or ""
        try:
            filed = await self.store.add_report(ctx.community, entry.id, ctx.user.id, text, ctx.now)
        except AlreadyReported:
            raise UserError(self.t("glossary.report.already", name=entry.name)) from None
        if filed is None:
            raise UserError(self.t("glossary.show.gone"))
        return Message(self.t("glossary.report.done", name=entry.name))

    @command(
        "glossary reports",
        "Open reports of wrong entries, oldest first",
        moderator=True,
        private=True,
    )
    async def reports(self, ctx: CommandContext) -> Message:
        found = await self.store.open_reports(ctx.community)
        if not found:
            return Message(self.t("glossary.reports.none"))
        return render.reports_message(self.t, found, REPORTS_SHOWN, self.day_of(ctx.community))

    @command(
        "glossary resolve",
        "Close an entry's open reports (it is right, or it was fixed)",
        term_option(),
        moderator=True,
        private=True,
    )
    async def resolve(self, ctx: CommandContext, term: str) -> Message:
        entry = self.entry_named(ctx.community, term)
        closed = await self.store.resolve_reports(entry.id, ctx.user.id, ctx.now, "resolved")
        if not closed:
            raise UserError(self.t("glossary.resolve.none", name=entry.name))
        return Message(self.t("glossary.resolve.done", name=entry.name, count=closed))

    # --- for other cogs --------------------------------------------------------------------

    async def open_reports(self, community: str) -> list[Report]:
        """Every open report, oldest first (the digest's note to moderators)."""
        return await self.store.open_reports(community)
