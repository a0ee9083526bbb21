"""Delivering the core outbox (``bot.outbox``): one attempt per due timer.

Kept apart from the rows (``bot.outbox``) because it acts: it calls the platform,
tells moderators and the person who asked, and emits ``PostDelivered``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.errors import PlatformError
from bot.events import PostDelivered
from bot.messages import Message, channel_mention
from bot.outbox import TIMER_COG, TIMER_KIND, WARN_AFTER, Post, retry_delay
from bot.timers import Timer

if TYPE_CHECKING:
    from bot.app import Bot

log = logging.getLogger(__name__)


class Courier:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def deliver(self, timer: Timer) -> None:
        """The post's timer is due: try it once."""
        post = await self.bot.outbox.get(int(timer.key))
        if post is not None:
            await self._attempt(post)

    async def deliver_now(self, post_id: int) -> Post | None:
        """Try a queued post at once rather than when its timer runs (taking the timer,
        so the two never both send it); returns the post as it is afterwards."""
        bot = self.bot
        post = await bot.outbox.get(post_id)
        if post is None:
            return None
        claimed = await bot.timers.claim(post.community, TIMER_COG, TIMER_KIND, str(post_id))
        if claimed is not None:
            await self._attempt(post)
            await bot.timers.finish(claimed)
        return await bot.outbox.get(post_id)

    async def _attempt(self, post: Post) -> None:
        """Sent, or retried later, or dropped when too late."""
        bot = self.bot
        if post.state != "pending":
            return
        now = bot.clock.now()
        if post.expires_at is not None and now > post.expires_at:
            await self._drop(post, post.last_error)
            return
        try:
            ref = await bot.platform_of(post.community).send(
                post.community, post.channel, post.message, thread=post.thread
            )
        except PlatformError as error:
            await self._failed(post, error)
            return
        await bot.outbox.mark_sent(post.id, ref.id, now)
        if post.warned:
            await bot.clear_notice(post.community, f"outbox:{post.id}")
        await bot.emit(
            PostDelivered(
                community=post.community,
                at=now,
                cog=post.cog,
                kind=post.kind,
                key=post.key,
                ref=ref,
            )
        )

    async def _failed(self, post: Post, error: PlatformError) -> None:
        bot = self.bot
        now = bot.clock.now()
        attempts = post.attempts + 1
        warn = not post.warned and (not error.transient or attempts >= WARN_AFTER)
        await bot.outbox.mark_failed(post.id, str(error), warned=warn)
        retry_at = now + retry_delay(attempts)
        if post.expires_at is not None and retry_at > post.expires_at:
            await self._drop(post, str(error))
            return
        log.warning(
            "outbox post #%d (%s.%s %s) in %s at %s failed (attempt %d, next %s): %s",
            post.id, post.cog, post.kind, post.key, post.community, post.channel,
            attempts, retry_at.isoformat(), error,
        )  # fmt: skip
        await bot.outbox.schedule(post.community, post.id, retry_at, now=now)
        if warn:
            until = (
                bot.catalog.text(
                    "core.outbox.until",
                    when=post.expires_at.astimezone(bot.timezone(post.community)).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                )
                if post.expires_at is not None
                else bot.catalog.text("core.outbox.any_time")
            )
            text = bot.catalog.text(
                "core.outbox.failing",
                what=post.label,
                channel=channel_mention(post.channel),
                reason=str(error),
                fix=error.fix or bot.catalog.text("core.outbox.fix"),
                until=until,
            )
            await self._tell(post, f"outbox:{post.id}", text)

    async def _drop(self, post: Post, reason: str | None) -> None:
        bot = self.bot
        await bot.outbox.mark_dropped(post.id, reason)
        log.warning(
            "outbox post #%d (%s.%s %s) in %s dropped: too late (%s)",
            post.id, post.cog, post.kind, post.key, post.community, reason,
        )  # fmt: skip
        text = bot.catalog.text(
            "core.outbox.dropped",
            what=post.label,
            channel=channel_mention(post.channel),
            reason=reason or bot.catalog.text("core.outbox.no_reason"),
            fix=bot.catalog.text("core.outbox.fix"),
        )
        await bot.clear_notice(post.community, f"outbox:{post.id}")
        await self._tell(post, f"outbox-dropped:{post.id}", text)

    async def _tell(self, post: Post, key: str, text: str) -> None:
        """The moderators' channel (once per key), and the moderator who asked, in private."""
        bot = self.bot
        await bot.notify_moderators(post.community, key, text)
        if post.asked_by:
            notice = Message(bot.catalog.text("core.hearth.notice", text=text))
            try:
                await bot.platform_of(post.community).send_dm(post.community, post.asked_by, notice)
            except PlatformError as error:
                log.info(
                    "could not tell %s about outbox post #%d: %s", post.asked_by, post.id, error
                )
