"""A greeter earns welcome credit when they greet (issue 15): a wave, a reply in the
welcome's thread or to the welcome, a reply to the newcomer, a message mentioning them,
within the greeting window; credited (NewcomerGreeted) once the newcomer has stayed past
the removal window, and never for a newcomer who left within it."""

from datetime import timedelta

from bot.cog import Cog, listen
from bot.events import NewcomerGreeted
from tests.harness import make_harness, restarted


class Recorder(Cog):
    """Listens for NewcomerGreeted the way missions and recognition do."""

    name = "recorder"

    def __init__(self, bot):
        super().__init__(bot)
        self.greeted: list[NewcomerGreeted] = []

    @listen(NewcomerGreeted)
    async def on_greeted(self, event: NewcomerGreeted) -> None:
        self.greeted.append(event)


def credited(h) -> list[tuple[str, str | None]]:
    return sorted((e.newcomer, e.greeter) for e in h.bot.cogs["recorder"].greeted)


async def welcomed(h, newcomer="chen"):
    h.moderators.add("maria")
    reply = await h.command("maria", "/welcome channel channel:#welcome")
    assert "✅" in reply.message.text
    await h.command("bob", "/welcome greeter on")
    await h.join(newcomer)
    return h.platform.sent_to("welcome")[-1]


async def test_being_assigned_earns_nothing_greeting_does(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        post = await welcomed(h)
        assert "<@bob> is one of our greeters" in post.text
        await h.wait(timedelta(hours=1))
        assert credited(h) == []  # bob was assigned, and did not greet
        await h.say("bob", "welcome", "hi Chen, glad you're here!", reply_to=post.ref.id)
        await h.wait(timedelta(minutes=1))
        assert credited(h) == [("chen", "bob")]


async def test_every_kind_of_greeting_counts_once_per_greeter(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        post = await welcomed(h)
        said = await h.say("chen", "general", "hello everyone")
        await h.press_button("ann", post, "Wave")
        await h.say("bob", "welcome", "hi!", thread=post.ref.id)
        await h.say("cat", "general", "welcome!", reply_to=said)
        await h.say("dan", "general", "say hi to chen", mentions=("chen",))
        await h.say("dan", "general", "chen, the FAQ is pinned", mentions=("chen",))
        await h.say("eve", "general", "just chatting")  # not a greeting
        await h.say("chen", "general", "thanks!", reply_to=post.ref.id)  # not their own
        await h.wait(timedelta(minutes=9))
        assert credited(h) == []  # not before the removal window has passed
        await h.wait(timedelta(minutes=2))
        assert credited(h) == [("chen", "ann"), ("chen", "bob"), ("chen", "cat"), ("chen", "dan")]
        events = h.bot.cogs["recorder"].greeted
        assert all(e.at < h.clock.now() - timedelta(minutes=5) for e in events)  # greeted_at


async def test_no_credit_for_a_newcomer_who_left_within_the_removal_window(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        post = await welcomed(h)
        await h.press_button("ann", post, "Wave")
        await h.wait(timedelta(minutes=2))  # the wave is written, not yet credited
        await h.say("bob", "general", "hi chen", mentions=("chen",))
        await h.leave("chen")
        await h.wait(timedelta(hours=1))
        assert credited(h) == []
        states = await h.bot.db.fetch_all("SELECT state FROM welcome_greetings")
        assert [row[0] for row in states] == ["void"]


async def test_a_newcomer_who_stays_past_the_window_and_then_leaves_still_counts(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        post = await welcomed(h)
        await h.press_button("ann", post, "Wave")
        await h.wait(timedelta(minutes=10, seconds=30))
        await h.leave("chen")
        await h.wait(timedelta(minutes=1))
        assert credited(h) == [("chen", "ann")]


async def test_greetings_after_the_window_or_of_members_who_returned_earn_nothing(tmp_path):
    sections = {"welcome": {"greet_window": "2h"}}
    async with make_harness(
        tmp_path, cogs=["welcome"], sections=sections, extra_cogs=[Recorder]
    ) as h:
        await welcomed(h)
        await h.wait(timedelta(hours=3))
        await h.say("bob", "general", "hi chen", mentions=("chen",))
        await h.leave("chen")
        await h.wait(timedelta(hours=2))
        await h.join("chen")  # a returning member, welcomed back
        await h.say("bob", "general", "welcome back chen", mentions=("chen",))
        await h.wait(timedelta(hours=1))
        assert credited(h) == []


async def test_a_greeting_heard_before_a_restart_is_credited_after_it(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome"], extra_cogs=[Recorder]) as h:
        await welcomed(h)
        await h.say("bob", "general", "hi chen", mentions=("chen",))  # in memory only
    async with restarted(h) as again:
        await again.wait(timedelta(minutes=11))
        assert credited(again) == [("chen", "bob")]
        await again.say("bob", "general", "chen, see you at the call", mentions=("chen",))
        await again.wait(timedelta(hours=1))
        assert credited(again) == [("chen", "bob")]  # once per pair, across the restart
