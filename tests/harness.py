"""Drive a real Bot in tests: a recording platform, a real SQLite file, a movable clock.

    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        await h.join("alice")
        reply = await h.command("bob", "/welcome progress")
        await h.wait(timedelta(hours=24))
        assert h.platform.sent_to("welcome")

Nothing here mocks Hearth's own code: commands, events, jobs and storage are real.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import Bot
from bot.clock import ManualClock
from bot.cog import Cog
from bot.config import Config, parse_config
from bot.errors import PlatformError
from bot.events import (
    MemberJoined,
    MemberLeft,
    MessageDeleted,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
)
from bot.interactions import Resolvers, name_resolvers
from bot.messages import Message, MessageRef
from bot.platform import Person, Reply, TargetMessage
from bot.registry import available_cogs
from bot.runtime import running_bot

COMMUNITY = "test:c1"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
# Where playground scripts in the tests start (`hearth playground --start`): never the wall clock.
PLAYGROUND_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday


@dataclass
class Action:
    """One thing the bot did on the platform."""

    kind: str  # send, dm, edit, delete, react, pin, role+, role-
    community: str
    channel: str | None = None
    message: Message | None = None
    ref: MessageRef | None = None
    user: str | None = None
    thread: str | None = None
    role: str | None = None
    emoji: str | None = None

    @property
    def text(self) -> str:
        return "" if self.message is None else self.message.text


@dataclass
class RecordingPlatform:
    """A Platform that records every action; ``refuse`` makes chosen kinds fail, everywhere
    (``refuse["send"]``) or in one channel (``refuse["send:general"]``). ``members`` is who
    the platform says is in the community (``is_member``); None: it cannot tell.
    ``channels`` and ``roles`` are those that exist (None: any name does), ``unpostable`` the
    channels Hearth may not post in, ``managed`` the roles it cannot hand out; the role
    ``everyone`` is @everyone."""

    name: str = "test"
    supports_files: bool = True
    actions: list[Action] = field(default_factory=list)
    refuse: dict[str, PlatformError] = field(default_factory=dict)
    members: set[str] | None = None
    channels: set[str] | None = None
    roles: set[str] | None = None
    unpostable: set[str] = field(default_factory=set)
    managed: set[str] = field(default_factory=set)
    _ids: Any = field(default_factory=lambda: itertools.count(1000))

    def _check(self, kind: str, channel: str | None = None) -> None:
        error = self.refuse.get(f"{kind}:{channel}") or self.refuse.get(kind)
        if error is not None:
            raise error

    async def send(
        self, community: str, channel: str, message: Message, *, thread: str | None = None
    ) -> MessageRef:
        self._check("send", channel)
        ref = MessageRef(community, channel, f"b{next(self._ids)}", thread)
        self.actions.append(Action("send", community, channel, message, ref, thread=thread))
        return ref

    async def send_dm(self, community: str, user: str, message: Message) -> MessageRef:
        self._check("dm")
        ref = MessageRef(community, f"dm-{user}", f"b{next(self._ids)}")
        self.actions.append(Action("dm", community, ref.channel, message, ref, user=user))
        return ref

    async def edit(self, ref: MessageRef, message: Message) -> None:
        self._check("edit", ref.channel)
        self.actions.append(Action("edit", ref.community, ref.channel, message, ref))

    async def delete(self, ref: MessageRef) -> None:
        self._check("delete", ref.channel)
        self.actions.append(Action("delete", ref.community, ref.channel, ref=ref))

    async def react(self, ref: MessageRef, emoji: str) -> None:
        self._check("react", ref.channel)
        self.actions.append(Action("react", ref.community, ref.channel, ref=ref, emoji=emoji))

    async def pin(self, ref: MessageRef) -> None:
        self._check("pin", ref.channel)
        self.actions.append(Action("pin", ref.community, ref.channel, ref=ref))

    async def add_role(self, community: str, user: str, role: str, reason: str) -> None:
        self._check("role")
        self.actions.append(Action("role+", community, user=user, role=role))

    async def remove_role(self, community: str, user: str, role: str, reason: str) -> None:
        self._check("role")
        self.actions.append(Action("role-", community, user=user, role=role))

    def message_link(self, ref: MessageRef) -> str | None:
        return f"https://chat.example/{ref.channel}/{ref.id}"

    async def is_member(self, community: str, user: str) -> bool | None:
        return None if self.members is None else user in self.members

    async def check_channel(self, community: str, channel: str, *, post: bool) -> str | None:
        if self.channels is not None and channel not in self.channels:
            return "core.check.channel_missing"
        return "core.check.channel_cannot_post" if post and channel in self.unpostable else None

    async def check_role(self, community: str, role: str, *, grant: bool) -> str | None:
        if role == "everyone":
            return "core.check.role_everyone"
        if self.roles is not None and role not in self.roles:
            return "core.check.role_missing"
        return "core.check.role_cannot_grant" if grant and role in self.managed else None

    # --- reading what happened --------------------------------------------------------------

    def of_kind(self, kind: str) -> list[Action]:
        return [a for a in self.actions if a.kind == kind]

    def sent_to(self, channel: str) -> list[Action]:
        return [a for a in self.actions if a.kind == "send" and a.channel == channel]

    def dms_to(self, user: str) -> list[Action]:
        return [a for a in self.actions if a.kind == "dm" and a.user == user]

    def clear(self) -> None:
        self.actions.clear()


@dataclass
class Harness:
    bot: Bot
    platform: RecordingPlatform
    clock: ManualClock
    database: Path
    config: Config
    sections: dict[str, Any] | None = None
    extra_cogs: list[Callable[[Bot], Cog]] | None = None
    community: str = COMMUNITY
    _messages: Any = field(default_factory=lambda: itertools.count(1))
    moderators: set[str] = field(default_factory=set)
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def person(self, user: str) -> Person:
        return Person(user, user, is_admin=user in self.moderators, roles=self.roles.get(user, ()))

    def resolvers(self) -> Resolvers:
        return name_resolvers()

    async def join(self, user: str, *, is_bot: bool = False) -> None:
        await self.bot.dispatch(
            MemberJoined(
                community=self.community, at=self.clock.now(), user=user, name=user, is_bot=is_bot
            )
        )

    async def leave(self, user: str) -> None:
        await self.bot.dispatch(
            MemberLeft(community=self.community, at=self.clock.now(), user=user)
        )

    async def say(
        self,
        user: str,
        channel: str,
        text: str,
        *,
        thread: str | None = None,
        reply_to: str | None = None,
        mentions: tuple[str, ...] = (),
        is_bot: bool = False,
        starts_thread: bool = False,
    ) -> str:
        message = f"u{next(self._messages)}"
        await self.bot.dispatch(
            MessagePosted(
                community=self.community,
                at=self.clock.now(),
                channel=channel,
                message=message,
                author=user,
                author_name=user,
                text=text,
                thread=thread,
                reply_to=reply_to,
                mentions=mentions,
                author_is_bot=is_bot,
                starts_thread=starts_thread,
            )
        )
        return message

    async def delete_message(self, channel: str, message: str) -> None:
        await self.bot.dispatch(
            MessageDeleted(
                community=self.community, at=self.clock.now(), channel=channel, message=message
            )
        )

    async def react(
        self,
        user: str,
        channel: str,
        message: str,
        emoji: str,
        *,
        author: str | None = None,
        remove: bool = False,
    ) -> None:
        kind = ReactionRemoved if remove else ReactionAdded
        await self.bot.dispatch(
            kind(
                community=self.community,
                at=self.clock.now(),
                channel=channel,
                message=message,
                user=user,
                emoji=emoji,
                message_author=author,
            )
        )

    async def command(
        self, user: str, line: str, *, channel: str = "general", thread: str | None = None
    ) -> Reply:
        return await self.bot.interactions.run_text(
            self.community,
            self.person(user),
            channel,
            line,
            thread=thread,
            resolvers=self.resolvers(),
        )

    async def press(self, user: str, ref: MessageRef, action: str, value: str = "") -> Reply | None:
        return await self.bot.interactions.press(
            self.community, self.person(user), ref.channel, ref, action, value
        )

    async def press_button(self, user: str, action: Action, label: str) -> Reply | None:
        """Press the button labelled ``label`` (substring) on a message the bot sent."""
        assert action.message is not None and action.ref is not None
        button = next(b for b in action.message.buttons if label.casefold() in b.label.casefold())
        return await self.press(user, action.ref, button.action, button.value)

    async def act(
        self, user: str, label: str, target: TargetMessage | str, channel: str = "general"
    ) -> Reply:
        return await self.bot.interactions.act(
            label, self.community, self.person(user), channel, target
        )

    async def wait(self, delta: timedelta) -> None:
        """Move the clock; every job and timer due in between runs, in order."""
        await self.bot.scheduler.advance(delta)  # type: ignore[union-attr]


def harness_config(cogs: list[str] | None = None, sections: dict[str, Any] | None = None) -> Config:
    data: dict[str, Any] = {name: dict(values) for name, values in (sections or {}).items()}
    data.setdefault("hearth", {})["cogs"] = cogs if cogs is not None else []
    return parse_config(data, set(available_cogs()))


@asynccontextmanager
async def make_harness(
    tmp_path: Path,
    *,
    cogs: list[str] | None = None,
    sections: dict[str, Any] | None = None,
    clock: ManualClock | None = None,
    platform: RecordingPlatform | None = None,
    database: Path | None = None,
    extra_cogs: list[Callable[[Bot], Cog]] | None = None,
) -> AsyncIterator[Harness]:
    """A started bot with the given cogs (the core cog is always there)."""
    config = harness_config(cogs, sections)
    clock = clock or ManualClock(START)
    platform = platform or RecordingPlatform()
    database = database or tmp_path / "hearth.db"
    async with running_bot(
        config, clock, database=database, platforms=[platform], extra_cogs=extra_cogs or ()
    ) as bot:
        await bot.ensure_community(COMMUNITY, "Test Community")
        yield Harness(bot, platform, clock, database, config, sections, extra_cogs)


@asynccontextmanager
async def restarted(h: Harness) -> AsyncIterator[Harness]:
    """A new bot on the same database, clock and platform: what a restart looks like.

    Use after leaving the first harness's ``async with`` (so the first bot is closed)."""
    async with make_harness(
        h.database.parent,
        cogs=h.config.hearth.cogs,
        sections=h.sections,
        clock=h.clock,
        platform=h.platform,
        database=h.database,
        extra_cogs=h.extra_cogs,
    ) as again:
        again.moderators = h.moderators
        again.roles = h.roles
        yield again
