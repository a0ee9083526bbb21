"""Option validation, the text syntax, permissions and failure handling — once, for every platform."""

from datetime import timedelta

import pytest

from bot.cog import Cog, command
from bot.commands import (
    Channel,
    Choice,
    Duration,
    Integer,
    Member,
    Role,
    Text,
    Toggle,
    When,
)
from bot.errors import UserError
from bot.interactions import CommandContext
from bot.messages import Message
from tests.harness import make_harness


class Echo(Cog):
    """A test cog whose commands echo what the core converted."""

    name = "echo"

    @command(
        "echo all",
        "Every option kind",
        Text(name="text", max_length=10),
        Integer(name="count", min_value=1, max_value=5, required=False),
        Choice(name="colour", choices=("red", "green"), required=False),
        Toggle(name="flag", required=False),
        Duration(name="after", required=False, maximum=timedelta(days=7)),
        When(name="deadline", required=False),
        Member(name="person", required=False),
        Channel(name="where", required=False),
        Role(name="role", required=False),
    )
    async def all(self, ctx: CommandContext, **values: object) -> Message:
        shown = ", ".join(f"{k}={v!r}" for k, v in sorted(values.items()) if v is not None)
        return Message(shown)

    @command(
        "echo say",
        "Positional text",
        Member(name="person"),
        Text(name="reason"),
        cooldown=False,  # the tests run it again and again
    )
    async def say(self, ctx: CommandContext, person: str, reason: str) -> Message:
        return Message(f"{person}|{reason}")

    @command("echo admin", "Moderators only", moderator=True)
    async def admin(self, ctx: CommandContext) -> Message:
        return Message("done")

    @command("echo refuse", "Always a mistake")
    async def refuse(self, ctx: CommandContext) -> Message:
        raise UserError("no, because")

    @command("echo crash", "Always a bug")
    async def crash(self, ctx: CommandContext) -> Message:
        raise RuntimeError("boom")

    async def delete_user_data(self, community: str, user: str) -> None:
        return None

    async def export_user_data(self, community: str, user: str) -> dict:
        return {}


@pytest.fixture
async def h(tmp_path):
    async with make_harness(tmp_path, extra_cogs=[Echo]) as harness:
        yield harness


async def test_every_option_kind_converts(h):
    reply = await h.command(
        "alice",
        '/echo all text:"hi there" count:3 colour:GREEN flag:on after:90m deadline:3d '
        "person:<@U1|bob> where:<#C9|general> role:<@&R5>",
    )
    text = reply.message.text
    assert "text='hi there'" in text
    assert "count=3" in text and "colour='green'" in text and "flag=True" in text
    assert "after=datetime.timedelta(seconds=5400)" in text
    assert "person='U1'" in text and "where='C9'" in text and "role='R5'" in text
    assert "deadline=datetime.datetime(2026, 3, 5, 9, 0" in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/echo all", "Please give `text`"),
        ("/echo all text:12345678901", "at most 10 characters"),
        ("/echo all text:ok count:seven", "whole number"),
        ("/echo all text:ok count:9", "whole number 1–5"),
        ("/echo all text:ok colour:blue", "one of: red, green"),
        ("/echo all text:ok flag:maybe", "on or off"),
        ("/echo all text:ok after:soon", "duration such as 90m"),
        ("/echo all text:ok after:30d", "between 1m and 7d"),
        ("/echo all text:ok deadline:2020-01-01", "in the future"),
        ("/echo all text:ok deadline:someday", "date such as"),
        ("/echo all text:ok person:nobody?", "must be a person"),
        ("/echo all text:ok nonsense:1", "no option `nonsense`"),
    ],
)
async def test_bad_input_gets_a_private_explanation(h, line, expected):
    reply = await h.command("alice", line)
    assert reply.private
    assert expected in reply.message.text


async def test_positional_values_fill_options_and_the_last_text_takes_the_rest(h):
    reply = await h.command("alice", "/echo say @bob thanks for the review, it was great")
    assert reply.message.text == "bob|thanks for the review, it was great"
    reply = await h.command("alice", '/echo say reason:"quoted “smart” ok" person:@chen')
    assert reply.message.text == "chen|quoted “smart” ok"


async def test_unicode_text_is_kept_whole(h):
    reply = await h.command("alice", "/echo say @bob شكرا جزيلا ❤️ תודה")
    assert reply.message.text == "bob|شكرا جزيلا ❤️ תודה"


async def test_moderator_commands_are_refused_with_a_reason(h):
    refused = await h.command("alice", "/echo admin")
    assert refused.private and "Only moderators" in refused.message.text
    h.moderators.add("maria")
    assert (await h.command("maria", "/echo admin")).message.text == "done"


async def test_a_configured_moderator_role_grants_moderator_commands(h):
    h.moderators.add("maria")
    await h.command("maria", "/hearth moderator-role add role:<@&Stewards>")
    h.roles["alice"] = ("Stewards",)
    assert (await h.command("alice", "/echo admin")).message.text == "done"


async def test_user_errors_are_private_and_crashes_are_apologised_for(h, caplog):
    refused = await h.command("alice", "/echo refuse")
    assert refused.private and refused.message.text == "no, because"
    crashed = await h.command("alice", "/echo crash")
    assert crashed.private and "something went wrong" in crashed.message.text
    assert any(
        "echo crash" in r.getMessage() and "cog echo" in r.getMessage() for r in caplog.records
    )


async def test_unknown_commands_and_help(h):
    unknown = await h.command("alice", "/echo nope")
    assert unknown.private and "/echo help" in unknown.message.text
    help_reply = await h.command("alice", "/echo help")
    usages = [f.name for f in help_reply.message.fields]
    assert usages[0].startswith("/echo all text:<")
    assert any(f.value.endswith("(moderators)") for f in help_reply.message.fields)
    nothing = await h.command("alice", "/nothing here")
    assert "/echo" in nothing.message.text and "/hearth" in nothing.message.text
