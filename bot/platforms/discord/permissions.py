"""The Discord permissions the enabled cogs need, for ``hearth discord invite-url``.

Cogs are platform-neutral, so they do not name Discord permissions; they call the
core's actions (``self.bot.send``, ``add_role``, ``pin``, ``react``, …). The enabled
cogs' source is read (never run) for those calls, and each maps to what Discord
requires for it. Every bot needs the base: see channels, post, embed, read history
(reactions and thread names need it).
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterable
from pathlib import Path

import discord

BASE = ("view_channel", "send_messages", "embed_links", "read_message_history")

#: A core action a cog calls → the Discord permissions it needs.
NEEDS: dict[str, tuple[str, ...]] = {
    "add_role": ("manage_roles",),
    "remove_role": ("manage_roles",),
    "pin": ("pin_messages",),
    "react": ("add_reactions",),
    "thread": ("send_messages_in_threads", "create_public_threads"),
}


def _sources(cog: str) -> list[Path]:
    spec = importlib.util.find_spec(f"cogs.{cog}")
    if spec is None or spec.origin is None:
        return []
    origin = Path(spec.origin)
    return sorted(origin.parent.glob("*.py")) if origin.name == "__init__.py" else [origin]


def actions_called(cog: str) -> set[str]:
    """Which of the core's actions ``cog`` calls on ``…bot`` (``thread`` for sends into one)."""
    found: set[str] = set()
    for path in _sources(cog):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            owner = node.func.value
            named_bot = isinstance(owner, ast.Attribute | ast.Name) and (
                getattr(owner, "attr", None) == "bot" or getattr(owner, "id", None) == "bot"
            )
            if not named_bot:
                continue
            found.add(node.func.attr)
            if node.func.attr == "send" and any(k.arg == "thread" for k in node.keywords):
                found.add("thread")
    return found


def needed_permissions(cogs: Iterable[str]) -> tuple[discord.Permissions, list[str]]:
    """The permissions for ``cogs`` (the core cog included) and their names, sorted."""
    names = set(BASE)
    for cog in cogs:
        for action in actions_called(cog):
            names.update(NEEDS.get(action, ()))
    permissions = discord.Permissions(**dict.fromkeys(names, True))
    return permissions, sorted(names)


def invite_url(client_id: str, permissions: discord.Permissions) -> str:
    """The OAuth2 URL that adds the bot with its slash commands and ``permissions``."""
    return discord.utils.oauth_url(
        client_id, permissions=permissions, scopes=("bot", "applications.commands")
    )
