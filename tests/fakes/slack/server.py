"""FakeSlack: an aiohttp server on 127.0.0.1 that the real slack_sdk / slack-bolt talk to.

Outbound (app -> Slack), all recorded in `fake.calls`:
  * Web API at `fake.api_base_url` (`http://127.0.0.1:PORT/api/`), see webapi.py;
  * `response_url`s built by `fake.response_url()` (what `respond()` posts);
  * the files.uploadV2 upload step (`POST /upload/<file id>`);
  * Socket Mode at `ws://127.0.0.1:PORT/socket`, handed out by apps.connections.open.
Inbound (Slack -> app):
  * HTTP mode: `post_event` / `post_command` / `post_interactive` sign a request the way Slack
    does (or wrongly, on purpose) and post it to the app's URL; the reply is the app's ack.
  * Socket Mode: `push_event` / `push_command` / `push_interactive` send an envelope on the
    open socket and return the app's ack; `socket_disconnect()` asks the app to reconnect.
Waiting: `wait_for_call`, `wait_for_socket`, `wait_for_ack`, `wait_until`, all on one
asyncio.Condition, notified on every recorded call, socket connection and ack.
Not covered: OAuth, `url_verification` (Bolt answers it itself), Events API retries,
the socket's `accepts_response_payload` semantics beyond setting the flag, rate limits other
than what `fail_next` injects, TLS.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import WSMsgType, web

from .blocks import blocks_problems
from .model import JSON
from .payloads import PayloadsMixin
from .webapi import ApiError, WebApiMixin


@dataclass
class Call:
    """One request the app made to the fake."""

    method: str  # Web API method, or "response_url" / "file_upload"
    args: JSON  # query string, form and JSON body merged (form values are strings)
    headers: dict[str, str]
    token: str | None = None  # from `Authorization: Bearer ...` or a `token` argument
    path: str = ""
    status: int = 200
    response: Any = None  # the body the fake answered
    at: float = field(default_factory=time.monotonic)  # when it arrived (time.monotonic())

    @property
    def ok(self) -> bool:
        return (
            self.status == 200
            and isinstance(self.response, dict)
            and self.response.get("ok") is True
        )


@dataclass
class InboundReply:
    """The app's HTTP answer to an inbound request: its ack."""

    status: int
    text: str
    headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


@dataclass
class _Failure:
    status: int
    headers: dict[str, str]
    body: Any
    times: int


class FakeSlack(PayloadsMixin, WebApiMixin):
    """A fake Slack workspace and server. Use as `async with FakeSlack() as fake:`.

    Keyword arguments other than `signing_secret` go to `Workspace` (team_id, bot_user_id,
    bot_id, app_id, usergroups_enabled, ...).
    """

    def __init__(self, *, signing_secret: str = "fake-signing-secret", **workspace: Any) -> None:
        super().__init__(**workspace)
        self.signing_secret = signing_secret
        self.calls: list[Call] = []
        self.acks: dict[str, JSON] = {}  # envelope_id -> the app's ack message
        self.sent_envelopes: list[JSON] = []
        self.socket_connections = 0  # sockets ever accepted
        self._sockets: list[web.WebSocketResponse] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._response_urls: dict[str, tuple[str | None, str | None]] = {}
        self._cond = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    # ---- lifecycle ----

    async def __aenter__(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle_api)
        app.router.add_post("/upload/{file_id}", self._handle_upload)
        app.router.add_post("/response/{key}", self._handle_response_url)
        app.router.add_get("/socket", self._handle_socket)
        self._runner = web.AppRunner(app, shutdown_timeout=2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/"
        self._session = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for ws in list(self._sockets):
            await ws.close(code=1001, message=b"fake slack closing")
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base_url(self) -> str:
        """For `AsyncWebClient(base_url=...)`."""
        return self.base_url + "api/"

    def response_url(self, channel: str | None = None, ts: str | None = None) -> str:
        """A fresh response_url. Posts to it are recorded as method "response_url"; bound to a
        stored message (channel, ts), `replace_original`/`delete_original` update the store;
        bound to a channel, `response_type: in_channel` stores a new bot message there."""
        key = uuid.uuid4().hex
        self._response_urls[key] = (channel, ts)
        return f"{self.base_url}response/{key}"

    # ---- failure injection ----

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        headers: dict[str, str] | None = None,
        body: Any = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls to `method` with this status instead of serving them.

        Defaults: 429 with `Retry-After: 1` and `{"ok": false, "error": "ratelimited"}`.
        slack_sdk waits int(Retry-After) + random() seconds (0..1 s of jitter) per retry."""
        if headers is None:
            headers = {"Retry-After": "1"} if status == 429 else {}
        if body is None:
            body = {"ok": False, "error": "ratelimited" if status == 429 else "internal_error"}
        self._failures.setdefault(method, []).append(_Failure(status, headers, body, times))

    def error_next(self, method: str, error: str, *, times: int = 1) -> None:
        """Answer the next `times` calls to `method` with 200 `{"ok": false, "error": error}`."""
        self.fail_next(method, status=200, body={"ok": False, "error": error}, times=times)

    def _take_failure(self, method: str) -> _Failure | None:
        queue = self._failures.get(method)
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return failure

    # ---- recording and waiting ----

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def _notify(self, change: Callable[[], None]) -> None:
        async with self._cond:
            change()
            self._cond.notify_all()

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        *,
        timeout: float = 5,  # noqa: ASYNC109
        what: str = "",
    ) -> None:
        """Wait until predicate() is true. It is checked only when the fake records something
        (a call, a socket connection, an ack): make it depend on the fake's state."""
        try:
            async with asyncio.timeout(timeout):
                async with self._cond:
                    await self._cond.wait_for(predicate)
        except TimeoutError:
            seen = [c.method for c in self.calls]
            raise TimeoutError(
                f"FakeSlack: no {what or 'condition'} after {timeout}s; calls: {seen}"
            ) from None

    async def wait_for_call(
        self,
        method: str,
        *,
        count: int = 1,
        timeout: float = 5,  # noqa: ASYNC109
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait for `count` calls to `method` (matching `predicate`); return all matches."""

        def matching() -> list[Call]:
            return [c for c in self.calls_to(method) if predicate is None or predicate(c)]

        await self.wait_until(
            lambda: len(matching()) >= count, timeout=timeout, what=f"{count}x {method}"
        )
        return matching()

    # ---- Web API ----

    async def _read_args(self, request: web.Request) -> JSON:
        args: JSON = dict(request.query)
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                args.update(body)
        elif request.method == "POST" and request.can_read_body:
            for key, value in (await request.post()).items():
                args[key] = value if isinstance(value, str) else value.file.read()
        return args

    async def _handle_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await self._read_args(request)
        token = args.pop("token", None)
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            token = auth.removeprefix("Bearer ")
        call = Call(method, args, dict(request.headers), token=token, path=request.path)
        failure = self._take_failure(method)
        headers: dict[str, str] = {}
        if failure is not None:
            call.status, headers, call.response = failure.status, failure.headers, failure.body
        else:
            call.response = self._answer(method, args, token)
        await self._notify(lambda: self.calls.append(call))
        return web.json_response(call.response, status=call.status, headers=headers)

    def _answer(self, method: str, args: JSON, token: str | None) -> JSON:
        impl = self.METHODS.get(method)
        if impl is None:
            return {"ok": False, "error": "unknown_method"}
        if not token:
            return {"ok": False, "error": "not_authed"}
        if (method == "apps.connections.open") != token.startswith("xapp-"):
            return {"ok": False, "error": "not_allowed_token_type"}
        try:
            return {"ok": True, **getattr(self, impl)(args)}
        except ApiError as e:
            return {"ok": False, "error": e.error}

    async def _handle_upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        data = await request.read()
        if file_id in self.files:
            self.files[file_id]["content"] = data
        status = 200 if file_id in self.files else 404
        call = Call("file_upload", {"file_id": file_id, "length": len(data)}, dict(request.headers))
        call.path, call.status, call.response = request.path, status, f"OK - {len(data)}"
        await self._notify(lambda: self.calls.append(call))
        return web.Response(text=call.response, status=status)

    async def _handle_response_url(self, request: web.Request) -> web.Response:
        body = await request.json()
        if "blocks" in body and blocks_problems(body["blocks"]):
            call = Call("response_url", body, dict(request.headers), path=request.path)
            call.status, call.response = 400, "invalid_blocks"
            await self._notify(lambda: self.calls.append(call))
            return web.Response(text=call.response, status=call.status)
        channel, ts = self._response_urls.get(request.match_info["key"], (None, None))
        if channel and ts and (channel, ts) in self.messages:
            if body.get("delete_original"):
                del self.messages[(channel, ts)]
            elif body.get("replace_original"):
                message = self.messages[(channel, ts)]
                message.update({k: body[k] for k in ("text", "blocks", "attachments") if k in body})
        elif channel and body.get("response_type") == "in_channel":
            extra = {k: body[k] for k in ("blocks", "attachments") if k in body}
            self.add_message(channel, body.get("text", ""), user=self.bot_user_id, **extra)
        call = Call("response_url", body, dict(request.headers), path=request.path, response="ok")
        await self._notify(lambda: self.calls.append(call))
        return web.Response(text="ok")

    # ---- inbound HTTP (HTTP mode) ----

    def sign(
        self, body: str, *, secret: str | None = None, timestamp: float | None = None
    ) -> dict[str, str]:
        """Slack's request-signing headers for `body` (v0 HMAC-SHA256 of `v0:{ts}:{body}`)."""
        ts = str(int(time.time() if timestamp is None else timestamp))
        key = (self.signing_secret if secret is None else secret).encode()
        digest = hmac.new(key, f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}

    async def send_http(
        self,
        url: str,
        body: str,
        content_type: str,
        *,
        secret: str | None = None,
        timestamp: float | None = None,
        retry: int = 0,
    ) -> InboundReply:
        """POST a signed body to the app. `secret`/`timestamp` override the right ones;
        `retry` > 0 marks a redelivery (`X-Slack-Retry-Num`), as Slack sends when it
        thinks the first delivery was not acknowledged in time."""
        assert self._session is not None, "use FakeSlack as an async context manager"
        headers = {
            "Content-Type": content_type,
            **self.sign(body, secret=secret, timestamp=timestamp),
        }
        if retry:
            headers.update(
                {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            )
        async with self._session.post(url, data=body.encode(), headers=headers) as resp:
            return InboundReply(resp.status, await resp.text(), dict(resp.headers))

    async def post_event(self, url: str, event: JSON, **signing: Any) -> InboundReply:
        """POST an event (wrapped in `event_callback` unless it already is an envelope)."""
        envelope = event if event.get("type") == "event_callback" else self.event_callback(event)
        return await self.send_http(url, json.dumps(envelope), "application/json", **signing)

    async def post_command(self, url: str, command: dict[str, str], **signing: Any) -> InboundReply:
        """POST a slash command (form-encoded, as Slack does)."""
        return await self.send_http(
            url, urlencode(command), "application/x-www-form-urlencoded", **signing
        )

    async def post_interactive(self, url: str, payload: JSON, **signing: Any) -> InboundReply:
        """POST an interactive payload (form field `payload` holding JSON, as Slack does)."""
        body = urlencode({"payload": json.dumps(payload)})
        return await self.send_http(url, body, "application/x-www-form-urlencoded", **signing)

    # ---- Socket Mode ----

    async def _handle_socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)  # answers slack_sdk's pings
        await ws.prepare(request)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {
                    "host": "fake-slack",
                    "build_number": 1,
                    "approximate_connection_time": 18060,
                },
                "connection_info": {"app_id": self.app_id},
            }
        )

        def connected() -> None:
            self._sockets.append(ws)
            self.socket_connections += 1

        await self._notify(connected)
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    data = json.loads(msg.data)
                    if isinstance(data, dict) and "envelope_id" in data:
                        async with self._cond:
                            self.acks[data["envelope_id"]] = data
                            self._cond.notify_all()
        finally:
            await self._notify(lambda: self._sockets.remove(ws))
        return ws

    async def wait_for_socket(self, count: int = 1, *, timeout: float = 5) -> None:  # noqa: ASYNC109
        """Wait until `count` sockets have ever connected and one is open."""
        await self.wait_until(
            lambda: self.socket_connections >= count and bool(self._sockets),
            timeout=timeout,
            what=f"socket connection #{count}",
        )

    async def send_envelope(
        self,
        type_: str,
        payload: JSON,
        *,
        accepts_response_payload: bool = False,
        retry: int = 0,
    ) -> str:
        """Send an envelope on the newest open socket; returns its envelope_id. `retry` > 0
        is a redelivery of the same payload (`retry_attempt`, a new envelope id)."""
        await self.wait_for_socket()
        envelope: JSON = {
            "envelope_id": str(uuid.uuid4()),
            "type": type_,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if type_ == "events_api":
            envelope.update(retry_attempt=retry, retry_reason="timeout" if retry else "")
        self.sent_envelopes.append(envelope)
        await self._sockets[-1].send_json(envelope)
        return envelope["envelope_id"]

    async def wait_for_ack(self, envelope_id: str, *, timeout: float = 5) -> JSON:  # noqa: ASYNC109
        """The app's ack: `{"envelope_id": ...}` plus `payload` when it answered something."""
        await self.wait_until(
            lambda: envelope_id in self.acks, timeout=timeout, what=f"ack of {envelope_id}"
        )
        return self.acks[envelope_id]

    async def push_event(self, event: JSON, *, timeout: float = 5, retry: int = 0) -> JSON:  # noqa: ASYNC109
        envelope = event if event.get("type") == "event_callback" else self.event_callback(event)
        eid = await self.send_envelope("events_api", envelope, retry=retry)
        return await self.wait_for_ack(eid, timeout=timeout)

    async def push_command(self, command: dict[str, str], *, timeout: float = 5) -> JSON:  # noqa: ASYNC109
        eid = await self.send_envelope("slash_commands", command, accepts_response_payload=True)
        return await self.wait_for_ack(eid, timeout=timeout)

    async def push_interactive(self, payload: JSON, *, timeout: float = 5) -> JSON:  # noqa: ASYNC109
        accepts = payload.get("type") in ("view_submission", "block_suggestion")
        eid = await self.send_envelope("interactive", payload, accepts_response_payload=accepts)
        return await self.wait_for_ack(eid, timeout=timeout)

    async def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect, as Slack does every few hours."""
        await self.wait_for_socket()
        await self._sockets[-1].send_json(
            {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-slack"}}
        )


@asynccontextmanager
async def serve_app(web_app: web.Application, path: str = "/slack/events") -> AsyncIterator[str]:
    """Serve an aiohttp app (e.g. `bolt_app.web_app()`) on 127.0.0.1; yields the URL of `path`.

    Unlike `AsyncSlackAppServer`/`app.start()`, which bind 0.0.0.0."""
    runner = web.AppRunner(web_app, shutdown_timeout=2)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        yield f"http://127.0.0.1:{runner.addresses[0][1]}{path}"
    finally:
        await runner.cleanup()
