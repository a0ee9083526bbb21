"""What the benchmark asks of each cog, written as the commands a moderator would type.

This is the only module that knows cogs' command syntax. Each line runs only when
its command is declared (``bot.interactions.commands``), so a cog that has not
landed yet is simply left out, and a renamed option shows up as a failed check in
the report rather than as a crash.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from benchmarks.stream import Community
from bot.app import Bot

#: Commands whose latency is measured: (label, path, line template). ``{term}`` is a
#: glossary term; these run as an ordinary member of a random community.
COMMON_COMMANDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("mission status", ("mission", "status"), "/mission status"),
    ("glossary define", ("glossary", "define"), '/glossary define term:"{term}"'),
    ("recognition profile", ("recognition", "profile"), "/recognition profile"),
    ("questions open", ("questions", "open"), "/questions open"),
)


@dataclass(frozen=True)
class Line:
    cog: str
    path: tuple[str, ...]
    text: str


def declared(bot: Bot, path: tuple[str, ...]) -> bool:
    return any(spec.path == path for spec in bot.interactions.commands)


#: Missions run in the busiest communities only, which is where their counting costs show;
#: creating them everywhere would spend the time budget on set-up.
MISSION_COMMUNITIES = 100
#: The longest option value the glossary import takes (cogs/glossary/manage.py IMPORT_LIMIT).
IMPORT_CHUNK = 5_500


def community_setup(community: Community) -> list[Line]:
    """Per-community configuration: help channel, a welcome and, in the busiest
    communities, two counting missions."""
    general = f"<#{community.channels['general']}>"
    help_channel = f"<#{community.channels['help']}>"
    helpers = f"<#{community.channels['helpers']}>"
    missions = f"<#{community.channels['missions']}>"
    lines = [
        Line("welcome", ("welcome", "channel"), f"/welcome channel channel:{general}"),
        Line(
            "questions",
            ("questions", "config"),
            f"/questions config help-channel:{help_channel} helpers-channel:{helpers}",
        ),
        Line(
            "missions",
            ("mission", "create"),
            '/mission create name:"Spring cleanup" goal:"Post in the missions channel"'
            f" target:1000000 unit:posts deadline:30d channel:{missions} counting:messages"
            f' count-channels:"{missions}"',
        ),
        Line(
            "missions",
            ("mission", "create"),
            '/mission create name:"Helpers" goal:"Answer questions" target:100000 unit:answers'
            f' deadline:30d channel:{missions} counting:answers count-channels:"{help_channel}"',
        ),
    ]
    if community.index >= MISSION_COMMUNITIES:
        return [line for line in lines if line.cog != "missions"]
    return lines


#: The weekly digests fall due all at once (the default-settings worst case: every
#: community in one timezone keeps the default day and hour), 20 minutes after the sweep
#: store's clock starts (``hearth.START``: Monday 09:00 UTC). Only the first
#: DIGEST_COMMUNITIES communities have one: the report gives the cost per digest, since
#: building 10,000 at 40 ms each would take most of the time budget by itself.
DIGEST_DAY, DIGEST_TIME = "monday", "09:20"
DIGEST_COMMUNITIES = 1_000


def sweep_setup(community: Community) -> list[Line]:
    """The sweeps' communities: a help channel, a helpers' channel for the reminder
    digests, and (in the first DIGEST_COMMUNITIES) a weekly digest."""
    general = f"<#{community.channels['general']}>"
    lines = [line for line in community_setup(community) if line.cog == "questions"]
    if community.index < DIGEST_COMMUNITIES:
        lines.append(
            Line(
                "digest",
                ("digest", "settings"),
                f"/digest settings channel:{general} day:{DIGEST_DAY} time:{DIGEST_TIME}",
            )
        )
    return lines


def glossary_setup(bot: Bot, terms: list[tuple[str, str, str]]) -> list[Line]:
    """The glossary through ``/glossary import`` (CSV, as many entries per command as fit),
    the way a moderator brings in 10,000 entries; one ``/glossary add`` each otherwise."""
    if not declared(bot, ("glossary", "import")):
        return [
            Line(
                "glossary",
                ("glossary", "add"),
                f'/glossary add term:"{term}" definition:"{definition}"',
            )
            for term, definition, _ in terms
        ]
    lines, chunk = [], ["name,definition"]
    for term, definition, _ in terms:
        row = f"{term},{definition}"
        if sum(len(r) + 1 for r in chunk) + len(row) > IMPORT_CHUNK:
            lines.append(chunk)
            chunk = ["name,definition"]
        chunk.append(row)
    lines.append(chunk)
    return [
        Line(
            "glossary",
            ("glossary", "import"),
            f'/glossary import format:csv data:"{chr(10).join(rows)}"',
        )
        for rows in lines
    ]


def checks(terms: list[tuple[str, str, str]]) -> list[tuple[str, tuple[str, ...], str, str]]:
    """(name, path, line, text the reply must contain) run as a moderator in community 0,
    proving that the setup commands did what they should."""
    found: list[tuple[str, tuple[str, ...], str, str]] = [
        ("mission created", ("mission", "list"), "/mission list", "Spring cleanup"),
    ]
    for number, (term, definition, _) in enumerate(terms[:: max(1, len(terms) // 5)][:5], 1):
        found.append(
            (
                f"glossary entry {number} of 5 defined",
                ("glossary", "define"),
                f'/glossary define term:"{term}"',
                definition.split()[0],
            )
        )
    return found


def common_command_lines(
    bot: Bot,
    communities: list[Community],
    terms: list[tuple[str, str, str]],
    samples: int,
    seed: int,
) -> Iterator[tuple[str, Community, str, str]]:
    """(label, community, user, line) for every declared common command, ``samples`` each.

    The glossary lookup runs in community 0 (the one with the glossary); the others
    in random communities, weighted towards the busy ones like real traffic."""
    rng = random.Random(seed)
    weights = [c.weight for c in communities]
    for label, path, template in COMMON_COMMANDS:
        if not declared(bot, path):
            continue
        for _ in range(samples):
            if "{term}" in template:
                community = communities[0]
                line = template.format(term=rng.choice(terms)[0] if terms else "nothing")
            else:
                community = rng.choices(communities, weights=weights)[0]
                line = template
            yield label, community, rng.choice(community.members), line
