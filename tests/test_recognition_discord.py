"""Kudos on Discord to people Hearth has not seen post: the real discord.py client against
the fake Discord (set-up shared with ``test_discord_e2e``)."""

from __future__ import annotations

from tests.fakes.fake_discord import EPHEMERAL, Opt
from tests.test_discord_e2e import World, running
from tests.test_discord_e2e import world as world  # the fixture, re-exported


async def kudos(world: World, giver: str, person: str) -> dict:
    asked = await world.fake.slash_command(
        world.general, giver, "kudos", {"person": Opt.user(person), "reason": "thank you"}
    )
    return (await world.fake.wait_for_callback(asked)).json["data"]


async def test_kudos_to_a_member_who_never_posted_and_refused_to_a_non_member(
    world: World,
) -> None:
    async with running(world, cogs=["recognition"]) as r:
        given = await kudos(world, world.bob, world.alice)  # in the member cache
        assert not int(given.get("flags") or 0) & EPHEMERAL
        assert f"gave kudos to <@{world.alice}>" in given["content"]
        assert not world.fake.find_requests("GET", rf"/guilds/{world.guild}/members/{world.alice}")

        late = world.fake.add_member(world.guild, "late")  # on the server, not in the cache
        assert f"<@{late}>" in (await kudos(world, world.bob, late))["content"]
        assert world.fake.find_requests("GET", rf"/guilds/{world.guild}/members/{late}")

        outsider = world.fake.add_user("outsider")  # a Discord user, not on this server
        refused = await kudos(world, world.bob, outsider)
        assert int(refused["flags"]) & EPHEMERAL
        assert "don't know" in refused["content"]

        rows = await r.bot.db.fetch_all("SELECT receiver FROM recognition_kudos ORDER BY id")
        assert [row[0] for row in rows] == [world.alice, late]
        seen = await r.bot.members.get(world.community, world.alice)
        assert seen is not None and seen.first_joined_at is None
