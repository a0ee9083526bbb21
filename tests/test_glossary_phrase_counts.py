"""Emerging phrases in bounded memory: what the approximation guarantees, and what it
can miss (cogs/glossary/phrase_counts.py; the README's "Emerging phrases" section)."""

import random
from datetime import date, timedelta

from cogs.glossary.emerging import phrases
from cogs.glossary.phrase_counts import CAPACITY, PhraseRows, PhraseWindow
from cogs.glossary.stopwords import stopwords
from tests.harness import START

EN = stopwords(("en",))
DAY0 = date(2026, 3, 1)


def stream(seed: int, capacity: int, min_people: int) -> tuple[list, str, str]:
    """A week of chat: per day up to ``capacity`` distinct phrases of noise, a phrase that
    ``min_people`` people each use once on random days, and one person's pet phrase."""
    rng = random.Random(seed)
    messages = []
    for offset in range(7):
        day = (DAY0 + timedelta(days=offset)).isoformat()
        # single words, so each message is one phrase: capacity - 2 leaves room for ours
        for n in range(rng.randrange(capacity // 2, capacity - 2)):
            messages.append((day, f"user{rng.randrange(200)}", f"noise{offset}x{n}"))
    adopters = rng.sample(range(200, 400), min_people)
    uses = max(5, min_people)
    for k in range(uses):
        day = (DAY0 + timedelta(days=rng.randrange(7))).isoformat()
        messages.append((day, f"user{adopters[k % min_people]}", "glimmerfold"))
    for _ in range(rng.randrange(5, 60)):
        day = (DAY0 + timedelta(days=rng.randrange(7))).isoformat()
        messages.append((day, "loner", "snorkelwump"))
    messages.sort(key=lambda m: m[0])  # days in order; within a day, any order
    return messages, "glimmerfold", "snorkelwump"


def count(window: PhraseWindow, messages: list) -> PhraseRows:
    rows = PhraseRows()
    for n, (day, user, text) in enumerate(messages):
        first = (START, "general", f"m{n}", None, user)
        window.count(day, hash(user), phrases(text, EN), first, rows)
    window.settle(rows)
    return rows


def test_within_capacity_a_phrase_of_enough_people_is_always_kept_and_a_loner_never():
    for seed in range(25):
        capacity = random.Random(seed).choice([16, 64, 256])
        min_people = random.Random(seed + 1000).randrange(2, 6)
        window = PhraseWindow("test:c", 7, capacity)
        window.min_people, window.min_uses = min_people, 5
        messages, adopted, loner = stream(seed, capacity, min_people)
        rows = count(window, messages)
        stored = {phrase for _, phrase, _ in rows.days}
        assert adopted in stored, (seed, capacity, min_people)
        assert loner not in stored, seed
        assert window.dropped == 0
        uses = sum(n for (_, phrase, _), (n, _) in rows.days.items() if phrase == adopted)
        assert uses == max(5, min_people)
        people = max(p for (_, phrase, _), (_, p) in rows.days.items() if phrase == adopted)
        assert people == min_people


def test_past_capacity_the_rarest_phrases_go_first_and_hot_ones_stay():
    window = PhraseWindow("test:c", 7, capacity=8)
    window.min_people, window.min_uses = 2, 2
    rows = PhraseRows()
    day = DAY0.isoformat()
    for user in ("ann", "ben"):
        window.count(day, hash(user), phrases("keeper", EN), (START, "c", "m", None, user), rows)
    window.settle(rows)
    assert ("test:c", "keeper", day) in rows.days
    for n in range(40):  # a flood of one-off words: the day holds fewer than 8 * 2
        window.count(
            day, hash("spam"), phrases(f"flood{n}", EN), (START, "c", "m", None, "s"), rows
        )
        assert len(window.days[day]) < 16
    assert window.dropped > 0
    assert "keeper" in window.days[day]  # hot: kept first
    # What the approximation misses: a word dropped in the flood starts again from zero.
    dropped = next(f"flood{n}" for n in range(40) if f"flood{n}" not in window.days[day])
    window.count(day, hash("eve"), phrases(dropped, EN), (START, "c", "m", None, "eve"), rows)
    assert window.days[day][dropped].uses == 1
    assert "flood39" in window.days[day]  # the oldest one-off words go first


def test_the_window_moves_with_the_days_and_forgets_counts_that_leave_it():
    window = PhraseWindow("test:c", 3)
    window.min_people, window.min_uses = 3, 3
    rows = PhraseRows()
    for offset, user in enumerate(("ann", "ben", "cat")):  # one person a day, 3-day window
        day = (DAY0 + timedelta(days=offset * 2)).isoformat()
        window.count(
            day, hash(user), phrases("spreadword", EN), (START, "c", "m", None, user), rows
        )
    window.settle(rows)
    assert not rows.days  # never three people within three days
    assert sorted(window.days) == ["2026-03-03", "2026-03-05"]
    stale = window.count(
        DAY0.isoformat(), hash("dan"), phrases("late", EN), (START, "c", "m", None, "d"), rows
    )
    assert stale is False


def test_the_default_capacity_is_what_the_readme_states():
    import pathlib

    readme = (pathlib.Path(__file__).parent.parent / "README.md").read_text()
    assert f"{CAPACITY:,} distinct phrases" in readme


async def test_the_migration_keeps_phrases_two_people_used_and_drops_the_per_person_rows(
    tmp_path,
):
    from bot.database import Database
    from bot.migrations import migrate

    now = "2026-03-02T09:00:00.000000+00:00"
    db = await Database.open(tmp_path / "old.db")
    try:
        await migrate(db, now, upto=10)
        await db.execute(
            "INSERT INTO communities (id, platform, created_at) VALUES ('test:c', 'test', ?)",
            (now,),
        )
        person = (
            "INSERT INTO glossary_ngram_people (community, phrase, day, user_id, uses, form,"
            " first_at, first_channel, first_message) VALUES ('test:c', ?, ?, ?, ?, ?, ?, 'g', ?)"
        )
        await db.execute_many(
            person,
            [
                ("peak glorp", "2026-03-01", "ann", 2, "Peak Glorp", "2026-03-01T10:00", "m1"),
                ("peak glorp", "2026-03-01", "ben", 1, "peak glorp", "2026-03-01T11:00", "m2"),
                ("my secret", "2026-03-01", "ann", 2, "my secret", "2026-03-01T12:00", "m3"),
            ],
        )
        await db.execute_many(
            "INSERT INTO glossary_ngram_days (community, phrase, day, uses, user_id, form,"
            " first_at, first_channel, first_message) VALUES ('test:c', ?, ?, ?, ?, ?, ?, 'g', ?)",
            [
                ("peak glorp", "2026-03-01", 3, None, None, None, None),
                ("peak glorp", "2026-02-27", 1, "cat", "peak glorp", "2026-02-27T09:00", "m0"),
                ("my secret", "2026-03-01", 2, None, None, None, None),
                ("lone", "2026-03-01", 1, "ann", "lone", "2026-03-01T09:00", "m4"),
            ],
        )
        await migrate(db, now, upto=13)
        days = await db.fetch_all(
            "SELECT phrase, day, uses, people FROM glossary_phrase_days ORDER BY day"
        )
        assert [tuple(r) for r in days] == [
            ("peak glorp", "2026-02-27", 1, 1),
            ("peak glorp", "2026-03-01", 3, 2),
        ]
        firsts = await db.fetch_all(
            "SELECT phrase, first_user, first_message FROM glossary_phrases"
        )
        assert [tuple(r) for r in firsts] == [("peak glorp", "cat", "m0")]
        tables = {r[0] for r in await db.fetch_all("SELECT name FROM sqlite_master")}
        assert not {"glossary_ngram_people", "glossary_ngram_days"} & tables
    finally:
        await db.close()
