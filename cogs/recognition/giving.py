"""The four ways to give kudos: ``/kudos``, the "Give kudos" user action, the kudos
reaction, and natural thanks in chat ("thanks @a @b", "תודה @a", "شكرا @a")."""

from __future__ import annotations

from collections.abc import Sequence

from bot.cog import Cog, command, listen, user_action
from bot.commands import Member, Text
from bot.errors import UserError
from bot.events import MessagePosted, ReactionAdded
from bot.interactions import CommandContext
from bot.messages import Message, MessageRef, mention
from bot.platform import Reply
from bot.text import truncate
from bot.timeutil import format_duration
from cogs.recognition.activity import ActiveDays
from cogs.recognition.kudos import GIVEN, KudosDesk, Outcome
from cogs.recognition.roles import RoleKeeper
from cogs.recognition.rules import credited, day_of
from cogs.recognition.settings import RecognitionSettings
from cogs.recognition.thanks import RecentAuthors, ThanksDetector, emoji_key

#: The bot's own "noted" reaction (not ✅, which the questions cog reads as "solved").
CONFIRM_EMOJI = "🙌"
REASON_MAX = 200


class Giving(Cog):
    desk: KudosDesk
    roles: RoleKeeper
    thanks: ThanksDetector
    recent: RecentAuthors
    days: ActiveDays

    @command(
        "kudos",
        "Thank someone with kudos",
        Member(name="person", description="who to thank"),
        Text(name="reason", description="what for", max_length=REASON_MAX, required=False),
    )
    async def kudos(self, ctx: CommandContext, person: str, reason: str | None) -> Reply:
        return await self._give_by_hand(ctx, person, reason or "", "command")

    @user_action("Give kudos")
    async def give_kudos(self, ctx: CommandContext, user: str) -> Reply:
        return await self._give_by_hand(ctx, user, "", "user_action")

    async def _give_by_hand(
        self, ctx: CommandContext, person: str, reason: str, source: str
    ) -> Reply:
        outcome = await self.desk.give(
            ctx.community,
            ctx.user.id,
            person,
            reason=reason,
            source=source,
            channel=ctx.channel,
            message=None,
            at=ctx.now,
        )
        if outcome.status not in GIVEN:
            raise UserError(self._refusal(ctx.community, person, outcome))
        if not outcome.counted:
            note = self.t("recognition.kudos.loop", person=mention(person))
            return Reply(Message(note), private=True)
        await self.roles.evaluate_person(ctx.community, person, ctx.channel)
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

    # --- natural thanks and reactions ------------------------------------------------------

    @listen(MessagePosted)
    async def notice_thanks(self, event: MessagePosted) -> None:
        """Hot path: in-memory bookkeeping and a token scan; awaits only on a real thank-you."""
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
        await self._thank(event, people, settings)

    async def _thank(
        self, event: MessagePosted, people: Sequence[str], settings: RecognitionSettings
    ) -> None:
        reason = truncate(event.text, REASON_MAX)
        thanked = []
        for person in people:
            outcome = await self.desk.give(
                event.community,
                event.author,
                person,
                reason=reason,
                source="thanks",
                channel=event.channel,
                message=event.message,
                at=event.at,
            )
            if outcome.counted:
                thanked.append(person)
        if not thanked:
            return
        ref = MessageRef(event.community, event.channel, event.message, event.thread)
        await self._confirm(ref, thanked, settings)
        for person in thanked:
            await self.roles.evaluate_person(event.community, person, event.channel)

    @listen(ReactionAdded)
    async def notice_reaction(self, event: ReactionAdded) -> None:
        settings: RecognitionSettings = self.settings.get(event.community)
        if event.message_author is None:
            return
        if emoji_key(event.emoji) != emoji_key(settings.reaction_emoji):
            return
        reactor = await self.bot.members.get(event.community, event.user)
        if reactor is not None and reactor.is_bot:
            return
        outcome = await self.desk.give(
            event.community,
            event.user,
            event.message_author,
            reason="",
            source="reaction",
            channel=event.channel,
            message=event.message,
            at=event.at,
        )
        if not outcome.counted:
            return  # refusals on reactions are silent: nobody asked for an answer
        ref = MessageRef(event.community, event.channel, event.message)
        await self._confirm(ref, [event.message_author], settings)
        await self.roles.evaluate_person(event.community, event.message_author, event.channel)

    async def _confirm(
        self, ref: MessageRef, people: Sequence[str], settings: RecognitionSettings
    ) -> None:
        """A reaction, or a one-line reply that names people without pinging them again."""
        if settings.confirm == "reaction":
            await self.bot.react(ref, CONFIRM_EMOJI)
            return
        names = ", ".join(mention(p) for p in people)
        text = self.t("recognition.kudos.noted", people=names)
        await self.bot.send(ref.community, ref.channel, Message(text), thread=ref.thread)
