"""Running what people do: commands, buttons and context-menu actions.

Validation and permission checks live here, once, for every platform. A mistake
gets a short private answer saying what is wrong and what is allowed; a crash in
a handler is logged with its cog and ids, and the person gets a private apology.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.commands import (
    GRANT,
    POST,
    Channel,
    CommandSpec,
    OptionEnv,
    Resolver,
    Role,
    convert_options,
    encodable,
    find_command,
    parse_arguments,
    tokenize,
)
from bot.cooldowns import Cooldowns
from bot.errors import UserError
from bot.messages import Field, Message, MessageRef
from bot.platform import Person, Reply, TargetMessage
from bot.timeutil import format_duration

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Resolvers:
    """How a text front door turns ``@name``, ``#name`` and role names into ids."""

    user: Resolver = lambda token: None
    channel: Resolver = lambda token: None
    role: Resolver = lambda token: None


_NAME = re.compile(r"^[@#]?([\w.-]+)$")


def _name(token: str) -> str | None:
    found = _NAME.match(token)
    return found.group(1) if found else None


def name_resolvers() -> Resolvers:
    """Where ids are names (the playground, tests): ``@alice`` → ``alice``, ``#help`` → ``help``."""
    return Resolvers(user=_name, channel=_name, role=_name)


@dataclass
class CommandContext:
    """Who did what, where. Handlers receive it as their first argument."""

    bot: Bot
    community: str
    user: Person
    channel: str
    is_moderator: bool
    thread: str | None = None
    message: MessageRef | None = None  # the message a button was on
    command: str = ""
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def now(self) -> datetime:
        return self.bot.clock.now()

    def t(self, key: str, **params: object) -> str:
        return self.bot.catalog.text(key, **params)


def _cools_down(spec: CommandSpec) -> bool:
    """Public member commands wait between public answers; moderators' commands are acts
    of the people who keep the community, and private answers post nothing."""
    return spec.cooldown and not spec.private and not spec.moderator


@dataclass(frozen=True)
class ButtonHandler:
    cog: str
    run: Callable[..., Awaitable[Message | None]]


@dataclass(frozen=True)
class ActionHandler:
    cog: str
    label: str
    target: str
    run: Callable[..., Awaitable[Message | None]]


class Interactions:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.commands: list[CommandSpec] = []
        self.buttons: dict[str, ButtonHandler] = {}
        self.actions: dict[str, ActionHandler] = {}
        #: Public answers per (community, person, command); buttons may use it too.
        self.cooldowns = Cooldowns()

    # --- registration ---------------------------------------------------------------

    def add_command(self, spec: CommandSpec) -> None:
        if any(c.path == spec.path for c in self.commands):
            raise ValueError(f"two cogs declare /{spec.qualified_name}")
        self.commands.append(spec)

    def groups(self) -> list[str]:
        return sorted({c.group for c in self.commands})

    def in_group(self, group: str) -> list[CommandSpec]:
        return [c for c in self.commands if c.group == group]

    # --- commands -------------------------------------------------------------------

    async def is_moderator(self, community: str, person: Person) -> bool:
        if person.is_admin:
            return True
        roles = self.bot.core_settings(community).moderator_roles
        return any(role in roles for role in person.roles)

    def option_env(self, community: str, resolvers: Resolvers | None) -> OptionEnv:
        resolvers = resolvers or Resolvers()
        return OptionEnv(
            catalog=self.bot.catalog,
            now=self.bot.clock.now(),
            timezone=self.bot.timezone(community),
            resolve_user=resolvers.user,
            resolve_channel=resolvers.channel,
            resolve_role=resolvers.role,
        )

    async def run_text(
        self,
        community: str,
        user: Person,
        channel: str,
        line: str,
        *,
        thread: str | None = None,
        resolvers: Resolvers | None = None,
    ) -> Reply:
        """Run ``/group name key:value …`` as typed in Slack or the playground."""
        if not encodable(line):  # every answer below may quote the line back
            return self._private(self.bot.catalog.text("core.command.bad_text"))
        text = line.strip().removeprefix("/")
        tokens = tokenize(text)
        words = [t.text for t in tokens if t.key is None]
        spec, used = find_command(self.commands, words)
        t = self.bot.catalog.text
        if spec is None:
            group = words[0].casefold() if words else ""
            if group in self.groups():
                if len(words) == 1 or words[1].casefold() == "help":
                    return Reply(await self.help(community, user, group), private=True)
                return self._private(t("core.command.unknown", name=text, group=group))
            shown = ", ".join("/" + g for g in self.groups())
            return self._private(t("core.command.unknown_group", name=text, groups=shown))
        env = self.option_env(community, resolvers)
        try:
            raw = parse_arguments(spec, text, tokens[used:], env)
        except UserError as error:
            return self._private(error.text)
        return await self._run(spec, community, user, channel, thread, raw, env)

    async def run(
        self,
        community: str,
        user: Person,
        channel: str,
        path: tuple[str, ...],
        raw: dict[str, str],
        *,
        thread: str | None = None,
        resolvers: Resolvers | None = None,
    ) -> Reply:
        """Run a command a native front door already split into path and raw option values."""
        spec = next((c for c in self.commands if c.path == tuple(path)), None)
        if spec is None:
            name = " ".join(path)
            return self._private(
                self.bot.catalog.text("core.command.unknown", name=name, group=path[0])
            )
        env = self.option_env(community, resolvers)
        return await self._run(spec, community, user, channel, thread, raw, env)

    async def _run(
        self,
        spec: CommandSpec,
        community: str,
        user: Person,
        channel: str,
        thread: str | None,
        raw: dict[str, str],
        env: OptionEnv,
    ) -> Reply:
        await self.bot.ensure_community(community)
        moderator = await self.is_moderator(community, user)
        if spec.moderator and not moderator:
            return self._private(
                self.bot.catalog.text("core.command.moderators_only", name=spec.qualified_name)
            )
        ctx = CommandContext(
            self.bot, community, user, channel, moderator, thread, command=spec.qualified_name
        )
        try:
            values = convert_options(spec, raw, env)
            await self.check_places(spec, values, community)
            result = await spec.handler(ctx, **values)  # type: ignore[misc]
        except UserError as error:
            return self._private(error.text)
        except Exception:
            log.exception(
                "command /%s failed (cog %s, community %s, user %s)",
                spec.qualified_name,
                spec.cog,
                community,
                user.id,
            )
            return self._private(
                self.bot.catalog.text("core.command.failed", name=spec.qualified_name)
            )
        finally:
            await self.bot.settle()
        reply = result if isinstance(result, Reply) else Reply(result or Message(), spec.private)
        if reply.private or not _cools_down(spec):
            return reply
        if refusal := self.cooldown_refusal(community, user.id, spec.qualified_name):
            return self._private(refusal)  # a refusal, a mistake or an empty answer still shows
        self.start_cooldown(community, user.id, spec.qualified_name)
        return reply

    def cooldown_refusal(self, community: str, user: str, what: str) -> str | None:
        """The private refusal while ``user`` posted ``what`` publicly a moment ago; None when
        they may post it now. Buttons that post publicly ask this too."""
        left = self.cooldowns.remaining((community, user, what), self.bot.clock.now())
        if left is None:
            return None
        wait = format_duration(max(left, timedelta(seconds=1)))
        return self.bot.catalog.text("core.command.cooldown", name=what, wait=wait)

    def start_cooldown(self, community: str, user: str, what: str) -> None:
        """``user`` just posted ``what`` publicly (``[hearth] public_cooldown``)."""
        period = self.bot.config.hearth.public_cooldown
        self.cooldowns.start((community, user, what), self.bot.clock.now(), period)

    async def check_places(self, spec: CommandSpec, values: dict[str, Any], community: str) -> None:
        """Ask the platform whether each channel and role given can be used as the option
        declares (exists; Hearth can post there or hand the role out); UserError if not."""
        for option in spec.options:
            value = values.get(option.python_name)
            if value is None:
                continue
            problem = None
            if isinstance(option, Channel) and option.needs:
                problem = await self.bot.channel_problem(
                    community, value, post=option.needs == POST
                )
            elif isinstance(option, Role) and option.needs:
                problem = await self.bot.role_problem(community, value, grant=option.needs == GRANT)
            if problem:
                raise UserError(problem)

    async def help(self, community: str, user: Person, group: str) -> Message:
        t = self.bot.catalog.text
        fields = []
        for spec in self.in_group(group):
            suffix = t("core.command.help_moderator") if spec.moderator else ""
            fields.append(Field(spec.usage(), spec.description + suffix))
        return Message(title=t("core.command.help_title", group=group), fields=tuple(fields))

    async def autocomplete(
        self, community: str, user: Person, path: tuple[str, ...], option: str, partial: str
    ) -> list[str]:
        spec = next((c for c in self.commands if c.path == tuple(path)), None)
        declared = spec.option(option) if spec else None
        if spec is None or declared is None or declared.autocomplete is None:
            return []
        cog = self.bot.cogs[spec.cog]
        ctx = CommandContext(self.bot, community, user, "", False, command=spec.qualified_name)
        try:
            return list(await getattr(cog, declared.autocomplete)(ctx, partial))[:25]
        except Exception:
            log.exception("autocomplete for /%s %s failed", spec.qualified_name, option)
            return []

    # --- buttons and actions ----------------------------------------------------------

    async def press(
        self,
        community: str,
        user: Person,
        channel: str,
        message: MessageRef,
        action: str,
        value: str,
    ) -> Reply | None:
        handler = self.buttons.get(action)
        if handler is None:
            return self._private(self.bot.catalog.text("core.command.button_gone"))
        moderator = await self.is_moderator(community, user)
        ctx = CommandContext(
            self.bot, community, user, channel, moderator, message.thread, message, action
        )
        return await self._call(ctx, handler.cog, action, handler.run, value)

    async def act(
        self,
        label: str,
        community: str,
        user: Person,
        channel: str,
        target: TargetMessage | str,
    ) -> Reply:
        handler = self.actions.get(label)
        if handler is None:
            return self._private(self.bot.catalog.text("core.command.action_unknown"))
        moderator = await self.is_moderator(community, user)
        ctx = CommandContext(self.bot, community, user, channel, moderator, command=label)
        reply = await self._call(ctx, handler.cog, label, handler.run, target)
        return reply or Reply(Message(), private=True)

    async def _call(
        self, ctx: CommandContext, cog: str, what: str, run: Callable[..., Any], arg: Any
    ) -> Reply | None:
        try:
            result = await run(ctx, arg)
        except UserError as error:
            return self._private(error.text)
        except Exception:
            log.exception(
                "%s failed (cog %s, community %s, user %s)", what, cog, ctx.community, ctx.user.id
            )
            return self._private(self.bot.catalog.text("core.command.failed", name=what))
        finally:
            await self.bot.settle()
        if result is None or isinstance(result, Reply):
            return result
        return Reply(result, private=True)

    @staticmethod
    def _private(text: str) -> Reply:
        return Reply(Message(text), private=True)
