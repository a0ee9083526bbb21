"""What every member can do: add, look up, search, browse, and explain a message's jargon."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from bot.cog import button, command, message_action
from bot.commands import Choice, Integer, Text
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Button, Message, channel_mention
from bot.platform import TargetMessage
from cogs.glossary import render
from cogs.glossary.base import GlossaryBase
from cogs.glossary.model import KINDS, Entry
from cogs.glossary.rules import (
    MAX_DEFINITION,
    MAX_ENTRIES,
    MAX_NAME,
    MAX_ORIGIN,
    MAX_REFERENCE,
    check_kind,
    check_names,
    check_text,
    split_aliases,
)
from cogs.glossary.search import complete, did_you_mean, search

PAGE = 20
SHOWN = 10
PERIOD_DAYS = {"week": 7, "month": 30}


def term_option(name: str = "term", description: str = "The entry's name or an alias") -> Text:
    return Text(
        name=name, description=description, max_length=MAX_NAME, autocomplete="complete_term"
    )


#: "Show to channel" posts once per private definition (Discord lets a private answer's
#: buttons be pressed for 15 minutes; a day covers every platform).
SHOWN_ONCE_FOR = timedelta(days=1)


class MemberCommands(GlossaryBase):
    @command(
        "glossary add",
        "Add a term or an inside joke to the glossary",
        Text(name="term", description="The name, up to 64 characters", max_length=MAX_NAME),
        Text(name="definition", description="What it means", max_length=MAX_DEFINITION),
        Choice(name="kind", description="term (default) or joke", choices=KINDS, required=False),
        Text(
            name="origin",
            description="For jokes: where it came from",
            max_length=MAX_ORIGIN,
            required=False,
        ),
        Text(
            name="aliases",
            description="Other spellings, separated by commas",
            max_length=600,
            required=False,
        ),
        Text(
            name="first-said",
            description="A link to the message where it was first said",
            max_length=MAX_REFERENCE,
            required=False,
        ),
        private=True,
    )
    async def add(
        self,
        ctx: CommandContext,
        term: str,
        definition: str,
        kind: str | None,
        origin: str | None,
        aliases: str | None,
        first_said: str | None,
    ) -> Message:
        await self.check_may_add(ctx)
        index = self.index_of(ctx.community)
        if len(index) >= MAX_ENTRIES:
            raise UserError(self.t("glossary.add.full", max=MAX_ENTRIES))
        with self.problems():
            name, alias_list = check_names(
                term, split_aliases(aliases), self.stop(ctx.community), index
            )
            entry = Entry(
                id=0,
                community=ctx.community,
                name=name,
                kind=check_kind(kind),
                definition=check_text(definition, "definition", MAX_DEFINITION, required=True)
                or "",
                origin=check_text(origin, "origin", MAX_ORIGIN),
                first_said=check_text(first_said, "first-said", MAX_REFERENCE),
                author=ctx.user.id,
                created_at=ctx.now,
                updated_at=ctx.now,
                aliases=alias_list,
            )
        saved = await self.save_new(entry)
        done = self.t(f"glossary.add.done_{saved.kind}", name=saved.name)
        if saved.aliases:
            done += " " + self.t("glossary.add.aliases", aliases=", ".join(saved.aliases))
        return Message(done)

    @command(
        "glossary define",
        "What a term or joke means (only you see it)",
        term_option(),
        private=True,
    )
    async def define(self, ctx: CommandContext, term: str) -> Message:
        entry = self.entry_named(ctx.community, term)
        await self.flush()
        usage = await self.store.usage(entry.id)
        show = Button(self.t("glossary.define.show"), "glossary.show", str(entry.id), "primary")
        return render.entry_message(self.t, entry, usage, self.day_of(ctx.community), (show,))

    @button("show")
    async def show(self, ctx: CommandContext, value: str) -> Message:
        """ "Show to channel" on a private definition: post it where it was asked, once per
        definition shown, and within the person's public cooldown."""
        index = self.indexes.get(ctx.community)
        entry = index.entries.get(int(value)) if index and value.isdigit() else None
        if entry is None:
            raise UserError(self.t("glossary.show.gone"))
        interactions, where = self.bot.interactions, channel_mention(ctx.channel)
        pressed = ("glossary show", ctx.community, ctx.message.id if ctx.message else value)
        if interactions.cooldowns.remaining(pressed, ctx.now) is not None:
            raise UserError(self.t("glossary.show.already", name=entry.name, channel=where))
        if refusal := interactions.cooldown_refusal(ctx.community, ctx.user.id, "glossary define"):
            raise UserError(refusal)
        interactions.cooldowns.start(pressed, ctx.now, SHOWN_ONCE_FOR)
        public = render.entry_message(self.t, entry, None, self.day_of(ctx.community))
        sent = await self.bot.send(ctx.community, ctx.channel, public, thread=ctx.thread)
        if sent is None:
            interactions.cooldowns.forget(pressed)
            raise UserError(self.t("glossary.show.failed", channel=where))
        interactions.start_cooldown(ctx.community, ctx.user.id, "glossary define")
        await self.mark_explained(ctx.community, ctx.channel, [entry], ctx.now)
        return Message(
            self.t("glossary.show.done", name=entry.name, channel=channel_mention(ctx.channel))
        )

    @command(
        "glossary search",
        "Find entries by name, alias or definition (typos welcome)",
        Text(name="text", description="What to look for", max_length=100),
        private=True,
    )
    async def search(self, ctx: CommandContext, text: str) -> Message:
        index = self.indexes.get(ctx.community)
        hits = search(index, text, self.locale(ctx.community)) if index else []
        if hits:
            more = len(hits) - SHOWN
            return Message(
                render.short_lines(self.t, hits[:SHOWN]),
                title=self.t("glossary.search.title", text=text, count=len(hits)),
                footer=self.t("glossary.search.more", count=more) if more > 0 else None,
            )
        guesses = did_you_mean(index, text) if index else []
        if guesses:
            shown = ", ".join(f"“{g}”" for g in guesses)
            return Message(self.t("glossary.search.did_you_mean", text=text, guesses=shown))
        return Message(self.t("glossary.search.nothing", text=text))

    @command(
        "glossary list",
        "Every entry, in alphabetical order",
        Integer(
            name="page", description="Which page", min_value=1, max_value=10_000, required=False
        ),
        private=True,
    )
    async def list_entries(self, ctx: CommandContext, page: int | None) -> Message:
        index = self.indexes.get(ctx.community)
        if not index:
            return Message(self.t("glossary.empty"))
        entries = index.alphabetical(self.locale(ctx.community))
        pages = math.ceil(len(entries) / PAGE)
        page = page or 1
        if page > pages:
            raise UserError(self.t("glossary.list.no_page", page=page, pages=pages))
        shown = entries[(page - 1) * PAGE : page * PAGE]
        return render.list_message(self.t, shown, page, pages, len(entries))

    @command(
        "glossary top",
        "The most used entries",
        Choice(
            name="period",
            description="week, month (default) or all",
            choices=("week", "month", "all"),
            required=False,
        ),
        private=True,
    )
    async def top(self, ctx: CommandContext, period: str | None) -> Message:
        period = period or "month"
        index = self.indexes.get(ctx.community)
        if not index:
            return Message(self.t("glossary.empty"))
        await self.flush()
        since = None
        if period in PERIOD_DAYS:
            today = date.fromisoformat(self.day(ctx.community, ctx.now))
            since = (today - timedelta(days=PERIOD_DAYS[period] - 1)).isoformat()
        rows = [
            (index.entries[entry_id], uses)
            for entry_id, uses in await self.store.top(ctx.community, since, SHOWN)
            if entry_id in index.entries
        ]
        if not rows:
            return Message(self.t(f"glossary.top.none_{period}"))
        return render.top_message(self.t, rows, period)

    @command("glossary new", "The most recently added entries", private=True)
    async def new(self, ctx: CommandContext) -> Message:
        index = self.indexes.get(ctx.community)
        if not index:
            return Message(self.t("glossary.empty"))
        latest = sorted(index.entries.values(), key=lambda e: (e.created_at, e.id), reverse=True)
        return render.new_message(self.t, latest[:SHOWN], self.day_of(ctx.community))

    @command(
        "glossary random",
        "A random entry: learn a word",
        Choice(name="kind", description="term or joke", choices=KINDS, required=False),
        private=True,
    )
    async def random_entry(self, ctx: CommandContext, kind: str | None) -> Message:
        index = self.indexes.get(ctx.community)
        entries = [e for e in (index.entries.values() if index else ()) if kind in (None, e.kind)]
        if not entries:
            return Message(self.t(f"glossary.random.none_{kind}" if kind else "glossary.empty"))
        entry = random.choice(entries)
        return render.entry_message(self.t, entry, None, self.day_of(ctx.community))

    @command(
        "glossary origin",
        "Where an inside joke came from",
        term_option("joke", "The joke's name or an alias"),
        private=True,
    )
    async def origin(self, ctx: CommandContext, joke: str) -> Message:
        entry = self.entry_named(ctx.community, joke)
        return render.origin_message(self.t, entry, self.day_of(ctx.community))

    async def complete_term(self, ctx: CommandContext, partial: str) -> list[str]:
        index = self.indexes.get(ctx.community)
        return complete(index, partial) if index else []

    @message_action("Explain jargon")
    async def explain(self, ctx: CommandContext, target: TargetMessage) -> Message:
        """Privately list the definitions of every entry used in a message."""
        index = self.indexes.get(ctx.community)
        used = index.find(target.text) if index else []
        if not used or index is None:
            return Message(self.t("glossary.explain.none"))
        return render.explain_message(self.t, [index.entries[i] for i in used])
