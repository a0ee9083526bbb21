"""Forget-me is complete and cannot be half done: every table is walked afterwards, each
cog forgets on its own, and a part that failed is retried at the next start until done."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from bot.app import Bot
from bot.cog import Cog
from bot.messages import MessageRef
from bot.registry import available_cogs
from tests.harness import Harness, make_harness, restarted

ALICE = "U0ALICE7"
MARKER = "zorblax"  # a word only alice ever writes


async def alice_everywhere(h: Harness) -> None:
    """alice joins, talks, asks, answers, claims, contributes, thanks and is thanked."""
    h.moderators.add("maria")
    for line in (
        "/welcome channel channel:#welcome",
        "/questions config help-channel:#help",
        '/mission create name:"Docs" goal:"Write docs" target:10 unit:pages'
        " deadline:7d channel:#missions",
    ):
        reply = await h.command("maria", line)
        assert "✅" in reply.message.text, (line, reply.message.text)
    await h.join("bob")
    await h.join(ALICE)
    docs = await h.say("bob", "help", "How do I build the docs?")
    waiting = await h.say("bob", "help", "How do I run the tests?")
    await h.wait(timedelta(seconds=20))
    for _day in range(3):
        await h.say(ALICE, "general", f"the {MARKER} flibbet sprocket works again today")
        await h.say(ALICE, "help", f"how do I fix the {MARKER} sprocket?")
        await h.say(ALICE, "help", f"{MARKER} fixes it", thread=waiting, reply_to=waiting)
        await h.wait(timedelta(days=1))
    claimed = await h.command(ALICE, "/questions claim", thread=docs, channel="help")
    assert "✅" in claimed.message.text or "on it" in claimed.message.text, claimed.message.text
    await h.command(ALICE, f'/mission contribute amount:2 note:"{MARKER} pages"')
    await h.command(ALICE, f"/kudos @bob thanks for the {MARKER} review")
    await h.command("bob", "/kudos @U0ALICE7 for the docs")
    await h.say("bob", "general", f"thanks <@{ALICE}>!", mentions=(ALICE,))
    await h.command(ALICE, "/nudges off")
    await h.wait(timedelta(minutes=10))  # every buffer flushed


async def traces_of(h: Harness, *needles: str) -> list[str]:
    """Every cell of every table that contains one of ``needles`` (case-insensitive)."""
    found = []
    tables = await h.bot.db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (table,) in tables:
        for row in await h.bot.db.fetch_all(f'SELECT * FROM "{table}"'):
            for column, value in zip(row.keys(), tuple(row), strict=True):
                text = str(value).casefold()
                if any(needle.casefold() in text for needle in needles):
                    found.append(f"{table}.{column}: {value}")
    return found


async def forget_with_the_button(h: Harness, user: str) -> str:
    asked = await h.command(user, "/privacy forget-me")
    [confirm] = [b for b in asked.message.buttons if b.action == "hearth.forget"]
    done = await h.press(user, MessageRef(h.community, "general", "m1"), confirm.action, user)
    assert done is not None and done.private
    return done.message.text


async def test_forget_me_leaves_no_trace_in_any_table(tmp_path):
    async with make_harness(tmp_path, cogs=available_cogs()) as h:
        await alice_everywhere(h)
        before = await traces_of(h, ALICE, MARKER)
        assert any(t.startswith("timers.") for t in before), before  # the welcome reminder
        assert any(t.startswith("members.") for t in before)

        text = await forget_with_the_button(h, ALICE)
        assert text == h.bot.catalog.text("core.privacy.forget_done")
        await h.wait(timedelta(hours=2))  # flushes and jobs after the forget bring nothing back
        left = await traces_of(h, ALICE, MARKER)
        assert left == [], "\n".join(left)


async def test_the_export_holds_claims_and_per_channel_activity(tmp_path):
    async with make_harness(tmp_path, cogs=available_cogs()) as h:
        await alice_everywhere(h)
        reply = await h.command(ALICE, "/privacy export")
        assert reply.private
        [dm] = h.platform.dms_to(ALICE)[-1:]
        [attachment] = dm.message.attachments
        data = json.loads(attachment.data)
        [claim] = data["questions"]["claims"]
        assert claim["channel"] == "help"
        channels = {a["channel"] for a in data["digest"]["activity"]}
        assert channels == {"general", "help"}
        assert data["hearth"]["message_count"] == 9
        assert "scheduled" not in data["hearth"]  # the welcome reminder went out already


class Flaky(Cog):
    """A cog whose forgetting fails while ``broken`` holds something."""

    name = "flaky"
    tables = ()

    def __init__(self, bot: Bot, broken: list[str], forgotten: list[str]) -> None:
        super().__init__(bot)
        self.broken = broken
        self.forgotten = forgotten

    async def delete_user_data(self, community: str, user: str) -> None:
        if self.broken:
            raise RuntimeError("the disk is busy")
        self.forgotten.append(user)

    async def export_user_data(self, community: str, user: str) -> dict[str, Any]:
        if self.broken:
            raise RuntimeError("the disk is busy")
        return {"kept": user not in self.forgotten}


async def test_a_failing_cog_does_not_stop_the_others_and_is_retried_at_the_next_start(
    tmp_path,
):
    broken, forgotten = ["yes"], []
    flaky = [lambda bot: Flaky(bot, broken, forgotten)]
    async with make_harness(tmp_path, cogs=available_cogs(), extra_cogs=flaky) as h:
        await alice_everywhere(h)
        text = await forget_with_the_button(h, ALICE)
        assert "could not be removed yet: flaky" in text
        assert await traces_of(h, MARKER) == []  # every other cog forgot
        assert await h.bot.members.get(h.community, ALICE) is None
        exported = await h.bot.privacy.export(h.community, ALICE)
        assert "could not be read" in exported["flaky"]["error"]
        assert exported["hearth"]["forget_me_pending"][0]["part"] == "flaky"
        row = await h.bot.db.fetch_one("SELECT cog, attempts, last_error FROM forget_requests")
        assert tuple(row) == ("flaky", 1, "RuntimeError: the disk is busy")
        await h.wait(timedelta(hours=1))  # the hourly retry: still broken
        assert await h.bot.db.fetch_value("SELECT attempts FROM forget_requests") == 2
    broken.clear()  # fixed while Hearth was stopped
    async with restarted(h) as again:
        assert forgotten == [ALICE]
        assert await again.bot.db.fetch_value("SELECT COUNT(*) FROM forget_requests") == 0
        assert await traces_of(again, ALICE, MARKER) == []


async def test_a_stop_in_the_middle_is_finished_at_the_next_start(tmp_path):
    async with make_harness(tmp_path, cogs=["welcome", "missions"]) as h:
        await h.join(ALICE)
        await h.say(ALICE, "general", "hello")
        await h.wait(timedelta(minutes=1))
        # The request was written, then the process stopped before any cog ran.
        await h.bot.db.execute_many(
            "INSERT INTO forget_requests (community, user_id, cog, requested_at)"
            " VALUES (?, ?, ?, '2026-03-02T09:00:00+00:00')",
            [(h.community, ALICE, cog) for cog in ("hearth", "missions", "welcome")],
        )
    async with restarted(h) as again:
        assert await again.bot.members.get(again.community, ALICE) is None
        assert await again.bot.db.fetch_value("SELECT COUNT(*) FROM forget_requests") == 0
        assert await traces_of(again, ALICE) == []
