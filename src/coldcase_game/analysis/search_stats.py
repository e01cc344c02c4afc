"""`coldcase explore --stats`: how fast the exhaustive search ran and how much memory a state took.

The search is run twice: once timed as a normal run is, then once under `tracemalloc` for its
peak memory (tracing slows every allocation, so the speed comes from the untraced run). Only
`--stats` pays for this; a normal `explore` never imports tracemalloc.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from coldcase_game.analysis.explore import ExploreResult, explore
from coldcase_game.story.model import Story


@dataclass(frozen=True)
class ExploreStats:
    states: int
    seconds: float
    peak_bytes: int  # the traced search's peak, less what was allocated before it started

    @property
    def states_per_second(self) -> float:
        return self.states / self.seconds if self.seconds > 0 else float(self.states)

    @property
    def bytes_per_state(self) -> float:
        return self.peak_bytes / self.states if self.states else 0.0

    def line(self) -> str:
        return (
            f"Stats: {self.states:,} states searched in {self.seconds:.2f} s "
            f"({self.states_per_second:,.0f} states a second); peak memory {self.peak_bytes / 1e6:,.1f} MB, "
            f"{self.bytes_per_state:,.0f} bytes a state (traced in a second run)"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "states": self.states,
            "seconds": round(self.seconds, 4),
            "states_per_second": round(self.states_per_second),
            "peak_bytes": self.peak_bytes,
            "bytes_per_state": round(self.bytes_per_state),
        }


def explore_with_stats(story: Story, *, max_states: int) -> tuple[ExploreResult, ExploreStats]:
    """explore(), timed, then explored again under tracemalloc; raises ExploreLimit as explore does."""
    import gc
    import tracemalloc

    began = time.perf_counter()
    result = explore(story, max_states=max_states)
    seconds = time.perf_counter() - began
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        traced = explore(story, max_states=max_states)
        peak = tracemalloc.get_traced_memory()[1] - base
        del traced
    finally:
        tracemalloc.stop()
    return result, ExploreStats(result.states, seconds, max(peak, 0))
