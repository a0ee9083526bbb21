"""Does a message say something? The one rule for "an answer" and "a message that counts".

Fair play (issue 15): a reply of ".", "+1", "same" or "thanks" is not an answer to a
question, and 55 messages of "a" are not 55 messages of work for a mission. Both the
questions cog (which reply answers a question) and the missions cog (which messages
count) ask :func:`has_substance`, so the two can never disagree.

A message has substance when, after taking away

* mentions, channel links and emoji (``<@1>``, ``<#2>``, ``<:party:3>``, ``:tada:``,
  and every symbol: emoji and punctuation are not letters),
* filler phrases of the languages Hearth ships word lists for (:data:`FILLER`: "same",
  "me too", "+1", "bump", "thanks", "any update", "גם אני", "نفس المشكلة", "κι εγώ",
  "მეც", "yo también", "moi aussi", "ich auch" …),
* laughter and key-mashing ("hahaha", "ههههه", "חחחח", "aaaa": words of at least four
  letters made of at most two different letters, or one letter repeated), and
* words of one letter,

at least ``min_letters`` letters remain (letters of any script; digits do not count).
Pure and cheap: one tokenization, a set lookup per word.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

from bot.text.normalization import words

#: The default minimum of letters that must remain (moderators change it per community).
MIN_LETTERS = 4

FILLER: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "en": frozenset(
            [
                *"same me2 metoo bump up upvote following followed subscribe subscribed".split(),
                *"thanks thank thx ty tysm tyvm thankyou ok okay kk yes yep yeah yea no".split(),
                *"nope nah lol lmao rofl haha hehe hmm wow nice cool great agreed agree".split(),
                *"this that exactly true indeed idk dunno ikr nvm interested pls plz".split(),
                *"please help anyone anybody someone first".split(),
                "same here",
                "same problem",
                "same issue",
                "same question",
                "same for me",
                "same with me",
                "me too",
                "me 2",
                "thank you",
                "thank u",
                "thanks a lot",
                "so much",
                "very much",
                "thanks again",
                "any update",
                "any updates",
                "any news",
                "good question",
                "great question",
                "i agree",
                "i have the same problem",
                "i have the same issue",
                "i have the same question",
                "did you find",
                "any luck",
            ]
        ),
        "es": frozenset(
            [
                *"igual idem gracias si sí vale jaja jeje porfa ayuda alguien".split(),
                "lo mismo",
                "yo también",
                "a mí también",
                "mismo problema",
                "el mismo problema",
                "muchas gracias",
                "por favor",
                "buena pregunta",
            ]
        ),
        "fr": frozenset(
            [
                *"pareil idem merci oui non mdr ptdr svp aide quelqu'un".split(),
                "moi aussi",
                "pareil pour moi",
                "même problème",
                "le même problème",
                "merci beaucoup",
                "d'accord",
                "s'il vous plaît",
                "s'il te plaît",
                "bonne question",
            ]
        ),
        "de": frozenset(
            [
                *"gleich dito danke ja nein genau stimmt push hilfe jemand bitte".split(),
                "ich auch",
                "gleiches problem",
                "das gleiche",
                "dasselbe problem",
                "danke schön",
                "vielen dank",
                "gute frage",
            ]
        ),
        "el": frozenset(
            [
                *"επίσης ίδιο ευχαριστώ ναι όχι οκ εντάξει χαχα ακριβώς βοήθεια".split(),
                "κι εγώ",
                "και εγώ",
                "το ίδιο",
                "ίδιο πρόβλημα",
                "το ίδιο πρόβλημα",
                "ευχαριστώ πολύ",
                "καλή ερώτηση",
            ]
        ),
        "ka": frozenset(
            [
                *"მეც იგივე მადლობა კი არა ხო ჰო ოკ დიახ ზუსტად დახმარება".split(),
                "დიდი მადლობა",
                "იგივე პრობლემა",
                "მეც იგივე",
                "კარგი კითხვა",
            ]
        ),
        "ar": frozenset(
            [
                *"نفس شكرا نعم لا اه ايوه تمام اوك اوكي مساعدة بالضبط".split(),
                "وأنا أيضا",
                "أنا أيضا",
                "انا كمان",
                "وانا كمان",
                "نفس الشي",
                "نفس الشيء",
                "نفس المشكلة",
                "شكرا جزيلا",
                "سؤال جيد",
            ]
        ),
        "he": frozenset(
            [
                *"תודה כן לא אוקי סבבה בדיוק אפ עזרה נכון".split(),
                "גם אני",
                "גם לי",
                "אותו דבר",
                "אותו הדבר",
                "אותה בעיה",
                "תודה רבה",
                "שאלה טובה",
            ]
        ),
    }
)

# Mentions, channel and role links, custom emoji and :shortcodes: carry no words of their own.
_NOISE = re.compile(r"<(?:[@#!&]|a?:)[^<>]*>|:[\w+-]+:")


def _phrases() -> tuple[frozenset[tuple[str, ...]], int]:
    found = {
        phrase
        for phrases in FILLER.values()
        for phrase in (tuple(words(entry)) for entry in phrases)
        if phrase
    }
    return frozenset(found), max(map(len, found))


_FILLER_PHRASES, _LONGEST = _phrases()


def _letters(word: str) -> int:
    """Letters a word adds: none for one letter, laughter or key-mashing."""
    count = sum(ch.isalpha() for ch in word)
    if count < 2:
        return 0
    distinct = len({ch for ch in word if ch.isalpha()})
    if distinct == 1 or (distinct <= 2 and count >= 4):
        return 0
    return count


def has_substance(text: str, min_letters: int = MIN_LETTERS) -> bool:
    """Whether ``text`` says something beyond filler (see the module's docstring)."""
    found = words(_NOISE.sub(" ", text)) if ("<" in text or ":" in text) else words(text)
    letters = 0
    i = 0
    while i < len(found):
        for n in range(min(_LONGEST, len(found) - i), 0, -1):
            if tuple(found[i : i + n]) in _FILLER_PHRASES:
                i += n
                break
        else:
            letters += _letters(found[i])
            if letters >= min_letters:
                return True
            i += 1
    return letters >= min_letters
