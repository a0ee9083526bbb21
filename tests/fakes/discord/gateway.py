"""The websocket gateway and the events a test pushes to the connected client.

Covered: HELLO → IDENTIFY → READY → one GUILD_CREATE per guild; heartbeats
(op 1 → op 11); RESUME (op 6) → RESUMED; member chunk requests (op 8 →
GUILD_MEMBERS_CHUNK); ``compress=zlib-stream`` (one zlib stream per
connection, every payload ending in a sync flush) or plain text frames.
Not covered: zstd-stream (absent ``zstandard``, discord.py asks for zlib),
ETF encoding, sharding beyond echoing the IDENTIFY shard, presences, voice.
"""

from __future__ import annotations

import asyncio
import json
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from .model import EPHEMERAL, JSON, ChannelType, DiscordModel, now_iso


@dataclass
class FakeInteraction:
    """An interaction the fake sent; ``callback_path`` is where the bot answers it."""

    id: str
    token: str
    type: int
    payload: JSON

    @property
    def callback_path(self) -> str:
        return f"/interactions/{self.id}/{self.token}/callback"


@dataclass(frozen=True)
class Opt:
    """An application-command option value with an explicit type.

    Plain ``str``/``int``/``float``/``bool`` values are typed automatically; use
    ``Opt.user(id)``, ``Opt.role(id)`` or ``Opt.channel(id)`` for resolved ones.
    """

    type: int
    value: Any

    @classmethod
    def user(cls, user_id: str) -> Opt:
        return cls(6, user_id)

    @classmethod
    def channel(cls, channel_id: str) -> Opt:
        return cls(7, channel_id)

    @classmethod
    def role(cls, role_id: str) -> Opt:
        return cls(8, role_id)


class _Session:
    """One websocket connection, its zlib stream and its sequence numbers."""

    def __init__(self, ws: web.WebSocketResponse, *, zlib_stream: bool) -> None:
        self.ws = ws
        self.id = uuid.uuid4().hex
        self.seq = 0
        self._zlib = zlib.compressobj() if zlib_stream else None
        self._lock = asyncio.Lock()

    async def send(self, payload: JSON) -> None:
        text = json.dumps(payload)
        async with self._lock:  # keeps frames (and the zlib stream) in order
            if self._zlib is None:
                await self.ws.send_str(text)
            else:
                data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)

    async def dispatch(self, event: str, data: JSON) -> None:
        self.seq += 1
        await self.send({"op": 0, "t": event, "s": self.seq, "d": data})


#: Dispatches that belong to a connection rather than to what happened in a guild.
_NOT_REPLAYED = {"READY", "RESUMED", "GUILD_CREATE", "GUILD_MEMBERS_CHUNK"}


class Gateway(DiscordModel):
    """Gateway half of ``FakeDiscord`` (needs ``_notify`` and ``gateway_url`` from it)."""

    heartbeat_interval_ms = 41_250
    gateway_url: str

    def _init_gateway(self) -> None:
        self._session: _Session | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self.identifies: list[JSON] = []
        self.resumes: list[JSON] = []
        self.heartbeats = 0
        #: Query of every gateway connection: ``{"v": "10", "encoding": "json", "compress": ...}``.
        self.gateway_queries: list[dict[str, str]] = []
        #: (event name, data) of every dispatch sent, in order.
        self.dispatched: list[tuple[str, JSON]] = []
        self.interactions: dict[str, JSON] = {}
        self.connected = False
        #: On RESUME, send again this many of the session's last dispatches (with their
        #: original sequence numbers) after RESUMED, as a gateway that lost the client's
        #: acknowledgement does: the client sees them a second time.
        self.replay_on_resume = 0
        self._history: dict[str, list[tuple[int, str, JSON]]] = {}

    async def _notify(self) -> None:  # pragma: no cover - provided by FakeDiscord
        raise NotImplementedError

    async def _gateway_handler(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        self._sockets.add(ws)
        self.gateway_queries.append(dict(request.query))
        session = _Session(ws, zlib_stream=request.query.get("compress") == "zlib-stream")
        try:
            await session.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for msg in ws:
                if msg.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    await self._on_op(session, json.loads(msg.data))
        finally:
            self._sockets.discard(ws)
            if self._session is session:
                self._session, self.connected = None, False
                await self._notify()
        return ws

    async def _on_op(self, session: _Session, payload: JSON) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == 1:
            self.heartbeats += 1
            await session.send({"op": 11})
        elif op == 2:
            self.identifies.append(data)
            self._session = session
            ready = {
                "v": 10, "user": {**self.users[self.bot_id], "verified": True, "mfa_enabled": False},
                "session_id": session.id, "resume_gateway_url": self.gateway_url,
                "guilds": [{"id": gid, "unavailable": True} for gid in self.guilds],
                "application": {"id": self.application_id, "flags": 0},
                "private_channels": [], "relationships": [], "presences": [],
            }  # fmt: skip
            if "shard" in data:
                ready["shard"] = data["shard"]
            await self._dispatch_on(session, "READY", ready)
            for gid in self.guilds:
                await self._dispatch_on(session, "GUILD_CREATE", self.guild_payload(gid))
            self.connected = True
            await self._notify()
        elif op == 6:
            self.resumes.append(data)
            self._session, self.connected = session, True
            session.id, session.seq = data["session_id"], data.get("seq") or 0
            await self._dispatch_on(session, "RESUMED", {})
            await self._replay(session)
            await self._notify()
        elif op == 8:
            gid = str(data["guild_id"])
            members = [self.member_payload(gid, uid) for uid in self.guilds[gid]["members"]]
            chunk = {"guild_id": gid, "members": members, "chunk_index": 0, "chunk_count": 1}
            await self._dispatch_on(
                session, "GUILD_MEMBERS_CHUNK", {**chunk, "nonce": data.get("nonce")}
            )

    async def _dispatch_on(self, session: _Session, event: str, data: JSON) -> None:
        self.dispatched.append((event, data))
        await session.dispatch(event, data)
        if event not in _NOT_REPLAYED:
            self._history.setdefault(session.id, []).append((session.seq, event, data))

    async def _replay(self, session: _Session) -> None:
        history = self._history.get(session.id, [])
        for seq, event, data in history[max(0, len(history) - self.replay_on_resume) :]:
            self.dispatched.append((event, data))
            await session.send({"op": 0, "t": event, "s": seq, "d": data})

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send any dispatch (op 0) to the connected client."""
        if self._session is None:
            raise RuntimeError("no client is connected: await fake.wait_until_connected() first")
        await self._dispatch_on(self._session, event, data)

    async def _echo(self, event: str, data: JSON) -> None:
        """Tell the client about the bot's own REST action, as Discord does."""
        if self.echo_own_actions and self._session is not None:  # type: ignore[attr-defined]
            await self.dispatch(event, data)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: discord.py reconnects at once and RESUMEs."""
        assert self._session is not None, "no client is connected"
        await self._session.send({"op": 7, "d": None})

    async def close_sockets(self, code: int = 4000) -> None:
        """Drop every gateway connection (4000 is resumable; 4004 is not)."""
        for ws in list(self._sockets):
            await ws.close(code=code)

    # ---------------------------------------------------------------- members
    async def member_join(
        self, guild: str, user: str, *, pending: bool = False, roles: tuple[str, ...] = ()
    ) -> str:
        """GUILD_MEMBER_ADD for a user id or a new name; returns the user id."""
        uid = self.add_member(guild, user, pending=pending, roles=roles)
        await self.dispatch(
            "GUILD_MEMBER_ADD", {**self.member_payload(guild, uid), "guild_id": guild}
        )
        return uid

    async def member_update(self, guild: str, user: str, **changes: Any) -> None:
        """GUILD_MEMBER_UPDATE after applying ``changes`` (``pending=False``, ``roles=[...]``)."""
        self.member(guild, user).update(changes)
        await self.dispatch(
            "GUILD_MEMBER_UPDATE", {**self.member_payload(guild, user), "guild_id": guild}
        )

    async def member_remove(self, guild: str, user: str) -> None:
        del self.guild(guild)["members"][user]
        await self.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": guild, "user": self.users[user]})

    # --------------------------------------------------------------- messages
    async def message_create(
        self,
        guild: str | None,
        channel: str,
        author: str,
        content: str,
        *,
        reply_to: str | None = None,
        mentions: tuple[str, ...] | list[str] = (),
        thread: str | None = None,
        **fields: Any,
    ) -> str:
        """MESSAGE_CREATE from ``author`` in ``channel`` (or in its ``thread``); returns the id.

        ``guild`` is None for a DM channel (see ``add_dm_channel``). ``fields``
        override payload keys, e.g. ``embeds=[...]`` or ``attachments=[...]``.
        """
        target = thread or channel
        if self.channel(target).get("guild_id") != guild:
            raise ValueError(f"channel {target} is not in guild {guild}")
        mid = self.add_message(
            target, author, content, reply_to=reply_to, mentions=mentions, **fields
        )
        await self.dispatch("MESSAGE_CREATE", self.message_event(mid))
        return mid

    async def message_update(self, message: str, **changes: Any) -> None:
        """MESSAGE_UPDATE after applying ``changes`` (``content=...``, ``embeds=...``)."""
        self.message(message).update(changes, edited_timestamp=now_iso())
        await self.dispatch("MESSAGE_UPDATE", self.message_event(message))

    async def message_delete(self, message: str) -> None:
        await self.dispatch("MESSAGE_DELETE", self.message_ref(self.messages.pop(message)))

    def _reaction_event(self, message: str, user: str, emoji: str) -> JSON:
        stored = self.message(message)
        name, _, emoji_id = emoji.partition(":")
        data = {
            "user_id": user, "channel_id": stored["channel_id"], "message_id": message,
            "emoji": {"name": name, "id": emoji_id or None}, "type": 0, "burst": False,
            "message_author_id": stored["author"]["id"],
        }  # fmt: skip
        if stored.get("guild_id"):
            data["guild_id"] = stored["guild_id"]
        return data

    async def reaction_add(self, message: str, user: str, emoji: str = "👍") -> None:
        """MESSAGE_REACTION_ADD (raw); ``emoji`` is unicode or ``name:id``."""
        self.reactions.setdefault(message, {}).setdefault(emoji, set()).add(user)
        data = self._reaction_event(message, user, emoji)
        if "guild_id" in data:
            data["member"] = self.member_payload(data["guild_id"], user)
        await self.dispatch("MESSAGE_REACTION_ADD", data)

    async def reaction_remove(self, message: str, user: str, emoji: str = "👍") -> None:
        self.reactions.get(message, {}).get(emoji, set()).discard(user)
        await self.dispatch("MESSAGE_REACTION_REMOVE", self._reaction_event(message, user, emoji))

    async def thread_create(
        self,
        parent: str,
        name: str,
        author: str,
        content: str = "",
        *,
        applied_tags: tuple[str, ...] = (),
    ) -> str:
        """A thread by ``author``: in a forum, a post whose first message has the thread's id.

        Dispatches THREAD_CREATE (newly_created) and, for a forum post, the
        starter MESSAGE_CREATE. Returns the thread id.
        """
        uid = self.user_id(author)
        tid = self.add_thread(parent, name, owner=uid, applied_tags=applied_tags)
        await self.dispatch("THREAD_CREATE", {**self.channels[tid], "newly_created": True})
        if self.channels[parent]["type"] == ChannelType.FORUM:
            self.add_message(tid, uid, content, message_id=tid)
            await self.dispatch("MESSAGE_CREATE", self.message_event(tid))
        return tid

    # ----------------------------------------------------------- interactions
    async def interaction_create(
        self,
        type: int,
        data: JSON,
        *,
        channel: str,
        user: str,
        message: str | None = None,
    ) -> FakeInteraction:
        """Low-level INTERACTION_CREATE (2 command, 3 component, 4 autocomplete, 5 modal)."""
        chan = self.channel(channel)
        gid = chan.get("guild_id")
        iid, token = self.new_id(), f"itoken-{uuid.uuid4().hex}"
        payload = {
            "id": iid, "application_id": self.application_id, "type": type, "token": token,
            "version": 1, "data": data, "channel_id": channel, "locale": "en-US",
            "channel": self.channel_payload(channel, permissions_for=user),
            "attachment_size_limit": 8 * 1024 * 1024, "entitlements": [],
            "authorizing_integration_owners": {"0": gid} if gid else {"1": user},
            "context": 0 if gid else 1,
        }  # fmt: skip
        if gid:
            payload["guild_id"], payload["guild_locale"] = gid, "en-US"
            payload["member"] = self.member_payload(gid, user, permissions=True)
            payload["app_permissions"] = str(self.permissions(gid, self.bot_id))
        else:
            payload["user"] = self.users[user]
        if message:
            payload["message"] = self.messages[message]
        self.interactions[iid] = {
            "id": iid, "token": token, "type": type, "channel_id": channel, "user": user,
            "message": message, "responded": False, "original": None,
        }  # fmt: skip
        await self.dispatch("INTERACTION_CREATE", payload)
        return FakeInteraction(iid, token, type, payload)

    def _command_data(self, gid: str | None, name: str, type: int) -> JSON:
        """``id`` of the synced command (guild one first) and ``guild_id`` if guild-registered."""
        for scope in [gid, None] if gid else [None]:
            for command in self.commands.get(scope, []):
                if command["name"] == name and command.get("type", 1) == type:
                    data = {"id": command["id"], "name": name, "type": type}
                    return {**data, "guild_id": scope} if scope else data
        return {"id": self.new_id(), "name": name, "type": type}

    def _resolve(self, gid: str | None, kind: int, key: str, resolved: JSON, user: str) -> None:
        if kind in (6, 9) and key in self.users:
            resolved.setdefault("users", {})[key] = self.users[key]
            if gid and key in self.guilds[gid]["members"]:
                member = {**self.member(gid, key), "permissions": str(self.permissions(gid, key))}
                resolved.setdefault("members", {})[key] = member
        if kind in (8, 9) and gid and key in self.guilds[gid]["roles"]:
            resolved.setdefault("roles", {})[key] = self.guilds[gid]["roles"][key]
        if kind == 7:
            channels = resolved.setdefault("channels", {})
            channels[key] = self.channel_payload(key, permissions_for=user)

    def _options(self, gid: str | None, user: str, options: JSON, resolved: JSON) -> list[JSON]:
        out = []
        for name, value in options.items():
            if not isinstance(value, Opt):
                kinds = ((bool, 5), (int, 4), (float, 10), (str, 3))
                value = Opt(next(k for t, k in kinds if isinstance(value, t)), value)
            self._resolve(gid, value.type, str(value.value), resolved, user)
            out.append({"name": name, "type": value.type, "value": value.value})
        return out

    async def slash_command(
        self,
        channel: str,
        user: str,
        name: str,
        options: JSON | None = None,
        *,
        subcommand: str | None = None,
        group: str | None = None,
        focused: str | None = None,
    ) -> FakeInteraction:
        """A chat-input command (or, with ``focused``, its autocomplete request).

        ``options`` maps names to values (``Opt.user(id)`` etc. for resolved
        ones); ``data.guild_id`` is set when the command was synced to the guild.
        """
        gid = self.channel(channel).get("guild_id")
        resolved: JSON = {}
        opts = self._options(gid, user, options or {}, resolved)
        for opt in opts:
            if opt["name"] == focused:
                opt["focused"] = True
        if subcommand:
            opts = [{"name": subcommand, "type": 1, "options": opts}]
        if group:
            opts = [{"name": group, "type": 2, "options": opts}]
        data = {**self._command_data(gid, name, 1), "options": opts}
        if resolved:
            data["resolved"] = resolved
        return await self.interaction_create(4 if focused else 2, data, channel=channel, user=user)

    async def autocomplete(
        self, channel: str, user: str, name: str, options: JSON, focused: str, **kw: Any
    ) -> FakeInteraction:
        """Autocomplete (type 4) for option ``focused``; the answer is callback type 8."""
        return await self.slash_command(channel, user, name, options, focused=focused, **kw)

    async def user_command(
        self, channel: str, user: str, name: str, target: str
    ) -> FakeInteraction:
        """A user context-menu command on ``target``."""
        gid = self.channel(channel).get("guild_id")
        resolved: JSON = {}
        self._resolve(gid, 6, target, resolved, user)
        data = {**self._command_data(gid, name, 2), "target_id": target, "resolved": resolved}
        return await self.interaction_create(2, data, channel=channel, user=user)

    async def message_command(self, user: str, name: str, target: str) -> FakeInteraction:
        """A message context-menu command on stored message ``target``."""
        message = self.message(target)
        gid = message.get("guild_id")
        resolved = {"messages": {target: message}}
        data = {**self._command_data(gid, name, 3), "target_id": target, "resolved": resolved}
        return await self.interaction_create(2, data, channel=message["channel_id"], user=user)

    async def button_press(
        self,
        message: str,
        user: str,
        custom_id: str,
        *,
        component_type: int = 2,
        values: list[str] | None = None,
    ) -> FakeInteraction:
        """A component press on a stored message (``component_type=3, values=[...]`` for a select)."""
        data: JSON = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = values
        channel = self.message(message)["channel_id"]
        return await self.interaction_create(3, data, channel=channel, user=user, message=message)

    def is_ephemeral(self, message: str) -> bool:
        return bool(self.messages[message]["flags"] & EPHEMERAL)
