"""SlackPlatform, the core's actions as Web API calls, against the fake Slack: sending,
DMs, edits, reactions, pins, links, files, refusals with fixes, rate limits and roles."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from slack_sdk.http_retry import builtin_async_handlers

from bot.messages import Attachment, Message, MessageRef
from tests.fakes.fake_slack import FakeSlack
from tests.test_slack_support import GENERAL, Rig, clear_proxies, slack_rig, texts_of


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxies(monkeypatch)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


def notices(rig: Rig) -> list[str]:
    return [c.args["text"] for c in rig.fake.calls_to("chat.postMessage") if "⚠️" in c.args["text"]]


async def test_send_dm_edit_react_pin_link_delete(tmp_path: Path, fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake) as rig:
        bot, community = rig.bot, rig.community
        ref = await bot.send(community, GENERAL, Message("hello <@" + alice + ">"))
        assert ref is not None and ref.channel == GENERAL
        assert fake.messages[(GENERAL, ref.id)]["text"] == "hello @alice"  # not listed: no ping
        reply = await bot.send(community, GENERAL, Message("in thread"), thread=ref.id)
        assert reply is not None and fake.messages[(GENERAL, reply.id)]["thread_ts"] == ref.id

        dm = await bot.send_dm(community, alice, Message("psst", mentions=(alice,)))
        assert dm is not None and fake.channels[dm.channel]["is_im"]
        assert fake.messages[(dm.channel, dm.id)]["text"] == "psst"

        assert await bot.edit(ref, Message("edited"))
        assert fake.messages[(GENERAL, ref.id)]["text"] == "edited"
        assert await bot.react(ref, "✅") and await bot.react(ref, "✅")  # again: still fine
        assert fake.messages[(GENERAL, ref.id)]["reactions"][0]["name"] == "white_check_mark"
        assert await bot.pin(ref) and await bot.pin(ref)
        assert fake.messages[(GENERAL, ref.id)]["pinned"] is True

        permalink = (
            await rig.adapter.client.chat_getPermalink(channel=GENERAL, message_ts=ref.id)
        )["permalink"]
        assert bot.message_link(ref) == permalink
        threaded = bot.message_link(reply)
        assert threaded is not None and threaded.endswith(f"?thread_ts={ref.id}&cid={GENERAL}")

        assert await bot.delete(ref) and (GENERAL, ref.id) not in fake.messages
        assert await bot.delete(ref)  # already gone: nothing to do


async def test_files_are_uploaded_with_the_message(tmp_path: Path, fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake) as rig:
        data = Attachment("data.json", '{"a": "ä"}'.encode(), "Your data")
        ref = await rig.bot.send_dm(rig.community, alice, Message("here", attachments=(data,)))
        assert ref is not None and rig.bot.platform_of(rig.community).supports_files
        [stored] = fake.files.values()
        assert stored["content"] == '{"a": "ä"}'.encode() and stored["title"] == "Your data"
        texts = [m["text"] for m in fake.messages_in(ref.channel)]
        assert texts[0] == "here" and len(texts) == 2  # the message, then the file


async def test_refusals_tell_moderators_once_how_to_fix_them(
    tmp_path: Path, fake: FakeSlack
) -> None:
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    mods = fake.add_channel("mods", members=[fake.bot_user_id])["id"]
    secret = fake.add_channel("secret", is_private=True)["id"]
    async with slack_rig(tmp_path, fake) as rig:
        await rig.command(maria, f"/hearth log-channel channel:<#{mods}|mods>")
        for _ in range(2):
            fake.error_next("chat.postMessage", "not_in_channel")
            assert await rig.bot.send(rig.community, secret, Message("hi")) is None
        [notice] = notices(rig)
        assert f"<#{secret}>" in notice and "/invite @hearth" in notice
        assert await rig.bot.react(MessageRef(rig.community, GENERAL, "1.2"), "🦜") is False


async def test_rate_limited_send_waits_for_retry_after(
    tmp_path: Path, fake: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # slack_sdk waits int(Retry-After) + random(): take its jitter out.
    monkeypatch.setattr(builtin_async_handlers, "random", SimpleNamespace(random=lambda: 0.0))
    async with slack_rig(tmp_path, fake) as rig:
        fake.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"}, times=2)
        ref = await rig.bot.send(rig.community, GENERAL, Message("patience"))
        first, second, third = fake.calls_to("chat.postMessage")
        assert (first.status, second.status, third.status) == (429, 429, 200)
        assert 1.0 <= second.at - first.at < 1.9 and 1.0 <= third.at - second.at < 1.9
        assert ref is not None and fake.messages[(GENERAL, ref.id)]["text"] == "patience"


async def test_role_is_a_user_group_where_the_workspace_has_them(
    tmp_path: Path, fake: FakeSlack
) -> None:
    alice = fake.add_user(name="alice")["id"]
    bob = fake.add_user(name="bob")["id"]
    regulars = fake.add_usergroup("regulars", users=[bob])["id"]
    async with slack_rig(tmp_path, fake) as rig:
        assert await rig.bot.add_role(rig.community, alice, regulars, "10 kudos")
        assert sorted(fake.usergroups[regulars]["users"]) == sorted([alice, bob])
        assert await rig.bot.add_role(rig.community, alice, "@regulars", "again")  # by handle
        assert len(fake.calls_to("usergroups.users.update")) == 1  # already in: no call
        assert await rig.bot.remove_role(rig.community, bob, regulars, "left")
        assert fake.usergroups[regulars]["users"] == [alice]


async def test_role_falls_back_to_a_private_channel_without_user_groups(tmp_path: Path) -> None:
    async with FakeSlack(usergroups_enabled=False) as fake:
        alice = fake.add_user(name="alice")["id"]
        maria = fake.add_user(name="maria", is_admin=True)["id"]
        mods = fake.add_channel("mods", members=[fake.bot_user_id])["id"]
        insiders = fake.add_channel("insiders", is_private=True, members=[fake.bot_user_id])["id"]
        section = {"role_channels": {"Regulars": insiders}}
        async with slack_rig(tmp_path, fake, slack=section) as rig:
            await rig.command(maria, f"/hearth log-channel channel:<#{mods}|mods>")
            assert await rig.bot.add_role(rig.community, alice, "Regulars", "10 kudos")
            [invite] = fake.calls_to("conversations.invite")
            assert (invite.args["channel"], invite.args["users"]) == (insiders, alice)
            assert alice in fake.channels[insiders]["members"]
            assert await rig.bot.add_role(rig.community, alice, "Regulars", "again")

            # a private channel can be the role itself
            assert await rig.bot.add_role(rig.community, maria, insiders, "helper")
            assert maria in fake.channels[insiders]["members"]

            # neither a group nor a channel: refused, moderators told once with the fix
            assert not await rig.bot.add_role(rig.community, alice, "Legends", "50 kudos")
            assert not await rig.bot.add_role(rig.community, maria, "Legends", "50 kudos")
            [notice] = notices(rig)
            assert "Legends" in notice and "role_channels" in notice
            assert not fake.calls_to("usergroups.users.update")


async def test_moderator_role_can_be_a_private_channel(tmp_path: Path, fake: FakeSlack) -> None:
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    bob = fake.add_user(name="bob")["id"]
    staff = fake.add_channel("staff", is_private=True, members=[fake.bot_user_id, bob])["id"]
    async with slack_rig(tmp_path, fake) as rig:
        added = await rig.command(maria, f"/hearth moderator-role add role:<#{staff}|staff>")
        assert added is not None and rig.bot.core_settings(rig.community).moderator_roles == [staff]
        allowed = await rig.command(bob, "/hearth settings")
        assert allowed is not None and "Hearth settings" in allowed.args["text"]
        assert f"<#{staff}>" in texts_of(allowed.args["blocks"])  # the role, shown as a channel
        refused = await rig.command(fake.add_user(name="eve")["id"], "/hearth settings")
        assert refused is not None and "Only moderators" in refused.args["text"]


async def test_channels_and_roles_are_checked_against_the_workspace(
    tmp_path: Path, fake: FakeSlack
) -> None:
    """A channel that does not exist, a private one without Hearth, an archived one and a
    user group that does not exist are refused with the fix; a public channel is fine."""
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    public = fake.add_channel("random")["id"]  # Hearth not in it: chat:write.public posts
    secret = fake.add_channel("secret", is_private=True)["id"]
    old = fake.add_channel("old", is_archived=True)["id"]
    fake.add_usergroup("regulars", users=[maria])
    async with slack_rig(tmp_path, fake, cogs=["welcome", "questions"]) as rig:

        async def answer(line: str) -> str:
            call = await rig.command(maria, line)
            assert call is not None
            return str(call.args["text"])

        assert "✅" in await answer(f"/welcome channel channel:<#{public}|random>")
        assert "does not exist" in await answer("/welcome channel channel:<#C0NOPE|nope>")
        assert "private and Hearth is not in it" in await answer(
            f"/welcome channel channel:<#{secret}|secret>"
        )
        assert "archived" in await answer(f"/welcome channel channel:<#{old}|old>")
        assert "Hearth is not in" in await answer(
            f"/questions config watch-channel:<#{public}|random>"
        )  # to watch it, Hearth must be in it
        assert "does not exist" in await answer("/hearth moderator-role add role:<!subteam^S0NOPE>")
        assert "✅" in await answer("/hearth moderator-role add role:@regulars")
