import asyncio
import sqlite3
from datetime import timedelta

import pytest

from tests.harness import make_harness, restarted


async def test_members_registry_buffers_messages_and_flushes_on_a_job(tmp_path):
    async with make_harness(tmp_path) as h:
        await h.join("alice")
        await h.say("alice", "general", "hello")
        await h.say("alice", "general", "again")
        stored = await h.bot.db.fetch_value(
            "SELECT message_count FROM members WHERE user_id = 'alice'"
        )
        assert stored == 0  # buffered, not written per message
        assert (await h.bot.members.get(h.community, "alice")).message_count == 2
        await h.wait(timedelta(seconds=6))
        stored = await h.bot.db.fetch_value(
            "SELECT message_count FROM members WHERE user_id = 'alice'"
        )
        assert stored == 2
    async with restarted(h) as again:
        assert (await again.bot.members.get(again.community, "alice")).message_count == 2


async def test_message_counts_survive_a_failed_flush_and_are_read_while_being_written(tmp_path):
    async with make_harness(tmp_path) as h:
        members, db = h.bot.members, h.bot.db
        await h.say("alice", "general", "hello")
        await db.execute(
            "CREATE TEMP TRIGGER full BEFORE INSERT ON members"
            " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        with pytest.raises(sqlite3.IntegrityError):
            await members.flush()
        await h.say("alice", "general", "again")
        assert (await members.get(h.community, "alice")).message_count == 2
        await db.execute("DROP TRIGGER full")

        flushing = asyncio.create_task(members.flush())
        async with db.transaction():  # the flush has taken the counts and waits for us
            assert (await members.get(h.community, "alice")).message_count == 2
        assert await flushing == 1
        assert (await members.get(h.community, "alice")).message_count == 2
        assert await db.fetch_value("SELECT message_count FROM members") == 2


async def test_a_forgotten_person_is_not_written_back_by_a_flush(tmp_path):
    async with make_harness(tmp_path) as h:
        await h.say("alice", "general", "hello")
        flushing = asyncio.create_task(h.bot.members.flush())
        async with h.bot.db.transaction():
            await h.bot.members.delete(h.community, "alice")
        await flushing
        assert await h.bot.members.get(h.community, "alice") is None
