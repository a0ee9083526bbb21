"""The glossary's state and hot path: per-community indexes, buffered counters, footnotes.

Every message passes :meth:`GlossaryBase.on_message`. Its common path is synchronous
work only: one dict lookup for a community without entries; a phrase count when
emerging detection is on; one matcher scan otherwise. It awaits only when a footnote
is actually due. Counters are written by :meth:`flush` every few seconds and at close.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.cog import Cog, job, listen
from bot.errors import UserError
from bot.events import GlossaryEntryAdded, MessagePosted
from bot.interactions import CommandContext
from cogs.glossary import render
from cogs.glossary.emerging import PhraseBuffer, phrases
from cogs.glossary.matcher import GlossaryIndex
from cogs.glossary.model import Entry
from cogs.glossary.rules import Problem, may_add, may_change
from cogs.glossary.search import did_you_mean
from cogs.glossary.settings import GlossarySettings
from cogs.glossary.stopwords import stopwords
from cogs.glossary.store import GlossaryStore, NameTaken
from cogs.glossary.usage import UsageBuffer

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
FOOTNOTE_MAX = 3  # entries explained in one footnote


class GlossaryBase(Cog):
    name = "glossary"
    tables = (
        "glossary_entries",
        "glossary_names",
        "glossary_usage_days",
        "glossary_usage_people",
        "glossary_explained",
        "glossary_ngram_people",
        "glossary_ngram_days",
        "glossary_suggestions",
        "glossary_reports",
    )
    settings_class = GlossarySettings

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.store = GlossaryStore(bot.db)
        self.indexes: dict[str, GlossaryIndex] = {}
        self.usage = UsageBuffer()
        self.phrases = PhraseBuffer()
        self._explained: dict[tuple[str, str, int], datetime] = {}
        self._weekly: set[str] = set()  # communities whose weekly suggestion timer is ensured

    # --- helpers --------------------------------------------------------------------------

    def config(self, community: str) -> GlossarySettings:
        return self.settings.get(community)

    def stop(self, community: str) -> frozenset[str]:
        return stopwords(tuple(self.config(community).languages))

    def locale(self, community: str) -> str:
        languages = self.config(community).languages
        return languages[0] if languages else "en"

    def index_of(self, community: str) -> GlossaryIndex:
        index = self.indexes.get(community)
        if index is None:
            index = self.indexes[community] = GlossaryIndex()
        return index

    def day(self, community: str, at: datetime) -> str:
        """The community's local date of ``at`` (ISO), the unit of daily counts."""
        return at.astimezone(self.bot.timezone(community)).date().isoformat()

    def day_of(self, community: str) -> Callable[[datetime], str]:
        return lambda at: self.day(community, at)

    @contextmanager
    def problems(self) -> Iterator[None]:
        """Turn a :class:`Problem` from the rules into a private, friendly answer."""
        try:
            yield
        except Problem as problem:
            text = self.t(f"glossary.problem.{problem.key}", **problem.params)
            raise UserError(text) from None

    def entry_named(self, community: str, text: str) -> Entry:
        """The entry called ``text``, or a UserError offering close names."""
        index = self.indexes.get(community)
        entry = index.lookup(text) if index else None
        if entry is not None:
            return entry
        guesses = did_you_mean(index, text) if index else []
        if guesses:
            shown = ", ".join(f"“{g}”" for g in guesses)
            raise UserError(self.t("glossary.lookup.did_you_mean", name=text, guesses=shown))
        raise UserError(self.t("glossary.lookup.missing", name=text))

    async def check_may_add(self, ctx: CommandContext) -> None:
        settings = self.config(ctx.community)
        joined = None
        if settings.who_can_add == "members" and not ctx.is_moderator:
            record = await self.bot.members.get(ctx.community, ctx.user.id)
            if record is not None:
                joined = record.first_joined_at or record.first_message_at
        refusal = may_add(
            settings.who_can_add, settings.min_days, ctx.is_moderator, joined, ctx.now
        )
        if refusal is not None:
            with self.problems():
                raise refusal

    def check_may_change(self, ctx: CommandContext, entry: Entry) -> None:
        refusal = may_change(entry, ctx.user.id, ctx.is_moderator)
        if refusal is not None:
            with self.problems():
                raise refusal

    async def save_new(self, entry: Entry) -> Entry:
        """Commit a new entry, then index it and tell other cogs."""
        try:
            saved = await self.store.insert(entry)
        except NameTaken:
            raise UserError(self.t("glossary.problem.taken_meanwhile", name=entry.name)) from None
        self.index_of(saved.community).put(saved)
        await self.bot.emit(
            GlossaryEntryAdded(
                community=saved.community,
                at=saved.created_at,
                entry=str(saved.id),
                name=saved.name,
                author=saved.author or "",
            )
        )
        return saved

    async def save(self, entry: Entry) -> None:
        """Commit a changed entry, then re-index it."""
        try:
            await self.store.update(entry)
        except NameTaken:
            raise UserError(self.t("glossary.problem.taken_meanwhile", name=entry.name)) from None
        self.index_of(entry.community).put(entry)

    async def forget_entry(self, entry: Entry) -> None:
        await self.store.delete(entry.id)
        self.index_of(entry.community).drop(entry.id)
        self.usage.forget_entry(entry.id)
        for key in [k for k in self._explained if k[2] == entry.id]:
            del self._explained[key]

    # --- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        for entry in await self.store.all_entries():
            self.index_of(entry.community).put(entry)
        self._explained = await self.store.explained()
        for community in self.bot.communities():
            await self.ensure_weekly(community)

    async def close(self) -> None:
        await self.flush()

    async def ensure_weekly(self, community: str) -> None:
        """Make sure the weekly emerging-phrase suggestion is scheduled (a timer row)."""
        if community in self._weekly:
            return
        self._weekly.add(community)
        if self.config(community).emerging:
            now = self.bot.clock.now()
            await self.bot.timers.schedule(
                community, self.name, "emerging", now + WEEK, now=now, key="weekly"
            )

    # --- the hot path ---------------------------------------------------------------------

    @listen(MessagePosted)
    async def on_message(self, event: MessagePosted) -> None:
        if event.author_is_bot:
            return
        community = event.community
        settings = self.settings.get(community)
        if settings.emerging:
            said = phrases(event.text, stopwords(tuple(settings.languages)))
            if said.spans:
                first = (event.at, event.channel, event.message, event.thread)
                self.phrases.add(
                    community, self.day(community, event.at), event.author, said, first
                )
        index = self.indexes.get(community)
        if not index:
            return
        used = index.find(event.text)
        if not used:
            return
        self.usage.record(community, used, event.author, event.at, self.day(community, event.at))
        if settings.newcomer_help:
            due = self._footnotes_due(event, used, settings.footnote_every)
            if due:
                await self._footnote(event, due)

    def _footnotes_due(self, event: MessagePosted, used: list[int], every: timedelta) -> list[int]:
        due = []
        for entry_id in used:
            last = self._explained.get((event.community, event.channel, entry_id))
            if last is None or event.at - last >= every:
                due.append(entry_id)
        return due[:FOOTNOTE_MAX]

    async def _footnote(self, event: MessagePosted, due: list[int]) -> None:
        index = self.index_of(event.community)
        entries = [index.entries[i] for i in due if i in index.entries]
        # Marked before sending: a crash in between loses one footnote, never repeats one.
        await self.mark_explained(event.community, event.channel, entries, event.at)
        await self.bot.send(
            event.community,
            event.channel,
            render.footnote(self.t, entries),
            thread=event.thread or event.message,
        )

    async def mark_explained(
        self, community: str, channel: str, entries: list[Entry], at: datetime
    ) -> None:
        for entry in entries:
            self._explained[(community, channel, entry.id)] = at
        await self.store.mark_explained(community, channel, [e.id for e in entries], at)

    @job(every=timedelta(seconds=5))
    async def flush(self) -> None:
        """Write the buffered usage counters in one transaction, then the phrase counters
        (in a few transactions when there are many)."""
        if not self.usage and not self.phrases:
            return
        usage, counts = self.usage.drain(), self.phrases.drain()
        if self.phrases.dropped:
            log.warning("glossary phrase buffer full: %d counts dropped", self.phrases.dropped)
            self.phrases.dropped = 0
        if usage:
            async with self.bot.db.transaction():
                await self.store.write_usage(usage)
        if counts:
            await self.store.write_phrases(counts)
        for community in {community for community, _, _ in counts} - self._weekly:
            await self.ensure_weekly(community)

    # --- for other cogs --------------------------------------------------------------------

    async def top_terms(self, community: str, n: int) -> list[str]:
        """The names of the most used entries (the welcome cog's "words you'll hear here")."""
        if not self.indexes.get(community) or n <= 0:
            return []
        return await self.store.most_used(community, n)

    async def new_entries(self, community: str, since: datetime, until: datetime) -> list[str]:
        """The names of the entries added in [since, until), oldest first (the weekly digest)."""
        index = self.indexes.get(community)
        added = [
            e for e in (index.entries.values() if index else ()) if since <= e.created_at < until
        ]
        return [e.name for e in sorted(added, key=lambda e: (e.created_at, e.id))]

    # --- personal data ----------------------------------------------------------------------

    async def delete_user_data(self, community: str, user: str) -> None:
        """Their entries stay, without their name; their usage and phrase counts and the
        reports they filed go; reports they resolved stay, without their name."""
        self.usage.forget_user(community, user)
        self.phrases.forget_user(community, user)
        await self.store.delete_user(community, user)
        index = self.indexes.get(community)
        for entry in list(index.entries.values()) if index else []:
            if entry.author == user:
                index.put(replace(entry, author=None))  # type: ignore[union-attr]

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        await self.flush()
        return await self.store.export_user(community, user)
