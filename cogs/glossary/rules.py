"""Pure checks of what people write into the glossary: names, aliases, texts, permissions.

Each check raises :class:`Problem` (a catalog key under ``glossary.problem`` and its
parameters); the cog turns it into a private, friendly answer, and an import into
one line of its report. Nothing here touches the database.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Protocol

from cogs.glossary.model import KINDS, Entry, name_key

MAX_NAME = 64
MAX_DEFINITION = 1000
MAX_ORIGIN = 1000
MAX_REFERENCE = 300
MAX_ALIASES = 20
MAX_ENTRIES = 20_000

# Mentions that reach many people at once: @everyone/@here, Slack's <!channel>,
# <!here>, <!everyone>, user groups <!subteam^…> and Discord roles <@&…>.
_MASS_MENTION = re.compile(
    r"@(?:everyone|here)\b|<!(?:channel|here|everyone)\b[^>]*>|<!subteam\^[^>]*>|<@&[^>]*>",
    re.IGNORECASE,
)
# Any platform mention token: names are words, not people or channels.
_ANY_MENTION = re.compile(r"<[@#!][^>]*>")


class NameOwners(Protocol):
    def owner(self, key: str) -> Entry | None: ...


class Problem(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def mass_mention(text: str) -> str | None:
    """The first mass mention in ``text`` (also in full-width or other compatibility forms)."""
    found = _MASS_MENTION.search(unicodedata.normalize("NFKC", text))
    return None if found is None else found.group()


def check_text(text: str | None, field: str, limit: int, *, required: bool = False) -> str | None:
    """A definition, origin story or reference: trimmed, within ``limit``, pinging nobody."""
    value = (text or "").strip()
    if not value:
        if required:
            raise Problem("empty", field=field)
        return None
    if len(value) > limit:
        raise Problem("too_long", field=field, max=limit, length=len(value))
    if found := mass_mention(value):
        raise Problem("mass_mention", field=field, mention=found)
    return value


def check_kind(kind: str | None) -> str:
    value = (kind or KINDS[0]).strip().casefold()
    if value not in KINDS:
        raise Problem("bad_kind", kind=kind, kinds=", ".join(KINDS))
    return value


def check_name(text: str, stop: frozenset[str], field: str = "name") -> tuple[str, str]:
    """A name or alias on its own: ``(trimmed text, matching key)``."""
    value = " ".join(text.split())
    if not value:
        raise Problem("empty", field=field)
    if len(value) > MAX_NAME:
        raise Problem("too_long", field=field, max=MAX_NAME, length=len(value))
    if found := mass_mention(value) or _first_mention(value):
        raise Problem("mention_in_name", field=field, mention=found)
    key = name_key(value)
    if not key:
        raise Problem("no_words", field=field, name=value)
    if all(word in stop for word in key.split()):
        raise Problem("common_word", name=value)
    return value, key


def _first_mention(text: str) -> str | None:
    found = _ANY_MENTION.search(text)
    return None if found is None else found.group()


def split_aliases(text: str | None) -> list[str]:
    """``"f-strings, fstring"`` → ``["f-strings", "fstring"]`` (commas separate aliases)."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def check_names(
    name: str,
    aliases: Iterable[str],
    stop: frozenset[str],
    taken: NameOwners,
    itself: int | None = None,
) -> tuple[str, tuple[str, ...]]:
    """An entry's name and aliases, checked against each other and every other entry.

    ``itself`` is the id of the entry being changed (its own names are not collisions).
    Aliases that say the same words as the name or as each other are dropped.
    """
    name, key = check_name(name, stop)
    _not_taken(key, name, taken, itself, alias=False)
    seen = {key}
    kept: list[str] = []
    for alias in aliases:
        alias, alias_key = check_name(alias, stop, "alias")
        if alias_key in seen:
            continue
        _not_taken(alias_key, alias, taken, itself, alias=True)
        seen.add(alias_key)
        kept.append(alias)
    if len(kept) > MAX_ALIASES:
        raise Problem("too_many_aliases", max=MAX_ALIASES)
    return name, tuple(kept)


def _not_taken(key: str, text: str, taken: NameOwners, itself: int | None, *, alias: bool) -> None:
    other = taken.owner(key)
    if other is None or other.id == itself:
        return
    if alias and name_key(other.name) == key:
        # An alias is another way to say one entry; pointing it at an entry that stands
        # on its own would make the two refer to each other.
        raise Problem("alias_loop", alias=text, name=other.name)
    if name_key(other.name) == key:
        raise Problem("name_taken", name=text, existing=other.name)
    raise Problem("alias_taken", name=text, existing=other.name)


def may_add(
    who: str, min_days: int, is_moderator: bool, joined_at: datetime | None, now: datetime
) -> Problem | None:
    """Whether someone may add entries under the community's ``who_can_add`` setting."""
    if is_moderator or who == "everyone":
        return None
    if who == "moderators":
        return Problem("add_moderators_only")
    if joined_at is None:
        return Problem("add_members_unknown", days=min_days)
    waited = now - joined_at
    if waited < timedelta(days=min_days):
        left = math.ceil((timedelta(days=min_days) - waited) / timedelta(days=1))
        return Problem("add_members_only", days=min_days, left=max(1, left))
    return None


def may_change(entry: Entry, user: str, is_moderator: bool) -> Problem | None:
    """Moderators and the entry's author may edit, alias or remove it."""
    if is_moderator or (entry.author is not None and entry.author == user):
        return None
    return Problem("not_yours", name=entry.name)
