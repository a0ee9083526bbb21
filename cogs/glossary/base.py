"""The glossary's state and hot path: per-community indexes, buffered counters, footnotes.

Every message passes :meth:`GlossaryBase.on_message`, which is synchronous and does no
I/O: it sets the message aside for phrase counting when emerging detection is on (one
append), and scans it with the community's matcher when it has entries. A footnote that
is due is marked in memory and queued. :meth:`flush`, every few seconds and at close,
counts the phrases set aside, writes every buffered aggregate in one transaction (one
``executemany`` per table), then sends the queued footnotes.
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
from cogs.glossary.emerging import MIN_USES, phrases
from cogs.glossary.matcher import GlossaryIndex
from cogs.glossary.model import Entry
from cogs.glossary.phrase_counts import PendingMessages, PhraseRows, PhraseWindow
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
PHRASE_DAYS_KEPT = 60  # the longest window (30 days) and the earlier period (28) before it
FOOTNOTE_MAX = 3  # entries explained in one footnote


class GlossaryBase(Cog):
    name = "glossary"
    tables = (
        "glossary_entries",
        "glossary_names",
        "glossary_usage_days",
        "glossary_usage_people",
        "glossary_explained",
        "glossary_phrase_days",
        "glossary_phrases",
        "glossary_suggestions",
        "glossary_reports",
    )
    settings_class = GlossarySettings

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.store = GlossaryStore(bot.db)
        self.indexes: dict[str, GlossaryIndex] = {}
        self.usage = UsageBuffer()
        self.pending = PendingMessages()
        self.windows: dict[str, PhraseWindow] = {}
        self._hot: dict[str, set[str]] = {}  # stored hot phrases, until a window takes them
        self._explained: dict[tuple[str, str, int], datetime] = {}
        self._unsaved_explained: dict[tuple[str, str, int], datetime] = {}
        self._footnotes: list[tuple[MessagePosted, list[int]]] = []
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
        since = self.bot.clock.now().date() - timedelta(days=PHRASE_DAYS_KEPT)
        self._hot = await self.store.hot_phrases(since.isoformat())
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
    def on_message(self, event: MessagePosted) -> None:
        if event.author_is_bot:
            return
        community = event.community
        settings = self.settings.get(community)
        if settings.emerging:
            self.pending.add(event)
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
                # Marked before sending: a crash in between loses one footnote, never
                # repeats one.
                for entry_id in due:
                    key = (community, event.channel, entry_id)
                    self._explained[key] = self._unsaved_explained[key] = event.at
                self._footnotes.append((event, due))

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
        if not entries:
            return
        await self.bot.send(
            event.community,
            event.channel,
            render.footnote(self.t, entries),
            thread=event.thread or event.message,
        )

    async def mark_explained(
        self, community: str, channel: str, entries: list[Entry], at: datetime
    ) -> None:
        rows = [(community, channel, entry.id, at) for entry in entries]
        for entry in entries:
            self._explained[(community, channel, entry.id)] = at
        await self.store.mark_explained(rows)

    def window_of(self, community: str) -> PhraseWindow:
        window = self.windows.get(community)
        days = max(1, self.config(community).emerging_window.days)
        if window is None:
            window = self.windows[community] = PhraseWindow(community, days)
            window.hot = self._hot.pop(community, set())
        window.window_days = days
        return window

    def _counting(self, community: str) -> tuple[PhraseWindow, frozenset[str]] | None:
        """The window a community's phrases are counted in, and its common words (None:
        detection is off there)."""
        settings = self.config(community)
        if not settings.emerging:
            return None
        window = self.window_of(community)
        window.min_people, window.min_uses = settings.emerging_people, MIN_USES
        return window, stopwords(tuple(settings.languages))

    def _count_phrases(self, events: list[MessagePosted]) -> PhraseRows:
        """Count the phrases of the messages set aside (CPU only, off the message path)."""
        rows = PhraseRows()
        counting: dict[str, tuple[PhraseWindow, frozenset[str]] | None] = {}
        for event in events:
            community = event.community
            if community not in counting:
                counting[community] = self._counting(community)
            target = counting[community]
            if target is None:
                continue
            said = phrases(event.text, target[1])
            if said.spans:
                first = (event.at, event.channel, event.message, event.thread, event.author)
                day = self.day(community, event.at)
                target[0].count(day, hash(event.author), said, first, rows)
        for target in counting.values():
            if target is not None:
                target[0].settle(rows)
        return rows

    @job(every=timedelta(seconds=5))
    async def flush(self) -> None:
        """Count the phrases set aside, write every buffered aggregate in one transaction,
        then send the footnotes that were due."""
        events = self.pending.drain()
        if self.pending.dropped:
            log.warning("glossary: %d messages not counted for phrases", self.pending.dropped)
            self.pending.dropped = 0
        rows = self._count_phrases(events) if events else PhraseRows()
        usage = self.usage.drain()
        explained, self._unsaved_explained = self._unsaved_explained, {}
        footnotes, self._footnotes = self._footnotes, []
        if usage or rows or explained:
            async with self.bot.db.transaction():
                if usage:
                    await self.store.write_usage(usage)
                if rows:
                    await self.store.write_phrase_counts(rows)
                if explained:
                    await self.store.mark_explained([(*key, at) for key, at in explained.items()])
        for event, due in footnotes:
            await self._footnote(event, due)
        for community in {event.community for event in events} - self._weekly:
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
        """Their entries stay, without their name; their usage and the reports they filed
        go; reports they resolved stay, without their name. Phrase counts in memory lose
        them (and the phrases only they said); stored phrases lose them as first user."""
        self.usage.forget_user(community, user)
        self.pending.forget_user(community, user)
        window = self.windows.get(community)
        if window is not None:
            window.forget(hash(user), user)
        await self.store.delete_user(community, user)
        index = self.indexes.get(community)
        for entry in list(index.entries.values()) if index else []:
            if entry.author == user:
                index.put(replace(entry, author=None))  # type: ignore[union-attr]

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        await self.flush()
        return await self.store.export_user(community, user)
