"""Platform-neutral events.

Adapters build core events from native payloads; cogs emit domain events for
each other (missions count answered questions, recognition credits helpers).
Every event names its community and carries the time it happened (UTC, aware).
Ids are the platform's own ids as strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.messages import MessageRef


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    community: str
    at: datetime
    #: The platform's identity of this delivery (Slack's ``event_id``; on Discord the
    #: gateway session and sequence number): a second event with the same id and kind is
    #: a redelivery, and the core drops it. None: not deduplicated (domain events).
    event_id: str | None = None


# --- Core events (built by adapters) -------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class PostDelivered(Event):
    """A post from the core outbox is out (``bot.outbox``); the cog that queued it under
    (``kind``, ``key``) may keep its ``ref`` to edit, pin or delete it later."""

    cog: str
    kind: str
    key: str
    ref: MessageRef


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberJoined(Event):
    user: str
    name: str
    is_bot: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberLeft(Event):
    user: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberJoinedChannel(Event):
    """Someone joined a channel (Slack ``member_joined_channel``): for per-channel welcomes."""

    channel: str
    user: str
    inviter: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessagePosted(Event):
    """A message in a channel or thread.

    ``thread`` is the id of the thread's root (on Discord the thread id, which is
    the id of the message that started it; on Slack ``thread_ts``); ``channel`` is
    always the parent channel. ``reply_to`` is the message this one replies to
    (Discord replies, Slack/playground thread replies: the root). ``starts_thread``
    marks a message that opens a thread, such as a forum post.
    """

    channel: str
    message: str
    author: str
    text: str
    author_name: str = ""
    thread: str | None = None
    reply_to: str | None = None
    starts_thread: bool = False
    mentions: tuple[str, ...] = ()
    author_is_bot: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageEdited(Event):
    channel: str
    message: str
    author: str
    text: str
    thread: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class MessageDeleted(Event):
    channel: str
    message: str
    thread: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionAdded(Event):
    channel: str
    message: str
    user: str
    emoji: str
    message_author: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReactionRemoved(Event):
    channel: str
    message: str
    user: str
    emoji: str
    message_author: str | None = None


# --- Domain events (emitted by cogs, for other cogs) ----------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class NewcomerGreeted(Event):
    """``greeter`` greeted ``newcomer`` (a wave, a reply to the welcome or to them, a
    mention) soon after the welcome, and the newcomer stayed past the welcome's removal
    window; once per pair, at the time of the greeting. Being assigned earns nothing."""

    newcomer: str
    greeter: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionAsked(Event):
    question: str
    channel: str
    message: str
    asker: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionAnswered(Event):
    """First response by someone other than the asker."""

    question: str
    channel: str
    asker: str
    responder: str
    response_seconds: float


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionSolved(Event):
    """``helper`` is the person whose answer solved it, when known (accepted answer)."""

    question: str
    channel: str
    asker: str
    solver: str
    helper: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class KudosGiven(Event):
    giver: str
    receiver: str
    reason: str
    source: str  # "command", "reaction", "thanks", "user_action"


@dataclass(frozen=True, slots=True, kw_only=True)
class MissionContributed(Event):
    mission: str
    user: str
    amount: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MissionCompleted(Event):
    mission: str
    name: str
    contributors: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class MissionReopened(Event):
    """A completed mission is open again: the contribution that reached its target was undone
    or removed, or its target was raised. ``mission_id`` is ``MissionCompleted.mission``;
    whatever the completion gave (points, roles) is to be taken back."""

    mission_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GlossaryEntryAdded(Event):
    entry: str
    name: str
    author: str
