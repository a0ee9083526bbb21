"""The library's floor: discord.py parsing the same stream as gateway payloads.

A ``discord.state.ConnectionState`` with every guild cached (channels, members,
threads created as Discord would announce them) parses MESSAGE_CREATE,
MESSAGE_REACTION_ADD and GUILD_MEMBER_ADD payloads built from the same records
Hearth receives. Only the parser call is timed: building the payload dicts is the
benchmark's work. JSON decoding of the gateway frame is timed separately, for
context; the ratios use the parse alone (the smaller, stricter floor).
"""

from __future__ import annotations

import json
from collections import defaultdict
from time import perf_counter_ns
from typing import Any

import discord
from discord.state import ConnectionState
from discord.utils import _from_json

from benchmarks.measure import Samples
from benchmarks.stream import (
    Community,
    Join,
    Layout,
    Post,
    React,
    Record,
    member_name,
)

JOINED = "2025-06-01T12:00:00.000000+00:00"
TIMESTAMP = "2026-03-02T09:00:00.000000+00:00"


class _NoHTTP:
    """The state never calls the REST API while parsing."""


def _ignore(*args: Any, **kwargs: Any) -> None:
    return None


def make_state() -> ConnectionState:  # type: ignore[type-arg]
    intents = discord.Intents.default()
    intents.members = True
    intents.message_content = True
    return ConnectionState(
        dispatch=_ignore,
        handlers={},
        hooks={},
        http=_NoHTTP(),  # type: ignore[arg-type]
        intents=intents,
        chunk_guilds_at_startup=False,
        max_messages=1000,
    )


def user(uid: str) -> dict[str, Any]:
    name = member_name(uid)
    return {
        "id": uid, "username": name, "global_name": name.title(), "discriminator": "0",
        "avatar": None, "bot": False, "public_flags": 0,
    }  # fmt: skip


def member(uid: str) -> dict[str, Any]:
    return {
        "roles": [], "joined_at": JOINED, "deaf": False, "mute": False, "flags": 0,
        "nick": None, "avatar": None, "premium_since": None, "pending": False,
        "communication_disabled_until": None,
    }  # fmt: skip


def guild(community: Community) -> dict[str, Any]:
    gid = community.guild
    channels = [
        {
            "id": cid,
            "type": 0,
            "name": name,
            "position": position,
            "guild_id": gid,
            "permission_overwrites": [],
            "nsfw": False,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "parent_id": None,
        }
        for position, (name, cid) in enumerate(community.channels.items())
    ]
    everyone = {
        "id": gid, "name": "@everyone", "color": 0, "hoist": False, "position": 0,
        "permissions": "1071698660929", "managed": False, "mentionable": False, "flags": 0,
    }  # fmt: skip
    return {
        "id": gid, "name": community.name, "owner_id": community.members[0], "icon": None,
        "unavailable": False, "large": len(community.members) > 250,
        "member_count": len(community.members), "roles": [everyone], "channels": channels,
        "threads": [], "members": [{**member(u), "user": user(u)} for u in community.members],
        "joined_at": JOINED, "features": [], "emojis": [], "stickers": [], "voice_states": [],
        "presences": [], "stage_instances": [], "guild_scheduled_events": [],
        "soundboard_sounds": [], "preferred_locale": "en-US", "premium_tier": 0,
        "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "mfa_level": 0, "nsfw_level": 0, "afk_timeout": 300,
        "system_channel_id": None, "description": None,
    }  # fmt: skip


def message_create(post: Post, community: Community) -> dict[str, Any]:
    return {
        "id": post.message, "channel_id": post.thread or post.channel,
        "guild_id": community.guild, "type": 0, "content": post.text,
        "author": user(post.author), "member": member(post.author), "timestamp": TIMESTAMP,
        "edited_timestamp": None, "tts": False, "mention_everyone": False,
        "mentions": [{**user(m), "member": member(m)} for m in post.mentions],
        "mention_roles": [], "attachments": [], "embeds": [], "components": [],
        "pinned": False, "flags": 0,
    }  # fmt: skip


def thread_create(post: Post, community: Community) -> dict[str, Any]:
    """A thread opened on a question, as THREAD_CREATE announces it."""
    return {
        "id": post.message, "guild_id": community.guild, "parent_id": post.channel,
        "owner_id": post.author, "name": post.text[:100], "type": 11,
        "last_message_id": None, "rate_limit_per_user": 0, "message_count": 0,
        "member_count": 1, "newly_created": True,
        "thread_metadata": {
            "archived": False, "auto_archive_duration": 1440,
            "archive_timestamp": TIMESTAMP, "locked": False,
        },
    }  # fmt: skip


def reaction_add(react: React, community: Community) -> dict[str, Any]:
    return {
        "user_id": react.user, "channel_id": react.thread or react.channel,
        "message_id": react.message, "guild_id": community.guild,
        "emoji": {"name": react.emoji, "id": None}, "type": 0, "burst": False,
        "burst_colors": [], "message_author_id": react.message_author,
        "member": {**member(react.user), "user": user(react.user)},
    }  # fmt: skip


def member_add(join: Join, community: Community) -> dict[str, Any]:
    return {**member(join.user), "user": user(join.user), "guild_id": community.guild}


EVENT_NAMES = {
    "message": "MESSAGE_CREATE",
    "reaction": "MESSAGE_REACTION_ADD",
    "join": "GUILD_MEMBER_ADD",
}


class DiscordFloor:
    """discord.py's ConnectionState with every guild of ``layout`` cached."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.state = make_state()
        for community in layout.communities:
            self.state._add_guild_from_data(guild(community))  # type: ignore[arg-type]
        self.parse: dict[str, Samples] = defaultdict(Samples)
        self.decode: dict[str, Samples] = defaultdict(Samples)
        self._sequence = 0

    def feed(self, batch: list[Record]) -> None:
        for record in batch:
            self._one(record)

    def _one(self, record: Record) -> None:
        community = self.layout.communities[record.community]
        if isinstance(record, Post):
            kind, payload = "message", message_create(record, community)
        elif isinstance(record, React):
            kind, payload = "reaction", reaction_add(record, community)
        else:
            kind, payload = "join", member_add(record, community)
        self._sequence += 1
        name = EVENT_NAMES[kind]
        frame = json.dumps({"op": 0, "t": name, "s": self._sequence, "d": payload})
        parser = self.state.parsers[name]
        started = perf_counter_ns()
        _from_json(frame)
        decoded = perf_counter_ns()
        parser(payload)
        parsed = perf_counter_ns()
        self.decode[kind].add(decoded - started)
        self.parse[kind].add(parsed - decoded)
        if (
            isinstance(record, Post)
            and record.thread is None
            and record.channel == community.channels["help"]
        ):  # someone opens a thread on the question, as Discord announces it
            self.state.parse_thread_create(thread_create(record, community))  # type: ignore[arg-type]

    def summary(self) -> dict[str, Any]:
        return {
            "events": sum(len(s) for s in self.parse.values()),
            "by_kind": {
                kind: {
                    "parse": self.parse[kind].summary(),
                    "json_decode": self.decode[kind].summary(),
                }
                for kind in sorted(self.parse)
            },
            "discord_py": discord.__version__,
        }
