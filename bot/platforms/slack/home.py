"""The App Home tab: what Hearth holds for the person who opens it.

Cogs take part with one optional method, called when someone opens the tab::

    async def home_section(self, community: str, user: str) -> Message | None

Recognition (points, kudos, roles), missions (the running ones) and welcome (the
person's onboarding steps) have it and come first, in that order; then other cogs
by name. A cog without the
method, or that returns None or fails, is left out; with no section at all the
tab points to each command group's help. A section that would take the tab past
Slack's 100 blocks is left out too (and logged).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from bot.messages import Message
from bot.platforms.slack.render import BLOCKS_PER_HOME, Block, render_one

if TYPE_CHECKING:
    from bot.app import Bot
    from bot.platforms.slack.actions import SlackPlatform

log = logging.getLogger(__name__)

FIRST = ("recognition", "missions", "welcome")


async def home_sections(bot: Bot, community: str, user: str) -> list[Message]:
    order = sorted(bot.cogs, key=lambda name: (FIRST.index(name) if name in FIRST else 99, name))
    sections = []
    for name in order:
        section = getattr(bot.cogs[name], "home_section", None)
        if not callable(section):
            continue
        try:
            message = await section(community, user)
        except Exception:
            log.exception("home_section of cog %s failed (community %s)", name, community)
            continue
        if message is not None:
            sections.append(message)
    return sections


async def home_view(bot: Bot, platform: SlackPlatform, community: str, user: str) -> dict[str, Any]:
    """The ``views.publish`` view for ``user``: a header, then each cog's section."""
    t = bot.catalog.text
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": t("slack.home.title")}}
    ]
    sections = await home_sections(bot, community, user)
    for message in sections:
        part = render_one(message, await platform.names_for(message), limit=BLOCKS_PER_HOME)
        if part is None:
            continue
        if len(blocks) + len(part.blocks) + 1 > BLOCKS_PER_HOME:
            log.warning("App Home for %s in %s: a section did not fit", user, community)
            continue
        blocks += [{"type": "divider"}, *part.blocks]
    if not sections:
        commands = ", ".join(f"`/{g} help`" for g in bot.interactions.groups())
        empty = t("slack.home.empty", commands=commands)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": empty}})
    return {"type": "home", "blocks": blocks}
