"""The core outbox: a post written with what caused it goes out at once, or is retried
with backoff across restarts; the moderator who asked and the moderators' channel hear
once when it keeps failing; past its lateness it is dropped, and they hear that too."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.app import Bot
from bot.cog import Cog, command, listen
from bot.commands import Integer
from bot.errors import PlatformError
from bot.events import PostDelivered
from bot.interactions import CommandContext
from bot.messages import Attachment, Button, Field, Message, Progress
from bot.outbox import message_from_json, message_to_json, retry_delay
from tests.harness import make_harness, restarted


class Poster(Cog):
    """Queues a post through the outbox, as a cog whose post matters would."""

    name = "poster"

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.delivered: list[PostDelivered] = []

    @command("poster post", "Queue a post", Integer(name="late", min_value=0, required=False))
    async def queue(self, ctx: CommandContext, late: int | None) -> Message:
        async with self.bot.db.transaction():
            await self.bot.outbox.post(
                ctx.community,
                "news",
                Message("big news", title="News"),
                cog=self.name,
                kind="news",
                key="1",
                now=ctx.now,
                late_after=None if late is None else timedelta(minutes=late),
                label="the news",
                asked_by=ctx.user.id,
            )
        await self.bot.settle()  # try it now, to answer truthfully
        post = await self.bot.outbox.latest(ctx.community, self.name, "news", "1")
        assert post is not None
        return Message("posted" if post.sent else "queued")

    @listen(PostDelivered)
    def on_delivered(self, event: PostDelivered) -> None:
        if event.cog == self.name:
            self.delivered.append(event)


def notices(h) -> list[str]:
    return [a.text for a in h.platform.sent_to("mods")]


async def test_a_post_goes_out_at_once_and_the_cog_gets_its_ref(tmp_path: Path) -> None:
    async with make_harness(tmp_path, extra_cogs=[Poster]) as h:
        reply = await h.command("maria", "/poster post")
        assert reply.message.text == "posted"
        [sent] = h.platform.sent_to("news")
        [event] = h.bot.cogs["poster"].delivered
        assert (event.key, event.ref) == ("1", sent.ref)
        assert sent.message is not None and sent.message.title == "News"


async def test_a_failing_post_is_retried_across_a_restart_and_moderators_hear_once(
    tmp_path: Path,
) -> None:
    async with make_harness(tmp_path, extra_cogs=[Poster]) as h:
        h.moderators.add("maria")
        await h.command("maria", "/hearth log-channel channel:#mods")
        h.platform.refuse["send:news"] = PlatformError("send: 503 Service Unavailable", status=503)
        reply = await h.command("maria", "/poster post")
        assert reply.message.text == "queued"  # never "posted" for a post that is not there
        await h.wait(retry_delay(1))
        assert not notices(h)  # two failures of a server error: not yet worth a word
        await h.wait(retry_delay(2))
        [notice] = notices(h)
        assert "the news" in notice and "<#news>" in notice and "503" in notice
        [dm] = h.platform.dms_to("maria")
        assert "the news" in dm.text
    async with restarted(h) as again:
        await again.wait(retry_delay(3) + retry_delay(4))
        assert len(notices(again)) == 1 and not again.platform.sent_to("news")  # told once
        del again.platform.refuse["send:news"]  # Discord is back
        await again.wait(retry_delay(5))
        [sent] = again.platform.sent_to("news")
        assert sent.text == "big news"
        assert again.bot.cogs["poster"].delivered[0].ref == sent.ref
        assert not await again.bot.open_notices(again.community)  # the problem is gone
        await again.wait(timedelta(days=2))
        assert len(again.platform.sent_to("news")) == 1  # and it never goes out twice


async def test_a_lasting_refusal_is_told_at_once_with_the_platforms_fix(tmp_path: Path) -> None:
    async with make_harness(tmp_path, extra_cogs=[Poster]) as h:
        h.moderators.add("maria")
        await h.command("maria", "/hearth log-channel channel:#mods")
        fix = "Give Hearth's role Send Messages in #news."
        h.platform.refuse["send:news"] = PlatformError("send: 403", fix=fix, status=403)
        await h.command("maria", "/poster post")
        [notice] = notices(h)
        assert fix in notice


async def test_a_post_past_its_lateness_is_dropped_and_moderators_hear_once(
    tmp_path: Path,
) -> None:
    async with make_harness(tmp_path, extra_cogs=[Poster]) as h:
        h.moderators.add("maria")
        await h.command("maria", "/hearth log-channel channel:#mods")
        h.platform.refuse["send:news"] = PlatformError("send: 500", status=500)
        await h.command("maria", "/poster post late:60")
        await h.wait(timedelta(hours=2))
        del h.platform.refuse["send:news"]
        await h.wait(timedelta(days=1))
        assert not h.platform.sent_to("news")
        post = await h.bot.outbox.latest(h.community, "poster", "news", "1")
        assert post is not None and post.state == "dropped"
        texts = notices(h)
        assert len(texts) == 2  # keeps failing, then gave up: each once
        assert "gave up" in texts[1] and "the news" in texts[1]


def test_a_message_survives_the_database_whole() -> None:
    message = Message(
        "hi <@u1>",
        title="T",
        fields=(Field("a", "b", True),),
        progress=Progress(3, 10),
        buttons=(Button("Join", "missions.join", "7", "primary"),),
        colour=0x57F287,
        footer="f",
        mentions=("u1",),
        role_mentions=("r1",),
        attachments=(Attachment("data.json", b"\x00\xff{}", "d"),),
    )
    assert message_from_json(message_to_json(message)) == message
