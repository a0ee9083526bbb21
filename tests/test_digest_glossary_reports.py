"""The moderators' grouped note lists glossary entries reported as wrong: each once while
its reports stay open, grouped with the other items, and not at all without the glossary."""

from datetime import timedelta

from cogs.digest.nudges import Reported, newly_reported
from tests.harness import START, make_harness

HOUR = timedelta(hours=1)
SECTION = "Glossary entries reported as wrong:"


async def ok(h, line: str, user: str = "maria") -> None:
    reply = await h.command(user, line)
    assert "✅" in reply.message.text, (line, reply.message.text)


def notes(h) -> list[str]:
    return [a.text for a in h.platform.sent_to("mods")]


def test_an_entry_is_news_only_when_all_its_open_reports_are():
    def report(ref: int, entry: str, minutes: int) -> Reported:
        return Reported(str(ref), entry, f"entry {entry}", f"reason {ref}", START + minutes * HOUR)

    reports = [report(3, "b", 2), report(1, "a", 0), report(2, "a", 1), report(4, "c", 3)]
    found = newly_reported(reports, {"1", "2", "3"})  # c's report was seen before
    assert [(e.name, e.reason, e.reports) for e in found] == [
        ("entry a", "reason 1", 2),
        ("entry b", "reason 3", 1),
    ]
    assert newly_reported(reports, {"2", "3", "4"})[0].name == "entry b"  # a was told


async def test_a_reported_entry_is_in_one_grouped_note_once_and_again_only_after_resolving(
    tmp_path,
):
    async with make_harness(tmp_path, cogs=["digest", "glossary", "questions"]) as h:
        h.moderators.add("maria")
        await ok(h, "/questions config help-channel:#help escalate-after:12h")
        await ok(h, "/digest settings moderator-channel:#mods quiet-hours:off")
        await ok(h, '/glossary add term:"LGTM" definition:"let us go to the movies"')
        await h.say("dan", "help", "Why does the build fail")
        await h.wait(timedelta(hours=11, minutes=30))
        assert notes(h) == []
        await h.command("bob", '/glossary report term:lgtm reason:"It means looks good to me"')
        await h.wait(HOUR)  # the hourly run at 21:00: the question waited 12 hours
        (first,) = notes(h)  # one message for both
        assert "“Why does the build fail”: waiting 12h" in first
        assert SECTION in first
        assert "• **LGTM**: “It means looks good to me”" in first
        assert h.platform.sent_to("mods")[0].message.mentions == ()  # the reporter: not pinged
        await h.command("carol", '/glossary report term:LGTM reason:"also wrong"')
        await h.wait(3 * HOUR)
        assert len(notes(h)) == 1  # told once: a second report on it does not repeat it
        await ok(h, "/glossary resolve term:LGTM")
        await h.command("erin", '/glossary report term:LGTM reason:"wrong again"')
        await h.wait(HOUR)
        (_, second) = notes(h)
        assert "• **LGTM**: “wrong again”" in second
        assert "build fail" not in second and "also wrong" not in second
        await h.wait(2 * HOUR)
        assert len(notes(h)) == 2


async def test_without_the_glossary_the_note_has_no_reports_section(tmp_path):
    async with make_harness(tmp_path, cogs=["digest", "questions"]) as h:
        h.moderators.add("maria")
        await ok(h, "/questions config help-channel:#help escalate-after:12h")
        await ok(h, "/digest settings moderator-channel:#mods quiet-hours:off")
        await h.say("dan", "help", "Why does the build fail")
        await h.wait(timedelta(hours=12, minutes=1))
        (note,) = notes(h)
        assert "build fail" in note and SECTION not in note
        assert await h.bot.cogs["digest"].collect.reports(h.community) == []
