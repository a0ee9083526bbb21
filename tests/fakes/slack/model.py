"""The state of a fake Slack workspace: team, bot, users, channels, user groups, messages.

Objects are stored in Slack's own JSON shapes (plain dicts), so the Web API methods and the
payload builders can hand them out as they are. Covered: what Hearth's Slack adapter reads.
Not covered: Enterprise Grid, shared channels, profiles beyond names/flags/tz, file objects
beyond id/name/title, channel archiving, message threads as a structure (a reply is just a
stored message with `thread_ts`).
"""

from __future__ import annotations

import itertools
import time
from typing import Any

JSON = dict[str, Any]


class Workspace:
    """One workspace. Ids are made up but have Slack's prefixes (U, C, G, D, S, F, B, A)."""

    def __init__(
        self,
        *,
        team_id: str = "T0000TEAM",
        team_name: str = "Hearth Test",
        team_domain: str = "hearth-test",
        bot_user_id: str = "U0000BOT",
        bot_id: str = "B0000BOT",
        bot_name: str = "hearth",
        app_id: str = "A0000APP",
        usergroups_enabled: bool = True,
    ) -> None:
        self.team_id, self.team_name, self.team_domain = team_id, team_name, team_domain
        self.bot_user_id, self.bot_id, self.bot_name, self.app_id = (
            bot_user_id,
            bot_id,
            bot_name,
            app_id,
        )
        # False behaves like a free workspace: usergroups.* answer "paid_teams_only".
        self.usergroups_enabled = usergroups_enabled
        self.users: dict[str, JSON] = {}
        self.channels: dict[str, JSON] = {}
        self.usergroups: dict[str, JSON] = {}
        # (channel id, ts) -> message; insertion order is posting order.
        self.messages: dict[tuple[str, str], JSON] = {}
        self.files: dict[str, JSON] = {}
        self.home_views: dict[str, JSON] = {}  # user id -> last published App Home view
        self.opened_views: list[JSON] = []  # views.open, in order
        self._ids = itertools.count(1)
        self._ts_base = int(time.time())
        self._ts_seq = itertools.count(1)
        self.add_user(bot_user_id, bot_name, is_bot=True, bot_id=bot_id)
        self.general = self.add_channel("general", channel_id="C0GENERAL", members=[bot_user_id])

    # ---- ids and timestamps ----

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08X}"

    def next_ts(self) -> str:
        """A fresh, strictly increasing message timestamp like `1700000000.000001`."""
        return f"{self._ts_base}.{next(self._ts_seq):06d}"

    # ---- model building ----

    def add_user(
        self,
        user_id: str | None = None,
        name: str = "user",
        *,
        real_name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        tz: str = "Europe/Paris",
        **extra: Any,
    ) -> JSON:
        user_id = user_id or self.new_id("U")
        real_name = real_name or name.title()
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "deleted": deleted,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "is_bot": is_bot,
            "is_app_user": False,
            "profile": {"real_name": real_name, "display_name": name, "team": self.team_id},
            **extra,
        }
        self.users[user_id] = user
        return user

    def add_channel(
        self,
        name: str,
        *,
        channel_id: str | None = None,
        is_private: bool = False,
        members: list[str] | None = None,
        **extra: Any,
    ) -> JSON:
        channel_id = channel_id or self.new_id("G" if is_private else "C")
        channel = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_private,
            "is_group": is_private,
            "is_im": False,
            "is_mpim": False,
            "is_private": is_private,
            "is_archived": False,
            "is_general": name == "general",
            "is_member": self.bot_user_id in (members or []),
            "context_team_id": self.team_id,
            "created": self._ts_base,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "members": list(members or []),  # not in real channel objects; see channel_info()
            **extra,
        }
        self.channels[channel_id] = channel
        return channel

    def open_dm(self, user_ids: list[str]) -> JSON:
        """The DM (one other user) or group DM with these users, created on first use."""
        others = sorted(set(user_ids) - {self.bot_user_id})
        for ch in self.channels.values():
            if (ch["is_im"] or ch["is_mpim"]) and sorted(
                set(ch["members"]) - {self.bot_user_id}
            ) == others:
                return ch
        is_im = len(others) == 1
        channel = self.add_channel(
            "" if is_im else "mpdm-" + "--".join(others),
            channel_id=self.new_id("D" if is_im else "G"),
            is_private=True,
            members=[self.bot_user_id, *others],
        )
        channel.update(is_im=is_im, is_mpim=not is_im, is_group=False, is_private=not is_im)
        if is_im:
            channel["user"] = others[0]
        return channel

    def add_usergroup(
        self, handle: str, *, name: str | None = None, users: list[str] | None = None
    ) -> JSON:
        group = {
            "id": self.new_id("S"),
            "team_id": self.team_id,
            "is_usergroup": True,
            "name": name or handle.title(),
            "handle": handle,
            "description": "",
            "date_delete": 0,
            "users": list(users or []),
            "user_count": len(users or []),
        }
        self.usergroups[group["id"]] = group
        return group

    def add_message(
        self,
        channel: str,
        text: str,
        *,
        user: str | None = None,
        ts: str | None = None,
        thread_ts: str | None = None,
        **extra: Any,
    ) -> JSON:
        """Store a message (by a person unless `user` is the bot) and return it."""
        ts = ts or self.next_ts()
        message: JSON = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "team": self.team_id,
        }
        if user == self.bot_user_id:
            message.update(bot_id=self.bot_id, app_id=self.app_id)
        if thread_ts:
            message["thread_ts"] = thread_ts
        message.update(extra)
        self.messages[(channel, ts)] = message
        return message

    # ---- lookups ----

    def channel_info(self, channel_id: str) -> JSON:
        """A channel object as the API returns it (without the member list)."""
        channel = self.channels[channel_id]
        info = {k: v for k, v in channel.items() if k != "members"}
        if not channel["is_im"] and not channel["is_mpim"]:
            info["is_member"] = self.bot_user_id in channel["members"]  # as it is now
        return info

    def channel_type(self, channel_id: str) -> str:
        """`channel_type` of message events: channel, group, im or mpim."""
        ch = self.channels.get(channel_id)
        if ch is None:
            return "channel"
        return (
            "im"
            if ch["is_im"]
            else "mpim"
            if ch["is_mpim"]
            else "group"
            if ch["is_private"]
            else "channel"
        )

    def resolve_channel(self, channel: str) -> str | None:
        """Channel id from an id, a `#name`, or a user id (which means the DM with that user)."""
        if channel in self.channels:
            return channel
        if channel in self.users:
            return self.open_dm([channel])["id"]
        name = channel.lstrip("#")
        return next((c["id"] for c in self.channels.values() if c["name"] == name), None)

    def messages_in(self, channel: str) -> list[JSON]:
        """Stored messages of a channel, oldest first."""
        return [m for (ch, _), m in self.messages.items() if ch == channel]

    def user_name(self, user_id: str) -> str:
        return self.users.get(user_id, {}).get("name", user_id)
