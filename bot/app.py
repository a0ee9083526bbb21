"""The Bot: loads cogs, dispatches events, runs commands and jobs, and acts on platforms.

Dependencies come in through the constructor (config, database, clock); nothing
here is a module-level global. One cog's failure is logged with its name and
never stops the others.
"""

from __future__ import annotations

import dataclasses
import inspect
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.catalog import Catalog
from bot.clock import Clock, ManualClock
from bot.cog import ActionMark, ButtonMark, Cog, JobMark, ListenMark, TimerMark, marks_of
from bot.commands import CommandSpec
from bot.config import Config
from bot.database import Database, containing
from bot.dedupe import SeenEvents
from bot.errors import ConfigError, PlatformError
from bot.events import Event, MemberJoined, MemberLeft, MessagePosted
from bot.interactions import ActionHandler, ButtonHandler, Interactions
from bot.jobs import ManualScheduler, ProductionScheduler, ScheduledJob
from bot.members import MembersRegistry
from bot.messages import Message, MessageRef, channel_mention, role_mention
from bot.outbox import TIMER_COG as OUTBOX_COG
from bot.outbox import TIMER_KIND as OUTBOX_KIND
from bot.outbox import Outbox
from bot.platform import Platform
from bot.posting import Courier
from bot.privacy import Privacy
from bot.registry import available_cogs, import_cog
from bot.settings import SettingsStore
from bot.timers import Timer, Timers
from bot.timeutil import timezone, to_db
from bot.typed_values import build

log = logging.getLogger(__name__)

Listener = tuple[str, Callable[[Any], Any], bool]


class Bot:
    def __init__(
        self, config: Config, db: Database, clock: Clock, catalog: Catalog | None = None
    ) -> None:
        self.config = config
        self.db = db
        self.clock = clock
        self.catalog = catalog or Catalog.load()
        self.members = MembersRegistry(db)
        self.timers = Timers(db)
        self.outbox = Outbox(db, self.timers)
        self.interactions = Interactions(self)
        self.platforms: dict[str, Platform] = {}
        self.cogs: dict[str, Cog] = {}
        self._settings: dict[str, SettingsStore] = {}
        self._listeners: dict[type[Event], list[Listener]] = {}
        self._resolved: dict[type[Event], list[Listener]] = {}
        self._jobs: list[tuple[str, JobMark, Callable[..., Any]]] = []
        self._timer_handlers: dict[tuple[str, str], Callable[[Timer], Any]] = {}
        self._communities: dict[str, ZoneInfo] = {}
        self._open_notices: set[tuple[str, str]] = set()  # (community, key), mirrors the table
        self.seen_events = SeenEvents()
        self.privacy = Privacy(self)
        self.courier = Courier(self)
        self._timer_handlers[(OUTBOX_COG, OUTBOX_KIND)] = self.courier.deliver
        self._woken = False  # a timer became due at once: run it when the caller is done
        self._running_timers = False
        self.timers.on_due_now = self._wake
        self._closing = False
        if isinstance(clock, ManualClock):
            self.scheduler: ManualScheduler | ProductionScheduler = ManualScheduler(
                clock, self.timers.next_due, self.run_due_timers
            )
        else:
            self.scheduler = ProductionScheduler(self.run_due_timers)

    # --- lifecycle --------------------------------------------------------------------

    def add_platform(self, platform: Platform) -> None:
        self.platforms[platform.name] = platform

    def load_cogs(self) -> None:
        """Load the core cog and every cog named in the configuration."""
        from bot import core_cog

        problems: list[str] = []
        names = self.config.hearth.cogs
        names = available_cogs() if names is None else names
        for name, module in [("hearth", core_cog), *((n, import_cog(n)) for n in names)]:
            cog = module.setup(self)
            if cog is None:
                log.info("cog %s declined to load", name)
                continue
            self.add_cog(cog, problems)
        if problems:
            raise ConfigError(problems)

    def add_cog(self, cog: Cog, problems: list[str] | None = None) -> None:
        """Register a cog's marks; config problems of its settings go to ``problems``."""
        problems = [] if problems is None else problems
        self.cogs[cog.name] = cog
        if cog.settings_class is not None:
            section = self.config.cog_sections.get(cog.name, {})
            defaults = build(cog.settings_class, section, cog.name, problems)
            self._settings[cog.name] = SettingsStore(
                self.db, cog.name, cog.settings_class, defaults
            )
        seen: set[str] = set()
        for klass in type(cog).__mro__:  # declaration order, so help lists commands as written
            for attribute, function in vars(klass).items():
                if attribute in seen or not callable(function):
                    continue
                seen.add(attribute)
                for mark in marks_of(function):
                    self._register(cog, getattr(cog, attribute), mark)

    def _register(self, cog: Cog, bound: Callable[..., Any], mark: object) -> None:
        if isinstance(mark, CommandSpec):
            self.interactions.add_command(dataclasses.replace(mark, cog=cog.name, handler=bound))
        elif isinstance(mark, ListenMark):
            is_async = inspect.iscoroutinefunction(bound)
            self._listeners.setdefault(mark.event, []).append((cog.name, bound, is_async))
            self._resolved.clear()
        elif isinstance(mark, JobMark):
            self._jobs.append((f"{cog.name}.{bound.__name__}", mark, bound))
        elif isinstance(mark, TimerMark):
            self._timer_handlers[(cog.name, mark.kind)] = bound
        elif isinstance(mark, ButtonMark):
            self.interactions.buttons[f"{cog.name}.{mark.action}"] = ButtonHandler(cog.name, bound)
        elif isinstance(mark, ActionMark):
            self.interactions.actions[mark.label] = ActionHandler(
                cog.name, mark.label, mark.target, bound
            )

    async def start(self) -> None:
        """Load settings and caches, recover timers, start jobs. Call after migrating."""
        for store in self._settings.values():
            await store.load()
        notices = await self.db.fetch_all("SELECT community, key FROM moderator_notices")
        self._open_notices = {(row[0], row[1]) for row in notices}
        rows = await self.db.fetch_all("SELECT id, timezone FROM communities")
        self._communities = {row[0]: timezone(row[1]) or ZoneInfo("UTC") for row in rows}
        for cog in self.cogs.values():
            await cog.start()
        recovered = await self.timers.recover()
        if recovered:
            log.warning("re-running %d timers that were cut off by a stop", recovered)
        if left := await self.privacy.retry_pending():
            log.warning("%d parts of forget-me requests are still not done", left)
        self.scheduler.set_jobs(self._scheduled_jobs())
        await self.scheduler.start()

    async def close(self) -> None:
        """Stop jobs, then let every cog write its buffers and make its last edits: the
        platforms are still open (they close after the bot). Events those writes emit are
        still handled, but timers they make due wait for the next start. Idempotent."""
        if self._closing:
            return  # closed already (``hearth run`` closes before the platforms do)
        await self.scheduler.stop()
        self._closing = True
        await self.flush()
        for cog in self.cogs.values():
            try:
                await cog.close()
            except Exception:
                log.exception("cog %s failed to close", cog.name)

    async def flush(self) -> None:
        await self.members.flush()

    def settings_for(self, cog: str) -> SettingsStore:
        return self._settings[cog]

    def core_settings(self, community: str) -> Any:
        return self._settings["hearth"].get(community)

    # --- jobs and timers ----------------------------------------------------------------

    def _scheduled_jobs(self) -> list[ScheduledJob]:
        now = self.clock.now()
        jobs = [
            ScheduledJob(
                "hearth.flush_members",
                IntervalTrigger(
                    seconds=self.config.hearth.flush_seconds, start_date=now, timezone=UTC
                ),
                self._guarded("hearth", "flush_members", self.members.flush),
            )
        ]
        zones = sorted({str(z) for z in self._communities.values()})
        for name, mark, function in self._jobs:
            if mark.every is not None:
                trigger = IntervalTrigger(
                    seconds=mark.every.total_seconds(), start_date=now + mark.every, timezone=UTC
                )
                jobs.append(ScheduledJob(name, trigger, self._guarded(*name.split("."), function)))
                continue
            for zone in zones:
                trigger = CronTrigger(
                    hour=mark.daily_at.hour, minute=mark.daily_at.minute, timezone=ZoneInfo(zone)
                )
                jobs.append(
                    ScheduledJob(f"{name}@{zone}", trigger, self._daily(name, zone, function))
                )
        return jobs

    def _guarded(self, cog: str, job: str, function: Callable[[], Any]) -> Callable[[], Any]:
        async def run() -> None:
            try:
                await function()
            except Exception:
                log.exception("job %s of cog %s failed", job, cog)
            await self.settle()

        return run

    def _daily(self, name: str, zone: str, function: Callable[[str], Any]) -> Callable[[], Any]:
        async def run() -> None:
            for community, tz in list(self._communities.items()):
                if str(tz) != zone:
                    continue
                try:
                    await function(community)
                except Exception:
                    log.exception("daily job %s failed for community %s", name, community)

        return run

    def _wake(self) -> None:
        self._woken = True

    async def settle(self) -> None:
        """Run timers that became due at once (an outbox post, a decided announcement), now
        that what scheduled them is done: the end of an event's dispatch, of a command, a
        button or an action. Not inside a transaction (its rows are not committed yet), nor
        inside the timer runner (its loop picks them up)."""
        if self._woken and not self._running_timers and not self.db.in_transaction():
            await self.run_due_timers()

    async def run_due_timers(self) -> None:
        if self._closing:
            return  # recovered and run after the next start
        if self._running_timers:
            self._woken = True  # the running loop claims them before it stops
            return
        self._running_timers = True
        try:
            await self._run_due_timers()
        finally:
            self._running_timers = False

    async def _run_due_timers(self) -> None:
        while True:
            self._woken = False
            due = await self.timers.claim_due(self.clock.now())
            if not due:
                return
            for timer in due:
                handler = self._timer_handlers.get((timer.cog, timer.kind))
                if handler is None:
                    log.warning("no handler for timer %s.%s (#%d)", timer.cog, timer.kind, timer.id)
                else:
                    try:
                        await handler(timer)
                    except Exception:
                        log.exception(
                            "timer %s.%s #%d failed (community %s)",
                            timer.cog,
                            timer.kind,
                            timer.id,
                            timer.community,
                        )
                await self.timers.finish(timer.id)

    # --- communities --------------------------------------------------------------------

    async def ensure_community(self, community: str, name: str = "") -> None:
        if community in self._communities:
            return
        platform = community.split(":", 1)[0]
        zone = timezone(self.config.hearth.timezone) or ZoneInfo("UTC")
        await self.db.execute(
            "INSERT INTO communities (id, platform, name, timezone, locale, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                community,
                platform,
                name,
                str(zone),
                self.config.hearth.locale,
                to_db(self.clock.now()),
            ),
        )
        new_zone = zone not in set(self._communities.values())
        self._communities[community] = zone
        if new_zone:
            self.scheduler.set_jobs(self._scheduled_jobs())

    def communities(self) -> list[str]:
        return list(self._communities)

    def timezone(self, community: str) -> ZoneInfo:
        return self._communities.get(community) or ZoneInfo("UTC")

    async def set_timezone(self, community: str, zone: ZoneInfo) -> None:
        await self.ensure_community(community)
        await self.db.execute(
            "UPDATE communities SET timezone = ? WHERE id = ?", (str(zone), community)
        )
        self._communities[community] = zone
        self.scheduler.set_jobs(self._scheduled_jobs())

    def local_now(self, community: str) -> datetime:
        return self.clock.now().astimezone(self.timezone(community))

    # --- events -------------------------------------------------------------------------

    def _listeners_for(self, kind: type[Event]) -> list[Listener]:
        found = self._resolved.get(kind)
        if found is None:
            found = [entry for base in kind.__mro__ for entry in self._listeners.get(base, ())]
            self._resolved[kind] = found
        return found

    async def dispatch(self, event: Event) -> None:
        """Hand ``event`` to the core registry, then to every cog that listens for it; a
        redelivered platform event (same ``event_id`` and kind) is dropped."""
        if event.event_id is not None and not self.seen_events.first_time(
            event.community.split(":", 1)[0], event.event_id, type(event).__name__
        ):
            log.info("dropped a repeat of %s %s", type(event).__name__, event.event_id)
            return
        if event.community not in self._communities:
            await self.ensure_community(event.community)
        if isinstance(event, MessagePosted):
            if not event.author_is_bot:
                self.members.record_message(
                    event.community, event.author, event.author_name, event.at
                )
        elif isinstance(event, MemberJoined):
            await self.members.record_join(
                event.community, event.user, event.name, event.is_bot, event.at
            )
        elif isinstance(event, MemberLeft):
            await self.members.record_leave(event.community, event.user, event.at)
        for cog_name, handler, is_async in self._listeners_for(type(event)):
            try:
                if is_async:
                    await handler(event)
                else:
                    handler(event)
            except Exception:
                log.exception(
                    "cog %s failed on %s (community %s)",
                    cog_name,
                    type(event).__name__,
                    event.community,
                )
        await self.settle()

    emit = dispatch

    # --- actions --------------------------------------------------------------------------

    def platform_of(self, community: str) -> Platform:
        return self.platforms[community.split(":", 1)[0]]

    async def _act(
        self, community: str, what: str, where: str, call: Callable[[Platform], Any]
    ) -> Any:
        """Run one platform action; a refusal returns None and moderators hear of it once:
        with the adapter's fix when it knows one, else, for a lasting refusal of something
        meant for a channel, with the platform's reason (so a lost post is not silent)."""
        try:
            result = await call(self.platform_of(community))
        except PlatformError as error:
            log.warning("%s failed in %s at %s: %s", what, community, where, error)
            if error.fix:
                await self.notify_moderators(community, f"{what}:{error.fix}", error.fix)
            elif what in _REFUSED and not error.transient:
                text = self.catalog.text(
                    _REFUSED[what], channel=channel_mention(where), reason=str(error)
                )
                await self.notify_moderators(community, f"{what}:{where}", text)
            return None
        if (community, f"{what}:{where}") in self._open_notices:  # it works again: fixed
            await self.clear_notice(community, f"{what}:{where}")
        return result

    async def send(
        self, community: str, channel: str, message: Message, *, thread: str | None = None
    ) -> MessageRef | None:
        return await self._act(
            community, "send", channel, lambda p: p.send(community, channel, message, thread=thread)
        )

    async def send_dm(self, community: str, user: str, message: Message) -> MessageRef | None:
        call = lambda p: p.send_dm(community, user, message)  # noqa: E731
        return await self._act(community, "dm", user, call)

    async def edit(self, ref: MessageRef, message: Message) -> bool:
        return await self._on_message(ref, "edit", lambda p: p.edit(ref, message))

    async def delete(self, ref: MessageRef) -> bool:
        return await self._on_message(ref, "delete", lambda p: p.delete(ref))

    async def react(self, ref: MessageRef, emoji: str) -> bool:
        return await self._on_message(ref, "react", lambda p: p.react(ref, emoji))

    async def pin(self, ref: MessageRef) -> bool:
        return await self._on_message(ref, "pin", lambda p: p.pin(ref))

    async def _on_message(
        self, ref: MessageRef, what: str, call: Callable[[Platform], Any]
    ) -> bool:
        return await self._act(ref.community, what, ref.channel, lambda p: _done(call(p))) is True

    async def add_role(self, community: str, user: str, role: str, reason: str) -> bool:
        done = await self._act(
            community, "role", role, lambda p: _done(p.add_role(community, user, role, reason))
        )
        if done:
            await self.clear_notice(community, "role:")
        return done is True

    async def remove_role(self, community: str, user: str, role: str, reason: str) -> bool:
        call = lambda p: _done(p.remove_role(community, user, role, reason))  # noqa: E731
        return await self._act(community, "role", role, call) is True

    def message_link(self, ref: MessageRef) -> str | None:
        return self.platform_of(ref.community).message_link(ref)

    # --- optional platform hooks: adapters MAY implement these; None when they do not ---

    async def default_welcome_channel(self, community: str) -> str | None:
        """Where welcomes go until moderators choose a channel (Discord: the system channel).

        Adapters may define ``default_welcome_channel(community) -> str | None``."""
        return await self._optional_hook(community, "default_welcome_channel", community)

    async def find_channel(self, community: str, name: str) -> str | None:
        """The id of the channel called ``name``, where the adapter can look names up.

        Adapters may define ``find_channel(community, name) -> str | None``."""
        return await self._optional_hook(community, "find_channel", community, name)

    async def is_member(self, community: str, user: str) -> bool | None:
        """The platform's word on whether ``user`` is a person in ``community`` now (False:
        never there, left, or a bot account); None when it cannot tell. The members registry
        only knows people who joined or posted since Hearth arrived: ask this about the rest.

        Adapters may define ``is_member(community, user) -> bool | None``."""
        found = await self._optional_hook(community, "is_member", community, user, falsy=True)
        return None if found is None else bool(found)

    async def channel_problem(
        self, community: str, channel: str, *, post: bool = True
    ) -> str | None:
        """What keeps Hearth from using ``channel`` (missing, or Hearth cannot see it, or
        with ``post`` cannot post there), with how to fix it; None when it works or the
        platform cannot tell.

        Adapters may define ``check_channel(community, channel, *, post) -> str | None``,
        answering with the catalog key of the problem (its text gets ``{channel}``)."""
        key = await self._optional_hook(community, "check_channel", community, channel, post=post)
        return None if key is None else self.catalog.text(key, channel=channel_mention(channel))

    async def role_problem(self, community: str, role: str, *, grant: bool = True) -> str | None:
        """What keeps ``role`` from working (missing, @everyone, or with ``grant`` one that
        Hearth cannot hand out: managed by an integration, above Hearth's own role…), with
        how to fix it; None when it works or the platform cannot tell.

        Adapters may define ``check_role(community, role, *, grant) -> str | None``,
        answering with the catalog key of the problem (its text gets ``{role}``)."""
        key = await self._optional_hook(community, "check_role", community, role, grant=grant)
        return None if key is None else self.catalog.text(key, role=role_mention(role))

    async def _optional_hook(
        self, community: str, hook: str, *args: Any, falsy: bool = False, **kwargs: Any
    ) -> Any:
        """Call the adapter's ``hook``; None when it has none or it failed. An empty answer
        becomes None too, unless ``falsy`` (for hooks whose False is an answer)."""
        try:
            function = getattr(self.platform_of(community), hook, None)
            if function is None:
                return None
            result = function(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
        except Exception:
            log.exception("platform hook %s failed in %s", hook, community)
            return None
        return result if falsy else result or None

    async def notify_moderators(self, community: str, key: str, text: str) -> None:
        """Tell moderators once (per ``key``) about a problem they can fix."""
        row = await self.db.fetch_one(
            "INSERT INTO moderator_notices (community, key, text, sent_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (community, key) DO NOTHING RETURNING key",
            (community, key, text, to_db(self.clock.now())),
        )
        if row is None:
            return
        self._open_notices.add((community, key))
        channel = self.core_settings(community).log_channel
        log.warning("notice for moderators of %s: %s", community, text)
        if channel:
            notice = Message(self.catalog.text("core.hearth.notice", text=text))
            try:
                await self.platform_of(community).send(community, channel, notice)
            except PlatformError as error:
                log.warning("could not post a moderator notice in %s: %s", community, error)

    async def clear_notice(self, community: str, prefix: str) -> None:
        """Forget notices whose problem is fixed, so a new occurrence is reported again."""
        await self.db.execute(
            "DELETE FROM moderator_notices WHERE community = ? AND key LIKE ?",
            (community, prefix + "%"),
        )
        self._open_notices = {
            (c, key)
            for c, key in self._open_notices
            if c != community or not key.startswith(prefix)
        }

    async def forget_notices_about(self, community: str, user: str) -> None:
        """Drop notices about a person (a direct message to them refused): forget-me."""
        await self.db.execute(
            "DELETE FROM moderator_notices WHERE community = ?"
            " AND (key = ? OR text LIKE ? ESCAPE '\\')",
            (community, f"dm:{user}", "%" + containing(user) + "%"),
        )
        self._open_notices.discard((community, f"dm:{user}"))

    async def open_notices(self, community: str) -> list[str]:
        """Problems moderators were told about that are not known to be fixed, oldest first."""
        rows = await self.db.fetch_all(
            "SELECT text FROM moderator_notices WHERE community = ? ORDER BY sent_at",
            (community,),
        )
        return [row[0] for row in rows]


#: Actions meant for a channel whose lasting refusal moderators hear about even when the
#: adapter knows no fix (a direct message refused is the person's choice; an edit or a
#: delete refused means the message is gone).
_REFUSED = {
    "send": "core.refused.send",
    "pin": "core.refused.pin",
    "react": "core.refused.react",
}


async def _done(awaitable: Any) -> bool:
    await awaitable
    return True
