"""Everything a moderator points at exists and can be used: the core asks the platform
about every Channel and Role option when a command runs, cogs ask about channels given as
text, and ``/hearth settings`` warns about stored settings that stopped working."""

from __future__ import annotations

from pathlib import Path

from tests.harness import RecordingPlatform, make_harness

CHANNELS = {"general", "missions", "mods", "help"}
ROLES = {"Regular", "Mods", "Bots"}
CREATE = (
    '/mission create name:Docs goal:"Write the docs" target:10 unit:pages deadline:7d'
    " channel:#missions"
)


def platform() -> RecordingPlatform:
    return RecordingPlatform(channels=set(CHANNELS), roles=set(ROLES), managed={"Bots"})


def refused(reply, *fragments: str) -> bool:
    text = reply.message.text
    return reply.private and "✅" not in text and all(f in text for f in fragments)


async def test_a_channel_that_does_not_exist_is_refused_with_the_fix(tmp_path: Path) -> None:
    cogs = ["welcome", "missions", "glossary"]
    async with make_harness(tmp_path, cogs=cogs, platform=platform()) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", "/welcome channel channel:#nope")
        assert refused(reply, "<#nope>", "does not exist", "Pick another channel")
        assert h.bot.settings_for("welcome").get(h.community).channel != "nope"

        reply = await h.command("maria", "/glossary settings emerging-channel:#nope")
        assert refused(reply, "<#nope>")
        assert h.bot.settings_for("glossary").get(h.community).emerging_channel != "nope"

        reply = await h.command("maria", CREATE.replace("#missions", "#nope"))
        assert refused(reply, "<#nope>")
        counted = CREATE + ' counting:messages count-channels:"#general #nope"'
        reply = await h.command("maria", counted)
        assert refused(reply, "<#nope>")
        assert not await h.bot.cogs["missions"].live_missions(h.community)

        assert "✅" in (await h.command("maria", "/welcome channel channel:#general")).message.text


async def test_a_channel_hearth_cannot_post_in_is_refused(tmp_path: Path) -> None:
    recording = platform()
    recording.unpostable.add("help")
    async with make_harness(tmp_path, cogs=["welcome"], platform=recording) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", "/welcome channel channel:#help")
        assert refused(reply, "cannot post in <#help>")
        # Reading is enough for a step that ticks when the newcomer posts there.
        reply = await h.command("maria", '/welcome steps add channel:#help text:"Say hello"')
        assert not reply.message.text.startswith("Hearth cannot")


async def test_everyone_a_missing_role_and_a_managed_one_are_refused(tmp_path: Path) -> None:
    async with make_harness(tmp_path, cogs=["missions", "recognition"], platform=platform()) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", "/hearth moderator-role add role:@everyone")
        assert refused(reply, "everyone in the community")
        assert h.bot.core_settings(h.community).moderator_roles == []

        reply = await h.command(
            "maria", "/recognition role add role:@everyone metric:kudos threshold:3"
        )
        assert refused(reply, "everyone")
        reply = await h.command(
            "maria", "/recognition role add role:@Nope metric:kudos threshold:3"
        )
        assert refused(reply, "does not exist")
        reply = await h.command(
            "maria", "/recognition role add role:@Bots metric:kudos threshold:3"
        )
        assert refused(reply, "cannot hand out")
        reply = await h.command("maria", CREATE + " role:@everyone")
        assert refused(reply, "everyone")
        assert not await h.bot.cogs["missions"].live_missions(h.community)

        # A moderator role is only matched, never handed out: a managed one is fine.
        reply = await h.command("maria", "/hearth moderator-role add role:@Bots")
        assert "✅" in reply.message.text


async def test_removing_a_channel_or_role_that_is_gone_still_works(tmp_path: Path) -> None:
    recording = platform()
    async with make_harness(tmp_path, cogs=[], platform=recording) as h:
        h.moderators.add("maria")
        assert (
            "✅" in (await h.command("maria", "/hearth moderator-role add role:@Mods")).message.text
        )
        recording.roles = {"Regular"}  # Mods was deleted on the platform
        reply = await h.command("maria", "/hearth moderator-role remove role:@Mods")
        assert "✅" in reply.message.text


async def test_settings_warn_about_a_setting_that_no_longer_works(tmp_path: Path) -> None:
    recording = platform()
    async with make_harness(tmp_path, cogs=["welcome"], platform=recording) as h:
        h.moderators.add("maria")
        await h.command("maria", "/welcome channel channel:#general")
        await h.command("maria", "/hearth log-channel channel:#mods")
        shown = (await h.command("maria", "/hearth settings")).message
        assert not any("no longer works" in f.name for f in shown.fields)

        recording.channels = {"general"}  # #mods was deleted
        recording.unpostable.add("general")  # and Hearth lost the right to post in #general
        shown = (await h.command("maria", "/hearth settings")).message
        broken = {f.name: f.value for f in shown.fields if "no longer works" in f.name}
        assert len(broken) == 2
        [log] = [v for k, v in broken.items() if "hearth log-channel" in k]
        assert "<#mods> does not exist" in log
        [welcome] = [v for k, v in broken.items() if "welcome channel" in k]
        assert "cannot post in <#general>" in welcome


async def test_playground_refuses_a_channel_that_does_not_exist_and_everyone(tmp_path) -> None:
    from bot.platforms.playground import run_playground
    from tests.harness import PLAYGROUND_START, harness_config

    out: list[str] = []
    script = [
        "as maria --moderator",
        "/welcome channel channel:#nope",
        "/hearth moderator-role add role:@everyone",
        "/welcome channel channel:#general",
    ]
    await run_playground(
        harness_config(["welcome"]),
        tmp_path / "pg.db",
        fresh=True,
        script=script,
        write=out.append,
        start=PLAYGROUND_START,
    )
    text = "\n".join(out)
    assert "<#nope> does not exist" in text or "#nope does not exist" in text
    assert "everyone in the community" in text
    assert text.count("✅") == 1
