"""Channels and roles that settings point at, and whether they still work.

A settings field holds a channel when it is named ``channel`` or ``…_channel`` (Hearth
posts there), channels when ``…_channels`` (Hearth reads them), a role or roles when
``…_role`` or ``…_roles`` (matched against people's roles). A field may say otherwise
with ``field(metadata={"needs": READ})`` (see ``bot.commands``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.commands import GRANT, MATCH, POST, READ

if TYPE_CHECKING:
    from bot.app import Bot


@dataclass(frozen=True, slots=True)
class Place:
    """One channel or role a setting holds."""

    setting: str  # "digest moderator-channel"
    value: str
    is_channel: bool
    needs: str


def places_in(cog: str, settings: Any) -> Iterator[Place]:
    for f in dataclasses.fields(settings):
        name = f.name
        if name == "channel" or name.endswith("_channel"):
            is_channel, needs = True, POST
        elif name.endswith("_channels"):
            is_channel, needs = True, READ
        elif name.endswith(("_role", "_roles")):
            is_channel, needs = False, MATCH
        else:
            continue
        needs = f.metadata.get("needs", needs)
        value = getattr(settings, name)
        values = value if isinstance(value, list | tuple | set | frozenset) else [value]
        shown = f"{cog} {name.replace('_', '-')}"
        for one in values:
            if one:
                yield Place(shown, str(one), is_channel, needs)


async def settings_problems(bot: Bot, community: str) -> list[tuple[str, str]]:
    """(setting, what is wrong with the channel or role it holds and how to fix it), in cog
    order; empty when all work or the platform cannot tell."""
    problems = []
    for name in sorted(bot.cogs):
        if bot.cogs[name].settings_class is None:
            continue
        for place in places_in(name, bot.settings_for(name).get(community)):
            if place.is_channel:
                problem = await bot.channel_problem(
                    community, place.value, post=place.needs == POST
                )
            else:
                problem = await bot.role_problem(community, place.value, grant=place.needs == GRANT)
            if problem:
                problems.append((place.setting, problem))
    return problems
