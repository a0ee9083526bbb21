"""Gathering the week's figures: from the core's registry, the digest's own activity days,
and the other cogs' public read methods.

Each other cog is optional. A section whose cog is not loaded (``bot.cogs.get(name)`` is
None) or does not offer the method is left out; a read that fails is logged and its
section left out too, so one cog's trouble never stops the digest.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.messages import MessageRef
from cogs.digest import schedule
from cogs.digest.nudges import Hook, MissionView, Reported, most_behind, pick_hook
from cogs.digest.store import DigestStore, NewMembers

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

THANKED = 3
EMERGING = 3
CHART_WEEKS = 8
WAITING_LOOKED_AT = 50
NEW_TERMS_FOR_NUDGES = timedelta(days=30)
_MISSING = object()


@dataclass(frozen=True, slots=True)
class QuestionFigures:
    asked: int
    answered: int
    median: timedelta | None


@dataclass(frozen=True, slots=True)
class GlossaryFigures:
    new: tuple[str, ...]
    emerging: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ThankedPerson:
    user: str
    count: int
    reason: str


@dataclass(frozen=True, slots=True)
class Waiting:
    """A question waiting for an answer."""

    ref: str
    excerpt: str
    channel: str
    asker: str
    asked_at: datetime
    link: str | None


@dataclass(frozen=True, slots=True)
class CallToAction:
    kind: str  # question | mission
    question: Waiting | None = None
    mission: MissionView | None = None


@dataclass(frozen=True, slots=True)
class ChartData:
    labels: tuple[str, ...]
    active: tuple[int, ...]
    answered: tuple[int, ...] | None  # None: the questions cog is not loaded


@dataclass(frozen=True, slots=True)
class Figures:
    """One week of a community, section by section (None: that cog is not loaded)."""

    community_name: str
    since: datetime
    until: datetime
    now: datetime
    new_members: NewMembers
    active: int
    questions: QuestionFigures | None
    missions: tuple[MissionView, ...] | None
    glossary: GlossaryFigures | None
    thanked: tuple[ThankedPerson, ...] | None
    action: CallToAction | None
    chart: ChartData = field(repr=False, default=ChartData((), (), None))


class Collector:
    def __init__(self, bot: Bot, store: DigestStore) -> None:
        self.bot = bot
        self.store = store

    async def read(self, cog: str, method: str, *args: Any) -> Any:
        """``bot.cogs[cog].method(*args)``, or ``_MISSING`` when the cog is not loaded, lacks
        the method, or the read fails (logged)."""
        function = getattr(self.bot.cogs.get(cog), method, None)
        if not callable(function):
            return _MISSING
        try:
            return await function(*args)
        except Exception:
            log.exception("digest: %s.%s failed; leaving its section out", cog, method)
            return _MISSING

    # --- the weekly figures ---------------------------------------------------------------

    async def week(
        self, community: str, since: datetime, until: datetime, now: datetime
    ) -> Figures:
        await self.bot.members.flush()
        zone = self.bot.timezone(community)
        questions = await self.questions(community, since, until)
        missions = await self.missions(community)
        waiting = await self.waiting(community, 1)
        return Figures(
            community_name=await self.store.community_name(community),
            since=since,
            until=until,
            now=now,
            new_members=await self.store.new_members(community, since, until),
            active=await self.store.active_between(
                community, schedule.local_day(since, zone), schedule.local_day(until, zone)
            ),
            questions=questions,
            missions=missions,
            glossary=await self.glossary(community, since, until, now),
            thanked=await self.thanked(community, since, until),
            action=call_to_action(waiting, missions, now),
            chart=await self.chart(community, until),
        )

    async def questions(
        self, community: str, since: datetime, until: datetime
    ) -> QuestionFigures | None:
        summary = await self.read("questions", "summary_between", community, since, until)
        if summary is _MISSING:
            return None
        return QuestionFigures(summary.asked, summary.answered, summary.median)

    async def missions(self, community: str) -> tuple[MissionView, ...] | None:
        found = await self.read("missions", "live_missions", community)
        if found is _MISSING:
            return None
        return tuple(mission_view(m) for m in found)

    async def glossary(
        self, community: str, since: datetime, until: datetime, now: datetime
    ) -> GlossaryFigures | None:
        new = await self.read("glossary", "new_entries", community, since, until)
        if new is _MISSING:
            return None
        emerging = await self.read("glossary", "emerging_phrases", community, now, EMERGING)
        return GlossaryFigures(tuple(new), () if emerging is _MISSING else tuple(emerging))

    async def thanked(
        self, community: str, since: datetime, until: datetime
    ) -> tuple[ThankedPerson, ...] | None:
        found = await self.read("recognition", "top_thanked", community, since, until, THANKED)
        if found is _MISSING:
            return None
        return tuple(ThankedPerson(t.user, t.count, t.reason) for t in found)

    async def waiting(self, community: str, limit: int) -> list[Waiting]:
        found = await self.read("questions", "waiting_questions", community, limit)
        if found is _MISSING:
            return []
        return [self.waiting_view(community, q) for q in found[0]]

    def waiting_view(self, community: str, q: Any) -> Waiting:
        link = self.bot.message_link(MessageRef(community, q.channel, q.message, q.thread))
        return Waiting(str(q.id), q.excerpt, q.channel, q.asker, q.asked_at, link)

    async def chart(self, community: str, until: datetime) -> ChartData:
        zone = self.bot.timezone(community)
        weeks = schedule.weeks_back(until, zone, CHART_WEEKS)
        active, answered = [], []
        for start, end in weeks:
            active.append(
                await self.store.active_between(
                    community, schedule.local_day(start, zone), schedule.local_day(end, zone)
                )
            )
            figures = await self.questions(community, start, end)
            if figures is not None:
                answered.append(figures.answered)
        labels = tuple(f"{start.astimezone(zone):%m-%d}" for start, _ in weeks)
        has_questions = len(answered) == len(weeks)
        return ChartData(labels, tuple(active), tuple(answered) if has_questions else None)

    # --- for nudges ---------------------------------------------------------------------------

    async def hook_for(self, community: str, user: str, now: datetime) -> Hook | None:
        """Something concrete for a quiet member: a mission they joined, someone else's
        question in a channel they used to post in, a new glossary term."""
        joined = await self.read("missions", "joined_live_missions", community, user)
        missions = [] if joined is _MISSING else [m.name for m in joined]
        questions: list[tuple[str, str | None]] = []
        if not missions:
            channels = set(await self.store.usual_channels(community, user))
            questions = [
                (w.excerpt, w.link)
                for w in await self.waiting(community, WAITING_LOOKED_AT)
                if w.channel in channels and w.asker != user
            ]
        terms: Sequence[str] = ()
        if not missions and not questions:
            found = await self.read(
                "glossary", "new_entries", community, now - NEW_TERMS_FOR_NUDGES, now
            )
            terms = () if found is _MISSING else found
        return pick_hook(missions, questions, terms)

    async def overdue(self, community: str, now: datetime) -> list[Waiting]:
        """Questions waiting longer than the questions cog's escalation time."""
        found = await self.read("questions", "overdue_questions", community, now, 10)
        return [] if found is _MISSING else [self.waiting_view(community, q) for q in found]

    async def reports(self, community: str) -> list[Reported]:
        """Open reports of glossary entries as wrong; none when the glossary is not loaded."""
        found = await self.read("glossary", "open_reports", community)
        if found is _MISSING:
            return []
        return [
            Reported(str(r.id), str(r.entry_id), r.name, r.reason, r.reported_at) for r in found
        ]

    async def welcome_covers(self, community: str, user: str) -> bool:
        """Is the newcomer reminder the welcome cog's job (on, or already sent)?"""
        if await self.read("welcome", "reminder_enabled", community) is True:
            return True
        return await self.read("welcome", "reminder_sent", community, user) is True


def mission_view(m: Any) -> MissionView:
    return MissionView(m.name, m.total, m.target, m.unit, m.starts_at, m.deadline, str(m.id))


def call_to_action(
    waiting: Sequence[Waiting], missions: Sequence[MissionView] | None, now: datetime
) -> CallToAction | None:
    """The oldest unanswered question; else the mission most behind pace; else nothing."""
    if waiting:
        return CallToAction("question", question=waiting[0])
    behind = most_behind(missions or (), now)
    return None if behind is None else CallToAction("mission", mission=behind)
