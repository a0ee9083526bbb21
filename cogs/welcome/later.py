"""What the welcome does later: the paced DMs and the batched welcome of a burst, the
one reminder, and what happens when someone leaves.

``WelcomeLater`` builds on ``WelcomeFlow`` (the join itself and the message path);
``cogs.welcome.cog.Welcome`` adds the commands on top of both.
"""

from __future__ import annotations

from bot.cog import listen, timer
from bot.events import MemberLeft
from bot.messages import MessageRef
from bot.timers import Timer
from cogs.welcome import compose
from cogs.welcome.bursts import batch_message
from cogs.welcome.flow import WelcomeFlow
from cogs.welcome.logic import left_soon


class WelcomeLater(WelcomeFlow):
    # --- bursts -------------------------------------------------------------------------

    @timer("dm")
    async def paced_dm(self, due: Timer) -> None:
        """A welcome DM that waited for its turn in a burst; skipped if they left."""
        community, user = due.community, due.key
        newcomer = await self.store.newcomer(community, user)
        if newcomer is None or not await self.present(community, user):
            return
        extras = await self.extras(community, newcomer.is_returning)
        await self.send_welcome_dm(community, user, newcomer.greeter, newcomer.is_returning, extras)

    @timer("burst")
    async def batched_welcome(self, due: Timer) -> None:
        """One channel welcome for everyone held back by a burst of joins (who is still here)."""
        community = due.community
        async with self.bot.db.transaction():
            held = await self.greetings.take_held(community)
        present = [user for user in held if await self.present(community, user)]
        channel = await self.welcome_channel(community)
        if not present or not channel:
            return
        name = await self.community_name(community)
        ref = await self.bot.send(community, channel, batch_message(self.t, present, name))
        if ref is not None:
            self.greet_on(community, tuple(present), ref.id, ref.thread)

    async def present(self, community: str, user: str) -> bool:
        record = await self.bot.members.get(community, user)
        return record is None or record.is_member

    # --- the one reminder ----------------------------------------------------------------

    @timer("reminder")
    async def remind(self, due: Timer) -> None:
        """One gentle DM to a newcomer who has not posted; claimed before it is sent, so a
        restart can never send a second one."""
        community, user = due.community, due.key
        await self.flush()
        newcomer = await self.store.newcomer(community, user)
        if newcomer is None or newcomer.posted_at is not None or newcomer.is_returning:
            return
        if not self.config(community).reminder_enabled:
            return
        record = await self.bot.members.get(community, user)
        if record is not None and (
            not record.is_member
            or (record.last_message_at is not None and record.last_message_at >= newcomer.joined_at)
        ):
            return
        if not await self.store.claim_reminder(community, user, self.bot.clock.now()):
            return
        message = compose.reminder_message(
            self.t,
            newcomer=user,
            community=await self.community_name(community),
            steps=self.steps(community),
            done=await self.store.done_steps(community, user),
        )
        await self.bot.send_dm(community, user, message)

    async def has_pending_reminder(self, community: str, user: str) -> bool:
        """For a nudges cog: is the welcome's reminder still to come for ``user``?"""
        return await self.bot.timers.pending(community, self.name, "reminder", user) is not None

    async def reminder_enabled(self, community: str) -> bool:
        """For a nudges cog: does the welcome send newcomers its own reminder here?"""
        return self.config(community).reminder_enabled

    async def reminder_sent(self, community: str, user: str) -> bool:
        """For a nudges cog: did ``user`` already get the welcome's one reminder?"""
        newcomer = await self.store.newcomer(community, user)
        return newcomer is not None and newcomer.reminder_sent_at is not None

    # --- leaving ------------------------------------------------------------------------

    @listen(MemberLeft)
    async def on_leave(self, event: MemberLeft) -> None:
        """Stop watching; if they leave soon after joining, their channel welcome goes too."""
        community, user = event.community, event.user
        self._watch.pop((community, user), None)
        await self.bot.timers.cancel(community, self.name, "reminder", user)
        newcomer = await self.store.newcomer(community, user)
        if newcomer is None:
            return
        await self.greetings.record_leave(community, user, event.at)
        within = self.config(community).remove_if_left_within
        soon = left_soon(newcomer.joined_at, event.at, within)
        self.stop_greetings(community, user, void=soon)
        if soon:
            await self.greetings.void_greetings(community, user)
        if not soon or newcomer.welcome_message is None:
            return
        post = await self.store.post(event.community, newcomer.welcome_message)
        if post is None or post.removed:
            return
        ref = MessageRef(event.community, post.channel, post.message_id, post.thread)
        if await self.bot.delete(ref):
            await self.store.mark_removed(event.community, post.message_id, event.at)
