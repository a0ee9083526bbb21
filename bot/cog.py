"""The cog base class and the decorators that mark a cog's handlers.

Decorators only tag functions; ``Bot.load`` reads the tags and wires commands,
listeners, jobs, timers and buttons for every front door (errbot's pattern).
A cog module exposes ``setup(bot) -> Cog | None``; returning None declines to load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from bot.commands import CommandSpec, Option
from bot.events import Event

if TYPE_CHECKING:
    from bot.app import Bot
    from bot.settings import SettingsStore

F = TypeVar("F", bound=Callable[..., Any])
MARKS = "__hearth_marks__"


@dataclass(frozen=True)
class ListenMark:
    event: type[Event]


@dataclass(frozen=True)
class JobMark:
    every: timedelta | None = None
    daily_at: time | None = None


@dataclass(frozen=True)
class TimerMark:
    kind: str


@dataclass(frozen=True)
class ButtonMark:
    action: str


@dataclass(frozen=True)
class ActionMark:
    """A message action (context menu, message shortcut) or a user action."""

    label: str
    target: str  # "message" or "user"


def _mark(mark: object) -> Callable[[F], F]:
    def decorate(function: F) -> F:
        marks = getattr(function, MARKS, [])
        setattr(function, MARKS, [*marks, mark])
        return function

    return decorate


def command(
    path: str,
    description: str,
    *options: Option,
    moderator: bool = False,
    private: bool = False,
    cooldown: bool = True,
) -> Callable[[F], F]:
    """Declare a command: ``@command("welcome channel", "Where welcomes go", Channel(name=…))``.

    The handler is ``async def f(self, ctx, **options) -> Message | None``. A public answer
    starts the person's cooldown for the command (``[hearth] public_cooldown``) unless
    ``cooldown=False`` (an act with rules of its own, such as ``/kudos``).
    """
    words = tuple(path.split())
    if not 1 <= len(words) <= 3:
        raise ValueError(f"a command path has 1 to 3 words, not {path!r}")
    return _mark(CommandSpec(words, description, tuple(options), moderator, private, cooldown))


def listen(event: type[Event]) -> Callable[[F], F]:
    """Call the handler for every ``event`` (and its subclasses). Keep it fast: every message passes here."""
    return _mark(ListenMark(event))


def job(*, every: timedelta | None = None, daily_at: time | None = None) -> Callable[[F], F]:
    """A periodic job. ``every``: ``async def f(self)``. ``daily_at`` (local time in each
    community's timezone): ``async def f(self, community)``."""
    if (every is None) == (daily_at is None):
        raise ValueError("a job runs either every N, or daily at a time")
    return _mark(JobMark(every, daily_at))


def timer(kind: str) -> Callable[[F], F]:
    """Handle due timers of ``kind``: ``async def f(self, timer: Timer)``."""
    return _mark(TimerMark(kind))


def button(action: str) -> Callable[[F], F]:
    """Handle presses of buttons whose action is ``<cog>.<action>``:
    ``async def f(self, ctx, value) -> Message | None`` (a private reply to the presser)."""
    return _mark(ButtonMark(action))


def message_action(label: str) -> Callable[[F], F]:
    """A context-menu action on a message: ``async def f(self, ctx, target: TargetMessage)``."""
    return _mark(ActionMark(label, "message"))


def user_action(label: str) -> Callable[[F], F]:
    """A context-menu action on a person: ``async def f(self, ctx, user: str)``."""
    return _mark(ActionMark(label, "user"))


def marks_of(function: Callable[..., Any]) -> list[object]:
    return list(getattr(function, MARKS, []))


class Cog:
    """A feature. Subclasses set ``name``, declare handlers with the decorators above,
    and implement the two privacy hooks."""

    name: ClassVar[str]
    #: Tables this cog owns (checked by the meta-test after migrating).
    tables: ClassVar[tuple[str, ...]] = ()
    #: A dataclass of per-community settings: defaults < config.toml [name] < commands.
    settings_class: ClassVar[type | None] = None

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    @property
    def settings(self) -> SettingsStore:
        return self.bot.settings_for(self.name)

    def t(self, key: str, **params: object) -> str:
        return self.bot.catalog.text(key, **params)

    async def start(self) -> None:
        """Called once the database is ready: load caches here."""

    async def close(self) -> None:
        """Called at shutdown: flush buffers here."""

    async def delete_user_data(self, community: str, user: str) -> None:
        raise NotImplementedError

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        raise NotImplementedError
