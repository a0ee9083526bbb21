"""Welcome's part of the Slack App Home: the person's onboarding steps and which are done."""

from tests.harness import make_harness


async def test_home_section_shows_steps_ticked_or_not_and_none_without_steps(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"]) as h:
        cog = h.bot.cogs["welcome"]
        assert await cog.home_section(h.community, "chen") is None  # no steps here

        h.moderators.add("maria")
        for line in (
            '/welcome steps add channel:#introductions text:"Introduce yourself"',
            '/welcome steps add text:"Read the rules"',
        ):
            assert "✅" in (await h.command("maria", line)).message.text
        await h.join("chen")
        await h.say("chen", "introductions", "Hi, I'm Chen 🗺️")  # still buffered: flushed first
        shown = await cog.home_section(h.community, "chen")
        assert shown.title == "Your first steps" and shown.footer is None
        assert shown.text.splitlines() == [
            "✅ 1. Introduce yourself",
            "⬜ 2. Read the rules (tick it with `/welcome done number:2`)",
        ]
        await h.command("chen", "/welcome done number:2")
        done = await cog.home_section(h.community, "chen")
        assert done.footer == "All done: welcome aboard! 🎉"
