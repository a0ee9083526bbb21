"""The Slack front door: a slack-bolt ``AsyncApp`` wired to the core.

One adapter serves one workspace (the bot token's), as community ``slack:<team id>``.
Socket Mode by default (bot token + app token, no public URL); HTTP mode with
``[slack] mode = "http"`` (bot token + signing secret), where Bolt verifies every
request's signature and timestamp.

Inbound: ``team_join``, ``member_joined_channel``, messages and thread replies,
edits and deletions, reactions → core events (see ``inbound.py``); one slash
command per command group (``/welcome …``, parsed by the core); buttons
(``block_actions``); message shortcuts (a cog's message actions, callback id
from the label: "Explain jargon" → ``explain_jargon``); ``app_home_opened`` →
the App Home tab (see ``home.py``).

Replies go back through the ``response_url``: private ones as ephemeral
messages, public ones in the channel. A private reply to a button on an
ephemeral message replaces that message (so its buttons go away). If the
``response_url`` fails, the reply is posted with the Web API instead.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.catalog import Catalog
from bot.clock import Clock
from bot.config import Secrets, SlackSection
from bot.errors import PlatformError
from bot.events import Event
from bot.messages import MessageRef
from bot.platform import Person, Reply, TargetMessage
from bot.platforms.slack.actions import Identity, SlackPlatform
from bot.platforms.slack.directory import Directory, is_channel_id
from bot.platforms.slack.home import home_view
from bot.platforms.slack.inbound import (
    POSTED_SUBTYPES,
    channel_join_event,
    is_from_bot,
    message_event,
    reaction_event,
    team_join_event,
)
from bot.platforms.slack.manifest import callback_id
from bot.platforms.slack.mrkdwn import from_slack
from bot.platforms.slack.render import ACTION_PREFIX, action_of

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)

_LABELLED = re.compile(r"<([@#])([A-Z0-9]+)\|([^<>]+)>")
#: How often a rate-limited call is tried again (each after its ``Retry-After``).
RATE_LIMIT_RETRIES = 5


def retry_handlers() -> list[Any]:
    return [
        AsyncConnectionErrorRetryHandler(max_retry_count=2),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=2),
    ]


class SlackAdapter:
    def __init__(
        self,
        settings: SlackSection,
        secrets: Secrets,
        clock: Clock,
        catalog: Catalog | None = None,
    ) -> None:
        self.settings = settings
        self.secrets = secrets
        self.clock = clock
        self.catalog = catalog or Catalog.load()
        options: dict[str, Any] = (
            {"base_url": settings.api_base_url} if settings.api_base_url else {}
        )
        self.client = AsyncWebClient(
            token=secrets.slack_bot_token, retry_handlers=retry_handlers(), **options
        )
        self.directory = Directory(self.client, clock)
        self._platform: SlackPlatform | None = None
        self._bot: Bot | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._labels: dict[str, str] = {}
        #: The HTTP endpoint's URL once serving in HTTP mode.
        self.url: str | None = None

    # --- lifecycle ---------------------------------------------------------------------

    async def connect(self) -> SlackPlatform:
        """Ask Slack who the bot is (``auth.test``); the platform to hand to the bot."""
        try:
            answer = await self.client.auth_test()
        except SlackApiError as error:
            reason = error.response.get("error")
            raise PlatformError(f"Slack refused the bot token (auth.test: {reason})") from None
        identity = Identity(
            team_id=answer["team_id"],
            url=answer.get("url") or "https://slack.com/",
            bot_user_id=answer["user_id"],
            bot_id=answer.get("bot_id") or "",
            bot_name=answer.get("user") or "hearth",
        )
        self._platform = SlackPlatform(
            self.client, identity, self.directory, self.settings, self.catalog
        )
        return self._platform

    async def start(self, bot: Bot) -> None:
        """Listen: connect the socket (Socket Mode) or serve the endpoint (HTTP mode)."""
        self._bot = bot
        app = self.build_app()
        if self.settings.mode == "socket":
            self._socket = AsyncSocketModeHandler(app, app_token=self.secrets.slack_app_token)
            await self._socket.connect_async()
            log.info("Slack: connected in Socket Mode as %s", self.platform.identity.bot_name)
            return
        self._runner = web.AppRunner(app.web_app(path=self.settings.http_path), shutdown_timeout=2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.http_host, self.settings.http_port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}{self.settings.http_path}"
        log.info("Slack: serving events at %s", self.url)

    async def stop_listening(self) -> None:
        """Stop taking events (the socket or the endpoint); the Web API client stays usable,
        so the bot's last edits at shutdown still go out."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def close(self) -> None:
        """Stop listening; the Web API client holds no session between calls. Idempotent."""
        await self.stop_listening()

    @property
    def platform(self) -> SlackPlatform:
        if self._platform is None:
            raise RuntimeError("call connect() first")
        return self._platform

    @property
    def bot(self) -> Bot:
        if self._bot is None:
            raise RuntimeError("call start() first")
        return self._bot

    @property
    def community(self) -> str:
        return self.platform.identity.community

    def build_app(self) -> AsyncApp:
        """The Bolt app with a listener for every event, command, button and shortcut."""
        http = self.settings.mode == "http"
        app = AsyncApp(
            client=self.client,
            signing_secret=self.secrets.slack_signing_secret or "",
            request_verification_enabled=http,
            logger=logging.getLogger("slack_bolt"),
        )
        app.event("team_join")(self.on_team_join)
        app.event("member_joined_channel")(self.on_channel_join)
        app.event("message")(self.on_message)
        app.event("reaction_added")(self.on_reaction)
        app.event("reaction_removed")(self.on_reaction)
        app.event("app_home_opened")(self.on_home)
        for group in self.bot.interactions.groups():
            app.command(f"/{group}")(self.on_command)
        app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(self.on_button)
        self._labels = {}
        for label, handler in self.bot.interactions.actions.items():
            if handler.target == "message":
                self._labels[callback_id(label)] = label
                app.shortcut(callback_id(label))(self.on_shortcut)
        return app

    # --- people --------------------------------------------------------------------------

    async def person(self, user_id: str) -> Person:
        """The person as the core sees them: admins and owners are moderators, and so are
        members of a user group or private channel in the community's moderator roles."""
        user = await self.directory.user(user_id)
        return Person(
            user_id,
            user.name,
            is_admin=user.is_admin,
            roles=await self._moderator_roles_of(user_id),
            is_bot=user.is_bot,
        )

    async def _moderator_roles_of(self, user_id: str) -> tuple[str, ...]:
        wanted = self.bot.core_settings(self.community).moderator_roles
        if not wanted:
            return ()
        found = []
        groups: dict[str, set[str]] | None = None
        for role in wanted:
            if is_channel_id(role):
                if user_id in await self.directory.channel_members(role):
                    found.append(role)
                continue
            if groups is None:
                listed = await self.directory.usergroups() or []
                groups = {g["id"]: set(g.get("users") or []) for g in listed}
            if user_id in groups.get(role, ()):
                found.append(role)
        return tuple(found)

    # --- events --------------------------------------------------------------------------

    async def _dispatch(self, core: Event | None, body: dict[str, Any]) -> None:
        """Hand a core event to the bot with the envelope's ``event_id``: Slack redelivers
        an event it thinks was not acknowledged under the same id, and the core drops it."""
        if core is not None:
            await self.bot.dispatch(
                dataclasses.replace(core, event_id=body.get("event_id") or None)
            )

    async def on_team_join(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        await self._dispatch(team_join_event(self.community, event, self.clock.now()), body)

    async def on_channel_join(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        await self._dispatch(channel_join_event(self.community, event, self.clock.now()), body)

    async def on_message(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        name = ""
        if event.get("subtype") in POSTED_SUBTYPES and event.get("user") and not is_from_bot(event):
            name = (await self.directory.user(event["user"])).name
        await self._dispatch(message_event(self.community, event, self.clock.now(), name), body)

    async def on_reaction(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        await self._dispatch(reaction_event(self.community, event, self.clock.now()), body)

    async def on_home(self, event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        view = await home_view(self.bot, self.platform, self.community, event["user"])
        try:
            await self.platform.call(
                "views.publish", self.client.views_publish(user_id=event["user"], view=view)
            )
        except PlatformError as error:
            log.warning("App Home for %s: %s", event["user"], error)

    # --- commands, buttons, shortcuts --------------------------------------------------

    async def on_command(self, ack: Any, command: dict[str, Any]) -> None:
        await ack()
        user, channel = command["user_id"], command["channel_id"]
        self.directory.remember_name(user, command.get("user_name", ""))
        self.directory.remember_channel(channel, command.get("channel_name", ""))
        for found in _LABELLED.finditer(command.get("text") or ""):
            if found.group(1) == "@":
                self.directory.remember_name(found.group(2), found.group(3))
            else:
                self.directory.remember_channel(found.group(2), found.group(3))
        text = from_slack(command.get("text") or "")[0]
        if "@" in text:
            await self.directory.usergroups()  # so that a plain @handle names a group
        line = f"{command['command']} {text}"
        reply = await self.bot.interactions.run_text(
            self.community,
            await self.person(user),
            channel,
            line,
            resolvers=self.directory.resolvers(),
        )
        await self.deliver(reply, command.get("response_url"), channel, user)

    async def on_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        core_action = action_of(action.get("action_id", ""))
        if core_action is None:
            return
        user = body["user"]["id"]
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        ts = container.get("message_ts") or message.get("ts", "")
        thread = message.get("thread_ts") if message.get("thread_ts") != ts else None
        ref = MessageRef(self.community, channel, ts, thread)
        reply = await self.bot.interactions.press(
            self.community,
            await self.person(user),
            channel,
            ref,
            core_action,
            action.get("value", ""),
        )
        if reply is not None:
            replace = bool(container.get("is_ephemeral")) and reply.private
            await self.deliver(reply, body.get("response_url"), channel, user, replace=replace)

    async def on_shortcut(self, ack: Any, shortcut: dict[str, Any]) -> None:
        await ack()
        label = self._labels.get(shortcut.get("callback_id", ""))
        if label is None:
            return
        user = shortcut["user"]["id"]
        channel = (shortcut.get("channel") or {}).get("id", "")
        message = shortcut.get("message") or {}
        ts = shortcut.get("message_ts") or message.get("ts", "")
        thread = message.get("thread_ts") if message.get("thread_ts") != ts else None
        target = TargetMessage(
            MessageRef(self.community, channel, ts, thread),
            message.get("user") or message.get("bot_id") or "",
            from_slack(message.get("text") or "")[0],
        )
        reply = await self.bot.interactions.act(
            label, self.community, await self.person(user), channel, target
        )
        await self.deliver(reply, shortcut.get("response_url"), channel, user)

    async def deliver(
        self,
        reply: Reply,
        response_url: str | None,
        channel: str,
        user: str,
        *,
        replace: bool = False,
    ) -> None:
        """Answer through the ``response_url``; if it fails, through the Web API."""
        message = reply.message
        if message.attachments:
            target = await self.platform.dm_channel(user) if reply.private else channel
            try:
                await self.platform.upload(target, message.attachments)
            except PlatformError as error:
                log.warning("could not upload a reply's files: %s", error)
            message = dataclasses.replace(message, attachments=())
        for index, part in enumerate(await self.platform.render(message)):
            body = {
                "text": part.text,
                "blocks": part.blocks,
                "response_type": "ephemeral" if reply.private else "in_channel",
                "replace_original": replace and index == 0,
            }
            if response_url and await self._respond(response_url, body):
                continue
            if index > 0:
                log.warning("part %d of a reply in %s was not delivered", index + 1, channel)
                continue
            try:
                if reply.private:
                    await self.platform.send_ephemeral(channel, user, message)
                else:
                    await self.platform.send(self.community, channel, message)
            except PlatformError as error:
                log.warning("could not deliver a reply in %s: %s", channel, error)
            return

    async def _respond(self, url: str, body: dict[str, Any]) -> bool:
        webhook = AsyncWebhookClient(url, retry_handlers=retry_handlers())
        try:
            answer = await webhook.send_dict(body)
        except Exception as error:  # any failure: fall back to the Web API
            log.warning("response_url failed: %r", error)
            return False
        if answer.status_code != 200:
            log.warning("response_url answered %s: %s", answer.status_code, answer.body)
        return answer.status_code == 200
