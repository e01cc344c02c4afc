"""`make bench`: the project's speed and memory figures, printed as one table.

Each section measures ours side by side with a baseline in the same run, so the
ratios hold on any machine. Sections from the TUI and the saves code are added when
their modules are present (bench/tui_bench.py, bench/saves_bench.py).
"""

from __future__ import annotations

import gc
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

Row = tuple[str, str, str]


def _medians(commands: list[list[str]], rounds: int = 21) -> list[float]:
    """Median wall time of each command, run in turn round after round (so drift in the
    machine's speed touches them all alike)."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(rounds):
        for i, cmd in enumerate(commands):
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in times]


def startup() -> list[Row]:
    py = sys.executable
    coldcase = str(Path(py).with_name("coldcase"))  # the console script, as a player or author runs it
    base, floor, version, check = _medians(
        [
            [py, "-c", "pass"],
            [py, "-c", "import yaml"],
            [coldcase, "--version"],
            [coldcase, "check", "sample"],
        ]
    )
    return [
        ("python -c pass", f"{base * 1000:.0f} ms", "baseline"),
        ("python -c 'import yaml'", f"{floor * 1000:.0f} ms ({floor / base:.1f}x)", "floor for check"),
        ("coldcase --version", f"{version * 1000:.0f} ms ({version / base:.1f}x)", "<= 3x"),
        ("coldcase check sample", f"{check * 1000:.0f} ms ({check / base:.1f}x)", "<= 3x"),
    ]


def _best(fn: Callable[[], object], runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def check_large() -> list[Row]:
    import yaml

    from coldcase_game.story.loader import read_story

    with tempfile.TemporaryDirectory() as tmp:
        root = generate.write(Path(tmp) / "big", 1000)
        files = sorted(root.glob("*.yaml"))
        texts = [p.read_text(encoding="utf-8") for p in files]

        def compose() -> None:
            for text in texts:
                yaml.compose(text, Loader=yaml.CSafeLoader)

        def check() -> None:
            result = read_story(root)
            assert result.story is not None
            assert not result.errors

        # like for like: the loader switches the cyclic GC off while it builds, so the
        # baseline compose runs without it too (with it, compose is 2-3x slower here).
        # Taken in turn, best of 9 each, so a slow spell of the machine touches both.
        bare = ours = float("inf")
        for _ in range(9):
            gc.disable()
            try:
                bare = min(bare, _best(compose, runs=1))
            finally:
                gc.enable()
            ours = min(ours, _best(check, runs=1))
        size = sum(len(t) for t in texts) / 1024
    return [
        (f"CSafeLoader compose, 1,000 scenes ({size:.0f} KiB), GC off", f"{bare * 1000:.0f} ms", "baseline"),
        ("coldcase check, same files", f"{ours * 1000:.0f} ms ({ours / bare:.2f}x)", "<= 1.3x"),
    ]


def explore_speed() -> list[Row]:
    from coldcase_game.analysis.explore import explore
    from coldcase_game.story.loader import load_story

    with tempfile.TemporaryDirectory() as tmp:
        story = load_story(generate.write(Path(tmp) / "ex", 40))
        t0 = time.perf_counter()
        result = explore(story, max_states=2_000_000)
        elapsed = time.perf_counter() - t0
    return [
        (
            "explore, 40 scenes, 3 characters, 10 flags",
            f"{result.states:,} states in {elapsed:.2f} s",
            "report",
        ),
        ("explore speed", f"{result.states / elapsed:,.0f} states/s", "report"),
    ]


def optional(name: str) -> list[Row]:
    path = HERE / f"{name}.py"
    if not path.is_file():
        return [(name, "not present", "")]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.run())


def table(rows: list[Row]) -> str:
    widths = [max(len(r[i]) for r in [*rows, ("what", "figure", "target")]) for i in range(3)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(h.ljust(w) for h, w in zip(("what", "figure", "target"), widths, strict=True)), line]
    out += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def main() -> int:
    sections: list[Callable[[], list[Row]]] = [
        startup,
        check_large,
        explore_speed,
        lambda: optional("tui_bench"),
        lambda: optional("saves_bench"),
    ]
    rows: list[Row] = []
    for section in sections:
        rows.extend(section())
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
