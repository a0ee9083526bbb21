"""Glossary usage tracking: real text in every script, whole words only, buffered counts."""

from datetime import timedelta

import pytest

from bot.events import MessagePosted
from tests.harness import make_harness

FLUSH = timedelta(seconds=5)


def harness(tmp_path, **glossary):
    sections = {"glossary": glossary} if glossary else None
    return make_harness(tmp_path, cogs=["glossary"], sections=sections)


async def add(h, name, definition="it means something", *extra):
    reply = await h.command(
        "maria", f'/glossary add term:"{name}" definition:"{definition}" ' + " ".join(extra)
    )
    assert reply.message.text.startswith("✅"), reply.message.text


async def say_at(h, user, text, at, channel="general"):
    """A message as an adapter delivers it: with the time it was written."""
    await h.bot.dispatch(
        MessagePosted(
            community=h.community,
            at=at,
            channel=channel,
            message=f"x{at.timestamp()}",
            author=user,
            author_name=user,
            text=text,
        )
    )


async def uses(h) -> dict[str, int]:
    rows = await h.bot.db.fetch_all("SELECT name, uses FROM glossary_entries")
    return {row[0]: row[1] for row in rows}


SCRIPTS = [
    pytest.param(
        ["café au lait", "crème brûlée"],
        ["Un CAFE AU LAIT, s'il vous plaît", "creme brulee again", "Crème Brûlée!"],
        ["cafés", "cafeteria au lait", "brûlées crème"],
        {"café au lait": 1, "crème brûlée": 2},
        id="latin-accents",
    ),
    pytest.param(
        ["مكتبة"],
        ["ذهبت إلى المَكْتَبَة اليوم", "والمكتبة كبيرة", "مكــتبة", "مكتبه جديدة"],
        ["مكتبات كثيرة", "كتب"],
        {"مكتبة": 4},
        id="arabic-tashkeel-prefixes-tatweel",
    ),
    pytest.param(
        ["ספר"],
        ["קראתי את הַסֵּפֶר", "וּבספר הזה", "שהספר נגמר", "ספר טוב"],
        ["ספרים חדשים", "ספרייה"],
        {"ספר": 4},
        id="hebrew-niqqud-prefixes",
    ),
    pytest.param(
        ["λόγος"],
        ["ΛΟΓΟΣ και λογος", "ο λόγος μου"],
        ["διάλογος", "λόγοι"],
        {"λόγος": 2},
        id="greek-accents-final-sigma",
    ),
    pytest.param(
        ["მადლობა"],
        ["დიდი მადლობა ყველას!", "ᲛᲐᲓᲚᲝᲑᲐ"],
        ["მადლობას ვუხდი"],
        {"მადლობა": 2},
        id="georgian",
    ),
    pytest.param(
        ["cat", "PR", "f-string"],
        ["my PR has a cat", "an F‑String please"],
        ["concatenate PRISM", "f-strings are nice", "a cat-like thing"],
        {"cat": 1, "PR": 1, "f-string": 1},
        id="whole-words-only",
    ),
]


@pytest.mark.parametrize(("names", "matching", "other", "expected"), SCRIPTS)
async def test_usage_counts_every_script_and_never_inside_longer_words(
    tmp_path, names, matching, other, expected
):
    async with harness(tmp_path) as h:
        for name in names:
            await add(h, name)
        for text in other:
            await h.say("bob", "general", text)
        await h.wait(FLUSH)
        assert set((await uses(h)).values()) == {0}, "a longer word or another form matched"
        for text in matching:
            await h.say("bob", "general", text)
        await h.wait(FLUSH)
        assert await uses(h) == expected


async def test_a_burst_is_counted_in_memory_and_flushed_once_per_day_person_and_entry(tmp_path):
    async with harness(tmp_path) as h:
        await add(h, "yak shave", "a task behind a task", 'aliases:"yak shaving"')
        await add(h, "PR", "pull request")
        for i in range(60):
            person = ("alice", "bob", "carol")[i % 3]
            await h.say(person, "general", f"another yak shave before the PR #{i}")
        await h.say("dave", "general", "yak shaving all day")
        await h.say("ci-bot", "general", "PR yak shave PR", is_bot=True)  # bots are not counted
        # Nothing is written on the hot path: the database only changes at the flush.
        assert await uses(h) == {"yak shave": 0, "PR": 0}
        await h.wait(FLUSH)
        assert await uses(h) == {"yak shave": 61, "PR": 60}
        days = await h.bot.db.fetch_all(
            "SELECT e.name, d.day, d.uses FROM glossary_usage_days d"
            " JOIN glossary_entries e ON e.id = d.entry_id ORDER BY e.name"
        )
        assert [tuple(r) for r in days] == [
            ("PR", "2026-03-02", 60),
            ("yak shave", "2026-03-02", 61),
        ]
        people = await h.bot.db.fetch_all(
            "SELECT u.user_id, u.uses FROM glossary_usage_people u"
            " JOIN glossary_entries e ON e.id = u.entry_id WHERE e.name = 'yak shave'"
            " ORDER BY u.user_id"
        )
        assert [tuple(r) for r in people] == [
            ("alice", 20),
            ("bob", 20),
            ("carol", 20),
            ("dave", 1),
        ]
        reply = await h.command("erin", "/glossary top period:week")
        assert reply.message.text.splitlines() == ["1. 📖 **yak shave**: 61×", "2. 📖 **PR**: 60×"]


async def test_define_shows_first_last_use_and_top_people_without_pinging(tmp_path):
    async with harness(tmp_path) as h:
        await add(h, "bikeshed", "arguing about the colour of the shed")
        await say_at(h, "alice", "let's not bikeshed", h.clock.now() - timedelta(days=1))
        for _ in range(3):
            await h.say("bob", "general", "pure bikeshed")
        reply = await h.command("carol", "/glossary define term:bikeshed")
        fields = {f.name: f.value for f in reply.message.fields}
        assert fields["Usage"].startswith(
            "Messages using it: 4. First on 2026-03-01, last on 2026-03-02."
        )
        assert "Most by <@bob>, <@alice>" in fields["Usage"]
        assert reply.message.mentions == ()


async def test_counting_uses_the_community_timezone_for_days(tmp_path):
    async with harness(tmp_path) as h:
        h.moderators.add("maria")
        await h.command("maria", "/hearth timezone zone:Pacific/Pago_Pago")  # UTC-11
        await add(h, "talofa", "hello")
        await h.say("bob", "general", "talofa lava")  # 09:00 UTC is 22:00 the day before there
        await h.wait(FLUSH)
        day = await h.bot.db.fetch_value("SELECT day FROM glossary_usage_days")
        assert day == "2026-03-01"


async def test_no_message_text_is_stored_only_counts(tmp_path):
    async with harness(tmp_path) as h:
        secret = "my very private sentence about zebras"
        await add(h, "zebras", "stripy horses")
        await h.say("bob", "general", secret)
        await h.wait(FLUSH)
        tables = [
            row[0]
            for row in await h.bot.db.fetch_all(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'glossary_%'"
            )
        ]
        for table in tables:
            for row in await h.bot.db.fetch_all(f"SELECT * FROM {table}"):
                assert all(secret not in str(value) for value in row), table
        # Counted in memory only: said by one person, its phrases are never stored.
        window = h.bot.cogs["glossary"].windows[h.community]
        counted = {phrase for day in window.days.values() for phrase in day}
        assert {"private sentence", "private sentence about zebras"} <= counted
        assert "very private sentence" not in counted  # no phrase starts with a common word
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM glossary_phrase_days") == 0


async def test_phrases_are_not_counted_when_emerging_detection_is_off(tmp_path):
    async with harness(tmp_path, emerging=False) as h:
        await h.say("bob", "general", "banana driven development")
        await h.wait(FLUSH)
        assert h.community not in h.bot.cogs["glossary"].windows
        assert not h.bot.cogs["glossary"].pending
