"""``python -m benchmarks``: run every section, print the table, write the JSON."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from benchmarks import report
from benchmarks.botrig import LogTally, loadable_cogs
from benchmarks.footprint import run_footprint
from benchmarks.hearth import build_template
from benchmarks.measure import median
from benchmarks.profiling import profile_stream
from benchmarks.run import one_run
from benchmarks.sizes import DEFAULT, QUICK, SMOKE, Sizes
from benchmarks.sweeps import build_sweep_template, run_sweeps

SECTIONS = ("ingest", "sweeps", "footprint", "profile")
PRESETS = {"default": DEFAULT, "quick": QUICK, "smoke": SMOKE}
RESULTS = Path(__file__).parent / "results"


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small: give 1 or more")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Hearth's throughput, latency, sweep and memory benchmarks.",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, one run")
    parser.add_argument("--preset", choices=sorted(PRESETS), default=None)
    parser.add_argument("--runs", type=_positive, help="runs to take medians over (default 3)")
    for name in (
        "messages",
        "footprint-events",
        "communities",
        "glossary",
        "naive-messages",
        "commands",
        "sweep-communities",
        "questions",
        "members",
        "profile-events",
    ):
        parser.add_argument(f"--{name}", type=_positive, metavar="N")
    parser.add_argument("--skip", action="append", choices=SECTIONS, default=[])
    parser.add_argument(
        "--cogs",
        metavar="NAMES",
        help="comma-separated cogs to load (default: every cog that loads), e.g. to see one"
        " cog's own cost: --cogs glossary",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=570,
        metavar="SECONDS",
        help="wall-clock budget; sections are time-boxed to fit (0: no limit; default 570)",
    )
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--out", type=Path, default=RESULTS, help="where the JSON goes")
    args = parser.parse_args(argv)
    if args.budget < 0:
        parser.error("--budget is in seconds: 0 (no limit) or more")
    return args


def sizes_from(args: argparse.Namespace) -> Sizes:
    sizes = PRESETS[args.preset or ("quick" if args.quick else "default")]
    changes = {
        field: getattr(args, field)
        for field in sizes.as_dict()
        if getattr(args, field, None) is not None
    }
    return sizes.scaled(**changes)


def _progress(began: float, text: str) -> None:
    print(f"[{perf_counter() - began:6.1f}s] {text}", file=sys.stderr, flush=True)


class Budget:
    """Wall-clock shares of ``--budget`` for each section, so ``make bench`` ends on time
    however slow the cogs under test are; what was cut is reported, never hidden."""

    INGEST_FIRST = 0.30  # set-up and the first ingest run end by 30 % of the budget
    SWEEPS = 0.70  # sweep runs stop starting after 70 %

    def __init__(self, seconds: float, began: float) -> None:
        self.seconds = seconds
        self.began = began

    def at(self, share: float) -> float | None:
        return None if not self.seconds else self.began + self.seconds * share

    def fits(self, share: float, needed: float) -> bool:
        end = self.at(share)
        return end is None or perf_counter() + needed <= end


async def bench(args: argparse.Namespace) -> dict[str, Any]:
    sizes = sizes_from(args)
    sections = [s for s in SECTIONS if s not in args.skip]
    cogs, skipped = loadable_cogs()
    if args.cogs:
        wanted = {name.strip() for name in args.cogs.split(",") if name.strip()}
        skipped.update({name: "left out with --cogs" for name in cogs if name not in wanted})
        skipped.update({name: "no such cog" for name in wanted - set(cogs) - set(skipped)})
        cogs = [name for name in cogs if name in wanted]
    began = perf_counter()
    budget = Budget(args.budget, began)
    notes: list[str] = []
    result: dict[str, Any] = {
        "meta": {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": report.machine(),
            "sizes": sizes.as_dict(),
            "budget_seconds": args.budget,
            "seed": args.seed,
            "cogs": cogs,
            "cogs_not_loaded": skipped,
            "load_start": _load(),
            "method": (
                "Each run feeds one stream to discord.py's parser, the naive peer and Hearth,"
                " batch by batch, so ratios compare like with like; medians over runs."
                " Sync work is the time Hearth's dispatch coroutine runs on the loop (clock"
                " stopped while it waits for aiosqlite). Heaps are collected and frozen"
                " before each timed section, alike for all contenders."
            ),
        },
        "notes": notes,
    }
    with tempfile.TemporaryDirectory(prefix="hearth-bench-") as scratch:
        work = Path(scratch)
        template = None
        runs: list[dict[str, Any]] = []
        run_seconds = 0.0
        if {"ingest", "footprint", "profile"} & set(sections):
            _progress(began, f"setting up {sizes.communities:,} communities through commands")
            template = await build_template(work / "template.db", sizes, args.seed, cogs)
            result["setup"] = template.as_dict()
        if "ingest" in sections and template is not None:
            _progress(
                began, f"ingest run 1/{sizes.runs}: up to {sizes.messages:,} events (time-boxed)"
            )
            started = perf_counter()
            runs.append(
                await one_run(
                    template, work, sizes, args.seed, cogs, deadline=budget.at(Budget.INGEST_FIRST)
                )
            )
            run_seconds = perf_counter() - started
        if "sweeps" in sections:
            result["sweeps"], result["sweep_median"] = await _sweeps(
                work, sizes, args.seed, cogs, budget, began
            )
        if "footprint" in sections and template is not None:
            _progress(began, "memory")
            result["footprint"] = await run_footprint(template, work, sizes, args.seed, cogs)
        if "profile" in sections and template is not None:
            _progress(began, f"profile of {sizes.profile_events:,} events")
            result["profile"] = await profile_stream(template, work, sizes, args.seed, cogs)
        if runs:
            done = runs[0]["hearth"]["events"]
            if done < sizes.messages:
                notes.append(
                    f"time box: Hearth processed {done:,} of {sizes.messages:,} events in the"
                    f" first run's share of the {args.budget:.0f} s budget; every run used that many"
                )
            while len(runs) < sizes.runs and budget.fits(1.0, run_seconds):
                _progress(began, f"ingest run {len(runs) + 1}/{sizes.runs}: {done:,} events")
                runs.append(await one_run(template, work, sizes, args.seed, cogs, limit=done))
            if len(runs) < sizes.runs:
                notes.append(
                    f"budget: {len(runs)} of {sizes.runs} ingest runs fitted ({run_seconds:.0f} s each)"
                )
            derived = [report.derive(run) for run in runs]
            result.update(runs=runs, derived=derived, median=report.medians(derived))
    result["meta"]["runs"] = len(runs)
    result["meta"]["seconds"] = round(perf_counter() - began, 1)
    result["meta"]["load_end"] = _load()
    return result


async def _sweeps(
    work: Path, sizes: Sizes, seed: int, cogs: list[str], budget: Budget, began: float
) -> tuple[dict[str, Any], dict[str, float]]:
    _progress(
        began, f"building {sizes.questions:,} questions in {sizes.sweep_communities:,} communities"
    )
    info = await build_sweep_template(work / "sweeps-template.db", sizes, seed, cogs)
    sweeps: dict[str, Any] = {"setup": info, "runs": []}
    if "skipped" in info:
        return sweeps, {}
    last = 0.0
    while len(sweeps["runs"]) < sizes.runs and (
        not sweeps["runs"] or budget.fits(Budget.SWEEPS, last)
    ):
        _progress(began, f"sweep run {len(sweeps['runs']) + 1}/{sizes.runs}")
        started = perf_counter()
        sweeps["runs"].append(
            await run_sweeps(work / "sweeps-template.db", info, work, sizes, seed, cogs)
        )
        last = perf_counter() - started
    keys = ("due_sweep_seconds", "idle_sweep_seconds", "startup_seconds")
    medians = {key: median(r[key] for r in sweeps["runs"]) for key in keys}
    if sweeps["runs"][0]["digest"]:
        medians["digest_sweep_seconds"] = median(r["digest"]["seconds"] for r in sweeps["runs"])
    return sweeps, medians


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def closing_notes(result: dict[str, Any]) -> list[str]:
    """Missed targets, with where the time goes (from the profile), and setup problems."""
    notes: list[str] = []
    m = result.get("median", {})
    profile = result.get("profile", {})

    def shares(section: str) -> str:
        data = profile.get(section)
        if not data or not data["seconds"]:
            return "(no profile)"
        parts = [
            f"{owner} {seconds / data['seconds']:.0%}"
            for owner, seconds in data["by_owner"].items()
        ]
        top = data["entry_points"][:3]
        where = "; ".join(f"{e['function']} {e['share']:.0%}" for e in top)
        waited = sum(o["awaited_seconds"] for o in data["sql_by_owner"].values())
        sql = ", ".join(
            f"{owner} {o['awaited_seconds'] / waited:.0%}"
            for owner, o in list(data["sql_by_owner"].items())[:4]
            if waited
        )
        return (
            f"on the loop, by owner: {', '.join(parts[:5])}; top entry points: {where};"
            f" time awaiting SQL, by owner: {sql or 'none'}"
        )

    if m and m["sync_ratio"] > report.SYNC_TARGET:
        notes.append(
            f"sync work is {m['sync_ratio']:.2f}× the parse (target ≤ {report.SYNC_TARGET}×)."
            f" Dispatch time {shares('dispatch')}"
        )
    if m and m["total_ratio"] > report.TOTAL_TARGET:
        notes.append(
            f"total incl. persistence is {m['total_ratio']:.2f}× the parse (target ≤"
            f" {report.TOTAL_TARGET}×); {m['messages_waiting_for_io']:.1%} of messages waited"
            f" for the database in their listener. Job time {shares('jobs')}"
        )
    for name, ok in result.get("setup", {}).get("checks", {}).items():
        if not ok:
            notes.append(f"set-up check failed: {name} (see setup.first_replies in the JSON)")
    for name in result.get("setup", {}).get("not_declared", []):
        notes.append(f"/{name} is not declared: that part of the scenario was left out")
    for name, why in result["meta"]["cogs_not_loaded"].items():
        notes.append(f"cog {name} not loaded: {why}")
    logged = sum(result.get("log", {}).values())
    if logged:
        notes.append(f"the bot logged {logged} warnings/errors (see log in the JSON)")
    return notes


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tally = LogTally()
    tally.install()
    try:
        result = asyncio.run(bench(args))
    finally:
        tally.remove()
    result["log"] = tally.counts
    result["notes"] += closing_notes(result)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = report.write_json(result, args.out, stamp)
    print(report.table(result))
    print(f"\nJSON: {path}")
    return 0
