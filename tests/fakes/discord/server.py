"""``FakeDiscord``: the aiohttp server, request recording, waiting and failure injection."""

# The waiting helpers take ``timeout=`` on purpose: every wait in a test is bounded.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import discord
import yarl
from aiohttp import web
from multidict import CIMultiDict

from .model import JSON, ApiError
from .rest import RestRoutes, json_response

_ERRORS = {
    400: (50035, "Invalid Form Body"),
    401: (0, "401: Unauthorized"),
    403: (50013, "Missing Permissions"),
    404: (0, "404: Not Found"),
    500: (0, "500: Internal Server Error"),
}


@dataclass
class RecordedRequest:
    """One REST request as the fake received it."""

    method: str
    #: Path after ``/api/v10``, percent-decoded: ``/channels/123/messages``.
    path: str
    #: JSON body (or a multipart ``payload_json``); None without a body.
    json: Any
    query: dict[str, str]
    #: Case-insensitive: ``headers["X-Audit-Log-Reason"]``.
    headers: CIMultiDict[str]
    #: Uploaded files: ``{"field", "filename", "content_type", "size"}``.
    files: list[JSON] = field(default_factory=list)
    #: The status the fake answered with; 0 while the handler still runs.
    status: int = 0

    @property
    def reason(self) -> str | None:
        """The audit-log reason, unquoted."""
        value = self.headers.get("X-Audit-Log-Reason")
        return unquote(value) if value is not None else None

    def matches(self, method: str | None, path_regex: str | None) -> bool:
        return (method is None or self.method == method.upper()) and (
            path_regex is None or re.fullmatch(path_regex, self.path) is not None
        )


@dataclass
class _Failure:
    method: str
    path_regex: str
    status: int
    body: Any
    headers: dict[str, str]
    times: int


class FakeDiscord(RestRoutes):
    """A fake Discord (REST + gateway) on 127.0.0.1 for the real discord.py client.

    Use as ``async with FakeDiscord() as fake:``, build the world with the
    ``add_*`` builders, point discord.py at it with ``point_discord_at`` and
    connect a client (``run_client``). Then push events (``message_create``,
    ``slash_command``, ...), and wait on what the bot did with
    ``wait_for_request``/``wait_for_callback``. Ids are strings.
    """

    def __init__(
        self,
        *,
        bot_name: str = "Hearth",
        application_id: str | None = None,
        echo_own_actions: bool = True,
    ) -> None:
        super().__init__(bot_name=bot_name, application_id=application_id)
        self._init_gateway()
        self.echo_own_actions = echo_own_actions
        self.requests: list[RecordedRequest] = []
        #: Requests that matched no route (answered 404): what the fake lacks.
        self.unhandled: list[RecordedRequest] = []
        self._failures: list[_Failure] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---------------------------------------------------------------- lifecycle
    @property
    def api_base_url(self) -> str:  # type: ignore[override]
        """For ``discord.http.Route.BASE``."""
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:  # type: ignore[override]
        """For ``DiscordWebSocket.DEFAULT_GATEWAY`` (as a ``yarl.URL``)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> FakeDiscord:
        app = web.Application(middlewares=[self._middleware])
        for method, path, handler in self._routes():
            app.router.add_route(method, "/api/v10" + path, handler)
        app.router.add_get("/gateway", self._gateway_handler)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Close gateway sockets and the server (close clients first, or they reconnect)."""
        await self.close_sockets(1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---------------------------------------------------------------- recording
    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        if not request.path.startswith("/api/v10/"):
            return await handler(request)
        rec = await self._record(request)
        self.requests.append(rec)
        try:
            response = self._injected_failure(rec) or await handler(request, rec)
        except ApiError as e:
            response = json_response({"message": e.message, "code": e.code}, e.status)
        except web.HTTPException as e:  # no such route
            self.unhandled.append(rec)
            response = json_response({"message": f"{e.status}: {e.reason}", "code": 0}, e.status)
        rec.status = response.status
        await self._notify()
        return response

    async def _record(self, request: web.Request) -> RecordedRequest:
        body: Any = None
        files: list[JSON] = []
        if request.content_type.startswith("multipart/"):
            async for part in await request.multipart():
                if part.name == "payload_json":
                    body = await part.json()  # type: ignore[union-attr]
                else:
                    data = await part.read()  # type: ignore[union-attr]
                    content_type = part.headers.get("Content-Type", "application/octet-stream")
                    files.append({
                        "field": part.name, "filename": part.filename,
                        "content_type": content_type, "size": len(data),
                    })  # fmt: skip
        elif request.can_read_body:
            text = await request.text()
            body = await request.json() if text else None
        return RecordedRequest(
            method=request.method,
            path=request.path.removeprefix("/api/v10"),
            json=body,
            query=dict(request.query),
            headers=CIMultiDict(request.headers),
            files=files,
        )

    def find_requests(
        self, method: str | None = None, path_regex: str | None = None
    ) -> list[RecordedRequest]:
        """Answered requests matching ``method`` and ``re.fullmatch(path_regex, path)``."""
        return [r for r in self.requests if r.status and r.matches(method, path_regex)]

    def messages_in(self, channel: str) -> list[JSON]:
        """Stored messages of a channel, oldest first."""
        return [m for m in self.messages.values() if m["channel_id"] == channel]

    # ------------------------------------------------------------------ waiting
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _wait(self, predicate: Callable[[], bool], timeout: float, what: str) -> None:
        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(predicate), timeout)
            except TimeoutError:
                seen = "\n".join(f"  {r.status} {r.method} {r.path}" for r in self.requests)
                raise AssertionError(
                    f"timed out after {timeout}s waiting for {what}; requests so far:\n{seen}"
                ) from None

    async def wait_for_request(
        self, method: str, path_regex: str, *, count: int = 1, timeout: float = 5.0
    ) -> list[RecordedRequest]:
        """Wait until ``count`` matching requests were answered; returns all the matches."""
        what = f"{count} x {method} {path_regex}"
        await self._wait(
            lambda: len(self.find_requests(method, path_regex)) >= count, timeout, what
        )
        return self.find_requests(method, path_regex)

    async def wait_for_callback(self, interaction: Any, *, timeout: float = 5.0) -> RecordedRequest:
        """The bot's answer to an interaction (``POST .../callback``)."""
        path = re.escape(interaction.callback_path)
        return (await self.wait_for_request("POST", path, timeout=timeout))[0]

    async def wait_for_identify(self, *, count: int = 1, timeout: float = 5.0) -> JSON:
        """The latest IDENTIFY payload, once ``count`` were received."""
        await self._wait(lambda: len(self.identifies) >= count, timeout, "IDENTIFY")
        return self.identifies[-1]

    async def wait_until_connected(self, *, timeout: float = 5.0) -> None:
        """Until READY and every GUILD_CREATE were sent (the client's on_ready comes later)."""
        await self._wait(lambda: self.connected, timeout, "a gateway connection")

    async def wait_for_resume(self, *, count: int = 1, timeout: float = 5.0) -> JSON:
        await self._wait(lambda: len(self.resumes) >= count and self.connected, timeout, "RESUME")
        return self.resumes[-1]

    # -------------------------------------------------------- failure injection
    def fail_next(
        self,
        method: str,
        path_regex: str,
        status: int,
        json: Any = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
        *,
        retry_after: float = 0.05,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` instead.

        A 429 gets a ``retry_after`` body and the ``Retry-After``,
        ``X-RateLimit-*`` and ``Via`` headers discord.py needs to wait and
        retry (without ``Via`` it raises, taking it for a Cloudflare ban).
        Beware: discord.py retries 500/502/504 after sleeping 1 s, 3 s, ...
        """
        if status == 429:
            body = {
                "message": "You are being rate limited.", "retry_after": retry_after,
                "global": False, "code": 0,
            }  # fmt: skip
            default_headers = {
                "Retry-After": str(retry_after), "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": str(retry_after),
                "X-RateLimit-Reset": str(time.time() + retry_after), "X-RateLimit-Scope": "user",
                "Via": "1.1 google",
            }  # fmt: skip
        else:
            code, message = _ERRORS.get(status, (0, f"{status}: Error"))
            body, default_headers = {"message": message, "code": code}, {}
        failure = _Failure(
            method.upper(), path_regex, status, body if json is None else json,
            {**default_headers, **(headers or {})}, times,
        )  # fmt: skip
        self._failures.append(failure)

    def _injected_failure(self, rec: RecordedRequest) -> web.Response | None:
        for failure in self._failures:
            if rec.matches(failure.method, failure.path_regex):
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
                return json_response(failure.body, failure.status, failure.headers)
        return None


@contextmanager
def point_discord_at(fake: FakeDiscord) -> Iterator[FakeDiscord]:
    """Set discord.py's two global URLs (REST base, gateway) to the fake; restore them after."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.api_base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield fake
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@asynccontextmanager
async def run_client(
    client: discord.Client, *, token: str = "fake-token", timeout: float = 5.0
) -> AsyncIterator[discord.Client]:
    """Log in, connect, wait for on_ready; close the client and its task on exit.

    Needs ``point_discord_at`` around it. Pass the client a small
    ``guild_ready_timeout`` (e.g. 0.05): on_ready waits that long after the
    last GUILD_CREATE.
    """
    task: asyncio.Task[None] | None = None
    try:
        await client.login(token)
        task = asyncio.create_task(client.connect(reconnect=True))
        ready = asyncio.ensure_future(client.wait_until_ready())
        done, _ = await asyncio.wait({task, ready}, timeout=timeout, return_when="FIRST_COMPLETED")
        if ready not in done:
            ready.cancel()
            if task.done():
                task.result()  # raise the connection error
            raise AssertionError(f"discord.py client not ready after {timeout}s")
        yield client
        if task.done():  # the connection loop ended during the test, e.g. on a bad payload
            task.result()  # raises what killed it
            if not client.is_closed():
                raise AssertionError("discord.py client stopped during the test")
    finally:
        await client.close()
        if task is not None:
            await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), timeout)
