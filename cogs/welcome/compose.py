"""Building the welcome cog's messages from what the cog decided (no I/O here).

A channel welcome is kept as a small "body" (text, fields, mentions, footer) in the
database, so that a wave can re-render exactly what was posted plus the wave list.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any

from bot.messages import COLOUR_INFO, Button, Field, Message, channel_mention, mention
from bot.text import truncate
from cogs.welcome.logic import waved_names
from cogs.welcome.store import Step

Translate = Callable[..., str]

#: Discord's limit for one embed field's value; the strictest of the platforms.
FIELD_LIMIT = 1024


def step_lines(t: Translate, steps: Sequence[Step], done: Collection[int] | None = None) -> str:
    """Numbered steps. Without ``done``: as the welcome shows them; with it: ✅/⬜ progress."""
    lines = []
    for number, step in enumerate(steps, start=1):
        if done is None:
            lines.append(f"{number}. {step.text}")
        elif step.id in done:
            lines.append(t("welcome.progress.done", number=number, text=step.text))
        elif step.channel:
            channel = channel_mention(step.channel)
            lines.append(
                t("welcome.progress.todo_channel", number=number, text=step.text, channel=channel)
            )
        else:
            lines.append(t("welcome.progress.todo_manual", number=number, text=step.text))
    return truncate("\n".join(lines), FIELD_LIMIT)


def moderator_step_lines(t: Translate, steps: Sequence[Step]) -> str:
    lines = []
    for number, step in enumerate(steps, start=1):
        if step.channel:
            channel = channel_mention(step.channel)
            lines.append(
                t("welcome.steps.list_channel", number=number, text=step.text, channel=channel)
            )
        else:
            lines.append(t("welcome.steps.list_manual", number=number, text=step.text))
    return "\n".join(lines)


def extra_fields(
    t: Translate, steps: Sequence[Step], terms: Sequence[str], title_key: str
) -> list[Field]:
    """The steps (under ``title_key``) and the glossary's top terms, when there are any."""
    fields = []
    if steps:
        fields.append(Field(t(title_key), step_lines(t, steps)))
    if terms:
        fields.append(Field(t("welcome.post.terms_title"), truncate(", ".join(terms), FIELD_LIMIT)))
    return fields


def welcome_body(
    t: Translate,
    text: str,
    *,
    newcomer: str,
    greeter: str | None,
    fields: Sequence[Field],
    test: bool,
) -> dict[str, Any]:
    """What the channel welcome says; only the newcomer and their greeter may be pinged
    (not the greeter on a test run: nobody is joining)."""
    if greeter is not None:
        text += "\n\n" + t("welcome.post.greeter_line", greeter=mention(greeter))
    return {
        "text": text,
        "fields": [[f.name, f.value] for f in fields],
        "mentions": [newcomer] + ([greeter] if greeter and not test else []),
        "footer": t("welcome.post.test_footer") if test else None,
    }


def post_message(t: Translate, body: dict[str, Any], wavers: Sequence[str] = ()) -> Message:
    """The channel welcome with its Wave button, and the wave list once someone waved."""
    text = body["text"]
    if wavers:
        text += "\n\n" + t("welcome.post.waved", names=waved_names(wavers))
    return Message(
        text,
        fields=tuple(Field(name, value) for name, value in body["fields"]),
        buttons=(Button(t("welcome.post.wave_button"), "welcome.wave", style="primary"),),
        colour=COLOUR_INFO,
        footer=body["footer"],
        mentions=tuple(body["mentions"]),
    )


def dm_message(
    t: Translate, text: str, *, newcomer: str, greeter: str | None, fields: Sequence[Field]
) -> Message:
    """The newcomer's direct message. The greeter is named, not pinged: it is not their DM."""
    if greeter is not None:
        text += "\n\n" + t("welcome.post.dm_greeter_line", greeter=mention(greeter))
    return Message(text, fields=tuple(fields), colour=COLOUR_INFO, mentions=(newcomer,))


def reminder_message(
    t: Translate,
    *,
    newcomer: str,
    community: str,
    steps: Sequence[Step],
    done: Collection[int],
) -> Message:
    """The one gentle reminder; lists the steps with what is still open, when something is."""
    fields: tuple[Field, ...] = ()
    if any(step.id not in done for step in steps):
        fields = (Field(t("welcome.reminder.open_title"), step_lines(t, steps, done)),)
    text = t("welcome.reminder.text", member=mention(newcomer), community=community)
    return Message(text, fields=fields, colour=COLOUR_INFO, mentions=(newcomer,))
