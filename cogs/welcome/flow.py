"""The join flow: welcome (alone, or held for a burst's batched welcome), greeter, paced
DM, a quiet rejoin, and steps ticked by posts.

``WelcomeFlow`` holds the join and the in-memory state of the hot path (greetings are
noticed by ``GreetingWatch`` below it); ``cogs.welcome.later`` adds what happens later,
``cogs.welcome.cog.Welcome`` the commands.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.cog import job, listen
from bot.events import MemberJoined, MessagePosted
from bot.messages import Field, MessageRef, channel_mention, mention
from cogs.welcome import compose
from cogs.welcome.bursts import JoinBurst, Pace
from cogs.welcome.greetings import GreetingWatch
from cogs.welcome.logic import (
    is_returning,
    pick_greeter,
    rejoined_soon,
    steps_ticked_by,
)
from cogs.welcome.store import Newcomer, Step, WelcomeStore
from cogs.welcome.templates import channel_names, render

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

Key = tuple[str, str]  # (community, user)


@dataclass(slots=True)
class _Watched:
    """A first-time newcomer whose posts may still tick steps or cancel the reminder."""

    joined_at: datetime
    posted: bool = False
    done: set[int] = field(default_factory=set)


@dataclass(slots=True)
class _Seen:
    """Buffered activity of one newcomer since the last flush."""

    first_at: datetime
    channels: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Sent:
    """What one run of the join flow posted."""

    post: MessageRef | None
    channel: str | None
    dm: bool | None  # None: no direct message was due


class WelcomeFlow(GreetingWatch):
    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.store = WelcomeStore(bot.db)
        self._steps: dict[str, list[Step]] = {}
        self._watch: dict[Key, _Watched] = {}
        self._seen: dict[Key, _Seen] = {}
        self._bursts: dict[str, JoinBurst] = {}
        self._paces: dict[str, Pace] = {}

    def steps(self, community: str) -> list[Step]:
        return self._steps.get(community, [])

    async def start(self) -> None:
        self._steps = await self.store.all_steps()
        await self._load_watch()

    async def _load_watch(self) -> None:
        """Watch members who joined within the longest onboarding window (steps tick for
        returning members too); first-time newcomers can still be greeted."""
        now = self.bot.clock.now()
        windows = [self.config(c).onboarding_window for c in self.bot.communities()]
        since = now - max(windows, default=self.config("").onboarding_window)
        done = await self.store.all_progress_since(since)
        self._watch = {}
        for newcomer in await self.store.recent_newcomers(since):
            key = (newcomer.community, newcomer.user)
            if newcomer.left_at is None:
                self._watch[key] = _Watched(
                    newcomer.joined_at, newcomer.posted_at is not None, done.get(key, set())
                )
            if not newcomer.is_returning and newcomer.left_at is None:
                refs = (newcomer.welcome_message, newcomer.welcome_thread)
                self.watch_greetings(newcomer.community, newcomer.user, newcomer.joined_at, *refs)
        self._greeted = await self.greetings.greeted_pairs_since(since)

    async def close(self) -> None:
        await self.flush()
        await self.flush_greetings()

    # --- the hot path: every message passes here ----------------------------------------

    @listen(MessagePosted)
    def notice_post(self, event: MessagePosted) -> None:
        """Sync and I/O-free: note a watched newcomer's first post and step channels."""
        if event.author_is_bot:
            return
        key = (event.community, event.author)
        watched = self._watch.get(key)
        if watched is None:
            return
        if event.at - watched.joined_at > self.config(event.community).onboarding_window:
            del self._watch[key]
            return
        ticked = steps_ticked_by(event.channel, self.steps(event.community), watched.done)
        if watched.posted and not ticked:
            return
        watched.posted = True
        watched.done |= ticked
        seen = self._seen.setdefault(key, _Seen(event.at))
        seen.channels.add(event.channel)

    @job(every=timedelta(minutes=1))
    async def flush(self) -> None:
        """Write buffered newcomer activity in one transaction; cancel their reminders.

        Once a minute is plenty: the reminder, ``/welcome progress`` and the export flush
        first anyway, so nobody ever sees a stale answer."""
        if not self._seen:
            return
        seen, self._seen = self._seen, {}
        rows = [(c, u, s.first_at, s.channels) for (c, u), s in seen.items()]
        try:
            async with self.bot.db.transaction():
                await self.store.record_posts(rows)
                for community, user in seen:
                    await self.bot.timers.cancel(community, self.name, "reminder", user)
        except Exception:
            for key, pending in seen.items():  # keep them for the next flush
                merged = self._seen.setdefault(key, _Seen(pending.first_at))
                merged.first_at = min(merged.first_at, pending.first_at)
                merged.channels |= pending.channels
            raise

    @job(every=timedelta(hours=1))
    async def forget_old_newcomers(self) -> None:
        """Stop watching newcomers whose onboarding window has passed (keeps memory flat)."""
        now = self.bot.clock.now()
        for key, watched in list(self._watch.items()):
            if now - watched.joined_at > self.config(key[0]).onboarding_window:
                del self._watch[key]

    # --- joining -----------------------------------------------------------------------

    @listen(MemberJoined)
    async def on_join(self, event: MemberJoined) -> None:
        if event.is_bot:
            return
        community, user, settings = event.community, event.user, self.config(event.community)
        before = await self.store.newcomer(community, user)
        if before is not None and rejoined_soon(before.left_at, event.at, settings.rejoin_window):
            await self.rejoin_quietly(before, event.at)
            return
        record = await self.bot.members.get(community, user)
        returning = is_returning(
            record.first_joined_at if record else None, event.at, before is not None
        )
        burst = self._bursts.setdefault(community, JoinBurst())
        await self.run_flow(
            community,
            user,
            event.at,
            returning=returning,
            test=False,
            reminder_sent=before is not None and before.reminder_sent_at is not None,
            held=burst.join(event.at, settings.burst_window, settings.burst_joins),
        )

    async def rejoin_quietly(self, before: Newcomer, at: datetime) -> None:
        """Back soon after leaving (a slip, a join/leave loop): no new welcome and no
        "welcome back"; their first onboarding simply goes on (steps, reminder, greeting)."""
        community, user, settings = before.community, before.user, self.config(before.community)
        await self.greetings.clear_leave(community, user)
        done = await self.store.done_steps(community, user)
        self._watch[(community, user)] = _Watched(
            before.joined_at, before.posted_at is not None, done
        )
        if before.is_returning:
            return
        self.watch_greetings(
            community, user, before.joined_at, before.welcome_message, before.welcome_thread
        )
        if settings.reminder_enabled and before.reminder_sent_at is None and not before.posted_at:
            due = max(before.joined_at + settings.reminder_after, at)
            await self.bot.timers.schedule(
                community, self.name, "reminder", due, now=at, key=user, replace=True
            )

    async def run_flow(
        self,
        community: str,
        user: str,
        at: datetime,
        *,
        returning: bool,
        test: bool,
        reminder_sent: bool = False,
        held: bool = False,
    ) -> Sent:
        """Welcome ``user``. A test posts the same messages but records no join: no greeter
        turn is used, no reminder is scheduled, nobody can greet. The greeter is chosen
        and their turn used in one transaction, so joins at the same moment do not all get
        the same greeter. A ``held`` join (in a burst) waits for the batched welcome and
        gets no greeter of its own."""
        settings = self.config(community)
        if test:
            greeter = None if returning else await self.next_greeter(community, user, at)
        else:
            async with self.bot.db.transaction():
                greeter = None
                if not returning and not held:
                    greeter = await self.next_greeter(community, user, at)
                await self.store.record_join(community, user, at, returning, greeter)
                if greeter is not None:
                    await self.store.greeted(community, greeter, at)
                if held:
                    await self.greetings.hold(community, user, at)
                    due = at + settings.burst_window
                    await self.bot.timers.schedule(
                        community, self.name, "burst", due, now=at, key="held"
                    )
                if not returning and settings.reminder_enabled and not reminder_sent:
                    await self.bot.timers.schedule(
                        community,
                        self.name,
                        "reminder",
                        at + settings.reminder_after,
                        now=at,
                        key=user,
                        replace=True,
                    )
            done = await self.store.done_steps(community, user)
            self._watch[(community, user)] = _Watched(at, done=done)  # returning ones too
        extras = await self.extras(community, returning)
        channel = await self.welcome_channel(community)
        post = None
        if channel and not held:
            post = await self._post(community, channel, user, at, returning, greeter, extras, test)
        if not test and not returning:
            self.watch_greetings(community, user, at, *((post.id, post.thread) if post else ()))
        dm = None
        if settings.dm_enabled and (not returning or (post is None and not held)):
            due = (
                at
                if test
                else self._paces.setdefault(community, Pace()).slot(at, settings.dms_per_minute)
            )
            if due > at:  # the minute's DMs are out: this one waits its turn
                await self.bot.timers.schedule(community, self.name, "dm", due, now=at, key=user)
            else:
                dm = await self.send_welcome_dm(community, user, greeter, returning, extras)
        return Sent(post, channel, dm)

    async def send_welcome_dm(
        self,
        community: str,
        user: str,
        greeter: str | None,
        returning: bool,
        extras: list[Field],
    ) -> bool:
        text = await self.fill(community, self.template(community, "dm_message", returning), user)
        message = compose.dm_message(self.t, text, newcomer=user, greeter=greeter, fields=extras)
        return await self.bot.send_dm(community, user, message) is not None

    async def _post(
        self,
        community: str,
        channel: str,
        user: str,
        at: datetime,
        returning: bool,
        greeter: str | None,
        extras: list[Field],
        test: bool,
    ) -> MessageRef | None:
        key = "back_message" if returning else "message"
        text = await self.fill(community, self.template(community, key), user)
        body = compose.welcome_body(
            self.t, text, newcomer=user, greeter=greeter, fields=extras, test=test
        )
        ref = await self.bot.send(community, channel, compose.post_message(self.t, body))
        if ref is None:
            return None
        async with self.bot.db.transaction():
            await self.store.add_post(
                community, ref.id, ref.channel, ref.thread, user, body, test, at
            )
            if not test:
                await self.store.set_welcome_ref(community, user, ref.channel, ref.id, ref.thread)
        return ref

    # --- rendering helpers --------------------------------------------------------------

    async def welcome_channel(self, community: str) -> str | None:
        return self.config(community).channel or await self.bot.default_welcome_channel(community)

    def template(self, community: str, key: str, returning: bool = False) -> str:
        """The moderators' template for ``key``, or the catalog's warm default."""
        if key == "dm_message" and returning:
            key = "back_message"
        return getattr(self.config(community), key) or self.t(f"welcome.default.{key}")

    async def fill(self, community: str, template: str, user: str) -> str:
        channels = {}
        for name in channel_names(template):
            found = await self.bot.find_channel(community, name)
            if found:
                channels[name] = channel_mention(found)
        values = {
            "member": mention(user),
            "community": await self.community_name(community),
            "member_count": str(await self.bot.members.count(community)),
        }
        return render(template, values, channels)

    async def community_name(self, community: str) -> str:
        return await self.store.community_name(community) or self.t("welcome.default.community")

    async def extras(self, community: str, returning: bool) -> list[Field]:
        if returning:
            return []
        terms = await self.glossary_terms(community)
        return compose.extra_fields(
            self.t, self.steps(community), terms, "welcome.post.steps_title"
        )

    async def glossary_terms(self, community: str) -> list[str]:
        """The glossary's top terms, when a glossary cog offers ``top_terms(community, n)``."""
        count = self.config(community).glossary_terms
        glossary = self.bot.cogs.get("glossary")
        top_terms = getattr(glossary, "top_terms", None)
        if count <= 0 or not callable(top_terms):
            return []
        try:
            found: Any = top_terms(community, count)
            if hasattr(found, "__await__"):
                found = await found
            return [str(getattr(term, "name", term)) for term in list(found)[:count]]
        except Exception:
            log.exception("glossary top_terms failed in %s; welcoming without terms", community)
            return []

    async def next_greeter(self, community: str, newcomer: str, now: datetime) -> str | None:
        rotation = await self.store.greeter_rotation(community)
        absent = set()
        for greeter in rotation:
            record = await self.bot.members.get(community, greeter.user)
            if record is not None and not record.is_member:
                absent.add(greeter.user)
        return pick_greeter(
            rotation,
            newcomer=newcomer,
            now=now,
            cooldown=self.config(community).greeter_cooldown,
            absent=absent,
        )

    async def rerender(self, community: str, message_id: str, ref: MessageRef) -> None:
        """Edit a channel welcome to show its current wave list."""
        post = await self.store.post(community, message_id)
        if post is None or post.removed:
            return
        wavers = await self.store.wavers(community, message_id)
        await self.bot.edit(ref, compose.post_message(self.t, post.body, wavers))

    def forget_watch(self, community: str, user: str) -> None:
        self._watch.pop((community, user), None)
        self._seen.pop((community, user), None)
        self.forget_greetings(community, user)
