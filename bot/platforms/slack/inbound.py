"""Slack's inbound payloads as core events: pure functions, one per kind of payload.

Messages from bots (this one included) are ignored, and so are edits that do not
change the text (Slack sends ``message_changed`` for unfurls and thread counts).
``thread`` is ``thread_ts`` for replies in a thread; the root's own id otherwise.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.events import (
    Event,
    MemberJoined,
    MemberJoinedChannel,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
)
from bot.platforms.slack.directory import user_from_api
from bot.platforms.slack.mrkdwn import emoji_from_name, from_slack

JSON = dict[str, Any]

#: Message subtypes that are a person posting.
POSTED_SUBTYPES = {None, "thread_broadcast", "file_share", "me_message"}


def _thread(message: JSON) -> str | None:
    thread = message.get("thread_ts")
    return thread if thread and thread != message.get("ts") else None


def is_from_bot(message: JSON) -> bool:
    return bool(message.get("bot_id") or message.get("subtype") == "bot_message")


def message_event(community: str, event: JSON, at: datetime, author_name: str = "") -> Event | None:
    """A ``message`` event (any subtype) as MessagePosted, MessageEdited or MessageDeleted."""
    subtype = event.get("subtype")
    channel = str(event.get("channel") or "")
    if subtype in POSTED_SUBTYPES:
        if is_from_bot(event) or not event.get("user"):
            return None
        text, mentions = from_slack(event.get("text") or "")
        thread = _thread(event)
        return MessagePosted(
            community=community,
            at=at,
            channel=channel,
            message=event["ts"],
            author=event["user"],
            author_name=author_name,
            text=text,
            thread=thread,
            reply_to=thread,
            mentions=mentions,
        )
    if subtype == "message_changed":
        message = event.get("message") or {}
        previous = event.get("previous_message") or {}
        if is_from_bot(message) or not message.get("user"):
            return None
        if message.get("text") == previous.get("text"):
            return None
        return MessageEdited(
            community=community,
            at=at,
            channel=channel,
            message=message["ts"],
            author=message["user"],
            text=from_slack(message.get("text") or "")[0],
            thread=_thread(message),
        )
    if subtype == "message_deleted":
        previous = event.get("previous_message") or {}
        if is_from_bot(previous):
            return None
        return MessageDeleted(
            community=community,
            at=at,
            channel=channel,
            message=str(event.get("deleted_ts") or previous.get("ts") or ""),
            thread=_thread(previous),
        )
    return None


def reaction_event(community: str, event: JSON, at: datetime) -> Event | None:
    item = event.get("item") or {}
    if item.get("type") != "message":
        return None
    kind = ReactionAdded if event.get("type") == "reaction_added" else ReactionRemoved
    return kind(
        community=community,
        at=at,
        channel=item["channel"],
        message=item["ts"],
        user=event["user"],
        emoji=emoji_from_name(event.get("reaction") or ""),
        message_author=event.get("item_user"),
    )


def team_join_event(community: str, event: JSON, at: datetime) -> MemberJoined:
    user = user_from_api(event["user"])
    return MemberJoined(
        community=community, at=at, user=user.id, name=user.name, is_bot=user.is_bot
    )


def channel_join_event(community: str, event: JSON, at: datetime) -> MemberJoinedChannel:
    return MemberJoinedChannel(
        community=community,
        at=at,
        channel=event["channel"],
        user=event["user"],
        inviter=event.get("inviter"),
    )
