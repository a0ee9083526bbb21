"""Greeters earn welcome credit when they greet, not when they are assigned.

A greeting is a wave on the newcomer's welcome, a message in the welcome's thread or in
reply to it, a reply to one of the newcomer's own messages, or a message that mentions
the newcomer, within ``greet_window`` after the welcome. The message path only notes it in
memory; a job writes the greetings in one batch, and credits them (``NewcomerGreeted``,
which recognition and missions count) once the newcomer has stayed past the removal
window, so greeting someone who leaves a minute later earns nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.cog import Cog, job, listen
from bot.events import MessagePosted, NewcomerGreeted
from cogs.welcome.greetings_store import Greeting, GreetingsStore

if TYPE_CHECKING:
    from bot.app import Bot
    from cogs.welcome.settings import WelcomeSettings

Key = tuple[str, str]  # (community, user or message)
#: How many due greetings one sweep credits (a larger backlog goes in the next sweeps).
CREDIT_BATCH = 500


@dataclass(frozen=True, slots=True)
class _Greetable:
    """A first-time newcomer who can still be greeted."""

    joined_at: datetime
    until: datetime


class GreetingWatch(Cog):
    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.greetings = GreetingsStore(bot.db)
        self._greetable: dict[Key, _Greetable] = {}
        self._welcome_of: dict[Key, tuple[str, ...]] = {}  # (community, post or thread)
        self._said: dict[Key, str] = {}  # (community, message) -> the newcomer who wrote it
        self._greeted: set[tuple[str, str, str]] = set()  # (community, newcomer, greeter)
        self._heard: list[Greeting] = []  # since the last flush

    def config(self, community: str) -> WelcomeSettings:
        return self.settings.get(community)

    def watch_greetings(
        self, community: str, newcomer: str, joined_at: datetime, *refs: str | None
    ) -> None:
        """Let people greet ``newcomer`` (joined at ``joined_at``) from now on; ``refs`` are
        their welcome post and its thread, when there is one."""
        until = joined_at + self.config(community).greet_window
        self._greetable[(community, newcomer)] = _Greetable(joined_at, until)
        self.greet_on(community, (newcomer,), *refs)

    def greet_on(self, community: str, newcomers: tuple[str, ...], *refs: str | None) -> None:
        """A reply to (or in the thread of) one of ``refs`` greets ``newcomers``."""
        for ref in refs:
            if ref:
                self._welcome_of[(community, ref)] = newcomers

    # --- the message path: synchronous, memory only -----------------------------------

    @listen(MessagePosted)
    def notice_greeting(self, event: MessagePosted) -> None:
        if event.author_is_bot or not self._greetable:
            return
        community, author = event.community, event.author
        if (community, author) in self._greetable:  # a reply to it greets them
            self._said[(community, event.message)] = author
        thread, reply_to, mentions = event.thread, event.reply_to, event.mentions
        if thread is None and reply_to is None and not mentions:
            return  # most messages end here
        for ref in (thread, reply_to):
            if ref is None:
                continue
            for newcomer in self._welcome_of.get((community, ref), ()):
                self.note_greeting(community, newcomer, author, event.at, "reply")
            if said := self._said.get((community, ref)):
                self.note_greeting(community, said, author, event.at, "reply")
        for user in mentions:
            if (community, user) in self._greetable:
                self.note_greeting(community, user, author, event.at, "mention")

    def note_greeting(
        self, community: str, newcomer: str, greeter: str, at: datetime, how: str
    ) -> None:
        """Buffer ``greeter``'s greeting of ``newcomer``: once per pair, within the window."""
        greetable = self._greetable.get((community, newcomer))
        pair = (community, newcomer, greeter)
        if greetable is None or greeter == newcomer or pair in self._greeted:
            return
        if at > greetable.until:
            return
        due = max(at, greetable.joined_at + self.config(community).remove_if_left_within)
        self._greeted.add(pair)
        self._heard.append(Greeting(community, newcomer, greeter, how, at, due))

    # --- writing and crediting -------------------------------------------------------------

    @job(every=timedelta(minutes=1))
    async def credit_greetings(self) -> None:
        """Write the greetings heard since the last run, then credit the due ones: each is
        claimed before its NewcomerGreeted goes out, so a restart never credits twice."""
        await self.flush_greetings()
        due = await self.greetings.due_greetings(self.bot.clock.now(), CREDIT_BATCH)
        credited, void = [], []
        for greeting in due:
            stayed = await self._stayed(greeting)
            (credited if stayed else void).append(greeting)
        if not due:
            return
        async with self.bot.db.transaction():
            await self.greetings.settle(credited, void)
        for g in credited:
            await self.bot.emit(
                NewcomerGreeted(
                    community=g.community, at=g.greeted_at, newcomer=g.newcomer, greeter=g.greeter
                )
            )

    async def flush_greetings(self) -> None:
        if not self._heard:
            return
        heard, self._heard = self._heard, []
        try:
            async with self.bot.db.transaction():
                await self.greetings.add_greetings(heard)
        except Exception:
            self._heard = heard + self._heard  # kept for the next run
            raise

    async def _stayed(self, greeting: Greeting) -> bool:
        """Whether the newcomer is still here, or left only after the removal window."""
        found = await self.greetings.joined_and_left(greeting.community, greeting.newcomer)
        if found is None:
            return False  # forgotten meanwhile
        joined_at, left_at = found
        within = self.config(greeting.community).remove_if_left_within
        return left_at is None or left_at - joined_at > within

    def stop_greetings(self, community: str, newcomer: str, *, void: bool) -> None:
        """The newcomer left (``void``: within the removal window, so greetings heard and not
        yet written are dropped; written ones are voided by the caller)."""
        self._greetable.pop((community, newcomer), None)
        if void:
            self._heard = [
                g for g in self._heard if (g.community, g.newcomer) != (community, newcomer)
            ]
            self._greeted = {p for p in self._greeted if p[:2] != (community, newcomer)}

    @job(every=timedelta(hours=1))
    async def forget_old_greetings(self) -> None:
        """Drop newcomers past their greeting window from memory (keeps it flat)."""
        now = self.bot.clock.now()
        gone = {key for key, g in self._greetable.items() if g.until < now}
        for key in gone:
            del self._greetable[key]
        self._said = {k: n for k, n in self._said.items() if (k[0], n) in self._greetable}
        self._welcome_of = {
            k: kept
            for k, newcomers in self._welcome_of.items()
            if (kept := tuple(n for n in newcomers if (k[0], n) in self._greetable))
        }
        self._greeted = {p for p in self._greeted if (p[0], p[1]) in self._greetable}

    def forget_greetings(self, community: str, user: str) -> None:
        """Forget-me: drop ``user`` from memory, as newcomer and as greeter."""
        self.stop_greetings(community, user, void=True)
        self._said = {k: n for k, n in self._said.items() if (k[0], n) != (community, user)}
        self._heard = [g for g in self._heard if (g.community, g.greeter) != (community, user)]
        self._greeted = {p for p in self._greeted if (p[0], p[2]) != (community, user)}
