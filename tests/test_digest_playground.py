"""The example week runs in the playground: the digest, a nudge, the moderators' notes,
and the welcome's reminder as the newcomer's only one."""

from pathlib import Path

from bot.platforms.playground import run_playground
from bot.registry import available_cogs
from tests.harness import PLAYGROUND_START, harness_config

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "week.txt"


def block(out: list[str], start: int) -> list[str]:
    """A bot message: its first line and the indented lines that follow it."""
    lines = [out[start]]
    for line in out[start + 1 :]:
        if not line.startswith("  "):
            break
        lines.append(line.strip())
    return lines


def blocks(out: list[str], prefix: str) -> list[list[str]]:
    return [block(out, i) for i, line in enumerate(out) if line.startswith(prefix)]


async def test_the_example_week_shows_the_digest_and_the_nudges(tmp_path):
    out: list[str] = []
    errors = await run_playground(
        harness_config(cogs=available_cogs()),
        tmp_path / "pg.db",
        fresh=True,
        start=PLAYGROUND_START,
        script=EXAMPLE.read_text(encoding="utf-8").splitlines(),
        write=out.append,
    )
    assert errors == 0, "\n".join(line for line in out if line.startswith("!"))
    # The playground's clock starts now, so the week holds exactly one Sunday 18:00.
    (digest,) = blocks(out, "[#news]")
    assert digest[0].endswith("**📰 The week in Hearth Playground**")
    assert any(line.startswith("👋 People:") for line in digest)

    # Bob went quiet after joining the mission: one nudge, about it, saying how to stop.
    (bob,) = [b for b in blocks(out, "[dm bob]") if "it's been a while" in b[0]]
    assert bob[1] == "“Docs sprint”, the mission you joined, is still going: every bit helps."
    assert "`/nudges off`" in bob[-1]

    # Carol never posted: the welcome's reminder is her one reminder, not a second nudge.
    carol = blocks(out, "[dm carol]")
    assert len(carol) == 2 and "gentle hello" in carol[1][0]
    assert not any("/nudges off" in line for b in carol for line in b)

    # Moderators: the unanswered question past 12h, and the mission falling behind.
    notes = blocks(out, "[#mods]")
    assert all(note[0].endswith("**🛎️ For moderators**") for note in notes)
    told = [line for note in notes for line in note]
    assert any(line.startswith("• “Is there a dark mode?”: waiting 12h") for line in told)
    assert any(line.startswith("• **Docs sprint**: 0/4 pages (0%), ends in") for line in told)
    assert not any("change my avatar" in line for line in told)  # bob answered that one

    # The preview of the last seven full days, a week on.
    (preview,) = [b for b in blocks(out, "[private to maria]") if "🔍 Preview" in "".join(b)]
    assert preview[1:] == [
        "🔍 Preview of the digest for the last seven full days (only you see this).",
        preview[2],
        "👋 People: 4 new members, 3 of them posted (75%).",
        "3 members were active.",
        "❓ Questions: 2 asked, 1 answered.",
        "Median time to a first response: under a minute.",
        "🎯 Missions: • **Docs sprint**: 0/4 pages (0%), ends in 2d ⏳ ending soon",
        "📖 Glossary: New entries: “LGTM”.",
        "⭐ Most thanked: • @bob ×1: “for the avatar tip”",
        "👉 You can help: “Docs sprint” is the mission most behind pace: 0/4 pages with 2d to go.",
    ]
