"""What the digest cog does on its own: the hot path, the schedule, and sending.

Exactly once. Every digest is a ``digest_runs`` row and every private nudge a
``digest_nudges`` row, each with a due time and a state, read by an indexed sweep
(:meth:`DigestBase.tick`, once a minute; it does no I/O while nothing is due). A row is
marked sent *before* its message goes out, so a restart can lose one message at worst,
never send one twice. A digest found due after downtime goes out if it is less than a
day late and is skipped otherwise; either way the next one is planned after "now", so
re-enabling never releases a backlog. Moderator notes record each item they mention
(``digest_flags``) before they are posted; a glossary entry reported as wrong is mentioned
once while its reports stay open.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from bot.cog import Cog, job, listen
from bot.events import MemberJoined, MessagePosted
from bot.messages import Message
from cogs.digest import render, schedule
from cogs.digest.collect import Collector
from cogs.digest.nudges import (
    NEWCOMER,
    REENGAGE,
    MemberFacts,
    NewcomerFacts,
    needs_moderators,
    newly_reported,
    silence_window,
    wants_newcomer_nudge,
    wants_reengagement,
)
from cogs.digest.settings import DigestSettings
from cogs.digest.store import DigestStore, Nudge, Run

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

#: Activity days older than this are pruned (the chart shows 8 weeks; quiet members are
#: looked at up to ``silent_after + nudge_every`` after their last post).
KEEP_ACTIVITY = timedelta(days=120)
HOUR = timedelta(hours=1)

Active = tuple[str, str, str, str]  # (community, local day, user, channel)


class DigestBase(Cog):
    name = "digest"
    tables = ("digest_runs", "digest_nudges", "digest_optouts", "digest_flags", "digest_activity")
    settings_class = DigestSettings

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.store = DigestStore(bot.db)
        self.collect = Collector(bot, self.store)
        self._active: set[Active] = set()
        self._next_due: datetime | None = None
        self._next_known = False
        self._sending = asyncio.Lock()

    def config(self, community: str) -> DigestSettings:
        return self.settings.get(community)

    async def community_name(self, community: str) -> str:
        return await self.store.community_name(community) or self.t("digest.nudge.community")

    # --- lifecycle --------------------------------------------------------------------------

    async def start(self) -> None:
        for community in self.bot.communities():
            await self.plan(community)

    async def close(self) -> None:
        await self.flush()

    # --- the hot path: every message passes here ---------------------------------------------

    @listen(MessagePosted)
    def note_activity(self, event: MessagePosted) -> None:
        """Sync and I/O-free: remember who posted on which local day, and where."""
        if event.author_is_bot:
            return
        day = schedule.local_day(event.at, self.bot.timezone(event.community))
        self._active.add((event.community, day, event.author, event.channel))

    @job(every=timedelta(minutes=1))
    async def flush(self) -> None:
        """Write the buffered activity days in one transaction."""
        if not self._active:
            return
        rows, self._active = self._active, set()
        try:
            await self.store.add_activity(sorted(rows))
        except Exception:
            self._active |= rows  # kept for the next flush
            raise

    # --- the digest's schedule ------------------------------------------------------------------

    def carries_thanks(self, community: str) -> bool:
        """For the recognition cog: the weekly digest (with its "most thanked") is on here,
        so a separate weekly spotlight would say the same thing twice."""
        return bool(self.config(community).channel)

    async def plan(self, community: str) -> None:
        """Keep exactly one pending digest while a channel is set: the next local occurrence
        of the configured day and time. A pending digest already due is left to the sweep
        (it decides between sending and skipping); with no channel, nothing is pending."""
        settings = self.config(community)
        now = self.bot.clock.now()
        if not settings.channel:
            if await self.store.cancel_runs(community, now):
                self._forget_next_due()
            return
        pending = await self.store.pending_run(community)
        if pending is not None and pending.due_at <= now:
            return
        after = now
        last = await self.store.last_run_due(community)
        if last is not None:
            after = max(after, last + schedule.MIN_GAP)
        zone = self.bot.timezone(community)
        due = schedule.next_weekly(after, zone, settings.weekday, settings.at)
        if pending is None or pending.due_at != due:
            await self.store.plan_run(community, due, now)
            self._forget_next_due()

    def _forget_next_due(self) -> None:
        self._next_known = False

    def _note_due(self, due: datetime) -> None:
        if self._next_known and (self._next_due is None or due < self._next_due):
            self._next_due = due

    @job(every=timedelta(minutes=1))
    async def tick(self) -> None:
        """Send what is due. Costs no I/O while nothing is (the next due time is cached)."""
        now = self.bot.clock.now()
        if not self._next_known:
            self._next_due = await self.store.next_due()
            self._next_known = True
        if self._next_due is None or self._next_due > now:
            return
        async with self._sending:
            self._forget_next_due()
            await self.flush()
            for run in await self.store.due_runs(now):
                try:
                    await self.run_digest(run, now)
                except Exception:
                    log.exception("digest %d failed (community %s)", run.id, run.community)
                    await self.store.finish_run(run.id, None)
                await self.plan(run.community)
            by_community: dict[str, list[Nudge]] = defaultdict(list)
            for nudge in await self.store.due_nudges(now):
                by_community[nudge.community].append(nudge)
            for community, nudges in by_community.items():
                try:
                    await self.send_nudges(community, nudges, now)
                except Exception:
                    log.exception("nudges failed in community %s", community)

    async def build_digest(self, community: str, moment: datetime, now: datetime) -> Message:
        """The digest of the seven full local days before ``moment``."""
        zone = self.bot.timezone(community)
        since, until = schedule.week_window(moment, zone)
        figures = await self.collect.week(community, since, until, now)
        files = self.bot.platform_of(community).supports_files
        return render.digest(self.t, figures, zone, with_chart=files)

    async def run_digest(self, run: Run, now: datetime) -> None:
        channel = self.config(run.community).channel
        if not channel:
            return  # turned off meanwhile: plan() cancels the row
        if schedule.is_too_late(run.due_at, now):
            if await self.store.skip_run(run.id, now):
                log.warning(
                    "skipped the digest due %s in %s: more than a day late",
                    run.due_at,
                    run.community,
                )
            return
        message = await self.build_digest(run.community, run.due_at, now)
        if not await self.store.claim_run(run.id, now, channel):
            return
        ref = await self.bot.send(run.community, channel, message)
        await self.store.finish_run(run.id, None if ref is None else ref.id)

    # --- nudges to members -------------------------------------------------------------------------

    @listen(MemberJoined)
    async def on_join(self, event: MemberJoined) -> None:
        """Plan the newcomer nudge (whether it is still wanted is decided when it is due)."""
        settings = self.config(event.community)
        if event.is_bot or not settings.nudges:
            return
        record = await self.bot.members.get(event.community, event.user)
        if record is None or record.first_joined_at != record.last_joined_at:
            return  # a returning member is no newcomer
        due = event.at + settings.newcomer_after
        if await self.store.add_nudge(event.community, event.user, NEWCOMER, due, event.at):
            self._note_due(due)

    @job(daily_at=time(10, 0))
    async def daily(self, community: str) -> None:
        """At 10:00 local: plan nudges to members who went quiet; prune old activity days."""
        now = self.bot.clock.now()
        zone = self.bot.timezone(community)
        await self.store.prune_activity(community, schedule.local_day(now - KEEP_ACTIVITY, zone))
        settings = self.config(community)
        if settings.nudges:
            await self.plan_reengagement(community, settings, now)

    async def plan_reengagement(
        self, community: str, settings: DigestSettings, now: datetime
    ) -> int:
        await self.bot.members.flush()
        low, high = silence_window(now, settings.silent_after, settings.nudge_every)
        planned = 0
        for facts in await self.store.reengage_facts(community, low, high):
            wanted = wants_reengagement(
                facts, now, silent_after=settings.silent_after, nudge_every=settings.nudge_every
            )
            if wanted and await self.store.add_nudge(community, facts.user, REENGAGE, now, now):
                planned += 1
        if planned:
            self._note_due(now)
        return planned

    async def send_nudges(self, community: str, nudges: list[Nudge], now: datetime) -> None:
        """Due nudges of one community: quiet hours and the hourly cap move them later,
        people who left, opted out or no longer qualify are skipped."""
        settings = self.config(community)
        if not settings.nudges:
            for nudge in nudges:
                await self.store.skip_nudge(nudge.id)
            return
        zone = self.bot.timezone(community)
        quiet_end = schedule.quiet_until(now, zone, settings.quiet_start, settings.quiet_end)
        if quiet_end is not None:
            await self.store.postpone_nudges([n.id for n in nudges], quiet_end)
            return
        hour = schedule.hour_start(now)
        room = settings.dm_cap - await self.store.sent_since(community, hour)
        for index, nudge in enumerate(nudges):
            message = await self.nudge_message(nudge, settings, now)
            if message is None:
                await self.store.skip_nudge(nudge.id)
                continue
            if room <= 0:
                await self.store.postpone_nudges([n.id for n in nudges[index:]], hour + HOUR)
                return
            if not await self.store.claim_nudge(nudge.id, now):
                continue
            room -= 1
            if await self.bot.send_dm(community, nudge.user, message) is None:
                await self.store.fail_nudge(nudge.id)

    async def nudge_message(
        self, nudge: Nudge, settings: DigestSettings, now: datetime
    ) -> Message | None:
        """The nudge for ``nudge.user``, or None when it is no longer wanted."""
        community, user = nudge.community, nudge.user
        record = await self.bot.members.get(community, user)
        if record is None:
            return None
        opted_out = await self.store.opted_out(community, user)
        name = await self.community_name(community)
        if nudge.kind == NEWCOMER:
            facts = NewcomerFacts(
                is_bot=record.is_bot,
                is_member=record.is_member,
                first_time=record.first_joined_at == record.last_joined_at,
                joined_at=record.last_joined_at,
                last_message_at=record.last_message_at,
                opted_out=opted_out,
                welcome_covers=await self.collect.welcome_covers(community, user),
            )
            if not wants_newcomer_nudge(facts):
                return None
            channel = settings.introductions_channel or None
            return render.newcomer_nudge(self.t, user, name, channel)
        facts = MemberFacts(
            user=user,
            is_bot=record.is_bot,
            is_member=record.is_member,
            message_count=record.message_count,
            last_message_at=record.last_message_at,
            last_nudged_at=None,  # checked when it was planned
            opted_out=opted_out,
            waiting=False,
        )
        if not wants_reengagement(
            facts, now, silent_after=settings.silent_after, nudge_every=settings.nudge_every
        ):
            return None
        hook = await self.collect.hook_for(community, user, now)
        return render.reengage_nudge(self.t, user, name, hook)

    # --- nudges to moderators --------------------------------------------------------------------

    @job(every=HOUR)
    async def hourly(self) -> None:
        """Keep each digest planned (a timezone may have changed) and tell moderators, in one
        message per community, about what needs them."""
        now = self.bot.clock.now()
        for community in self.bot.communities():
            try:
                await self.plan(community)
                await self.moderator_nudges(community, now)
            except Exception:
                log.exception("digest: hourly run failed in community %s", community)

    def moderator_channel(self, community: str) -> str:
        return (
            self.config(community).moderator_channel
            or self.bot.core_settings(community).log_channel
        )

    async def moderator_nudges(self, community: str, now: datetime) -> bool:
        """One message for everything new that needs moderators; True when one was sent."""
        channel = self.moderator_channel(community)
        settings = self.config(community)
        zone = self.bot.timezone(community)
        if not channel or schedule.quiet_until(now, zone, settings.quiet_start, settings.quiet_end):
            return False
        overdue = await self.collect.overdue(community, now)
        missions = [
            m for m in await self.collect.missions(community) or () if needs_moderators(m, now)
        ]
        reports = await self.collect.reports(community)
        if not overdue and not missions and not reports:
            return False
        async with self.bot.db.transaction():
            new_questions = await self.store.flag(
                community, "question", [q.ref for q in overdue], now
            )
            new_missions = await self.store.flag(
                community, "mission", [m.key for m in missions], now
            )
            new_reports = await self.store.flag(
                community, "glossary_report", [r.ref for r in reports], now
            )
        questions = [q for q in overdue if q.ref in new_questions]
        missions = [m for m in missions if m.key in new_missions]
        reported = newly_reported(reports, new_reports)
        if not questions and not missions and not reported:
            return False
        note = render.moderator_note(self.t, questions, missions, reported, now)
        return await self.bot.send(community, channel, note) is not None
