"""Values past what storage and dates can hold get the normal private refusal, never a crash;
text that cannot be encoded is refused where it comes in; masked links stay plain on Discord."""

import discord

from bot.messages import Field, Message, mention
from bot.platforms.discord.render import allowed_mentions, render, unmask_links
from tests.harness import make_harness

HUGE = "99999999999999999999"  # past SQLite's 64-bit integers
SURROGATE = "x\ud800y"  # a lone surrogate: JSON can carry it, UTF-8 cannot encode it


async def test_integers_beyond_sqlite_are_refused_privately(tmp_path):
    async with make_harness(tmp_path, cogs=["missions", "questions"]) as h:
        undo = await h.command("alice", f"/mission undo id:{HUGE}")
        assert undo.private
        assert "larger than any number I can store" in undo.message.text
        solved = await h.command("alice", f"/questions solved question:{HUGE}")
        claim = await h.command("bob", f"/questions claim question:#{HUGE}")
        for reply in (solved, claim):
            assert reply.private
            assert "went wrong" not in reply.message.text, reply.message.text


async def test_a_deadline_past_year_9999_is_refused(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        for deadline in ("999999999d", "9999-12-31", "9999-06-01T10:00-05:00"):
            reply = await h.command(
                "maria",
                '/mission create name:"Far" goal:"Do it" target:5 unit:answers'
                f" deadline:{deadline} channel:#missions",
            )
            assert reply.private, deadline
            assert "too far in the future" in reply.message.text, (deadline, reply.message.text)
        longer = await h.command(
            "maria",
            '/mission create name:"Far" goal:"Do it" target:5 unit:answers'
            " deadline:99999999999999d channel:#missions",
        )
        assert longer.private and "must be a date" in longer.message.text
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM missions") == 0


async def test_a_lone_surrogate_is_refused_in_any_option_and_settings_keep_working(tmp_path):
    async with make_harness(tmp_path, cogs=["recognition", "missions"]) as h:
        h.moderators.add("maria")
        stored = await h.command("maria", f"/recognition settings thanks-add:{SURROGATE}")
        assert stored.private
        assert "cannot be stored" in stored.message.text
        stored.message.text.encode("utf-8")  # the refusal itself can be sent
        view = await h.command("maria", "/recognition settings")
        rendered = view.message.text + "".join(f.name + f.value for f in view.message.fields)
        rendered.encode("utf-8")  # the view no longer carries what cannot be encoded
        note = await h.command("alice", f'/mission contribute amount:1 note:"{SURROGATE}"')
        assert note.private and "cannot be stored" in note.message.text
        unknown = await h.command("alice", f"/missio{SURROGATE}n list")
        assert unknown.private and "cannot be stored" in unknown.message.text


def test_masked_links_in_text_people_supply_are_plain_text_on_discord():
    disguised = "read [the rules](https://elsewhere.example/steal) first"
    message = Message(
        f"{mention('111')} says: {disguised}",
        title="Kudos",
        fields=(Field("Note", disguised),),
        mentions=("111",),
    )
    [part] = render(message)
    assert "\\[the rules](https://elsewhere.example/steal)" in (part.content or "")
    assert part.embed is not None
    assert part.embed.fields[0].value.startswith("read \\[the rules](")
    assert "[the rules](" not in (part.content or "").replace("\\[the rules](", "")
    allowed = allowed_mentions(message, part.content)  # the no-mention guarantee is intact
    assert [u.id for u in allowed.users] == [111]
    assert allowed.everyone is False and allowed.roles is False


def test_masked_links_inside_code_are_left_as_they_are():
    assert unmask_links("`[a](https://x.example)`") == "`[a](https://x.example)`"
    assert unmask_links("```\n[a](https://x.example)\n```") == "```\n[a](https://x.example)\n```"
    assert unmask_links("[a] (b) and [c]") == "[a] (b) and [c]"
    assert unmask_links("**bold** [a](b)") == "**bold** \\[a](b)"  # only the link changes
    assert unmask_links("[a](b)") == discord.utils.escape_markdown("[a](b)")  # as Discord escapes
