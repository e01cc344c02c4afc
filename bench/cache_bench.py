"""The compile cache's figures (imported by bench/run.py; `run()` returns (what, figure, target) rows).

* a generated 10,000-scene story loaded warm (from the cache) against the same load cold;
* `coldcase check` of a 1,000-scene story and of the bundled stories, warm against
  `coldcase check --no-cache`, as an author runs them (a fresh process each time);
* the cost a cold load pays for writing the entry.

Every figure is the best (in-process) or the median (processes) of several runs, taken in turn so a
slow spell of the shared machine touches both sides alike. The cache is a temporary folder.
"""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import generate  # bench/, on the path as the script's folder or put there by bench/run.py
from coldcase_game.story.loader import read_story

Row = tuple[str, str, str]


def _medians(commands: list[list[str]], rounds: int) -> list[float]:
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(rounds):
        for i, cmd in enumerate(commands):
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def run() -> list[Row]:
    rows: list[Row] = []
    saved = os.environ.get("COLDCASE_CACHE_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        os.environ["COLDCASE_CACHE_DIR"] = str(cache)
        try:
            rows += _warm_10k(Path(tmp))
            rows += _write_cost(Path(tmp), cache)
            rows += _check_processes(Path(tmp))
        finally:
            if saved is None:
                os.environ.pop("COLDCASE_CACHE_DIR", None)
            else:
                os.environ["COLDCASE_CACHE_DIR"] = saved
    return rows


def _times(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """The best wall time and the best CPU time of `runs` calls (on a shared machine the CPU time
    says what the code costs; the wall time also counts the neighbours' work)."""
    wall = cpu = float("inf")
    for _ in range(runs):
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    return wall, cpu


def _warm_10k(tmp: Path) -> list[Row]:
    root = generate.write(tmp / "huge", 10_000)
    cold, cold_cpu = _times(lambda: read_story(root, with_warnings=False, use_disk_cache=False), 3)
    read_story(root, with_warnings=False)  # the entry is written
    warm, warm_cpu = _times(lambda: read_story(root, with_warnings=False), 5)
    result = read_story(root, with_warnings=False)
    assert result.story is not None
    assert len(result.story.scenes) == 10_000
    return [
        (
            "load 10,000 scenes cold (no cache)",
            f"{cold * 1000:.0f} ms (CPU {cold_cpu * 1000:.0f} ms)",
            "baseline",
        ),
        (
            "load 10,000 scenes warm (from the cache)",
            f"{warm * 1000:.0f} ms (CPU {warm_cpu * 1000:.0f} ms; {cold / warm:.1f}x faster)",
            "< 1 s",
        ),
    ]


def _write_cost(tmp: Path, cache: Path) -> list[Row]:
    """A cold check with the cache on: the load, the checks and writing the entry."""
    root = generate.write(tmp / "big", 1000)
    bare = written = float("inf")
    for _ in range(7):
        bare = min(bare, _times(lambda: read_story(root, use_disk_cache=False), 1)[1])
        shutil.rmtree(cache, ignore_errors=True)
        written = min(written, _times(lambda: read_story(root), 1)[1])
    return [
        (
            "check 1,000 scenes cold, writing the entry (CPU)",
            f"{written * 1000:.0f} ms (+{(written / bare - 1) * 100:.0f}% over no cache)",
            "report",
        )
    ]


def _check_processes(tmp: Path) -> list[Row]:
    coldcase = str(Path(sys.executable).with_name("coldcase"))
    root = tmp / "big"  # written by _write_cost
    subprocess.run([coldcase, "check", str(root)], stdout=subprocess.DEVNULL, check=False)
    subprocess.run([coldcase, "check"], stdout=subprocess.DEVNULL, check=False)
    cold, warm, cold_all, warm_all = _medians(
        [
            [coldcase, "check", "--no-cache", str(root)],
            [coldcase, "check", str(root)],
            [coldcase, "check", "--no-cache"],
            [coldcase, "check"],
        ],
        rounds=9,
    )
    return [
        ("coldcase check --no-cache, 1,000 scenes", f"{cold * 1000:.0f} ms", "baseline"),
        ("coldcase check, 1,000 scenes, warm", f"{warm * 1000:.0f} ms ({cold / warm:.1f}x faster)", "report"),
        ("coldcase check --no-cache, the bundled stories", f"{cold_all * 1000:.0f} ms", "baseline"),
        (
            "coldcase check, the bundled stories, warm",
            f"{warm_all * 1000:.0f} ms ({cold_all / warm_all:.1f}x faster)",
            "report",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(" | ".join(row))
