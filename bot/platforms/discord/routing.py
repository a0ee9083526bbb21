"""Interactions (slash commands, autocomplete, context menus, buttons) → the core.

Each interaction is translated into the core's terms (community, person, channel,
thread, path and raw option values, or action and value) and handed to
``bot.interactions``; the reply is delivered by ``replies.answer`` within Discord's
three seconds. ``Person.is_admin`` is the member's Manage Server permission.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.messages import MessageRef
from bot.platform import Person, Reply, TargetMessage
from bot.platforms.discord import inbound
from bot.platforms.discord.actions import community_of
from bot.platforms.discord.buttons import PREFIX
from bot.platforms.discord.commands import MESSAGE_MENU, USER_MENU, read_invocation
from bot.platforms.discord.replies import answer
from bot.text import truncate

if TYPE_CHECKING:
    from bot.platforms.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)

AUTOCOMPLETE_SECONDS = 2.5
CHOICE = 100
CHOICES = 25


class InteractionRouter:
    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    def person(self, interaction: discord.Interaction) -> Person:
        user = interaction.user
        roles = tuple(str(r.id) for r in getattr(user, "roles", ()) if not r.is_default())
        in_guild = interaction.guild_id is not None  # in a DM, nobody is a moderator
        return Person(
            str(user.id),
            user.display_name,
            is_admin=in_guild and interaction.permissions.manage_guild,
            roles=roles,
            is_bot=user.bot,
        )

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        kind = interaction.type
        if kind is discord.InteractionType.component:
            await self._press(interaction)  # also in DMs: the custom id names the server
        elif interaction.guild_id is None:
            if kind is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
            elif kind is discord.InteractionType.application_command:
                text = self.adapter.platform.catalog.text("discord.reply.guild_only")
                await interaction.response.send_message(text, ephemeral=True)
        elif kind is discord.InteractionType.autocomplete:
            await self._autocomplete(interaction)
        elif kind is discord.InteractionType.application_command:
            await self._command(interaction)

    async def _command(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        community = community_of(interaction.guild_id or 0)
        channel, thread = inbound.place(interaction.channel, interaction.channel_id or 0)
        person = self.person(interaction)
        kind = data.get("type", 1)
        core = self.adapter.bot.interactions
        if kind in (USER_MENU, MESSAGE_MENU):
            table = self.adapter.table
            assert table is not None
            label = table.labels.get((kind, str(data.get("name"))), str(data.get("name")))
            target: TargetMessage | str = str(data.get("target_id"))
            if kind == MESSAGE_MENU:
                target = self._target_message(community, channel, thread, data)
            work = core.act(label, community, person, channel, target)
            await self._answer(interaction, work, community, private=True)
            return
        invocation = read_invocation(data)
        path = self._core_path(invocation.path)
        spec = next((c for c in core.commands if c.path == path), None)
        work = core.run(community, person, channel, path, invocation.raw, thread=thread)
        private = spec.private if spec is not None else True
        await self._answer(interaction, work, community, private=private)

    async def _answer(
        self,
        interaction: discord.Interaction,
        work: Awaitable[Reply | None],
        community: str,
        *,
        private: bool,
        component: bool = False,
    ) -> None:
        adapter = self.adapter
        await answer(
            interaction,
            work,
            adapter.platform,
            community,
            defer_after=adapter.defer_after,
            private=private,
            component=component,
        )

    def _core_path(self, path: tuple[str, ...]) -> tuple[str, ...]:
        table = self.adapter.table
        assert table is not None
        return table.paths.get(path, path)

    @staticmethod
    def _target_message(
        community: str, channel: str, thread: str | None, data: dict[str, Any]
    ) -> TargetMessage:
        target = str(data.get("target_id"))
        found = (data.get("resolved") or {}).get("messages", {}).get(target, {})
        author = str((found.get("author") or {}).get("id", ""))
        ref = MessageRef(community, channel, target, thread)
        return TargetMessage(ref, author, found.get("content") or "")

    async def _press(self, interaction: discord.Interaction) -> None:
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        press = await self.adapter.ids.parse(custom_id)
        if press is None and not custom_id.startswith(PREFIX):
            log.debug("ignoring a component that is not Hearth's: %r", custom_id)
            return
        guild = interaction.guild_id or (press.guild if press is not None else None)
        if guild is None:
            text = self.adapter.platform.catalog.text("discord.reply.guild_only")
            await interaction.response.send_message(text, ephemeral=True)
            return
        action, value = (press.action, press.value) if press is not None else ("", "")
        community = community_of(int(guild))
        channel, thread = inbound.place(interaction.channel, interaction.channel_id or 0)
        message_id = str(interaction.message.id) if interaction.message is not None else ""
        ref = MessageRef(community, channel, message_id, thread)
        work = self.adapter.bot.interactions.press(
            community, self.person(interaction), channel, ref, action, value
        )
        await self._answer(interaction, work, community, private=True, component=True)

    async def _autocomplete(self, interaction: discord.Interaction) -> None:
        invocation = read_invocation(dict(interaction.data or {}))
        if invocation.focused is None:
            await interaction.response.autocomplete([])
            return
        option, partial = invocation.focused
        community = community_of(interaction.guild_id or 0)
        work = self.adapter.bot.interactions.autocomplete(
            community, self.person(interaction), self._core_path(invocation.path), option, partial
        )
        try:
            found = await asyncio.wait_for(work, AUTOCOMPLETE_SECONDS)
        except TimeoutError:
            log.warning("autocomplete for /%s %s took too long", " ".join(invocation.path), option)
            found = []
        choices = [
            app_commands.Choice(name=truncate(value, CHOICE), value=value)
            for value in found
            if 0 < len(value) <= CHOICE
        ]
        try:
            await interaction.response.autocomplete(choices[:CHOICES])
        except discord.HTTPException as error:
            log.warning("could not answer autocomplete %s: %s", interaction.id, error)
