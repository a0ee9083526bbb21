"""The four ways to give kudos: ``/kudos``, the "Give kudos" user action, the kudos
reaction, and natural thanks in chat ("thanks @a @b", "תודה @a", "شكرا @a")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.cog import Cog, command, job, listen, user_action
from bot.commands import Member, Text
from bot.errors import UserError
from bot.events import KudosGiven, MessagePosted, ReactionAdded, ReactionRemoved
from bot.interactions import CommandContext
from bot.messages import Message, MessageRef, channel_mention, mention
from bot.platform import Reply
from bot.text import truncate
from bot.timeutil import format_duration
from cogs.recognition.activity import ActiveDays
from cogs.recognition.kudos import GIVEN, Flushed, Gift, KudosDesk, Outcome, Withdrawal
from cogs.recognition.roles import RoleKeeper
from cogs.recognition.rules import WEEK, credited, day_of
from cogs.recognition.settings import RecognitionSettings
from cogs.recognition.thanks import RecentAuthors, ThanksDetector, emoji_key

#: The bot's own "noted" reaction (not ✅, which the questions cog reads as "solved").
CONFIRM_EMOJI = "🙌"
REASON_MAX = 200
#: How often queued kudos are judged, written and confirmed.
FLUSH_EVERY = timedelta(seconds=5)
#: Outcomes the giver of a thank-you or a reaction hears about, privately (bots, oneself
#: and a second kudos for the same message are left alone: nothing to learn there).
EXPLAINED = ("stranger", "cooldown", "allowance", "loop", "pair_cap")
EXPLAINED_KEPT = 10_000  # past this many remembered notes, those older than a week go


class Giving(Cog):
    desk: KudosDesk
    roles: RoleKeeper
    thanks: ThanksDetector
    recent: RecentAuthors
    days: ActiveDays
    #: (community, giver, receiver, status) -> when the giver was last told why.
    _explained: dict[tuple[str, str, str, str], datetime]

    @command(
        "kudos",
        "Thank someone with kudos",
        Member(name="person", description="who to thank"),
        Text(name="reason", description="what for", max_length=REASON_MAX, required=False),
        cooldown=False,  # thanks have their own rules (the kudos cooldown, the pair cap)
    )
    async def kudos(self, ctx: CommandContext, person: str, reason: str | None) -> Reply:
        return await self._give_by_hand(ctx, person, reason or "", "command")

    @user_action("Give kudos")
    async def give_kudos(self, ctx: CommandContext, user: str) -> Reply:
        return await self._give_by_hand(ctx, user, "", "user_action")

    async def _give_by_hand(
        self, ctx: CommandContext, person: str, reason: str, source: str
    ) -> Reply:
        gift = Gift(ctx.community, ctx.user.id, person, reason, source, ctx.channel, None, ctx.now)
        outcome = await self.desk.give_now(gift, self._report)
        if outcome.status not in GIVEN:
            raise UserError(self._refusal(ctx.community, person, outcome))
        if not outcome.counted:
            why = self._why(ctx.community, person, outcome)
            return Reply(Message(self.t("recognition.kudos.uncounted", why=why)), private=True)
        key = "recognition.kudos.given" if reason else "recognition.kudos.given_bare"
        text = self.t(key, giver=mention(ctx.user.id), person=mention(person), reason=reason)
        return Reply(Message(text, mentions=(person,)), private=False)

    def _refusal(self, community: str, person: str, outcome: Outcome) -> str:
        settings: RecognitionSettings = self.settings.get(community)
        return self.t(
            f"recognition.kudos.refused_{outcome.status}",
            person=mention(person),
            wait=format_duration(outcome.wait),
            allowance=settings.daily_allowance,
        )

    def _why(self, community: str, person: str, outcome: Outcome) -> str:
        """Why a kudos to ``person`` adds no points, or was refused, in one sentence."""
        settings: RecognitionSettings = self.settings.get(community)
        return self.t(
            f"recognition.why.{outcome.status}",
            person=mention(person),
            wait=format_duration(outcome.wait),
            allowance=settings.daily_allowance,
            cap=settings.pair_cap,
        )

    # --- natural thanks and reactions: queued here, judged and written by the flush --------

    @listen(MessagePosted)
    def notice_thanks(self, event: MessagePosted) -> None:
        """Hot path: in-memory bookkeeping and one phrase scan; a thank-you is only queued."""
        if event.author_is_bot:
            return
        community = event.community
        self.days.record(community, event.author, day_of(event.at, self.bot.timezone(community)))
        replied = None
        if event.reply_to is not None and event.reply_to != event.thread:
            replied = self.recent.author(community, event.reply_to)  # a direct reply
        self.recent.remember(community, event.message, event.author)
        people = credited(event.author, event.mentions, replied)
        if not people:
            return
        settings: RecognitionSettings = self.settings.get(community)
        if not self.thanks.says_thanks(
            community, settings.thanks_phrases, event.text, settings.not_thanks_phrases
        ):
            return
        reason = truncate(event.text, REASON_MAX)
        for person in people:
            self.desk.offer(
                Gift(
                    community,
                    event.author,
                    person,
                    reason,
                    "thanks",
                    event.channel,
                    event.message,
                    event.at,
                    event.thread,
                )
            )

    @listen(ReactionAdded)
    def notice_reaction(self, event: ReactionAdded) -> None:
        if event.message_author is None or not self._is_kudos_emoji(event):
            return
        self.desk.offer(
            Gift(
                event.community,
                event.user,
                event.message_author,
                "",
                "reaction",
                event.channel,
                event.message,
                event.at,
            )
        )

    @listen(ReactionRemoved)
    def notice_unreaction(self, event: ReactionRemoved) -> None:
        """Taking the kudos reaction back takes its kudos back."""
        if self._is_kudos_emoji(event):
            self.desk.offer(Withdrawal(event.community, event.user, event.message, event.at))

    def _is_kudos_emoji(self, event: ReactionAdded | ReactionRemoved) -> bool:
        settings: RecognitionSettings = self.settings.get(event.community)
        return emoji_key(event.emoji) == emoji_key(settings.reaction_emoji)

    @job(every=FLUSH_EVERY)
    async def flush_kudos(self) -> None:
        """Judge and write the queued kudos, then confirm them (never before the commit)."""
        if self.desk.has_work():
            await self._report(await self.desk.flush())

    # --- after the flush: confirmations, private notes, roles ------------------------------

    async def _report(self, flushed: Flushed) -> None:
        by_message: dict[tuple[str, str | None, str | None, str], list[tuple[Gift, Outcome]]] = {}
        for gift, outcome in flushed.outcomes:
            if gift.source in ("thanks", "reaction"):
                key = (gift.community, gift.channel, gift.message, gift.source)
                by_message.setdefault(key, []).append((gift, outcome))
        for results in by_message.values():
            await self._confirm([g for g, o in results if o.counted])
            await self._explain([(g, o) for g, o in results if o.status in EXPLAINED])
        for gift, outcome in flushed.outcomes:
            if outcome.counted:
                await self.bot.emit(
                    KudosGiven(
                        community=gift.community,
                        at=gift.at,
                        giver=gift.giver,
                        receiver=gift.receiver,
                        reason=gift.reason,
                        source=gift.source,
                    )
                )
        counted = {(g.community, g.receiver, g.channel) for g, o in flushed.outcomes if o.counted}
        for community, person, channel in sorted(counted, key=str):
            await self.roles.evaluate_person(community, person, channel)
        for community, person in sorted(set(flushed.withdrawn)):
            await self.roles.evaluate_person(community, person, corrected=True)

    async def _confirm(self, gifts: Sequence[Gift]) -> None:
        """A reaction, or a one-line reply that names people without pinging them again."""
        if not gifts or gifts[0].channel is None or gifts[0].message is None:
            return
        first = gifts[0]
        settings: RecognitionSettings = self.settings.get(first.community)
        ref = MessageRef(first.community, first.channel, first.message, first.thread)
        if settings.confirm == "reaction":
            await self.bot.react(ref, CONFIRM_EMOJI)
            return
        names = ", ".join(mention(g.receiver) for g in gifts)
        text = self.t("recognition.kudos.noted", people=names)
        await self.bot.send(ref.community, ref.channel, Message(text), thread=ref.thread)

    async def _explain(self, results: Sequence[tuple[Gift, Outcome]]) -> None:
        """One private note to the giver listing who did not count and why; each reason is
        told once a week per person thanked, so repeating a thank-you does not repeat it."""
        lines = []
        for gift, outcome in results:
            key = (gift.community, gift.giver, gift.receiver, outcome.status)
            told = self._explained.get(key)
            if told is not None and gift.at - told < WEEK:
                continue
            self._explained[key] = gift.at
            lines.append(self._why(gift.community, gift.receiver, outcome))
        if len(self._explained) > EXPLAINED_KEPT:
            latest = max(self._explained.values())
            self._explained = {k: at for k, at in self._explained.items() if latest - at < WEEK}
        if not lines:
            return
        first = results[0][0]
        where = channel_mention(first.channel) if first.channel else ""
        head = self.t(f"recognition.why.intro_{first.source}", channel=where)
        text = head + "\n" + "\n".join(f"• {line}" for line in lines)
        await self.bot.send_dm(first.community, first.giver, Message(text))
