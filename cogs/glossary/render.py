"""The glossary's messages: pure functions from entries and counts to neutral Messages.

``t`` is the catalog lookup (``cog.t``); ``day`` turns an instant into the community's
local date. Names of people are written as ``<@id>`` and never listed in ``mentions``:
they show as names and ping nobody.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.messages import COLOUR_INFO, COLOUR_WARNING, Button, Field, Message, mention
from bot.text import isolate, truncate
from bot.timeutil import format_duration
from cogs.glossary.model import JOKE, Entry, Report
from cogs.glossary.settings import GlossarySettings
from cogs.glossary.store import Usage
from cogs.glossary.store_phrases import FirstUse

T = Callable[..., str]
Day = Callable[[datetime], str]

FIELD_LIMIT = 1024  # Discord's limit for one field's value
MAX_FIELDS = 25


def _icon(entry: Entry) -> str:
    return "😄" if entry.kind == JOKE else "📖"


def entry_message(
    t: T, entry: Entry, usage: Usage | None, day: Day, buttons: tuple[Button, ...] = ()
) -> Message:
    """The whole entry: /glossary define, /glossary origin, and "show to channel"."""
    fields = []
    if entry.aliases:
        fields.append(Field(t("glossary.entry.aliases"), ", ".join(entry.aliases)))
    if entry.origin:
        fields.append(Field(t("glossary.entry.origin"), truncate(entry.origin, FIELD_LIMIT)))
    if entry.first_said:
        fields.append(Field(t("glossary.entry.first_said"), entry.first_said))
    author = mention(entry.author) if entry.author else t("glossary.entry.someone")
    fields.append(
        Field(
            t("glossary.entry.added"),
            t("glossary.entry.added_by", author=author, day=day(entry.created_at)),
            inline=True,
        )
    )
    if usage is not None:
        fields.append(Field(t("glossary.entry.usage"), _usage(t, usage, day), inline=True))
    return Message(
        entry.definition,
        title=f"{_icon(entry)} {entry.name}",
        fields=tuple(fields),
        colour=COLOUR_INFO,
        buttons=buttons,
    )


def _usage(t: T, usage: Usage, day: Day) -> str:
    if not usage.uses or usage.first_used_at is None or usage.last_used_at is None:
        return t("glossary.entry.unused")
    text = t(
        "glossary.entry.used",
        uses=usage.uses,
        first=day(usage.first_used_at),
        last=day(usage.last_used_at),
    )
    if usage.top_people:
        people = ", ".join(mention(user) for user, _ in usage.top_people)
        text += "\n" + t("glossary.entry.most_by", people=people)
    return text


def origin_message(t: T, entry: Entry, day: Day) -> Message:
    if entry.origin:
        story = entry.origin
    else:
        story = t("glossary.origin.none", name=entry.name)
    fields = [Field(t("glossary.entry.definition"), truncate(entry.definition, FIELD_LIMIT))]
    if entry.first_said:
        fields.append(Field(t("glossary.entry.first_said"), entry.first_said))
    author = mention(entry.author) if entry.author else t("glossary.entry.someone")
    fields.append(
        Field(
            t("glossary.entry.added"),
            t("glossary.entry.added_by", author=author, day=day(entry.created_at)),
        )
    )
    return Message(
        story,
        title=t("glossary.origin.title", name=entry.name),
        fields=tuple(fields),
        colour=COLOUR_INFO,
    )


def explain_message(t: T, entries: Sequence[Entry]) -> Message:
    shown = entries[:MAX_FIELDS]
    fields = tuple(
        Field(f"{_icon(e)} {e.name}", truncate(e.definition, FIELD_LIMIT)) for e in shown
    )
    more = len(entries) - len(shown)
    return Message(
        title=t("glossary.explain.title", count=len(entries)),
        fields=fields,
        colour=COLOUR_INFO,
        footer=t("glossary.explain.more", count=more) if more else None,
    )


def footnote(t: T, entries: Sequence[Entry]) -> Message:
    lines = [
        t("glossary.footnote.line", icon=_icon(e), name=e.name, text=truncate(e.definition, 160))
        for e in entries
    ]
    return Message("\n".join([*lines, t("glossary.footnote.hint")]))


def short_lines(t: T, entries: Sequence[Entry], width: int = 90) -> str:
    return "\n".join(
        t("glossary.list.line", icon=_icon(e), name=e.name, text=truncate(e.definition, width))
        for e in entries
    )


def list_message(t: T, entries: Sequence[Entry], page: int, pages: int, total: int) -> Message:
    return Message(
        short_lines(t, entries),
        title=t("glossary.list.title", count=total),
        footer=t("glossary.list.page", page=page, pages=pages) if pages > 1 else None,
        colour=COLOUR_INFO,
    )


def top_message(t: T, rows: Sequence[tuple[Entry, int]], period: str) -> Message:
    lines = [
        t("glossary.top.line", rank=rank, icon=_icon(e), name=e.name, uses=uses)
        for rank, (e, uses) in enumerate(rows, 1)
    ]
    return Message("\n".join(lines), title=t(f"glossary.top.title_{period}"), colour=COLOUR_INFO)


def new_message(t: T, entries: Sequence[Entry], day: Day) -> Message:
    lines = [
        t(
            "glossary.new.line",
            icon=_icon(e),
            name=e.name,
            day=day(e.created_at),
            text=truncate(e.definition, 80),
        )
        for e in entries
    ]
    return Message("\n".join(lines), title=t("glossary.new.title"), colour=COLOUR_INFO)


def suggestions_message(
    t: T,
    items: Sequence[tuple[str, int, int, FirstUse | None]],
    link: Callable[[FirstUse], str | None],
    day: Day,
    weekly: bool,
) -> Message:
    """Emerging phrases with counts, people and the first message, and a row of buttons
    each ("Add as joke", "Add as term", "Ignore") that carry the phrase."""
    fields = []
    buttons: list[Button] = []
    for phrase, uses, people, first in items:
        form = first.form if first else phrase
        lines = [t("glossary.emerging.counts", uses=uses, people=people)]
        if first is not None and first.channel is not None:
            where = link(first) or t("glossary.emerging.in_channel", channel=first.channel)
            who = mention(first.user) if first.user else t("glossary.entry.someone")
            lines.append(t("glossary.emerging.first", who=who, day=day(first.at), link=where))
        fields.append(Field(f"“{form}”", "\n".join(lines)))
        label = truncate(form, 40)
        buttons += [
            Button(t("glossary.emerging.add_joke", phrase=label), "glossary.add_joke", phrase),
            Button(t("glossary.emerging.add_term", phrase=label), "glossary.add_term", phrase),
            Button(t("glossary.emerging.ignore", phrase=label), "glossary.ignore", phrase),
        ]
    return Message(
        t("glossary.emerging.weekly_intro" if weekly else "glossary.emerging.intro"),
        title=t("glossary.emerging.title"),
        fields=tuple(fields),
        buttons=tuple(buttons),
        colour=COLOUR_INFO,
    )


def settings_message(t: T, s: GlossarySettings, emerging_to: str) -> Message:
    off = t("glossary.settings.off")
    who = t(f"glossary.settings.who_{s.who_can_add}", days=s.min_days)
    fields = (
        Field(t("glossary.settings.who_can_add"), who),
        Field(
            t("glossary.settings.newcomer_help"),
            t("glossary.settings.footnotes", every=format_duration(s.footnote_every))
            if s.newcomer_help
            else off,
        ),
        Field(
            t("glossary.settings.emerging"),
            t(
                "glossary.settings.emerging_on",
                people=s.emerging_people,
                window=format_duration(s.emerging_window),
                where=emerging_to,
            )
            if s.emerging
            else off,
        ),
        Field(t("glossary.settings.languages"), ", ".join(s.languages)),
    )
    return Message(title=t("glossary.settings.title"), fields=fields, colour=COLOUR_INFO)


def reports_message(t: T, reports: Sequence[Report], shown: int, day: Day) -> Message:
    """Open reports for moderators, oldest first. Reporters are named, never pinged."""
    lines = [
        t(
            "glossary.reports.line",
            name=r.name,
            reason=isolate(truncate(" ".join(r.reason.split()), 200)),
            who=mention(r.reporter),
            day=day(r.reported_at),
        )
        for r in reports[:shown]
    ]
    more = len(reports) - shown
    return Message(
        "\n".join(lines),
        title=t("glossary.reports.title", count=len(reports)),
        footer=t("glossary.reports.more", count=more) if more > 0 else t("glossary.reports.hint"),
        colour=COLOUR_WARNING,
    )
