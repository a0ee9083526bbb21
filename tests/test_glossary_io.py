"""Glossary import and export: CSV and JSON round trips, line-numbered refusals, all or nothing."""

import json

import pytest

from tests.harness import RecordingPlatform, make_harness

ENTRIES = [
    'term:"f-string" definition:“A string with {braces}, "quotes" and commas” aliases:"f-strings, fstring"',
    'term:"ספר" definition:“Hebrew for book,\nsecond line: הַסֵּפֶר”',
    'term:"مكتبة" definition:"library" kind:joke origin:“Someone said "maktaba", twice”',
    'term:"λόγος" definition:"word, reason" first-said:"https://chat.example/general/7"',
    'term:"მადლობა" definition:"thanks in Georgian"',
]


async def fill(h):
    h.moderators.add("maria")
    for line in ENTRIES:
        reply = await h.command("maria", "/glossary add " + line)
        assert reply.message.text.startswith("✅"), reply.message.text


async def export(h, fmt: str) -> str:
    reply = await h.command("maria", f"/glossary export format:{fmt}")
    assert reply.private
    [attachment] = reply.message.attachments
    assert attachment.filename == f"glossary.{fmt}"
    return attachment.data.decode("utf-8")


async def count(h) -> int:
    return await h.bot.db.fetch_value("SELECT COUNT(*) FROM glossary_entries")


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_then_import_elsewhere_gives_the_same_glossary(tmp_path, fmt):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    async with make_harness(tmp_path / "a", cogs=["glossary"]) as h:
        await fill(h)
        first = await export(h, fmt)
    assert "“" not in first and "”" not in first  # so the data can be quoted with them below
    async with make_harness(tmp_path / "b", cogs=["glossary"]) as other:
        other.moderators.add("maria")
        reply = await other.command("maria", f"/glossary import format:{fmt} data:“{first}”")
        assert reply.message.text == "✅ Imported: 5 added, 0 updated, 0 unchanged."
        assert await export(other, fmt) == first
        again = await other.command("maria", f"/glossary import format:{fmt} data:“{first}”")
        assert again.message.text == "✅ Imported: 0 added, 0 updated, 5 unchanged."
        define = await other.command("bob", "/glossary define term:fstring")
        assert define.message.text == 'A string with {braces}, "quotes" and commas'


async def test_a_malformed_csv_is_refused_with_line_numbers_and_imports_nothing(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        await fill(h)
        data = (
            "name,definition,kind,aliases\n"  # line 1
            "good entry,fine,term,\n"  # line 2
            "bad kind,fine,meme,\n"  # line 3
            'multi,"first line\nsecond line",term,\n'  # lines 4-5
            "too,many,cells,here,really\n"  # line 6
            "the,a common word,term,\n"  # line 7
            "good entry,a duplicate of line 2,term,\n"  # line 8
            "new,alias of another,term,fstring\n"  # line 9
            'pinger,"hey <!here>",term,\n'  # line 10
        )
        reply = await h.command("maria", f"/glossary import format:csv data:“{data}”")
        assert reply.private
        lines = reply.message.text.splitlines()
        assert lines[0] == "Nothing was imported. Please fix these and try again:"
        assert lines[1:] == [
            "line 3: “meme” is not a kind I know. Use one of: term, joke.",
            "line 6: this row has 5 cells, the header has 4.",
            "line 7: “the” is a very common word here, so it can't be a glossary entry"
            " (every message would use it).",
            "line 8: “good entry” is already in the glossary as **good entry**."
            " Edit it with `/glossary edit`.",
            "line 9: “fstring” is already an alias of **f-string**.",
            "line 10: `definition` can't contain <!here>: the glossary never pings everyone,"
            " a role or a channel. Please write it without.",
        ]
        assert await count(h) == len(ENTRIES)


async def test_bad_json_is_refused_naming_each_entry_and_key(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        await fill(h)
        broken = '{"entries": [\n  {"name": "a", "definition": "b"},\n  {"name": "c" "definition": "d"}\n]}'
        reply = await h.command("maria", f"/glossary import format:json data:“{broken}”")
        assert reply.message.text.splitlines()[1].startswith(
            "line 3: this is not valid JSON (Expecting ',' delimiter)"
        )
        entries = [
            {"name": "fine", "definition": "ok"},
            {"name": "odd", "definition": "ok", "colour": "blue"},
            "just text",
            {"name": "x", "definition": 5},
            {"name": "", "definition": "no name"},
        ]
        for data in (json.dumps({"entries": entries}, indent=2), json.dumps(entries)):
            reply = await h.command("maria", f"/glossary import format:json data:“{data}”")
            assert reply.message.text.splitlines()[1:] == [  # the same on one line
                "entry 2 (“odd”): unknown fields: colour. Fields: name, kind, definition,"
                " origin, aliases, first_said, author, created_at.",
                "entry 3 (“”): each entry must be an object with at least a name and a definition.",
                "entry 4 (“x”), key “definition”: this must be text (aliases: a list of texts).",
                "entry 5 (“”), key “name”: `name` can't be empty.",
            ]
        assert await count(h) == len(ENTRIES)


async def test_import_updates_entries_by_name_and_can_move_an_alias(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        await fill(h)
        data = json.dumps(
            [
                {"name": "fstring", "definition": "now its own entry"},  # listed first
                {"name": "F-String", "definition": "updated", "aliases": ["f-strings"]},
            ]
        )
        reply = await h.command("maria", f"/glossary import format:json data:“{data}”")
        assert reply.message.text.splitlines() == [
            "✅ Imported: 1 added, 1 updated, 0 unchanged.",
            "• **F-String**: name, definition, aliases changed",
        ]
        glossary = h.bot.cogs["glossary"]
        assert glossary.entry_named(h.community, "fstring").definition == "now its own entry"
        updated = glossary.entry_named(h.community, "f-strings")
        assert (updated.name, updated.definition, updated.author) == (
            "F-String",
            "updated",
            "maria",
        )


async def test_only_moderators_import_and_export_and_files_fall_back_to_text(tmp_path):
    platform = RecordingPlatform(supports_files=False)
    async with make_harness(tmp_path, cogs=["glossary"], platform=platform) as h:
        await fill(h)
        refused = await h.command("bob", "/glossary export format:csv")
        assert refused.message.text.startswith("Only moderators can use `/glossary export`")
        refused = await h.command("bob", '/glossary import format:csv data:"name,definition"')
        assert refused.message.text.startswith("Only moderators can use `/glossary import`")
        inline = await h.command("maria", "/glossary export format:csv")
        assert inline.private and not inline.message.attachments
        assert inline.message.text.startswith(
            "Here is the glossary (entries: 5); this platform takes no files, so copy it from here:"
            "\n```csv\nname,kind,definition,origin,aliases,first_said,author,created_at\n"
        )
        assert inline.message.text.endswith("```")


async def test_an_update_changes_only_the_fields_the_record_has_and_says_which(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        await fill(h)
        glossary = h.bot.cogs["glossary"]
        before = glossary.entry_named(h.community, "مكتبة")
        data = json.dumps([{"name": "مكتبة", "definition": "a library, and a joke"}])
        reply = await h.command("maria", f"/glossary import format:json data:“{data}”")
        assert reply.message.text.splitlines() == [
            "✅ Imported: 0 added, 1 updated, 0 unchanged.",
            "• **مكتبة**: definition changed",
        ]
        after = glossary.entry_named(h.community, "مكتبة")
        assert (after.kind, after.origin, after.aliases, after.first_said, after.created_at) == (
            "joke",
            before.origin,
            before.aliases,
            before.first_said,
            before.created_at,
        )
        stored = await h.bot.db.fetch_one(
            "SELECT kind, origin FROM glossary_entries WHERE id = ?", (after.id,)
        )
        assert tuple(stored) == ("joke", 'Someone said "maktaba", twice')
        csv_data = "name,definition\nf-string,only the definition\n"
        reply = await h.command("maria", f"/glossary import format:csv data:“{csv_data}”")
        assert reply.message.text.endswith("• **f-string**: definition changed")
        assert glossary.entry_named(h.community, "fstring").aliases == ("f-strings", "fstring")


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_exports_neutralise_formulas_and_imports_take_them_back(tmp_path, fmt):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    risky = [
        'term:"plus one" definition:"+1 from me" origin:"=HYPERLINK(1)"',
        'term:"minus" definition:"-5 points" aliases:"@minus sign"',
        'term:"quoted" definition:"\'=already quoted"',
    ]
    async with make_harness(tmp_path / "a", cogs=["glossary"]) as h:
        h.moderators.add("maria")
        for line in risky:
            reply = await h.command("maria", "/glossary add " + line)
            assert reply.message.text.startswith("✅"), reply.message.text
        first = await export(h, fmt)
    for cell in (
        "'+1 from me",
        "'=HYPERLINK(1)",
        "'-5 points",
        "'@minus sign",
        "''=already quoted",
    ):
        assert cell in first
    for cell in ('"+1', ",+1", '"=H', ",=H", '"-5', ",-5", '"@m', ",@m"):
        assert cell not in first  # no cell starts with a formula character
    async with make_harness(tmp_path / "b", cogs=["glossary"]) as other:
        other.moderators.add("maria")
        reply = await other.command("maria", f"/glossary import format:{fmt} data:“{first}”")
        assert reply.message.text == "✅ Imported: 3 added, 0 updated, 0 unchanged."
        glossary = other.bot.cogs["glossary"]
        assert glossary.entry_named(other.community, "plus one").origin == "=HYPERLINK(1)"
        assert glossary.entry_named(other.community, "@minus sign").definition == "-5 points"
        assert glossary.entry_named(other.community, "quoted").definition == "'=already quoted"
        assert await export(other, fmt) == first
