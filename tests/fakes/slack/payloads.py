"""Builders for what Slack sends to an app: events, slash commands, interactive payloads.

Each builder also updates the workspace the way Slack would (a message event stores the
message, team_join adds the user, reaction_added records the reaction, ...), so what the app
does next (react, update, look the user up) finds consistent state.

Shapes follow Slack's documentation and slack-bolt's parsers (slack_bolt/request/internals.py,
payload_utils.py). Covered: message, message_changed, message_deleted, team_join,
member_joined_channel, reaction_added/removed, app_home_opened, slash commands, block_actions
(button), message shortcuts. Not covered: view_submission/view_closed, global shortcuts,
block_suggestion, app_mention (build one with `event_callback({...})`), Enterprise Grid
fields, `authorizations` beyond the bot itself.
"""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

from .model import JSON, Workspace

_event_ids = itertools.count(1)


class PayloadsMixin(Workspace):
    """Payload builders; `response_url()` is provided by the server (FakeSlack)."""

    def response_url(self, channel: str | None = None, ts: str | None = None) -> str:
        raise NotImplementedError

    # ---- Events API ----

    def event_callback(self, event: JSON) -> JSON:
        """Wrap an event in the `event_callback` envelope (the HTTP body / socket payload)."""
        event.setdefault("event_ts", self.next_ts())
        return {
            "token": "fake-verification-token",
            "team_id": self.team_id,
            "context_team_id": self.team_id,
            "api_app_id": self.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{next(_event_ids):010d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": self.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }

    def message_event(
        self,
        channel: str,
        user: str,
        text: str,
        *,
        ts: str | None = None,
        thread_ts: str | None = None,
        store: bool = True,
        **extra: Any,
    ) -> JSON:
        """A person posts `text` (stored unless store=False). Returns the event, not an envelope."""
        ts = ts or self.next_ts()
        event: JSON = {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": ts,
            "event_ts": ts,
            "team": self.team_id,
            "client_msg_id": str(uuid.uuid4()),
            "channel_type": self.channel_type(channel),
        }
        if thread_ts:
            event["thread_ts"] = thread_ts
        event.update(extra)
        if store:
            message = {
                k: v for k, v in event.items() if k not in ("channel", "event_ts", "channel_type")
            }
            self.messages[(channel, ts)] = message
        return event

    def message_changed_event(self, channel: str, ts: str, new_text: str) -> JSON:
        """The author of stored message (channel, ts) edits it to `new_text`."""
        previous = dict(self.messages[(channel, ts)])
        edited_ts = self.next_ts()
        message = {
            **previous,
            "text": new_text,
            "edited": {"user": previous.get("user"), "ts": edited_ts},
        }
        self.messages[(channel, ts)] = message
        return {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": channel,
            "ts": edited_ts,
            "event_ts": edited_ts,
            "channel_type": self.channel_type(channel),
            "message": message,
            "previous_message": previous,
        }

    def message_deleted_event(self, channel: str, ts: str) -> JSON:
        """Stored message (channel, ts) is deleted by its author."""
        previous = self.messages.pop((channel, ts))
        event_ts = self.next_ts()
        return {
            "type": "message",
            "subtype": "message_deleted",
            "hidden": True,
            "channel": channel,
            "ts": event_ts,
            "event_ts": event_ts,
            "deleted_ts": ts,
            "channel_type": self.channel_type(channel),
            "previous_message": previous,
        }

    def team_join_event(self, user: str | JSON, name: str = "newcomer", **flags: Any) -> JSON:
        """A user joins the workspace; `user` is an id (added to the model) or a user object."""
        if isinstance(user, str):
            user = self.users.get(user) or self.add_user(user, name, **flags)
        self.users[user["id"]] = user
        return {"type": "team_join", "user": user, "event_ts": self.next_ts()}

    def member_joined_channel_event(
        self, channel: str, user: str, *, inviter: str | None = None
    ) -> JSON:
        members = self.channels[channel]["members"]
        if user not in members:
            members.append(user)
        event: JSON = {
            "type": "member_joined_channel",
            "user": user,
            "channel": channel,
            "channel_type": "G" if self.channels[channel]["is_private"] else "C",
            "team": self.team_id,
            "event_ts": self.next_ts(),
        }
        if inviter:
            event["inviter"] = inviter
        return event

    def reaction_event(
        self, channel: str, ts: str, user: str, name: str, *, added: bool = True
    ) -> JSON:
        """reaction_added (or reaction_removed with added=False) on stored message (channel, ts)."""
        message = self.messages[(channel, ts)]
        reactions = message.setdefault("reactions", [])
        reaction = next((r for r in reactions if r["name"] == name), None)
        if added:
            if reaction is None:
                reaction = {"name": name, "users": [], "count": 0}
                reactions.append(reaction)
            reaction["users"].append(user)
            reaction["count"] += 1
        elif reaction is not None and user in reaction["users"]:
            reaction["users"].remove(user)
            reaction["count"] -= 1
            if not reaction["count"]:
                reactions.remove(reaction)
        event = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": user,
            "reaction": name,
            "item": {"type": "message", "channel": channel, "ts": ts},
            "event_ts": self.next_ts(),
        }
        if message.get("user"):
            event["item_user"] = message["user"]
        return event

    def app_home_opened_event(self, user: str, *, tab: str = "home") -> JSON:
        event: JSON = {
            "type": "app_home_opened",
            "user": user,
            "channel": self.open_dm([user])["id"],
            "tab": tab,
            "event_ts": self.next_ts(),
        }
        if user in self.home_views:
            event["view"] = self.home_views[user]
        return event

    # ---- slash commands and interactivity ----

    def slash_command(self, command: str, text: str, *, user: str, channel: str) -> dict[str, str]:
        """The form fields of a slash command; `response_url` points at the fake."""
        return {
            "token": "fake-verification-token",
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel,
            "channel_name": self.channels.get(channel, {}).get("name", "directmessage"),
            "user_id": user,
            "user_name": self.user_name(user),
            "command": command,
            "text": text,
            "api_app_id": self.app_id,
            "is_enterprise_install": "false",
            "response_url": self.response_url(channel=channel),
            "trigger_id": self._trigger_id(),
        }

    def block_actions(
        self,
        channel: str,
        ts: str,
        *,
        user: str,
        action_id: str,
        value: str = "",
        block_id: str = "actions",
        text: str = "Button",
    ) -> JSON:
        """`user` presses a button (action_id, value) on stored message (channel, ts)."""
        message = self.messages[(channel, ts)]
        return {
            "type": "block_actions",
            "user": self._user_ref(user),
            "api_app_id": self.app_id,
            "token": "fake-verification-token",
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": False,
            },
            "trigger_id": self._trigger_id(),
            "team": {"id": self.team_id, "domain": self.team_domain},
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": self.channels.get(channel, {}).get("name", "")},
            "message": message,
            "state": {"values": {}},
            "response_url": self.response_url(channel=channel, ts=ts),
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": block_id,
                    "text": {"type": "plain_text", "text": text, "emoji": True},
                    "value": value,
                    "action_ts": f"{time.time():.6f}",
                }
            ],
        }

    def message_shortcut(self, channel: str, ts: str, *, user: str, callback_id: str) -> JSON:
        """`user` runs message shortcut `callback_id` on stored message (channel, ts)."""
        return {
            "type": "message_action",
            "token": "fake-verification-token",
            "action_ts": f"{time.time():.6f}",
            "team": {"id": self.team_id, "domain": self.team_domain},
            "user": self._user_ref(user),
            "channel": {"id": channel, "name": self.channels.get(channel, {}).get("name", "")},
            "is_enterprise_install": False,
            "enterprise": None,
            "callback_id": callback_id,
            "trigger_id": self._trigger_id(),
            "response_url": self.response_url(channel=channel, ts=ts),
            "message_ts": ts,
            "message": self.messages[(channel, ts)],
        }

    def _user_ref(self, user: str) -> JSON:
        name = self.user_name(user)
        return {"id": user, "username": name, "name": name, "team_id": self.team_id}

    def _trigger_id(self) -> str:
        return f"{int(time.time())}.{uuid.uuid4().int % 10**12}.{uuid.uuid4().hex}"
