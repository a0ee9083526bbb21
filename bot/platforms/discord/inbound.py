"""Discord's gateway events as core events: one pure function per kind of event.

| Discord                               | core                                   |
|---------------------------------------|----------------------------------------|
| member join (not pending)             | MemberJoined                           |
| member update, pending → not pending  | MemberJoined (after screening)         |
| raw member remove                     | MemberLeft                             |
| message (people only, not bots)       | MessagePosted                          |
| raw message edit / delete             | MessageEdited / MessageDeleted         |
| raw reaction add / remove             | ReactionAdded / ReactionRemoved        |

In a thread (or forum post) ``channel`` is the parent and ``thread`` the thread
(reactions, which have no ``thread``, name the thread as their ``channel``);
a forum post's first message (its id is the thread's) ``starts_thread``. Direct
messages have no community and are not translated. Interactions are handled in
``adapter.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import discord

from bot.events import (
    MemberJoined,
    MemberLeft,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
)
from bot.platforms.discord.actions import community_of

#: Message types that are a person writing (not joins, pins, boosts or commands).
PEOPLE_TYPES = (discord.MessageType.default, discord.MessageType.reply)


def place(channel: Any, channel_id: int) -> tuple[str, str | None]:
    """(channel, thread) for a message's channel: a thread's parent and the thread."""
    if isinstance(channel, discord.Thread):
        return str(channel.parent_id), str(channel.id)
    return str(channel_id), None


def member_joined(member: discord.Member, at: datetime) -> MemberJoined:
    return MemberJoined(
        community=community_of(member.guild.id),
        at=at,
        user=str(member.id),
        name=member.display_name,
        is_bot=member.bot,
    )


def member_left(payload: discord.RawMemberRemoveEvent, at: datetime) -> MemberLeft:
    return MemberLeft(community=community_of(payload.guild_id), at=at, user=str(payload.user.id))


def message_posted(message: discord.Message, at: datetime) -> MessagePosted | None:
    if message.guild is None or message.author.bot or message.type not in PEOPLE_TYPES:
        return None
    channel, thread = place(message.channel, message.channel.id)
    reply_to = None
    if message.type is discord.MessageType.reply and message.reference is not None:
        reply_to = str(message.reference.message_id) if message.reference.message_id else None
    return MessagePosted(
        community=community_of(message.guild.id),
        at=at,
        channel=channel,
        message=str(message.id),
        author=str(message.author.id),
        author_name=message.author.display_name,
        text=message.content,
        thread=thread,
        reply_to=reply_to,
        starts_thread=thread is not None and thread == str(message.id),
        mentions=tuple(dict.fromkeys(str(user.id) for user in message.mentions)),
    )


def message_edited(
    payload: discord.RawMessageUpdateEvent, channel: Any, at: datetime
) -> MessageEdited | None:
    data = payload.data
    author = data.get("author") or {}
    if payload.guild_id is None or "content" not in data or not author or author.get("bot"):
        return None
    where, thread = place(channel, payload.channel_id)
    return MessageEdited(
        community=community_of(payload.guild_id),
        at=at,
        channel=where,
        message=str(payload.message_id),
        author=str(author["id"]),
        text=data.get("content") or "",
        thread=thread,
    )


def message_deleted(
    payload: discord.RawMessageDeleteEvent, channel: Any, at: datetime
) -> MessageDeleted | None:
    if payload.guild_id is None:
        return None
    where, thread = place(channel, payload.channel_id)
    return MessageDeleted(
        community=community_of(payload.guild_id),
        at=at,
        channel=where,
        message=str(payload.message_id),
        thread=thread,
    )


def reaction(
    payload: discord.RawReactionActionEvent, at: datetime, me: int
) -> ReactionAdded | ReactionRemoved | None:
    """A reaction by a person (not by this bot or another bot) on any message, cached or not.

    Reaction events have no ``thread``, so ``channel`` is where the message lives (the
    thread, for a message in one): that is what a ``MessageRef`` to react or reply needs.
    """
    if payload.guild_id is None or payload.user_id == me:
        return None
    if payload.member is not None and payload.member.bot:
        return None
    kind = ReactionAdded if payload.event_type == "REACTION_ADD" else ReactionRemoved
    author = payload.message_author_id
    return kind(
        community=community_of(payload.guild_id),
        at=at,
        channel=str(payload.channel_id),
        message=str(payload.message_id),
        user=str(payload.user_id),
        emoji=str(payload.emoji),
        message_author=str(author) if author is not None else None,
    )
