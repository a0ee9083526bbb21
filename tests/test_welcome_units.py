"""The welcome cog's pure parts: templates, greeter rotation, returning members, wave list."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import ConfigError
from bot.text import isolate
from cogs.welcome.logic import (
    is_returning,
    left_soon,
    pick_greeter,
    steps_ticked_by,
    waved_names,
)
from cogs.welcome.store import GreeterRow, Step
from cogs.welcome.templates import TemplateProblem, channel_names, check_template, render
from tests.harness import make_harness

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "template",
    [
        "Welcome {member} to {community}! You are number {member_count}.",
        "See {channel:introductions} and {channel:#rules}",
        "Braces stay: {{like this}}",
        "Γειά σου {member}! مرحبا {member} — გამარჯობა {community}",
        "{channel:συζήτηση}",
    ],
)
def test_known_placeholders_pass(template):
    check_template(template)


@pytest.mark.parametrize(
    ("template", "kind", "placeholder"),
    [
        ("Hi {user}", "unknown", "{user}"),
        ("Hi {member.name}", "unknown", "{member.name}"),
        ("Hi {member!r}", "unknown", "{member!r}"),
        ("Hi {member:>10}", "unknown", "{member:>10}"),
        ("Hi {}", "unknown", "{}"),
        ("Hi {0}", "unknown", "{0}"),
        ("See {channel}", "channel", "{channel}"),
        ("See {channel:two words}", "channel", "{channel:two words}"),
        ("Hi {member", "braces", ""),
        ("Hi member}", "braces", ""),
    ],
)
def test_bad_placeholders_are_named(template, kind, placeholder):
    with pytest.raises(TemplateProblem) as caught:
        check_template(template)
    assert caught.value.kind == kind
    assert caught.value.placeholder == placeholder


def test_render_fills_values_and_channels():
    template = "Hi {member} in {community}, see {channel:intros} and {channel:#rules} {{ok}}"
    text = render(template, {"member": "<@u1>", "community": "Hearth"}, {"intros": "<#C9>"})
    assert text == "Hi <@u1> in Hearth, see <#C9> and #rules {ok}"
    assert channel_names(template) == ["intros", "rules"]


def test_render_keeps_what_it_does_not_know_instead_of_failing():
    assert render("Hi {nope} {member}", {"member": "x"}, {}) == "Hi {nope} x"
    assert render("broken {", {}, {}) == "broken {"


def _greeter(user, minutes_ago=None):
    when = None if minutes_ago is None else NOW - timedelta(minutes=minutes_ago)
    return GreeterRow(user, when)


def test_pick_greeter_skips_the_newcomer_the_absent_and_the_recent():
    rotation = [_greeter("ana"), _greeter("bo", 30), _greeter("cy", 90), _greeter("di", 120)]
    pick = lambda **kw: pick_greeter(  # noqa: E731
        rotation, now=NOW, cooldown=timedelta(hours=1), **kw
    )
    assert pick(newcomer="zed", absent=set()) == "ana"
    assert pick(newcomer="ana", absent=set()) == "cy"  # bo greeted 30 minutes ago
    assert pick(newcomer="zed", absent={"ana", "cy"}) == "di"
    assert pick(newcomer="zed", absent={"ana", "cy", "di"}) is None


def test_returning_and_leaving_soon():
    assert not is_returning(NOW, NOW, welcomed_before=False)
    assert is_returning(NOW - timedelta(days=3), NOW, welcomed_before=False)
    assert is_returning(None, NOW, welcomed_before=True)
    assert left_soon(NOW, NOW + timedelta(minutes=10), timedelta(minutes=10))
    assert not left_soon(NOW, NOW + timedelta(minutes=11), timedelta(minutes=10))


def test_steps_ticked_by_a_post_are_the_undone_ones_of_that_channel():
    steps = [Step(1, "Intro", "intros"), Step(2, "Rules", None), Step(3, "Again", "intros")]
    assert steps_ticked_by("intros", steps, done={3}) == {1}
    assert steps_ticked_by("general", steps, done=set()) == set()


def test_wave_list_isolates_right_to_left_names_and_stays_short():
    assert isolate("bob") == "bob"
    assert isolate("محمد") == "\u2068محمد\u2069"
    assert isolate("יעל") == "\u2068יעל\u2069"
    assert waved_names(["bob", "محمد", "Νίκος", "ნინო"]) == "bob, \u2068محمد\u2069, Νίκος, ნინო"
    long = waved_names([f"person{i}" for i in range(200)])
    assert len(long) <= 300 and long.endswith("…")


async def test_a_config_template_with_an_unknown_placeholder_stops_the_bot(tmp_path):
    with pytest.raises(ConfigError) as caught:
        async with make_harness(
            tmp_path, cogs=["welcome"], sections={"welcome": {"message": "Hi {usr}"}}
        ):
            pass
    assert "welcome.message" in str(caught.value) and "{usr}" in str(caught.value)
