"""What every part of the missions cog shares: settings, finding a mission by name, and the
one place where a contribution is applied and its consequences decided.

How "exactly once" works. A contribution, the new total, and every consequence of it are
written in one transaction: each milestone reached is *decided* by inserting
``(mission, key)`` into ``mission_notices`` (UNIQUE, ``ON CONFLICT DO NOTHING RETURNING``,
so of two concurrent contributions crossing 50 % only one gets the row back), and in the
same transaction a core timer ``notice`` keyed ``"<mission>:<key>"`` is scheduled, due now.
After the commit the cog asks the bot to run due timers, so the announcement follows at
once; if the bot stops in between, the timer row is still there and runs after the
restart. The timer handler sends only while the notice is unsent and then marks it sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rapidfuzz import fuzz, process

from bot.cog import Cog
from bot.commands import Text
from bot.errors import UserError
from bot.events import MissionContributed
from bot.interactions import CommandContext
from bot.messages import Message
from bot.text import normalize, sort_key
from bot.timeutil import format_duration
from cogs.missions import progress, render
from cogs.missions.model import ACTIVE, ARCHIVED, COUNTING, LIVE, UPCOMING, Mission
from cogs.missions.store import MissionStore

#: Length bounds of what people type, and the largest number a mission counts to.
NAME = 60
GOAL = 300
UNIT = 24
REASON = 300
MOST = 1_000_000
NAME_HELP = "The mission's name"


def name_option(required: bool = True, *, positional: bool = True) -> Text:
    """The ``name`` option most commands share, with autocomplete on mission names."""
    return Text(
        name="name",
        description=NAME_HELP,
        max_length=NAME,
        required=required,
        autocomplete="complete_mission",
        positional=positional,
    )


@dataclass
class MissionSettings:
    #: Percentages of the target announced as milestones (100 is always one).
    milestones: list[int] = field(default_factory=lambda: [25, 50, 75, 100])
    #: Remind when this share of the time is left and the mission is behind pace.
    reminders: list[int] = field(default_factory=lambda: [25])
    #: The most one manual contribution may add.
    max_contribution: int = 100
    #: How long people may take back their own contribution.
    undo_window: timedelta = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Applied:
    """A contribution that counted: what it added and where the mission stands now."""

    mission: Mission
    contribution: int
    user: str
    amount: int
    total: int
    finished: bool


def key_of(name: str) -> str:
    """The form names are compared in: case, accents and spacing do not make a new name."""
    return " ".join(normalize(name).split())


class MissionsBase(Cog):
    name = "missions"
    settings_class = MissionSettings

    def __init__(self, bot: Any) -> None:
        super().__init__(bot)
        self.store = MissionStore(bot.db)
        #: (community, counting) → [(mission id, channels it counts in)]: the listeners' index.
        self._watch: dict[tuple[str, str], list[tuple[int, frozenset[str]]]] = {}

    # --- finding missions -------------------------------------------------------------------

    async def reload_index(self, community: str | None = None) -> None:
        """Rebuild the in-memory index of active automatic missions: of ``community`` after a
        change to one of its missions (so the cost does not grow with other communities'
        missions), or of every community at start-up. The swap happens without an await
        in between, so a listener never sees a community half-indexed."""
        watch: dict[tuple[str, str], list[tuple[int, frozenset[str]]]] = {}
        for m in await self.store.active_automatic(community):
            watch.setdefault((m.community, m.counting), []).append(
                (m.id, frozenset(m.count_channels))
            )
        if community is None:
            self._watch = watch
            return
        for counting in COUNTING:
            self._watch.pop((community, counting), None)
        self._watch.update(watch)

    async def named(self, community: str, name: str) -> Mission:
        """The mission called ``name``: the live one, else the one that finished last."""
        found = await self.store.latest_by_key(community, key_of(name))
        if found is None:
            raise UserError(await self.unknown_text(community, name))
        return found

    async def live_named(self, community: str, name: str) -> Mission:
        """The live mission called ``name``, for changing it; a finished one is refused."""
        found = await self.named(community, name)
        if not found.live:
            outcome = render.outcome_line(self.t, found)
            raise UserError(self.t("missions.over_already", name=found.name, outcome=outcome))
        return found

    async def unknown_text(self, community: str, name: str) -> str:
        names = [n for n, _ in await self.store.names(community)]
        keys = {key_of(n): n for n in reversed(names)}
        best = process.extractOne(
            key_of(name), list(keys), scorer=fuzz.WRatio, processor=None, score_cutoff=75
        )
        if best is not None:
            return self.t("missions.unknown_suggest", name=name, suggestion=keys[best[0]])
        live = [n for n, state in await self.store.names(community) if state in LIVE]
        if not live:
            return self.t("missions.unknown_none", name=name)
        shown = ", ".join(f"“{n}”" for n in sorted(live, key=sort_key))
        return self.t("missions.unknown", name=name, names=shown)

    async def pick(
        self,
        ctx: CommandContext,
        name: str | None,
        *,
        states: tuple[str, ...] = (ACTIVE,),
        manual: bool = False,
    ) -> Mission:
        """The mission a person means: the one named, or the only one they could mean
        (the only candidate, or the only candidate they joined)."""
        if name:
            found = await self.named(ctx.community, name)
            if found.state not in states:
                raise UserError(self.closed_text(found, ctx.now) or "")
            return found
        candidates = await self.store.in_state(ctx.community, *states)
        if manual:
            candidates = [m for m in candidates if m.manual]
        if len(candidates) > 1:
            joined = await self.store.joined_missions(ctx.community, ctx.user.id)
            mine = [m for m in candidates if m.id in joined]
            if len(mine) == 1:
                return mine[0]
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise UserError(self.t("missions.none_manual" if manual else "missions.none_active"))
        shown = ", ".join(f"“{m.name}”" for m in sorted(candidates, key=lambda m: sort_key(m.name)))
        raise UserError(self.t("missions.which", names=shown))

    def closed_text(self, m: Mission | None, now: datetime) -> str | None:
        """Why nobody can contribute to ``m`` now; None when it is open."""
        if m is None:
            return self.t("missions.gone")
        if m.state == UPCOMING:
            left = format_duration(m.starts_at - now)
            return self.t("missions.not_started", name=m.name, left=left)
        if m.state == ARCHIVED:
            return self.t(f"missions.closed.{m.outcome}", name=m.name)
        if now >= m.deadline:
            return self.t("missions.closed.over", name=m.name)
        return None

    # --- applying a contribution --------------------------------------------------------------

    async def apply(
        self,
        mission_id: int,
        user: str,
        amount: int,
        source: str,
        note: str | None,
        at: datetime,
        *,
        strict: bool,
    ) -> Applied | None:
        """Count a contribution; call inside ``db.transaction()``.

        ``strict`` (someone typed it): a closed mission or the daily cap is a UserError.
        Otherwise (counted from activity) the amount is cut to the cap, or nothing happens.
        """
        m = await self.store.get(mission_id)
        problem = self.closed_text(m, at)
        if problem is not None or m is None:
            if strict:
                raise UserError(problem or "")
            return None
        if m.daily_cap is not None:
            day = progress.local_day_start(at, self.bot.timezone(m.community))
            room = progress.room_today(m.daily_cap, await self.store.used_since(m.id, user, day))
            if strict and room == 0:
                raise UserError(
                    self.t("missions.contribute.over_daily_cap_full", cap=m.daily_cap, name=m.name)
                )
            if strict and room is not None and amount > room:
                raise UserError(
                    self.t(
                        "missions.contribute.over_daily_cap",
                        cap=m.daily_cap,
                        unit=m.unit,
                        name=m.name,
                        room=room,
                    )
                )
            amount = progress.clamp(amount, room)
            if amount <= 0:
                return None
        contribution = await self.store.add_contribution(m, user, amount, source, note, at)
        total = await self.store.add_to_total(m.id, amount)
        finished = await self.decide(m, total, user)
        return Applied(m, contribution, user, amount, total, finished)

    async def decide(self, m: Mission, total: int, user: str | None) -> bool:
        """Decide what ``total`` means for ``m`` (inside the transaction that changed it):
        milestones to announce, who earned the recognition, whether the mission is done.
        Returns True when the mission finished."""
        now = self.bot.clock.now()
        percents = self.settings.get(m.community).milestones
        new = [
            key
            for key in progress.reached(total, m.target, m.stretch, percents)
            if await self.store.decide(m.id, key, now)
        ]
        if progress.COMPLETION in new:
            await self.store.mark_reached(m.id, now)
            everyone = [c.user for c in await self.store.contributors(m.id)]
            await self.store.add_earners(m, everyone, now)
        elif total >= m.target and user is not None:
            await self.store.add_earners(m, [user], now)
        for key in progress.to_announce(new):
            await self.schedule_notice(m, key, now)
        for key in set(new) - set(progress.to_announce(new)):
            await self.store.mark_sent(m.id, key, now)  # overtaken by a higher one at once
        if total < m.final_goal:
            return False
        if not await self.store.archive(m.id, progress.outcome(total, m.target, m.stretch), now):
            return False
        await self.bot.timers.cancel(m.community, self.name, "deadline", str(m.id))
        return True

    async def schedule_notice(self, m: Mission, key: str, now: datetime) -> None:
        await self.bot.timers.schedule(
            m.community,
            self.name,
            "notice",
            now,
            now=now,
            key=f"{m.id}:{key}",
            payload={"mission": m.id, "notice": key},
        )

    async def after(self, applied: list[Applied], *, deliver: bool = True) -> None:
        """After the commit: announce what was decided, tell other cogs, refresh the index."""
        if deliver:
            await self.bot.run_due_timers()
        for a in applied:
            await self.bot.emit(
                MissionContributed(
                    community=a.mission.community,
                    at=self.bot.clock.now(),
                    mission=str(a.mission.id),
                    user=a.user,
                    amount=a.amount,
                )
            )
        for community in sorted({a.mission.community for a in applied if a.finished}):
            await self.reload_index(community)

    # --- opening a mission ------------------------------------------------------------------

    async def open(self, m: Mission, now: datetime) -> None:
        """A mission starts: decide its post, schedule its reminders (inside a transaction)."""
        if await self.store.decide(m.id, "post", now):
            await self.schedule_notice(m, "post", now)
        await self.schedule_reminders(m, now)

    async def schedule_reminders(self, m: Mission, now: datetime) -> None:
        decided = await self.store.decided(m.id)
        for share in self.settings.get(m.community).reminders:
            if progress.reminder_key(share) in decided:
                continue
            due = progress.reminder_time(m.starts_at, m.deadline, share)
            if due > now:
                await self.bot.timers.schedule(
                    m.community,
                    self.name,
                    "reminder",
                    due,
                    now=now,
                    key=f"{m.id}:{share}",
                    payload={"mission": m.id, "share": share},
                    replace=True,
                )

    async def schedule_deadline(self, m: Mission, now: datetime) -> None:
        await self.bot.timers.schedule(
            m.community,
            self.name,
            "deadline",
            m.deadline,
            now=now,
            key=str(m.id),
            payload={"mission": m.id},
            replace=True,
        )

    async def card(
        self, m: Mission, now: datetime, *, user: str | None = None, with_button: bool = False
    ) -> Message:
        return render.card(
            self.t,
            m,
            now=now,
            zone=self.bot.timezone(m.community),
            top=await self.store.contributors(m.id, limit=3),
            contributors=await self.store.contributor_count(m.id),
            yours=None if user is None else await self.store.person_total(m.id, user),
            with_button=with_button,
        )
