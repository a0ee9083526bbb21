"""The fake Discord's in-memory world and the JSON payloads built from it.

Everything is stored in Discord's own JSON shapes (dicts with string ids), so
the REST routes and gateway dispatches can hand them out with little work.
Builders (``add_*``) change the model only; they never talk to a connected
client. Call them before the client connects (GUILD_CREATE then carries
them), or use the dispatch methods of ``FakeDiscord`` to tell the client.

Wherever a builder takes a user, it accepts either a known user id or a new
name, for which a user is created (``add_member(g, "alice")``).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

import discord

JSON = dict[str, Any]
DISCORD_EPOCH_MS = 1_420_070_400_000
EPHEMERAL = 1 << 6
LOADING = 1 << 7

#: What the bot's managed role grants unless ``add_guild(bot_permissions=...)`` says otherwise.
DEFAULT_BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    create_public_threads=True,
    manage_threads=True,
    manage_messages=True,
    manage_roles=True,
    embed_links=True,
    attach_files=True,
    add_reactions=True,
    read_message_history=True,
    use_application_commands=True,
).value
DEFAULT_EVERYONE_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    read_message_history=True,
    add_reactions=True,
    use_application_commands=True,
).value


class ChannelType(IntEnum):
    TEXT = 0
    DM = 1
    CATEGORY = 4
    NEWS = 5
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    FORUM = 15


THREAD_TYPES = (10, ChannelType.PUBLIC_THREAD, ChannelType.PRIVATE_THREAD)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


class ApiError(Exception):
    """Raised by route handlers; answered as Discord's JSON error body."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class DiscordModel:
    """Users, guilds (roles, members, channels, threads), messages and commands."""

    def __init__(self, *, bot_name: str = "Hearth", application_id: str | None = None) -> None:
        self._last_id = 0
        self.users: dict[str, JSON] = {}
        #: guild id -> {"id", "name", "owner_id", "bot_role_id", "roles": {id: role},
        #: "members": {user id: member without "user"}}
        self.guilds: dict[str, JSON] = {}
        #: Every channel, thread and DM channel, by id (with "guild_id" when in a guild).
        self.channels: dict[str, JSON] = {}
        self.messages: dict[str, JSON] = {}
        #: message id -> emoji ("👍" or "name:id") -> ids of users who reacted.
        self.reactions: dict[str, dict[str, set[str]]] = {}
        #: None (global) or guild id -> registered application commands.
        self.commands: dict[str | None, list[JSON]] = {}
        self.bot_id = self.add_user(bot_name, bot=True)
        self.app_owner_id = self.add_user(f"{bot_name} developer")
        self.application_id = application_id or self.new_id()

    # ---------------------------------------------------------------- builders
    def new_id(self) -> str:
        """A unique snowflake whose timestamp is now (discord.py reads created_at from it)."""
        stamp = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last_id = max(stamp, self._last_id + 1)
        return str(self._last_id)

    def add_user(self, name: str, *, bot: bool = False, user_id: str | None = None) -> str:
        uid = user_id or self.new_id()
        self.users[uid] = {
            "id": uid,
            "username": name,
            "global_name": name,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
            "public_flags": 0,
        }
        return uid

    def user_id(self, user: str) -> str:
        """A known user id as is; anything else is a name for a new user."""
        return user if user in self.users else self.add_user(user)

    def add_guild(
        self,
        name: str = "Hearth Test",
        *,
        bot_role_position: int = 10,
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS,
        owner: str | None = None,
    ) -> str:
        """A guild with @everyone (id = guild id), the bot's managed role and the bot as member."""
        gid = self.new_id()
        owner_id = self.user_id(owner) if owner else self.add_user(f"{name} owner")
        guild = {"id": gid, "name": name, "owner_id": owner_id, "roles": {}, "members": {}}
        self.guilds[gid] = guild
        guild["roles"][gid] = self._role(gid, "@everyone", 0, everyone_permissions)
        bot_role = self.add_role(
            gid, self.users[self.bot_id]["username"], position=bot_role_position,
            permissions=bot_permissions, managed=True,
        )  # fmt: skip
        guild["roles"][bot_role]["tags"] = {"bot_id": self.bot_id}
        guild["bot_role_id"] = bot_role
        self.add_member(gid, self.bot_id, roles=[bot_role])
        if owner_id not in guild["members"]:
            self.add_member(gid, owner_id)
        return gid

    def _role(self, rid: str, name: str, position: int, permissions: int, **extra: Any) -> JSON:
        return {
            "id": rid, "name": name, "position": position, "permissions": str(permissions),
            "color": 0, "colors": {"primary_color": 0}, "hoist": False, "managed": False,
            "mentionable": False, "icon": None, "unicode_emoji": None, "flags": 0, **extra,
        }  # fmt: skip

    def add_role(
        self,
        guild: str,
        name: str,
        *,
        position: int = 1,
        permissions: int = 0,
        color: int = 0,
        hoist: bool = False,
        mentionable: bool = False,
        managed: bool = False,
    ) -> str:
        """A role; ``position`` defaults to 1, just above @everyone, as Discord does."""
        rid = self.new_id()
        self.guilds[guild]["roles"][rid] = self._role(
            rid, name, position, permissions, color=color, hoist=hoist,
            mentionable=mentionable, managed=managed, colors={"primary_color": color},
        )  # fmt: skip
        return rid

    def add_member(
        self,
        guild: str,
        user: str,
        *,
        pending: bool = False,
        roles: list[str] | tuple[str, ...] = (),
        nick: str | None = None,
    ) -> str:
        """Make a user (id or new name) a member of ``guild``; returns the user id."""
        uid = self.user_id(user)
        self.guilds[guild]["members"][uid] = {
            "roles": list(roles), "nick": nick, "pending": pending, "joined_at": now_iso(),
            "flags": 0, "deaf": False, "mute": False, "avatar": None, "premium_since": None,
            "communication_disabled_until": None,
        }  # fmt: skip
        return uid

    def add_channel(
        self,
        guild: str,
        name: str,
        *,
        type: int = ChannelType.TEXT,
        parent: str | None = None,
        position: int | None = None,
        topic: str | None = None,
        **extra: Any,
    ) -> str:
        """A guild channel (text by default; ``type=ChannelType.FORUM`` for a forum)."""
        cid = self.new_id()
        siblings = [c for c in self.channels.values() if c.get("guild_id") == guild]
        self.channels[cid] = {
            "id": cid, "type": int(type), "guild_id": guild, "name": name,
            "position": len(siblings) if position is None else position, "parent_id": parent,
            "topic": topic, "nsfw": False, "rate_limit_per_user": 0, "last_message_id": None,
            "permission_overwrites": [], "flags": 0, **extra,
        }  # fmt: skip
        return cid

    def add_forum(self, guild: str, name: str, *, tags: tuple[str, ...] = ()) -> str:
        """A forum channel; ``tags`` become its available tags (see ``forum_tag_id``)."""
        available = [
            {
                "id": self.new_id(),
                "name": t,
                "moderated": False,
                "emoji_id": None,
                "emoji_name": None,
            }
            for t in tags
        ]
        return self.add_channel(guild, name, type=ChannelType.FORUM, available_tags=available)

    def forum_tag_id(self, forum: str, name: str) -> str:
        return next(t["id"] for t in self.channels[forum]["available_tags"] if t["name"] == name)

    def add_thread(
        self,
        parent: str,
        name: str,
        *,
        owner: str | None = None,
        thread_id: str | None = None,
        type: int = ChannelType.PUBLIC_THREAD,
        applied_tags: list[str] | tuple[str, ...] = (),
    ) -> str:
        """A thread under a text or forum channel (a forum post's id is its first message's)."""
        tid = thread_id or self.new_id()
        self.channels[tid] = {
            "id": tid, "type": int(type), "guild_id": self.channels[parent]["guild_id"],
            "parent_id": parent, "owner_id": self.user_id(owner) if owner else self.bot_id,
            "name": name, "last_message_id": None, "message_count": 0, "member_count": 1,
            "rate_limit_per_user": 0, "flags": 0, "applied_tags": list(applied_tags),
            "thread_metadata": {
                "archived": False, "auto_archive_duration": 1440, "locked": False,
                "archive_timestamp": now_iso(), "create_timestamp": now_iso(),
            },
        }  # fmt: skip
        return tid

    def add_dm_channel(self, user: str) -> str:
        """The bot's DM channel with ``user`` (created once)."""
        uid = self.user_id(user)
        for channel in self.channels.values():
            if channel["type"] == ChannelType.DM and channel["recipients"][0]["id"] == uid:
                return channel["id"]
        cid = self.new_id()
        self.channels[cid] = {
            "id": cid, "type": int(ChannelType.DM), "last_message_id": None,
            "recipients": [self.users[uid]],
        }  # fmt: skip
        return cid

    def add_message(
        self,
        channel: str,
        author: str,
        content: str = "",
        *,
        reply_to: str | None = None,
        mentions: list[str] | tuple[str, ...] = (),
        message_id: str | None = None,
        **fields: Any,
    ) -> str:
        """Store a message (not dispatched). ``fields`` override payload keys (embeds, ...)."""
        mid = message_id or self.new_id()
        chan = self.channels[channel]
        message = {
            "id": mid, "channel_id": channel, "type": 0, "content": content,
            "author": self.users[self.user_id(author)], "timestamp": now_iso(),
            "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [self.users[self.user_id(u)] for u in mentions], "mention_roles": [],
            "attachments": [], "embeds": [], "components": [], "pinned": False, "flags": 0,
        }  # fmt: skip
        if chan.get("guild_id"):
            message["guild_id"] = chan["guild_id"]
        if reply_to:
            message["type"] = 19
            ref = self.message_ref(self.messages[reply_to])
            ref["message_id"] = ref.pop("id")
            message["message_reference"] = {"type": 0, **ref}
            message["referenced_message"] = self.messages[reply_to]
        message.update(fields)
        self.messages[mid] = message
        chan["last_message_id"] = mid
        if "message_count" in chan:
            chan["message_count"] += 1
        return mid

    # -------------------------------------------------------------- look-ups
    def get(self, table: dict[str, JSON], key: str, code: int, what: str) -> JSON:
        try:
            return table[key]
        except KeyError:
            raise ApiError(404, code, f"Unknown {what}") from None

    def guild(self, gid: str) -> JSON:
        return self.get(self.guilds, gid, 10004, "Guild")

    def channel(self, cid: str) -> JSON:
        return self.get(self.channels, cid, 10003, "Channel")

    def message(self, mid: str) -> JSON:
        return self.get(self.messages, mid, 10008, "Message")

    def member(self, gid: str, uid: str) -> JSON:
        return self.get(self.guild(gid)["members"], uid, 10007, "Member")

    def role(self, gid: str, rid: str) -> JSON:
        return self.get(self.guild(gid)["roles"], rid, 10011, "Role")

    # -------------------------------------------------------------- payloads
    def member_payload(self, gid: str, uid: str, *, permissions: bool = False) -> JSON:
        payload = {**self.member(gid, uid), "user": self.users[uid]}
        if permissions:
            payload["permissions"] = str(self.permissions(gid, uid))
        return payload

    def permissions(self, gid: str, uid: str) -> int:
        guild = self.guilds[gid]
        if uid == guild["owner_id"]:
            return discord.Permissions.all().value
        value = 0
        for rid in [gid, *guild["members"][uid]["roles"]]:
            value |= int(guild["roles"][rid]["permissions"])
        return discord.Permissions.all().value if value & (1 << 3) else value

    def top_role_position(self, gid: str, uid: str) -> int:
        guild = self.guilds[gid]
        return max(guild["roles"][r]["position"] for r in [gid, *guild["members"][uid]["roles"]])

    def channel_payload(self, cid: str, *, permissions_for: str | None = None) -> JSON:
        payload = dict(self.channels[cid])
        if permissions_for and payload.get("guild_id"):
            payload["permissions"] = str(self.permissions(payload["guild_id"], permissions_for))
        return payload

    def guild_payload(self, gid: str) -> JSON:
        """GUILD_CREATE: roles, channels, threads and every member (so no chunk request)."""
        guild = self.guilds[gid]
        channels = [c for c in self.channels.values() if c.get("guild_id") == gid]
        return {
            "id": gid, "name": guild["name"], "owner_id": guild["owner_id"], "icon": None,
            "unavailable": False, "large": False, "member_count": len(guild["members"]),
            "roles": list(guild["roles"].values()),
            "channels": [c for c in channels if c["type"] not in THREAD_TYPES],
            "threads": [c for c in channels if c["type"] in THREAD_TYPES],
            "members": [self.member_payload(gid, uid) for uid in guild["members"]],
            "joined_at": guild["members"][self.bot_id]["joined_at"], "features": [],
            "emojis": [], "stickers": [], "voice_states": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
            "preferred_locale": "en-US", "premium_tier": 0, "verification_level": 0,
            "default_message_notifications": 0, "explicit_content_filter": 0, "mfa_level": 0,
            "nsfw_level": 0, "afk_timeout": 300, "system_channel_id": None, "description": None,
        }  # fmt: skip

    def message_ref(self, message: JSON) -> JSON:
        """``id``, ``channel_id`` and, in a guild only, ``guild_id`` (discord.py rejects null)."""
        ref = {"id": message["id"], "channel_id": message["channel_id"]}
        return {**ref, "guild_id": message["guild_id"]} if message.get("guild_id") else ref

    def message_event(self, mid: str) -> JSON:
        """A stored message as MESSAGE_CREATE/UPDATE carry it: with author and mention members."""
        message = dict(self.messages[mid])
        gid = message.get("guild_id")
        if gid:
            members = self.guilds[gid]["members"]
            if message["author"]["id"] in members and not message.get("webhook_id"):
                message["member"] = members[message["author"]["id"]]
            message["mentions"] = [
                {**u, "member": members[u["id"]]} if u["id"] in members else u
                for u in message["mentions"]
            ]
        return message

    def mentions_in(self, content: str, allowed: JSON | None) -> list[JSON]:
        """Users mentioned by ``<@id>`` in ``content`` that ``allowed_mentions`` lets ping."""
        ids = [i for i in re.findall(r"<@!?(\d+)>", content or "") if i in self.users]
        if allowed is not None and "users" not in allowed.get("parse", []):
            ids = [i for i in ids if i in allowed.get("users", [])]
        return [self.users[i] for i in dict.fromkeys(ids)]
