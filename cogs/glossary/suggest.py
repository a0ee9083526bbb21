"""Emerging phrases for moderators: the weekly suggestion, /glossary emerging, the buttons.

The weekly suggestion is a timer row per community (restart-safe); a re-run after a
crash sees the suggestions it already recorded and does not post twice. "Add as
joke/term" creates an entry with a placeholder definition (the neutral core has no
forms to open), and the reply tells the moderator how to write the real one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.cog import button, command, job, timer
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message, MessageRef
from bot.timers import Timer
from cogs.glossary import render
from cogs.glossary.base import PHRASE_DAYS_KEPT, WEEK, GlossaryBase
from cogs.glossary.emerging import MIN_USES, detect
from cogs.glossary.model import JOKE, TERM, Entry
from cogs.glossary.rules import check_names
from cogs.glossary.store_phrases import FirstUse

EARLIER_DAYS = 28  # the earlier period a phrase's rate is compared with
SURGE = 3.0  # how many times its earlier daily rate
SHOWN = 5
RESUGGEST_AFTER = timedelta(days=28)
USAGE_KEPT = timedelta(days=366)  # daily and per-person usage: a year
EXPLAINED_KEPT = timedelta(days=90)  # the longest footnote interval

Suggestion = tuple[str, int, int, FirstUse | None]


class Suggestions(GlossaryBase):
    def _days(self, community: str, now: datetime) -> tuple[str, str, int]:
        """(first day of the window, first day of the earlier period, window length in days)."""
        window = max(1, self.config(community).emerging_window.days)
        today = date.fromisoformat(self.day(community, now))
        first = today - timedelta(days=window - 1)
        return first.isoformat(), (first - timedelta(days=EARLIER_DAYS)).isoformat(), window

    async def emerging_now(self, community: str, now: datetime, *, fresh: bool) -> list[Suggestion]:
        """The best emerging phrases; ``fresh`` leaves out those suggested recently."""
        settings = self.config(community)
        first, earlier, window = self._days(community, now)
        decided = await self.store.decided(community, now - RESUGGEST_AFTER if fresh else None)
        index = self.indexes.get(community)
        recent = [
            row
            for row in await self.store.recent_phrases(community, first, settings.emerging_people)
            if row[1] >= MIN_USES
        ]
        taken = {row[0] for row in recent if row[0] in decided or (index and index.covers(row[0]))}
        before = await self.store.earlier_uses(community, [r[0] for r in recent], earlier, first)
        trends = detect(
            recent,
            before,
            min_people=settings.emerging_people,
            min_uses=MIN_USES,
            window_days=window,
            earlier_days=EARLIER_DAYS,
            surge=SURGE,
            exclude=taken,
        )
        return [
            (t.phrase, t.uses, t.people, await self.first_use(community, t.phrase))
            for t in trends[:SHOWN]
        ]

    async def form_of(self, community: str, phrase: str) -> str:
        """The phrase as first written: from the counts in memory, from when it was
        suggested, or (after a restart, never suggested) its normalized words."""
        window = self.windows.get(community)
        form = window.form(phrase) if window is not None else None
        return form or await self.store.suggested_form(community, phrase) or phrase

    async def first_use(self, community: str, phrase: str) -> FirstUse | None:
        return await self.store.first_use(community, phrase, await self.form_of(community, phrase))

    async def emerging_phrases(self, community: str, now: datetime, n: int) -> list[str]:
        """The phrases catching on, best first (the weekly digest); none when detection is off."""
        if not self.config(community).emerging or n <= 0:
            return []
        await self.flush()
        return [item[0] for item in (await self.emerging_now(community, now, fresh=False))[:n]]

    def _render(self, community: str, items: list[Suggestion], weekly: bool) -> Message:
        def link(first: FirstUse) -> str | None:
            return self.bot.message_link(
                MessageRef(community, first.channel or "", first.message or "", first.thread)
            )

        return render.suggestions_message(self.t, items, link, self.day_of(community), weekly)

    @command(
        "glossary emerging",
        "Phrases catching on that are not in the glossary yet",
        moderator=True,
        private=True,
    )
    async def emerging(self, ctx: CommandContext) -> Message:
        if not self.config(ctx.community).emerging:
            raise UserError(self.t("glossary.emerging.off"))
        await self.flush()
        items = await self.emerging_now(ctx.community, ctx.now, fresh=False)
        if not items:
            return Message(self.t("glossary.emerging.none"))
        await self.store.suggest(ctx.community, _forms(items), ctx.now)
        return self._render(ctx.community, items, weekly=False)

    @timer("emerging")
    async def weekly(self, due: Timer) -> None:
        community, now = due.community, self.bot.clock.now()
        if not self.config(community).emerging:
            return
        following = due.due_at + WEEK if due.due_at + WEEK > now else now + WEEK
        await self.bot.timers.schedule(
            community, self.name, "emerging", following, now=now, key="weekly"
        )
        settings = self.config(community)
        channel = settings.emerging_channel or self.bot.core_settings(community).log_channel
        if not channel or await self.store.suggested_since(community, due.due_at):
            return
        await self.flush()
        items = await self.emerging_now(community, now, fresh=True)
        if not items:
            return
        await self.store.suggest(community, _forms(items), now)
        await self.bot.send(community, channel, self._render(community, items, weekly=True))

    @job(daily_at=time(4, 0))
    async def prune(self, community: str) -> None:
        """Retention, in batches: phrase counts after :data:`PHRASE_DAYS_KEPT` days (the
        longest window and the earlier period before it), usage after a year, footnote
        marks older than the longest footnote interval."""
        now = self.bot.clock.now()
        today = date.fromisoformat(self.day(community, now))
        await self.store.prune_phrases(
            community, (today - timedelta(days=PHRASE_DAYS_KEPT)).isoformat()
        )
        await self.store.prune_usage(community, (today - USAGE_KEPT).isoformat(), now - USAGE_KEPT)
        await self.store.prune_explained(community, now - EXPLAINED_KEPT)
        for key in [k for k, at in self._explained.items() if k[0] == community]:
            if now - self._explained[key] >= EXPLAINED_KEPT:
                del self._explained[key]

    @button("add_joke")
    async def add_joke(self, ctx: CommandContext, value: str) -> Message:
        return await self._adopt(ctx, value, JOKE)

    @button("add_term")
    async def add_term(self, ctx: CommandContext, value: str) -> Message:
        return await self._adopt(ctx, value, TERM)

    @button("ignore")
    async def ignore(self, ctx: CommandContext, value: str) -> Message:
        self._moderators_only(ctx)
        await self.store.decide(ctx.community, value, "ignored", ctx.user.id, ctx.now)
        return Message(self.t("glossary.emerging.ignored", phrase=value))

    def _moderators_only(self, ctx: CommandContext) -> None:
        if not ctx.is_moderator:
            raise UserError(self.t("glossary.emerging.moderators_only"))

    async def _adopt(self, ctx: CommandContext, phrase: str, kind: str) -> Message:
        self._moderators_only(ctx)
        first = await self.first_use(ctx.community, phrase)
        with self.problems():
            name, _ = check_names(
                first.form if first else await self.form_of(ctx.community, phrase),
                (),
                self.stop(ctx.community),
                self.index_of(ctx.community),
            )
        entry = await self.save_new(
            Entry(
                id=0,
                community=ctx.community,
                name=name,
                kind=kind,
                definition=self.t("glossary.emerging.placeholder"),
                origin=None,
                first_said=self._reference(ctx.community, first),
                author=ctx.user.id,
                created_at=ctx.now,
                updated_at=ctx.now,
            )
        )
        await self.store.decide(ctx.community, phrase, "added", ctx.user.id, ctx.now)
        return Message(self.t(f"glossary.emerging.added_{kind}", name=entry.name))

    def _reference(self, community: str, first: FirstUse | None) -> str | None:
        if first is None or first.channel is None or first.message is None:
            return None
        ref = MessageRef(community, first.channel, first.message, first.thread)
        return self.bot.message_link(ref) or first.message


def _forms(items: list[Suggestion]) -> list[tuple[str, str]]:
    return [(phrase, first.form if first else phrase) for phrase, _, _, first in items]
