"""Pure parts of the Slack adapter: mrkdwn escaping and mentions, Block Kit limits, emoji,
inbound translation and the app manifest."""

from __future__ import annotations

from datetime import UTC, datetime

import yaml

from bot.catalog import Catalog
from bot.commands import CommandSpec, Text
from bot.events import MemberJoined, MessageDeleted, MessageEdited, MessagePosted, ReactionAdded
from bot.interactions import ActionHandler
from bot.messages import Button, Field, Message, Progress
from bot.platforms.slack.inbound import message_event, reaction_event, team_join_event
from bot.platforms.slack.manifest import build_manifest, callback_id
from bot.platforms.slack.mrkdwn import emoji_from_name, emoji_name, from_slack, to_mrkdwn
from bot.platforms.slack.render import (
    BLOCKS_PER_MESSAGE,
    Names,
    action_of,
    render,
    render_one,
)
from tests.fakes.fake_slack import FakeSlack

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COMMUNITY = "slack:T0000TEAM"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- outbound text ------------------------------------------------------------------------


def test_people_text_never_pings_and_only_listed_mentions_do() -> None:
    text = "hi <@U1> and <@U2>! <!channel> <!here> <!everyone> <!subteam^S9|@all> & <@&S1> <@&S2> <#C7>"
    out = to_mrkdwn(
        text,
        mentions=("U1",),
        role_mentions=("S1",),
        users={"U2": "bob"},
        groups={"S2": "mods"},
    )
    assert "<@U1>" in out and "<@U2>" not in out and "@bob" in out
    assert "<!subteam^S1>" in out and "<!subteam^S2>" not in out and "@mods" in out
    assert "<#C7>" in out  # a channel link, which never notifies
    for broadcast in ("<!channel>", "<!here>", "<!everyone>", "<!subteam^S9"):
        assert broadcast not in out
    assert "&lt;!channel&gt;" in out and " &amp; " in out


def test_plain_broadcast_words_stay_text_because_every_text_object_is_verbatim() -> None:
    # Slack turns a plain "@here" or "@handle" into a ping unless the text object is verbatim.
    said = "@here @channel @everyone <@&S2> look: https://example.com/a?b=1&c=2."
    message = Message(
        said,
        fields=(Field("Said", said, inline=True), Field("Again", said)),
        progress=Progress(1, 2),
        footer=said,
    )
    [part] = render(message, Names(groups={"S2": "mods"}))
    texts = [
        item
        for block in part.blocks
        for item in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]
        if item is not None and item["type"] == "mrkdwn"
    ]
    assert len(texts) == 5 and all(t.get("verbatim") is True for t in texts)
    assert part.blocks[0]["text"]["text"] == (
        "@here @channel @everyone @mods look: <https://example.com/a?b=1&amp;c=2>."
    )


def test_inbound_text_becomes_neutral_with_real_mentions_only() -> None:
    text, mentions = from_slack(
        "<@U1|ann> see <#C2|general>, <!subteam^S3|@mods> <!here> "
        "<https://example.com|the docs> <https://a.org> &lt;@U9&gt; R&amp;D"
    )
    assert text == (
        "<@U1> see <#C2>, <@&S3> @here the docs (https://example.com) https://a.org <@U9> R&D"
    )
    assert mentions == ("U1",)  # "<@U9>" was typed as text, not a mention
    # ...and echoed back, none of it pings
    echoed = to_mrkdwn(text)
    assert "<@U" not in echoed and "<!" not in echoed and "@ann" not in echoed


def test_emoji_names_both_ways() -> None:
    for emoji, name in [("✅", "white_check_mark"), ("⭐", "star"), ("👋", "wave"), ("🎉", "tada")]:
        assert emoji_name(emoji) == name and emoji_from_name(name) == emoji
    assert emoji_name("❤️") == emoji_name("❤") == "heart"
    assert emoji_name("👍") == "+1" and emoji_from_name("+1::skin-tone-3") == "👍"
    assert emoji_from_name("thumbsup") == "👍"
    assert (
        emoji_name(":partyparrot:") == "partyparrot"
        and emoji_from_name("partyparrot") == ":partyparrot:"
    )
    assert emoji_name("🦜") is None  # no name known: the platform refuses instead of guessing


# --- Block Kit ------------------------------------------------------------------------------


def test_message_renders_header_sections_fields_context_and_buttons() -> None:
    message = Message(
        "Welcome <@U1>, meet <@U2>",
        title="Hello",
        fields=(Field("Steps", "2 of 3", inline=True), Field("Tip", "ask <!here>")),
        progress=Progress(2, 4),
        footer="from <@U1>",
        buttons=(Button("Wave", "welcome.wave", "U1", "success"), Button("Skip", "welcome.skip")),
        mentions=("U1",),
    )
    [part] = render(message, Names(users={"U2": "bob"}))
    kinds = [b["type"] for b in part.blocks]
    assert kinds == ["header", "section", "section", "section", "context", "actions"]
    assert part.blocks[1]["text"]["text"] == "Welcome <@U1>, meet @bob"
    assert part.text == "Welcome <@U1>, meet @bob"
    assert part.blocks[3]["text"]["text"] == "*Tip*\nask &lt;!here&gt;"
    buttons = part.blocks[-1]["elements"]
    assert [b["action_id"] for b in buttons] == ["hearth:welcome.wave:0", "hearth:welcome.skip:1"]
    assert buttons[0]["style"] == "primary" and "style" not in buttons[1]
    assert buttons[0]["value"] == "U1" and action_of(buttons[1]["action_id"]) == "welcome.skip"
    assert "50%" in part.blocks[4]["elements"][0]["text"]


def test_blank_parts_slack_would_refuse_are_left_out() -> None:
    message = Message(
        "  ",
        title=" \n ",
        fields=(Field("Name", "Value"),),
        footer="   ",
        buttons=(Button("  ", "welcome.wave"),),
    )
    [part] = render(message)
    assert [b["type"] for b in part.blocks] == ["section", "actions"]
    [wave] = part.blocks[-1]["elements"]
    assert wave["text"]["text"] == "…" and "value" not in wave  # Slack wants 1+ characters
    assert part.text == "Name"


def test_limits_are_respected_by_splitting() -> None:
    # escaping makes "&" five characters long: the split must account for it
    long_text = " ".join(["R&D <@U1> שלום עולם ქართული مرحبا"] * 700)
    message = Message(
        long_text,
        title="T" * 400,
        fields=tuple(Field(f"f{i}", "v&" * 1500, inline=True) for i in range(23)),
        buttons=tuple(Button(f"b{i}", "x.y", str(i)) for i in range(30)),
    )
    parts = render(message)
    blocks = [b for p in parts for b in p.blocks]
    assert all(len(p.blocks) <= BLOCKS_PER_MESSAGE for p in parts)
    assert utf16(blocks[0]["text"]["text"]) <= 150
    sections = [b for b in blocks if b["type"] == "section" and "text" in b]
    assert len(sections) > 1 and all(utf16(s["text"]["text"]) <= 3000 for s in sections)
    joined = " ".join(s["text"]["text"] for s in sections)
    assert joined.split() == to_mrkdwn(long_text).split()  # nothing lost, no word cut
    field_sections = [b for b in blocks if "fields" in b]
    assert [len(b["fields"]) for b in field_sections] == [10, 10, 3]
    assert all(utf16(f["text"]) <= 2000 for b in field_sections for f in b["fields"])
    actions = [b for b in blocks if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
    assert parts[-1].blocks[-1]["type"] == "actions"  # buttons travel with the last part
    assert all(p.text for p in parts)


def test_single_message_for_edits_keeps_buttons_within_fifty_blocks() -> None:
    message = Message(
        fields=tuple(Field(f"f{i}", "v") for i in range(80)), buttons=(Button("Go", "a.b"),)
    )
    part = render_one(message)
    assert part is not None and len(part.blocks) == BLOCKS_PER_MESSAGE
    assert part.blocks[-1]["type"] == "actions" and part.blocks[-2]["type"] == "context"
    assert render(Message()) == [] and render_one(Message()) is None


def test_unicode_is_never_cut_inside_a_grapheme() -> None:
    family = "👩‍👩‍👧‍👦"
    text = (family + " ") * 1200  # 12 UTF-16 units per cluster + space
    parts = render(Message(text))
    sections = [b["text"]["text"] for p in parts for b in p.blocks]
    assert all(utf16(s) <= 3000 for s in sections)
    assert all(chunk.split() == [family] * len(chunk.split()) for chunk in sections)


# --- inbound ----------------------------------------------------------------------------


async def test_inbound_events_become_core_events() -> None:
    async with FakeSlack() as fake:
        alice = fake.add_user(name="alice", real_name="Alice A")["id"]
        root = fake.message_event("C0GENERAL", alice, "how? <!channel>")
        reply = fake.message_event("C0GENERAL", alice, "like <@U2|b>", thread_ts=root["ts"])
        posted = message_event(COMMUNITY, reply, AT, "alice")
        assert isinstance(posted, MessagePosted)
        assert (posted.thread, posted.reply_to, posted.mentions) == (
            root["ts"],
            root["ts"],
            ("U2",),
        )
        assert posted.text == "like <@U2>" and posted.message == reply["ts"]
        first = message_event(COMMUNITY, root, AT)
        assert isinstance(first, MessagePosted) and first.thread is None
        assert first.text == "how? @channel"

        edited = message_event(
            COMMUNITY, fake.message_changed_event("C0GENERAL", reply["ts"], "better"), AT
        )
        assert isinstance(edited, MessageEdited)
        assert (edited.message, edited.text, edited.thread) == (reply["ts"], "better", root["ts"])
        unchanged = fake.message_changed_event("C0GENERAL", reply["ts"], "better")
        assert message_event(COMMUNITY, unchanged, AT) is None  # an unfurl, not an edit

        deleted = message_event(COMMUNITY, fake.message_deleted_event("C0GENERAL", reply["ts"]), AT)
        assert isinstance(deleted, MessageDeleted) and deleted.message == reply["ts"]
        assert deleted.thread == root["ts"]

        bots = fake.message_event("C0GENERAL", alice, "beep", bot_id="B9")
        assert message_event(COMMUNITY, bots, AT) is None

        reacted = reaction_event(
            COMMUNITY, fake.reaction_event("C0GENERAL", root["ts"], "U3", "white_check_mark"), AT
        )
        assert isinstance(reacted, ReactionAdded)
        assert (reacted.emoji, reacted.user, reacted.message_author) == ("✅", "U3", alice)

        joined = team_join_event(COMMUNITY, fake.team_join_event("U0NEW", "dana"), AT)
        assert isinstance(joined, MemberJoined) and (joined.user, joined.name) == ("U0NEW", "dana")


# --- manifest -----------------------------------------------------------------------------


def test_manifest_is_valid_yaml_with_commands_shortcuts_and_modes() -> None:
    specs = [
        CommandSpec(("kudos",), "Thank someone", (Text(name="reason"),)),
        CommandSpec(("glossary", "define"), "Define a term"),
        CommandSpec(("glossary", "remove"), "Remove a term", moderator=True),
    ]

    async def noop(ctx: object, target: object) -> None:
        return None

    actions = {
        "Explain jargon": ActionHandler("glossary", "Explain jargon", "message", noop),
        "Give kudos": ActionHandler("recognition", "Give kudos", "user", noop),
    }
    catalog = Catalog.load()
    socket = yaml.safe_load(yaml.safe_dump(build_manifest(specs, actions, catalog)))
    commands = {c["command"]: c for c in socket["features"]["slash_commands"]}
    assert set(commands) == {"/kudos", "/glossary"}
    assert "define" in commands["/glossary"]["usage_hint"] and commands["/kudos"]["should_escape"]
    assert socket["features"]["shortcuts"] == [
        {
            "name": "Explain jargon",
            "type": "message",
            "callback_id": "explain_jargon",
            "description": "Hearth: Explain jargon",
        }
    ]
    assert socket["settings"]["socket_mode_enabled"] is True
    assert "team_join" in socket["settings"]["event_subscriptions"]["bot_events"]
    assert {"chat:write", "commands", "usergroups:write"} <= set(
        socket["oauth_config"]["scopes"]["bot"]
    )
    http = build_manifest(specs, actions, catalog, request_url="https://x.example/slack/events")
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["interactivity"]["request_url"] == "https://x.example/slack/events"
    assert all(
        c["url"] == "https://x.example/slack/events" for c in http["features"]["slash_commands"]
    )
    assert (
        callback_id("Explain jargon!") == "explain_jargon"
        and callback_id("Erklär' das") == "erklär_das"
    )


def test_markdown_bold_and_strike_become_slack_mrkdwn():
    from bot.platforms.slack.mrkdwn import to_mrkdwn

    assert (
        to_mrkdwn("**Answer 100** is ~~late~~ on time, 2 ** 3")
        == "*Answer 100* is ~late~ on time, 2 ** 3"
    )
