"""A welcome story in the playground, asserted on its transcript."""

from bot.config import parse_config
from bot.platforms.playground import run_playground
from bot.registry import available_cogs
from tests.harness import PLAYGROUND_START

STORY = """
# Bob has been around a while; he volunteers to greet newcomers.
as bob
join
say #general morning all!
/welcome greeter on
wait 2h
# Chen joins: a welcome in #welcome introduces bob, and a DM lists the first steps.
as chen
join
say #introductions Hi! I'm Chen, I draw maps 🗺️
/welcome progress
# Bob waves at Chen's welcome.
as bob
press m5 Wave
wait 2h
# Dana joins and never says a word: one gentle reminder a day later, and no more.
as dana
join
wait 24h
wait 3d
""".strip().splitlines()


def answers(transcript: list[str]) -> list[tuple[str, list[str]]]:
    """Each script line with what the bot printed in answer to it, in order."""
    steps: list[tuple[str, list[str]]] = []
    for line in transcript:
        if line.startswith("> "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def answer(steps: list[tuple[str, list[str]]], line: str, occurrence: int = 1) -> list[str]:
    return [printed for said, printed in steps if said == line][occurrence - 1]


async def test_a_welcome_story(tmp_path):
    # Members' activity is flushed every 5 minutes instead of 5 seconds here, only so that
    # four simulated days take seconds: each scheduler step costs a database round trip.
    config = parse_config(
        {"hearth": {"cogs": ["welcome"], "flush_seconds": 300}}, set(available_cogs())
    )
    out: list[str] = []
    errors = await run_playground(
        config,
        tmp_path / "pg.db",
        fresh=True,
        start=PLAYGROUND_START,
        script=STORY,
        write=out.append,
    )
    assert errors == 0, "\n".join(out)
    assert not any(line.startswith(("! ", "[setup]")) for line in out), "\n".join(out)
    steps = answers(out)

    bob_joins = answer(steps, "join", 1)
    assert bob_joins[0].startswith("[#welcome] (m1) Welcome to Hearth Playground, @bob!")
    chen_joins = answer(steps, "join", 2)
    assert chen_joins[0] == (
        "[#welcome] (m5) Welcome to Hearth Playground, @chen! 🎉 You're member number 2, and"
        " we're really glad you're here. Make yourself at home: say hi whenever you're ready,"
        " and ask anything — there are no silly questions here."
    )
    welcome = chen_joins[: chen_joins.index("  [button] 👋 Wave") + 1]
    assert "  @bob is one of our greeters and would love to help you find your way around. 🌟" in (
        welcome
    )
    assert "  Your first steps: 1. Introduce yourself in #introductions" in welcome
    dm = chen_joins[len(welcome) :]
    assert dm[0].startswith("[dm chen] (m6) Hi @chen, welcome to Hearth Playground!")
    assert "  Your greeter is @bob: if you'd like a hand, just send them a message." in dm

    assert answer(steps, "/welcome progress") == [
        "[private to chen] (m8) **Your first steps**",
        "  ✅ 1. Introduce yourself in #introductions",
        "  — All done: welcome aboard! 🎉",
    ]
    waved = answer(steps, "press m5 Wave")
    assert waved[0].startswith("[edit m5] Welcome to Hearth Playground, @chen!")
    assert "  👋 waved: bob" in waved
    assert waved[-1] == (
        "[private to bob] (m9) 👋 You waved at @chen. That will make them feel at home!"
    )

    dana_joins = answer(steps, "join", 3)
    assert dana_joins[0].startswith("[#welcome] (m10) Welcome to Hearth Playground, @dana!")
    assert any(line.startswith("[dm dana] (m11) Hi @dana, welcome") for line in dana_joins)
    a_day_later = answer(steps, "wait 24h")
    assert a_day_later[0] == (
        "[dm dana] (m12) Hi @dana! 🌱 Just a gentle hello from Hearth Playground. No rush at"
        " all: whenever you feel like it, a short hello in any channel is a lovely start."
    )
    assert a_day_later[-1].startswith("(time is now")
    three_days_later = answer(steps, "wait 3d")
    assert len(three_days_later) == 1 and three_days_later[0].startswith("(time is now")

    assert len([line for line in out if line.startswith("[dm dana]")]) == 2  # welcome + 1 reminder
    assert len([line for line in out if line.startswith("[dm chen]")]) == 1  # chen posted
    assert len([line for line in out if line.startswith("[dm bob]")]) == 1  # so did bob
