"""Ratios within each run, medians across runs, the table on stdout and the JSON file."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from benchmarks.measure import median

SYNC_TARGET = 0.5
TOTAL_TARGET = 1.0
#: Hearth's total per event, doing every feature, against the tuned peer's two features.
TUNED_TARGET = 3.0
#: Discord's deadline for answering an interaction.
INTERACTION_WINDOW_MS = 3000.0


def _get(data: dict[str, Any], *keys: str, default: float = 0.0) -> Any:
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def derive(run: dict[str, Any]) -> dict[str, float]:
    """The figures the issue asks for, every ratio taken within this one run."""
    hearth, floor, naive = run["hearth"], run["discord"], run["naive"]
    kinds = hearth["by_kind"]
    events = max(1, hearth["events"])
    sync_mean = _get(kinds, "message", "busy", "mean_us")
    parse_mean = _get(floor, "by_kind", "message", "parse", "mean_us")
    floor_all = sum(
        _get(k, "parse", "mean_us") * _get(k, "parse", "count") for k in floor["by_kind"].values()
    ) / max(1, floor["events"])
    jobs_per_event = hearth["jobs"]["per_event_us"]
    hearth_message_total = _get(kinds, "message", "wall", "mean_us") + jobs_per_event
    naive_message = _get(naive, "per_message", "message", "mean_us")
    derived = {
        "events_per_second": hearth["events_per_second"],
        "sync_mean_us": sync_mean,
        "sync_p50_us": _get(kinds, "message", "busy", "p50_us"),
        "sync_p99_us": _get(kinds, "message", "busy", "p99_us"),
        "parse_mean_us": parse_mean,
        "parse_p50_us": _get(floor, "by_kind", "message", "parse", "p50_us"),
        "parse_p99_us": _get(floor, "by_kind", "message", "parse", "p99_us"),
        "sync_ratio": _ratio(sync_mean, parse_mean),
        "sync_ratio_p50": _ratio(
            _get(kinds, "message", "busy", "p50_us"),
            _get(floor, "by_kind", "message", "parse", "p50_us"),
        ),
        "messages_waiting_for_io": _get(kinds, "message", "waited_for_io")
        / max(1, _get(kinds, "message", "busy", "count", default=1)),
        "flush_per_event_us": jobs_per_event,
        "total_per_event_us": hearth["own_total_per_event_us"],
        "parse_all_events_mean_us": floor_all,
        "total_ratio": _ratio(hearth["own_total_per_event_us"], floor_all),
        "naive_per_message_us": naive_message,
        "naive_speedup": _ratio(naive_message, hearth_message_total),
        "tuned_per_event_us": _get(run, "tuned", "total_per_event_us", default=float("nan")),
        "tuned_ratio": _ratio(
            hearth["own_total_per_event_us"],
            _get(run, "tuned", "total_per_event_us", default=float("nan")),
        ),
        "db_bytes_per_100k_messages": run["disk"]["bytes_per_100k_messages"],
        "sql_per_event": (
            sum(k["sql_statements"] for k in kinds.values()) + hearth["jobs"]["sql_statements"]
        )
        / events,
    }
    for label, figures in run["commands"].items():
        derived[f"command {label} p50_ms"] = figures["p50_us"] / 1000
        derived[f"command {label} p99_ms"] = figures["p99_us"] / 1000
    return derived


def medians(derived: list[dict[str, float]]) -> dict[str, float]:
    keys = dict.fromkeys(k for d in derived for k in d)
    return {k: median(d[k] for d in derived if k in d) for k in keys}


def machine() -> dict[str, Any]:
    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
        "libraries": {
            name: version(name)
            for name in ("discord.py", "slack-bolt", "slack-sdk", "aiosqlite", "APScheduler")
        },
        "commit": commit,
    }


def write_json(result: dict[str, Any], directory: Path, stamp: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-{stamp}.json"
    text = json.dumps(result, indent=2, ensure_ascii=False, default=str)
    path.write_text(text, encoding="utf-8")
    (directory / "latest.json").write_text(text, encoding="utf-8")
    return path


def _fmt(value: float, unit: str = "") -> str:
    if value != value:  # NaN: the contender did not run
        return "n/a"
    if abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text}{unit}"


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def table(result: dict[str, Any]) -> str:
    """The readable summary (medians over the runs)."""
    m = result.get("median", {})
    meta = result["meta"]
    lines = [
        f"Hearth benchmarks — {meta['machine']['platform']}, {meta['machine']['cpu_count']} CPUs,"
        f" Python {meta['machine']['python']}, discord.py {meta['machine']['libraries']['discord.py']}",
        f"runs: {meta['runs']} (medians shown; ratios taken within each run)   cogs: {', '.join(meta['cogs'])}",
        f"load average at start/end: {meta['load_start']} / {meta.get('load_end', '?')}",
        "",
    ]
    rows: list[tuple[str, str, str]] = []
    if m:
        sizes = meta["sizes"]
        rows += [
            (f"Ingest: {_events(result)}, {sizes['communities']:,} communities", "", ""),
            ("  events per second (Hearth's own time)", _fmt(m["events_per_second"]), ""),
            ("  own sync work per message: mean / p50 / p99",
             f"{_fmt(m['sync_mean_us'], ' µs')} / {_fmt(m['sync_p50_us'], ' µs')} / {_fmt(m['sync_p99_us'], ' µs')}", ""),
            ("  discord.py parse per message: mean / p50 / p99",
             f"{_fmt(m['parse_mean_us'], ' µs')} / {_fmt(m['parse_p50_us'], ' µs')} / {_fmt(m['parse_p99_us'], ' µs')}", ""),
            ("  sync work ÷ parse (mean; p50 in brackets)",
             f"{_fmt(m['sync_ratio'], '×')} ({_fmt(m['sync_ratio_p50'], '×')})",
             f"≤ {SYNC_TARGET}× {_verdict(m['sync_ratio'] <= SYNC_TARGET)}"),
            ("  messages that waited for the database", f"{m['messages_waiting_for_io']:.1%}", ""),
            ("  flush jobs per event", _fmt(m["flush_per_event_us"], " µs"), ""),
            ("  total per event incl. persistence", _fmt(m["total_per_event_us"], " µs"), ""),
            ("  total ÷ parse (all event kinds)", _fmt(m["total_ratio"], "×"),
             f"≤ {TOTAL_TARGET}× {_verdict(m['total_ratio'] <= TOTAL_TARGET)}"),
            ("  SQL statements per event (listeners + jobs)", _fmt(m["sql_per_event"]), ""),
            ("Naive peer (write + commit + term loop per message)", _fmt(m["naive_per_message_us"], " µs"), ""),
            ("  Hearth speed-up over it", _fmt(m["naive_speedup"], "×"), ""),
            ("Tuned peer (XP with cooldown + term set, flushed each minute), per event",
             _fmt(m.get("tuned_per_event_us", float("nan")), " µs"), ""),
            ("  Hearth total ÷ tuned peer total", _fmt(m.get("tuned_ratio", float("nan")), "×"),
             f"≤ {TUNED_TARGET:g}× {_verdict(m.get('tuned_ratio', float('inf')) <= TUNED_TARGET)}"),
        ]  # fmt: skip
        commands = [
            k.removeprefix("command ").removesuffix(" p50_ms") for k in m if k.endswith("p50_ms")
        ]
        if commands:
            rows.append(
                (
                    f"Commands ({meta['sizes']['communities']:,} communities of data)",
                    "p50 / p99",
                    "",
                )
            )
        for label in commands:
            p99 = m[f"command {label} p99_ms"]
            rows.append(
                (f"  /{label}", f"{_fmt(m[f'command {label} p50_ms'], ' ms')} / {_fmt(p99, ' ms')}",
                 f"< 3 s {_verdict(p99 < INTERACTION_WINDOW_MS)}")
            )  # fmt: skip
        rows.append(
            ("Disk per 100,000 messages", _fmt(m["db_bytes_per_100k_messages"] / 1e6, " MB"), "")
        )
    rows += _sweep_rows(result.get("sweeps"), result.get("sweep_median"))
    rows += _footprint_rows(result.get("footprint"))
    rows += _profile_rows(result.get("profile"))
    if not rows:
        return "\n".join(lines)
    width = max(len(r[0]) for r in rows) + 2
    value_width = max(len(r[1]) for r in rows) + 2
    lines += [f"{a:<{width}}{b:<{value_width}}{c}".rstrip() for a, b, c in rows]
    for note in result.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _events(result: dict[str, Any]) -> str:
    done = result["runs"][0]["hearth"]["events"]
    requested = result["meta"]["sizes"]["messages"]
    if done < requested:
        return f"{done:,} of {requested:,} events (time box)"
    return f"{done:,} events"


def _sweep_rows(
    sweeps: dict[str, Any] | None, med: dict[str, float] | None
) -> list[tuple[str, str, str]]:
    if not sweeps:
        return []
    info = sweeps["setup"]
    if "skipped" in info:
        return [("Sweeps", "skipped", info["skipped"])]
    first = sweeps["runs"][0]
    rows = [
        (f"Sweeps: {info['communities']:,} communities, {info['questions']:,} questions, {info['due']:,} due", "", ""),
        (f"  sweep with the due rows (clock moved {first['window']})", _fmt((med or {}).get("due_sweep_seconds", 0) * 1000, " ms"), ""),
        ("  sweep again, nothing due", _fmt((med or {}).get("idle_sweep_seconds", 0) * 1000, " ms"), ""),
        *_digest_row(first.get("digest"), med),
        ("  every sweep query searches an index", "yes" if first["all_read_only_due_rows"] else "NO",
         _verdict(first["all_read_only_due_rows"])),
        ("  bot start-up on that store", _fmt((med or {}).get("startup_seconds", 0), " s"), ""),
    ]  # fmt: skip
    for name, seconds in first.get("daily_jobs", {}).items():
        rows.append((f"  daily job {name}, all communities", _fmt(seconds * 1000, " ms"), ""))
    return rows


def _digest_row(
    digest: dict[str, Any] | None, med: dict[str, float] | None
) -> list[tuple[str, str, str]]:
    if not digest:
        return []
    seconds = (med or {}).get("digest_sweep_seconds", digest["seconds"])
    sent = max(1, digest["digests_sent"])
    label = f"  weekly digests, all due at once ({digest['digests_sent']:,} sent)"
    return [
        (label, _fmt(seconds * 1000, " ms"), f"{_fmt(seconds * 1000 / sent, ' ms')} each"),
    ]


def _footprint_rows(footprint: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    if not footprint:
        return []
    return [
        ("Memory (traced Python heap)", "", ""),
        ("  per community, after start-up", _fmt(footprint["per_community_started"] / 1024, " KiB"), ""),
        ("  per community, after the stream", _fmt(footprint["per_community_active"] / 1024, " KiB"), ""),
        ("  per 10,000 members", _fmt(footprint["per_10k_members"] / 2**20, " MiB"), ""),
    ]  # fmt: skip


def _profile_rows(profile: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """Where Hearth's time goes, per owner: on the event loop, and awaiting SQL."""
    if not profile:
        return []
    rows = [(f"Profile of {profile['events']:,} events: owner", "on the loop", "awaiting SQL")]
    for section, label in (("dispatch", "listeners"), ("jobs", "jobs and timers")):
        data = profile[section]
        owners = dict.fromkeys([*data["by_owner"], *data["sql_by_owner"]])
        for owner in owners:
            loop = data["by_owner"].get(owner, 0.0)
            sql = data["sql_by_owner"].get(owner, {}).get("awaited_seconds", 0.0)
            rows.append((f"  {label}: {owner}", _fmt(loop * 1000, " ms"), _fmt(sql * 1000, " ms")))
    return rows
