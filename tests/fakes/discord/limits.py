"""What Discord refuses in a message body: over a limit (50035) or empty (50006).

Checked on every message the bot sends, answers an interaction with, or edits, so
an adapter test fails where the real Discord would answer 400.
"""

from __future__ import annotations

from .model import JSON, ApiError

CONTENT = 2000
EMBEDS = 10
TITLE = 256
DESCRIPTION = 4096
FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000
ALLOWED_MENTIONS = 100
ROWS = 5
PER_ROW = 5
LABEL = 80
CUSTOM_ID = 100


def _embed_problems(embed: JSON) -> list[str]:
    title = embed.get("title") or ""
    description = embed.get("description") or ""
    footer = (embed.get("footer") or {}).get("text") or ""
    fields = embed.get("fields") or []
    names = [str(f.get("name") or "") for f in fields]
    values = [str(f.get("value") or "") for f in fields]
    total = len(title) + len(description) + len(footer) + sum(map(len, names + values))
    return [
        what
        for what, bad in (
            ("title", len(title) > TITLE),
            ("description", len(description) > DESCRIPTION),
            ("footer", len(footer) > FOOTER),
            ("fields", len(fields) > FIELDS),
            ("field name", any(not n.strip() or len(n) > FIELD_NAME for n in names)),
            ("field value", any(not v.strip() or len(v) > FIELD_VALUE for v in values)),
            ("total", total > EMBED_TOTAL),
        )
        if bad
    ]


def _component_problems(rows: list[JSON]) -> list[str]:
    buttons = [c for row in rows for c in row.get("components") or []]
    ids = [str(b.get("custom_id")) for b in buttons if b.get("custom_id") is not None]
    return [
        what
        for what, bad in (
            ("rows", len(rows) > ROWS),
            ("row", any(len(row.get("components") or []) > PER_ROW for row in rows)),
            ("label", any(len(str(b.get("label") or "")) > LABEL for b in buttons)),
            ("custom_id", any(len(i) > CUSTOM_ID for i in ids) or len(set(ids)) < len(ids)),
        )
        if bad
    ]


def check_message(body: JSON, files: list[JSON], *, partial: bool = False) -> None:
    """Raise Discord's 400 for ``body``; ``partial`` (edits, deferrals) may leave out parts."""
    content = body.get("content") or ""
    embeds = body.get("embeds") or []
    allowed = body.get("allowed_mentions") or {}
    problems = ["content"] if len(content) > CONTENT else []
    if len(embeds) > EMBEDS:
        problems.append("embeds")
    for index, embed in enumerate(embeds):
        problems += [f"embeds.{index}.{what}" for what in _embed_problems(embed)]
    for kind in ("users", "roles"):
        if len(allowed.get(kind) or []) > ALLOWED_MENTIONS:
            problems.append(f"allowed_mentions.{kind}")
    problems += [f"components.{what}" for what in _component_problems(body.get("components") or [])]
    if problems:
        raise ApiError(400, 50035, f"Invalid Form Body ({', '.join(problems)})")
    if not partial and not (content.strip() or embeds or files or body.get("sticker_ids")):
        raise ApiError(400, 50006, "Cannot send an empty message")
