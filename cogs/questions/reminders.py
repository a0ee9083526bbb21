"""When to remind helpers about a waiting question, and when moderators hear of it: pure rules.

A waiting question has one due time (``next_nudge_at``), read by an indexed sweep.
When it falls due, :func:`plan_nudge` decides from the question's own record what
happens now (remind helpers, tell moderators) and when it is due next, so a sweep
that runs late, twice, or after a restart reaches the same decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class NudgeState:
    asked_at: datetime
    nudge_count: int
    last_nudge_at: datetime | None
    escalated_at: datetime | None
    claim_until: datetime | None


@dataclass(frozen=True, slots=True)
class NudgePlan:
    remind: bool  # list it in this sweep's helpers' digest
    escalate: bool  # tell moderators now
    next_at: datetime | None  # when to look again; None: nothing more to do


def plan_nudge(
    state: NudgeState,
    now: datetime,
    *,
    renudge_every: timedelta,
    max_nudges: int,
    escalate_after: timedelta,
) -> NudgePlan:
    """Remind at most once per ``renudge_every`` and ``max_nudges`` times in all; escalate
    once, ``escalate_after`` after it was asked. A live claim postpones both."""
    if state.claim_until is not None and state.claim_until > now:
        return NudgePlan(False, False, state.claim_until)
    remind = state.nudge_count < max_nudges and (
        state.last_nudge_at is None or now - state.last_nudge_at >= renudge_every
    )
    escalate_at = state.asked_at + escalate_after
    escalate = state.escalated_at is None and now >= escalate_at
    upcoming = []
    if state.nudge_count + remind < max_nudges:
        last = now if remind else (state.last_nudge_at or now)
        upcoming.append(last + renudge_every)
    if state.escalated_at is None and not escalate:
        upcoming.append(escalate_at)
    return NudgePlan(remind, escalate, min(upcoming, default=None))


def quiet_until(
    now: datetime, zone: ZoneInfo, start: time | None, end: time | None
) -> datetime | None:
    """The end of the quiet hours (UTC) if ``now`` falls inside them, else None.

    ``start``–``end`` is local time in ``zone`` and may cross midnight (22:00–08:00).
    """
    if start is None or end is None or start == end:
        return None
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= clock < end
        end_day = local.date()
    else:
        inside = clock >= start or clock < end
        end_day = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)
