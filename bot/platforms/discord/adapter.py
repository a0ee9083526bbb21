"""The Discord front door: a discord.py client wired to the core.

Lifecycle (as ``bot.platforms.launch`` drives every adapter): ``connect()`` logs in
over REST and returns the ``Platform`` (so the bot can act while it starts),
``start(bot)`` syncs the application commands if their declarations changed and
opens the gateway, ``close()`` closes it. ``[discord] api_base_url`` and
``gateway_url`` point discord.py elsewhere (tests, self-hosted proxies); discord.py
keeps them in two class attributes, which are restored on ``close()``.

Intents: guilds, members and message content (the last two are privileged: switch
them on in the Developer Portal, Bot page), guild messages, guild reactions and
direct messages. No guild is chunked at start-up, the member cache holds only
people who join while connected, and no message cache is kept: raw events carry
what the core needs.

Events become core events through ``inbound.py``; interactions (commands,
autocomplete, context menus, buttons) go to ``bot.interactions`` and are answered
through ``replies.answer`` within Discord's three seconds.
"""

from __future__ import annotations

import asyncio
import contextvars
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import aiohttp
import discord
import yarl

from bot.catalog import Catalog
from bot.config import DiscordSection
from bot.errors import PlatformError
from bot.events import Event
from bot.platforms.discord import inbound
from bot.platforms.discord.actions import DiscordPlatform, community_of
from bot.platforms.discord.buttons import ButtonIds
from bot.platforms.discord.commands import CommandTable, build_commands
from bot.platforms.discord.routing import InteractionRouter
from bot.platforms.discord.store import DiscordStore
from bot.platforms.discord.sync import sync_commands

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

QUERY_BATCH = 100
#: How long ``close()`` lets running event handlers finish before cancelling them.
CLOSE_GRACE = 10.0
#: How long ``start()`` waits for the gateway to deliver every server.
READY_SECONDS = 60


def hearth_intents() -> discord.Intents:
    intents = discord.Intents.none()
    intents.guilds = True
    intents.members = True  # privileged
    intents.message_content = True  # privileged
    intents.guild_messages = True
    intents.guild_reactions = True
    intents.dm_messages = True
    return intents


#: The gateway dispatch being handled, as "session id:sequence number": Discord sends a
#: dispatch it replays after a RESUME under its first number, so this names each event
#: once however often it arrives. Set while discord.py parses the dispatch; the handler
#: tasks it creates copy it.
_delivery: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "discord_delivery", default=None
)


class HearthClient(discord.Client):
    """A plain client whose event methods hand everything to the adapter."""

    def __init__(self, adapter: DiscordAdapter, **options: Any) -> None:
        super().__init__(**options)
        self.adapter = adapter

    def dispatch(self, event: str, /, *args: Any, **kwargs: Any) -> None:
        """Every handler task this creates knows which gateway dispatch it came from."""
        ws = self.ws
        known = ws is not None and ws.session_id is not None and ws.sequence is not None
        token = _delivery.set(f"{ws.session_id}:{ws.sequence}" if known else None)
        try:
            super().dispatch(event, *args, **kwargs)
        finally:
            _delivery.reset(token)

    async def on_ready(self) -> None:
        await self.adapter.handle(self.adapter.on_ready)

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.adapter.handle(self.adapter.on_guild_join, guild)

    async def on_member_join(self, member: discord.Member) -> None:
        await self.adapter.handle(self.adapter.on_member_join, member)

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        await self.adapter.handle(self.adapter.on_member_update, before, after)

    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.adapter.handle(self.adapter.on_member_remove, payload)

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.handle(self.adapter.on_message, message)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        await self.adapter.handle(self.adapter.on_message_edit, payload)

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self.adapter.handle(self.adapter.on_message_delete, payload)

    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self.adapter.handle(self.adapter.on_reaction, payload)

    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self.adapter.handle(self.adapter.on_reaction, payload)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        await self.adapter.handle(self.adapter.router.on_interaction, interaction)


class DiscordAdapter:
    def __init__(
        self,
        settings: DiscordSection,
        token: str,
        *,
        catalog: Catalog | None = None,
        guild_ready_timeout: float = 2.0,
        defer_after: float = 1.5,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self.settings = settings
        self.on_lost = on_lost
        #: True once the gateway connection ended without ``close()`` (reconnects gave up).
        self.lost = False
        self.token = token
        self.defer_after = defer_after
        self.ids = ButtonIds()
        intents = hearth_intents()
        self.client = HearthClient(
            self,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            chunk_guilds_at_startup=False,
            member_cache_flags=discord.MemberCacheFlags.from_intents(intents),
            max_messages=None,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.platform = DiscordPlatform(self.client, self.ids, catalog or Catalog.load())
        self.table: CommandTable | None = None
        self.router = InteractionRouter(self)
        #: Set when the gateway connection has ended, for good or by ``close()``.
        self.stopped = asyncio.Event()
        self._bot: Bot | None = None
        self._store: DiscordStore | None = None
        self._task: asyncio.Task[None] | None = None
        self._handling: set[asyncio.Task[Any]] = set()
        self._closing = False
        self._saved_urls: tuple[str, yarl.URL] | None = None

    # --- lifecycle ------------------------------------------------------------------------

    @property
    def bot(self) -> Bot:
        assert self._bot is not None, "attach(bot) first"
        return self._bot

    @property
    def store(self) -> DiscordStore:
        assert self._store is not None, "attach(bot) first"
        return self._store

    def now(self) -> datetime:
        return self.bot.clock.now()

    def _point_urls(self) -> None:
        """Send discord.py's REST and gateway traffic where the config says (tests, proxies)."""
        if self._saved_urls is not None:
            return
        gateway = discord.gateway.DiscordWebSocket
        self._saved_urls = (discord.http.Route.BASE, gateway.DEFAULT_GATEWAY)
        if self.settings.api_base_url:
            discord.http.Route.BASE = self.settings.api_base_url.rstrip("/")
        if self.settings.gateway_url:
            gateway.DEFAULT_GATEWAY = yarl.URL(self.settings.gateway_url)

    def _restore_urls(self) -> None:
        if self._saved_urls is not None:
            discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = (
                self._saved_urls
            )
            self._saved_urls = None

    async def connect(self) -> DiscordPlatform:
        """Log in over REST (no gateway yet): the platform can send from now on."""
        self._point_urls()
        try:
            await self.client.login(self.token)
        except discord.LoginFailure:
            await self.close()
            raise PlatformError(
                "Discord refused the bot token: set DISCORD_TOKEN to the token on your"
                " application's Bot page (Developer Portal)."
            ) from None
        except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
            await self.close()
            raise PlatformError(f"could not reach Discord to log in: {error}") from None
        return self.platform

    async def attach(self, bot: Bot) -> None:
        """Know the bot: its database (sync state, long button ids) and its declarations."""
        self._bot = bot
        self.platform.catalog = bot.catalog
        self._store = DiscordStore(bot.db)
        await self.ids.attach(self._store)
        self.table = build_commands(
            bot.interactions.commands, bot.interactions.actions.values(), bot.catalog.text
        )

    async def start(self, bot: Bot) -> None:
        """Sync commands if they changed, open the gateway and wait until it is ready
        (at most ``READY_SECONDS``; events are handled as they come either way)."""
        await self.attach(bot)
        await self.sync()
        self._task = asyncio.create_task(self.client.connect(reconnect=True))
        self._task.add_done_callback(self._connection_ended)
        try:
            async with asyncio.timeout(READY_SECONDS):
                await self.wait_until_ready()
        except TimeoutError:
            log.warning("Discord: not ready after %ds; carrying on", READY_SECONDS)
        else:
            log.info(
                "Discord: connected as %s to %d servers", self.client.user, len(self.client.guilds)
            )

    async def sync(self, *, guild: str | None = None, force: bool = False) -> bool:
        """Sync the commands (to ``guild``, else ``[discord] command_guild``, else globally)
        when their declarations changed since the last sync, or always with ``force``."""
        assert self.table is not None
        scope = guild or self.settings.command_guild or None
        try:
            return await sync_commands(
                self.client, self.table, self.store, guild=scope, force=force
            )
        except discord.HTTPException as error:
            log.error("syncing application commands failed: %s %s", error.status, error.text)
        except (aiohttp.ClientError, OSError) as error:
            log.error("syncing application commands failed: %r", error)
        return False  # the next start tries again: the hash was not recorded

    def _connection_ended(self, task: asyncio.Task[None]) -> None:
        self.stopped.set()
        if task.cancelled():
            return
        error = task.exception()
        if self._closing:
            return
        self.lost = True
        if self.on_lost is not None:
            self.on_lost()
        if isinstance(error, discord.PrivilegedIntentsRequired):
            log.error(
                "Discord refused the connection: switch on the Server Members and Message"
                " Content intents on your application's Bot page (Developer Portal)."
            )
        elif error is not None:
            log.error("the Discord connection ended: %r", error, exc_info=error)
        else:
            log.error("the Discord connection ended without an error (a malformed payload?)")

    async def wait_until_ready(self) -> None:
        """Until the gateway delivered every guild; raises if the connection ends first."""
        ready = asyncio.ensure_future(self.client.wait_until_ready())
        stopped = asyncio.ensure_future(self.stopped.wait())
        try:
            await asyncio.wait({ready, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            ready.cancel()
            stopped.cancel()
        if not self.client.is_ready():
            raise PlatformError("the Discord connection ended before it was ready")

    async def handle(self, handler: Callable[..., Awaitable[None]], *args: Any) -> None:
        """Run one event handler, unless closing; ``close()`` waits for those running."""
        if self._closing:
            log.debug("closing: dropped %s", getattr(handler, "__name__", handler))
            return
        task = asyncio.current_task()
        assert task is not None
        self._handling.add(task)
        try:
            await handler(*args)
        finally:
            self._handling.discard(task)

    async def stop_listening(self) -> None:
        """Stop taking events and let running handlers finish, still connected, so their
        sends and replies go out. The bot closes next (its cogs' last edits need the HTTP
        session), then ``close()``. Idempotent."""
        self._closing = True
        running = self._handling - {asyncio.current_task()}
        if running:
            _, late = await asyncio.wait(running, timeout=CLOSE_GRACE)
            for task in late:
                log.warning("cancelled an event handler still running at shutdown")
                task.cancel()

    async def close(self) -> None:
        """Stop listening (if not done yet), close the gateway and HTTP session, restore
        discord.py's URLs. Idempotent."""
        try:
            await self.stop_listening()
            if not self.client.is_closed():
                await self.client.close()
            if self._task is not None:
                await asyncio.gather(self._task, return_exceptions=True)
        finally:
            self.stopped.set()
            self._restore_urls()

    # --- inbound events ---------------------------------------------------------------------

    async def dispatch(self, event: Event | None) -> None:
        if event is not None:
            await self.bot.dispatch(event)

    async def deliver(self, event: Event | None) -> None:
        """Dispatch the one core event a gateway dispatch became, named by that dispatch,
        so that the core drops it when a resumed gateway replays it."""
        if event is not None:
            await self.bot.dispatch(dataclasses.replace(event, event_id=_delivery.get()))

    def _is_me(self, user_id: int) -> bool:
        return self.client.user is not None and user_id == self.client.user.id

    async def on_ready(self) -> None:
        for guild in self.client.guilds:
            await self.bot.ensure_community(community_of(guild.id), guild.name)
            await self._recover_pending(guild)

    async def on_member_join(self, member: discord.Member) -> None:
        if self._is_me(member.id):
            return
        if member.pending:  # membership screening: welcome them once they pass it
            await self.store.hold_pending(str(member.guild.id), str(member.id), self.now())
            return
        await self.deliver(inbound.member_joined(member, self.now()))

    async def on_member_update(self, before: discord.Member, after: discord.Member) -> None:
        if before.pending and not after.pending and not self._is_me(after.id):
            await self.store.release_pending(str(after.guild.id), str(after.id))
            await self.deliver(inbound.member_joined(after, self.now()))

    async def on_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.store.release_pending(str(payload.guild_id), str(payload.user.id))
        if not self._is_me(payload.user.id):
            await self.deliver(inbound.member_left(payload, self.now()))

    async def _recover_pending(self, guild: discord.Guild) -> None:
        """Members held back by screening when the bot last stopped: welcome those who
        passed it meanwhile, forget those who left, keep waiting for the others."""
        held = await self.store.pending_in(str(guild.id))
        for start in range(0, len(held), QUERY_BATCH):
            batch = held[start : start + QUERY_BATCH]
            try:
                members = await guild.query_members(user_ids=[int(u) for u in batch], cache=True)
            except (TimeoutError, discord.ClientException, discord.HTTPException) as error:
                log.warning("could not look up held members of guild %s: %r", guild.id, error)
                continue
            found = {str(m.id): m for m in members}
            for user in batch:
                member = found.get(user)
                if member is not None and member.pending:
                    continue
                if await self.store.release_pending(str(guild.id), user) and member is not None:
                    await self.dispatch(inbound.member_joined(member, self.now()))

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.bot.ensure_community(community_of(guild.id), guild.name)

    async def on_message(self, message: discord.Message) -> None:
        await self.deliver(inbound.message_posted(message, self.now()))

    async def on_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        channel = self.client.get_channel(payload.channel_id)
        await self.deliver(inbound.message_edited(payload, channel, self.now()))

    async def on_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        channel = self.client.get_channel(payload.channel_id)
        await self.deliver(inbound.message_deleted(payload, channel, self.now()))

    async def on_reaction(self, payload: discord.RawReactionActionEvent) -> None:
        me = self.client.user.id if self.client.user is not None else 0
        await self.deliver(inbound.reaction(payload, self.now(), me))
