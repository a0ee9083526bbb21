"""Explaining: the Explain jargon action (also in the playground), newcomer footnotes,
restarts, and what the glossary keeps about a person."""

from datetime import timedelta

from bot.core_cog import export, forget
from bot.messages import MessageRef
from bot.platform import TargetMessage
from bot.platforms.playground import run_playground
from tests.harness import PLAYGROUND_START, harness_config, make_harness, restarted

FLUSH = timedelta(seconds=5)
FOOTNOTES = {"glossary": {"newcomer_help": True, "footnote_every": "2h"}}


async def add(h, line):
    reply = await h.command("maria", "/glossary add " + line)
    assert reply.message.text.startswith("✅"), reply.message.text


async def test_explain_jargon_lists_every_entry_in_the_message_privately(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        await add(h, 'term:"PR" definition:"pull request"')
        await add(h, 'term:"yak shave" definition:"a task behind a task" kind:joke')
        await add(h, 'term:"ספר" definition:"book"')
        text = "Before the PR I had to yak-shave, then read הַסֵּפֶר and another PR"
        target = TargetMessage(MessageRef(h.community, "general", "m1"), "bob", text)
        reply = await h.act("carol", "Explain jargon", target)
        assert reply.private
        assert reply.message.title == "Jargon in that message (3)"
        assert [(f.name, f.value) for f in reply.message.fields] == [
            ("📖 PR", "pull request"),
            ("😄 yak shave", "a task behind a task"),
            ("📖 ספר", "book"),
        ]
        plain = TargetMessage(MessageRef(h.community, "general", "m2"), "bob", "nothing here")
        none = await h.act("carol", "Explain jargon", plain)
        assert none.message.text == "I found no glossary entries in that message."
        assert not h.platform.of_kind("send")


async def test_explain_in_the_playground(tmp_path):
    out: list[str] = []
    script = [
        "as maria --moderator",
        '/glossary add term:"LGTM" definition:"looks good to me"',
        "as bob",
        "say #general LGTM, ship it",
        "explain m2",
    ]
    failures = await run_playground(
        harness_config(cogs=["glossary"]),
        tmp_path / "pg.db",
        fresh=True,
        start=PLAYGROUND_START,
        script=script,
        write=out.append,
    )
    assert failures == 0, out
    explained = "\n".join(out[out.index("(m2)") + 1 :])
    assert "[private to bob]" in explained
    assert "LGTM" in explained and "looks good to me" in explained


async def test_footnotes_are_off_by_default(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        await add(h, 'term:"PR" definition:"pull request"')
        await h.say("bob", "general", "my PR is ready")
        assert not h.platform.of_kind("send")


async def test_a_footnote_once_per_channel_and_entry_within_the_interval(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"], sections=FOOTNOTES) as h:
        await add(h, 'term:"PR" definition:"pull request"')
        await add(h, 'term:"LGTM" definition:"looks good to me"')
        message = await h.say("bob", "general", "my PR is ready, LGTM?")
        assert not h.platform.of_kind("send")  # the listener only queues it
        await h.wait(FLUSH)  # sent by the flush, a few seconds later
        [note] = h.platform.of_kind("send")
        assert note.channel == "general" and note.thread == message
        assert note.text.splitlines() == [
            "📖 **PR**: pull request",
            "📖 **LGTM**: looks good to me",
            "_New here? `/glossary define` explains more words._",
        ]
        assert note.message.mentions == ()
        await h.say("carol", "general", "another PR", thread=message)
        await h.say("dave", "general", "bots too: PR", is_bot=True)
        await h.say("carol", "help", "what's a PR?")  # another channel: explained there too
        await h.wait(FLUSH)
        assert [a.channel for a in h.platform.of_kind("send")] == ["general", "help"]
        await h.wait(timedelta(hours=2))
        await h.say("carol", "general", "one more PR", thread="t9")
        await h.wait(FLUSH)
        last = h.platform.of_kind("send")[-1]
        assert (last.channel, last.thread, last.text.splitlines()[0]) == (
            "general",
            "t9",
            "📖 **PR**: pull request",
        )


async def test_showing_a_definition_counts_as_explained_and_survives_a_restart(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"], sections=FOOTNOTES) as h:
        await add(h, 'term:"PR" definition:"pull request"')
        define = await h.command("bob", "/glossary define term:PR", channel="dev")
        ref = await h.bot.send(h.community, "dev", define.message)
        await h.press_button("bob", h.platform.sent_to("dev")[0], "Show to channel")
        assert len(h.platform.sent_to("dev")) == 2
        assert ref is not None
    async with restarted(h) as again:
        await again.say("carol", "dev", "the PR again")
        await again.wait(FLUSH)
        assert len(again.platform.sent_to("dev")) == 2  # no footnote: shown a moment ago


async def test_entries_and_usage_survive_a_restart(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        await add(h, 'term:"PR" definition:"pull request" aliases:PRs')
        await h.say("bob", "general", "two PRs")  # flushed when the bot closes
    async with restarted(h) as again:
        assert await again.bot.cogs["glossary"].top_terms(again.community, 3) == ["PR"]
        await again.say("bob", "general", "one PR")
        await again.wait(timedelta(seconds=5))
        assert await again.bot.db.fetch_value("SELECT uses FROM glossary_entries") == 2


async def test_forgetting_someone_keeps_their_entries_without_their_name(tmp_path):
    async with make_harness(tmp_path, cogs=["glossary"]) as h:
        alice = await h.command("alice", '/glossary add term:"PR" definition:"pull request"')
        assert alice.message.text.startswith("✅")
        await h.say("alice", "general", "my PR")
        await h.say("bob", "general", "your PR")
        await h.wait(timedelta(seconds=5))
        await h.say("alice", "general", "PR again")  # not flushed yet
        data = await export(h.bot, h.community, "alice")
        assert data["glossary"]["entries_written"][0]["name"] == "PR"
        assert data["glossary"]["usage"][0]["uses"] == 2
        await forget(h.bot, h.community, "alice")
        await h.wait(timedelta(seconds=5))
        entry = await h.bot.db.fetch_one("SELECT author, uses FROM glossary_entries")
        assert (entry["author"], entry["uses"]) == (None, 3)  # totals are anonymous
        people = await h.bot.db.fetch_all("SELECT user_id FROM glossary_usage_people")
        assert [row[0] for row in people] == ["bob"]
        define = await h.command("bob", "/glossary define term:PR")
        fields = {f.name: f.value for f in define.message.fields}
        assert fields["Added"] == "by someone on 2026-03-02"
        assert "<@alice>" not in fields["Usage"]
        assert await export(h.bot, h.community, "alice") == {
            "glossary": {
                "entries_written": [],
                "usage": [],
                "phrases_first_said": [],
                "suggestions_decided": [],
                "reports_made": [],
                "reports_resolved": [],
            },
            "hearth": {},
        }
