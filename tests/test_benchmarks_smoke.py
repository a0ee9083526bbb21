"""The benchmark entry point still runs end to end (tiny sizes; never asserts timings)."""

from __future__ import annotations

import json

from benchmarks.cli import main
from benchmarks.sizes import SMOKE


def test_benchmark_smoke_writes_json_and_table(tmp_path, capsys):
    assert main(["--preset", "smoke", "--out", str(tmp_path)]) == 0

    table = capsys.readouterr().out
    assert "Ingest: 500 events, 20 communities" in table
    assert "sync work ÷ parse" in table
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and "latest.json" in files
    result = json.loads((tmp_path / "latest.json").read_text(encoding="utf-8"))

    meta = result["meta"]
    assert meta["machine"]["cpu_count"] >= 1
    assert set(meta["machine"]["libraries"]) >= {"discord.py", "slack-bolt", "aiosqlite"}
    assert meta["sizes"]["messages"] == SMOKE.messages

    (run,) = result["runs"]
    # Hearth and discord.py saw exactly the same stream; the naive peer its posts.
    assert run["hearth"]["events"] == run["discord"]["events"] == SMOKE.messages
    posts = run["hearth"]["by_kind"]["message"]["busy"]["count"]
    assert posts == run["discord"]["by_kind"]["message"]["parse"]["count"]
    assert 0 < run["naive"]["messages"] <= posts
    # The tuned peer saw the whole stream and wrote its counters once a minute.
    assert run["tuned"]["events"] == SMOKE.messages and run["tuned"]["messages"] == posts
    assert run["tuned"]["flushes"] >= 1 and run["tuned"]["rows_written"] > 0
    (derived,) = result["derived"]
    for key in ("sync_ratio", "total_ratio", "naive_speedup", "tuned_ratio", "events_per_second"):
        assert derived[key] > 0
    assert result["median"] == derived

    sweeps = result["sweeps"]
    if "questions" in meta["cogs"]:
        assert sweeps["setup"]["questions"] == SMOKE.questions
        (sweep,) = sweeps["runs"]
        assert sweep["query_plans"], "the sweep's statements were captured and explained"
        assert all(plan["plan"] for plan in sweep["query_plans"])
        if "digest" in meta["cogs"]:  # every community's weekly digest went out once
            assert sweep["digest"]["digests_sent"] == SMOKE.sweep_communities
    else:
        assert "skipped" in sweeps["setup"]

    assert result["footprint"]["members"] == SMOKE.members
    assert result["profile"]["dispatch"]["seconds"] > 0
