"""The neutral ``Message`` as Discord message parts (content, embed, buttons), within limits.

Placement: ``text`` goes in the message content when the message must ping someone
(mentions only notify from the content) or has nothing that needs an embed;
otherwise it is the embed's description. Title, fields, progress bar, colour and
footer make the embed. Long content is split into several messages (never inside a
word, a mention or a multi-byte character: ``bot.text.split_text``); fields beyond
25 per embed or 6,000 characters per embed continue in another embed. Buttons and
attachments travel with the last part. ``single=True`` (edits, which change one
message) truncates instead of splitting.

Nothing here decides who may be pinged: see ``allowed_mentions``. Discord counts
characters as code points, which is what ``len`` and ``bot.text`` measure.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field, replace

import discord

from bot.messages import Attachment, Button, Field, Message
from bot.text import split_text, truncate

log = logging.getLogger(__name__)

CONTENT = 2000
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000
BUTTON_LABEL = 80
BUTTONS_PER_ROW = 5
BUTTON_ROWS = 5
#: Discord refuses a message whose ``allowed_mentions`` lists more users (or roles).
MENTIONS_PER_KIND = 100
#: Discord refuses empty field names and values; a zero-width space stands in.
BLANK = "\u200b"

#: ``<@id>``, ``<@!id>`` and ``<@&id>`` (a role: group 1 is ``&``) in content.
_MENTION = re.compile(r"<@(&|!?)(\d+)>")

_STYLES = {
    "primary": discord.ButtonStyle.primary,
    "secondary": discord.ButtonStyle.secondary,
    "success": discord.ButtonStyle.success,
    "danger": discord.ButtonStyle.danger,
}


@dataclass(frozen=True)
class EmbedSpec:
    """One embed, already within Discord's limits."""

    title: str | None = None
    description: str | None = None
    fields: tuple[Field, ...] = ()
    colour: int | None = None
    footer: str | None = None

    @property
    def size(self) -> int:
        """What Discord counts towards the 6,000 characters of an embed."""
        parts = [self.title, self.description, self.footer]
        names = sum(len(f.name) + len(f.value) for f in self.fields)
        return names + sum(len(p) for p in parts if p)

    @property
    def is_empty(self) -> bool:
        """Nothing to show: a colour alone is an empty box, which Discord may refuse."""
        return not (self.title or self.description or self.fields or self.footer)

    def to_discord(self) -> discord.Embed:
        embed = discord.Embed(title=self.title, description=self.description, colour=self.colour)
        for item in self.fields:
            embed.add_field(name=item.name, value=item.value, inline=item.inline)
        if self.footer:
            embed.set_footer(text=self.footer)
        return embed


@dataclass(frozen=True)
class Part:
    """One Discord message: content and/or one embed, plus buttons and files."""

    content: str | None = None
    embed: EmbedSpec | None = None
    buttons: tuple[Button, ...] = ()
    attachments: tuple[Attachment, ...] = field(default=(), repr=False)

    @property
    def is_empty(self) -> bool:
        return not (self.content or self.embed or self.buttons or self.attachments)

    def embeds(self) -> list[discord.Embed]:
        return [] if self.embed is None else [self.embed.to_discord()]

    def files(self) -> list[discord.File]:
        return [
            discord.File(io.BytesIO(a.data), a.filename, description=a.description or None)
            for a in self.attachments
        ]


def needs_embed(message: Message) -> bool:
    return bool(
        message.title
        or message.fields
        or message.progress is not None
        or message.footer
        or message.colour is not None
    )


def text_in_content(message: Message) -> bool:
    """Whether ``text`` goes in the content (pings work only there) or in the embed."""
    return not needs_embed(message) or bool(message.mentions or message.role_mentions)


def _field(item: Field) -> Field:
    name = truncate(item.name.strip(), FIELD_NAME) or BLANK
    value = truncate(item.value.strip(), FIELD_VALUE) or BLANK
    return Field(name, value, item.inline)


def _description(message: Message, single: bool) -> tuple[str | None, str]:
    """The embed description and any text that did not fit there (for the content)."""
    text = "" if text_in_content(message) else message.text.strip()
    bar = message.progress.bar() if message.progress is not None else ""
    joined = "\n\n".join(p for p in (text, bar) if p)
    if len(joined) <= DESCRIPTION:
        return joined or None, ""
    if single:
        room = DESCRIPTION - len(bar) - 2 if bar else DESCRIPTION
        return "\n\n".join(p for p in (truncate(text, room), bar) if p), ""
    return bar or None, text  # too long for an embed: the text goes in split content


def embeds_for(message: Message, *, single: bool = False) -> tuple[list[EmbedSpec], str]:
    """The embeds of ``message`` (one when ``single``) and text that moves to the content."""
    if not needs_embed(message):
        return [], ""
    title = truncate(message.title.strip(), TITLE) if message.title else None
    footer = truncate(message.footer.strip(), FOOTER) if message.footer else None
    reserve = len(footer or "")
    description, overflow = _description(message, single)
    if description and len(description) + len(title or "") + reserve > EMBED_TOTAL:
        description = truncate(description, EMBED_TOTAL - len(title or "") - reserve)
    embeds: list[EmbedSpec] = []
    current = EmbedSpec(title=title, description=description, colour=message.colour)
    for item in map(_field, message.fields):
        item_size = len(item.name) + len(item.value)
        if len(current.fields) >= FIELDS or current.size + item_size + reserve > EMBED_TOTAL:
            if single:
                break
            embeds.append(current)
            current = EmbedSpec(colour=message.colour)
        current = replace(current, fields=(*current.fields, item))
    embeds.append(replace(current, footer=footer))
    return [e for e in embeds if not e.is_empty], overflow


#: Code blocks and code spans: markdown (masked links too) is not rendered inside them.
_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.DOTALL)
#: The opening bracket of a masked link, ``[text](destination)``.
_MASKED_LINK = re.compile(r"(?<!\\)\[(?=[^\[\]]*\]\()")


def unmask_links(text: str) -> str:
    """``[text](https://elsewhere)`` shown as typed, not as a link labelled ``text``: the
    bracket is escaped, so Discord shows the real destination (Hearth's own strings use
    no masked links, so every one is text a person supplied)."""
    if "](" not in text:
        return text
    pieces = _CODE.split(text)
    for index in range(0, len(pieces), 2):  # even pieces are outside code
        pieces[index] = _MASKED_LINK.sub(r"\\[", pieces[index])
    return "".join(pieces)


def _without_masked_links(message: Message) -> Message:
    fields = tuple(replace(f, value=unmask_links(f.value)) for f in message.fields)
    return replace(message, text=unmask_links(message.text), fields=fields)


def render(message: Message, *, single: bool = False) -> list[Part]:
    """``message`` as the Discord messages to send, in order (exactly one when ``single``)."""
    message = _without_masked_links(message)
    embeds, overflow = embeds_for(message, single=single)
    text = message.text.strip() if text_in_content(message) else overflow
    if single:
        content = truncate(text, CONTENT) if text else None
        part = Part(content, embeds[0] if embeds else None, message.buttons, message.attachments)
        return [part]
    chunks: list[str | None] = list(split_text(text, CONTENT)) if text else []
    parts: list[Part] = [Part(content=chunk) for chunk in chunks[:-1]]
    last_content = chunks[-1] if chunks else None
    if embeds:
        parts.append(Part(content=last_content, embed=embeds[0]))
        parts.extend(Part(embed=embed) for embed in embeds[1:])
    else:
        parts.append(Part(content=last_content))
    last = parts[-1]
    parts[-1] = Part(last.content, last.embed, message.buttons, message.attachments)
    return [p for p in parts if not p.is_empty]


def allowed_mentions(message: Message, content: str | None) -> discord.AllowedMentions:
    """Only the users and roles the cog listed may be pinged: never @everyone, @here,
    other roles or users that appear in text people wrote.

    Only ids written in this part's ``content`` are listed (nothing else can ping), and
    at most ``MENTIONS_PER_KIND`` of each kind: Discord refuses the whole message past
    that, and a long message split in parts names different people in each."""
    written = _MENTION.findall(content or "")
    users_written = {ident for kind, ident in written if kind != "&"}
    roles_written = {ident for kind, ident in written if kind == "&"}
    users = [u for u in dict.fromkeys(message.mentions) if u in users_written]
    roles = [r for r in dict.fromkeys(message.role_mentions) if r in roles_written]
    allowed = discord.AllowedMentions.none()
    if users:
        allowed.users = [discord.Object(int(u)) for u in users[:MENTIONS_PER_KIND]]
    if roles:
        allowed.roles = [discord.Object(int(r)) for r in roles[:MENTIONS_PER_KIND]]
    return allowed


class ButtonsView(discord.ui.View):
    """The buttons of a rendered message, with custom ids the adapter made.

    It is never stored in discord.py's view store (``is_finished`` is always true):
    the adapter handles every press in ``on_interaction`` from the custom id alone,
    so memory stays flat and buttons on messages sent before a restart still work.
    """

    def __init__(self, buttons: list[tuple[Button, str]]) -> None:
        super().__init__(timeout=None)
        room = BUTTONS_PER_ROW * BUTTON_ROWS
        if len(buttons) > room:
            dropped = ", ".join(f"{b.action}={b.value}" for b, _ in buttons[room:])
            log.warning("a message holds at most %d buttons; left out: %s", room, dropped)
        for index, (button, custom_id) in enumerate(buttons[:room]):
            self.add_item(
                discord.ui.Button(
                    label=truncate(button.label, BUTTON_LABEL) or BLANK,
                    custom_id=custom_id,
                    style=_STYLES.get(button.style, discord.ButtonStyle.secondary),
                    row=index // BUTTONS_PER_ROW,
                )
            )

    def is_finished(self) -> bool:
        return True

    def is_dispatchable(self) -> bool:
        return False
