"""What Slack refuses in Block Kit (``invalid_blocks``): the limits of the blocks Hearth uses.

Checked on chat.postMessage, chat.postEphemeral, chat.update, views.publish and
response_url posts, so an adapter test fails where the real Slack would refuse.
"""

from __future__ import annotations

from typing import Any

from .model import JSON

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
HEADER = 150
SECTION = 3000
FIELDS = 10
FIELD = 2000
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
ACTION_ID = 255
BUTTON_VALUE = 2000


def _text_ok(text: Any, limit: int) -> bool:
    """A text object: non-blank and within ``limit`` characters."""
    value = str((text or {}).get("text") or "")
    return bool(value.strip()) and len(value) <= limit


def _block_problems(block: JSON, action_ids: list[str]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return [] if _text_ok(block.get("text"), HEADER) else ["header text"]
    if kind == "section":
        fields = block.get("fields") or []
        problems = [] if block.get("text") or fields else ["section without text or fields"]
        if block.get("text") and not _text_ok(block["text"], SECTION):
            problems.append("section text")
        if len(fields) > FIELDS or not all(_text_ok(f, FIELD) for f in fields):
            problems.append("section fields")
        return problems
    if kind == "context":
        elements = block.get("elements") or []
        texts = [e for e in elements if e.get("type") in ("mrkdwn", "plain_text")]
        ok = 0 < len(elements) <= CONTEXT_ELEMENTS and all(_text_ok(e, SECTION) for e in texts)
        return [] if ok else ["context elements"]
    if kind == "actions":
        elements = block.get("elements") or []
        problems = [] if 0 < len(elements) <= ACTIONS_ELEMENTS else ["actions elements"]
        for element in elements:
            action_ids.append(str(element.get("action_id") or ""))
            if not _text_ok(element.get("text"), BUTTON_TEXT):
                problems.append("button text")
            if len(str(element.get("value") or "")) > BUTTON_VALUE:
                problems.append("button value")
        return problems
    return []


def blocks_problems(blocks: Any, *, limit: int = MESSAGE_BLOCKS) -> list[str]:
    """Why Slack would answer ``invalid_blocks`` (empty when it would not)."""
    if not isinstance(blocks, list):
        return ["blocks is not a list"]
    problems = [f"more than {limit} blocks"] if len(blocks) > limit else []
    action_ids: list[str] = []
    for index, block in enumerate(blocks):
        problems += [f"blocks[{index}]: {p}" for p in _block_problems(block, action_ids)]
    if any(len(i) > ACTION_ID or not i for i in action_ids) or len(set(action_ids)) < len(
        action_ids
    ):
        problems.append("action_id")
    return problems
