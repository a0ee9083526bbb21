"""The playground's line interpreter: people join, talk, run commands, and time passes.

Each line is one thing a person (or time) does; everything the bot does in answer
is printed as lines that start with where it went (see ``platform.py``).
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bot.app import Bot
from bot.events import (
    MemberJoined,
    MemberLeft,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
    ReactionAdded,
    ReactionRemoved,
)
from bot.interactions import Resolvers, name_resolvers
from bot.messages import MessageRef
from bot.platform import Person, Reply, TargetMessage
from bot.platforms.playground.platform import COMMUNITY, PlaygroundPlatform
from bot.timeutil import parse_duration

HELP = """\
# a comment
as alice                      act as alice (created on first use)
as maria --moderator          act as maria, who is a moderator (--bot: a bot account)
join | leave                  the acting person joins or leaves the community
say #general hello there      post in a channel; prints the new message's reference (m7)
reply m7 welcome!             reply in m7's thread
edit m7 new text | delete m7  change or remove one of your messages
react m7 ✅ | unreact m7 ✅    add or remove a reaction
/welcome preview              run a command: /group name key:value key:"quoted value"
in #help /questions open      run a command in another channel (or in m7's thread)
press m9 Wave                 press a button on a bot message (by its label)
explain m7                    the "Explain jargon" action on a message
action "Give kudos" @bob      any message or user action, by its label
create #random                add a channel
wait 2h30m                    move the clock; every job due in between runs, in order
help | quit"""

DEFAULT_CHANNELS = ("general", "welcome", "introductions", "help", "mods")

#: Run once, as a moderator, when a playground is created: a sensible starting setup.
#: Lines for cogs that are not loaded are skipped.
FRESH_SETUP = (
    "/welcome channel channel:#welcome",
    '/welcome steps add channel:#introductions text:"Introduce yourself in #introductions"',
    "/questions config help-channel:#help",
    "/questions config helpers-channel:#help",
    "/hearth log-channel channel:#mods",
)

_MENTION = re.compile(r"(?<![\w<])@([\w.-]+)")
_CHANNEL = re.compile(r"^#([\w-]+)$")


class PlaygroundError(Exception):
    pass


@dataclass(frozen=True)
class StoredMessage:
    ref: str
    channel: str
    thread: str | None
    author: str
    text: str
    buttons: list[tuple[str, str, str]]
    private_to: str | None
    deleted: bool


class Playground:
    def __init__(
        self, bot: Bot, platform: PlaygroundPlatform, write: Callable[[str], None]
    ) -> None:
        self.bot = bot
        self.platform = platform
        self.write = write
        self.acting: str | None = None
        self._where: dict[str, str] = {}

    # --- set-up ---------------------------------------------------------------------------

    async def open(self) -> None:
        db = self.bot.db
        await self.bot.ensure_community(COMMUNITY, self.bot.config.playground.community_name)
        created = await db.fetch_value("SELECT value FROM playground_state WHERE key = 'created'")
        self.acting = await db.fetch_value(
            "SELECT value FROM playground_state WHERE key = 'acting'"
        )
        if created is not None:
            return
        for name in DEFAULT_CHANNELS:
            await db.execute("INSERT INTO playground_channels (name) VALUES (?)", (name,))
        host = Person("host", "host", is_admin=True)
        groups = set(self.bot.interactions.groups())
        for line in FRESH_SETUP:
            if line.split()[0].removeprefix("/") in groups:
                reply = await self.bot.interactions.run_text(
                    COMMUNITY, host, "general", line, resolvers=self.resolvers()
                )
                if reply.private and "✅" not in reply.message.text and reply.message.text:
                    self.write(f"[setup] {line}: {reply.message.text}")
        await self._save("created", "1")
        await self._save("clock", self.bot.clock.now().isoformat())

    async def _save(self, key: str, value: str) -> None:
        await self.bot.db.execute(
            "INSERT INTO playground_state (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def resolvers(self) -> Resolvers:
        return name_resolvers()

    # --- running lines ---------------------------------------------------------------------

    async def run_lines(self, lines: Iterable[str], *, echo: bool = True) -> int:
        """Run a script; report each failing line with its number and go on. Returns errors."""
        errors = 0
        for number, line in enumerate(lines, start=1):
            if echo and line.strip():
                self.write(f"> {line.rstrip()}")
            try:
                if not await self.run_line(line):
                    break
            except PlaygroundError as error:
                errors += 1
                self.write(f"! line {number}: {error}")
        return errors

    async def run_line(self, line: str) -> bool:
        """Run one line; False means the person asked to quit."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        verb, _, rest = line.partition(" ")
        rest = rest.strip()
        if verb.startswith("/"):
            await self._command(line, channel=None, thread=None)
        elif verb in {"quit", "exit"}:
            return False
        elif verb == "help":
            for help_line in HELP.splitlines():
                self.write(help_line)
        elif verb == "wait":
            delta = parse_duration(rest)
            if delta is None:
                raise PlaygroundError(f"“{rest}” is not a duration: try 30m, 2h30m, 3d or 1w")
            await self.bot.scheduler.advance(delta)  # type: ignore[union-attr]
            self.write(f"(time is now {self.bot.local_now(COMMUNITY):%a %Y-%m-%d %H:%M %Z})")
        elif verb == "as":
            await self._as(rest)
        elif verb == "create":
            await self._create(rest)
        else:
            handler = getattr(self, f"_{verb}", None)
            if verb not in _ACTING_VERBS or handler is None:
                raise PlaygroundError(f"unknown line “{verb}”. Type help for what you can do.")
            await handler(self._person(), rest)
        await self._save("clock", self.bot.clock.now().isoformat())
        return True

    def _person(self) -> str:
        if self.acting is None:
            raise PlaygroundError("nobody is acting yet: start with “as alice”")
        return self.acting

    async def _as(self, rest: str) -> None:
        words = rest.split()
        if not words or words[0].startswith("-"):
            raise PlaygroundError("as who? e.g. “as alice” or “as maria --moderator”")
        name = words[0].removeprefix("@")
        flags = set(words[1:])
        unknown = flags - {"--moderator", "--bot"}
        if unknown:
            raise PlaygroundError(f"unknown flag {sorted(unknown)[0]}: use --moderator or --bot")
        await self.bot.db.execute(
            "INSERT INTO playground_people (name, is_moderator, is_bot) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET"
            " is_moderator = MAX(playground_people.is_moderator, excluded.is_moderator),"
            " is_bot = MAX(playground_people.is_bot, excluded.is_bot)",
            (name, int("--moderator" in flags), int("--bot" in flags)),
        )
        self.acting = name
        await self._save("acting", name)

    async def _create(self, rest: str) -> None:
        found = _CHANNEL.match(rest.strip())
        if not found:
            raise PlaygroundError("create #name, e.g. “create #random”")
        await self.bot.db.execute(
            "INSERT INTO playground_channels (name) VALUES (?) ON CONFLICT DO NOTHING",
            (found.group(1),),
        )

    async def person(self, name: str) -> Person:
        row = await self.bot.db.fetch_one(
            "SELECT is_moderator, is_bot FROM playground_people WHERE name = ?", (name,)
        )
        roles = await self.bot.db.fetch_all(
            "SELECT role FROM playground_roles WHERE name = ?", (name,)
        )
        return Person(
            name,
            name,
            is_admin=bool(row and row[0]),
            roles=tuple(r[0] for r in roles),
            is_bot=bool(row and row[1]),
        )

    async def _is_bot(self, name: str) -> bool:
        return (await self.person(name)).is_bot

    # --- what people do ----------------------------------------------------------------------

    async def _join(self, name: str, rest: str) -> None:
        await self.bot.dispatch(
            MemberJoined(
                community=COMMUNITY,
                at=self.bot.clock.now(),
                user=name,
                name=name,
                is_bot=await self._is_bot(name),
            )
        )

    async def _leave(self, name: str, rest: str) -> None:
        await self.bot.dispatch(MemberLeft(community=COMMUNITY, at=self.bot.clock.now(), user=name))

    async def _say(self, name: str, rest: str) -> None:
        target, _, text = rest.partition(" ")
        found = _CHANNEL.match(target)
        if not found or not text.strip():
            raise PlaygroundError("say #channel text, e.g. “say #general hello there”")
        channel = await self._channel(found.group(1))
        await self._post(name, channel, text.strip(), thread=None, reply_to=None)

    async def _reply(self, name: str, rest: str) -> None:
        ref, _, text = rest.partition(" ")
        if not text.strip():
            raise PlaygroundError("reply m7 text")
        parent = await self.message(ref)
        root = parent.thread or parent.ref
        await self._post(name, parent.channel, text.strip(), thread=root, reply_to=parent.ref)

    async def _post(
        self, name: str, channel: str, text: str, *, thread: str | None, reply_to: str | None
    ) -> None:
        mentions = tuple(dict.fromkeys(_MENTION.findall(text)))
        neutral = _MENTION.sub(lambda m: f"<@{m.group(1)}>", text)
        ref = await self.platform.record(channel, name, neutral, thread=thread)
        self.write(f"({ref})")
        self._where[name] = channel
        await self.bot.dispatch(
            MessagePosted(
                community=COMMUNITY,
                at=self.bot.clock.now(),
                channel=channel,
                message=ref,
                author=name,
                author_name=name,
                text=neutral,
                thread=thread,
                reply_to=reply_to,
                mentions=mentions,
                author_is_bot=await self._is_bot(name),
            )
        )

    async def _edit(self, name: str, rest: str) -> None:
        ref, _, text = rest.partition(" ")
        if not text.strip():
            raise PlaygroundError("edit m7 new text")
        stored = await self._own(name, ref)
        neutral = _MENTION.sub(lambda m: f"<@{m.group(1)}>", text.strip())
        await self.bot.db.execute(
            "UPDATE playground_messages SET text = ? WHERE ref = ?", (neutral, stored.ref)
        )
        await self.bot.dispatch(
            MessageEdited(
                community=COMMUNITY,
                at=self.bot.clock.now(),
                channel=stored.channel,
                message=stored.ref,
                author=name,
                text=neutral,
                thread=stored.thread,
            )
        )

    async def _delete(self, name: str, rest: str) -> None:
        stored = await self._own(name, rest.strip())
        await self.bot.db.execute(
            "UPDATE playground_messages SET deleted = 1 WHERE ref = ?", (stored.ref,)
        )
        await self.bot.dispatch(
            MessageDeleted(
                community=COMMUNITY,
                at=self.bot.clock.now(),
                channel=stored.channel,
                message=stored.ref,
                thread=stored.thread,
            )
        )

    async def _react(self, name: str, rest: str, event: type = ReactionAdded) -> None:
        ref, _, emoji = rest.partition(" ")
        if not emoji.strip():
            raise PlaygroundError("react m7 ✅")
        stored = await self.message(ref)
        await self.bot.dispatch(
            event(
                community=COMMUNITY,
                at=self.bot.clock.now(),
                channel=stored.channel,
                message=stored.ref,
                user=name,
                emoji=emoji.strip(),
                message_author=stored.author,
            )
        )

    async def _unreact(self, name: str, rest: str) -> None:
        await self._react(name, rest, ReactionRemoved)

    async def _in(self, name: str, rest: str) -> None:
        where, _, command = rest.partition(" ")
        if not command.strip().startswith("/"):
            raise PlaygroundError("in #help /questions open, or in m7 /questions solved")
        if found := _CHANNEL.match(where):
            await self._command(command, channel=await self._channel(found.group(1)), thread=None)
        else:
            stored = await self.message(where)
            await self._command(command, channel=stored.channel, thread=stored.thread or stored.ref)

    async def _press(self, name: str, rest: str) -> None:
        ref, _, label = rest.partition(" ")
        stored = await self.message(ref)
        if stored.private_to not in (None, name):
            raise PlaygroundError(f"{ref} is only visible to {stored.private_to}")
        wanted = label.strip().casefold()
        choices = [b for b in stored.buttons if b[0].casefold() == wanted] or [
            b for b in stored.buttons if wanted and wanted in b[0].casefold()
        ]
        if not choices:
            labels = ", ".join(b[0] for b in stored.buttons) or "none"
            raise PlaygroundError(f"{ref} has no button “{label.strip()}” (buttons: {labels})")
        _, action, value = choices[0]
        person = await self.person(name)
        message = MessageRef(COMMUNITY, stored.channel, stored.ref, stored.thread)
        reply = await self.bot.interactions.press(
            COMMUNITY, person, stored.channel, message, action, value
        )
        await self._deliver(reply, person, stored.channel, stored.thread)

    async def _explain(self, name: str, rest: str) -> None:
        await self._action(name, f'"Explain jargon" {rest}')

    async def _action(self, name: str, rest: str) -> None:
        try:
            words = shlex.split(rest)
        except ValueError as error:
            raise PlaygroundError(f'action "Label" m7 or @person ({error})') from None
        if len(words) != 2:
            raise PlaygroundError('action "Label" m7, or action "Label" @person')
        label, target_word = words
        person = await self.person(name)
        channel = self._where.get(name, "general")
        if target_word.startswith("@"):
            target: TargetMessage | str = target_word.removeprefix("@")
        else:
            stored = await self.message(target_word)
            channel = stored.channel
            target = TargetMessage(
                MessageRef(COMMUNITY, stored.channel, stored.ref, stored.thread),
                stored.author,
                stored.text,
            )
        reply = await self.bot.interactions.act(label, COMMUNITY, person, channel, target)
        await self._deliver(reply, person, channel, None)

    async def _command(self, line: str, *, channel: str | None, thread: str | None) -> None:
        name = self._person()
        person = await self.person(name)
        channel = channel or self._where.get(name, "general")
        reply = await self.bot.interactions.run_text(
            COMMUNITY, person, channel, line, thread=thread, resolvers=self.resolvers()
        )
        await self._deliver(reply, person, channel, thread)

    async def _deliver(
        self, reply: Reply | None, person: Person, channel: str, thread: str | None
    ) -> None:
        if reply is None or (
            not reply.message.text and not reply.message.title and not reply.message.fields
        ):
            return
        if reply.private:
            await self.platform.send_private(COMMUNITY, channel, person.id, reply.message)
        else:
            await self.platform.send(COMMUNITY, channel, reply.message, thread=thread)

    # --- lookups ------------------------------------------------------------------------------

    async def _channel(self, name: str) -> str:
        exists = await self.bot.db.fetch_one(
            "SELECT 1 FROM playground_channels WHERE name = ?", (name,)
        )
        if exists is None:
            rows = await self.bot.db.fetch_all("SELECT name FROM playground_channels ORDER BY name")
            known = ", ".join("#" + r[0] for r in rows)
            raise PlaygroundError(
                f"there is no #{name} (channels: {known}; “create #{name}” adds it)"
            )
        return name

    async def message(self, ref: str) -> StoredMessage:
        row = await self.bot.db.fetch_one("SELECT * FROM playground_messages WHERE ref = ?", (ref,))
        if row is None or row["deleted"]:
            raise PlaygroundError(f"there is no message {ref}")
        return StoredMessage(
            row["ref"],
            row["channel"],
            row["thread"],
            row["author"],
            row["text"],
            [tuple(b) for b in json.loads(row["buttons"])],
            row["private_to"],
            bool(row["deleted"]),
        )

    async def _own(self, name: str, ref: str) -> StoredMessage:
        stored = await self.message(ref)
        if stored.author != name:
            raise PlaygroundError(f"{ref} is {stored.author}'s message, not {name}'s")
        return stored


_ACTING_VERBS = {
    "join",
    "leave",
    "say",
    "reply",
    "edit",
    "delete",
    "react",
    "unreact",
    "in",
    "press",
    "explain",
    "action",
}
