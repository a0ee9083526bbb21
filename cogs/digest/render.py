"""The digest's messages: the weekly digest, the nudges, the moderators' note, settings.

Pure functions of the figures and a ``t`` (the catalog). Nothing here pings anyone: the
digest names people without listing them in ``mentions``; a nudge lists only the person
it is addressed to. Text people wrote (kudos reasons, questions, names) is truncated on
grapheme boundaries and, when it runs right to left, wrapped in a bidi isolate so that it
cannot reorder the English sentence around it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.messages import COLOUR_INFO, COLOUR_WARNING, Attachment, Field, Message, mention
from bot.text import isolate, sort_key, truncate
from bot.timeutil import format_duration
from cogs.digest.chart import PALETTE, Series, bar_chart
from cogs.digest.collect import ChartData, Figures, Waiting
from cogs.digest.nudges import Hook, MissionView, ReportedEntry, ending_soon

Translate = Callable[..., str]

NAME_SHOWN = 60
REASON_SHOWN = 100
EXCERPT_SHOWN = 120
REPORTS_SHOWN = 10
CHART_FILE = "digest-activity.png"


def quoted(text: str, limit: int) -> str:
    return f"“{isolate(truncate(' '.join(text.split()), limit))}”"


def percent(done: int, of: int) -> int:
    return 0 if of <= 0 else int(100 * done / of)


def _left(deadline: datetime, now: datetime) -> str:
    return format_duration(max(timedelta(0), deadline - now))


# --- the weekly digest ---------------------------------------------------------------------


def digest(t: Translate, f: Figures, zone: ZoneInfo, *, with_chart: bool) -> Message:
    first = f.since.astimezone(zone)
    last = (f.until - timedelta(hours=12)).astimezone(zone)  # the last full day
    fields = [Field(t("digest.people.name"), people(t, f))]
    if f.questions is not None:
        fields.append(Field(t("digest.questions.name"), questions(t, f)))
    if f.missions is not None:
        fields.append(Field(t("digest.missions.name"), missions(t, f.missions, f.now)))
    if f.glossary is not None:
        fields.append(Field(t("digest.glossary.name"), glossary(t, f)))
    if f.thanked is not None:
        fields.append(Field(t("digest.thanked.name"), thanked(t, f)))
    if f.action is not None:
        fields.append(Field(t("digest.action.name"), action(t, f)))
    title = (
        t("digest.week.title", community=isolate(truncate(f.community_name, NAME_SHOWN)))
        if f.community_name
        else t("digest.week.title_plain")
    )
    attachments: tuple[Attachment, ...] = ()
    footer = None
    if with_chart:
        attachments = (
            Attachment(CHART_FILE, chart_png(f.chart), t("digest.week.chart_description")),
        )
        has_answers = f.chart.answered is not None
        footer = t("digest.week.chart_note" if has_answers else "digest.week.chart_note_active")
    return Message(
        t("digest.week.span", first=f"{first:%a %d %b}", last=f"{last:%a %d %b %Y}"),
        title=title,
        fields=tuple(fields),
        colour=COLOUR_INFO,
        footer=footer,
        attachments=attachments,
    )


def chart_png(chart: ChartData) -> bytes:
    series = [Series(chart.active, PALETTE[0])]
    if chart.answered is not None:
        series.append(Series(chart.answered, PALETTE[1]))
    return bar_chart(chart.labels, series)


def people(t: Translate, f: Figures) -> str:
    joined, posted = f.new_members.joined, f.new_members.posted
    if joined == 0:
        first = t("digest.people.joined_none")
    elif joined == 1:
        first = t("digest.people.joined_one" if posted else "digest.people.joined_one_quiet")
    else:
        first = t(
            "digest.people.joined", joined=joined, posted=posted, share=percent(posted, joined)
        )
    if f.active == 0:
        second = t("digest.people.active_none")
    elif f.active == 1:
        second = t("digest.people.active_one")
    else:
        second = t("digest.people.active", active=f.active)
    return f"{first}\n{second}"


def questions(t: Translate, f: Figures) -> str:
    q = f.questions
    if q is None or q.asked == 0:
        return t("digest.questions.none")
    text = t("digest.questions.figures", asked=q.asked, answered=q.answered)
    if q.median is not None and q.median < timedelta(minutes=1):
        text += "\n" + t("digest.questions.median_quick")
    elif q.median is not None:
        text += "\n" + t("digest.questions.median", median=format_duration(q.median))
    return text


def mission_line(t: Translate, key: str, m: MissionView, now: datetime) -> str:
    return t(
        key,
        name=isolate(truncate(m.name, NAME_SHOWN)),
        total=m.total,
        target=m.target,
        unit=m.unit,
        percent=percent(m.total, m.target),
        left=_left(m.deadline, now),
    )


def missions(t: Translate, found: Sequence[MissionView], now: datetime) -> str:
    if not found:
        return t("digest.missions.none")
    lines = []
    for m in sorted(found, key=lambda m: (m.deadline, sort_key(m.name))):
        line = mission_line(t, "digest.missions.line", m, now)
        if ending_soon(m, now):
            line += " " + t("digest.missions.ending")
        lines.append(line)
    return "\n".join(lines)


def glossary(t: Translate, f: Figures) -> str:
    g = f.glossary
    if g is None:
        return ""
    lines = []
    if g.new:
        names = ", ".join(quoted(n, NAME_SHOWN) for n in sorted(g.new, key=sort_key))
        lines.append(t("digest.glossary.new", names=names))
    else:
        lines.append(t("digest.glossary.none"))
    if g.emerging:
        phrases = ", ".join(quoted(p, NAME_SHOWN) for p in g.emerging)
        lines.append(t("digest.glossary.emerging", phrases=phrases))
    return "\n".join(lines)


def thanked(t: Translate, f: Figures) -> str:
    if not f.thanked:
        return t("digest.thanked.none")
    lines = []
    for person in f.thanked:
        if person.reason.strip():
            lines.append(
                t(
                    "digest.thanked.line",
                    person=mention(person.user),
                    count=person.count,
                    reason=quoted(person.reason, REASON_SHOWN),
                )
            )
        else:
            lines.append(
                t("digest.thanked.line_bare", person=mention(person.user), count=person.count)
            )
    return "\n".join(lines)


def action(t: Translate, f: Figures) -> str:
    a = f.action
    if a is not None and a.question is not None:
        return waiting_line(t, "digest.action.question", a.question, f.now)
    if a is not None and a.mission is not None:
        return mission_line(t, "digest.action.mission", a.mission, f.now)
    return ""


def waiting_line(t: Translate, key: str, w: Waiting, now: datetime) -> str:
    params = {
        "excerpt": quoted(w.excerpt, EXCERPT_SHOWN),
        "waited": format_duration(now - w.asked_at),
    }
    if w.link:
        return t(key + "_link", link=w.link, **params)
    return t(key, **params)


# --- nudges to members ------------------------------------------------------------------------


def newcomer_nudge(t: Translate, user: str, community: str, channel: str | None) -> Message:
    invite = (
        t("digest.nudge.newcomer_channel", channel=f"<#{channel}>")
        if channel
        else t("digest.nudge.newcomer_general")
    )
    lines = [
        t("digest.nudge.newcomer", member=mention(user), community=community),
        invite,
        "",
        t("digest.nudge.stop", community=community),
    ]
    return Message("\n".join(lines), mentions=(user,))


def reengage_nudge(t: Translate, user: str, community: str, hook: Hook | None) -> Message:
    if hook is None:
        middle = t("digest.nudge.hook_none")
    elif hook.kind == "mission":
        middle = t("digest.nudge.hook_mission", name=isolate(truncate(hook.text, NAME_SHOWN)))
    elif hook.kind == "question":
        excerpt = quoted(hook.text, EXCERPT_SHOWN)
        middle = (
            t("digest.nudge.hook_question_link", excerpt=excerpt, link=hook.link)
            if hook.link
            else t("digest.nudge.hook_question", excerpt=excerpt)
        )
    else:
        middle = t("digest.nudge.hook_term", term=quoted(hook.text, NAME_SHOWN))
    lines = [
        t("digest.nudge.reengage", member=mention(user), community=community),
        middle,
        "",
        t("digest.nudge.stop", community=community),
    ]
    return Message("\n".join(lines), mentions=(user,))


# --- the moderators' note ---------------------------------------------------------------------


def moderator_note(
    t: Translate,
    questions: Sequence[Waiting],
    missions: Sequence[MissionView],
    reported: Sequence[ReportedEntry],
    now: datetime,
) -> Message:
    lines: list[str] = []
    if questions:
        lines.append(t("digest.moderators.questions"))
        lines.extend(waiting_line(t, "digest.moderators.question", q, now) for q in questions)
    if missions:
        if lines:
            lines.append("")
        lines.append(t("digest.moderators.missions"))
        lines.extend(mission_line(t, "digest.moderators.mission", m, now) for m in missions)
    if reported:
        if lines:
            lines.append("")
        lines.append(t("digest.moderators.reports"))
        lines.extend(report_line(t, r) for r in reported[:REPORTS_SHOWN])
        if len(reported) > REPORTS_SHOWN:
            lines.append(t("digest.moderators.reports_more", count=len(reported) - REPORTS_SHOWN))
        lines.append(t("digest.moderators.reports_hint"))
    return Message("\n".join(lines), title=t("digest.moderators.title"), colour=COLOUR_WARNING)


def report_line(t: Translate, r: ReportedEntry) -> str:
    params = {
        "name": isolate(truncate(r.name, NAME_SHOWN)),
        "reason": quoted(r.reason, REASON_SHOWN),
    }
    if r.reports > 1:
        return t("digest.moderators.report_more", more=r.reports - 1, **params)
    return t("digest.moderators.report", **params)
