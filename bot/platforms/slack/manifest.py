"""The Slack app manifest (YAML) for the enabled cogs, for ``hearth slack manifest``.

A workspace admin pastes it at api.slack.com/apps → "Create New App" → "From a
manifest". It declares one slash command per command group, a message shortcut
per message action, the events the adapter listens to, the scopes its calls
need, the App Home tab, and Socket Mode (or, given a URL, HTTP request URLs).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import yaml

from bot.catalog import Catalog
from bot.commands import CommandSpec
from bot.interactions import ActionHandler
from bot.text import truncate

BOT_EVENTS = (
    "team_join",
    "member_joined_channel",
    "message.channels",
    "message.groups",
    "message.im",
    "message.mpim",
    "reaction_added",
    "reaction_removed",
    "app_home_opened",
)

BOT_SCOPES = (
    "channels:history",
    "channels:manage",
    "channels:read",
    "chat:write",
    "chat:write.public",
    "commands",
    "files:write",
    "groups:history",
    "groups:read",
    "groups:write",
    "im:history",
    "im:write",
    "mpim:history",
    "pins:write",
    "reactions:read",
    "reactions:write",
    "usergroups:read",
    "usergroups:write",
    "users:read",
)

# Slack's limits on manifest fields.
COMMAND_DESCRIPTION = 2000
USAGE_HINT = 1000
SHORTCUT_NAME = 24
SHORTCUT_DESCRIPTION = 150
CALLBACK_ID = 255


def callback_id(label: str) -> str:
    """A message action's shortcut id: "Explain jargon" → ``explain_jargon``."""
    words = re.findall(r"[^\W_]+", label.casefold())
    return ("_".join(words) or "action")[:CALLBACK_ID]


def build_manifest(
    commands: Iterable[CommandSpec],
    actions: Mapping[str, ActionHandler],
    catalog: Catalog,
    *,
    name: str = "Hearth",
    request_url: str | None = None,
) -> dict[str, Any]:
    """The manifest as a dict; Socket Mode unless ``request_url`` (HTTP mode) is given."""
    t = catalog.text
    groups: dict[str, list[CommandSpec]] = {}
    for spec in commands:
        groups.setdefault(spec.group, []).append(spec)
    slash_commands = []
    for group, specs in sorted(groups.items()):
        # "/kudos" alone takes options: show them; "/welcome channel" shows its sub-command
        shown = [
            " ".join(s.path[1:]) or s.usage().removeprefix(f"/{group}").strip() or group
            for s in specs
        ]
        names = ", ".join(shown)
        entry: dict[str, Any] = {
            "command": f"/{group}",
            "description": truncate(
                t("slack.manifest.command", group=group, names=names), COMMAND_DESCRIPTION
            ),
            "usage_hint": truncate(t("slack.manifest.usage", names=" | ".join(shown)), USAGE_HINT),
            "should_escape": True,
        }
        if request_url:
            entry["url"] = request_url
        slash_commands.append(entry)
    shortcuts = [
        {
            "name": truncate(label, SHORTCUT_NAME),
            "type": "message",
            "callback_id": callback_id(label),
            "description": truncate(
                t("slack.manifest.shortcut", label=label), SHORTCUT_DESCRIPTION
            ),
        }
        for label, handler in sorted(actions.items())
        if handler.target == "message"
    ]
    features: dict[str, Any] = {
        "app_home": {
            "home_tab_enabled": True,
            "messages_tab_enabled": True,
            "messages_tab_read_only_enabled": False,
        },
        "bot_user": {"display_name": name, "always_online": True},
        "slash_commands": slash_commands,
    }
    if shortcuts:
        features["shortcuts"] = shortcuts
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if request_url:
        events["request_url"] = request_url
        interactivity["request_url"] = request_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": name, "description": t("slack.manifest.description")},
        "features": features,
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }


def manifest_yaml(manifest: Mapping[str, Any]) -> str:
    return yaml.safe_dump(dict(manifest), sort_keys=False, allow_unicode=True, width=100)
