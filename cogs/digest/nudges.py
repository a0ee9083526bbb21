"""Who gets a nudge, and what it mentions: pure decisions over facts the store reads.

No I/O and no clock: every function gets "now" and the facts it needs, so the rules are
tested directly. The store's queries (``DigestStore.reengage_facts``, ``newcomer_facts``)
gather these facts with indexed reads; the cog moves data between the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

#: "Used to be active": at least this many messages before going quiet.
ACTIVE_MESSAGES = 5
#: A mission "behind pace with little time left" has at most this long to go.
LITTLE_TIME_LEFT = timedelta(days=3)
#: The digest lists missions ending within this long as ending soon.
ENDING_SOON = timedelta(days=7)

NEWCOMER, REENGAGE = "newcomer", "reengage"


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """What the re-engagement rule needs to know about one member."""

    user: str
    is_bot: bool
    is_member: bool
    message_count: int
    last_message_at: datetime | None
    last_nudged_at: datetime | None
    opted_out: bool
    waiting: bool  # a nudge is already planned for them


def silence_window(
    now: datetime, silent_after: timedelta, nudge_every: timedelta
) -> tuple[datetime, datetime]:
    """The range of last-message times worth looking at: silent at least ``silent_after``,
    and not longer than one nudge interval beyond it (people who left the community in
    spirit long ago are not chased; the query stays bounded and indexed)."""
    return now - silent_after - nudge_every, now - silent_after


def wants_reengagement(
    facts: MemberFacts, now: datetime, *, silent_after: timedelta, nudge_every: timedelta
) -> bool:
    """Active once, silent for ``silent_after``, not nudged within ``nudge_every``, still a
    member, not a bot, and has not opted out."""
    if facts.is_bot or not facts.is_member or facts.opted_out or facts.waiting:
        return False
    if facts.message_count < ACTIVE_MESSAGES or facts.last_message_at is None:
        return False
    if now - facts.last_message_at < silent_after:
        return False
    return facts.last_nudged_at is None or now - facts.last_nudged_at >= nudge_every


@dataclass(frozen=True, slots=True)
class NewcomerFacts:
    """What the newcomer nudge needs to know when it falls due."""

    is_bot: bool
    is_member: bool
    first_time: bool  # this join is their first
    joined_at: datetime | None
    last_message_at: datetime | None
    opted_out: bool
    welcome_covers: bool  # the welcome cog's reminder is on, or was sent


def wants_newcomer_nudge(facts: NewcomerFacts) -> bool:
    """One nudge to a first-time newcomer who has not posted since joining, unless the
    welcome cog's reminder is theirs (one reminder in total, not two)."""
    if facts.is_bot or not facts.is_member or facts.opted_out or facts.welcome_covers:
        return False
    if not facts.first_time or facts.joined_at is None:
        return False
    return facts.last_message_at is None or facts.last_message_at < facts.joined_at


@dataclass(frozen=True, slots=True)
class MissionView:
    """A live mission as the digest sees it (read through the missions cog)."""

    name: str
    total: int
    target: int
    unit: str
    starts_at: datetime
    deadline: datetime
    key: str = ""


def elapsed_share(m: MissionView, now: datetime) -> float:
    span = (m.deadline - m.starts_at).total_seconds()
    if span <= 0:
        return 1.0
    return min(1.0, max(0.0, (now - m.starts_at).total_seconds() / span))


def done_share(m: MissionView) -> float:
    return 1.0 if m.target <= 0 else min(1.0, m.total / m.target)


def pace_gap(m: MissionView, now: datetime) -> float:
    """How far behind a straight line to the target it is (0 when on pace or ahead)."""
    return max(0.0, elapsed_share(m, now) - done_share(m))


def most_behind(missions: Sequence[MissionView], now: datetime) -> MissionView | None:
    """The mission furthest behind pace, if any is behind at all."""
    behind = [m for m in missions if m.total < m.target and pace_gap(m, now) > 0]
    return max(behind, key=lambda m: (pace_gap(m, now), -m.deadline.timestamp()), default=None)


def needs_moderators(m: MissionView, now: datetime) -> bool:
    """Behind pace with little time left: worth a word to the moderators."""
    return (
        m.total < m.target
        and pace_gap(m, now) > 0
        and timedelta(0) < m.deadline - now <= LITTLE_TIME_LEFT
    )


def ending_soon(m: MissionView, now: datetime) -> bool:
    return timedelta(0) < m.deadline - now <= ENDING_SOON


@dataclass(frozen=True, slots=True)
class Reported:
    """An open report that a glossary entry is wrong (from the glossary cog)."""

    ref: str  # the report's id: what ``digest_flags`` records
    entry: str
    name: str
    reason: str
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class ReportedEntry:
    """A glossary entry to mention in the moderators' note: its first report's reason."""

    name: str
    reason: str
    reports: int


def newly_reported(reports: Sequence[Reported], new: set[str]) -> list[ReportedEntry]:
    """The entries moderators have not been told about: those all of whose open reports
    are ``new`` (flagged in this run), in the order of their first report.

    An entry already mentioned stays quiet while it has open reports (a later report is
    flagged silently); once resolved, a fresh report is news again.
    """
    by_entry: dict[str, list[Reported]] = {}
    for report in sorted(reports, key=lambda r: (r.reported_at, int(r.ref))):
        by_entry.setdefault(report.entry, []).append(report)
    return [
        ReportedEntry(found[0].name, found[0].reason, len(found))
        for found in by_entry.values()
        if all(r.ref in new for r in found)
    ]


@dataclass(frozen=True, slots=True)
class Hook:
    """The concrete thing a re-engagement nudge mentions."""

    kind: str  # mission | question | term
    text: str
    link: str | None = None


def pick_hook(
    missions: Sequence[str],
    questions: Sequence[tuple[str, str | None]],
    terms: Sequence[str],
) -> Hook | None:
    """A mission they joined, else a question waiting in a channel they used to post in,
    else a new glossary term; None when there is nothing concrete to mention."""
    if missions:
        return Hook("mission", missions[0])
    if questions:
        text, link = questions[0]
        return Hook("question", text, link)
    if terms:
        return Hook("term", terms[0])
    return None
