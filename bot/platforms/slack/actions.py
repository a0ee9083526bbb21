"""``SlackPlatform``: the core's actions as Slack Web API calls.

A ``MessageRef`` on Slack is (community, channel id, ``ts``, ``thread_ts``).
Every refusal becomes a ``PlatformError``; when moderators can fix the cause
(invite the bot, grant a scope, give a role a place) it carries a ``fix``, and
the core tells them once. Rate limits are retried by the client's
``AsyncRateLimitErrorRetryHandler`` (it waits ``Retry-After``); a message is
only given up after those retries, and then it is logged as a refusal.

Roles: a role is a Slack user group (id, handle or name) or a private channel
(its id). A user group is updated with ``usergroups.users.update``; where that
is impossible (free workspace, missing scope) the role falls back to the
channel in ``[slack] role_channels``, to which the person is invited. If neither
works, the grant stays recorded by the cog and moderators get the fix.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.catalog import Catalog
from bot.config import SlackSection
from bot.errors import PlatformError
from bot.messages import Attachment, Message, MessageRef
from bot.platforms.slack.directory import GROUPS_UNAVAILABLE, Directory, is_channel_id
from bot.platforms.slack.mrkdwn import emoji_name, unlisted
from bot.platforms.slack.render import Names, SlackMessage, render, render_one

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Answers to usergroups.users.update after which the role falls back to a channel.
GROUP_REFUSALS = GROUPS_UNAVAILABLE | {"permission_denied", "not_allowed", "no_such_subteam"}


class SlackRefused(PlatformError):
    """Slack answered ``{"ok": false, "error": reason}`` (or an HTTP error status)."""

    def __init__(self, text: str, reason: str, *, fix: str | None, status: int | None) -> None:
        super().__init__(text, fix=fix, status=status)
        self.reason = reason


@dataclass(frozen=True)
class Identity:
    """Who the bot is, from ``auth.test``."""

    team_id: str
    url: str  # https://<domain>.slack.com/
    bot_user_id: str
    bot_id: str
    bot_name: str

    @property
    def community(self) -> str:
        return f"slack:{self.team_id}"


class SlackPlatform:
    name = "slack"
    supports_files = True

    def __init__(
        self,
        client: AsyncWebClient,
        identity: Identity,
        directory: Directory,
        settings: SlackSection,
        catalog: Catalog,
    ) -> None:
        self.client = client
        self.identity = identity
        self.directory = directory
        self.settings = settings
        self.catalog = catalog

    # --- errors ------------------------------------------------------------------------

    async def call(self, what: str, request: Awaitable[T], *, channel: str = "") -> T:
        """Await a Web API ``request``; a refusal becomes a PlatformError (with a fix when
        moderators can make one, e.g. invite the bot to ``channel``)."""
        try:
            return await request
        except SlackApiError as error:
            reason = str(error.response.get("error") or error.response.status_code)
            raise SlackRefused(
                f"Slack refused {what}: {reason}",
                reason,
                fix=self._fix(reason, error.response, channel),
                status=error.response.status_code,
            ) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise PlatformError(f"Slack could not be reached for {what}: {error!r}") from None

    def _fix(self, reason: str, response: Any, channel: str) -> str | None:
        t = self.catalog.text
        if reason in ("not_in_channel", "channel_not_found") and channel:
            return t("slack.fix.not_in_channel", channel=channel, bot=self.identity.bot_name)
        if reason == "is_archived" and channel:
            return t("slack.fix.archived", channel=channel)
        if reason == "missing_scope":
            return t("slack.fix.missing_scope", scope=response.get("needed") or "?")
        return None

    # --- rendering ---------------------------------------------------------------------

    async def names_for(self, message: Message) -> Names:
        """Names of the people and groups ``message`` shows without pinging."""
        texts = [message.text, message.footer or "", *(f.value for f in message.fields)]
        users: set[str] = set()
        groups: set[str] = set()
        for text in texts:
            more_users, more_groups = unlisted(text, message.mentions, message.role_mentions)
            users |= more_users
            groups |= more_groups
        names = await self.directory.names(users) if users else {}
        if groups and not set(self.directory.group_names()) >= groups:
            await self.directory.usergroups()
        return Names(users=names, groups=self.directory.group_names())

    async def render(self, message: Message) -> list[SlackMessage]:
        return render(message, await self.names_for(message))

    # --- Platform ----------------------------------------------------------------------

    async def send(
        self, community: str, channel: str, message: Message, *, thread: str | None = None
    ) -> MessageRef:
        first: MessageRef | None = None
        for part in await self.render(message):
            answer = await self.call(
                "chat.postMessage",
                self.client.chat_postMessage(
                    channel=channel,
                    text=part.text,
                    blocks=part.blocks,
                    thread_ts=thread,
                    unfurl_links=False,
                ),
                channel=channel,
            )
            first = first or MessageRef(community, answer["channel"], answer["ts"], thread)
        if message.attachments:
            await self.upload(channel, message.attachments, thread=thread)
        if first is None:
            if not message.attachments:
                raise PlatformError("Hearth tried to send an empty message")
            first = MessageRef(community, channel, "", thread)
        return first

    async def dm_channel(self, user: str) -> str:
        answer = await self.call("conversations.open", self.client.conversations_open(users=user))
        return str(answer["channel"]["id"])

    async def send_dm(self, community: str, user: str, message: Message) -> MessageRef:
        return await self.send(community, await self.dm_channel(user), message)

    async def send_ephemeral(
        self, channel: str, user: str, message: Message, *, thread: str | None = None
    ) -> None:
        """A message only ``user`` sees, in ``channel`` (``chat.postEphemeral``)."""
        for part in await self.render(message):
            await self.call(
                "chat.postEphemeral",
                self.client.chat_postEphemeral(
                    channel=channel, user=user, text=part.text, blocks=part.blocks, thread_ts=thread
                ),
                channel=channel,
            )

    async def upload(
        self, channel: str, attachments: tuple[Attachment, ...], *, thread: str | None = None
    ) -> None:
        uploads = [
            {"content": a.data, "filename": a.filename, "title": a.description or a.filename}
            for a in attachments
        ]
        await self.call(
            "files.uploadV2",
            self.client.files_upload_v2(file_uploads=uploads, channel=channel, thread_ts=thread),
            channel=channel,
        )

    async def edit(self, ref: MessageRef, message: Message) -> None:
        part = render_one(message, await self.names_for(message))
        if part is None:
            raise PlatformError("Hearth tried to edit a message into an empty one")
        await self.call(
            "chat.update",
            self.client.chat_update(
                channel=ref.channel, ts=ref.id, text=part.text, blocks=part.blocks
            ),
            channel=ref.channel,
        )

    async def delete(self, ref: MessageRef) -> None:
        try:
            await self.call("chat.delete", self.client.chat_delete(channel=ref.channel, ts=ref.id))
        except SlackRefused as error:
            if error.reason != "message_not_found":
                raise

    async def react(self, ref: MessageRef, emoji: str) -> None:
        name = emoji_name(emoji)
        if name is None:
            raise PlatformError(f"no Slack name for the emoji {emoji!r}")
        try:
            await self.call(
                "reactions.add",
                self.client.reactions_add(channel=ref.channel, timestamp=ref.id, name=name),
                channel=ref.channel,
            )
        except SlackRefused as error:
            if error.reason != "already_reacted":
                raise

    async def pin(self, ref: MessageRef) -> None:
        try:
            await self.call(
                "pins.add",
                self.client.pins_add(channel=ref.channel, timestamp=ref.id),
                channel=ref.channel,
            )
        except SlackRefused as error:
            if error.reason != "already_pinned":
                raise

    def message_link(self, ref: MessageRef) -> str | None:
        """The archive URL Slack's ``chat.getPermalink`` would give, built without a call."""
        if not ref.id:
            return None
        link = f"{self.identity.url.rstrip('/')}/archives/{ref.channel}/p{ref.id.replace('.', '')}"
        if ref.thread and ref.thread != ref.id:
            link += f"?thread_ts={ref.thread}&cid={ref.channel}"
        return link

    # --- optional hooks (see Bot.default_welcome_channel, find_channel, is_member) ---

    async def default_welcome_channel(self, community: str) -> str | None:
        return await self.directory.general_channel()

    async def find_channel(self, community: str, name: str) -> str | None:
        return await self.directory.find_channel(name)

    async def is_member(self, community: str, user: str) -> bool | None:
        return await self.directory.is_member(user, community.removeprefix("slack:"))

    # --- checks of what moderators pick ----------------------------------------------

    async def check_channel(self, community: str, channel: str, *, post: bool) -> str | None:
        """Why Hearth cannot use ``channel`` (catalog key): missing (or private without
        Hearth), archived, or Hearth not in it where it must be (to read it, or to post in
        a private one; public channels take posts through ``chat:write.public``)."""
        try:
            answer = await self.call(
                "conversations.info", self.client.conversations_info(channel=channel)
            )
        except SlackRefused as error:
            return "slack.check.channel_missing" if error.reason == "channel_not_found" else None
        except PlatformError:
            return None
        info = answer.get("channel") or {}
        if info.get("is_archived"):
            return "slack.check.archived"
        if not info.get("is_member") and (not post or info.get("is_private")):
            return "slack.check.not_in_channel"
        return None

    async def check_role(self, community: str, role: str, *, grant: bool) -> str | None:
        """Why ``role`` cannot be used (catalog key). A role is a user group, or a private
        channel (by id, or mapped in ``[slack] role_channels``) that Hearth must be in."""
        if is_channel_id(role):
            problem = await self.check_channel(community, role, post=False)
            if problem == "slack.check.not_in_channel":
                return "slack.check.role_channel"
            return problem
        groups = await self.directory.usergroups()
        group = await self.directory.usergroup(role)
        if group is not None:
            return None
        mapped = self.settings.role_channels.get(role)
        if mapped:
            return await self.check_role(community, mapped, grant=grant)
        if groups is None:  # no user groups here: only a private channel can be the role
            return "slack.check.role_unavailable" if grant else None
        return "core.check.role_missing"

    # --- roles -------------------------------------------------------------------------

    async def add_role(self, community: str, user: str, role: str, reason: str) -> None:
        await self._change_role(user, role, add=True)

    async def remove_role(self, community: str, user: str, role: str, reason: str) -> None:
        await self._change_role(user, role, add=False)

    async def _change_role(self, user: str, role: str, *, add: bool) -> None:
        if is_channel_id(role):
            await self._channel_role(role, role, user, add=add)
            return
        group = await self.directory.usergroup(role)
        if group is not None:
            try:
                await self._group_role(group, role, user, add=add)
                return
            except SlackRefused as error:
                if error.reason not in GROUP_REFUSALS:
                    raise
                log.info("user group %s cannot be changed (%s): trying a channel", role, error)
        channel = self.settings.role_channels.get(role)
        if channel is None and group is not None:
            channel = self.settings.role_channels.get(group.get("handle", "")) or (
                self.settings.role_channels.get(group["id"])
            )
        if channel:
            await self._channel_role(channel, role, user, add=add)
            return
        raise PlatformError(
            f"no user group or private channel for the role {role}",
            fix=self.catalog.text("slack.fix.role_unavailable", role=role),
        )

    async def _group_role(self, group: dict[str, Any], role: str, user: str, *, add: bool) -> None:
        members = set(group.get("users") or [])
        wanted = members | {user} if add else members - {user}
        if wanted == members:
            return
        if not wanted:
            raise PlatformError(
                f"user group {role} cannot be emptied",
                fix=self.catalog.text("slack.fix.group_empty", role=role),
            )
        answer = await self.call(
            "usergroups.users.update",
            self.client.usergroups_users_update(usergroup=group["id"], users=sorted(wanted)),
        )
        group["users"] = list((answer.get("usergroup") or {}).get("users") or sorted(wanted))

    async def _channel_role(self, channel: str, role: str, user: str, *, add: bool) -> None:
        call = (
            self.client.conversations_invite(channel=channel, users=user)
            if add
            else self.client.conversations_kick(channel=channel, user=user)
        )
        try:
            await self.call("conversations.invite" if add else "conversations.kick", call)
        except SlackRefused as error:
            if error.reason == "already_in_channel" or (
                error.reason == "not_in_channel" and not add
            ):
                return
            if error.reason in ("not_in_channel", "channel_not_found"):
                raise PlatformError(
                    str(error),
                    fix=self.catalog.text("slack.fix.role_channel", channel=channel, role=role),
                ) from None
            raise
