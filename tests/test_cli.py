"""The hearth command, run as a person would run it."""

import logging
import subprocess
import sys

import pytest

from bot.__main__ import main


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    # main() sets the root logger's level (the playground quiets it): give it back afterwards,
    # or later tests that read warnings with caplog see none.
    monkeypatch.setattr(logging.getLogger(), "level", logging.getLogger().level)
    monkeypatch.chdir(tmp_path)
    for name in (
        "DISCORD_TOKEN",
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "SLACK_SIGNING_SECRET",
        "HEARTH_CONFIG",
    ):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_run_without_a_token_explains_what_to_set(workdir, capsys):
    assert main(["run"]) == 2
    out = capsys.readouterr().out
    assert "DISCORD_TOKEN" in out and "SLACK_BOT_TOKEN" in out and "SLACK_APP_TOKEN" in out
    assert "hearth playground" in out


def test_check_reports_cogs_and_platforms(workdir, capsys):
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "config: defaults" in out and "platforms: none" in out


def test_a_broken_config_stops_start_up_naming_the_key(workdir, capsys):
    (workdir / "config.toml").write_text('[hearth]\nflush_seconds = "often"\n', encoding="utf-8")
    assert main(["check"]) == 2
    assert "hearth.flush_seconds: expected a whole number" in capsys.readouterr().err


def test_migrate_then_backup(workdir, capsys):
    assert main(["migrate", "--db", str(workdir / "h.db")]) == 0
    assert main(["backup", str(workdir / "copy.db"), "--db", str(workdir / "h.db")]) == 0
    assert (workdir / "copy.db").stat().st_size > 0


def test_playground_script_from_stdin_in_a_subprocess(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "playground",
            "--fresh",
            "--start",
            "2026-01-05T09:00",
            "--db",
            str(tmp_path / "p.db"),
            "--script",
            "-",
        ],
        input="as alice\nsay #general hi\nfly away\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert "(m1)" in result.stdout
    assert "! line 3: unknown line “fly”" in result.stdout
    assert result.returncode == 1  # a script with a failing line says so


def test_playground_start_on_a_saved_playground_is_refused(workdir, tmp_path, capsys):
    db = str(tmp_path / "p.db")
    assert (
        main(
            [
                "playground",
                "--fresh",
                "--start",
                "2026-01-05T09:00",
                "--db",
                db,
                "--script",
                "/dev/null",
            ]
        )
        == 0
    )
    assert (
        main(["playground", "--start", "2026-02-01T09:00", "--db", db, "--script", "/dev/null"])
        == 2
    )
    assert "add --fresh to start over" in capsys.readouterr().err
