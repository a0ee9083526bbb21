"""Alphabetical sorting: sort_key."""

from __future__ import annotations

import unicodedata

from bot.text.normalization import normalize

# ---------------------------------------------------------------------------
# Sorting
# ---------------------------------------------------------------------------

_HEBREW_FINALS = str.maketrans("ךםןףץ", "כמנפצ")
# Letters that a language sorts as separate letters (after a base letter) instead of
# as accented variants. Private-use code points above every letter make "ñ" sort after
# every "n…" word and before "o"; "å ä ö" after "z".
_AFTER = "\U0010fff0"


def _after(base: str, rank: int) -> str:
    return base + chr(ord(_AFTER) + rank)


_SORT_TAILORINGS: dict[str, dict[int, str]] = {
    "es": {ord("ñ"): _after("n", 0)},
    "sv": {ord(c): _after("z", r) for c, r in zip("åäöæø", (0, 1, 2, 1, 2), strict=True)},
    "da": {ord(c): _after("z", r) for c, r in zip("æøåäö", (0, 1, 2, 0, 1), strict=True)},
}
_SORT_TAILORINGS["fi"] = _SORT_TAILORINGS["sv"]
_SORT_TAILORINGS.update(dict.fromkeys(("nb", "nn", "no"), _SORT_TAILORINGS["da"]))


def sort_key(text: str, locale: str = "en") -> tuple[str, str, str, str]:
    """A key for alphabetical order: ``sorted(names, key=sort_key)``.

    Levels, like the Unicode Collation Algorithm, built on :func:`normalize`:

    1. base letters: case, accents, niqqud, tashkeel ignored; Hebrew final letters as
       their regular forms. Within each script the code point order is the alphabet
       (Latin, Greek, Cyrillic, Hebrew, Arabic hijā'ī order, Georgian); scripts follow
       each other in code point order.
    2. accents: unaccented first ("cafe" < "café").
    3. case: lowercase first ("apple" < "Apple").
    4. the text itself, so the order is total and deterministic.

    ``locale`` ("es", "sv-SE", "nb_NO"…) tailors letters a language treats as separate:
    Spanish ñ after n; Swedish/Finnish å ä ö and Danish/Norwegian æ ø å after z. Other
    languages use the default order (German ä = a, as in DIN 5007-1).
    """
    lang = locale.replace("_", "-").split("-", 1)[0].casefold()
    folded = unicodedata.normalize("NFC", text.casefold())
    tailoring = _SORT_TAILORINGS.get(lang)
    if tailoring:
        folded = folded.translate(tailoring)
    primary = normalize(folded).translate(_HEBREW_FINALS)
    secondary = unicodedata.normalize("NFKD", folded)
    tertiary = unicodedata.normalize("NFKD", text).swapcase()
    return primary, secondary, tertiary, text
