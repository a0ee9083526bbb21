"""REST routes of the fake, under ``/api/v10``.

Covered: users/@me and users/{id}; the application (oauth2 and /applications
/@me); gateway and gateway/bot; global and guild application commands (GET,
PUT bulk, POST one); interaction callbacks (types 4-9, answered with
``{"interaction", "resource"}``); interaction webhooks (follow-ups and
``@original``: POST, GET, PATCH, DELETE); channel GET; messages (GET one,
GET history, POST JSON or multipart, PATCH, DELETE); reactions (PUT/DELETE
own or someone's); pins (new ``messages/pins`` and legacy ``pins``); threads
from a message, without one, and forum posts; DM channel creation; guild,
guild channels, roles (GET, POST), members (GET, PATCH) and member roles
(PUT/DELETE, 204, refused with 50013 above the bot's top role or without
Manage Roles).

Permissions are otherwise not enforced: inject 403s with ``fail_next``. Message
bodies over Discord's limits, or empty, are refused as Discord does (``limits.py``).
The bot's own actions are echoed on the gateway (MESSAGE_CREATE, ...) as
Discord does, unless ``FakeDiscord(echo_own_actions=False)``. Unknown
routes answer 404 and land in ``fake.unhandled``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .gateway import Gateway
from .limits import check_message
from .model import EPHEMERAL, JSON, LOADING, ApiError, ChannelType, now_iso

Handler = Callable[[web.Request, Any], Awaitable[web.StreamResponse]]


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with Content-Type exactly ``application/json`` (discord.py needs that)."""
    body = json.dumps(data).encode()
    return web.Response(
        body=body, status=status, headers={**(headers or {}), "Content-Type": "application/json"}
    )


def no_content() -> web.Response:
    return web.Response(status=204)


class RestRoutes(Gateway):
    """REST half of ``FakeDiscord``; handlers get ``(request, recorded_request)``."""

    api_base_url: str

    def _routes(self) -> list[tuple[str, str, Handler]]:
        ch, msg = "/channels/{channel}", "/channels/{channel}/messages/{message}"
        wh, app = "/webhooks/{app}/{token}", "/applications/{app}"
        member = "/guilds/{guild}/members/{user}"
        return [
            ("GET", "/users/@me", self._get_me),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/users/{user}", self._get_user),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/applications/@me", self._get_application),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", f"{app}/commands", self._get_commands),
            ("PUT", f"{app}/commands", self._put_commands),
            ("POST", f"{app}/commands", self._post_command),
            ("GET", f"{app}/guilds/{{guild}}/commands", self._get_commands),
            ("PUT", f"{app}/guilds/{{guild}}/commands", self._put_commands),
            ("POST", f"{app}/guilds/{{guild}}/commands", self._post_command),
            ("POST", "/interactions/{interaction}/{token}/callback", self._callback),
            ("POST", wh, self._post_followup),
            ("GET", f"{wh}/messages/{{message}}", self._get_webhook_message),
            ("PATCH", f"{wh}/messages/{{message}}", self._edit_webhook_message),
            ("DELETE", f"{wh}/messages/{{message}}", self._delete_webhook_message),
            ("GET", ch, self._get_channel),
            ("GET", f"{ch}/messages/pins", self._get_pins),
            ("PUT", f"{ch}/messages/pins/{{message}}", self._pin),
            ("DELETE", f"{ch}/messages/pins/{{message}}", self._pin),
            ("PUT", f"{ch}/pins/{{message}}", self._pin),
            ("DELETE", f"{ch}/pins/{{message}}", self._pin),
            ("GET", f"{ch}/messages", self._get_history),
            ("POST", f"{ch}/messages", self._send_message),
            ("GET", msg, self._get_message),
            ("PATCH", msg, self._edit_message),
            ("DELETE", msg, self._delete_message),
            ("PUT", f"{msg}/reactions/{{emoji}}/{{user}}", self._react),
            ("DELETE", f"{msg}/reactions/{{emoji}}/{{user}}", self._react),
            ("POST", f"{msg}/threads", self._thread_from_message),
            ("POST", f"{ch}/threads", self._create_thread),
            ("GET", "/guilds/{guild}", self._get_guild),
            ("GET", "/guilds/{guild}/channels", self._get_guild_channels),
            ("GET", "/guilds/{guild}/roles", self._get_roles),
            ("POST", "/guilds/{guild}/roles", self._create_role),
            ("GET", member, self._get_member),
            ("PATCH", member, self._edit_member),
            ("PUT", f"{member}/roles/{{role}}", self._member_role),
            ("DELETE", f"{member}/roles/{{role}}", self._member_role),
        ]

    # ------------------------------------------------------ users, app, gateway
    async def _get_me(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(self.users[self.bot_id])

    async def _get_user(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(self.get(self.users, r.match_info["user"], 10013, "User"))

    async def _get_application(self, r: web.Request, rec: Any) -> web.Response:
        bot = self.users[self.bot_id]
        return json_response({
            "id": self.application_id, "name": bot["username"], "description": "", "icon": None,
            "bot_public": True, "bot_require_code_grant": False, "verify_key": "0" * 64,
            "owner": self.users[self.app_owner_id], "team": None, "flags": 0, "bot": bot,
            "summary": "", "rpc_origins": [], "tags": [],
        })  # fmt: skip

    async def _get_gateway(self, r: web.Request, rec: Any) -> web.Response:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return json_response({"url": self.gateway_url, "shards": 1, "session_start_limit": limit})

    async def _create_dm(self, r: web.Request, rec: Any) -> web.Response:
        recipient = str(rec.json["recipient_id"])
        if recipient not in self.users:
            raise ApiError(400, 50033, "Invalid Recipients")
        return json_response(self.channels[self.add_dm_channel(recipient)])

    # ---------------------------------------------------- application commands
    async def _get_commands(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(self.commands.get(r.match_info.get("guild"), []))

    def _command(self, body: JSON, gid: str | None) -> JSON:
        kind = body.get("type", 1)
        scope = self.commands.get(gid, [])
        old = next((c for c in scope if c["name"] == body["name"] and c["type"] == kind), None)
        command = {
            **body, "id": old["id"] if old else self.new_id(), "type": kind,
            "application_id": self.application_id, "version": self.new_id(),
            "description": body.get("description", ""), "options": body.get("options", []),
        }  # fmt: skip
        return {**command, "guild_id": gid} if gid else command

    async def _put_commands(self, r: web.Request, rec: Any) -> web.Response:
        gid = r.match_info.get("guild")
        self.commands[gid] = [self._command(c, gid) for c in rec.json]
        return json_response(self.commands[gid])

    async def _post_command(self, r: web.Request, rec: Any) -> web.Response:
        gid = r.match_info.get("guild")
        command = self._command(rec.json, gid)
        scope = [c for c in self.commands.get(gid, []) if c["id"] != command["id"]]
        self.commands[gid] = [*scope, command]
        return json_response(command, 201)

    # ----------------------------------------------------------------- messages
    def _bot_message(self, channel: str, body: JSON, files: list[JSON], **fields: Any) -> str:
        """Store a message the bot sent, from a message body as discord.py posts it."""
        ref = body.get("message_reference") or {}
        reply_to = ref.get("message_id")
        if reply_to and str(reply_to) not in self.messages:
            if ref.get("fail_if_not_exists", True):
                raise ApiError(400, 50035, "Invalid Form Body (message_reference: Unknown message)")
            reply_to = None
        content = body.get("content") or ""
        fields.setdefault("flags", int(body.get("flags") or 0))
        check_message(body, files, partial=bool(fields["flags"] & LOADING))
        mid = self.add_message(
            channel, self.bot_id, content, reply_to=str(reply_to) if reply_to else None,
            embeds=body.get("embeds") or [], components=body.get("components") or [],
            tts=bool(body.get("tts")), attachments=self._attachments([], body, files), **fields,
        )  # fmt: skip
        self.messages[mid]["mentions"] = self.mentions_in(content, body.get("allowed_mentions"))
        return mid

    def _attachments(self, current: list[JSON], body: JSON, files: list[JSON]) -> list[JSON]:
        keep = {str(a.get("id")) for a in body.get("attachments") or []}
        kept = [a for a in current if a["id"] in keep]
        for f in files:
            aid = self.new_id()
            url = f"{self.api_base_url}/attachments/{aid}/{f['filename']}"
            kept.append({
                "id": aid, "filename": f["filename"], "size": f["size"], "url": url,
                "proxy_url": url, "content_type": f["content_type"],
            })  # fmt: skip
        return kept

    def _edit(self, mid: str, body: JSON, files: list[JSON]) -> JSON:
        check_message(body, files, partial=True)
        message = self.messages[mid]
        for key in ("content", "embeds", "components", "flags"):
            if key in body and body[key] is not None:
                message[key] = body[key]
        if "attachments" in body or files:
            keep = body if "attachments" in body else {"attachments": message["attachments"]}
            message["attachments"] = self._attachments(message["attachments"], keep, files)
        message["flags"] &= ~LOADING
        message["edited_timestamp"] = now_iso()
        return message

    def _channel_message(self, r: web.Request) -> str:
        mid = r.match_info["message"]
        if self.message(mid)["channel_id"] != r.match_info["channel"]:
            raise ApiError(404, 10008, "Unknown Message")
        return mid

    async def _send_message(self, r: web.Request, rec: Any) -> web.Response:
        mid = self._bot_message(self.channel(r.match_info["channel"])["id"], rec.json, rec.files)
        await self._echo("MESSAGE_CREATE", self.message_event(mid))
        return json_response(self.messages[mid])

    async def _get_history(self, r: web.Request, rec: Any) -> web.Response:
        cid, q = self.channel(r.match_info["channel"])["id"], r.query
        found = [m for m in self.messages.values() if m["channel_id"] == cid]
        found = [m for m in found if "before" not in q or int(m["id"]) < int(q["before"])]
        found = [m for m in found if "after" not in q or int(m["id"]) > int(q["after"])]
        found.sort(key=lambda m: int(m["id"]), reverse=True)
        return json_response(found[: int(q.get("limit", 50))])

    async def _get_message(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(self.messages[self._channel_message(r)])

    async def _edit_message(self, r: web.Request, rec: Any) -> web.Response:
        mid = self._channel_message(r)
        self._edit(mid, rec.json, rec.files)
        await self._echo("MESSAGE_UPDATE", self.message_event(mid))
        return json_response(self.messages[mid])

    async def _delete_message(self, r: web.Request, rec: Any) -> web.Response:
        mid = self._channel_message(r)
        await self._delete(mid)
        return no_content()

    async def _delete(self, mid: str) -> None:
        stored = self.messages.pop(mid)
        if not stored["flags"] & EPHEMERAL:
            await self._echo("MESSAGE_DELETE", self.message_ref(stored))

    async def _react(self, r: web.Request, rec: Any) -> web.Response:
        mid, emoji = self._channel_message(r), r.match_info["emoji"]
        uid = self.bot_id if r.match_info["user"] == "@me" else r.match_info["user"]
        users = self.reactions.setdefault(mid, {}).setdefault(emoji, set())
        event = self._reaction_event(mid, uid, emoji)
        if r.method == "PUT":
            users.add(uid)
            if "guild_id" in event:
                event["member"] = self.member_payload(event["guild_id"], uid)
            await self._echo("MESSAGE_REACTION_ADD", event)
        else:
            users.discard(uid)
            await self._echo("MESSAGE_REACTION_REMOVE", event)
        return no_content()

    async def _get_pins(self, r: web.Request, rec: Any) -> web.Response:
        cid = self.channel(r.match_info["channel"])["id"]
        pinned = [m for m in self.messages.values() if m["channel_id"] == cid and m["pinned"]]
        items = [{"pinned_at": now_iso(), "message": m} for m in reversed(pinned)]
        return json_response({"items": items, "has_more": False})

    async def _pin(self, r: web.Request, rec: Any) -> web.Response:
        self.messages[self._channel_message(r)]["pinned"] = r.method == "PUT"
        return no_content()

    # ------------------------------------------------------------------ threads
    async def _thread_from_message(self, r: web.Request, rec: Any) -> web.Response:
        mid = self._channel_message(r)
        tid = self.add_thread(r.match_info["channel"], rec.json["name"], thread_id=mid)
        self.messages[mid]["thread"] = self.channels[tid]
        await self._echo("THREAD_CREATE", {**self.channels[tid], "newly_created": True})
        return json_response(self.channels[tid], 201)

    async def _create_thread(self, r: web.Request, rec: Any) -> web.Response:
        parent, body = self.channel(r.match_info["channel"]), rec.json
        forum = parent["type"] == ChannelType.FORUM
        kind = ChannelType.PUBLIC_THREAD if forum else body.get("type", ChannelType.PRIVATE_THREAD)
        tags = body.get("applied_tags") or []
        tid = self.add_thread(parent["id"], body["name"], type=kind, applied_tags=tags)
        await self._echo("THREAD_CREATE", {**self.channels[tid], "newly_created": True})
        if not forum:
            return json_response(self.channels[tid], 201)
        self._bot_message(tid, body.get("message") or {}, rec.files, message_id=tid)
        await self._echo("MESSAGE_CREATE", self.message_event(tid))
        return json_response({**self.channels[tid], "message": self.messages[tid]}, 201)

    # ------------------------------------------------------------- interactions
    async def _callback(self, r: web.Request, rec: Any) -> web.Response:
        iid, kind, data = r.match_info["interaction"], rec.json["type"], rec.json.get("data") or {}
        state = self.interactions.get(iid)
        if state is None or state["token"] != r.match_info["token"]:
            raise ApiError(404, 10062, "Unknown interaction")
        if state["responded"]:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        state["responded"] = True
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        mid = None
        if kind in (4, 5):  # channel message, deferred channel message
            body = data if kind == 4 else {"flags": data.get("flags")}
            loading = LOADING if kind == 5 else 0
            mid = self._interaction_message(state, body, rec.files, loading)
            if not self.is_ephemeral(mid):
                await self._echo("MESSAGE_CREATE", self.message_event(mid))
        elif kind in (6, 7) and state["message"]:  # deferred update, update message
            mid = state["original"] = state["message"]
            if kind == 7:
                self._edit(mid, data, rec.files)
                await self._echo("MESSAGE_UPDATE", self.message_event(mid))
        info = {
            "id": iid, "type": state["type"], "response_message_loading": kind == 5,
            "response_message_ephemeral": ephemeral,
        }  # fmt: skip
        resource: JSON = {"type": kind}
        if mid:
            info["response_message_id"], resource["message"] = mid, self.messages[mid]
        return json_response({"interaction": info, "resource": resource})

    def _interaction_message(
        self, state: JSON, body: JSON, files: list[JSON], extra_flags: int = 0
    ) -> str:
        metadata = {
            "id": state["id"], "type": state["type"], "user": self.users[state["user"]],
            "authorizing_integration_owners": {},
        }  # fmt: skip
        mid = self._bot_message(
            state["channel_id"], body, files, webhook_id=self.application_id,
            application_id=self.application_id, interaction_metadata=metadata,
            type=20 if state["type"] == 2 else 0, flags=int(body.get("flags") or 0) | extra_flags,
        )  # fmt: skip
        if state["original"] is None:
            state["original"] = mid
        return mid

    def _webhook_state(self, r: web.Request) -> JSON:
        token = r.match_info["token"]
        for state in self.interactions.values():
            if state["token"] == token and r.match_info["app"] == self.application_id:
                return state
        raise ApiError(404, 10015, "Unknown Webhook")

    def _webhook_message(self, r: web.Request) -> str:
        state, mid = self._webhook_state(r), r.match_info["message"]
        mid = state["original"] if mid == "@original" else mid
        if mid is None or mid not in self.messages:
            raise ApiError(404, 10008, "Unknown Message")
        return mid

    async def _post_followup(self, r: web.Request, rec: Any) -> web.Response:
        state = self._webhook_state(r)
        original = self.messages.get(state["original"] or "")
        if original and original["flags"] & LOADING:
            # The first follow-up after a deferral replaces the "thinking" message,
            # which keeps the deferral's ephemerality.
            mid = original["id"]
            self._edit(mid, {k: v for k, v in rec.json.items() if k != "flags"}, rec.files)
            if not self.is_ephemeral(mid):
                await self._echo("MESSAGE_UPDATE", self.message_event(mid))
        else:
            mid = self._interaction_message(state, rec.json, rec.files)
            if not self.is_ephemeral(mid):
                await self._echo("MESSAGE_CREATE", self.message_event(mid))
        if r.query.get("wait") in ("true", "1", "True"):
            return json_response(self.messages[mid])
        return no_content()

    async def _get_webhook_message(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(self.messages[self._webhook_message(r)])

    async def _edit_webhook_message(self, r: web.Request, rec: Any) -> web.Response:
        mid = self._webhook_message(r)
        self._edit(mid, rec.json, rec.files)
        if not self.is_ephemeral(mid):
            await self._echo("MESSAGE_UPDATE", self.message_event(mid))
        return json_response(self.messages[mid])

    async def _delete_webhook_message(self, r: web.Request, rec: Any) -> web.Response:
        await self._delete(self._webhook_message(r))
        return no_content()

    # ------------------------------------------------------------------- guilds
    async def _get_guild(self, r: web.Request, rec: Any) -> web.Response:
        self.guild(r.match_info["guild"])
        return json_response(self.guild_payload(r.match_info["guild"]))

    async def _get_guild_channels(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(
            self.guild_payload(self.guild(r.match_info["guild"])["id"])["channels"]
        )

    async def _get_channel(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(self.channel(r.match_info["channel"]))

    async def _get_roles(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(list(self.guild(r.match_info["guild"])["roles"].values()))

    async def _create_role(self, r: web.Request, rec: Any) -> web.Response:
        gid, body = self.guild(r.match_info["guild"])["id"], rec.json or {}
        rid = self.add_role(
            gid, body.get("name", "new role"), permissions=int(body.get("permissions") or 0),
            color=body.get("color") or 0, hoist=bool(body.get("hoist")),
            mentionable=bool(body.get("mentionable")),
        )  # fmt: skip
        role = self.guilds[gid]["roles"][rid]
        await self._echo("GUILD_ROLE_CREATE", {"guild_id": gid, "role": role})
        return json_response(role)

    async def _get_member(self, r: web.Request, rec: Any) -> web.Response:
        return json_response(self.member_payload(r.match_info["guild"], r.match_info["user"]))

    def _check_can_manage(self, gid: str, rids: list[str]) -> None:
        """Discord's rule: Manage Roles, and only roles below the bot's top role."""
        if self.guilds[gid]["owner_id"] == self.bot_id:
            return
        top = self.top_role_position(gid, self.bot_id)
        can = self.permissions(gid, self.bot_id) & (1 << 28)
        if not can or any(self.role(gid, rid)["position"] >= top for rid in rids):
            raise ApiError(403, 50013, "Missing Permissions")

    async def _edit_member(self, r: web.Request, rec: Any) -> web.Response:
        gid, uid, body = r.match_info["guild"], r.match_info["user"], rec.json or {}
        member = self.member(gid, uid)
        if "roles" in body:
            self._check_can_manage(gid, list(set(body["roles"]) ^ set(member["roles"])))
        for key in ("nick", "roles", "communication_disabled_until"):
            if key in body:
                member[key] = body[key]
        await self._echo("GUILD_MEMBER_UPDATE", {**self.member_payload(gid, uid), "guild_id": gid})
        return json_response(self.member_payload(gid, uid))

    async def _member_role(self, r: web.Request, rec: Any) -> web.Response:
        gid, uid, rid = r.match_info["guild"], r.match_info["user"], r.match_info["role"]
        member = self.member(gid, uid)
        self._check_can_manage(gid, [rid])
        roles = [x for x in member["roles"] if x != rid]
        member["roles"] = [*roles, rid] if r.method == "PUT" else roles
        await self._echo("GUILD_MEMBER_UPDATE", {**self.member_payload(gid, uid), "guild_id": gid})
        return no_content()
