"""Parsing the option values the core's option kinds cannot check: pure, no I/O.

Each parser returns the value or raises ``ValueError``; the cog turns that into a
friendly ``UserError`` from the catalog, so nothing changes on a mistake.
"""

from __future__ import annotations

import re
from datetime import time, timedelta
from urllib.parse import urlsplit

from bot.text import QUESTION_WORDS
from bot.timeutil import parse_duration

#: Named periods for /questions stats; None means all time.
PERIODS: dict[str, timedelta | None] = {
    "day": timedelta(days=1),
    "week": timedelta(weeks=1),
    "month": timedelta(days=30),
    "all": None,
}
MIN_PERIOD = timedelta(hours=1)
MAX_PERIOD = timedelta(days=3660)

_SLACK_PERMALINK = re.compile(r"^p(\d{10})(\d{6})$")
_ID = re.compile(r"^#?[\w.:-]{1,100}$")
_QUIET = re.compile(r"^\s*(\d{1,2}:\d{2})\s*[-–—]\s*(\d{1,2}:\d{2})\s*$")
OFF = frozenset({"off", "none", "no"})


def message_id(raw: str) -> str:
    """A message id from an id or a message link (Discord, Slack, the playground's ``m7``).

    Discord links end with the message id; Slack permalinks end with ``p`` and the
    message's timestamp without its dot (``p1712345678123456`` → ``1712345678.123456``).
    """
    token = raw.strip().strip("<>")
    if "://" in token:
        parts = [p for p in urlsplit(token).path.split("/") if p]
        if not parts:
            raise ValueError(raw)
        token = parts[-1]
        if found := _SLACK_PERMALINK.match(token):
            return f"{found.group(1)}.{found.group(2)}"
    if not _ID.match(token):
        raise ValueError(raw)
    return token


def period(raw: str | None) -> tuple[str, timedelta | None]:
    """``day``/``week``/``month``/``all`` or a duration such as ``90d``: (label, span)."""
    if raw is None:
        return "week", PERIODS["week"]
    word = raw.strip().casefold()
    if word in PERIODS:
        return word, PERIODS[word]
    span = parse_duration(word)
    if span is None or not MIN_PERIOD <= span <= MAX_PERIOD:
        raise ValueError(raw)
    return raw.strip(), span


def quiet_hours(raw: str) -> tuple[time, time] | None:
    """``22:00-08:00`` → (22:00, 08:00); ``off`` → None. The span may cross midnight."""
    if raw.strip().casefold() in OFF:
        return None
    found = _QUIET.match(raw)
    if not found:
        raise ValueError(raw)
    start, end = (time.fromisoformat(part.zfill(5)) for part in found.groups())
    if start == end:
        raise ValueError(raw)
    return start, end


def languages(raw: str) -> list[str]:
    """``en, ar he`` → ``["en", "ar", "he"]``; every code must have question words."""
    codes = [code.casefold() for code in re.split(r"[\s,;]+", raw.strip()) if code]
    unknown = [code for code in codes if code not in QUESTION_WORDS]
    if not codes or unknown:
        raise ValueError(", ".join(unknown) or raw)
    return list(dict.fromkeys(codes))
