"""The weekly digest end to end: a known week, checked figure by figure; the preview;
sections of cogs that are not loaded; the chart; the settings and their mistakes."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from bot.clock import ManualClock
from bot.messages import Message
from tests.harness import Harness, RecordingPlatform, make_harness

ALL = ["digest", "questions", "missions", "glossary", "recognition"]
#: A Monday, a week before the week the first digest covers.
BEFORE = datetime(2026, 2, 23, 9, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n"


@asynccontextmanager
async def digest_bot(
    tmp_path, cogs: list[str], *, files: bool = True, start: datetime = BEFORE
) -> AsyncIterator[Harness]:
    platform = RecordingPlatform(supports_files=files)
    sections = {"hearth": {"flush_seconds": 3600}}
    async with make_harness(
        tmp_path, cogs=cogs, sections=sections, clock=ManualClock(start), platform=platform
    ) as h:
        h.moderators.add("maria")
        yield h


async def ok(h: Harness, line: str, user: str = "maria") -> Message:
    reply = await h.command(user, line)
    text = reply.message.text
    assert "✅" in text or "⭐" in text or not reply.private, (line, text)
    return reply.message


def field(message: Message, name: str) -> str:
    found = [f.value for f in message.fields if name in f.name]
    assert found, (name, [f.name for f in message.fields])
    return found[0]


def names(message: Message) -> list[str]:
    return [f.name for f in message.fields]


async def known_week(h: Harness) -> None:
    """Last week three old members posted; this week (Mon 2 – Sun 8 March, UTC) the
    events below happen. The digest is due Monday 9 March at 09:00."""
    for person in ("alice", "bob", "carol"):
        await h.join(person)
        await h.say(person, "general", "hello from last week")
    await h.join("robot", is_bot=True)
    await ok(h, "/questions config help-channel:#help")
    await ok(h, "/digest settings channel:#news day:monday time:09:00")
    await h.wait(timedelta(days=7, hours=1))  # Monday 2 March, 10:00
    for person in ("dan", "erin", "fay"):
        await h.join(person)
    await h.say("dan", "introductions", "hi, I'm Dan")
    await h.say("erin", "introductions", "hi, I'm Erin")
    await h.say("robot", "general", "beep", is_bot=True)
    await ok(
        h,
        '/mission create name:"Answer 10" goal:"Answer ten questions" target:10 unit:answers'
        " deadline:14d channel:#general",
    )
    await ok(
        h,
        '/mission create name:"Docs sprint" goal:"Write four pages" target:4 unit:pages'
        " deadline:10d channel:#general",
    )
    await ok(h, '/mission contribute 3 name:"Answer 10"', user="alice")
    await ok(h, '/mission contribute 1 name:"Docs sprint"', user="bob")
    await h.wait(timedelta(days=1))  # Tuesday 10:00
    q1 = await h.say("dan", "help", "How do I reset my password")
    await h.wait(timedelta(minutes=30))
    await h.say("alice", "help", "Settings, then Security", thread=q1, reply_to=q1)
    await ok(h, '/glossary add term:"PR" definition:"pull request"')
    await ok(h, "/kudos @bob for the review", user="alice")
    await h.wait(timedelta(days=1, minutes=-30))  # Wednesday 10:00
    q2 = await h.say("erin", "help", "Where are the docs")
    await h.wait(timedelta(minutes=90))
    await h.say("bob", "help", "In the wiki", thread=q2, reply_to=q2)
    await ok(h, '/glossary add term:"LGTM" definition:"looks good to me"')
    await ok(h, "/kudos @bob answered my question", user="erin")
    await h.wait(timedelta(days=1, minutes=-90))  # Thursday 10:00
    await h.say("dan", "help", "Is there a dark mode")
    await ok(h, "/kudos @alice great docs", user="dan")


async def test_the_digest_of_a_known_week_has_every_figure_right(tmp_path):
    async with digest_bot(tmp_path, ALL) as h:
        await known_week(h)
        await h.wait(datetime(2026, 3, 9, 9, 0, tzinfo=UTC) - h.clock.now())
        sent = h.platform.sent_to("news")
        assert len(sent) == 2  # last Monday's covered the week before; nothing more
        earlier = sent[0].message
        assert earlier.text == "Mon 23 Feb – Sun 01 Mar 2026"
        assert field(earlier, "People") == (
            "3 new members, 3 of them posted (100%).\n3 members were active."
        )
        digest = sent[1].message
        assert digest.title == "📰 The week in Test Community"
        assert digest.text == "Mon 02 Mar – Sun 08 Mar 2026"
        assert names(digest) == [
            "👋 People",
            "❓ Questions",
            "🎯 Missions",
            "📖 Glossary",
            "⭐ Most thanked",
            "👉 You can help",
        ]
        # dan, erin and fay joined (the bot does not count); dan and erin posted: 2/3.
        # Active: dan, erin (hellos, questions), alice and bob (answers); carol was quiet.
        assert field(digest, "People") == (
            "3 new members, 2 of them posted (66%).\n4 members were active."
        )
        # Three questions; two answered after 30 and 90 minutes: the median is 60 minutes.
        assert field(digest, "Questions") == (
            "3 asked, 2 answered.\nMedian time to a first response: 1h."
        )
        # Docs sprint ends first (Thu 12 March 10:00, 3d 1h after the digest): ending soon.
        assert field(digest, "Missions") == (
            "• **Docs sprint**: 1/4 pages (25%), ends in 3d 1h ⏳ ending soon\n"
            "• **Answer 10**: 3/10 answers (30%), ends in 7d 1h"
        )
        assert field(digest, "Glossary") == "New entries: “LGTM”, “PR”."
        # bob was thanked twice (the latest reason is shown), alice once.
        assert field(digest, "Most thanked") == (
            "• <@bob> ×2: “answered my question”\n• <@alice> ×1: “great docs”"
        )
        # The oldest open question: dan's, asked Thursday 10:00, 3 days 23 hours ago.
        assert field(digest, "You can help") == (
            "The oldest open question has waited 3d 23h: “Is there a dark mode” "
            "https://chat.example/help/u11"
        )
        assert digest.mentions == ()  # the digest names people but pings nobody
        assert digest.footer is not None and "chart" in digest.footer
        (chart,) = digest.attachments
        assert chart.filename.endswith(".png") and chart.data.startswith(PNG)


async def test_the_preview_shows_the_last_seven_full_days_privately_and_posts_nothing(tmp_path):
    async with digest_bot(tmp_path, ALL) as h:
        await known_week(h)
        await h.wait(timedelta(days=4))  # Monday 9 March, 10:00: the digest went out at 09:00
        h.platform.clear()
        reply = await h.command("maria", "/digest preview")
        assert reply.private
        assert reply.message.text.startswith("🔍 Preview")
        assert field(reply.message, "People").startswith("3 new members, 2 of them posted")
        assert h.platform.actions == []
        refused = await h.command("dan", "/digest preview")
        assert refused.private and "moderators" in refused.message.text.casefold()


async def test_sections_of_cogs_that_are_not_loaded_are_left_out(tmp_path):
    async with digest_bot(tmp_path, ["digest"], files=False) as h:
        await h.join("alice")
        await h.say("alice", "general", "hello")
        await h.wait(timedelta(minutes=1))
        preview = (await h.command("maria", "/digest preview")).message
        assert names(preview) == ["👋 People"]
        assert preview.attachments == ()  # the platform cannot take files
        assert "not set up yet" in preview.text


async def test_without_questions_the_call_to_action_is_the_mission_most_behind(tmp_path):
    async with digest_bot(tmp_path, ["digest", "missions"]) as h:
        await ok(
            h,
            '/mission create name:"Slow" goal:"g" target:10 unit:pages deadline:10d'
            " channel:#general",
        )
        await ok(
            h,
            '/mission create name:"Fine" goal:"g" target:10 unit:pages deadline:10d'
            " channel:#general",
        )
        await ok(h, '/mission contribute 5 name:"Fine"', user="maria")
        await ok(h, '/mission contribute 1 name:"Slow"', user="maria")
        await h.wait(timedelta(days=6))
        preview = (await h.command("maria", "/digest preview")).message
        assert "❓ Questions" not in names(preview)
        # After 6 of 10 days "Slow" has 1/10 (60% of the time gone), "Fine" 5/10.
        assert field(preview, "You can help") == (
            "“Slow” is the mission most behind pace: 1/10 pages with 4d to go."
        )
        (chart,) = preview.attachments
        assert chart.data.startswith(PNG)
        assert preview.footer == "📊 The chart: members active, week by week."


async def test_names_and_reasons_in_any_script_are_kept_truncated_and_isolated(tmp_path):
    async with digest_bot(tmp_path, ["digest", "glossary", "recognition"]) as h:
        for person in ("alice", "bob"):
            await h.join(person)
        for name in ("ყველა", "Ωμέγα", "alpha", "Βήτα"):
            await ok(h, f'/glossary add term:"{name}" definition:"a word"')
        reason = "شكرا جزيلا على المساعدة في " * 6
        await ok(h, f"/kudos @bob {reason}", user="alice")
        await h.wait(timedelta(days=7))
        preview = (await h.command("maria", "/digest preview")).message
        # Sorted alphabetically (Latin, then Greek in its order, then Georgian).
        assert field(preview, "Glossary") == "New entries: “alpha”, “Βήτα”, “Ωμέγα”, “ყველა”."
        line = field(preview, "Most thanked")
        assert line.startswith("• <@bob> ×1: “\u2068شكرا جزيلا")
        assert line.endswith("…\u2069”")
        assert len(line) < 140


async def test_settings_show_change_and_refuse_mistakes_without_changing_anything(tmp_path):
    async with digest_bot(tmp_path, ["digest"]) as h:
        shown = (await h.command("maria", "/digest settings")).message
        assert field(shown, "Weekly digest").startswith("off")
        assert field(shown, "Quiet hours") == "22:00–08:00"
        saved = await ok(
            h,
            "/digest settings channel:#news day:friday time:17:30 nudges:on quiet-hours:off"
            " dm-cap:5 silent-after:30d",
        )
        assert field(saved, "Weekly digest") == "Fridays at 17:30 in <#news>"
        assert field(saved, "Next digest") == "Fri 2026-02-27 17:30 UTC"
        assert field(saved, "Quiet hours") == "none"
        assert field(saved, "At most") == "5 private nudges per hour"
        assert "30d" in field(saved, "Nudges to members")
        for line, expected in (
            ("/digest settings time:25:00", "is not a time of day"),
            ("/digest settings quiet-hours:late", "is not a range of quiet hours"),
            ("/digest settings digest:off", "contradict"),
            ("/digest settings day:someday", "someday"),
            ("/digest settings dm-cap:0", "dm-cap"),
            ("/digest settings silent-after:1h", "silent-after"),
        ):
            reply = await h.command("maria", line + " channel:#elsewhere")
            assert reply.private and expected in reply.message.text, (line, reply.message.text)
        after = (await h.command("maria", "/digest settings")).message
        assert field(after, "Weekly digest") == "Fridays at 17:30 in <#news>"
        refused = await h.command("alice", "/digest settings channel:#mine")
        assert "moderators" in refused.message.text.casefold()
        off = await ok(h, "/digest settings digest:off")
        assert field(off, "Weekly digest").startswith("off")
        assert field(off, "Next digest") == "none planned"
        needs = await h.command("maria", "/digest settings digest:on")
        assert "Which channel" in needs.message.text


async def test_recognition_spotlight_yields_to_the_digest_but_not_without_it(tmp_path):
    async with digest_bot(tmp_path, ["digest", "recognition"]) as h:
        for person in ("alice", "bob"):
            await h.join(person)
        await ok(h, "/recognition settings spotlight:#stars")
        await ok(h, "/digest settings channel:#news day:sunday time:18:00")
        await ok(h, "/kudos @bob for the help", user="alice")
        await h.wait(timedelta(days=8))
        assert h.platform.sent_to("stars") == []  # the digest carries "most thanked"
        (digest,) = h.platform.sent_to("news")
        assert "<@bob> ×1" in field(digest.message, "Most thanked")
        await ok(h, "/digest settings digest:off")
        await ok(h, "/kudos @bob for more help", user="alice")
        await h.wait(timedelta(days=8))
        assert len(h.platform.sent_to("stars")) == 1
        assert len(h.platform.sent_to("news")) == 1


async def test_the_glossary_section_names_phrases_catching_on(tmp_path):
    async with digest_bot(tmp_path, ["digest", "glossary"]) as h:
        for person in ("alice", "bob", "chen"):
            await h.join(person)
        await h.wait(timedelta(days=1))
        for person in ("alice", "bob", "chen", "alice", "bob"):
            await h.say(person, "general", "time for some rubber duck debugging")
        await h.wait(timedelta(days=1))
        preview = (await h.command("maria", "/digest preview")).message
        assert field(preview, "Glossary").startswith(
            "No new entries this week.\nCatching on: “rubber duck debugging”"
        )
