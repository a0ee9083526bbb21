"""A fake Discord (REST + websocket gateway on 127.0.0.1) for end-to-end tests.

The real discord.py client talks to it over loopback; nothing reaches the
internet. The code lives in the ``tests/fakes/discord/`` package:

* ``model.py``: users, guilds, roles, members, channels, threads, messages,
  commands, and the ``add_*`` builders (ids are snowflake strings);
* ``gateway.py``: the websocket (HELLO, IDENTIFY, READY, GUILD_CREATE,
  heartbeats, RESUME, zlib-stream) and the events a test pushes;
* ``rest.py``: the REST routes the bot uses, each recorded;
* ``server.py``: ``FakeDiscord`` itself, waiting, failure injection,
  ``point_discord_at`` and ``run_client``.

Not covered: zstd-stream and ETF, sharding, voice, presences, modals
(no helper: use ``interaction_create(5, ...)``), bans, kicks, invites,
emojis, stickers, polls, scheduled events, audit logs, non-interaction
webhooks; replay of missed events on RESUME (``replay_on_resume`` sends the
last N again, as a gateway that lost the client's acknowledgement); permissions (except role
management) and rate limits are not enforced, only injected
(``fail_next``). Events can only be pushed while a client is connected.

Example::

    async with FakeDiscord() as fake:
        guild = fake.add_guild("Hearth Test")
        general = fake.add_channel(guild, "general")
        alice = fake.add_member(guild, "alice", pending=True)
        client = discord.Client(intents=intents, guild_ready_timeout=0.05)
        with point_discord_at(fake):
            async with run_client(client):
                await fake.message_create(guild, general, alice, "hello")
                [sent] = await fake.wait_for_request("POST", r"/channels/\\d+/messages")
"""

from .discord.gateway import FakeInteraction, Opt
from .discord.model import (
    DEFAULT_BOT_PERMISSIONS,
    DEFAULT_EVERYONE_PERMISSIONS,
    EPHEMERAL,
    ApiError,
    ChannelType,
)
from .discord.server import (
    FakeDiscord,
    RecordedRequest,
    point_discord_at,
    run_client,
)

__all__ = [
    "DEFAULT_BOT_PERMISSIONS",
    "DEFAULT_EVERYONE_PERMISSIONS",
    "EPHEMERAL",
    "ApiError",
    "ChannelType",
    "FakeDiscord",
    "FakeInteraction",
    "Opt",
    "RecordedRequest",
    "point_discord_at",
    "run_client",
]
