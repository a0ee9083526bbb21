"""Kudos to someone Hearth has not seen yet: the members registry decides when it knows the
person, the platform's ``is_member`` when it does not (False refuses, True accepts and is
remembered, None, "cannot tell", accepts)."""

from datetime import timedelta

from bot.platforms.playground import run_playground
from tests.harness import PLAYGROUND_START, RecordingPlatform, harness_config, make_harness


async def settle(h):
    """Let the kudos flush run: confirmations follow it by a few seconds."""
    await h.wait(timedelta(seconds=5))


SECTIONS = {"hearth": {"cogs": ["recognition"], "flush_seconds": 3600}}


def harness(tmp_path, platform=None):
    return make_harness(tmp_path, cogs=["recognition"], sections=SECTIONS, platform=platform)


async def receivers(h) -> list[str]:
    rows = await h.bot.db.fetch_all("SELECT receiver FROM recognition_kudos ORDER BY id")
    return [r[0] for r in rows]


class Asked(RecordingPlatform):
    """A platform that counts the questions it was asked."""

    def __init__(self, members):
        super().__init__(members=members)
        self.asked: list[str] = []

    async def is_member(self, community, user):
        self.asked.append(user)
        return await super().is_member(community, user)


async def test_platform_says_no_refuses_and_records_nothing(tmp_path):
    async with harness(tmp_path, Asked(members={"alice"})) as h:
        await h.join("alice")
        reply = await h.command("alice", "/kudos @ghost thanks")
        assert reply.private
        assert "don't know <@ghost> as a member" in reply.message.text
        assert await receivers(h) == []
        assert await h.bot.members.get(h.community, "ghost") is None
        assert h.platform.asked == ["ghost"]


async def test_platform_says_yes_accepts_and_remembers_without_a_join(tmp_path):
    async with harness(tmp_path, Asked(members={"alice", "dana"})) as h:
        await h.join("alice")
        reply = await h.command("alice", "/kudos @dana for years of help")
        assert not reply.private and "<@dana>" in reply.message.text
        assert await receivers(h) == ["dana"]
        seen = await h.bot.members.get(h.community, "dana")
        assert seen is not None and seen.is_member and seen.first_joined_at is None
        h.platform.members.discard("dana")  # the registry answers from now on
        await h.command("bob", "/kudos @dana me too")
        assert await receivers(h) == ["dana", "dana"]
        assert h.platform.asked == ["dana"]


async def test_platform_cannot_tell_accepts_and_records_nothing(tmp_path):
    async with harness(tmp_path) as h:  # RecordingPlatform.members is None: cannot tell
        await h.join("alice")
        reply = await h.command("alice", "/kudos @dana thanks")
        assert not reply.private
        assert await receivers(h) == ["dana"]
        assert await h.bot.members.get(h.community, "dana") is None


async def test_the_registry_decides_when_it_knows_the_person(tmp_path):
    async with harness(tmp_path, Asked(members={"erin"})) as h:
        await h.join("alice")
        await h.join("erin")
        await h.leave("erin")
        await h.join("bob")  # the platform's set does not list bob
        left = await h.command("alice", "/kudos @erin bye")
        assert left.private and "don't know <@erin>" in left.message.text
        joined = await h.command("alice", "/kudos @bob welcome")
        assert not joined.private
        assert await receivers(h) == ["bob"]
        assert h.platform.asked == []


class Broken(RecordingPlatform):
    async def is_member(self, community, user):
        raise RuntimeError("the directory is down")


async def test_a_failing_hook_counts_as_cannot_tell(tmp_path):
    async with harness(tmp_path, Broken()) as h:
        assert await h.bot.is_member(h.community, "dana") is None
        await h.join("alice")
        assert not (await h.command("alice", "/kudos @dana thanks")).private
        assert await receivers(h) == ["dana"]


async def test_natural_thanks_reach_a_member_who_never_posted(tmp_path):
    async with harness(tmp_path, RecordingPlatform(members={"alice", "dana"})) as h:
        await h.join("alice")
        await h.say("alice", "general", "thanks <@dana> and <@ghost>!", mentions=("dana", "ghost"))
        await settle(h)
        assert await receivers(h) == ["dana"]


async def test_playground_people_who_never_posted_can_be_thanked_until_they_leave(tmp_path):
    out: list[str] = []
    script = [
        "as bob",  # bob exists but never joins or posts
        "as erin",
        "leave",
        "as robot --bot",
        "as alice",
        "/kudos @bob thanks for the tour",
        "/kudos @erin bye",
        "/kudos @ghost hello",
        "/kudos @robot beep",
    ]
    config = harness_config(["recognition"])
    await run_playground(
        config,
        tmp_path / "pg.db",
        fresh=True,
        start=PLAYGROUND_START,
        script=script,
        write=out.append,
    )
    given = [line for line in out if "gave kudos" in line]
    assert given == ["[#general] (m1) ⭐ @alice gave kudos to @bob: “thanks for the tour”"]
    refused = [line.split("don't know ")[1].split()[0] for line in out if "don't know" in line]
    assert refused == ["@erin", "@ghost", "@robot"]
