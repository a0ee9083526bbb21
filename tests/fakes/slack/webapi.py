"""Web API methods of the fake, working on the `Workspace` state.

Each method takes the parsed arguments (query string, form or JSON body merged; form values
are strings) and returns the answer without `ok`, or raises `ApiError("some_error")`.
Covered: the methods in `WebApiMixin.METHODS`. Error checks are the common ones
(`channel_not_found`, `user_not_found`, `message_not_found`, `already_reacted`, ...), and
`invalid_blocks` for blocks past Block Kit's limits (see blocks.py);
permissions, scopes, rate tiers and `not_in_channel` are not modelled.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from .blocks import MESSAGE_BLOCKS, VIEW_BLOCKS, blocks_problems
from .model import JSON, Workspace


class ApiError(Exception):
    """Answer `{"ok": false, "error": <error>}` (HTTP 200, as Slack does)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def _decode(value: Any) -> Any:
    """Form and query values carrying JSON (blocks, views, files) arrive as strings."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _ids(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v.strip() for v in str(value or "").split(",") if v.strip()]


class WebApiMixin(Workspace):
    """Web API methods; `METHODS` maps a method name to the name of its implementation."""

    METHODS: ClassVar[dict[str, str]] = {
        "auth.test": "auth_test",
        "chat.postMessage": "chat_post_message",
        "chat.postEphemeral": "chat_post_ephemeral",
        "chat.update": "chat_update",
        "chat.delete": "chat_delete",
        "chat.getPermalink": "chat_get_permalink",
        "reactions.add": "reactions_add",
        "reactions.remove": "reactions_remove",
        "users.info": "users_info",
        "conversations.open": "conversations_open",
        "conversations.invite": "conversations_invite",
        "conversations.info": "conversations_info",
        "conversations.members": "conversations_members",
        "usergroups.list": "usergroups_list",
        "usergroups.create": "usergroups_create",
        "usergroups.users.update": "usergroups_users_update",
        "views.publish": "views_publish",
        "views.open": "views_open",
        "pins.add": "pins_add",
        "files.getUploadURLExternal": "files_get_upload_url_external",
        "files.completeUploadExternal": "files_complete_upload_external",
        "apps.connections.open": "apps_connections_open",
    }

    # Set by the server: where upload URLs and the socket point.
    base_url: str = "http://127.0.0.1:0/"

    # ---- helpers ----

    def _channel(self, args: JSON, key: str = "channel") -> str:
        channel = self.resolve_channel(str(args.get(key) or ""))
        if channel is None:
            raise ApiError("channel_not_found")
        return channel

    def _message(self, channel: str, ts: Any) -> JSON:
        message = self.messages.get((channel, str(ts or "")))
        if message is None:
            raise ApiError("message_not_found")
        return message

    def _user(self, user_id: Any) -> JSON:
        user = self.users.get(str(user_id or ""))
        if user is None:
            raise ApiError("user_not_found")
        return user

    @staticmethod
    def _check_blocks(blocks: Any, limit: int = MESSAGE_BLOCKS) -> None:
        if blocks is not None and blocks_problems(_decode(blocks), limit=limit):
            raise ApiError("invalid_blocks")

    def _require_usergroups(self) -> None:
        if not self.usergroups_enabled:
            raise ApiError("paid_teams_only")

    def _view(self, args: JSON) -> JSON:
        view = _decode(args.get("view"))
        if not isinstance(view, dict):
            raise ApiError("invalid_arguments")
        return {"id": self.new_id("V"), "team_id": self.team_id, "app_id": self.app_id, **view}

    # ---- methods ----

    def auth_test(self, args: JSON) -> JSON:
        return {
            "url": f"https://{self.team_domain}.slack.example/",
            "team": self.team_name,
            "user": self.bot_name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def chat_post_message(self, args: JSON) -> JSON:
        channel = self._channel(args)
        if not args.get("text") and not args.get("blocks") and not args.get("attachments"):
            raise ApiError("no_text")
        self._check_blocks(args.get("blocks"))
        extra = {k: _decode(args[k]) for k in ("blocks", "attachments", "metadata") if k in args}
        message = self.add_message(
            channel,
            str(args.get("text") or ""),
            user=self.bot_user_id,
            thread_ts=args.get("thread_ts"),
            **extra,
        )
        return {"channel": channel, "ts": message["ts"], "message": message}

    def chat_post_ephemeral(self, args: JSON) -> JSON:
        self._channel(args)
        self._user(args.get("user"))
        self._check_blocks(args.get("blocks"))
        return {"message_ts": self.next_ts()}

    def chat_update(self, args: JSON) -> JSON:
        channel = self._channel(args)
        message = self._message(channel, args.get("ts"))
        self._check_blocks(args.get("blocks"))
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = _decode(args[key])
        message["edited"] = {"user": self.bot_user_id, "ts": self.next_ts()}
        return {
            "channel": channel,
            "ts": message["ts"],
            "text": message["text"],
            "message": message,
        }

    def chat_delete(self, args: JSON) -> JSON:
        channel = self._channel(args)
        self._message(channel, args.get("ts"))
        del self.messages[(channel, str(args["ts"]))]
        return {"channel": channel, "ts": args["ts"]}

    def chat_get_permalink(self, args: JSON) -> JSON:
        channel = self._channel(args)
        ts = str(self._message(channel, args.get("message_ts"))["ts"])
        link = f"https://{self.team_domain}.slack.example/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    def _reactions(self, args: JSON) -> tuple[list[JSON], str]:
        message = self._message(self._channel(args), args.get("timestamp"))
        if not args.get("name"):
            raise ApiError("invalid_name")
        return message.setdefault("reactions", []), str(args["name"]).strip(":")

    def reactions_add(self, args: JSON) -> JSON:
        reactions, name = self._reactions(args)
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None:
            reaction = {"name": name, "users": [], "count": 0}
            reactions.append(reaction)
        if self.bot_user_id in reaction["users"]:
            raise ApiError("already_reacted")
        reaction["users"].append(self.bot_user_id)
        reaction["count"] += 1
        return {}

    def reactions_remove(self, args: JSON) -> JSON:
        reactions, name = self._reactions(args)
        reaction = next((r for r in reactions if r["name"] == name), None)
        if reaction is None or self.bot_user_id not in reaction["users"]:
            raise ApiError("no_reaction")
        reaction["users"].remove(self.bot_user_id)
        reaction["count"] -= 1
        if not reaction["count"]:
            reactions.remove(reaction)
        return {}

    def users_info(self, args: JSON) -> JSON:
        return {"user": self._user(args.get("user"))}

    def conversations_open(self, args: JSON) -> JSON:
        if args.get("channel"):
            return {"channel": {"id": self._channel(args)}}
        users = _ids(args.get("users"))
        if not users:
            raise ApiError("users_list_not_supplied")
        for user in users:
            self._user(user)
        return {"channel": {"id": self.open_dm(users)["id"]}}

    def conversations_invite(self, args: JSON) -> JSON:
        channel = self._channel(args)
        users = _ids(args.get("users"))
        if not users:
            raise ApiError("no_user")
        for user in users:
            self._user(user)
        members = self.channels[channel]["members"]
        if all(u in members for u in users):
            raise ApiError("already_in_channel")
        members.extend(u for u in users if u not in members)
        return {"channel": self.channel_info(channel)}

    def conversations_info(self, args: JSON) -> JSON:
        """A private channel the bot is not in does not exist for it, as on Slack."""
        info = self.channel_info(self._channel(args))
        if info.get("is_private") and not info.get("is_member"):
            raise ApiError("channel_not_found")
        return {"channel": info}

    def conversations_members(self, args: JSON) -> JSON:
        members = self.channels[self._channel(args)]["members"]
        start = int(args.get("cursor") or 0)
        limit = int(args.get("limit") or 100)
        page = members[start : start + limit]
        more = start + limit < len(members)
        return {
            "members": page,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def usergroups_list(self, args: JSON) -> JSON:
        self._require_usergroups()
        with_users = str(args.get("include_users", "")).lower() in ("1", "true")
        groups = [
            g if with_users else {k: v for k, v in g.items() if k != "users"}
            for g in self.usergroups.values()
        ]
        return {"usergroups": groups}

    def usergroups_create(self, args: JSON) -> JSON:
        self._require_usergroups()
        name, handle = str(args.get("name") or ""), str(args.get("handle") or "")
        if not name:
            raise ApiError("invalid_name")
        for group in self.usergroups.values():
            if group["name"] == name:
                raise ApiError("name_already_exists")
            if handle and group["handle"] == handle:
                raise ApiError("handle_already_exists")
        group = self.add_usergroup(handle or name.lower().replace(" ", "-"), name=name)
        group["description"] = str(args.get("description") or "")
        return {"usergroup": group}

    def usergroups_users_update(self, args: JSON) -> JSON:
        self._require_usergroups()
        group = self.usergroups.get(str(args.get("usergroup") or ""))
        if group is None:
            raise ApiError("no_such_subteam")
        users = _ids(args.get("users"))
        for user in users:
            self._user(user)
        group.update(users=users, user_count=len(users))
        return {"usergroup": group}

    def views_publish(self, args: JSON) -> JSON:
        user = self._user(args.get("user_id"))["id"]
        view = self._view(args)
        self._check_blocks(view.get("blocks"), VIEW_BLOCKS)
        self.home_views[user] = view
        return {"view": view}

    def views_open(self, args: JSON) -> JSON:
        if not args.get("trigger_id"):
            raise ApiError("invalid_trigger_id")
        view = self._view(args)
        self.opened_views.append(view)
        return {"view": view}

    def pins_add(self, args: JSON) -> JSON:
        message = self._message(self._channel(args), args.get("timestamp"))
        if message.get("pinned"):
            raise ApiError("already_pinned")
        message["pinned"] = True
        return {}

    def files_get_upload_url_external(self, args: JSON) -> JSON:
        if not args.get("filename") or not args.get("length"):
            raise ApiError("invalid_arguments")
        file_id = self.new_id("F")
        self.files[file_id] = {"id": file_id, "name": args["filename"], "content": None}
        return {"upload_url": f"{self.base_url}upload/{file_id}", "file_id": file_id}

    def files_complete_upload_external(self, args: JSON) -> JSON:
        done = []
        for item in _decode(args.get("files")) or []:
            stored = self.files.get(item.get("id", ""))
            if stored is None or stored["content"] is None:
                raise ApiError("file_not_found")
            stored["title"] = item.get("title") or stored["name"]
            done.append({k: v for k, v in stored.items() if k != "content"})
        if args.get("channel_id"):
            channel = self._channel(args, "channel_id")
            self.add_message(
                channel,
                str(args.get("initial_comment") or ""),
                user=self.bot_user_id,
                thread_ts=args.get("thread_ts"),
                files=done,
            )
        return {"files": done}

    def apps_connections_open(self, args: JSON) -> JSON:
        return {"url": self.base_url.replace("http://", "ws://") + "socket"}
