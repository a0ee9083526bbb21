"""Missions' part of the Slack App Home: running missions, the joined ones first, each with
its progress and what the person added."""

from datetime import timedelta

from tests.harness import make_harness


def create(name: str, deadline: str, extra: str = "") -> str:
    return (
        f'/mission create name:"{name}" goal:"Do {name}" target:10 unit:things'
        f" deadline:{deadline} channel:#missions {extra}"
    ).strip()


async def test_home_section_lists_running_missions_joined_first(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        cog = h.bot.cogs["missions"]
        assert await cog.home_section(h.community, "alice") is None  # nothing running

        h.moderators.add("maria")
        for line in (create("Docs", "3d"), create("Answers", "7d"), create("Old", "1d")):
            assert "posted in" in (await h.command("maria", line)).message.text
        await h.command("alice", '/mission join name:"Answers"')
        await h.command("alice", '/mission contribute 3 name:"Answers"')
        await h.command("bob", '/mission contribute 1 name:"Docs"')
        await h.wait(timedelta(days=1, hours=1))  # "Old" is over

        shown = await cog.home_section(h.community, "alice")
        assert shown.title == "🎯 Missions you can help with"
        assert shown.text.splitlines() == [
            "• “Answers”: 3/10 things (30%), 5d 23h left · you joined · you added 3",
            "• “Docs”: 1/10 things (10%), 1d 23h left",
        ]
        assert shown.footer == "/mission status shows how to help with one."
        others = await cog.home_section(h.community, "bob")
        assert others.text.splitlines()[0].startswith("• “Docs”: 1/10 things (10%)")
        assert others.text.splitlines()[0].endswith("you added 1")
