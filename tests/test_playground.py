"""The playground front door: lines in, transcript out, state kept between runs."""

import re
from datetime import datetime, timedelta

import pytest

from bot.platforms.playground import PlaygroundError, parse_start, run_playground
from tests.harness import PLAYGROUND_START, harness_config


def moment(line: str) -> datetime:
    found = re.search(r"(\d{4}-\d{2}-\d{2} \d{2}:\d{2})", line)
    return datetime.strptime(found.group(1), "%Y-%m-%d %H:%M")


async def play(tmp_path, script: str, *, fresh: bool = True) -> list[str]:
    out: list[str] = []
    await run_playground(
        harness_config(cogs=[]),
        tmp_path / "pg.db",
        fresh=fresh,
        start=PLAYGROUND_START if fresh else None,
        script=script.splitlines(),
        write=out.append,
    )
    return out


async def test_messages_get_references_and_bot_lines_say_where_they_went(tmp_path):
    out = await play(
        tmp_path,
        "as alice\n"
        "say #general hello @bob\n"
        "reply m1 and a thread reply\n"
        "/hearth settings\n"
        "as maria --moderator\n"
        "/hearth timezone zone:Asia/Tbilisi\n",
    )
    assert "(m1)" in out and "(m2)" in out
    assert any(line.startswith("[private to alice] (m3) Only moderators") for line in out)
    assert any(
        line.startswith("[private to maria] (m4) ✅ This community's timezone is now Asia/Tbilisi")
        for line in out
    )


async def test_errors_name_the_line_and_the_script_goes_on(tmp_path):
    out = await play(
        tmp_path,
        "say #general nobody yet\nas alice\nsay #nowhere hi\nwait forever\nsay #general still here\n"
        "edit m1\n",
    )
    assert "! line 1: nobody is acting yet: start with “as alice”" in out
    assert any(line.startswith("! line 3: there is no #nowhere") for line in out)
    assert any(line.startswith("! line 4: “forever” is not a duration") for line in out)
    assert "! line 6: edit m7 new text" in out
    assert out[-3] == "(m1)"


async def test_buttons_can_be_pressed_by_label_and_privacy_is_respected(tmp_path):
    out = await play(
        tmp_path,
        "as alice\njoin\n/privacy forget-me\nas bob\npress m1 Forget\nas alice\npress m1 forget me\n",
    )
    assert "! line 5: m1 is only visible to alice" in out
    assert "[private to alice] (m2) Done: Hearth has forgotten you in this community." in out


async def test_the_playground_continues_where_it_left_off(tmp_path):
    first = await play(tmp_path, "as alice\nsay #general one\nwait 3d\n")
    assert any(line.startswith("(time is now") for line in first)
    clock_line = next(line for line in first if line.startswith("(time is now"))
    second = await play(tmp_path, "say #general two\nwait 1m\n", fresh=False)
    assert "(m2)" in second  # same acting person, numbering goes on
    later = next(line for line in second if line.startswith("(time is now"))
    assert moment(later) - moment(clock_line) == timedelta(minutes=1)  # the clock resumed


async def test_start_fixes_a_new_playground_clock_and_is_refused_on_a_saved_one(tmp_path):
    out = await play(tmp_path, "wait 1h\n")
    assert out[-1] == "(time is now Mon 2026-01-05 10:00 UTC)"
    with pytest.raises(PlaygroundError, match="already has its clock at 2026-01-05 10:00 UTC"):
        await run_playground(
            harness_config(cogs=[]),
            tmp_path / "pg.db",
            start=PLAYGROUND_START,
            script=["wait 1m"],
            write=print,
        )


def test_start_is_read_as_utc_unless_it_names_an_offset():
    assert parse_start("2026-01-05T09:00") == PLAYGROUND_START
    assert parse_start("2026-01-05T11:00+02:00") == PLAYGROUND_START
    with pytest.raises(PlaygroundError, match="write it as 2026-01-05T09:00"):
        parse_start("next tuesday")


async def test_time_moves_and_jobs_run(tmp_path):
    out = await play(tmp_path, "as alice\nsay #general hi\nwait 10s\n")
    assert out[-1].startswith("(time is now")


async def test_help_lists_every_line_kind(tmp_path):
    out = await play(tmp_path, "help\n")
    text = "\n".join(out)
    for verb in (
        "as alice",
        "join",
        "say #general",
        "reply m7",
        "react m7",
        "press m9",
        "wait 2h30m",
        "explain m7",
    ):
        assert verb in text
