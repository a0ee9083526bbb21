"""Right-to-left text inside left-to-right sentences (and the reverse)."""

from __future__ import annotations

import unicodedata

_FIRST_STRONG_ISOLATE, _POP_DIRECTIONAL_ISOLATE = "\u2068", "\u2069"


def isolate(text: str) -> str:
    """Wrap text containing right-to-left letters (Arabic, Hebrew…) in a first-strong
    isolate, so that in a line such as "bob, <name>, chen" it cannot pull the commas and
    its neighbours into its own direction. Other text is returned as it is."""
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
        return f"{_FIRST_STRONG_ISOLATE}{text}{_POP_DIRECTIONAL_ISOLATE}"
    return text
