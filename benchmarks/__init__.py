"""Hearth's benchmarks: ``python -m benchmarks`` (or ``make bench``).

Not part of the test run. Every cog is driven only through the core (``bot.dispatch``
for events, ``bot.interactions.run_text`` for commands), so the benchmark keeps
working while cogs change and measures whatever cogs exist.
"""
