"""Rendering the neutral Message for Discord: placement, limits, splitting, mentions, buttons."""

from __future__ import annotations

import re
from pathlib import Path

import discord
import pytest

from bot.database import Database
from bot.messages import Button, Field, Message, Progress
from bot.migrations import migrate
from bot.platforms.discord.buttons import CUSTOM_ID, ButtonIds, Press
from bot.platforms.discord.render import (
    BUTTON_LABEL,
    CONTENT,
    EMBED_TOTAL,
    FIELD_VALUE,
    FIELDS,
    MENTIONS_PER_KIND,
    ButtonsView,
    allowed_mentions,
    render,
)
from bot.platforms.discord.store import DiscordStore

#: Words in scripts whose letters take several bytes, plus an emoji ZWJ sequence and a flag.
WORDS = ["שלום", "مرحبا", "καλημέρα", "გამარჯობა", "👩‍👩‍👧", "🇬🇪", "<@123456789012345678>"]
MENTION = re.compile(r"<@\d+>")


def long_text(words: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(words))


def test_plain_text_is_content_and_a_titled_message_is_an_embed() -> None:
    [plain] = render(Message("hello"))
    assert (plain.content, plain.embed) == ("hello", None)
    [titled] = render(Message("body", title="Title", colour=0x123456))
    assert titled.content is None
    assert titled.embed is not None
    assert (titled.embed.title, titled.embed.description) == ("Title", "body")
    embed = titled.embeds()[0]
    assert embed.colour == discord.Colour(0x123456)


def test_text_that_must_ping_stays_in_the_content_next_to_the_embed() -> None:
    [part] = render(Message("Welcome <@42>!", title="Hi", mentions=("42",)))
    assert part.content == "Welcome <@42>!"
    assert part.embed is not None and part.embed.title == "Hi" and not part.embed.description


def test_long_text_splits_between_words_keeping_mentions_and_characters_whole() -> None:
    text = long_text(900)
    buttons = (Button("Wave", "welcome.wave"),)
    parts = render(Message(text, buttons=buttons))
    assert len(parts) > 2
    assert all(p.content is not None and len(p.content) <= CONTENT for p in parts)
    assert [p.buttons for p in parts] == [()] * (len(parts) - 1) + [buttons]
    for part in parts:
        assert part.content is not None
        assert part.content.split(" ")[0] in WORDS and part.content.split(" ")[-1] in WORDS
    assert " ".join(p.content or "" for p in parts) == text
    mentions = sum(len(MENTION.findall(p.content or "")) for p in parts)
    assert mentions == text.count("<@")


def test_more_fields_than_one_embed_holds_continue_in_the_next() -> None:
    fields = tuple(Field(f"field {i}", "ბ" * 1000) for i in range(30))
    parts = render(Message(title="Board", fields=fields, footer="the end"))
    embeds = [p.embed for p in parts if p.embed is not None]
    assert len(embeds) >= 2
    assert sum(len(e.fields) for e in embeds) == 30
    assert all(len(e.fields) <= FIELDS and e.size <= EMBED_TOTAL for e in embeds)
    assert embeds[0].title == "Board" and embeds[-1].footer == "the end"
    assert all(e.footer is None for e in embeds[:-1])


def test_field_values_are_cut_at_a_word_with_an_ellipsis() -> None:
    [part] = render(Message(title="T", fields=(Field("Words", long_text(400)),)))
    assert part.embed is not None
    [field] = part.embed.fields
    assert len(field.value) <= FIELD_VALUE and field.value.endswith("…")
    assert field.value.removesuffix("…").split(" ")[-1] in WORDS


def test_an_edit_is_one_message_truncated_within_the_limits() -> None:
    fields = tuple(Field(str(i), "x") for i in range(40))
    [part] = render(Message(long_text(900), fields=fields, mentions=("1",)), single=True)
    assert part.content is not None and len(part.content) <= CONTENT
    assert part.content.endswith("…")
    assert part.embed is not None and len(part.embed.fields) == FIELDS


def test_progress_bar_and_empty_messages() -> None:
    [part] = render(Message("Raised so far", progress=Progress(3, 4)))
    assert part.embed is not None and part.embed.description is not None
    assert part.embed.description.endswith("75%")
    assert render(Message()) == []


def test_a_colour_alone_makes_no_empty_embed() -> None:
    thanks = Message("Thanks <@42>!", colour=0x57F287, mentions=("42",))
    [part] = render(thanks)
    assert (part.content, part.embed) == ("Thanks <@42>!", None)
    [edited] = render(thanks, single=True)
    assert (edited.content, edited.embed) == ("Thanks <@42>!", None)
    assert render(Message(title="  ", footer=" ", colour=1)) == []


def test_allowed_mentions_permit_only_the_listed_users_and_roles() -> None:
    text = "@everyone <@&9> <@8>"
    assert allowed_mentions(Message(text), text).to_dict() == {"parse": []}
    listed = Message("hi <@8> <@&9> <@!7>", mentions=("8", "8", "7", "alice"), role_mentions=("9",))
    some = allowed_mentions(listed, listed.text)
    assert some.to_dict() == {"parse": [], "users": [8, 7], "roles": [9]}
    assert allowed_mentions(listed, "hi <@&8> <@9>").to_dict() == {"parse": []}  # kinds differ


def test_each_part_allows_only_its_own_mentions_and_never_more_than_discord_takes() -> None:
    people = [str(10**17 + i) for i in range(250)]
    message = Message(" ".join(f"<@{p}> {'word ' * 10}" for p in people), mentions=tuple(people))
    parts = render(message)
    assert len(parts) > 1
    pinged: list[int] = []
    for part in parts:
        users = allowed_mentions(message, part.content).to_dict().get("users", [])
        assert len(users) <= MENTIONS_PER_KIND
        assert all(f"<@{u}>" in (part.content or "") for u in users)
        pinged += users
    assert pinged == [int(p) for p in people]  # everyone listed, each once, in order


async def test_buttons_fit_discord_and_are_never_stored_by_discord_py(
    caplog: pytest.LogCaptureFixture,
) -> None:
    buttons = tuple(Button("L" * 100, "cog.press", str(i)) for i in range(27))
    view = ButtonsView(await ButtonIds().ids_for(buttons))
    [dropped] = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert dropped.endswith("left out: cog.press=25, cog.press=26")
    rows = view.to_components()
    assert len(rows) == 5 and all(len(r["components"]) == 5 for r in rows)
    labels = [c["label"] for r in rows for c in r["components"]]
    assert all(len(label) <= BUTTON_LABEL for label in labels)
    assert view.is_finished() and not view.is_dispatchable()


async def test_long_button_values_survive_a_restart(tmp_path: Path) -> None:
    long_value = "ποιος-είναι-ο-στόχος-" * 6
    guild = "81384788765712384"
    db = await Database.open(tmp_path / "hearth.db")
    try:
        await migrate(db, "2026-03-02T09:00:00.000000+00:00")
        early = ButtonIds()  # a message sent before the bot was attached
        [(_, custom_id), (_, short)] = await early.ids_for(
            (Button("Go", "missions.go", long_value), Button("Ok", "missions.ok", "7")),
            guild=guild,
        )
        assert len(custom_id) <= CUSTOM_ID and custom_id.startswith("hearth#")
        assert short == f"hearth@{guild}:missions.ok:7"
        await early.attach(DiscordStore(db))
        restarted = ButtonIds()
        await restarted.attach(DiscordStore(db))
        assert await restarted.parse(custom_id) == Press("missions.go", long_value, guild)
        assert await restarted.parse(short) == Press("missions.ok", "7", guild)
        assert await restarted.parse("hearth:missions.ok:7") == Press("missions.ok", "7")
        assert await restarted.parse("someone-else:x") is None
        twice = await restarted.ids_for((Button("A", "a.b", "1"), Button("B", "a.b", "1")))
        assert len(twice) == 1
    finally:
        await db.close()
