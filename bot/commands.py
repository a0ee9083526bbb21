"""Neutral command declarations, option validation and the text command syntax.

A cog declares each command once (path, options, moderator-only, private reply);
every front door builds its native commands from these declarations, and every
value a person typed or picked is validated here, once, for all platforms.

Text front doors (Slack slash commands, the playground) share one syntax::

    /mission contribute amount:3 note:"wrote the FAQ"
    /kudos @bob thanks for the review          (positional values fill options in order)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.catalog import Catalog
from bot.database import INTEGER_MAX
from bot.errors import UserError
from bot.timeutil import format_duration, parse_duration, parse_moment

Resolver = Callable[[str], str | None]

#: Moments from this year on are refused: dates stop at 9999, and a deadline needs room
#: for the reminders and grace periods computed after it.
LAST_YEAR = 9999


@dataclass(frozen=True, slots=True)
class OptionEnv:
    """What option conversion needs from the front door and the community."""

    catalog: Catalog
    now: datetime
    timezone: ZoneInfo
    resolve_user: Resolver = lambda token: None
    resolve_channel: Resolver = lambda token: None
    resolve_role: Resolver = lambda token: None
    locale: str = "en"

    def t(self, key: str, **params: object) -> str:
        return self.catalog.text(key, locale=self.locale, **params)


@dataclass(frozen=True, kw_only=True)
class Option:
    """Base of every option kind. ``name`` is how people type it (``key:value``)."""

    name: str
    description: str = ""
    required: bool = True
    autocomplete: str | None = None  # name of a cog method: (ctx, partial) -> list[str]
    #: False: only ``name:value`` fills it in the text syntax, so positional words skip it
    #: (``/mission contribute 3 wrote the FAQ`` leaves the optional ``name`` alone).
    positional: bool = True

    kind = "text"

    @property
    def python_name(self) -> str:
        return self.name.replace("-", "_")

    def hint(self) -> str:
        return "text"

    def convert(self, raw: str, env: OptionEnv) -> Any:
        raise NotImplementedError

    def _fail(self, env: OptionEnv, key: str, **params: object) -> UserError:
        return UserError(env.t(key, option=self.name, **params))


@dataclass(frozen=True, kw_only=True)
class Text(Option):
    min_length: int = 1
    max_length: int = 200

    def hint(self) -> str:
        return f"text, up to {self.max_length} characters"

    def convert(self, raw: str, env: OptionEnv) -> str:
        value = raw.strip()
        if len(value) < self.min_length:
            raise self._fail(env, "core.option.too_short", min=self.min_length)
        if len(value) > self.max_length:
            raise self._fail(env, "core.option.too_long", max=self.max_length, length=len(value))
        return value


@dataclass(frozen=True, kw_only=True)
class Integer(Option):
    min_value: int | None = None
    max_value: int | None = None

    kind = "integer"

    def hint(self) -> str:
        if self.min_value is not None and self.max_value is not None:
            return f"whole number {self.min_value}–{self.max_value}"
        if self.min_value is not None:
            return f"whole number, at least {self.min_value}"
        if self.max_value is not None:
            return f"whole number, at most {self.max_value}"
        return "whole number"

    def convert(self, raw: str, env: OptionEnv) -> int:
        try:
            value = int(str(raw).strip().replace("_", ""))
        except ValueError:
            raise self._fail(env, "core.option.not_integer", value=raw) from None
        if abs(value) > INTEGER_MAX:
            raise self._fail(env, "core.option.too_big", max=INTEGER_MAX)
        too_low = self.min_value is not None and value < self.min_value
        too_high = self.max_value is not None and value > self.max_value
        if too_low or too_high:
            raise self._fail(
                env, "core.option.out_of_range", value=value, hint=self.hint(), min=self.min_value
            )
        return value


@dataclass(frozen=True, kw_only=True)
class Choice(Option):
    choices: tuple[str, ...] = ()

    kind = "choice"

    def hint(self) -> str:
        return " | ".join(self.choices)

    def convert(self, raw: str, env: OptionEnv) -> str:
        value = raw.strip().casefold()
        for choice in self.choices:
            if choice.casefold() == value:
                return choice
        raise self._fail(env, "core.option.bad_choice", value=raw, choices=", ".join(self.choices))


@dataclass(frozen=True, kw_only=True)
class Toggle(Option):
    """on/off, yes/no, true/false."""

    kind = "toggle"

    def hint(self) -> str:
        return "on | off"

    def convert(self, raw: str, env: OptionEnv) -> bool:
        value = str(raw).strip().casefold()
        if value in {"on", "yes", "true", "1", "enable", "enabled"}:
            return True
        if value in {"off", "no", "false", "0", "disable", "disabled"}:
            return False
        raise self._fail(env, "core.option.bad_toggle", value=raw)


@dataclass(frozen=True, kw_only=True)
class Duration(Option):
    minimum: timedelta = timedelta(minutes=1)
    maximum: timedelta = timedelta(days=366)

    kind = "duration"

    def hint(self) -> str:
        return f"duration such as 90m, 3d or 1w ({format_duration(self.minimum)} to {format_duration(self.maximum)})"

    def convert(self, raw: str, env: OptionEnv) -> timedelta:
        value = parse_duration(str(raw))
        if value is None:
            raise self._fail(env, "core.option.bad_duration", value=raw)
        if not self.minimum <= value <= self.maximum:
            raise self._fail(
                env,
                "core.option.duration_range",
                min=format_duration(self.minimum),
                max=format_duration(self.maximum),
            )
        return value


@dataclass(frozen=True, kw_only=True)
class When(Option):
    """A moment in the future: a date (end of that day), a date-time, or a duration from now."""

    kind = "when"

    def hint(self) -> str:
        return "date such as 2026-12-31, or a duration such as 3d"

    def convert(self, raw: str, env: OptionEnv) -> datetime:
        value = parse_moment(str(raw), env.now, env.timezone)
        if value is None:
            raise self._fail(env, "core.option.bad_when", value=raw)
        if value.year >= LAST_YEAR:
            raise self._fail(env, "core.option.too_far", year=LAST_YEAR)
        if value <= env.now:
            raise self._fail(env, "core.option.in_the_past", value=raw)
        return value


_USER = re.compile(r"^<@!?([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$")
_CHANNEL = re.compile(r"^<#([A-Za-z0-9_.-]+)(?:\|[^>]*)?>$")
_ROLE = re.compile(r"^(?:<@&([A-Za-z0-9_.-]+)>|<!subteam\^([A-Za-z0-9_.-]+)(?:\|[^>]*)?>)$")


@dataclass(frozen=True, kw_only=True)
class Member(Option):
    """A person in the community; converts to their id."""

    kind = "user"

    def hint(self) -> str:
        return "person"

    def convert(self, raw: str, env: OptionEnv) -> str:
        token = str(raw).strip()
        if found := _USER.match(token):
            return found.group(1)
        resolved = env.resolve_user(token)
        if resolved is None:
            raise self._fail(env, "core.option.bad_user", value=raw)
        return resolved


#: What a Channel option's channel must allow, checked with the platform when the command
#: runs: Hearth posts there, Hearth reads it, or nothing (an option that removes a channel).
POST, READ, UNCHECKED = "post", "read", ""
#: What a Role option's role must allow: Hearth hands it out, or it is matched against
#: people's roles (it must exist and not be @everyone), or nothing (removing a role).
GRANT, MATCH = "grant", "match"


@dataclass(frozen=True, kw_only=True)
class Channel(Option):
    #: POST, READ or UNCHECKED (see above).
    needs: str = POST

    kind = "channel"

    def hint(self) -> str:
        return "channel"

    def convert(self, raw: str, env: OptionEnv) -> str:
        token = str(raw).strip()
        if found := _CHANNEL.match(token):
            return found.group(1)
        resolved = env.resolve_channel(token)
        if resolved is None:
            raise self._fail(env, "core.option.bad_channel", value=raw)
        return resolved


@dataclass(frozen=True, kw_only=True)
class Role(Option):
    #: GRANT, MATCH or UNCHECKED (see above).
    needs: str = GRANT

    kind = "role"

    def hint(self) -> str:
        return "role"

    def convert(self, raw: str, env: OptionEnv) -> str:
        token = str(raw).strip()
        if found := _ROLE.match(token):
            return found.group(1) or found.group(2)
        resolved = env.resolve_role(token)
        if resolved is None:
            raise self._fail(env, "core.option.bad_role", value=raw)
        return resolved


@dataclass(frozen=True)
class CommandSpec:
    """One declared command. ``path`` is 1–3 words: ("kudos",), ("welcome", "channel")."""

    path: tuple[str, ...]
    description: str
    options: tuple[Option, ...] = ()
    moderator: bool = False
    private: bool = False
    #: Whether a public answer starts the person's cooldown for this command.
    cooldown: bool = True
    cog: str = ""
    handler: Callable[..., Any] | None = field(default=None, compare=False, repr=False)

    @property
    def group(self) -> str:
        return self.path[0]

    @property
    def qualified_name(self) -> str:
        return " ".join(self.path)

    def option(self, name: str) -> Option | None:
        wanted = name.casefold().replace("_", "-")
        return next((o for o in self.options if o.name == wanted), None)

    def usage(self) -> str:
        parts = ["/" + self.qualified_name]
        for option in self.options:
            shown = f"{option.name}:<{option.hint()}>"
            parts.append(shown if option.required else f"[{shown}]")
        return " ".join(parts)


def convert_options(spec: CommandSpec, raw: dict[str, str], env: OptionEnv) -> dict[str, Any]:
    """Validate every raw value against the declaration; raise UserError on the first problem."""
    values: dict[str, Any] = {}
    for name, given in raw.items():
        if isinstance(given, str) and not encodable(given):
            raise UserError(env.t("core.option.bad_text", option=name))
    for name in raw:
        if spec.option(name) is None:
            known = ", ".join(o.name for o in spec.options) or env.t("core.option.none")
            raise UserError(env.t("core.option.unknown", option=name, known=known))
    for option in spec.options:
        given = raw.get(option.name)
        if given is None or (isinstance(given, str) and not given.strip()):
            if option.required:
                raise UserError(
                    env.t("core.option.missing", option=option.name, usage=spec.usage())
                )
            values[option.python_name] = None
            continue
        values[option.python_name] = option.convert(given, env)
    return values


def encodable(text: str) -> bool:
    """False for text that cannot be stored or sent: lone surrogates (``"x\\ud800y"``),
    which JSON payloads can carry but UTF-8 cannot encode."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- Text syntax ----------------------------------------------------------------------

_QUOTED = r"""(?:"(?P<{0}1>[^"]*)"|“(?P<{0}2>[^”]*)”|”(?P<{0}3>[^”]*)”)"""
_TOKEN = re.compile(
    r"(?P<key>[\w-]+):(?:" + _QUOTED.format("kq") + r"|(?P<value>\S+))"
    r"|" + _QUOTED.format("q") + r"|(?P<word>\S+)"
)


def _quoted(found: re.Match[str], prefix: str) -> str | None:
    for index in (1, 2, 3):
        value = found.group(f"{prefix}{index}")
        if value is not None:
            return value
    return None


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    key: str | None = None


def tokenize(line: str) -> list[Token]:
    """Split ``name key:value key:"quoted value" words…`` (straight or “smart” quotes)."""
    tokens = []
    for found in _TOKEN.finditer(line):
        if found.group("key") is not None:
            value = _quoted(found, "kq")
            if value is None:
                value = found.group("value")
            tokens.append(Token(value, found.start(), found.end(), key=found.group("key")))
        else:
            text = _quoted(found, "q")
            word = found.group("word") if text is None else text
            tokens.append(Token(word, found.start(), found.end()))
    return tokens


def find_command(
    specs: Sequence[CommandSpec], words: Sequence[str]
) -> tuple[CommandSpec | None, int]:
    """The declared command whose path is the longest prefix of ``words``, and its length."""
    lowered = [w.casefold() for w in words[:3]]
    best: CommandSpec | None = None
    for spec in specs:
        n = len(spec.path)
        if list(spec.path) == lowered[:n] and (best is None or n > len(best.path)):
            best = spec
    return best, (len(best.path) if best else 0)


def parse_arguments(
    spec: CommandSpec, line: str, tokens: list[Token], env: OptionEnv
) -> dict[str, str]:
    """``key:value`` pairs plus positional values, which fill unnamed options in order.

    When positional words outnumber the options, the last text option takes them
    all as typed, so ``/kudos @bob thanks for the review`` needs no quotes.
    """
    raw: dict[str, str] = {}
    positional: list[Token] = []
    for token in tokens:
        option = spec.option(token.key) if token.key is not None else None
        if option is not None:
            raw[option.name] = token.text
        elif token.key is not None:  # "http://…" or "note:" inside free text, or a typo
            positional.append(
                Token(line[token.start : token.end], token.start, token.end, token.key)
            )
        else:
            positional.append(token)
    unfilled = [o for o in spec.options if o.name not in raw and o.positional]
    for index, token in enumerate(positional):
        rest = positional[index:]
        option = unfilled.pop(0) if unfilled else None
        if isinstance(option, Text) and not unfilled and len(rest) > 1:
            raw[option.name] = " ".join(line[t.start : t.end] for t in rest)
            break
        if token.key is not None:
            known = ", ".join(o.name for o in spec.options) or env.t("core.option.none")
            raise UserError(env.t("core.option.unknown", option=token.key, known=known))
        if option is None:
            raise UserError(env.t("core.option.too_many", usage=spec.usage()))
        raw[option.name] = token.text
    return raw
