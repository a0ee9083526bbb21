"""Glossary commands: adding, looking up, browsing, changing, permissions and every bad input."""

from datetime import timedelta

import pytest

from bot.events import MemberJoined
from tests.harness import make_harness


def harness(tmp_path):
    return make_harness(tmp_path, cogs=["glossary"])


async def add(h, user, line):
    return (await h.command(user, "/glossary add " + line)).message


async def names(h) -> list[str]:
    rows = await h.bot.db.fetch_all("SELECT text FROM glossary_names ORDER BY text")
    return [row[0] for row in rows]


async def test_add_define_and_show_to_channel(tmp_path):
    async with harness(tmp_path) as h:
        reply = await add(
            h,
            "alice",
            'term:"f-string" definition:"A formatted string literal" aliases:"f-strings, fstring"',
        )
        assert reply.text == (
            "✅ Added the term **f-string** to the glossary. It also answers to: f-strings, fstring."
        )
        define = await h.command("bob", "/glossary define term:FSTRING", channel="help")
        assert define.private
        assert define.message.title == "📖 f-string"
        assert define.message.text == "A formatted string literal"
        assert not h.platform.sent_to("help")
        show = define.message.buttons[0]
        assert show.label == "Show to channel"
        ref = await h.bot.send(h.community, "help", define.message)  # as the adapter shows it
        h.platform.clear()
        answer = await h.press("bob", ref, show.action, show.value)
        assert answer.message.text == "📣 Shared **f-string** in <#help>."
        [posted] = h.platform.sent_to("help")
        assert posted.message.title == "📖 f-string" and not posted.message.buttons
        assert posted.message.mentions == ()


async def test_jokes_have_origins_and_first_said(tmp_path):
    async with harness(tmp_path) as h:
        await add(
            h,
            "alice",
            'term:"the cake is a lie" definition:"Promises we do not believe" kind:joke'
            ' origin:"Bob promised cake at the 2019 meetup" first-said:"https://chat.example/general/42"',
        )
        origin = (await h.command("carol", '/glossary origin joke:"The Cake is a LIE"')).message
        assert origin.title == "Where “the cake is a lie” came from"
        assert origin.text == "Bob promised cake at the 2019 meetup"
        fields = {f.name: f.value for f in origin.fields}
        assert fields["First said"] == "https://chat.example/general/42"
        assert fields["Added"] == "by <@alice> on 2026-03-02"
        await add(h, "alice", 'term:"LGTM" definition:"looks good to me"')
        no_story = (await h.command("carol", "/glossary origin joke:lgtm")).message
        assert "Nobody has written down where “LGTM” came from yet" in no_story.text


async def test_search_is_fuzzy_with_did_you_mean(tmp_path):
    async with harness(tmp_path) as h:
        await add(h, "alice", 'term:"bikeshedding" definition:"arguing about trivia"')
        await add(
            h, "alice", 'term:"yak shave" definition:"a task behind a task, like bikeshedding"'
        )
        found = (await h.command("bob", "/glossary search text:bikeshedding")).message
        assert [line.split("**")[1] for line in found.text.splitlines()] == [
            "bikeshedding",
            "yak shave",
        ]  # the name first, then the definition that mentions it
        typo = (await h.command("bob", "/glossary search text:bikeshedign")).message
        assert typo.text == "Nothing matches “bikeshedign”. Did you mean “bikeshedding”?"
        define = await h.command("bob", "/glossary define term:yak-shav")
        assert define.message.text == "“yak-shav” isn't in the glossary. Did you mean “yak shave”?"
        nothing = (await h.command("bob", "/glossary search text:quantum")).message
        assert nothing.text.startswith("Nothing in the glossary matches “quantum”")


async def test_list_is_paged_and_alphabetical_across_scripts(tmp_path):
    async with harness(tmp_path) as h:
        words = [
            "Zebra",
            "apple",
            "Äpfel",
            "λόγος",
            "αλφα",
            "ספר",
            "אבא",
            "مكتبة",
            "باب",
            "მადლობა",
        ]
        for word in words:
            await add(h, "maria", f'term:"{word}" definition:"a word"')
        listed = (await h.command("bob", "/glossary list")).message
        order = [line.split("**")[1] for line in listed.text.splitlines()]
        assert order == [
            "Äpfel",
            "apple",
            "Zebra",
            "αλφα",
            "λόγος",
            "אבא",
            "ספר",
            "باب",
            "مكتبة",
            "მადლობა",
        ]
        for i in range(25):
            await add(h, "maria", f'term:"word{i:02}" definition:"filler"')
        page2 = (await h.command("bob", "/glossary list page:2")).message
        assert page2.footer == "Page 2 of 2: `/glossary list page:N`"
        assert len(page2.text.splitlines()) == 15
        too_far = await h.command("bob", "/glossary list page:3")
        assert too_far.private and too_far.message.text == (
            "There is no page 3: the glossary has 2 page(s)."
        )


async def test_new_random_and_autocomplete(tmp_path):
    async with harness(tmp_path) as h:
        await add(h, "maria", 'term:"alpha" definition:"first"')
        await h.wait(timedelta(minutes=1))
        await add(h, "maria", 'term:"beta" definition:"second" kind:joke aliases:"betas"')
        new = (await h.command("bob", "/glossary new")).message
        assert [line.split("**")[1] for line in new.text.splitlines()] == ["beta", "alpha"]
        joke = (await h.command("bob", "/glossary random kind:joke")).message
        assert joke.title == "😄 beta"
        person = h.person("bob")
        completed = await h.bot.interactions.autocomplete(
            h.community, person, ("glossary", "define"), "term", "BET"
        )
        assert completed == ["beta", "betas"]


async def test_authors_and_moderators_edit_alias_and_remove(tmp_path):
    async with harness(tmp_path) as h:
        h.moderators.add("maria")
        await add(h, "alice", 'term:"PR" definition:"pull request"')
        refused = await h.command("bob", '/glossary edit term:PR definition:"public relations"')
        assert refused.message.text == "Only the author of **PR** or a moderator can change it."
        edited = await h.command("alice", '/glossary edit term:pr definition:"a pull request"')
        assert edited.message.text == "✅ Updated **PR**."
        added = await h.command("alice", '/glossary alias add term:PR alias:"PRs"')
        assert added.message.text == "✅ “PRs” now also means **PR**."
        again = await h.command("alice", "/glossary alias add term:PR alias:prs")
        assert again.message.text == "“prs” already means **PR**."
        renamed = await h.command("maria", '/glossary edit term:PRs name:"pull request"')
        assert renamed.message.text == "✅ Updated **pull request**."
        assert await names(h) == ["PRs", "pull request"]
        missing = await h.command("alice", "/glossary alias remove term:PRs alias:MR")
        assert missing.message.text == "“MR” is not an alias of **pull request**. Its aliases: PRs."
        await h.command("alice", "/glossary alias remove term:PRs alias:prs")
        assert await names(h) == ["pull request"]
        await h.say("bob", "general", "open a pull request")
        removed = await h.command("maria", '/glossary remove term:"Pull Request"')
        assert (
            removed.message.text
            == "✅ Removed **pull request** from the glossary, with its usage counts."
        )
        await h.wait(timedelta(seconds=5))  # the buffered use of a removed entry is dropped
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM glossary_entries") == 0
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM glossary_usage_days") == 0


async def test_who_can_add_everyone_members_after_days_or_moderators(tmp_path):
    async with harness(tmp_path) as h:
        h.moderators.add("maria")
        await h.command("maria", "/glossary settings who-can-add:moderators")
        refused = await add(h, "alice", 'term:"x-ray" definition:"y"')
        assert refused.text == "Here only moderators add glossary entries. Ask one to add it!"
        await h.command("maria", "/glossary settings who-can-add:members min-days:7")
        await h.bot.dispatch(
            MemberJoined(
                community=h.community, at=h.clock.now() - timedelta(days=8), user="old", name="old"
            )
        )
        await h.join("newbie")
        newbie = await add(h, "newbie", 'term:"x-ray" definition:"y"')
        assert newbie.text == (
            "Here members can add entries after 7 days in the community: 7 day(s) to go."
            " Until then, ask a moderator!"
        )
        stranger = await add(h, "stranger", 'term:"x-ray" definition:"y"')
        assert "I don't know yet since when you're here" in stranger.text
        assert (await add(h, "old", 'term:"x-ray" definition:"y"')).text.startswith("✅")
        assert (await add(h, "maria", 'term:"gamma" definition:"z"')).text.startswith("✅")


LONG = "x" * 65
BAD_INPUTS = [
    ('term:"" definition:"something"', "Please give `term`."),
    (f'term:"{LONG}" definition:"something"', "`term` can be at most 64 characters (you gave 65)."),
    ('term:"ok" definition:"' + "d" * 1001 + '"', "`definition` can be at most 1000 characters"),
    ('term:"..." definition:"dots"', "“...” has no letters or digits to recognise in chat."),
    ('term:"the" definition:"an article"', "“the” is a very common word here"),
    ('term:"of the" definition:"two articles"', "“of the” is a very common word here"),
    ('term:"PR" definition:"ping @everyone now"', "`definition` can't contain @everyone"),
    ('term:"PR" definition:"hey @here"', "`definition` can't contain @here"),
    ('term:"PR" definition:"<!channel> look"', "`definition` can't contain <!channel>"),
    (
        'term:"PR" definition:"ask <!subteam^S123|@devs>"',
        "`definition` can't contain <!subteam^S123|@devs>",
    ),
    ('term:"PR" definition:"ask <@&42>"', "`definition` can't contain <@&42>"),
    ('term:"PR" definition:"x" origin:"＠everyone saw it"', "`origin` can't contain @everyone"),
    ('term:"<@&42>" definition:"role"', "A name can't contain a mention (<@&42>)"),
    ('term:"hi @everyone" definition:"x"', "A name can't contain a mention (@everyone)"),
    ('term:"F String" definition:"dup"', "“F String” is already in the glossary as **f-string**."),
    ('term:"fstring" definition:"dup"', "“fstring” is already an alias of **f-string**."),
    (
        'term:"new" definition:"x" aliases:"yak shave"',
        "“yak shave” is an entry of its own (**yak shave**)",
    ),
    ('term:"new" definition:"x" aliases:"the"', "“the” is a very common word here"),
    ('term:"PR" definition:"x" kind:meme', "`kind` must be one of: term, joke (you gave “meme”)."),
]


@pytest.mark.parametrize(("line", "answer"), BAD_INPUTS)
async def test_every_bad_input_gets_a_clear_private_answer_and_changes_nothing(
    tmp_path, line, answer
):
    async with harness(tmp_path) as h:
        await add(h, "alice", 'term:"f-string" definition:"formatted" aliases:fstring')
        await add(h, "alice", 'term:"yak shave" definition:"a task behind a task"')
        before = await names(h)
        reply = await h.command("alice", "/glossary add " + line)
        assert reply.private
        assert answer in reply.message.text
        assert await names(h) == before
        assert await h.bot.db.fetch_value("SELECT COUNT(*) FROM glossary_entries") == 2


async def test_bad_edits_and_aliases_change_nothing(tmp_path):
    async with harness(tmp_path) as h:
        await add(h, "alice", 'term:"f-string" definition:"formatted"')
        await add(h, "alice", 'term:"yak shave" definition:"a task behind a task"')
        before = await names(h)
        cases = [
            ('/glossary alias add term:f-string alias:"yak shave"', "is an entry of its own"),
            ('/glossary alias add term:"yak shave" alias:"F-String"', "is an entry of its own"),
            ('/glossary edit term:"yak shave" name:"f string"', "is already in the glossary"),
            ('/glossary edit term:"yak shave" definition:"@here look"', "can't contain @here"),
            ("/glossary edit term:nothing definition:x", "“nothing” isn't in the glossary."),
            ('/glossary edit term:"yak shave"', "Tell me what to change about “yak shave”"),
            ('/glossary settings languages:"en, xx"', "is not a list of languages I know"),
        ]
        h.moderators.add("alice")
        for line, answer in cases:
            reply = await h.command("alice", line)
            assert reply.private and answer in reply.message.text, (line, reply.message.text)
        assert await names(h) == before
        assert h.bot.cogs["glossary"].config(h.community).languages == ["en"]


async def test_common_words_follow_the_community_languages(tmp_path):
    async with harness(tmp_path) as h:
        h.moderators.add("maria")
        assert (await add(h, "alice", 'term:"של" definition:"of"')).text.startswith("✅")
        await h.command("maria", '/glossary settings languages:"he, en"')
        refused = await add(h, "alice", 'term:"אֲנִי" definition:"I"')  # niqqud ignored
        assert refused.text.startswith("“אֲנִי” is a very common word here")


async def test_welcome_gets_the_most_used_terms(tmp_path):
    async with harness(tmp_path) as h:
        for name in ("alpha", "beta", "gamma"):
            await add(h, "maria", f'term:"{name}" definition:"a letter"')
        for _ in range(3):
            await h.say("bob", "general", "gamma rays")
        await h.say("bob", "general", "beta test")
        await h.wait(timedelta(seconds=5))
        glossary = h.bot.cogs["glossary"]
        assert await glossary.top_terms(h.community, 2) == ["gamma", "beta"]
        assert await glossary.top_terms("test:elsewhere", 2) == []
