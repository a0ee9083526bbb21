"""Emerging phrases: what counts as a phrase, the decision, a synthetic month of chat,
the moderators' buttons, the weekly suggestion across restarts, pruning and privacy."""

import itertools
from datetime import timedelta

from bot.core_cog import forget
from bot.events import MessagePosted
from cogs.glossary.emerging import detect, phrases
from cogs.glossary.stopwords import stopwords
from tests.harness import START, make_harness, restarted

EN = stopwords(("en",))
_ids = itertools.count(1)


def test_phrases_skip_common_words_at_the_edges_and_code_links_and_mentions():
    found = phrases("The piece of cake is here, see https://x.example/a <@U1> `rm -rf`", EN).spans
    assert "piece of cake" in found and "piece" in found and "cake" in found
    assert "the piece" not in found and "of cake" not in found and "cake is" not in found
    assert not any("https" in p or "rm" in p or "u1" in p for p in found)
    assert phrases("Yak-Shave ŞİMDİ", EN).forms() == {
        "yak-shave": "Yak-Shave",
        "yak-shave simdi": "Yak-Shave ŞİMDİ",
        "simdi": "ŞİMDİ",
    }
    assert phrases("it is what it is, and so on 42", EN).spans == {}
    assert len(phrases(" ".join(f"w{i}x" for i in range(500)), EN).spans) < 60 * 4  # bounded


def test_the_decision_needs_people_uses_and_a_rise():
    recent = [
        ("banana driven development", 8, 4),
        ("banana driven", 8, 4),  # inside the longer phrase, same uses: left out
        ("zorbly", 50, 1),  # one person repeating
        ("coffee break", 30, 6),  # steady: used as much before
        ("spicy take", 6, 3),
        ("two people", 9, 2),
    ]
    earlier = {"coffee break": 120, "spicy take": 1}
    found = detect(
        recent, earlier, min_people=3, min_uses=5, window_days=7, earlier_days=28, surge=3
    )
    assert [t.phrase for t in found] == ["banana driven development", "spicy take"]
    assert (found[1].uses, found[1].people, found[1].earlier) == (6, 3, 1)
    ignored = detect(
        recent,
        earlier,
        min_people=3,
        min_uses=5,
        window_days=7,
        earlier_days=28,
        surge=3,
        exclude={"banana driven development"},
    )
    assert [t.phrase for t in ignored] == ["spicy take"]  # not "banana driven" instead


async def post(h, user, text, at, channel="general"):
    """A message as an adapter delivers it, with the time it was written."""
    message = f"m{next(_ids)}"
    await h.bot.dispatch(
        MessagePosted(
            community=h.community,
            at=at,
            channel=channel,
            message=message,
            author=user,
            author_name=user,
            text=text,
        )
    )
    return message


BACKGROUND = [
    "coffee break anyone",
    "the deploy went fine",
    "review my code please",
    "lunch plans?",
]
REGULARS = ["alice", "bob", "carol", "dave", "erin", "frank"]


async def synthetic_month(h):
    """Four quiet weeks of everyday chat, then a week in which phrases catch on."""
    for day in range(35, 0, -1):
        at = START - timedelta(days=day, hours=-1)
        for i, person in enumerate(REGULARS):
            await post(h, person, BACKGROUND[(day + i) % len(BACKGROUND)], at)
    week = START - timedelta(days=6)
    adopters = [("alice", 0), ("bob", 1), ("carol", 2), ("dave", 4)]
    first = None
    for person, day in adopters:
        for k in range(2):
            at = week + timedelta(days=day, hours=k)
            ref = await post(h, person, "that Banana-Driven Development again", at)
            first = first or ref
    for n in range(50):
        await post(h, "erin", "zorbly", week + timedelta(minutes=n))
    for person in ("bob", "carol", "frank"):
        await post(h, person, "hot spicy take", week + timedelta(days=3))
        await post(h, person, "spicy take, really", week + timedelta(days=5))
    for person in REGULARS:
        await post(h, person, "and then it was so", week + timedelta(days=2))
    await h.wait(timedelta(seconds=5))
    return first


async def test_a_phrase_four_people_adopt_is_suggested_with_counts_people_and_first_message(
    tmp_path,
):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        h.moderators.add("maria")
        first = await synthetic_month(h)
        refused = await h.command("alice", "/glossary emerging")
        assert refused.message.text.startswith("Only moderators")
        reply = await h.command("maria", "/glossary emerging")
        assert reply.private
        shown = {f.name: f.value for f in reply.message.fields}
        assert list(shown) == ["“Banana-Driven Development”", "“spicy take”"]
        assert shown["“Banana-Driven Development”"] == (
            f"8 uses by 4 people\nFirst: <@alice> on 2026-02-24, https://chat.example/general/{first}"
        )
        assert reply.message.mentions == ()
        labels = [b.label for b in reply.message.buttons]
        assert labels[:3] == [
            "Add as joke: Banana-Driven Development",
            "Add as term: Banana-Driven Development",
            "Ignore: Banana-Driven Development",
        ]


async def test_buttons_add_a_placeholder_entry_or_ignore_and_only_for_moderators(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        h.moderators.add("maria")
        await synthetic_month(h)
        reply = await h.command("maria", "/glossary emerging")
        ref = await h.bot.send(h.community, "mods", reply.message)
        [suggestion] = h.platform.sent_to("mods")
        denied = await h.press_button("alice", suggestion, "Add as joke: Banana")
        assert denied.message.text == "Only moderators can decide on suggested phrases."
        added = await h.press_button("maria", suggestion, "Add as joke: Banana")
        assert added.message.text.startswith(
            "✅ Added the inside joke **Banana-Driven Development** with a placeholder."
        )
        entry = h.bot.cogs["glossary"].entry_named(h.community, "banana driven development")
        assert (entry.kind, entry.author) == ("joke", "maria")
        assert entry.first_said.startswith("https://chat.example/general/m")
        again = await h.press_button("maria", suggestion, "Add as term: Banana")
        assert "is already in the glossary" in again.message.text
        ignored = await h.press("maria", ref, "glossary.ignore", "spicy take")
        assert ignored.message.text == "👍 I won't suggest “spicy take” again."
        after = await h.command("maria", "/glossary emerging")
        assert after.message.text.startswith("No phrases are catching on right now.")


async def test_the_weekly_suggestion_is_a_timer_that_survives_restarts_and_posts_once(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        h.moderators.add("maria")
        await h.command("maria", "/glossary settings emerging-channel:#mods")
        await h.say("alice", "general", "hello hearth")
        await h.wait(timedelta(seconds=5))  # the first counts schedule the weekly timer
        pending = await h.bot.timers.pending(h.community, "glossary", "emerging", "weekly")
        assert pending.due_at == START + timedelta(days=7, seconds=5)
    h.clock.set(START + timedelta(days=2))
    async with restarted(h) as again:
        for person in ("alice", "bob", "carol", "dave"):
            for _ in range(2):
                await again.say(person, "general", "that is peak glorp")
        await again.wait(timedelta(seconds=5))
    h.clock.set(START + timedelta(days=7, minutes=1))
    async with restarted(h) as later:  # the timer fell due while the bot was down
        [post] = later.platform.sent_to("mods")
        assert post.message.title == "🌱 Phrases catching on"
        assert [f.name for f in post.message.fields] == ["“peak glorp”"]
        nxt = await later.bot.timers.pending(later.community, "glossary", "emerging", "weekly")
        assert nxt.due_at == START + timedelta(days=14, seconds=5)
    async with restarted(h) as same:
        assert len(same.platform.sent_to("mods")) == 1


async def test_switching_emerging_off_cancels_the_weekly_timer_and_stops_counting(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        h.moderators.add("maria")
        await h.say("alice", "general", "first words")
        await h.wait(timedelta(seconds=5))
        assert await h.bot.timers.pending(h.community, "glossary", "emerging", "weekly")
        await h.command("maria", "/glossary settings emerging:off")
        assert await h.bot.timers.pending(h.community, "glossary", "emerging", "weekly") is None
        off = await h.command("maria", "/glossary emerging")
        assert off.message.text.startswith("Emerging-phrase detection is off here.")
        await h.command("maria", "/glossary settings emerging:on")
        assert await h.bot.timers.pending(h.community, "glossary", "emerging", "weekly")


async def test_only_phrases_that_reach_the_thresholds_are_stored_and_never_per_person(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        db = h.bot.db
        for _ in range(30):  # one person, many uses: never stored
            await post(h, "alice", "zebra crossing", START)
        await post(h, "bob", "zebra crossing", START)
        await h.wait(timedelta(seconds=5))
        assert await db.fetch_value("SELECT COUNT(*) FROM glossary_phrase_days") == 0
        assert await db.fetch_value("SELECT COUNT(*) FROM glossary_phrases") == 0
        await post(h, "carol", "Zebra crossing again", h.bot.clock.now())  # the third person
        await h.wait(timedelta(seconds=5))
        days = await db.fetch_all(
            "SELECT phrase, uses, people FROM glossary_phrase_days ORDER BY phrase"
        )
        assert [tuple(r) for r in days] == [
            ("crossing", 32, 3),
            ("zebra", 32, 3),
            ("zebra crossing", 32, 3),
        ]
        first = await db.fetch_one(
            "SELECT first_user FROM glossary_phrases WHERE phrase = 'zebra crossing'"
        )
        assert first[0] == "alice"
        await post(h, "dave", "zebra crossing", h.bot.clock.now())  # hot: every use counts now
        await h.wait(timedelta(seconds=5))
        assert (
            await db.fetch_value(
                "SELECT uses FROM glossary_phrase_days WHERE phrase = 'zebra crossing'"
            )
            == 33
        )
        recent = await h.bot.cogs["glossary"].store.recent_phrases(h.community, "", 3)
        assert ("zebra crossing", 33, 4) in recent
        columns = {
            r[1]
            for table in ("glossary_phrase_days", "glossary_phrases", "glossary_suggestions")
            for r in await db.fetch_all(f"PRAGMA table_info({table})")
        }
        assert "user_id" not in columns and "form" in columns  # forms only when suggested


async def test_retention_keeps_sixty_days_of_phrase_counts_and_a_year_of_usage(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        db = h.bot.db
        await h.command("maria", '/glossary add term:"PR" definition:"pull request"')
        entry = await db.fetch_value("SELECT id FROM glossary_entries")
        today = START.date()
        old = [
            (h.community, f"p{n}", (today - timedelta(days=61 + n % 5)).isoformat(), 5, 3)
            for n in range(2500)
        ]  # more than one batch
        kept = [(h.community, "recent", (today - timedelta(days=35)).isoformat(), 5, 3)]
        await db.execute_many(
            "INSERT INTO glossary_phrase_days (community, phrase, day, uses, people)"
            " VALUES (?, ?, ?, ?, ?)",
            old + kept,
        )
        await db.execute_many(
            "INSERT INTO glossary_phrases (community, phrase, first_at) VALUES (?, ?, ?)",
            [(h.community, p, "2025-01-01T00:00:00+00:00") for p in ("p1", "recent")],
        )
        await db.execute_many(
            "INSERT INTO glossary_usage_days (entry_id, community, day, uses) VALUES (?, ?, ?, ?)",
            [
                (entry, h.community, (today - timedelta(days=d)).isoformat(), 1)
                for d in (400, 367, 300)
            ],
        )
        await db.execute_many(
            "INSERT INTO glossary_usage_people (entry_id, community, user_id, uses,"
            " first_used_at, last_used_at) VALUES (?, ?, ?, 1, ?, ?)",
            [
                (entry, h.community, user, at, at)
                for user, at in (
                    ("gone", (START - timedelta(days=400)).isoformat()),
                    ("kept", (START - timedelta(days=200)).isoformat()),
                )
            ],
        )
        await h.bot.cogs["glossary"].prune(h.community)
        assert [r[0] for r in await db.fetch_all("SELECT phrase FROM glossary_phrase_days")] == [
            "recent"
        ]
        assert [r[0] for r in await db.fetch_all("SELECT phrase FROM glossary_phrases")] == [
            "recent"
        ]
        days = [r[0] for r in await db.fetch_all("SELECT day FROM glossary_usage_days")]
        assert days == [(today - timedelta(days=300)).isoformat()]
        people = [r[0] for r in await db.fetch_all("SELECT user_id FROM glossary_usage_people")]
        assert people == ["kept"]


async def test_forgetting_a_person_removes_them_from_phrase_counts_in_memory_and_stored(
    tmp_path,
):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        for person in ("alice", "bob", "carol"):
            await h.say(person, "general", "secret handshake")
            await h.say(person, "general", "the secret handshake")
        await h.say("alice", "general", "my xylofrobnic marker")  # only alice wrote it
        await h.wait(timedelta(seconds=5))
        glossary = h.bot.cogs["glossary"]
        exported = await glossary.export_user_data(h.community, "alice")
        assert [p["phrase"] for p in exported["phrases_first_said"]] == [
            "handshake",
            "secret",
            "secret handshake",
        ]
        await h.say("alice", "general", "one more xylofrobnic")  # still set aside
        await forget(h.bot, h.community, "alice")
        await h.wait(timedelta(seconds=5))
        firsts = await h.bot.db.fetch_all("SELECT first_user, first_message FROM glossary_phrases")
        assert firsts and all(tuple(r) == (None, None) for r in firsts)
        window = glossary.windows[h.community]
        assert not any("xylofrobnic" in p for day in window.days.values() for p in day)
        shared = window.days[START.date().isoformat()]["secret handshake"]
        assert (shared.uses, len(shared.people)) == (6, 2)  # the counts others share stay
        assert (await glossary.export_user_data(h.community, "alice"))["phrases_first_said"] == []
