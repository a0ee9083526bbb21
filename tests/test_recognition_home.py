"""Recognition's part of the Slack App Home: the person's points, kudos received and roles."""

from tests.harness import make_harness

SECTIONS = {"hearth": {"cogs": ["recognition"], "flush_seconds": 3600}}


async def test_home_section_shows_points_kudos_and_roles(tmp_path):
    async with make_harness(tmp_path, cogs=["recognition"], sections=SECTIONS) as h:
        for person in ("alice", "bob", "carol", "maria"):
            await h.join(person)
        cog = h.bot.cogs["recognition"]
        empty = await cog.home_section(h.community, "alice")
        assert empty.title == "⭐ Your recognition"
        assert empty.text == "0 points · 0 kudos received\nRoles: none yet"

        h.moderators.add("maria")
        added = await h.command(
            "maria", "/recognition role add role:@Thanked metric:kudos threshold:2"
        )
        assert "✅" in added.message.text, added.message.text
        await h.command("bob", "/kudos @alice for the review")
        await h.command("carol", "/kudos @alice for the docs")
        shown = await cog.home_section(h.community, "alice")
        assert shown.text == "4 points · 2 kudos received\nRoles: <@&Thanked>"
        assert shown.mentions == () and shown.role_mentions == ()  # the Home pings nobody
        assert (await cog.home_section(h.community, "bob")).text.startswith("0 points")
