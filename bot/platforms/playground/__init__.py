"""The terminal playground: a community with no token and no network.

``hearth playground`` starts it interactively (line editing and history);
``--script FILE`` or lines on standard input run a script and print a transcript.
State lives in a SQLite file (``playground.db``), so a session can be continued.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from bot.clock import ManualClock
from bot.config import Config
from bot.platforms.playground.platform import COMMUNITY, PlaygroundPlatform
from bot.platforms.playground.session import HELP, Playground, PlaygroundError
from bot.runtime import running_bot

__all__ = [
    "COMMUNITY",
    "HELP",
    "Playground",
    "PlaygroundError",
    "parse_start",
    "run_playground",
]


def saved_clock(path: Path) -> datetime | None:
    """Where the playground's clock stood when it was last used, if it was."""
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as connection:
            row = connection.execute(
                "SELECT value FROM playground_state WHERE key = 'clock'"
            ).fetchone()
    except sqlite3.Error:
        return None
    return None if row is None else datetime.fromisoformat(row[0])


def prepare_clock(database: Path, fresh: bool, start: datetime | None = None) -> ManualClock:
    """Remove the old playground when ``fresh``; resume its clock otherwise.

    ``start`` fixes where a new playground's clock begins (tests and examples use it, so a
    transcript never depends on the hour it was made); a saved playground keeps its own clock.
    """
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    saved = saved_clock(database)
    if saved is not None and start is not None:
        raise PlaygroundError(
            f"{database} already has its clock at {saved:%Y-%m-%d %H:%M} UTC, so --start "
            "cannot move it: add --fresh to start over, or leave --start out to continue."
        )
    if saved is not None:
        return ManualClock(saved)
    if start is not None:
        return ManualClock(start.astimezone(UTC))
    return ManualClock(datetime.now(UTC).replace(second=0, microsecond=0))


async def run_playground(
    config: Config,
    database: Path,
    *,
    fresh: bool = False,
    start: datetime | None = None,
    script: Iterable[str] | None = None,
    write: Callable[[str], None] = print,
) -> int:
    """Run a script (returns the number of failing lines) or an interactive session."""
    clock = prepare_clock(database, fresh, start)
    async with running_bot(config, clock, database=database) as bot:
        platform = PlaygroundPlatform(bot.db, write)
        bot.add_platform(platform)
        session = Playground(bot, platform, write)
        await session.open()
        if script is not None:
            return await session.run_lines(script)
        await _interactive(session, write)
        return 0


async def _interactive(session: Playground, write: Callable[[str], None]) -> None:
    import asyncio

    try:
        import readline
    except ImportError:  # pragma: no cover - Windows
        readline = None  # type: ignore[assignment]
    history = Path.home() / ".hearth_playground_history"
    if readline is not None:
        try:
            readline.read_history_file(history)
        except OSError:
            pass
    write("Hearth playground — a community in your terminal. Type help for what you can do.")
    write(f"(time is {session.bot.local_now(COMMUNITY):%a %Y-%m-%d %H:%M %Z})")
    while True:
        prompt = f"{session.acting or '(nobody)'}> "
        try:
            line = await asyncio.to_thread(input, prompt)
        except (EOFError, KeyboardInterrupt):
            write("")
            break
        try:
            if not await session.run_line(line):
                break
        except PlaygroundError as error:
            write(f"! {error}")
    if readline is not None:
        try:
            readline.write_history_file(history)
        except OSError:
            pass


def parse_start(text: str) -> datetime:
    """``--start``: an ISO date-time, read as UTC unless it names its own offset."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PlaygroundError(
            f"--start {text!r} is not a date-time: write it as 2026-01-05T09:00 (UTC)."
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def script_lines(path: str | None) -> list[str] | None:
    """Lines of ``path`` ("-" for standard input), or of piped standard input; None: interactive."""
    if path == "-" or (path is None and not sys.stdin.isatty()):
        return sys.stdin.read().splitlines()
    if path is None:
        return None
    return Path(path).read_text(encoding="utf-8").splitlines()
