from datetime import timedelta

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
