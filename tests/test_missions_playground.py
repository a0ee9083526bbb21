"""The example script runs in the playground from creation to celebration."""

from pathlib import Path

from bot.platforms.playground import run_playground
from tests.harness import PLAYGROUND_START, harness_config

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "mission.txt"


async def test_the_example_mission_runs_from_creation_to_its_stretch_goal(tmp_path):
    out: list[str] = []
    errors = await run_playground(
        harness_config(cogs=["missions"]),
        tmp_path / "pg.db",
        fresh=True,
        start=PLAYGROUND_START,
        script=EXAMPLE.read_text(encoding="utf-8").splitlines(),
        write=out.append,
    )
    assert errors == 0, "\n".join(line for line in out if line.startswith("!"))
    transcript = "\n".join(out)
    assert out[out.index("[#general] (m1) **🎯 Answer 10**") + 1] == (
        "  Answer 10 questions from newcomers this week"
    )
    assert "[pin m1]" in out
    for line in (
        "[#general] (m4) 🚩 “Answer 10” is 25% done: 3/10 answers.",
        "[private to bob] (m8) ✅ +1 for “Answer 10” (contribution #3): now 6/10 answers."
        " Changed your mind? `/mission undo` within 10m.",
        "[private to bob] (m10) ↩️ Took back 1 from “Answer 10”: now 5/10 answers.",
        "[#general] (m11) 🎉 “Answer 10” reached its target: 10/10 answers!",
        "  Thank you, @carol, @alice, @bob.",
        "  The stretch goal is 12 answers: let's keep going!",
        "[#general] (m16) 🚀 “Answer 10” reached its stretch goal: 12 answers!",
        "  Outcome: 🚀 Stretch goal reached",
    ):
        assert line in out, line
    assert "you reached that today" in transcript  # carol's sixth, over the daily cap
    assert transcript.count("reached its target") == 1
    assert "  Past: • **Answer 10**: Answer 10 questions from newcomers this week" in transcript
    edits = [line for line in out if line.startswith("[edit m1]")]
    assert 2 <= len(edits) <= 4  # a few edits, not one per contribution
