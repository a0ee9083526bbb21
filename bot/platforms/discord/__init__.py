"""The Discord front door (discord.py). See ``adapter.py`` for the lifecycle.

Modules: ``adapter`` (client, intents, lifecycle, interaction routing), ``inbound``
(gateway events → core events), ``commands`` (declarations → application commands,
invocations → core paths), ``sync`` (sync only on change), ``render`` (Message →
content, embeds and buttons within Discord's limits), ``replies`` (answering
interactions within three seconds), ``actions`` (the Platform), ``buttons``
(persistent custom ids), ``store`` (platform_state), ``cli`` (``hearth discord …``).
"""

from bot.platforms.discord.adapter import DiscordAdapter

__all__ = ["DiscordAdapter"]
