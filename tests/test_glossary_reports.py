"""Reporting a glossary entry as wrong: filing a report, every bad input, the moderators'
list, resolving by edit, removal or command, restarts, and the reporter's privacy."""

from datetime import timedelta

from tests.harness import make_harness, restarted


def harness(tmp_path):
    return make_harness(tmp_path, cogs=["glossary"])


async def setup_entries(h) -> None:
    h.moderators.add("maria")
    for line in (
        'term:"bikeshedding" definition:"arguing about trivia"',
        'term:"LGTM" definition:"let us go to the movies" aliases:"lgtm!"',
    ):
        reply = await h.command("alice", "/glossary add " + line)
        assert reply.message.text.startswith("✅")


async def open_rows(h) -> list[tuple[str, str, str]]:
    rows = await h.bot.db.fetch_all(
        "SELECT e.name, r.reporter, r.reason FROM glossary_reports r"
        " JOIN glossary_entries e ON e.id = r.entry_id WHERE r.resolved_at IS NULL"
        " ORDER BY r.id"
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def test_a_report_is_private_committed_and_listed_for_moderators_oldest_first(tmp_path):
    async with harness(tmp_path) as h:
        await setup_entries(h)
        h.platform.clear()
        reply = await h.command(
            "bob", '/glossary report term:lgtm reason:"It means looks good to me"'
        )
        assert reply.private
        assert reply.message.text == (
            "✅ Thanks: moderators will look at **LGTM**. Only you see this; they see your report."
        )
        assert reply.message.mentions == ()
        assert h.platform.actions == []  # nothing posted anywhere, nobody messaged
        assert await open_rows(h) == [("LGTM", "bob", "It means looks good to me")]
        await h.wait(timedelta(hours=2))
        await h.command("carol", '/glossary report term:bikeshedding reason:"ספר — לא נכון"')
        await h.command("dan", '/glossary report term:"lgtm!" reason:"wrong, and @here knows"')
        listed = await h.command("maria", "/glossary reports")
        assert listed.private
        assert listed.message.title == "Glossary entries reported as wrong (open: 2)"
        assert listed.message.text.splitlines() == [
            "• **LGTM**: “It means looks good to me” (<@bob>, 2026-03-02)",
            "• **bikeshedding**: “\u2068ספר — לא נכון\u2069” (<@carol>, 2026-03-02)",
        ]  # oldest first; right-to-left reasons isolated; the refused one is not there
        assert listed.message.mentions == ()  # reporters are named, never pinged
        assert "/glossary resolve" in (listed.message.footer or "")
    async with restarted(h) as again:
        again.moderators.add("maria")
        after = await again.command("maria", "/glossary reports")
        assert after.message.title == "Glossary entries reported as wrong (open: 2)"


async def test_bad_inputs_are_answered_privately_and_change_nothing(tmp_path):
    async with harness(tmp_path) as h:
        await setup_entries(h)
        await h.command("bob", '/glossary report term:LGTM reason:"wrong meaning"')
        cases = {
            '/glossary report term:bikeshedign reason:"wrong"': (
                "“bikeshedign” isn't in the glossary. Did you mean “bikeshedding”?"
            ),
            '/glossary report term:quantum reason:"wrong"': "“quantum” isn't in the glossary.",
            '/glossary report term:LGTM reason:"   "': "Please give `reason`",
            "/glossary report term:LGTM reason:" + "x" * 301: "at most 300 characters",
            '/glossary report term:LGTM reason:"ping @everyone about it"': "@everyone",
            "/glossary report term:LGTM": "Please give `reason`",
        }
        for line, expected in cases.items():
            refused = await h.command("carol", line)
            assert refused.private, line
            assert expected in refused.message.text, (line, refused.message.text)
        twice = await h.command("bob", '/glossary report term:lgtm! reason:"still wrong"')
        assert twice.private
        assert twice.message.text.startswith("You already reported **LGTM**")
        assert await open_rows(h) == [("LGTM", "bob", "wrong meaning")]
        longest = await h.command("carol", "/glossary report term:LGTM reason:" + "y" * 300)
        assert longest.message.text.startswith("✅")  # 300 characters is allowed
        assert len(await open_rows(h)) == 2


async def test_only_moderators_list_and_resolve_reports(tmp_path):
    async with harness(tmp_path) as h:
        await setup_entries(h)
        await h.command("bob", '/glossary report term:LGTM reason:"wrong meaning"')
        for line in ("/glossary reports", "/glossary resolve term:LGTM"):
            refused = await h.command("bob", line)
            assert refused.private and "moderator" in refused.message.text.casefold(), line
        assert await open_rows(h) == [("LGTM", "bob", "wrong meaning")]
        listed = await h.command("maria", "/glossary reports")
        assert listed.message.text == "• **LGTM**: “wrong meaning” (<@bob>, 2026-03-02)"


async def test_resolve_command_closes_an_entrys_reports_and_allows_new_ones(tmp_path):
    async with harness(tmp_path) as h:
        await setup_entries(h)
        await h.command("bob", '/glossary report term:LGTM reason:"wrong meaning"')
        await h.command("carol", '/glossary report term:LGTM reason:"also wrong"')
        await h.command("carol", '/glossary report term:bikeshedding reason:"too narrow"')
        done = await h.command("maria", "/glossary resolve term:lgtm")
        assert done.private
        assert done.message.text == "✅ Resolved the open reports (2) on **LGTM**."
        assert await open_rows(h) == [("bikeshedding", "carol", "too narrow")]
        again = await h.command("maria", "/glossary resolve term:LGTM")
        assert again.private and again.message.text.startswith("**LGTM** has no open reports.")
        typo = await h.command("maria", "/glossary resolve term:LGTN")
        assert "Did you mean “LGTM”?" in typo.message.text
        anew = await h.command("bob", '/glossary report term:LGTM reason:"wrong again"')
        assert anew.message.text.startswith("✅")  # the earlier report is resolved, not open
        resolved = await h.bot.db.fetch_all(
            "SELECT resolved_by, resolution FROM glossary_reports WHERE resolved_at IS NOT NULL"
        )
        assert [tuple(r) for r in resolved] == [("maria", "resolved"), ("maria", "resolved")]


async def test_a_moderators_edit_resolves_reports_and_the_authors_does_not(tmp_path):
    async with harness(tmp_path) as h:
        await setup_entries(h)
        await h.command("bob", '/glossary report term:LGTM reason:"wrong meaning"')
        own = await h.command("alice", '/glossary edit term:LGTM definition:"let us get milk"')
        assert own.message.text == "✅ Updated **LGTM**."
        assert len(await open_rows(h)) == 1  # the author's edit: moderators still decide
        fixed = await h.command("maria", '/glossary edit term:LGTM definition:"looks good to me"')
        assert fixed.message.text == "✅ Updated **LGTM**. Its open reports (1) are resolved."
        assert await open_rows(h) == []
        listed = await h.command("maria", "/glossary reports")
        assert listed.message.text == (
            "No open reports: nobody has reported a glossary entry as wrong."
        )
        await h.command("bob", '/glossary report term:LGTM reason:"x"')
        taken = await h.command("maria", '/glossary edit term:LGTM name:"bikeshedding"')
        assert "already in the glossary" in taken.message.text
        assert len(await open_rows(h)) == 1  # a refused edit resolves nothing


async def test_removing_an_entry_takes_its_reports_along(tmp_path):
    async with harness(tmp_path) as h:
        await setup_entries(h)
        await h.command("bob", '/glossary report term:LGTM reason:"wrong meaning"')
        await h.command("bob", '/glossary report term:bikeshedding reason:"too narrow"')
        removed = await h.command("maria", "/glossary remove term:LGTM")
        assert removed.message.text.endswith("Its open reports (1) went with it.")
        assert await open_rows(h) == [("bikeshedding", "bob", "too narrow")]
        gone = await h.command("bob", '/glossary report term:LGTM reason:"wrong meaning"')
        assert gone.private and "isn't in the glossary" in gone.message.text


async def test_a_forgotten_reporter_takes_their_reports_and_exports_list_them(tmp_path):
    async with harness(tmp_path) as h:
        await setup_entries(h)
        glossary = h.bot.cogs["glossary"]
        await h.command("bob", '/glossary report term:LGTM reason:"wrong meaning"')
        await h.command("bob", '/glossary report term:bikeshedding reason:"too narrow"')
        await h.command("carol", '/glossary report term:LGTM reason:"also wrong"')
        await h.command("carol", '/glossary report term:bikeshedding reason:"too wide"')
        await h.command("maria", "/glossary resolve term:bikeshedding")
        bob = await glossary.export_user_data(h.community, "bob")
        assert [(r["entry"], r["reason"], r["resolution"]) for r in bob["reports_made"]] == [
            ("LGTM", "wrong meaning", None),
            ("bikeshedding", "too narrow", "resolved"),
        ]
        maria = await glossary.export_user_data(h.community, "maria")
        assert [r["entry"] for r in maria["reports_resolved"]] == ["bikeshedding"] * 2
        await glossary.delete_user_data(h.community, "bob")
        assert await open_rows(h) == [("LGTM", "carol", "also wrong")]
        assert (await glossary.export_user_data(h.community, "bob"))["reports_made"] == []
        maria = await glossary.export_user_data(h.community, "maria")
        assert [r["entry"] for r in maria["reports_resolved"]] == ["bikeshedding"]  # carol's
        await glossary.delete_user_data(h.community, "maria")
        assert (await glossary.export_user_data(h.community, "maria"))["reports_resolved"] == []
        kept = await h.bot.db.fetch_all("SELECT reporter, resolved_by FROM glossary_reports")
        assert sorted(tuple(r) for r in kept) == [("carol", None), ("carol", None)]
        assert [r.reporter for r in await glossary.open_reports(h.community)] == ["carol"]
