"""The life of a manual mission through the real core: create, join, contribute, milestones,
undo, completion, stretch, archive; buttons, the post, roles, events, privacy."""

from datetime import timedelta

from bot.cog import Cog, listen
from bot.events import MissionCompleted, MissionContributed
from tests.harness import make_harness

CREATE = (
    '/mission create name:"Answer 10" goal:"Answer 10 questions" target:10 unit:answers'
    " deadline:7d channel:#missions"
)


class Ears(Cog):
    """A cog that only listens, like recognition would."""

    name = "ears"

    def __init__(self, bot) -> None:
        super().__init__(bot)
        self.contributed: list[MissionContributed] = []
        self.completed: list[MissionCompleted] = []

    @listen(MissionContributed)
    def on_contributed(self, event: MissionContributed) -> None:
        self.contributed.append(event)

    @listen(MissionCompleted)
    def on_completed(self, event: MissionCompleted) -> None:
        self.completed.append(event)


def texts(h, channel="missions") -> list[str]:
    return [a.text for a in h.platform.sent_to(channel)]


def announced(h, fragment: str, channel="missions") -> int:
    return sum(fragment in text for text in texts(h, channel))


async def total(h, name="Answer 10") -> int:
    return await h.bot.db.fetch_value("SELECT total FROM missions WHERE name = ?", (name,))


async def test_a_manual_mission_from_creation_to_its_stretch_goal(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        ears = Ears(h.bot)
        h.bot.add_cog(ears)
        h.moderators.add("maria")
        reply = await h.command("maria", CREATE + " stretch:12")
        assert reply.private and "posted in <#missions>" in reply.message.text
        post = h.platform.sent_to("missions")[0]
        assert post.message.title == "🎯 Answer 10"
        assert post.message.progress.current == 0 and post.message.progress.target == 10
        assert [b.label for b in post.message.buttons] == ["Contribute 1"]
        assert [a.ref for a in h.platform.of_kind("pin")] == [post.ref]

        joined = await h.command("alice", "/mission join")
        assert joined.private and "You joined “Answer 10”" in joined.message.text
        await h.command("alice", "/mission contribute 3 answered the pip question")
        note = await h.bot.db.fetch_value("SELECT note FROM mission_contributions WHERE id = 1")
        assert note == "answered the pip question"
        assert announced(h, "25% done") == 1
        await h.command("bob", "/mission contribute 2")
        assert announced(h, "50% done: 5/10") == 1
        pressed = await h.press_button("carol", post, "Contribute 1")
        assert pressed.private and "now 6/10" in pressed.message.text
        undone = await h.command("carol", "/mission undo")
        assert "Took back 1" in undone.message.text and await total(h) == 5
        await h.command("carol", "/mission contribute 1")
        assert announced(h, "50% done") == 1  # crossing 50 % again is not news

        await h.command("dan", "/mission contribute 4")
        celebration = [a for a in h.platform.sent_to("missions") if "reached its target" in a.text]
        assert len(celebration) == 1 and announced(h, "75% done") == 0  # 60 → 100 %: one message
        assert set(celebration[0].message.mentions) == {"alice", "bob", "carol", "dan"}
        assert "12 answers: let's keep going" in celebration[0].text
        assert [e.contributors for e in ears.completed] == [("alice", "bob", "carol", "dan")]

        await h.command("erin", "/mission contribute 2")
        stretch = [a for a in h.platform.sent_to("missions") if "stretch goal: 12" in a.text]
        assert len(stretch) == 1
        state = await h.bot.db.fetch_one("SELECT state, outcome FROM missions")
        assert tuple(state) == ("archived", "stretched")
        late = await h.command("alice", '/mission contribute 1 name:"Answer 10"')
        assert late.private and "is finished" in late.message.text and await total(h) == 12
        assert [(e.user, e.amount) for e in ears.contributed] == [
            ("alice", 3),
            ("bob", 2),
            ("carol", 1),
            ("carol", 1),
            ("dan", 4),
            ("erin", 2),
        ]
        listed = await h.command("bob", "/mission list")
        past = next(f for f in listed.message.fields if f.name == "Past")
        assert "Answer 10" in past.value and "Stretch goal reached" in past.value


async def test_the_post_is_edited_at_most_once_per_round_however_busy(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE.replace("target:10", "target:1000"))
        post = h.platform.sent_to("missions")[0]
        for person in ("a", "b", "c", "d", "e", "f"):
            await h.command(person, "/mission contribute 2")
        assert h.platform.of_kind("edit") == []  # nothing edited per contribution
        await h.wait(timedelta(seconds=5))
        edits = h.platform.of_kind("edit")
        assert len(edits) == 1 and edits[0].ref == post.ref
        assert "12/1000" in edits[0].message.fields[0].value
        await h.wait(timedelta(minutes=5))
        assert len(h.platform.of_kind("edit")) == 1  # no change, no edit


async def test_the_recognition_role_goes_to_everyone_who_contributed(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command(
            "maria", CREATE.replace("target:10", "target:4") + " stretch:9 role:@Helpers"
        )
        await h.command("alice", "/mission contribute 1")
        await h.command("bob", "/mission contribute 3")
        granted = {(a.user, a.role) for a in h.platform.of_kind("role+")}
        assert granted == {("alice", "Helpers"), ("bob", "Helpers")}
        await h.command("carol", "/mission contribute 1")  # after the target, on the way to stretch
        await h.wait(timedelta(seconds=5))
        granted = [(a.user, a.role) for a in h.platform.of_kind("role+")]
        assert sorted(granted) == [("alice", "Helpers"), ("bob", "Helpers"), ("carol", "Helpers")]
        earners = await h.bot.db.fetch_all("SELECT user_id FROM mission_earners ORDER BY user_id")
        assert [r[0] for r in earners] == ["alice", "bob", "carol"]


async def test_earners_are_recorded_without_a_role(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE.replace("target:10", "target:2"))
        await h.command("alice", "/mission contribute 2")
        earners = await h.bot.db.fetch_all("SELECT user_id FROM mission_earners")
        assert [r[0] for r in earners] == ["alice"] and h.platform.of_kind("role+") == []


async def test_status_and_leaderboard_show_progress_people_and_how_to_help(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE + " daily-cap:5")
        await h.command("alice", "/mission contribute 3")
        await h.command("bob", "/mission contribute 4")
        await h.wait(timedelta(hours=1))
        status = await h.command("alice", "/mission status")
        fields = {f.name: f.value for f in status.message.fields}
        assert not status.private
        assert fields["Progress"] == "7/10 answers (70%)"
        assert fields["Time"].startswith("6d 23h left")
        assert fields["Top contributors (2 in all)"] == "<@bob> 4 · <@alice> 3"
        assert "/mission contribute" in fields["How to help"]
        assert fields["Daily cap"] == "at most 5 per person per day"
        assert fields["You"] == "you added 3"
        assert status.message.mentions == ()  # naming people in a status never pings them
        board = await h.command("carol", "/mission leaderboard")
        assert board.message.text.splitlines() == ["1. <@bob> · 4", "2. <@alice> · 3"]


async def test_which_mission_a_person_means(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE)
        await h.command("maria", CREATE.replace("Answer 10", "Guides"))
        vague = await h.command("alice", "/mission contribute 1")
        assert vague.private and "“Answer 10”, “Guides”" in vague.message.text
        await h.command("alice", "/mission join Guides")
        await h.command("alice", "/mission contribute 2 wrote one")  # the one alice joined
        assert await total(h, "Guides") == 2 and await total(h, "Answer 10") == 0
        await h.command("bob", '/mission contribute 1 name:"answer 10"')  # case does not matter
        assert await total(h, "Answer 10") == 1
        typo = await h.command("bob", '/mission contribute 1 name:"Answr 10"')
        assert "Did you mean “Answer 10”?" in typo.message.text
        choices = await h.bot.interactions.autocomplete(
            h.community, h.person("bob"), ("mission", "contribute"), "name", "gui"
        )
        assert choices == ["Guides"]


async def test_an_upcoming_mission_starts_on_time(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        reply = await h.command("maria", CREATE + " starts:1h")
        assert "is scheduled: it starts" in reply.message.text
        assert h.platform.sent_to("missions") == []
        early = await h.command("alice", '/mission contribute 1 name:"Answer 10"')
        assert "has not started yet: it starts in 1h" in early.message.text
        listed = await h.command("alice", "/mission list")
        assert [f.name for f in listed.message.fields] == ["Upcoming"]
        await h.wait(timedelta(hours=1))
        assert len(h.platform.sent_to("missions")) == 1
        await h.wait(timedelta(seconds=5))
        assert h.platform.of_kind("edit") == []  # the post is new: nothing to edit
        await h.command("alice", "/mission contribute 1")
        assert await total(h) == 1


async def test_moderators_edit_extend_cancel_and_remove(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE)
        await h.command("bob", "/mission contribute 6 lots")
        await h.command("bob", "/mission contribute 2")
        removed = await h.command(
            "maria", '/mission remove-contribution @bob counted twice name:"Answer 10"'
        )
        assert removed.private and "#2 (+2)" in removed.message.text and await total(h) == 6
        dm = h.platform.dms_to("bob")[-1]
        assert "removed your contribution #2 (+2)" in dm.text and "counted twice" in dm.text

        edited = await h.command("maria", '/mission edit "Answer 10" target:20 new-name:"Answer 8"')
        assert "Updated “Answer 8”: name, target" in edited.message.text
        assert (await h.command("bob", "/mission status")).message.fields[0].value == (
            "6/20 answers (30%)"
        )
        extended = await h.command("maria", '/mission extend "Answer 8" 2d')
        assert "now ends Wed 2026-03-11 09:00 UTC" in extended.message.text

        cancelled = await h.command("maria", '/mission cancel "Answer 8" the event moved to May')
        assert cancelled.private
        assert announced(h, "cancelled “Answer 8”: the event moved to May") == 1
        assert await h.bot.timers.pending(h.community, "missions", "deadline", "1") is None
        await h.wait(timedelta(seconds=5))
        last_edit = h.platform.of_kind("edit")[-1].message
        assert last_edit.buttons == () and "Cancelled: the event moved to May" in str(
            last_edit.fields
        )


async def test_forgetting_a_person_keeps_the_totals_but_not_their_name(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE.replace("target:10", "target:5"))
        await h.command("alice", "/mission join")
        await h.command("alice", "/mission contribute 3 my secret note")
        await h.command("bob", "/mission contribute 2")
        exported = await h.bot.cogs["missions"].export_user_data(h.community, "alice")
        assert [(c["mission"], c["amount"], c["note"]) for c in exported["contributions"]] == [
            ("Answer 10", 3, "my secret note")
        ]
        assert [j["mission"] for j in exported["joined"]] == ["Answer 10"]
        assert [e["mission"] for e in exported["earned"]] == ["Answer 10"]

        await h.bot.cogs["missions"].delete_user_data(h.community, "alice")
        assert await total(h) == 5
        rows = await h.bot.db.fetch_all("SELECT user_id, amount, note FROM mission_contributions")
        assert sorted(tuple(r) for r in rows if r[0] is None) == [(None, 3, None)]
        board = await h.command("bob", '/mission leaderboard "Answer 10"')
        assert "alice" not in board.message.text and "<@bob> · 2" in board.message.text
        again = await h.bot.cogs["missions"].export_user_data(h.community, "alice")
        assert again == {"contributions": [], "joined": [], "earned": [], "created": []}


async def test_lowering_the_target_below_the_total_completes_the_mission(tmp_path):
    async with make_harness(tmp_path, cogs=["missions"]) as h:
        h.moderators.add("maria")
        await h.command("maria", CREATE)
        await h.command("bob", "/mission contribute 6")
        edited = await h.command("maria", '/mission edit "Answer 10" target:5')
        assert "With the new numbers it is complete" in edited.message.text
        assert announced(h, "reached its target: 6/5") == 1
        state = await h.bot.db.fetch_one("SELECT state, outcome FROM missions")
        assert tuple(state) == ("archived", "reached")
        again = await h.command("maria", '/mission edit "Answer 10" target:4')
        assert again.private and "is already over" in again.message.text
