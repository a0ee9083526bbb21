"""How big each section is: the issue's defaults, ``--quick``, and the smoke test's."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Sizes:
    messages: int = 200_000  # stream records (posts, reactions, joins)
    communities: int = 1_000
    glossary: int = 10_000  # entries in community 0
    naive_messages: int = 20_000  # the naive peer's sample of the same stream
    commands: int = 200  # latency samples per common command
    sweep_communities: int = 10_000
    questions: int = 1_000_000  # stored questions for the sweeps; 1 % due
    members: int = 10_000  # distinct people posting in the memory section
    footprint_events: int = 2_000  # stream events in the memory section
    profile_events: int = 5_000  # events replayed under cProfile
    stream_hours: float = 1.0  # simulated time the stream spans (flushes run in it)
    runs: int = 3

    def scaled(self, **changes: float) -> Sizes:
        return replace(self, **changes)

    def as_dict(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


DEFAULT = Sizes()

QUICK = Sizes(
    messages=20_000,
    communities=100,
    glossary=1_000,
    naive_messages=4_000,
    commands=50,
    sweep_communities=1_000,
    questions=100_000,
    members=2_000,
    footprint_events=1_000,
    profile_events=2_000,
    runs=1,
)

SMOKE = Sizes(
    messages=500,
    communities=20,
    glossary=50,
    naive_messages=200,
    commands=5,
    sweep_communities=20,
    questions=2_000,
    members=50,
    footprint_events=200,
    profile_events=200,
    stream_hours=0.05,
    runs=1,
)
