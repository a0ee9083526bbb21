"""Tests for bot.text: real words in every script the communities write in."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bot.text import (
    QUESTION_WORDS,
    Match,
    PhraseMatcher,
    looks_like_question,
    normalize,
    sort_key,
    split_text,
    tokens,
    truncate,
    words,
)

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
FLAGS = "🇫🇷🇩🇪🇯🇵"
THUMBS_DARK = "👍🏿"


# ---------------------------------------------------------------------------
# normalize
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ["café", "Cafe", "CAFÉ", "cafe\u0301", "Ｃａｆé"],
        ["naïve", "naive", "NAÏVE"],
        ["Łódź", "lodz"],
        ["mañana", "manana"],
        ["straße", "STRASSE"],
        ["مَكْتَبَة", "مكتبة", "مكــتبة", "مكتبه"],
        ["أحمد", "احمد", "إحمد", "آحمد"],
        ["مستشفى", "مستشفي"],
        ["סֵפֶר", "ספר", "ספר\u200f"],
        ["בְּרֵאשִׁ֖ית", "בראשית"],
        ["λόγος", "ΛΟΓΟΣ", "λογος", "Λόγος"],
        ["მადლობა", "ᲛᲐᲓᲚᲝᲑᲐ"],
        ["don't", "don’t", "DON'T"],
        ["f-string", "f‑string", "F‐String"],
        ['צה"ל', "צה״ל"],
        ["PR", "ＰＲ", "pr"],
    ],
)
def test_normalize_makes_variants_equal(variants: list[str]) -> None:
    assert len({normalize(v) for v in variants}) == 1, [normalize(v) for v in variants]


def test_normalize_decisions() -> None:
    assert normalize("ΛΟΓΟΣ") == "λογοσ"  # final sigma folded (by casefold)
    assert normalize("ספרים").endswith("ם")  # Hebrew final letters kept
    assert normalize("مدرسة") == "مدرسه"  # teh marbuta as heh
    assert normalize("مدرسة") != normalize("مدرس")
    # Vowel signs of Indic scripts are letters there, so they are kept.
    assert normalize("कि") != normalize("क")
    assert normalize("हिन्दी") == "हिन्दी"
    assert normalize("abc") == "abc"


# ---------------------------------------------------------------------------
# tokens
# ---------------------------------------------------------------------------


def test_tokens_keep_apostrophes_and_hyphens_inside_words() -> None:
    text = "I don't like f-strings, but l'eau is fine."
    assert [t.text for t in tokens(text)] == [
        "I",
        "don't",
        "like",
        "f-strings",
        "but",
        "l'eau",
        "is",
        "fine",
    ]


def test_tokens_offsets_point_into_the_original_text() -> None:
    text = "وَالْمَكْتَبَةُ — סֵפֶר, ΛΟΓΟΣ! დიდი მადლობა 🙏"
    toks = tokens(text)
    assert [t.norm for t in toks] == ["والمكتبه", "ספר", "λογοσ", "დიდი", "მადლობა"]
    for t in toks:
        assert text[t.start : t.end] == t.text


def test_tokens_edge_cases() -> None:
    assert words("_really_ __init__ snake_case") == ["really", "init", "snake_case"]
    assert words("C++ and C# vs C") == ["c++", "and", "c#", "vs", "c"]
    assert words('צה"ל ג\'ורג\' "ציטוט"') == ['צה"ל', "ג'ורג", "ציטוט"]
    assert words("'quoted' -dash- a--b") == ["quoted", "dash", "a", "b"]
    # A CJK run without spaces is one token.
    assert words("今日は良い天気 ok") == ["今日は良い天気", "ok"]
    # A lone tatweel is no word.
    assert words("ـــ") == []
    assert words("") == []


# ---------------------------------------------------------------------------
# PhraseMatcher
# ---------------------------------------------------------------------------


def keys(matcher: PhraseMatcher[Any], text: str) -> list[Any]:
    return [m.key for m in matcher.find(text)]


@pytest.fixture
def glossary() -> PhraseMatcher[str]:
    return PhraseMatcher(
        [
            ("café", "cafe"),
            ("pull request", "pr-long"),
            ("PR", "pr"),
            ("cat", "cat"),
            ("f-string", "fstring"),
            ("مكتبة", "maktaba"),
            ("ספר", "sefer"),
            ("λόγος", "logos"),
            ("მადლობა", "madloba"),
        ]
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Meet me at the Cafe!", ["cafe"]),
        ("CAFÉ au lait", ["cafe"]),
        ("في المكتبة؟", ["maktaba"]),
        ("مَكْتَبَة كبيرة", ["maktaba"]),
        ("مكــتبة", ["maktaba"]),
        ("والمكتبة بالمكتبة للمكتبة فالمكتبة", ["maktaba"] * 4),
        ("סֵפֶר טוב", ["sefer"]),
        ("הספר, וּבספר, שהספר, בספר", ["sefer"] * 4),
        ("ΛΟΓΟΣ και λογος και λόγος", ["logos"] * 3),
        ("დიდი მადლობა ყველას!", ["madloba"]),
        ("Please open a pull  request.", ["pr-long"]),
        ("pull\nrequest", ["pr-long"]),
        ("a **pull** request", ["pr-long"]),
        ("the pull-request", ["pr-long"]),
        ("Use an f-string or F‑String or f string", ["fstring"] * 3),
        ("my PR, the ה-PR, ב-PR", ["pr"] * 3),
    ],
)
def test_find_matches(glossary: PhraseMatcher[str], text: str, expected: list[str]) -> None:
    assert keys(glossary, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "concatenate the strings",
        "PRISM and PRs",
        "a cat-like thing",
        "cafeteria",
        "pull requests",
        "pull the request",
        "f-strings",
        "ספרים ספרייה",
        "مكتبات",
    ],
)
def test_find_whole_words_only(glossary: PhraseMatcher[str], text: str) -> None:
    assert glossary.find(text) == []


def test_latin_words_are_never_prefix_stripped() -> None:
    # b/l/k/f/w/h/v/sh look like the Hebrew and Arabic prefixes when transliterated.
    m = PhraseMatcher([(w, w) for w in ("us", "and", "amp", "ook", "at", "ave", "ame")])
    assert m.find("bus band lamp book flat wave shame hat") == []


def test_prefix_stripping_needs_a_stem_of_two_letters() -> None:
    m = PhraseMatcher([("ל", "he"), ("ك", "ar"), ("לך", "lekh")])
    assert m.find("של בך") == []
    assert m.find("بك لك") == []
    # Two letters remain: this is the documented ambiguity of unvocalized Hebrew.
    assert keys(m, "מלך") == ["lekh"]


def test_word_as_written_wins_over_a_stripped_prefix() -> None:
    m = PhraseMatcher([("מלך", "king"), ("לך", "go")])
    assert keys(m, "המלך מלך") == ["king", "king"]


def test_arabic_article_as_part_of_the_term() -> None:
    m = PhraseMatcher([("المكتبة", "the-library")])
    assert keys(m, "بالمكتبة والمكتبة المكتبة") == ["the-library"] * 3


def test_match_spans_cover_the_words_as_written() -> None:
    m = PhraseMatcher([("pull request", 1), ("ספר", 2)])
    text = "Open a Pull,  Request; then וּבספר."
    found = m.find(text)
    assert [text[x.start : x.end] for x in found] == ["Pull,  Request", "וּבספר"]
    assert found[0] == Match(1, "pull request", 7, 21)


def test_recognition_phrases() -> None:
    m = PhraseMatcher(
        [
            ("thanks", "thanks"),
            ("thank you", "thanks"),
            ("ty", "thanks"),
            ("شكرا", "thanks"),
            ("תודה", "thanks"),
            ("ευχαριστώ", "thanks"),
            ("მადლობა", "thanks"),
        ]
    )
    for text in [
        "Thank you so much!",
        "ty!!",
        "شكراً جزيلاً",
        "وشكرا لك",
        "תודה רבה",
        "ותודה לכולם",
        "Ευχαριστώ πολύ",
        "ΕΥΧΑΡΙΣΤΩ",
        "დიდი მადლობა",
        "thanks 🙏",
    ]:
        assert keys(m, text) == ["thanks"], text
    for text in ["thankful", "type", "party", "תודות"]:
        assert m.find(text) == [], text


def test_longest_match_wins_and_keys_are_reported_once() -> None:
    m = PhraseMatcher([("pull request", "long"), ("request", "short"), ("PR", "a"), ("PR", "b")])
    m.add("pr", "a")  # same key, same normalized phrase
    assert keys(m, "a pull request") == ["long"]
    assert keys(m, "a request") == ["short"]
    assert keys(m, "my PR") == ["a", "b"]


def test_add_and_remove_incrementally() -> None:
    m: PhraseMatcher[int] = PhraseMatcher()
    assert m.find("anything") == []
    m.add("pull request", 1)
    m.add("pull", 2)
    m.add("pull request", 1)  # idempotent
    assert len(m) == 2
    assert keys(m, "pull request") == [1]
    assert m.remove("pull request", 1) is True
    assert m.remove("pull request", 1) is False
    assert m.remove("never added", 3) is False
    assert keys(m, "pull request") == [2]
    assert m.remove("pull", 2) is True
    assert len(m) == 0
    assert m.find("pull request") == []
    with pytest.raises(ValueError):
        m.add("?!", 5)


def test_find_cost_does_not_depend_on_the_number_of_phrases() -> None:
    message = (
        "Thanks for the pull request! תודה על ה-PR והספר, وشكرا على المكتبة، "
        "ευχαριστώ για τον λόγο και დიდი მადლობა for reviewing the f-string fix today "
        "before the release notes ship"
    )
    n_tokens = len(tokens(message))
    assert n_tokens == 30
    # Phrases share first words with the message, so the walks go deep into big nodes.
    firsts = [t.norm for t in tokens(message)]
    rng = random.Random(7)
    phrases = [
        f"{rng.choice(firsts)} {rng.choice(firsts)} x{i}" if i % 2 else f"term{i}"
        for i in range(10_000)
    ]
    small: PhraseMatcher[int] = PhraseMatcher([("pull request", -1)])
    big: PhraseMatcher[int] = PhraseMatcher((p, i) for i, p in enumerate(phrases))
    big.add("pull request", -1)
    assert len(big) == 10_001

    assert [m.key for m in big.find(message)] == [-1]
    # Each token is looked up as written and as at most 4 prefix-stripped stems and
    # one hyphen-attached stem; each walk is at most as deep as the longest phrase.
    max_starts, max_phrase_parts = 6, 3
    assert big.lookups <= n_tokens * max_starts * max_phrase_parts
    assert big.lookups < 300
    small.find(message)
    assert small.lookups <= big.lookups <= 4 * small.lookups


# ---------------------------------------------------------------------------
# Questions
# ---------------------------------------------------------------------------

ALL_WORDS = frozenset().union(*QUESTION_WORDS.values())


@pytest.mark.parametrize(
    "text",
    [
        "Is this right?",
        "is this right ?  ",
        "really?!",
        "what is this? 🤔",
        "what is this? :thinking:",
        "anyone? <:pepe:123456> 🙏🏽",
        "(is it?)",
        "**why?**",
        "“really?”",
        "本当ですか？",
        "هل هذا صحيح؟",
        "כן?",
        "זה נכון?\u200f",
        "Τι κάνεις;",
        "Τι κάνεις\u037e",
        "Ինչպե՞ս ես",
        "დღეს მოხვალ?",
        "Что это?",
    ],
)
def test_question_by_mark(text: str) -> None:
    assert looks_like_question(text, ())


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "How do I reset my password"),
        ("en", "<@123> how do I reset my password"),
        ("en", "> Does anyone know"),
        ("ar", "هل يعمل البوت"),
        ("ar", "وهل يعمل البوت"),
        ("ar", "كيف أبدأ"),
        ("he", "איך מתחילים"),
        ("he", "ולמה זה לא עובד"),
        ("he", "האם זה עובד"),
        ("el", "Πού είναι η τεκμηρίωση"),
        ("el", "πως το κάνω"),
        ("ka", "რატომ არ მუშაობს"),
        ("es", "Por qué no funciona"),
        ("fr", "Comment ça marche"),
        ("fr", "Est-ce que ça marche"),
        ("de", "Wie funktioniert das"),
    ],
)
def test_question_by_first_word(lang: str, text: str) -> None:
    assert looks_like_question(text, QUESTION_WORDS[lang])
    assert not looks_like_question(text, ())


def test_spanish_opening_mark_is_enough() -> None:
    assert looks_like_question("¿Alguien sabe algo", ())
    assert looks_like_question("<@1> ¿Alguien sabe algo", ())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Thanks!",
        "I know how it works.",
        "The ? operator in Rust is great",
        "x = 1;",
        "Stop;",
        "Que tengas un buen día",
        "شكرا جزيلا",
        "תודה רבה!",
        "Ευχαριστώ πολύ.",
        "დიდი მადლობა 🙏",
        "https://example.com/?q=1",
        "Great :thinking:",
        "שמי דנה",  # שמי is not ש + מי
    ],
)
def test_not_a_question(text: str) -> None:
    assert not looks_like_question(text, ALL_WORDS)


# ---------------------------------------------------------------------------
# truncate / split_text
# ---------------------------------------------------------------------------


def test_truncate_keeps_short_text_and_respects_the_limit() -> None:
    assert truncate("hello", 5) == "hello"
    assert truncate("hello wonderful world", 18) == "hello wonderful…"
    # The word boundary is at most half the budget back; otherwise the word is cut.
    assert truncate("hi wonderful world", 12) == "hi wonderfu…"
    assert truncate("supercalifragilistic", 10) == "supercali…"
    assert truncate("abc", 2, ellipsis="") == "ab"
    with pytest.raises(ValueError):
        truncate("abcdef", 2, ellipsis="...")
    text = "Hello, world! " * 50
    for limit in range(1, 120):
        assert len(truncate(text, limit)) <= limit


def assert_cut_outside(text: str, body: str, atom: str) -> None:
    """``body`` is a prefix of ``text`` that does not end inside any copy of ``atom``."""
    assert text.startswith(body), body
    cut = len(body)
    start = text.find(atom)
    while start >= 0:
        assert not start < cut < start + len(atom), (body, atom)
        start = text.find(atom, start + 1)


@pytest.mark.parametrize(
    "atom", [FAMILY, FLAGS[:2], THUMBS_DARK, "e\u0301", "סֵּ", "\u1100\u1161\u11a8"]
)
def test_truncate_never_splits_a_grapheme_cluster(atom: str) -> None:
    text = "ab " + atom * 3 + " cd"
    for limit in range(1, len(text)):
        out = truncate(text, limit)
        assert len(out) <= limit
        assert_cut_outside(text, out.removesuffix("…"), atom)


def test_truncate_keeps_flag_pairs() -> None:
    for limit in range(1, len(FLAGS) + 2):
        body = truncate(FLAGS, limit).removesuffix("…")
        assert len(body) % 2 == 0
        assert FLAGS.startswith(body)


@pytest.mark.parametrize("mention", ["<@123>", "<#C123|general>", "<@&456>", "<!subteam^S1>"])
def test_truncate_never_splits_a_mention(mention: str) -> None:
    text = f"ping{mention}{mention}"
    for limit in range(1, len(text)):
        assert_cut_outside(text, truncate(text, limit).removesuffix("…"), mention)


def test_truncate_utf16() -> None:
    text = "😀" * 10
    assert len(truncate(text, 5)) == 5
    out = truncate(text, 5, utf16=True)
    assert out == "😀😀…"
    assert len(out.encode("utf-16-le")) // 2 <= 5


def _non_space(text: str) -> str:
    return "".join(text.split())


def test_split_text_chunks_are_within_limit_and_lose_nothing() -> None:
    rng = random.Random(3)
    pieces = [
        "word",
        "كلمة",
        "מילה",
        "λέξη",
        "სიტყვა",
        FAMILY,
        FLAGS,
        "<@123>",
        "<#C123|general>",
        "\n",
        "\n\n",
        "  ",
        "a" * 40,
        "e\u0301",
    ]
    text = " ".join(rng.choice(pieces) for _ in range(400))
    for limit in (30, 50, 100, 2000):
        chunks = split_text(text, limit)
        assert all(0 < len(c) <= limit for c in chunks)
        assert _non_space("".join(chunks)) == _non_space(text)
        for c in chunks:
            assert c.count("<") == c.count(">")  # no mention was split
            assert "\u200d" not in (c[0], c[-1])  # no ZWJ sequence was split
            assert not c.startswith("\u0301")


def test_split_text_prefers_lines_then_words() -> None:
    text = "first line here\nsecond line here\nthird"
    assert split_text(text, 20) == ["first line here", "second line here", "third"]
    assert split_text("alpha beta gamma delta", 11) == ["alpha beta", "gamma delta"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
    assert split_text("if x:\r\n    y()\r\n    z()", 12) == ["if x:", "    y()", "    z()"]
    assert split_text("", 10) == []
    assert split_text("   ", 10) == []


def test_split_text_utf16() -> None:
    chunks = split_text("😀" * 9, 4, utf16=True)
    assert chunks == ["😀😀"] * 4 + ["😀"]


# ---------------------------------------------------------------------------
# sort_key
# ---------------------------------------------------------------------------


def shuffled(items: list[str], seed: int = 1) -> list[str]:
    out = items[:]
    random.Random(seed).shuffle(out)
    return out


def test_sort_latin_case_and_accent_insensitive() -> None:
    expected = ["Äpfel", "apple", "Banana", "cafe", "Cafe", "café", "Café", "Œuvre", "zebra"]
    for seed in range(5):
        assert sorted(shuffled(expected, seed), key=sort_key) == expected


@pytest.mark.parametrize(
    "alphabetical",
    [
        # Hebrew, one word per letter (and niqqud ignored at the first level).
        "אבא בית גמל דג הר ורד זית חלב טוב ילד כלב לחם מים נר סֵפֶר עץ פרח צב קוף רגל שמש תפוח",
        # Arabic, hijā'ī order, hamza on alef and tashkeel ignored at the first level.
        "أرنب بيت تفاح ثعلب جمل حصان خروف دب ذئب رُمّان زيت سمك شمس صقر ضفدع طائر ظرف عين غزال "
        "فيل قمر كلب ليمون موز نمر هدهد وردة يد",
        # Greek, accented initial vowels in place.
        "αετός βάρκα γάτα δέντρο ελιά ζάχαρη ήλιος θάλασσα ίριδα καρέκλα Λόγος μήλο νερό ξύλο "
        "όνομα πόρτα ρόδι σπίτι τραπέζι ύπνος φως χιόνι ψάρι ωκεανός",
        # Georgian.
        "ანა ბავშვი გზა დედა ეზო ვაშლი ზღვა თევზი იანვარი კატა ლომი მთა ნავი ოთახი პური ჟირაფი "
        "რძე სახლი ტყე უბანი ფეხი ქალაქი ღამე ყვავილი შავი ჩაი ცა ძაღლი წყალი ჭიქა ხე ჯარი ჰაერი",
        # Hebrew final letters sort as their regular forms.
        "אם אמא ים ימין מלך מלכה",
    ],
)
def test_sort_each_script_in_alphabet_order(alphabetical: str) -> None:
    expected = alphabetical.split()
    assert sorted(shuffled(expected), key=sort_key) == expected


def test_sort_ties_are_deterministic() -> None:
    variants = ["λόγος", "ΛΟΓΟΣ", "λογος", "Λόγος"]
    orders = {tuple(sorted(shuffled(variants, seed), key=sort_key)) for seed in range(10)}
    assert len(orders) == 1


def test_sort_locale_tailoring() -> None:
    words_ = ["ñandú", "nube", "oso", "nada"]
    assert sorted(words_, key=lambda w: sort_key(w, "es")) == ["nada", "nube", "ñandú", "oso"]
    assert sorted(words_, key=sort_key) == ["nada", "ñandú", "nube", "oso"]
    nordic = ["öga", "ål", "zebra", "ärm", "abc"]
    assert sorted(nordic, key=lambda w: sort_key(w, "sv_SE")) == [
        "abc",
        "zebra",
        "ål",
        "ärm",
        "öga",
    ]
