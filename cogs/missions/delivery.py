"""What happens later: announcements, reminders, the deadline, the start of an upcoming
mission, and the periodic refresh of mission posts and recognition roles.

Every one of these is a core timer row (or a flag swept by an indexed query), so a restart
neither loses nor repeats it. A timer cut off by a stop runs again after the restart; each
handler checks its own state first (the notice still unsent, the mission still active).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.cog import job, listen, timer
from bot.events import MissionCompleted, PostDelivered
from bot.messages import Message
from bot.timers import Timer
from cogs.missions import progress, render
from cogs.missions.counting import Counting
from cogs.missions.model import ACTIVE, Mission

#: How often mission posts are edited at most, and buffered counts written.
REFRESH = timedelta(seconds=5)
#: How late an announcement (milestone, reminder, summary, cancellation) may still go out;
#: after that the outbox drops it and tells the moderators. The mission post goes out any time.
ANNOUNCEMENT_LATE = timedelta(hours=1)


class Delivery(Counting):
    @timer("notice")
    async def deliver(self, due: Timer) -> None:
        """Hand one decided announcement to the core outbox, unless that was done already:
        the outbox posts it (retrying until it is out, or too late) and ``posted`` keeps
        the mission post's ref."""
        mission_id, key = due.payload["mission"], due.payload["notice"]
        m = await self.store.get(mission_id)
        if m is None or not await self.store.is_unsent(mission_id, key):
            return
        now = self.bot.clock.now()
        is_post = key == "post"
        if is_post:
            message = await self.card(m, now, with_button=True)
        else:
            message = await self._notice(m, key, now)
        queued = await self.bot.outbox.post(
            m.community,
            m.channel,
            message,
            cog=self.name,
            kind="notice",
            key=f"{m.id}:{key}",
            now=now,
            late_after=None if is_post else ANNOUNCEMENT_LATE,
            label=self.t(
                "missions.outbox.post" if is_post else "missions.outbox.announcement",
                name=m.name,
            ),
            asked_by=m.created_by if is_post else None,
        )
        await self.bot.courier.deliver_now(queued)
        if key == progress.COMPLETION:
            contributors = tuple(await self.store.earners(m.id))
            await self.bot.emit(
                MissionCompleted(
                    community=m.community,
                    at=now,
                    mission=str(m.id),
                    name=m.name,
                    contributors=contributors,
                )
            )
        await self.store.mark_sent(m.id, key, now)  # a re-run queues nothing new (same key)
        if key == progress.COMPLETION:
            await self.grant_roles()

    @listen(PostDelivered)
    async def posted(self, event: PostDelivered) -> None:
        """The mission post is out: keep its ref (to edit it) and pin it. A post that went
        out late is refreshed, since the contributions meanwhile found no post to edit."""
        if event.cog != self.name or not event.key.endswith(":post"):
            return
        mission_id = int(event.key.split(":", 1)[0])
        await self.store.set_post(mission_id, event.ref)
        await self.bot.pin(event.ref)
        queued = await self.bot.outbox.latest(event.community, self.name, "notice", event.key)
        if queued is not None and queued.created_at < event.at:
            await self.store.mark_post_dirty(mission_id)

    @timer("reminder")
    async def remind(self, due: Timer) -> None:
        """When a share of the time is left: one reminder, only if the mission is behind pace."""
        m = await self.store.get(due.payload["mission"])
        share = due.payload["share"]
        now = self.bot.clock.now()
        if (
            m is None or m.state != ACTIVE or now >= m.deadline
        ):  # late after a stop: the summary says it
            return
        when = progress.reminder_time(m.starts_at, m.deadline, share)
        if now < when:  # the deadline moved since this timer was set
            await self._later(m, "reminder", when, f"{m.id}:{share}", due.payload)
            return
        await self.flush_counts(deliver=False)
        m = await self.store.get(m.id)
        assert m is not None
        if not progress.behind_pace(m.total, m.target, m.starts_at, m.deadline, now):
            return
        key = progress.reminder_key(share)
        async with self.bot.db.transaction():
            if await self.store.decide(m.id, key, now):
                await self.schedule_notice(m, key, now)

    @timer("deadline")
    async def end(self, due: Timer) -> None:
        """The deadline: archive the mission and decide its summary, reached or not."""
        m = await self.store.get(due.payload["mission"])
        if m is None or m.state != ACTIVE:
            return
        now = self.bot.clock.now()
        if now < m.deadline:
            await self._later(m, "deadline", m.deadline, str(m.id), due.payload)
            return
        await self.flush_counts(deliver=False)
        async with self.bot.db.transaction():
            m = await self.store.get(m.id)
            assert m is not None
            outcome = progress.outcome(m.total, m.target, m.stretch)
            if await self.store.archive(m.id, outcome, now) and await self.store.decide(
                m.id, "summary", now
            ):
                await self.schedule_notice(m, "summary", now)
        await self.reload_index(m.community)

    @timer("start")
    async def begin(self, due: Timer) -> None:
        """An upcoming mission starts: it is posted and its reminders are scheduled."""
        now = self.bot.clock.now()
        async with self.bot.db.transaction():
            if not await self.store.activate(due.payload["mission"]):
                return
            m = await self.store.get(due.payload["mission"])
            assert m is not None
            await self.open(m, now)
        await self.reload_index(m.community)

    @job(every=REFRESH)
    async def tick(self) -> None:
        await self.flush_counts()
        await self.refresh_posts()
        await self.grant_roles()

    async def refresh_posts(self) -> None:
        """Edit each post whose mission changed since the last round: at most one edit per
        post per round, however many contributions came in."""
        now = self.bot.clock.now()
        for m in await self.store.claim_dirty_posts():
            if m.post is not None:
                await self.bot.edit(m.post, await self.card(m, now, with_button=True))

    async def grant_roles(self) -> None:
        now = self.bot.clock.now()
        for row in await self.store.ungranted_roles():
            reason = self.t("missions.role_reason", name=row["name"])
            await self.bot.add_role(row["community"], row["user_id"], row["role"], reason)
            await self.store.mark_granted(row["mission_id"], row["user_id"], now)

    async def _later(
        self, m: Mission, kind: str, when: datetime, key: str, payload: dict[str, object]
    ) -> None:
        await self.bot.timers.schedule(
            m.community, self.name, kind, when, now=self.bot.clock.now(), key=key, payload=payload
        )

    async def _notice(self, m: Mission, key: str, now: datetime) -> Message:
        if key.startswith("reminder:"):
            return render.reminder(self.t, m, now, await self.store.participants(m.id))
        if key == "cancelled":
            return render.cancelled(self.t, m)
        users = [c.user for c in await self.store.contributors(m.id)]
        if key == "summary":
            return render.summary(self.t, m, users)
        return render.milestone(self.t, m, key, users)
