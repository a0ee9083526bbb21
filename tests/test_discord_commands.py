"""The core's declarations as Discord application commands, and invocations read back."""

from __future__ import annotations

import re
from pathlib import Path

from bot.catalog import Catalog
from bot.commands import (
    Channel,
    Choice,
    CommandSpec,
    Duration,
    Integer,
    Member,
    Role,
    Text,
    Toggle,
)
from bot.interactions import ActionHandler
from bot.platforms.discord.commands import RUN, build_commands, read_invocation
from bot.registry import available_cogs
from tests.harness import make_harness

T = Catalog.load().text
NAME = re.compile(r"^[-_\w]{1,32}$")


async def _nothing(*args: object) -> None:
    return None


def spec(path: str, *options: object, moderator: bool = False) -> CommandSpec:
    return CommandSpec(tuple(path.split()), f"does {path}", tuple(options), moderator)  # type: ignore[arg-type]


def test_paths_become_commands_groups_and_subgroups() -> None:
    table = build_commands(
        [
            spec("kudos", Member(name="who")),
            spec("welcome channel", Channel(name="channel"), moderator=True),
            spec("welcome progress"),
            spec("hearth moderator-role add", Role(name="role"), moderator=True),
            spec("hearth settings", moderator=True),
        ],
        [],
        T,
    )
    by_name = {c["name"]: c for c in table.payloads}
    assert [o["type"] for o in by_name["kudos"]["options"]] == [6]
    welcome = by_name["welcome"]
    assert [(o["type"], o["name"]) for o in welcome["options"]] == [
        (1, "channel"),
        (1, "progress"),
    ]
    assert "default_member_permissions" not in welcome  # progress is for everyone
    hearth = by_name["hearth"]
    assert hearth["default_member_permissions"] == "32"
    [group] = [o for o in hearth["options"] if o["type"] == 2]
    assert group["name"] == "moderator-role" and group["options"][0]["name"] == "add"
    assert all(c["contexts"] == [0] for c in table.payloads)
    assert table.paths[("hearth", "moderator-role", "add")] == ("hearth", "moderator-role", "add")


def test_a_command_next_to_its_subcommands_is_offered_as_run() -> None:
    table = build_commands([spec("kudos", Member(name="who")), spec("kudos top")], [], T)
    [kudos] = table.payloads
    assert [o["name"] for o in kudos["options"]] == [RUN, "top"]
    assert table.paths[("kudos", RUN)] == ("kudos",)
    assert table.paths[("kudos", "top")] == ("kudos", "top")


def test_options_keep_discords_bounds_with_required_ones_first() -> None:
    table = build_commands(
        [
            spec(
                "mission start",
                Text(name="note", required=False, max_length=300),
                Text(name="name", min_length=3, max_length=64),
                Integer(name="goal", min_value=1, max_value=1000),
                Choice(name="kind", choices=("posts", "answers")),
                Toggle(name="public"),
                Duration(name="for"),
                Text(name="term", autocomplete="complete"),
            )
        ],
        [],
        T,
    )
    options = table.payloads[0]["options"][0]["options"]
    assert [o["name"] for o in options] == ["name", "goal", "kind", "public", "for", "term", "note"]
    name, goal, kind, public, duration, term, note = options
    assert (name["type"], name["min_length"], name["max_length"]) == (3, 3, 64)
    assert (goal["type"], goal["min_value"], goal["max_value"]) == (4, 1, 1000)
    assert kind["choices"] == [
        {"name": "posts", "value": "posts"},
        {"name": "answers", "value": "answers"},
    ]
    assert public["type"] == 5 and duration["type"] == 3 and term["autocomplete"] is True
    assert note["required"] is False and all(1 <= len(o["description"]) <= 100 for o in options)


def test_context_menus_and_the_hash() -> None:
    actions = [
        ActionHandler("glossary", "Explain jargon", "message", _nothing),
        ActionHandler("recognition", "Give kudos", "user", _nothing),
    ]
    specs = [spec("echo say", Text(name="text")), spec("kudos", Member(name="who"))]
    table = build_commands(specs, actions, T)
    menus = {(c["type"], c["name"]) for c in table.payloads if c["type"] != 1}
    assert menus == {(3, "Explain jargon"), (2, "Give kudos")}
    assert table.labels[(3, "Explain jargon")] == "Explain jargon"
    assert build_commands(list(reversed(specs)), actions, T).digest == table.digest
    changed = [spec("echo say", Text(name="text", max_length=10)), specs[1]]
    assert build_commands(changed, actions, T).digest != table.digest


def test_invocations_read_back_into_core_paths_and_raw_values() -> None:
    data = {
        "name": "hearth",
        "options": [
            {
                "type": 2,
                "name": "moderator-role",
                "options": [
                    {
                        "type": 1,
                        "name": "add",
                        "options": [
                            {"type": 8, "name": "role", "value": "7"},
                            {"type": 6, "name": "who", "value": "8"},
                            {"type": 7, "name": "where", "value": "9"},
                            {"type": 5, "name": "on", "value": False},
                            {"type": 4, "name": "n", "value": 3},
                            {"type": 3, "name": "q", "value": "βή", "focused": True},
                        ],
                    }
                ],
            }
        ],
    }
    invocation = read_invocation(data)
    assert invocation.path == ("hearth", "moderator-role", "add")
    assert invocation.raw == {
        "role": "<@&7>",
        "who": "<@8>",
        "where": "<#9>",
        "on": "off",
        "n": "3",
        "q": "βή",
    }
    assert invocation.focused == ("q", "βή")


async def test_every_cogs_commands_are_valid_for_discord(tmp_path: Path) -> None:
    async with make_harness(tmp_path, cogs=available_cogs()) as h:
        core = h.bot.interactions
        table = build_commands(core.commands, core.actions.values(), h.bot.catalog.text)

    def check(option: dict[str, object]) -> None:
        assert NAME.match(str(option["name"])), option["name"]
        assert 1 <= len(str(option["description"])) <= 100
        children = option.get("options") or []
        assert isinstance(children, list) and len(children) <= 25
        if option.get("type") in (1, 2, None):
            required = [bool(c.get("required")) for c in children if c.get("type", 0) > 2]
            assert required == sorted(required, reverse=True), option["name"]
        for child in children:
            check(child)

    chat = [c for c in table.payloads if c["type"] == 1]
    assert len(chat) <= 100 and len(table.paths) == len(core.commands)
    for command in chat:
        check({**command, "type": None})
    assert {"welcome", "hearth", "privacy"} <= {c["name"] for c in chat}
