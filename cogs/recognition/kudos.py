"""Giving kudos: a queue the listeners fill, and a flush that judges and writes it.

Every way of giving (command, user action, reaction, natural thanks) hands the desk a
:class:`Gift`, so the rules are the same everywhere. Listeners only queue (no I/O: every
message passes through them); the flush judges the queue in order against the last
week of kudos kept in memory (:mod:`memory`), writes what it decided in one transaction
(one insert for the kudos, one batch for the points) and only then reports, so what
anyone is told afterwards is already committed. A command flushes at once and waits.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.app import Bot
from bot.timeutil import to_db
from cogs.recognition.memory import Given, KudosMemory
from cogs.recognition.rules import WEEK, Limits, judge
from cogs.recognition.settings import RecognitionSettings
from cogs.recognition.store import KudosKey, KudosRow, RecognitionStore

#: Outcomes that recorded a kudos; every other status is a refusal that changed nothing.
GIVEN = ("counted", "loop", "pair_cap")


@dataclass(frozen=True, slots=True, eq=False)
class Gift:
    """A kudos someone gave, waiting for the flush. ``thread`` is where a confirmation goes."""

    community: str
    giver: str
    receiver: str
    reason: str
    source: str  # command | user_action | reaction | thanks
    channel: str | None
    message: str | None
    at: datetime
    thread: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Withdrawal:
    """A kudos reaction removed: its kudos stops counting."""

    community: str
    giver: str
    message: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Outcome:
    """``status``: counted; loop or pair_cap (recorded, no points); self, bot, stranger,
    cooldown, allowance or duplicate (refused, nothing recorded); withdrawn (its reaction
    was removed before it was written). ``wait``: how long a cooldown, allowance or pair
    cap lasts."""

    status: str
    wait: timedelta = timedelta(0)

    @property
    def counted(self) -> bool:
        return self.status == "counted"


@dataclass(slots=True)
class Flushed:
    """What one flush decided: each gift's outcome, and whose points went down."""

    outcomes: list[tuple[Gift, Outcome]] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)  # (community, receiver)


class KudosDesk:
    def __init__(
        self, bot: Bot, store: RecognitionStore, settings_of: Callable[[str], RecognitionSettings]
    ) -> None:
        self.bot = bot
        self.store = store
        self.settings_of = settings_of
        self.memory = KudosMemory()
        self._queue: list[Gift | Withdrawal] = []
        self._lock = asyncio.Lock()

    async def load(self) -> None:
        """Fill memory with the last week of kudos (once, at start-up)."""
        for community, given in await self.store.recent_kudos(self.bot.clock.now() - WEEK):
            self.memory.add(community, given)

    def offer(self, item: Gift | Withdrawal) -> None:
        """Queue a gift or a withdrawal for the next flush (no I/O)."""
        self._queue.append(item)

    def has_work(self) -> bool:
        return bool(self._queue)

    async def give_now(self, gift: Gift, report: Callable[[Flushed], object]) -> Outcome:
        """Queue ``gift``, flush, hand the flush's results to ``report``, and return its outcome."""
        self.offer(gift)
        flushed = await self.flush()
        result = report(flushed)
        if asyncio.iscoroutine(result):
            await result
        return next(outcome for g, outcome in flushed.outcomes if g is gift)

    async def flush(self) -> Flushed:
        """Judge and write everything queued, in one transaction; on failure nothing is
        written and the queue is kept for the next flush."""
        async with self._lock:
            queue, self._queue = self._queue, []
            if not queue:
                return Flushed()
            try:
                return await self._settle(queue)
            except BaseException:
                self._queue[:0] = queue
                raise

    async def _settle(self, queue: list[Gift | Withdrawal]) -> Flushed:
        members = await self._members(queue)
        flushed = Flushed()
        decided: list[tuple[Gift, Given]] = []
        late: list[Withdrawal] = []  # reactions whose kudos is already written
        try:
            for item in queue:
                if isinstance(item, Withdrawal):
                    if not self._withdraw_unwritten(item):
                        late.append(item)
                    continue
                outcome, given = self._judge(item, members)
                flushed.outcomes.append((item, outcome))
                if given is not None:
                    decided.append((item, given))
            written = await self._write(decided, late, flushed)
        except BaseException:
            for gift, given in decided:
                self.memory.remove(gift.community, given)
            raise
        self._after_write(decided, written, flushed)
        return flushed

    async def _members(self, queue: list[Gift | Withdrawal]) -> dict[tuple[str, str], str]:
        """ "member", "bot" or "gone" for each receiver and giver: the registry's word, else,
        for receivers, the platform's (a "yes" is recorded, so it is asked once; a platform
        that cannot tell counts them in, since it offered them as a member)."""
        receivers = {(g.community, g.receiver) for g in queue if isinstance(g, Gift)}
        givers = {(g.community, g.giver) for g in queue if isinstance(g, Gift)}
        known = await self.store.membership(receivers | givers)
        for community, user in sorted(receivers - known.keys()):
            found = await self.bot.is_member(community, user)
            if found:
                await self.bot.members.record_seen(community, user)
            known[(community, user)] = "gone" if found is False else "member"
        return known

    def _judge(
        self, gift: Gift, members: dict[tuple[str, str], str]
    ) -> tuple[Outcome, Given | None]:
        community, giver, receiver = gift.community, gift.giver, gift.receiver
        if giver == receiver:
            return Outcome("self"), None
        if members.get((community, giver)) == "bot" or members[(community, receiver)] == "bot":
            return Outcome("bot"), None  # kudos are from people, for people
        if members[(community, receiver)] == "gone":
            return Outcome("stranger"), None
        if gift.message is not None:
            for earlier in self.memory.given_by(community, giver, gift.at):
                if earlier.message == gift.message and earlier.receiver == receiver:
                    return Outcome("duplicate"), None
        settings = self.settings_of(community)
        limits = Limits(
            settings.cooldown, settings.daily_allowance, settings.loop_window, settings.pair_cap
        )
        verdict = judge(gift.at, limits, self.memory.facts(community, giver, receiver, gift.at))
        if verdict.refusal is not None:
            return Outcome(verdict.refusal, verdict.wait), None
        given = Given(
            giver,
            receiver,
            gift.at,
            verdict.counted,
            gift.message,
            gift.source,
            None,
            verdict.uncounted,
        )
        self.memory.add(community, given)
        return Outcome(verdict.uncounted or "counted", verdict.wait), given

    def _withdraw_unwritten(self, item: Withdrawal) -> bool:
        """A reaction removed before its kudos was written: it is written without points."""
        given = self.memory.find(item.community, item.giver, item.message, "reaction", item.at)
        if given is None or given.id is not None:
            return False
        given.counted, given.why = False, "withdrawn"
        return True

    async def _write(
        self,
        decided: list[tuple[Gift, Given]],
        late: list[Withdrawal],
        flushed: Flushed,
    ) -> list[tuple[int, KudosKey]]:
        rows: list[KudosRow] = []
        for gift, given in decided:
            rows.append(
                (
                    gift.community,
                    gift.giver,
                    gift.receiver,
                    gift.reason,
                    gift.source,
                    gift.channel,
                    gift.message,
                    int(given.counted),
                    given.why,
                    to_db(gift.at),
                )
            )
        async with self.store.db.transaction():
            written = await self.store.insert_kudos(rows) if rows else []
            ids = _assign(written, decided)
            points = [
                (
                    gift.community,
                    gift.receiver,
                    "kudos",
                    self.settings_of(gift.community).weight("kudos"),
                    to_db(gift.at),
                    str(ids[id(given)]),
                )
                for gift, given in decided
                if given.counted and id(given) in ids
            ]
            if points:
                await self.store.add_points_many(points)
            for item in late:
                taken = await self.store.withdraw_reaction(item.community, item.giver, item.message)
                if taken is not None:
                    flushed.withdrawn.append((item.community, taken[1]))
                    back = self.memory.by_id(item.community, taken[0])
                    if back is not None:
                        back.counted = False
        return written

    def _after_write(
        self,
        decided: list[tuple[Gift, Given]],
        written: list[tuple[int, KudosKey]],
        flushed: Flushed,
    ) -> None:
        """Give written kudos their ids; forget those the database already had (duplicates).
        A kudos whose reaction was removed before it was written is reported as withdrawn."""
        ids = _assign(written, decided)
        changed: dict[int, Outcome] = {}
        for gift, given in decided:
            if id(given) in ids:
                given.id = ids[id(given)]
            else:
                self.memory.remove(gift.community, given)
                changed[id(gift)] = Outcome("duplicate")
            if given.why == "withdrawn":
                changed.setdefault(id(gift), Outcome("withdrawn"))
        flushed.outcomes = [(g, changed.get(id(g), o)) for g, o in flushed.outcomes]


def _assign(
    written: list[tuple[int, KudosKey]], decided: list[tuple[Gift, Given]]
) -> dict[int, int]:
    """Match the ids the insert returned to the kudos decided (by what identifies them;
    two kudos alike in all of that are interchangeable). Keyed by ``id(given)``."""
    free: dict[KudosKey, list[int]] = {}
    for kudos_id, key in sorted(written):
        free.setdefault(key, []).append(kudos_id)
    ids: dict[int, int] = {}
    for gift, given in decided:
        key = (
            gift.community,
            gift.giver,
            gift.receiver,
            gift.message,
            to_db(gift.at),
            int(given.counted),
        )
        if free.get(key):
            ids[id(given)] = free[key].pop(0)
    return ids
