"""Building the messages people see: the mission card, announcements, lists, replies.

Pure functions of their arguments and a translate function ``t`` (the catalog), so the
cog decides *what* to say and these decide *how* it looks. Mission names, goals and
notes are text people wrote: they are shown as written (adapters neutralise pings) and
only the ids passed in ``mentions`` by the cog may ping.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.messages import (
    COLOUR_ERROR,
    COLOUR_INFO,
    COLOUR_SUCCESS,
    COLOUR_WARNING,
    Button,
    Field,
    Message,
    Progress,
    channel_mention,
    mention,
    role_mention,
)
from bot.text import truncate
from bot.timeutil import format_duration
from cogs.missions import progress
from cogs.missions.model import (
    ACTIVE,
    ARCHIVED,
    CANCELLED,
    MISSED,
    UPCOMING,
    Contribution,
    Contributor,
    Mission,
)

Translate = Callable[..., str]

#: How many people an announcement names before "and N more".
NAMED = 20
_OUTCOME_COLOUR = {CANCELLED: COLOUR_ERROR, MISSED: COLOUR_WARNING}


def percent(total: int, target: int) -> int:
    """Whole percent, rounded down: 99.9 % is not "100 %"."""
    return total * 100 // target


def local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%a %Y-%m-%d %H:%M %Z")


def people(t: Translate, users: Sequence[str]) -> str:
    if not users:
        return t("missions.people_none")
    shown = ", ".join(mention(u) for u in users[:NAMED])
    if len(users) > NAMED:
        shown += t("missions.people_more", count=len(users) - NAMED)
    return shown


def how_to_help(t: Translate, m: Mission) -> str:
    channels = ", ".join(channel_mention(c) for c in m.count_channels)
    if m.counting == "manual":
        return t("missions.help.manual")
    if m.counting == "messages":
        return t("missions.help.messages", channels=channels)
    if m.counting == "answers":
        where = t("missions.help.answers_where", channels=channels) if channels else ""
        return t("missions.help.answers", where=where)
    if m.counting == "kudos":
        return t("missions.help.kudos")
    return t("missions.help.welcomes")


def progress_line(t: Translate, m: Mission) -> str:
    return t(
        "missions.card.progress",
        total=m.total,
        target=m.target,
        unit=m.unit,
        percent=percent(m.total, m.target),
    )


def when_line(t: Translate, m: Mission, now: datetime, zone: ZoneInfo) -> str:
    if m.state == UPCOMING:
        left = format_duration(m.starts_at - now)
        return t("missions.card.starts", left=left, when=local(m.starts_at, zone))
    if m.state == ACTIVE:
        left = format_duration(progress.time_left(m.deadline, now))
        return t("missions.card.ends", left=left, when=local(m.deadline, zone))
    return outcome_line(t, m)


def outcome_line(t: Translate, m: Mission) -> str:
    return t(f"missions.outcome.{m.outcome}", reason=m.cancel_reason or "")


def card(
    t: Translate,
    m: Mission,
    *,
    now: datetime,
    zone: ZoneInfo,
    top: Sequence[Contributor],
    contributors: int,
    yours: int | None = None,
    with_button: bool = False,
) -> Message:
    """The mission as one message: the pinned post, and the answer to ``/mission status``."""
    fields = [Field(t("missions.card.progress_title"), progress_line(t, m))]
    if m.stretch:
        fields.append(
            Field(
                t("missions.card.stretch_title"),
                t("missions.card.stretch", stretch=m.stretch, unit=m.unit),
            )
        )
    time_title = (
        "missions.card.outcome_title" if m.state == ARCHIVED else "missions.card.time_title"
    )
    fields.append(Field(t(time_title), when_line(t, m, now, zone)))
    if top:
        board = " · ".join(f"{mention(c.user)} {c.amount}" for c in top)
        fields.append(Field(t("missions.card.top_title", count=contributors), board))
    if m.state != ARCHIVED:
        fields.append(Field(t("missions.card.help_title"), how_to_help(t, m)))
    if m.daily_cap and m.state != ARCHIVED:
        fields.append(Field(t("missions.card.cap_title"), t("missions.card.cap", cap=m.daily_cap)))
    if m.role:
        fields.append(Field(t("missions.card.role_title"), role_mention(m.role)))
    if yours:
        fields.append(Field(t("missions.card.yours_title"), t("missions.card.yours", amount=yours)))
    buttons = ()
    if with_button and m.manual and m.state == ACTIVE:
        buttons = (Button(t("missions.card.button"), "missions.contribute", str(m.id), "primary"),)
    colour = COLOUR_SUCCESS if m.state == ARCHIVED else COLOUR_INFO
    return Message(
        text=m.goal,
        title=t("missions.card.title", name=m.name),
        fields=tuple(fields),
        progress=Progress(m.total, m.target),
        buttons=buttons,
        colour=_OUTCOME_COLOUR.get(m.outcome or "", colour),
        footer=t(f"missions.counting.{m.counting}"),
    )


def milestone(t: Translate, m: Mission, key: str, contributors: Sequence[str]) -> Message:
    """A milestone, the celebration at 100 % (names the contributors), or the stretch goal."""
    if key == progress.STRETCH:
        text = t("missions.notice.stretch", name=m.name, total=m.total, unit=m.unit)
        text += "\n" + t("missions.notice.thanks", people=people(t, contributors))
        return Message(
            text,
            progress=Progress(m.total, m.target),
            colour=COLOUR_SUCCESS,
            mentions=tuple(contributors[:NAMED]),
        )
    value = progress.milestone_percent(key) or 0
    if value < 100:
        text = t(
            "missions.notice.milestone",
            name=m.name,
            percent=value,
            total=m.total,
            target=m.target,
            unit=m.unit,
        )
        return Message(text + "\n" + how_to_help(t, m), progress=Progress(m.total, m.target))
    text = t("missions.notice.completed", name=m.name, total=m.total, target=m.target, unit=m.unit)
    text += "\n" + t("missions.notice.thanks", people=people(t, contributors))
    if m.role:
        text += "\n" + t("missions.notice.role", role=role_mention(m.role))
    if m.stretch and m.total < m.stretch:
        text += "\n" + t("missions.notice.stretch_next", stretch=m.stretch, unit=m.unit)
    return Message(
        text,
        progress=Progress(m.total, m.target),
        colour=COLOUR_SUCCESS,
        mentions=tuple(contributors[:NAMED]),
    )


def reminder(t: Translate, m: Mission, now: datetime, participants: Sequence[str]) -> Message:
    text = t(
        "missions.notice.reminder",
        name=m.name,
        left=format_duration(progress.time_left(m.deadline, now)),
        percent=percent(m.total, m.target),
        total=m.total,
        target=m.target,
        unit=m.unit,
    )
    text += "\n" + how_to_help(t, m)
    if participants:
        text += "\n" + t("missions.notice.crew", people=people(t, participants))
    return Message(
        text,
        progress=Progress(m.total, m.target),
        colour=COLOUR_WARNING,
        mentions=tuple(participants[:NAMED]),
    )


def summary(t: Translate, m: Mission, contributors: Sequence[str]) -> Message:
    """The end of a mission at its deadline, whether or not the target was reached."""
    key = (
        "missions.notice.summary_missed"
        if m.outcome == MISSED
        else "missions.notice.summary_reached"
    )
    text = t(
        key,
        name=m.name,
        total=m.total,
        target=m.target,
        unit=m.unit,
        percent=percent(m.total, m.target),
    )
    if m.stretch and m.outcome != MISSED:
        text += "\n" + t("missions.notice.summary_stretch", stretch=m.stretch, unit=m.unit)
    text += "\n" + t("missions.notice.thanks", people=people(t, contributors))
    return Message(
        text,
        title=t("missions.notice.summary_title", name=m.name),
        progress=Progress(m.total, m.target),
        colour=_OUTCOME_COLOUR.get(m.outcome or "", COLOUR_SUCCESS),
    )


def cancelled(t: Translate, m: Mission) -> Message:
    text = t("missions.notice.cancelled", name=m.name, reason=m.cancel_reason or "")
    return Message(text, colour=COLOUR_ERROR)


def listing(
    t: Translate,
    active: Sequence[Mission],
    upcoming: Sequence[Mission],
    past: Sequence[Mission],
    now: datetime,
    zone: ZoneInfo,
) -> Message:
    def line(m: Mission) -> str:
        goal = truncate(m.goal, 80)
        return t(
            "missions.list.line", name=m.name, goal=goal, status=_short_status(t, m, now, zone)
        )

    fields = []
    for title, missions in (
        (t("missions.list.active"), active),
        (t("missions.list.upcoming"), upcoming),
        (t("missions.list.past"), past),
    ):
        if missions:
            fields.append(Field(title, "\n".join(line(m) for m in missions)))
    if not fields:
        return Message(t("missions.list.empty"))
    return Message(title=t("missions.list.title"), fields=tuple(fields))


def _short_status(t: Translate, m: Mission, now: datetime, zone: ZoneInfo) -> str:
    done = t(
        "missions.list.done",
        total=m.total,
        target=m.target,
        unit=m.unit,
        percent=percent(m.total, m.target),
    )
    if m.state == ARCHIVED:
        return f"{outcome_line(t, m)} · {done}"
    return f"{done} · {when_line(t, m, now, zone)}"


def home(
    t: Translate,
    missions: Sequence[Mission],
    joined: Collection[int],
    yours: Mapping[int, int],
    now: datetime,
    more: int,
) -> Message:
    """Short, for the App Home: one line per running mission, and what the person did."""
    lines = []
    for m in missions:
        left = format_duration(progress.time_left(m.deadline, now))
        line = t("missions.home.line", name=m.name, progress=progress_line(t, m), left=left)
        if m.id in joined:
            line += t("missions.home.joined")
        if yours.get(m.id):
            line += t("missions.home.yours", amount=yours[m.id])
        lines.append(line)
    if more:
        lines.append(t("missions.home.more", count=more))
    return Message(
        "\n".join(lines),
        title=t("missions.home.title"),
        footer=t("missions.home.footer"),
        colour=COLOUR_INFO,
    )


def leaderboard(t: Translate, m: Mission, board: Sequence[Contributor]) -> Message:
    if not board:
        return Message(t("missions.leaderboard.empty", name=m.name))
    lines = [
        t(
            "missions.leaderboard.line",
            rank=rank,
            user=mention(c.user),
            amount=c.amount,
            unit=m.unit,
        )
        for rank, c in enumerate(board, start=1)
    ]
    return Message(
        "\n".join(lines), title=t("missions.leaderboard.title", name=m.name, unit=m.unit)
    )


def contributed(
    t: Translate, m: Mission, contribution_id: int, amount: int, total: int, window: str
) -> Message:
    text = t(
        "missions.contribute.done",
        amount=amount,
        unit=m.unit,
        name=m.name,
        total=total,
        target=m.target,
        id=contribution_id,
        window=window,
    )
    button = Button(t("missions.contribute.undo_button"), "missions.undo", str(contribution_id))
    return Message(text, buttons=(button,))


def undone(t: Translate, m: Mission, c: Contribution, total: int) -> Message:
    return Message(
        t(
            "missions.undo.done",
            amount=c.amount,
            unit=m.unit,
            name=m.name,
            total=total,
            target=m.target,
        )
    )
