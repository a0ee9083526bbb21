"""The ``Platform`` on Discord: send, DM, edit, delete, react, pin, roles, links.

Everything goes through REST with partial objects (``get_partial_messageable``), so
nothing depends on what the gateway cache happens to hold. Every send carries
``allowed_mentions`` that permit only the users and roles the cog listed.

Failures become ``PlatformError``: a 403 or 404 that moderators can fix carries a
``fix`` (the core tells them once, in the log channel); a failure nobody on the
server can fix (5xx after discord.py's retries, a user whose DMs are closed) is
logged with the ids of what was lost and raised without one. Rate limits (429) are
waited out by discord.py itself.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import discord

from bot.catalog import Catalog
from bot.errors import PlatformError
from bot.messages import Message, MessageRef
from bot.platforms.discord.buttons import ButtonIds
from bot.platforms.discord.render import ButtonsView, Part, allowed_mentions, render
from bot.text import normalize, truncate

log = logging.getLogger(__name__)

# Discord JSON error codes.
UNKNOWN_CHANNEL = 10003
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_ROLE = 10011
CANNOT_DM = 50007
THREAD_NAME = 100


def guild_of(community: str) -> int:
    """``discord:81384788765712384`` → 81384788765712384."""
    return int(community.removeprefix("discord:"))


def community_of(guild_id: int) -> str:
    return f"discord:{guild_id}"


def describe(message: Message) -> str:
    """What a message was, by ids, for the log when it could not be delivered."""
    buttons = ",".join(f"{b.action}={b.value}" for b in message.buttons)
    return (
        f"title={message.title!r} chars={len(message.text)} fields={len(message.fields)}"
        f" mentions={list(message.mentions)} buttons=[{buttons}]"
    )


class DiscordPlatform:
    """Implements ``bot.platform.Platform`` (and the optional hooks) with discord.py."""

    name = "discord"
    supports_files = True

    def __init__(self, client: discord.Client, ids: ButtonIds, catalog: Catalog) -> None:
        self.client = client
        self.ids = ids
        self.catalog = catalog

    # --- rendering ------------------------------------------------------------------------

    async def view_for(self, part: Part, community: str) -> discord.ui.View | None:
        """The part's buttons; their ids name the server, so presses in DMs work too."""
        if not part.buttons:
            return None
        guild = self._guild_or_none(community)
        return ButtonsView(await self.ids.ids_for(part.buttons, guild=str(guild or "") or None))

    async def send_kwargs(self, part: Part, message: Message, community: str) -> dict[str, object]:
        """Keyword arguments for ``send`` of one part (content, embeds, view, files, mentions)."""
        kwargs: dict[str, object] = {
            "content": part.content,
            "embeds": part.embeds(),
            "allowed_mentions": allowed_mentions(message, part.content),
        }
        view = await self.view_for(part, community)
        if view is not None:
            kwargs["view"] = view
        if part.attachments:
            kwargs["files"] = part.files()
        return kwargs

    # --- errors ---------------------------------------------------------------------------

    @contextmanager
    def refused(
        self, what: str, community: str, where: str, message: Message | None = None
    ) -> Iterator[None]:
        """Turn discord.py's HTTP errors into ``PlatformError``, logging what was lost."""
        lost = f" ({describe(message)})" if message is not None else ""
        try:
            yield
        except discord.Forbidden as error:
            fix = None
            if what == "send" and error.code != CANNOT_DM:
                fix = self.catalog.text("discord.fix.channel_forbidden", channel=where)
            log.warning(
                "%s in %s at %s refused (403 %s)%s", what, community, where, error.code, lost
            )
            raise PlatformError(f"{what}: {error.text}", fix=fix, status=403) from error
        except discord.NotFound as error:
            fix = None
            if what == "send" and error.code == UNKNOWN_CHANNEL:
                fix = self.catalog.text("discord.fix.channel_missing", channel=where)
            log.warning(
                "%s in %s at %s: not found (%s)%s", what, community, where, error.code, lost
            )
            raise PlatformError(f"{what}: {error.text}", fix=fix, status=404) from error
        except discord.HTTPException as error:
            log.error(
                "%s in %s at %s failed: %s %s%s",
                what,
                community,
                where,
                error.status,
                error.text,
                lost,
            )
            raise PlatformError(
                f"{what}: {error.status} {error.text}", status=error.status
            ) from error

    # --- Platform ---------------------------------------------------------------------------

    async def _send_parts(self, community: str, target: int, message: Message) -> discord.Message:
        parts = render(message)
        if not parts:
            raise PlatformError("send: the message is empty")
        channel = self.client.get_partial_messageable(
            target, guild_id=self._guild_or_none(community)
        )
        sent: discord.Message | None = None
        for part in parts:
            kwargs = await self.send_kwargs(part, message, community)
            sent = await channel.send(**kwargs)  # type: ignore[arg-type]
        assert sent is not None
        return sent

    @staticmethod
    def _guild_or_none(community: str) -> int | None:
        rest = community.removeprefix("discord:")
        return int(rest) if rest.isdigit() else None

    async def send(
        self, community: str, channel: str, message: Message, *, thread: str | None = None
    ) -> MessageRef:
        """Post ``message``; with ``thread``, in that thread, opening it on the message of
        that id when it does not exist yet (a thread reply to a plain message)."""
        with self.refused("send", community, thread or channel, message):
            try:
                sent = await self._send_parts(community, int(thread or channel), message)
            except discord.NotFound as error:
                if not thread or thread == channel or error.code != UNKNOWN_CHANNEL:
                    raise
                await self._open_thread(community, int(channel), int(thread))
                sent = await self._send_parts(community, int(thread), message)
        return MessageRef(community, channel, str(sent.id), thread)

    async def _open_thread(self, community: str, channel: int, starter: int) -> None:
        messageable = self.client.get_partial_messageable(
            channel, guild_id=self._guild_or_none(community)
        )
        partial = messageable.get_partial_message(starter)
        name = self.catalog.text("discord.reply.thread_name")
        try:
            fetched = await partial.fetch()
            first_line = fetched.content.strip().splitlines()[0] if fetched.content.strip() else ""
            name = truncate(first_line, THREAD_NAME) or name
        except discord.HTTPException:
            log.info("could not read message %s to name its thread", starter)
        await partial.create_thread(name=name)

    async def send_dm(self, community: str, user: str, message: Message) -> MessageRef:
        with self.refused("dm", community, f"user {user}", message):
            channel = await self.client.create_dm(discord.Object(int(user)))
            sent: discord.Message | None = None
            for part in render(message):
                kwargs = await self.send_kwargs(part, message, community)
                sent = await channel.send(**kwargs)  # type: ignore[arg-type]
            if sent is None:
                raise PlatformError("dm: the message is empty")
        return MessageRef(community, str(channel.id), str(sent.id))

    def _partial(self, ref: MessageRef) -> discord.PartialMessage:
        channel = self.client.get_partial_messageable(int(ref.thread or ref.channel))
        return channel.get_partial_message(int(ref.id))

    async def edit(self, ref: MessageRef, message: Message) -> None:
        [part] = render(message, single=True)
        with self.refused("edit", ref.community, ref.thread or ref.channel, message):
            await self._partial(ref).edit(
                content=part.content,
                embeds=part.embeds(),
                view=await self.view_for(part, ref.community),
                allowed_mentions=allowed_mentions(message, part.content),
            )

    async def delete(self, ref: MessageRef) -> None:
        with self.refused("delete", ref.community, ref.thread or ref.channel):
            try:
                await self._partial(ref).delete()
            except discord.NotFound:
                log.info("message %s was already gone", ref.id)

    async def react(self, ref: MessageRef, emoji: str) -> None:
        with self.refused("react", ref.community, ref.thread or ref.channel):
            await self._partial(ref).add_reaction(emoji)

    async def pin(self, ref: MessageRef) -> None:
        with self.refused("pin", ref.community, ref.thread or ref.channel):
            await self._partial(ref).pin()

    async def add_role(self, community: str, user: str, role: str, reason: str) -> None:
        await self._role(community, user, role, reason, add=True)

    async def remove_role(self, community: str, user: str, role: str, reason: str) -> None:
        await self._role(community, user, role, reason, add=False)

    async def _role(self, community: str, user: str, role: str, reason: str, *, add: bool) -> None:
        guild, http = guild_of(community), self.client.http
        call = http.add_role if add else http.remove_role
        try:
            await call(guild, int(user), int(role), reason=reason or None)
        except discord.Forbidden as error:
            fix = self.role_fix(guild, role)
            log.warning("role %s for %s in %s refused (403 %s)", role, user, community, error.code)
            raise PlatformError(f"role: {error.text}", fix=fix, status=403) from error
        except discord.NotFound as error:
            fix = None
            if error.code == UNKNOWN_ROLE:
                fix = self.catalog.text("discord.fix.role_missing", role=f"<@&{role}>")
            log.warning("role %s for %s in %s: not found (%s)", role, user, community, error.code)
            raise PlatformError(f"role: {error.text}", fix=fix, status=404) from error
        except discord.HTTPException as error:
            log.error(
                "role %s for %s in %s failed: %s %s",
                role,
                user,
                community,
                error.status,
                error.text,
            )
            raise PlatformError(f"role: {error.status}", status=error.status) from error

    def role_fix(self, guild_id: int, role_id: str) -> str:
        """Exactly what moderators must change so Hearth can hand out ``role_id``."""
        t, shown = self.catalog.text, f"<@&{role_id}>"
        guild = self.client.get_guild(guild_id)
        if guild is None or guild.me is None:
            return t("discord.fix.role_forbidden", role=shown)
        role = guild.get_role(int(role_id))
        if role is None:
            return t("discord.fix.role_missing", role=shown)
        if role.managed:
            return t("discord.fix.role_managed", role=shown)
        if not guild.me.guild_permissions.manage_roles:
            return t("discord.fix.manage_roles", role=shown)
        if role >= guild.me.top_role:
            return t("discord.fix.role_above", role=shown)
        return t("discord.fix.role_forbidden", role=shown)

    def message_link(self, ref: MessageRef) -> str | None:
        guild = self._guild_or_none(ref.community)
        where = ref.thread or ref.channel
        return None if guild is None else f"https://discord.com/channels/{guild}/{where}/{ref.id}"

    # --- optional hooks -----------------------------------------------------------------------

    def default_welcome_channel(self, community: str) -> str | None:
        """The server's system channel (where Discord itself announces joins)."""
        guild = self.client.get_guild(guild_of(community))
        channel = guild.system_channel if guild is not None else None
        return str(channel.id) if channel is not None else None

    async def is_member(self, community: str, user: str) -> bool | None:
        """Whether ``user`` is a person on the server: the member cache, else the API (404:
        not on it). A bot account is not a person; None when Discord could not be asked."""
        guild_id = self._guild_or_none(community)
        if guild_id is None or not user.isdigit():
            return None
        guild = self.client.get_guild(guild_id)
        member = guild.get_member(int(user)) if guild is not None else None
        if member is not None:
            return not member.bot
        try:
            data = await self.client.http.get_member(guild_id, int(user))
        except discord.NotFound:
            return False
        except discord.HTTPException as error:
            log.warning(
                "is %s on %s? Discord answered %s %s", user, community, error.status, error.text
            )
            return None
        return not data["user"].get("bot", False)

    def check_channel(self, community: str, channel: str, *, post: bool) -> str | None:
        """Why Hearth cannot use ``channel`` (catalog key), from the gateway's cache of the
        server's channels and Hearth's permissions there; None when it can or cannot tell."""
        guild_id = self._guild_or_none(community)
        guild = self.client.get_guild(guild_id) if guild_id is not None else None
        if guild is None or guild.me is None:
            return None
        found = guild.get_channel_or_thread(int(channel)) if channel.isdigit() else None
        if found is None:
            return "core.check.channel_missing"
        not_text = (discord.CategoryChannel, discord.ForumChannel, discord.StageChannel)
        if post and isinstance(found, not_text):
            return "discord.check.channel_not_text"
        allowed = found.permissions_for(guild.me)
        if not allowed.view_channel or not (post or allowed.read_message_history):
            return "discord.check.channel_hidden"
        in_thread = isinstance(found, discord.Thread)
        can_send = allowed.send_messages_in_threads if in_thread else allowed.send_messages
        if post and not (can_send and allowed.embed_links):
            return "discord.check.channel_forbidden"
        return None

    def check_role(self, community: str, role: str, *, grant: bool) -> str | None:
        """Why ``role`` cannot be used (catalog key): missing, @everyone, or, to ``grant``
        it, managed by an integration, above Hearth's top role, or no Manage Roles."""
        guild_id = self._guild_or_none(community)
        guild = self.client.get_guild(guild_id) if guild_id is not None else None
        if guild is None or guild.me is None:
            return None
        found = guild.get_role(int(role)) if role.isdigit() else None
        if found is None:
            return "core.check.role_missing"
        if found.is_default():
            return "core.check.role_everyone"
        if not grant:
            return None
        if found.managed:
            return "discord.check.role_managed"
        if not guild.me.guild_permissions.manage_roles:
            return "discord.check.manage_roles"
        if found >= guild.me.top_role:
            return "discord.check.role_above"
        return None

    def find_channel(self, community: str, name: str) -> str | None:
        guild = self.client.get_guild(guild_of(community))
        if guild is None:
            return None
        wanted = normalize(name.strip().removeprefix("#"))
        for channel in guild.channels:
            if isinstance(channel, discord.CategoryChannel | discord.VoiceChannel):
                continue
            if normalize(channel.name) == wanted:
                return str(channel.id)
        return None
