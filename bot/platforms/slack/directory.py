"""What the adapter knows about a workspace's people, channels and user groups.

``users.info`` answers are cached for a short while (``ttl``, five minutes), so
a moderator who loses admin rights loses moderator commands within minutes, and
a busy channel does not cost one API call per message. User groups and channel
members are cached the same way. Expiry follows the bot's clock.

The core's resolvers are synchronous: they read only these caches. With
``should_escape`` on (the manifest sets it), Slack sends mentions in slash
commands as ids anyway; the caches cover people who type a plain ``@name``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.interactions import Resolvers
from bot.platforms.slack.mrkdwn import CHANNEL_ID

log = logging.getLogger(__name__)

TTL = timedelta(minutes=5)
_CHANNEL_TOKEN = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
#: Answers meaning "this workspace or token cannot use user groups".
GROUPS_UNAVAILABLE = {
    "paid_teams_only",
    "not_allowed_token_type",
    "missing_scope",
    "team_added_to_org",
}


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    is_admin: bool = False
    is_bot: bool = False
    deleted: bool = False
    teams: tuple[str, ...] = ()  # the workspaces they belong to (several on Enterprise Grid)


def is_channel_id(value: str) -> bool:
    return bool(CHANNEL_ID.fullmatch(value))


def user_from_api(data: dict[str, Any]) -> SlackUser:
    profile = data.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or data.get("real_name")
    grid = (data.get("enterprise_user") or {}).get("teams") or []
    return SlackUser(
        id=data["id"],
        name=name or data.get("name") or data["id"],
        is_admin=bool(data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner")),
        is_bot=bool(data.get("is_bot") or data.get("is_app_user")),
        deleted=bool(data.get("deleted")),
        teams=tuple(t for t in [data.get("team_id"), *grid] if t),
    )


class Directory:
    def __init__(self, client: AsyncWebClient, clock: Clock, ttl: timedelta = TTL) -> None:
        self.client = client
        self.clock = clock
        self.ttl = ttl
        self._users: dict[str, tuple[datetime, SlackUser]] = {}
        self._names: dict[str, str] = {}  # every name ever seen, for resolving and showing
        self._channels: dict[str, str] = {}  # name -> id
        self._groups: tuple[datetime, list[dict[str, Any]] | None] | None = None
        self._members: dict[str, tuple[datetime, set[str]]] = {}
        self._scanned: datetime | None = None
        self._general: str | None = None

    def _fresh(self, fetched: datetime) -> bool:
        return self.clock.now() - fetched < self.ttl

    # --- people ------------------------------------------------------------------------

    def remember(self, user: SlackUser) -> None:
        self._users[user.id] = (self.clock.now(), user)
        self._names[user.id] = user.name

    def remember_name(self, user_id: str, name: str) -> None:
        if name:
            self._names.setdefault(user_id, name)

    def name_of(self, user_id: str) -> str | None:
        return self._names.get(user_id)

    async def user(self, user_id: str) -> SlackUser:
        """The person, from the cache or ``users.info``; a bare id when Slack will not say."""
        cached = self._users.get(user_id)
        if cached is not None and self._fresh(cached[0]):
            return cached[1]
        try:
            answer = await self.client.users_info(user=user_id)
        except SlackApiError as error:
            log.warning("users.info %s failed: %s", user_id, error.response.get("error"))
            return SlackUser(user_id, self._names.get(user_id, user_id))
        found = user_from_api(answer["user"])
        self.remember(found)
        return found

    async def is_member(self, user_id: str, team: str) -> bool | None:
        """Whether ``user_id`` is a person in workspace ``team``: not deactivated, not a bot,
        not from another workspace. ``users.info``, cached like the admin rights; None when
        Slack will not say."""
        cached = self._users.get(user_id)
        if cached is None or not self._fresh(cached[0]):
            try:
                answer = await self.client.users_info(user=user_id)
            except SlackApiError as error:
                reason = error.response.get("error")
                if reason == "user_not_found":
                    return False
                log.warning("users.info %s failed: %s", user_id, reason)
                return None
            self.remember(user_from_api(answer["user"]))
            cached = self._users[user_id]
        user = cached[1]
        return not (user.deleted or user.is_bot) and (not user.teams or team in user.teams)

    async def names(self, user_ids: set[str]) -> dict[str, str]:
        for user_id in user_ids - set(self._names):
            await self.user(user_id)
        return {u: self._names.get(u, u) for u in user_ids}

    # --- channels ----------------------------------------------------------------------

    def remember_channel(self, channel_id: str, name: str) -> None:
        if name and channel_id:
            self._channels[name] = channel_id

    async def _scan_channels(self) -> None:
        """Learn the public channels' names (``conversations.list``), at most once per ttl."""
        if self._scanned is not None and self._fresh(self._scanned):
            return
        self._scanned = self.clock.now()
        cursor = ""
        try:
            while True:
                page = await self.client.conversations_list(
                    types="public_channel", exclude_archived=True, cursor=cursor or None, limit=200
                )
                for channel in page.get("channels") or []:
                    self.remember_channel(channel["id"], channel.get("name", ""))
                    if channel.get("is_general"):
                        self._general = channel["id"]
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
                if not cursor:
                    break
        except SlackApiError as error:
            log.warning("conversations.list failed: %s", error.response.get("error"))

    async def find_channel(self, name: str) -> str | None:
        """The id of the public channel ``name`` (``#`` optional)."""
        name = name.removeprefix("#")
        if name not in self._channels:
            await self._scan_channels()
        return self._channels.get(name)

    async def general_channel(self) -> str | None:
        """The workspace's #general (every member is in it)."""
        if self._general is None:
            await self._scan_channels()
        return self._general

    async def channel_members(self, channel: str) -> set[str]:
        cached = self._members.get(channel)
        if cached is not None and self._fresh(cached[0]):
            return cached[1]
        members: set[str] = set()
        cursor = ""
        try:
            while True:
                page = await self.client.conversations_members(
                    channel=channel, cursor=cursor or None, limit=200
                )
                members.update(page.get("members") or [])
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
                if not cursor:
                    break
        except SlackApiError as error:
            log.warning("conversations.members %s failed: %s", channel, error.response.get("error"))
        self._members[channel] = (self.clock.now(), members)
        return members

    # --- user groups -------------------------------------------------------------------

    async def usergroups(self, *, refresh: bool = False) -> list[dict[str, Any]] | None:
        """Every user group with its members; None when the workspace has none to offer."""
        if self._groups is not None and self._fresh(self._groups[0]) and not refresh:
            return self._groups[1]
        groups: list[dict[str, Any]] | None
        try:
            answer = await self.client.usergroups_list(include_users=True)
            groups = list(answer.get("usergroups") or [])
        except SlackApiError as error:
            reason = error.response.get("error")
            if reason not in GROUPS_UNAVAILABLE:
                log.warning("usergroups.list failed: %s", reason)
            groups = None
        self._groups = (self.clock.now(), groups)
        return groups

    async def usergroup(self, role: str) -> dict[str, Any] | None:
        """The user group ``role`` names (by id, handle or name)."""
        wanted = role.removeprefix("@").casefold()
        for group in await self.usergroups() or []:
            if wanted in (group["id"].casefold(), group.get("handle", "").casefold()) or (
                wanted == group.get("name", "").casefold()
            ):
                return group
        return None

    def group_names(self) -> dict[str, str]:
        groups = self._groups[1] if self._groups else None
        return {g["id"]: g.get("handle") or g.get("name") or g["id"] for g in groups or []}

    # --- resolvers for plain @name / #name --------------------------------------------

    def resolvers(self) -> Resolvers:
        def user(token: str) -> str | None:
            wanted = token.removeprefix("@").casefold()
            return next((u for u, n in self._names.items() if n.casefold() == wanted), None)

        def channel(token: str) -> str | None:
            return self._channels.get(token.removeprefix("#"))

        def role(token: str) -> str | None:
            if found := _CHANNEL_TOKEN.match(token):  # a private channel used as a role
                return found.group(1)
            if token.startswith("#"):
                return channel(token)
            wanted = token.removeprefix("@").casefold()
            groups = self._groups[1] if self._groups else None
            for group in groups or []:
                if wanted in (group.get("handle", "").casefold(), group.get("name", "").casefold()):
                    return str(group["id"])
            return None

        return Resolvers(user=user, channel=channel, role=role)
