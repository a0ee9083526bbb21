"""The real slack-bolt AsyncApp (HTTP mode, signed requests) driving the real Bot, against
the fake Slack on 127.0.0.1: events, slash commands, buttons, shortcuts, App Home."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Bot
from bot.cog import Cog, button, command, listen, message_action
from bot.commands import Text
from bot.events import (
    Event,
    MemberJoinedChannel,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ReactionAdded,
)
from bot.interactions import CommandContext
from bot.messages import Button, Message, mention
from bot.platform import TargetMessage
from tests.fakes.fake_slack import FakeSlack
from tests.test_slack_support import GENERAL, Rig, clear_proxies, slack_rig, texts_of


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_proxies(monkeypatch)


class Probe(Cog):
    """A test-only cog: echoes, answers thread replies, counts with a button, quotes."""

    name = "probe"

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.seen: list[Event] = []
        self.questions: dict[str, str] = {}

    @listen(MessagePosted)
    async def on_message(self, event: MessagePosted) -> None:
        self.seen.append(event)
        if event.text.startswith("echo "):
            echo = Message(
                f"{mention(event.author)} said: {event.text[5:]}", mentions=(event.author,)
            )
            await self.bot.send(event.community, event.channel, echo, thread=event.message)
        elif event.text.endswith("?") and event.thread is None:
            self.questions[event.message] = event.author
        elif event.thread in self.questions and event.author != self.questions[event.thread]:
            asker = self.questions.pop(event.thread)
            answered = Message(
                f"{mention(asker)}, {mention(event.author)} answered your question.",
                mentions=(asker,),
            )
            await self.bot.send(event.community, event.channel, answered, thread=event.thread)

    @listen(MessageEdited)
    @listen(MessageDeleted)
    @listen(ReactionAdded)
    @listen(MemberJoinedChannel)
    async def record(self, event: Event) -> None:
        self.seen.append(event)
        await self.bot.send(event.community, GENERAL, Message(f"seen {type(event).__name__}"))

    @command("probe counter", "A counter with a button")
    async def counter(self, ctx: CommandContext) -> Message:
        return Message("count: 0", buttons=(Button("+1", "probe.bump", "0"),))

    @command("probe say", "Say something", Text(name="text"))
    async def say(self, ctx: CommandContext, text: str) -> Message:
        return Message(f"{mention(ctx.user.id)}: {text}", mentions=(ctx.user.id,))

    @button("bump")
    async def bump(self, ctx: CommandContext, value: str) -> None:
        count = int(value) + 1
        assert ctx.message is not None
        bumped = Message(f"count: {count}", buttons=(Button("+1", "probe.bump", str(count)),))
        await self.bot.edit(ctx.message, bumped)

    @message_action("Quote this")
    async def quote(self, ctx: CommandContext, target: TargetMessage) -> Message:
        return Message(f"{mention(target.author)} wrote: {target.text}")

    async def home_section(self, community: str, user: str) -> Message:
        return Message(f"Hello {mention(user)}", title="Your probe", mentions=(user,))

    async def delete_user_data(self, community: str, user: str) -> None:
        return None

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        return {}


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


def probe_of(rig: Rig) -> Probe:
    cog = rig.bot.cogs["probe"]
    assert isinstance(cog, Probe)
    return cog


# --- requests are verified ---------------------------------------------------------------


async def test_bad_signature_and_old_timestamp_are_rejected(
    tmp_path: Path, fake: FakeSlack
) -> None:
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    async with slack_rig(tmp_path, fake) as rig:
        assert rig.adapter.url is not None
        command = fake.slash_command(
            "/hearth", "timezone zone:Europe/Berlin", user=maria, channel=GENERAL
        )
        bad = await fake.post_command(rig.adapter.url, command, secret="not-the-secret")
        old = await fake.post_command(rig.adapter.url, command, timestamp=time.time() - 600)
        assert (bad.status, old.status) == (401, 401)
        assert str(rig.bot.timezone(rig.community)) == "UTC"
        assert not fake.calls_to("response_url")
        good = await rig.command(maria, "/hearth timezone zone:Europe/Berlin")
        assert good is not None and "Europe/Berlin" in good.args["text"]
        assert str(rig.bot.timezone(rig.community)) == "Europe/Berlin"


# --- slash commands -----------------------------------------------------------------------


async def test_slash_commands_answer_privately_with_errors_and_help(
    tmp_path: Path, fake: FakeSlack
) -> None:
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    async with slack_rig(tmp_path, fake) as rig:
        bad = await rig.command(maria, "/hearth timezone zone:Mars/Olympus")
        assert bad is not None and bad.args["response_type"] == "ephemeral"
        assert "Mars/Olympus" in bad.args["text"] and "Europe/Berlin" in bad.args["text"]
        assert str(rig.bot.timezone(rig.community)) == "UTC"  # nothing changed

        missing = await rig.command(maria, "/hearth timezone")
        assert missing is not None and missing.args["response_type"] == "ephemeral"
        assert "/hearth timezone zone:" in missing.args["text"]  # usage from the declaration

        helped = await rig.command(maria, "/hearth help")
        assert helped is not None and helped.args["response_type"] == "ephemeral"
        assert "/hearth timezone zone:" in texts_of(helped.args["blocks"])

        good = await rig.command(maria, "/hearth timezone zone:Asia/Tbilisi")
        assert good is not None and good.args["response_type"] == "ephemeral"
        assert str(rig.bot.timezone(rig.community)) == "Asia/Tbilisi"


async def test_moderator_commands_need_admin_or_a_moderator_group(
    tmp_path: Path, fake: FakeSlack
) -> None:
    maria = fake.add_user(name="maria", is_owner=True)["id"]
    bob = fake.add_user(name="bob")["id"]
    mods = fake.add_usergroup("mods", users=[bob])["id"]
    async with slack_rig(tmp_path, fake) as rig:
        refused = await rig.command(bob, "/hearth settings")
        assert refused is not None and refused.args["response_type"] == "ephemeral"
        assert "Only moderators" in refused.args["text"]

        added = await rig.command(maria, f"/hearth moderator-role add role:<!subteam^{mods}|@mods>")
        assert added is not None and "<!subteam" not in added.args["text"]  # not listed: no ping
        assert rig.bot.core_settings(rig.community).moderator_roles == [mods]

        allowed = await rig.command(bob, "/hearth settings")
        assert allowed is not None and "Hearth settings" in allowed.args["text"]
        assert "@mods" in texts_of(allowed.args["blocks"])


async def test_admin_rights_are_cached_briefly(tmp_path: Path, fake: FakeSlack) -> None:
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    async with slack_rig(tmp_path, fake) as rig:
        first = await rig.command(maria, "/hearth settings")
        assert first is not None and "Hearth settings" in first.args["text"]
        fake.users[maria]["is_admin"] = False
        cached = await rig.command(maria, "/hearth settings")
        assert cached is not None and "Hearth settings" in cached.args["text"]
        assert len(fake.calls_to("users.info")) == 1
        await rig.bot.scheduler.advance(timedelta(minutes=6))  # type: ignore[union-attr]
        refused = await rig.command(maria, "/hearth settings")
        assert refused is not None and "Only moderators" in refused.args["text"]


async def test_command_text_with_broadcasts_is_echoed_without_pinging(
    tmp_path: Path, fake: FakeSlack
) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake, extra_cogs=[Probe]) as rig:
        said = await rig.command(
            alice, '/probe say text:"<!channel> <!subteam^S1|@all> R&amp;D &lt;3"'
        )
        assert said is not None and said.args["response_type"] == "in_channel"
        shown = said.args["text"] + texts_of(said.args["blocks"])
        assert f"<@{alice}>" in shown
        assert "<!channel>" not in shown and "<!subteam" not in shown and "@channel" in shown
        assert "R&amp;D &lt;3" in shown  # decoded once for the cog, escaped once for Slack


# --- events ----------------------------------------------------------------------------


async def test_team_join_posts_the_welcome(tmp_path: Path, fake: FakeSlack) -> None:
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    welcome = fake.add_channel("welcome", members=[fake.bot_user_id])["id"]
    async with slack_rig(tmp_path, fake, cogs=["welcome"]) as rig:
        await rig.command(maria, f"/welcome channel channel:<#{welcome}|welcome>")
        await rig.event(fake.team_join_event("U0NEWBIE", "dana"))
        [post] = await fake.wait_for_call(
            "chat.postMessage", predicate=lambda c: c.args.get("channel") == welcome
        )
        assert "<@U0NEWBIE>" in post.args["text"] + texts_of(post.args["blocks"])
        member = await rig.bot.members.get(rig.community, "U0NEWBIE")
        assert member is not None and member.name == "dana"


async def test_message_with_broadcasts_is_echoed_without_pinging(
    tmp_path: Path, fake: FakeSlack
) -> None:
    alice = fake.add_user(name="alice")["id"]
    bob = fake.add_user(name="bob", real_name="Bob B")["id"]
    mods = fake.add_usergroup("mods")["id"]
    async with slack_rig(tmp_path, fake, extra_cogs=[Probe]) as rig:
        event = fake.message_event(
            GENERAL,
            alice,
            f"echo <!channel> <!here> <!everyone> <!subteam^{mods}|@mods> &lt;!here&gt; <@{bob}>",
        )
        await rig.event(event)
        [echo] = await fake.wait_for_call("chat.postMessage")
        shown = echo.args["text"] + "\n" + texts_of(echo.args["blocks"])
        assert echo.args["thread_ts"] == event["ts"]
        assert f"<@{alice}>" in shown  # the one mention the cog listed
        for ping in ("<!channel>", "<!here>", "<!everyone>", "<!subteam", f"<@{bob}>"):
            assert ping not in shown
        assert "@channel" in shown and "@mods" in shown and "@bob" in shown
        assert "&lt;!here&gt;" in shown  # typed as text, shown as text


async def test_thread_reply_answers_a_question(tmp_path: Path, fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    bob = fake.add_user(name="bob")["id"]
    async with slack_rig(tmp_path, fake, extra_cogs=[Probe]) as rig:
        question = fake.message_event(GENERAL, alice, "how do I join a mission?")
        await rig.event(question)
        answer = fake.message_event(GENERAL, bob, "use /mission join", thread_ts=question["ts"])
        await rig.event(answer)
        [post] = await fake.wait_for_call("chat.postMessage")
        assert post.args["thread_ts"] == question["ts"]
        assert post.args["text"] == f"<@{alice}>, @bob answered your question."
        seen = [e for e in probe_of(rig).seen if isinstance(e, MessagePosted)]
        assert seen[-1].thread == seen[-1].reply_to == question["ts"]
        assert seen[-1].author_name == "bob"


async def test_own_and_other_bots_messages_are_ignored(tmp_path: Path, fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake, extra_cogs=[Probe]) as rig:
        await rig.event(
            fake.message_event(GENERAL, fake.bot_user_id, "echo me", bot_id=fake.bot_id)
        )
        await rig.event(fake.message_event(GENERAL, "U0OTHERBOT", "echo me", bot_id="B0OTHER"))
        await rig.event(fake.message_event(GENERAL, alice, "echo you"))
        [post] = await fake.wait_for_call("chat.postMessage")
        assert post.args["text"] == f"<@{alice}> said: you"
        assert [e.author for e in probe_of(rig).seen if isinstance(e, MessagePosted)] == [alice]


async def test_edits_deletions_reactions_and_channel_joins_reach_cogs(
    tmp_path: Path, fake: FakeSlack
) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake, extra_cogs=[Probe]) as rig:
        posted = fake.message_event(GENERAL, alice, "hello")
        await rig.event(posted)
        await rig.event(fake.message_changed_event(GENERAL, posted["ts"], "hello there"))
        await rig.event(fake.reaction_event(GENERAL, posted["ts"], alice, "tada"))
        await rig.event(fake.message_deleted_event(GENERAL, posted["ts"]))
        await rig.event(fake.member_joined_channel_event(GENERAL, alice))
        await fake.wait_for_call("chat.postMessage", count=4)
        kinds = {type(e).__name__: e for e in probe_of(rig).seen}
        edited, reacted = kinds["MessageEdited"], kinds["ReactionAdded"]
        assert isinstance(edited, MessageEdited) and edited.text == "hello there"
        assert isinstance(reacted, ReactionAdded) and reacted.emoji == "🎉"
        assert kinds["MessageDeleted"].message == posted["ts"]  # type: ignore[attr-defined]
        assert kinds["MemberJoinedChannel"].channel == GENERAL  # type: ignore[attr-defined]


# --- buttons, shortcuts, App Home -----------------------------------------------------------


async def test_button_press_updates_the_message(tmp_path: Path, fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake, extra_cogs=[Probe]) as rig:
        shown = await rig.command(alice, "/probe counter")
        assert shown is not None and shown.args["response_type"] == "in_channel"
        [stored] = [m for m in fake.messages_in(GENERAL) if m["text"] == "count: 0"]
        [element] = stored["blocks"][-1]["elements"]
        press = fake.block_actions(
            GENERAL,
            stored["ts"],
            user=alice,
            action_id=element["action_id"],
            value=element["value"],
        )
        await rig.interactive(press)
        [update] = await fake.wait_for_call("chat.update")
        assert update.args["ts"] == stored["ts"]
        assert fake.messages[(GENERAL, stored["ts"])]["text"] == "count: 1"
        assert fake.messages[(GENERAL, stored["ts"])]["blocks"][-1]["elements"][0]["value"] == "1"


async def test_button_on_a_private_message_replaces_it(tmp_path: Path, fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake) as rig:
        asked = await rig.command(alice, "/privacy forget-me")
        assert asked is not None and asked.args["response_type"] == "ephemeral"
        cancel = next(
            e
            for b in asked.args["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"].startswith("hearth:hearth.forget_cancel:")
        )
        # Slack keeps ephemeral messages to itself; the press names it by a ts of its own.
        ephemeral = fake.add_message(GENERAL, asked.args["text"], user=fake.bot_user_id)
        press = fake.block_actions(
            GENERAL,
            ephemeral["ts"],
            user=alice,
            action_id=cancel["action_id"],
            value=cancel["value"],
        )
        press["container"]["is_ephemeral"] = True
        await rig.interactive(press)
        calls = await fake.wait_for_call("response_url", count=2)
        assert calls[1].args["replace_original"] is True
        assert calls[1].args["response_type"] == "ephemeral"
        assert "actions" not in [b["type"] for b in calls[1].args["blocks"]]


async def test_message_shortcut_runs_the_cogs_message_action(
    tmp_path: Path, fake: FakeSlack
) -> None:
    alice = fake.add_user(name="alice")["id"]
    bob = fake.add_user(name="bob")["id"]
    async with slack_rig(tmp_path, fake, extra_cogs=[Probe]) as rig:
        original = fake.message_event(GENERAL, bob, "ship it &amp; <!here>")
        shortcut = fake.message_shortcut(
            GENERAL, original["ts"], user=alice, callback_id="quote_this"
        )
        await rig.interactive(shortcut)
        [answer] = await fake.wait_for_call("response_url")
        assert answer.args["response_type"] == "ephemeral"
        assert answer.args["text"] == "@bob wrote: ship it &amp; @here"


async def test_app_home_shows_the_cogs_sections(tmp_path: Path, fake: FakeSlack) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake, extra_cogs=[Probe]) as rig:
        await rig.event(fake.app_home_opened_event(alice))
        [published] = await fake.wait_for_call("views.publish")
        view = fake.home_views[alice]
        assert published.args["user_id"] == alice and view["type"] == "home"
        shown = texts_of(view["blocks"])
        assert "Hearth" in shown and "Your probe" in shown and f"Hello <@{alice}>" in shown


async def test_app_home_shows_recognition_missions_and_welcome_first(
    tmp_path: Path, fake: FakeSlack
) -> None:
    maria = fake.add_user(name="maria", is_admin=True)["id"]
    alice = fake.add_user(name="alice")["id"]
    cogs = ["recognition", "missions", "welcome"]
    async with slack_rig(tmp_path, fake, cogs=cogs, extra_cogs=[Probe]) as rig:
        for user, line in (
            (
                maria,
                '/mission create name:"Docs" goal:"Write docs" target:10 unit:pages deadline:7d'
                f" channel:<#{GENERAL}|general>",
            ),
            (maria, '/welcome steps add text:"Read the rules"'),
            (maria, f"/kudos <@{alice}|alice> thanks for the review"),  # alice never posted
            (alice, '/mission join name:"Docs"'),
        ):
            answer = await rig.command(user, line)
            assert answer is not None and "don't know" not in answer.args["text"], answer.args
        await rig.event(fake.app_home_opened_event(alice))
        await fake.wait_for_call("views.publish")
        shown = texts_of(fake.home_views[alice]["blocks"])
        order = ["Your recognition", "Missions you can help with", "Your first steps", "Your probe"]
        places = [shown.find(title) for title in order]
        assert -1 not in places and places == sorted(places), shown
        assert "2 points · 1 kudos received" in shown
        assert "• “Docs”: 0/10 pages (0%), 7d left · you joined" in shown
        assert "⬜ 1. Read the rules" in shown


async def test_app_home_without_sections_points_to_the_commands(
    tmp_path: Path, fake: FakeSlack
) -> None:
    alice = fake.add_user(name="alice")["id"]
    async with slack_rig(tmp_path, fake) as rig:
        await rig.event(fake.app_home_opened_event(alice))
        await fake.wait_for_call("views.publish")
        assert "`/hearth help`" in texts_of(fake.home_views[alice]["blocks"])
