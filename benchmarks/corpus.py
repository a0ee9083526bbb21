"""Deterministic multilingual text: chatter, questions, thanks and glossary terms.

Five scripts (Latin, Arabic, Hebrew, Greek, Georgian), because Hearth's text
handling (normalisation, prefixes, question marks) differs by script and the hot
path must be measured on all of them, not on ASCII alone.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SCRIPTS = ("latin", "arabic", "hebrew", "greek", "georgian")


@dataclass(frozen=True)
class Script:
    words: tuple[str, ...]
    question_openers: tuple[str, ...]
    question_mark: str
    thanks: tuple[str, ...]
    syllables: tuple[str, ...]


LANGUAGES: dict[str, Script] = {
    "latin": Script(
        words=tuple(
            "the build release server channel people weekend project idea music game "
            "garden coffee review docs patch test meeting photo story event library "
            "plugin theme update bug feature question answer today tomorrow really great "
            "nice looks works broken again maybe later everyone please".split()
        ),
        question_openers=("how do I", "why does", "can someone explain", "where is", "what is"),
        question_mark="?",
        thanks=("thanks", "thank you", "ty", "cheers"),
        syllables=tuple("ka ze lo mi ru ta ven dor pli qua nix bel sor tum gri fae".split()),
    ),
    "arabic": Script(
        words=tuple(
            "الخادم القناة الناس المشروع فكرة موسيقى لعبة حديقة قهوة مراجعة الوثائق "
            "اختبار اجتماع صورة قصة حدث مكتبة تحديث خطأ ميزة سؤال جواب اليوم غدا "
            "رائع جميل يعمل مكسور ربما لاحقا الجميع".split()
        ),
        question_openers=("كيف", "لماذا", "هل يمكن", "أين", "ما هو"),
        question_mark="؟",
        thanks=("شكرا", "شكراً جزيلاً", "مشكور"),
        syllables=tuple("با تا سا دا را كا لا ما نو هي زي في قو".split()),
    ),
    "hebrew": Script(
        words=tuple(
            "השרת הערוץ אנשים פרויקט רעיון מוזיקה משחק גינה קפה סקירה מסמכים בדיקה "
            "פגישה תמונה סיפור אירוע ספרייה עדכון באג תכונה שאלה תשובה היום מחר "
            "מעולה יפה עובד שבור אולי אחר כך כולם".split()
        ),
        question_openers=("איך", "למה", "מישהו יכול להסביר", "איפה", "מה זה"),
        question_mark="?",
        thanks=("תודה", "תודה רבה", "תודה לך"),
        syllables=tuple("בה דו גי לו מה נו רי שה תו כי פו צה".split()),
    ),
    "greek": Script(
        words=tuple(
            "ο διακομιστής κανάλι άνθρωποι έργο ιδέα μουσική παιχνίδι κήπος καφές "
            "έλεγχος έγγραφα δοκιμή συνάντηση φωτογραφία ιστορία εκδήλωση βιβλιοθήκη "
            "ενημέρωση σφάλμα ερώτηση απάντηση σήμερα αύριο υπέροχο ωραίο δουλεύει "
            "χαλασμένο ίσως αργότερα όλοι".split()
        ),
        question_openers=("πώς", "γιατί", "μπορεί κάποιος να εξηγήσει", "πού είναι", "τι είναι"),
        question_mark=";",
        thanks=("ευχαριστώ", "ευχαριστώ πολύ", "να σαι καλά"),
        syllables=tuple("κα λο μι ρα τα βε δο πλι ξε ζω φα σο".split()),
    ),
    "georgian": Script(
        words=tuple(
            "სერვერი არხი ხალხი პროექტი იდეა მუსიკა თამაში ბაღი ყავა მიმოხილვა "
            "დოკუმენტები ტესტი შეხვედრა ფოტო ამბავი ღონისძიება ბიბლიოთეკა განახლება "
            "შეცდომა ფუნქცია კითხვა პასუხი დღეს ხვალ მშვენიერი ლამაზი მუშაობს "
            "გატეხილი იქნებ მოგვიანებით ყველა".split()
        ),
        question_openers=("როგორ", "რატომ", "ვინმეს შეუძლია ახსნას", "სად არის", "რა არის"),
        question_mark="?",
        thanks=("მადლობა", "დიდი მადლობა", "გმადლობთ"),
        syllables=tuple("კა ლო მი რა თა ვე დო ბი ზე ღო ფა სო".split()),
    ),
}


def glossary_terms(count: int, seed: int) -> list[tuple[str, str, str]]:
    """``count`` distinct made-up terms, spread evenly over the five scripts.

    Returns (term, definition, script). About a fifth are two-word phrases, so the
    matcher's multi-word path is exercised too. Terms are unique after case folding.
    """
    rng = random.Random(seed)
    seen: set[str] = set()
    terms: list[tuple[str, str, str]] = []
    index = 0
    while len(terms) < count:
        script = SCRIPTS[index % len(SCRIPTS)]
        index += 1
        language = LANGUAGES[script]
        parts = [
            "".join(rng.choice(language.syllables) for _ in range(rng.randint(2, 4)))
            for _ in range(2 if rng.random() < 0.2 else 1)
        ]
        term = " ".join(parts)
        if term.casefold() in seen:
            continue
        seen.add(term.casefold())
        definition = " ".join(rng.choice(language.words) for _ in range(8))
        terms.append((term, definition, script))
    return terms


class TextMaker:
    """Makes message texts for one script with a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def chatter(self, script: str, extra: str | None = None) -> str:
        language = LANGUAGES[script]
        words = [self.rng.choice(language.words) for _ in range(self.rng.randint(4, 16))]
        if extra is not None:
            words.insert(self.rng.randrange(len(words) + 1), extra)
        return " ".join(words)

    def question(self, script: str) -> str:
        language = LANGUAGES[script]
        opener = self.rng.choice(language.question_openers)
        words = " ".join(self.rng.choice(language.words) for _ in range(self.rng.randint(3, 10)))
        return f"{opener} {words}{language.question_mark}"

    def thanks(self, script: str, who: str) -> str:
        language = LANGUAGES[script]
        tail = " ".join(self.rng.choice(language.words) for _ in range(self.rng.randint(0, 6)))
        return f"{self.rng.choice(language.thanks)} {who} {tail}".rstrip()
