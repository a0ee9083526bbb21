"""Answering interactions inside Discord's three seconds.

The core's work runs as a task. If it is done within ``defer_after`` seconds the
answer is the interaction's response itself; otherwise the interaction is deferred
first (commands show "thinking…", privately when the command is declared private;
buttons are acknowledged silently) and the answer follows as a follow-up. A reply
whose privacy differs from the deferral's replaces the "thinking" message rather
than inheriting its visibility. Long replies continue in further follow-ups.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable

import discord

from bot.platform import Reply
from bot.platforms.discord.actions import DiscordPlatform, describe
from bot.platforms.discord.render import Part, render

log = logging.getLogger(__name__)


async def answer(
    interaction: discord.Interaction,
    work: Awaitable[Reply | None],
    platform: DiscordPlatform,
    community: str,
    *,
    defer_after: float,
    private: bool,
    component: bool = False,
) -> None:
    """Run ``work`` and deliver its reply; ``private`` is how to defer if it takes long."""
    task = asyncio.ensure_future(work)
    deferred = False
    try:
        reply = await asyncio.wait_for(asyncio.shield(task), defer_after)
    except TimeoutError:
        deferred = True
        try:
            if component:
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=private, thinking=True)
        except discord.HTTPException as error:
            log.error("could not defer interaction %s: %s", interaction.id, error)
        reply = await task
    try:
        await _deliver(
            interaction, reply, platform, community, deferred=deferred, deferred_private=private
        )
    except discord.HTTPException as error:
        lost = describe(reply.message) if reply is not None else "acknowledgement"
        log.error(
            "could not answer interaction %s (%s) in guild %s: %s %s; lost: %s",
            interaction.id,
            interaction.type.name,
            interaction.guild_id,
            error.status,
            error.text,
            lost,
        )


async def _deliver(
    interaction: discord.Interaction,
    reply: Reply | None,
    platform: DiscordPlatform,
    community: str,
    *,
    deferred: bool,
    deferred_private: bool,
) -> None:
    parts = render(reply.message) if reply is not None else []
    component = interaction.type is discord.InteractionType.component
    if reply is None or (not parts and component):
        if not interaction.response.is_done():
            await interaction.response.defer()  # a press that needs no answer
        return
    if not parts:
        parts = [Part(content=platform.catalog.text("discord.reply.done"))]
    private = reply.private
    first, *rest = parts
    if not interaction.response.is_done():
        kwargs = await platform.send_kwargs(first, reply.message, community)
        await interaction.response.send_message(**kwargs, ephemeral=private)  # type: ignore[arg-type]
    else:
        thinking = deferred and not component
        if thinking and private != deferred_private:
            # The first follow-up would inherit the deferral's visibility: remove it instead.
            await interaction.delete_original_response()
        rest = parts
    for part in rest:
        kwargs = await platform.send_kwargs(part, reply.message, community)
        await interaction.followup.send(**kwargs, ephemeral=private)  # type: ignore[arg-type]
