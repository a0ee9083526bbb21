"""Changing the glossary: authors and moderators edit, alias and remove; moderators
import, export and configure."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.cog import command
from bot.commands import Channel, Choice, Duration, Integer, Text, Toggle
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Attachment, Message, channel_mention
from cogs.glossary import io, render
from cogs.glossary.base import WEEK, GlossaryBase
from cogs.glossary.imports import plan_import
from cogs.glossary.members import term_option
from cogs.glossary.model import KINDS, name_key
from cogs.glossary.rules import (
    MAX_DEFINITION,
    MAX_NAME,
    MAX_ORIGIN,
    MAX_REFERENCE,
    check_kind,
    check_names,
    check_text,
)
from cogs.glossary.stopwords import LANGUAGES

CLEAR = "-"  # clears an optional field in /glossary edit
IMPORT_LIMIT = 6000  # the longest option value Discord accepts
PROBLEMS_SHOWN = 10


class ManageCommands(GlossaryBase):
    @command(
        "glossary edit",
        "Change an entry (its author or moderators)",
        term_option(),
        Text(name="name", description="A new name", max_length=MAX_NAME, required=False),
        Text(
            name="definition",
            description="A new definition",
            max_length=MAX_DEFINITION,
            required=False,
        ),
        Choice(name="kind", description="term or joke", choices=KINDS, required=False),
        Text(
            name="origin",
            description="Where it came from (- to clear)",
            max_length=MAX_ORIGIN,
            required=False,
        ),
        Text(
            name="first-said",
            description="Link to where it was first said (- to clear)",
            max_length=MAX_REFERENCE,
            required=False,
        ),
        private=True,
    )
    async def edit(
        self,
        ctx: CommandContext,
        term: str,
        name: str | None,
        definition: str | None,
        kind: str | None,
        origin: str | None,
        first_said: str | None,
    ) -> Message:
        entry = self.entry_named(ctx.community, term)
        self.check_may_change(ctx, entry)
        if all(v is None for v in (name, definition, kind, origin, first_said)):
            raise UserError(self.t("glossary.edit.nothing", name=entry.name))
        with self.problems():
            new_name, aliases = check_names(
                name or entry.name,
                entry.aliases,
                self.stop(ctx.community),
                self.index_of(ctx.community),
                itself=entry.id,
            )
            changed = replace(
                entry,
                name=new_name,
                aliases=aliases,
                kind=check_kind(kind or entry.kind),
                definition=check_text(definition, "definition", MAX_DEFINITION) or entry.definition,
                origin=_optional(origin, entry.origin, "origin", MAX_ORIGIN),
                first_said=_optional(first_said, entry.first_said, "first-said", MAX_REFERENCE),
                updated_at=ctx.now,
            )
        async with self.bot.db.transaction():
            # A moderator's edit settles the reports that the entry was wrong.
            resolved = 0
            if ctx.is_moderator:
                resolved = await self.store.resolve_reports(
                    entry.id, ctx.user.id, ctx.now, "edited"
                )
            await self.save(changed)
        done = self.t("glossary.edit.done", name=changed.name)
        if resolved:
            done += " " + self.t("glossary.edit.resolved", count=resolved)
        return Message(done)

    @command(
        "glossary alias add",
        "Another way to say an entry (plural, spelling…)",
        term_option(),
        Text(name="alias", description="The other spelling", max_length=MAX_NAME),
        private=True,
    )
    async def alias_add(self, ctx: CommandContext, term: str, alias: str) -> Message:
        entry = self.entry_named(ctx.community, term)
        self.check_may_change(ctx, entry)
        if any(name_key(text) == name_key(alias) for text in entry.names):
            raise UserError(self.t("glossary.alias.already", alias=alias, name=entry.name))
        with self.problems():
            _, aliases = check_names(
                entry.name,
                [*entry.aliases, alias],
                self.stop(ctx.community),
                self.index_of(ctx.community),
                itself=entry.id,
            )
        await self.save(replace(entry, aliases=aliases, updated_at=ctx.now))
        return Message(self.t("glossary.alias.added", alias=aliases[-1], name=entry.name))

    @command(
        "glossary alias remove",
        "Remove one of an entry's aliases",
        term_option(),
        Text(name="alias", description="The alias to remove", max_length=MAX_NAME),
        private=True,
    )
    async def alias_remove(self, ctx: CommandContext, term: str, alias: str) -> Message:
        entry = self.entry_named(ctx.community, term)
        self.check_may_change(ctx, entry)
        key = name_key(alias)
        kept = tuple(a for a in entry.aliases if name_key(a) != key)
        if len(kept) == len(entry.aliases):
            known = ", ".join(entry.aliases) or self.t("glossary.alias.none")
            raise UserError(
                self.t("glossary.alias.missing", alias=alias, name=entry.name, aliases=known)
            )
        await self.save(replace(entry, aliases=kept, updated_at=ctx.now))
        return Message(self.t("glossary.alias.removed", alias=alias, name=entry.name))

    @command(
        "glossary remove", "Remove an entry (its author or moderators)", term_option(), private=True
    )
    async def remove(self, ctx: CommandContext, term: str) -> Message:
        entry = self.entry_named(ctx.community, term)
        self.check_may_change(ctx, entry)
        reported = await self.store.open_report_count(entry.id)
        await self.forget_entry(entry)  # its reports go with it
        done = self.t("glossary.remove.done", name=entry.name)
        if reported:
            done += " " + self.t("glossary.remove.resolved", count=reported)
        return Message(done)

    # --- moderators -----------------------------------------------------------------------

    @command(
        "glossary import",
        "Add or update entries from CSV or JSON (all or nothing)",
        Choice(name="format", description="csv or json", choices=("csv", "json")),
        Text(name="data", description="The file's content", max_length=IMPORT_LIMIT),
        moderator=True,
        private=True,
    )
    async def import_entries(self, ctx: CommandContext, format: str, data: str) -> Message:
        records, problems = (io.parse_csv if format == "csv" else io.parse_json)(data)
        index = self.index_of(ctx.community)
        plan = plan_import(
            records, index, self.stop(ctx.community), ctx.community, ctx.user.id, ctx.now
        )
        found = [(p, f"glossary.import.{p.key}") for p in problems]
        found += [(p, f"glossary.problem.{p.key}") for p in plan.problems]
        lines = [
            self._where(problem, self.t(key, **dict(problem.params)))
            for problem, key in sorted(found, key=lambda item: (item[0].entry or 0, item[0].line))
        ]
        if not records and not lines:
            lines.append(
                self.t("glossary.import.line", line=1, problem=self.t("glossary.import.empty"))
            )
        if lines:
            more = len(lines) - PROBLEMS_SHOWN
            text = "\n".join(lines[:PROBLEMS_SHOWN])
            if more > 0:
                text += "\n" + self.t("glossary.import.more", count=more)
            raise UserError(self.t("glossary.import.refused", problems=text))
        added = await self.store.import_entries(plan.new, plan.changed)
        for entry in [*plan.changed, *added]:  # changed first: they may give up names
            index.put(entry)
        done = self.t(
            "glossary.import.done",
            added=len(plan.new),
            updated=len(plan.changed),
            unchanged=plan.unchanged,
        )
        changes = [
            self.t("glossary.import.changed", name=entry.name, fields=", ".join(fields))
            for entry, fields in zip(plan.changed, plan.changes, strict=True)
        ]
        if len(changes) > PROBLEMS_SHOWN:
            more = len(changes) - PROBLEMS_SHOWN
            changes = [
                *changes[:PROBLEMS_SHOWN],
                self.t("glossary.import.more_changed", count=more),
            ]
        return Message("\n".join([done, *changes]))

    def _where(self, problem: io.LineProblem, text: str) -> str:
        """A problem with where it is: a line, or a JSON entry (number, name) and its key."""
        if problem.entry is None:
            return self.t("glossary.import.line", line=problem.line, problem=text)
        if problem.field is None:
            return self.t(
                "glossary.import.entry", index=problem.entry, name=problem.name, problem=text
            )
        return self.t(
            "glossary.import.entry_key",
            index=problem.entry,
            name=problem.name,
            field=problem.field,
            problem=text,
        )

    @command(
        "glossary export",
        "The whole glossary as CSV or JSON",
        Choice(name="format", description="csv or json", choices=("csv", "json")),
        moderator=True,
        private=True,
    )
    async def export(self, ctx: CommandContext, format: str) -> Message:
        index = self.indexes.get(ctx.community)
        if not index:
            return Message(self.t("glossary.empty"))
        entries = index.alphabetical(self.locale(ctx.community))
        text = (io.export_csv if format == "csv" else io.export_json)(entries)
        if self.bot.platform_of(ctx.community).supports_files:
            attachment = Attachment(
                f"glossary.{format}", text.encode("utf-8"), self.t("glossary.export.description")
            )
            return Message(
                self.t("glossary.export.attached", count=len(entries)), attachments=(attachment,)
            )
        intro = self.t("glossary.export.inline", count=len(entries))
        return Message(f"{intro}\n```{format}\n{text}```")

    @command(
        "glossary settings",
        "Who may add entries, footnotes, emerging phrases, languages",
        Choice(
            name="who-can-add",
            description="everyone, members (after min-days) or moderators",
            choices=("everyone", "members", "moderators"),
            required=False,
        ),
        Integer(
            name="min-days",
            description="Days a member must have been here",
            min_value=0,
            max_value=365,
            required=False,
        ),
        Toggle(
            name="newcomer-help",
            description="Footnotes explaining entries where they're used",
            required=False,
        ),
        Duration(
            name="footnote-every",
            description="At most one footnote per entry and channel this often",
            minimum=timedelta(hours=1),
            maximum=timedelta(days=90),
            required=False,
        ),
        Toggle(name="emerging", description="Suggest phrases that are catching on", required=False),
        Channel(
            name="emerging-channel", description="Where the weekly suggestions go", required=False
        ),
        Integer(
            name="emerging-people",
            description="How many people must use a phrase",
            min_value=2,
            max_value=50,
            required=False,
        ),
        Duration(
            name="emerging-window",
            description="Within how long",
            minimum=timedelta(days=1),
            maximum=timedelta(days=30),
            required=False,
        ),
        Text(
            name="languages",
            description="e.g. en, he: " + ", ".join(LANGUAGES),
            max_length=60,
            required=False,
        ),
        moderator=True,
        private=True,
    )
    async def settings_command(self, ctx: CommandContext, **options: Any) -> Message:
        changes = {key: value for key, value in options.items() if value is not None}
        if "languages" in changes:
            changes["languages"] = self._languages(changes["languages"])
        if changes:
            before = self.config(ctx.community).emerging
            await self.settings.update(ctx.community, ctx.now, **changes)
            await self._emerging_switched(ctx, before)
        settings = self.config(ctx.community)
        where = settings.emerging_channel or self.bot.core_settings(ctx.community).log_channel
        shown = channel_mention(where) if where else self.t("glossary.settings.command_only")
        message = render.settings_message(self.t, settings, shown)
        return replace(message, text=self.t("glossary.settings.saved")) if changes else message

    def _languages(self, text: str) -> list[str]:
        wanted = [part.strip().casefold() for part in text.replace(",", " ").split()]
        unknown = [w for w in wanted if w not in LANGUAGES]
        if unknown or not wanted:
            raise UserError(
                self.t("glossary.settings.bad_language", given=text, known=", ".join(LANGUAGES))
            )
        return list(dict.fromkeys(wanted))

    async def _emerging_switched(self, ctx: CommandContext, before: bool) -> None:
        now = self.config(ctx.community).emerging
        if now and not before:
            await self.bot.timers.schedule(
                ctx.community, self.name, "emerging", ctx.now + WEEK, now=ctx.now, key="weekly"
            )
        elif before and not now:
            await self.bot.timers.cancel(ctx.community, self.name, "emerging")


def _optional(value: str | None, current: str | None, field: str, limit: int) -> str | None:
    if value is None:
        return current
    if value.strip() == CLEAR:
        return None
    return check_text(value, field, limit)
