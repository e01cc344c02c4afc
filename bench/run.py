"""`make bench`: the project's speed and memory figures, printed as one table.

Each section measures ours side by side with a baseline in the same run, so the
ratios hold on any machine. Sections from the TUI and the saves code are added when
their modules are present (bench/tui_bench.py, bench/saves_bench.py). The explore section
(bench/explore_bench.py) runs ours and the engine of a baseline commit, built once in a
temporary venv, on the same generated hub story.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

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
    """(`coldcase check sample` reads the compile cache after its first round, as an author's does.)"""
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
            result = read_story(
                root, use_disk_cache=False
            )  # cold: the compile cache is bench/cache_bench.py's
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


def lsp_refresh() -> list[Row]:
    """The language server's refresh after a one-file edit in a 1,000-scene story (20 files of 50
    scenes): in process (reload, index, diagnostics by file), and as an editor sees it, from sending
    didChange to receiving publishDiagnostics over stdio."""
    if importlib.util.find_spec("pygls") is None:
        return [("lsp refresh", "pygls not installed", "")]

    sys.path.insert(0, str(HERE.parent))
    from tests.lsp.client import LspClient

    from coldcase_game.lsp.project import Project

    with tempfile.TemporaryDirectory() as tmp:
        root = generate.write(Path(tmp) / "big", 1000)
        part = root / "part_007.yaml"
        base = part.read_text(encoding="utf-8")
        # each edit changes what is wrong, so each is published: an unknown flag, then another
        edits = [base.replace("set: [f0]", f"set: [f0{'xy'[i % 2]}]", 1) for i in range(21)]

        project = Project(str(root))
        project.reload()
        times = []
        cpu = []  # CPU time too: on a shared machine the wall time also counts other work
        for text in edits:
            project.set_buffer(str(part), text)
            t0, c0 = time.perf_counter(), time.process_time()
            project.reload()
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        in_process = statistics.median(times)
        # a new scene id changes the names every scene is checked against: all of them are built again
        project.set_buffer(str(part), base.replace("  s351:", "  s351b:", 1))
        t0 = time.perf_counter()
        project.reload()
        renamed = time.perf_counter() - t0
        # a goto to an unknown scene: its did-you-mean compares the name with all 1,000 scene ids
        project.set_buffer(str(part), base.replace("goto: s352", "goto: s35x", 1))
        t0 = time.perf_counter()
        project.reload()
        typo = time.perf_counter() - t0

        client = LspClient(Path(tmp), {"exploreMaxStates": 0})
        client.initialize(root)
        uri = part.as_uri()
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": base}},
        )
        client.diagnostics(uri)

        def server_cpu() -> float:
            """The server's CPU seconds so far (Linux /proc; 0 elsewhere)."""
            stat = Path(f"/proc/{client.proc.pid}/stat")
            if not stat.exists():
                return 0.0
            fields = stat.read_text().rpartition(")")[2].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        cpu0 = server_cpu()
        wire = []
        for version, text in enumerate(edits, 2):
            client.clear()
            t0 = time.perf_counter()
            client.notify(
                "textDocument/didChange",
                {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]},
            )
            client.diagnostics(uri, until=bool)
            wire.append(time.perf_counter() - t0)
        wire_cpu = (server_cpu() - cpu0) / len(edits)
        client.close()
    return [
        (
            "lsp: one-file edit, 1,000 scenes, in process",
            f"{in_process * 1000:.0f} ms ({statistics.median(cpu) * 1000:.0f} ms CPU)",
            "< 100 ms",
        ),
        (
            "lsp: same, didChange -> publishDiagnostics",
            f"{statistics.median(wire) * 1000:.0f} ms (server: {wire_cpu * 1000:.0f} ms CPU)",
            "< 100 ms",
        ),
        ("lsp: an edit that renames a scene id (all rebuilt)", f"{renamed * 1000:.0f} ms", "report"),
        ("lsp: a goto typo (did-you-mean over 1,000 ids)", f"{typo * 1000:.0f} ms", "report"),
    ]


def section_module(name: str) -> ModuleType | None:
    """bench/NAME.py loaded by its path (None when it is not there)."""
    path = HERE / f"{name}.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec
    assert spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # registered first: dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module


def optional(name: str) -> list[Row]:
    module = section_module(name)
    if module is None:
        return [(name, "not present", "")]
    return list(module.run())


def table(rows: list[Row]) -> str:
    widths = [max(len(r[i]) for r in [*rows, ("what", "figure", "target")]) for i in range(3)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(h.ljust(w) for h, w in zip(("what", "figure", "target"), widths, strict=True)), line]
    out += [" | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def main() -> int:
    # the compile cache of the run is a temporary folder: the figures never depend on (nor
    # fill) the user's own
    cache = tempfile.TemporaryDirectory()
    os.environ["COLDCASE_CACHE_DIR"] = cache.name
    sections: list[tuple[str, Callable[[], list[Row]]]] = [
        ("startup", startup),
        ("check_large", check_large),
        ("explore_bench", lambda: optional("explore_bench")),  # ours against the baseline commit's engine
        ("lsp_refresh", lsp_refresh),
        ("tui_bench", lambda: optional("tui_bench")),
        ("saves_bench", lambda: optional("saves_bench")),
        ("cache_bench", lambda: optional("cache_bench")),
    ]
    rows: list[Row] = []
    failed = 0
    for where, section in sections:
        try:
            rows.extend(section())
        except Exception as exc:  # one broken section must not lose the others' figures
            failed += 1
            rows.append((f"{where}: FAILED", f"{type(exc).__name__}: {exc}"[:100], "see the traceback above"))
            traceback.print_exc()
    print(table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
