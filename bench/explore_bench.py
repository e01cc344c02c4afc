"""The explore bench (imported by bench/run.py; `run()` returns (what, figure, target) rows).

`coldcase explore` of a generated 60-scene hub story with loops (generate.write_hub), run by the
engine at the baseline commit and by ours, in turn, each in a fresh process; the figures are wall
time, CPU time and peak RSS of each child, states a second and bytes a state, and the ratios. Both
reports must give the same proof (state count, endings, walkthrough lengths, soft locks, ranges:
the fields both JSON reports have), or the table says which fields differ.

The baseline is the tree of BASELINE (`git archive`), pip-installed without its dependencies into
a venv that reads them from the running interpreter's site-packages (so nothing is downloaded but
the build backend, from the configured index). The venv is kept under the temporary directory,
keyed by the commit, the Python version and that site-packages folder, so a second run reuses it.

    python bench/explore_bench.py                 # this checkout's engine against the baseline
    python bench/explore_bench.py --ours ../engine/.venv/bin/python   # another checkout's venv
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import generate  # bench/, on the path as the script's folder or put there by bench/run.py

Row = tuple[str, str, str]

BASELINE = "0c1d501"
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCENES = 60
MAX_STATES = 5_000_000
ROUNDS = 2
MB = 1024 * 1024

# Runs a command with its stdout to a file and prints the exit status, the wall time and the child's
# own peak RSS and CPU time: a fresh wrapper per run, so RUSAGE_CHILDREN holds that one child only.
MEASURE = """\
import json, resource, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    t0 = time.perf_counter()
    code = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE).returncode
    wall = time.perf_counter() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = r.ru_maxrss if sys.platform == "darwin" else r.ru_maxrss * 1024
print(json.dumps({"code": code, "wall": wall, "cpu": r.ru_utime + r.ru_stime, "rss": rss}))
"""


class BenchError(Exception):
    """Something that keeps a side from being measured: the table says it in its row."""


# --- the baseline venv ---------------------------------------------------------------------------


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, check=False)


def baseline_commit() -> str:
    """The full id of BASELINE, or BenchError when this clone's history does not have it."""
    try:
        found = _git("rev-parse", "--verify", "--quiet", f"{BASELINE}^{{commit}}")
    except OSError as exc:
        raise BenchError(f"git is not available ({exc.strerror})") from None
    if found.returncode != 0:
        shallow = _git("rev-parse", "--is-shallow-repository").stdout.strip() == b"true"
        why = "a shallow clone" if shallow else "not in this checkout's git history"
        raise BenchError(f"baseline {BASELINE} not measured: {why}")
    return found.stdout.decode().strip()


def _purelib(python: str) -> str:
    out = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two benches at once: the second waits for the first's build
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def baseline_python(cache_root: Path | None = None) -> Path:
    """The python of a venv with the baseline commit installed (built once, then reused)."""
    commit = baseline_commit()
    deps = sysconfig.get_paths()["purelib"]  # textual, rich, PyYAML: the running interpreter's
    tag = hashlib.sha256(f"{sys.version}\0{deps}".encode()).hexdigest()[:10]
    root = cache_root or Path(
        os.environ.get("COLDCASE_BENCH_CACHE") or Path(tempfile.gettempdir()) / "coldcase-bench"
    )
    root.mkdir(parents=True, exist_ok=True)
    home = root / f"baseline-{commit[:12]}-py{sys.version_info[0]}{sys.version_info[1]}-{tag}"
    python = home / "venv" / "bin" / "python"
    stamp = home / "built"
    with _locked(root / f"{home.name}.lock"):
        if stamp.is_file():
            return python
        shutil.rmtree(home, ignore_errors=True)  # a build that stopped half-way
        src = home / "src"
        src.mkdir(parents=True)
        tree = _git("archive", "--format=tar", commit)
        if tree.returncode != 0:
            raise BenchError(f"git archive {BASELINE} failed: {tree.stderr.decode().strip()[-200:]}")
        with tarfile.open(fileobj=io.BytesIO(tree.stdout)) as tar:
            tar.extractall(src, filter="data")
        steps = [
            [sys.executable, "-m", "venv", str(home / "venv")],
            [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(src)],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
                raise BenchError(f"building the baseline venv failed: {' '.join(step[:4])}: {tail}")
        # the dependencies come from the running interpreter's site-packages, after the venv's own
        # (a path line: that folder's own .pth files, such as an editable install of ours, stay unread)
        (Path(_purelib(str(python))) / "zz_coldcase_bench_deps.pth").write_text(deps + "\n", encoding="utf-8")
        check = subprocess.run(
            [str(python), "-c", "import coldcase_game.cli, yaml; print(coldcase_game.__file__)"],
            capture_output=True,
            text=True,
            check=False,
        )
        if check.returncode != 0 or not check.stdout.startswith(str(home)):
            raise BenchError(
                f"the baseline venv does not import its own coldcase_game: {check.stdout}{check.stderr}"
            )
        stamp.write_text(commit + "\n", encoding="utf-8")
    return python


# --- one side's runs -----------------------------------------------------------------------------


@dataclass
class Run:
    code: int
    wall: float
    cpu: float
    rss: int  # bytes


@dataclass
class Side:
    name: str
    coldcase: Path
    load: Run | None = None  # the best of the load-only runs (by RSS)
    full: Run | None = None  # the best of the full runs (by wall time)
    report: dict[str, object] | None = None

    def states(self) -> int:
        assert self.report is not None
        states = self.report["states"]
        assert isinstance(states, int)
        return states

    def bytes_per_state(self) -> float:
        assert self.load
        assert self.full
        return (self.full.rss - self.load.rss) / max(self.states(), 1)


def measure(cmd: list[str], out: Path) -> Run:
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(out), *cmd], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"measuring {' '.join(cmd[:2])} failed: {done.stderr.strip()[-300:]}")
    figures = json.loads(done.stdout)
    return Run(int(figures["code"]), float(figures["wall"]), float(figures["cpu"]), int(figures["rss"]))


def coldcase_of(python: Path) -> Path:
    """The console script beside a venv's python, as a player or author runs it, with the package's
    bytecode compiled (as an installed wheel has it, whether PYTHONDONTWRITEBYTECODE is set or not)."""
    script = python.with_name("coldcase")
    if not script.is_file():
        raise BenchError(f"no coldcase script beside {python}")
    package = "import coldcase_game, os; print(os.path.dirname(coldcase_game.__file__))"
    found = subprocess.run([str(python), "-c", package], capture_output=True, text=True, check=False)
    compiled = found.returncode == 0 and subprocess.run(
        [str(python), "-m", "compileall", "-q", found.stdout.strip()], capture_output=True, check=False
    )
    if not compiled or compiled.returncode != 0:
        raise BenchError(f"{python}: coldcase_game does not import or compile: {found.stderr.strip()[-200:]}")
    return script


def _load_run(side: Side, story: Path, out: Path) -> None:
    # loads the story, sets the search up and stops at its first state (exit 3: more than
    # --max-states): the memory the search itself has not yet taken
    run = measure([str(side.coldcase), "explore", str(story), "--max-states", "1"], out)
    if run.code != 3:
        raise BenchError(f"{side.name}: explore --max-states 1 exited {run.code}, not 3")
    if side.load is None or run.rss < side.load.rss:
        side.load = run


def _full_run(side: Side, story: Path, out: Path, max_states: int) -> None:
    cmd = [str(side.coldcase), "explore", str(story), "--json", "--max-states", str(max_states)]
    run = measure(cmd, out)
    if run.code not in (0, 1):
        raise BenchError(f"{side.name}: explore exited {run.code} (3: more than {max_states:,} states)")
    report = json.loads(out.read_text(encoding="utf-8"))
    if not isinstance(report, dict):
        raise BenchError(f"{side.name}: explore --json did not print an object")
    side.report = report
    if side.full is None or run.wall < side.full.wall:
        side.full = run


# --- the proof both reports give -----------------------------------------------------------------


def _common(a: object, b: object, key: str = "") -> tuple[object, object]:
    """`a` and `b` cut down to what both have: the keys of objects both have, and paths as lengths."""
    if key in ("walkthrough", "path"):
        return (len(a) if isinstance(a, list) else a), (len(b) if isinstance(b, list) else b)
    if isinstance(a, dict) and isinstance(b, dict):
        keys = sorted(a.keys() & b.keys())
        pairs = [_common(a[k], b[k], k) for k in keys]
        return dict(zip(keys, (p[0] for p in pairs), strict=True)), dict(
            zip(keys, (p[1] for p in pairs), strict=True)
        )
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        pairs = [_common(x, y, key) for x, y in zip(a, b, strict=True)]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    return a, b


def proof_differences(a: dict[str, object], b: dict[str, object]) -> list[str]:
    """The top-level fields of two explore reports that do not give the same proof."""
    left, right = _common(a, b)
    assert isinstance(left, dict)
    assert isinstance(right, dict)
    return [k for k in left if left[k] != right[k]]


# --- the section ---------------------------------------------------------------------------------


def _rate(side: Side) -> str:
    assert side.full
    return (
        f"{side.full.wall:.2f} s ({side.full.cpu:.2f} s CPU), {side.states() / side.full.wall:,.0f} states/s"
    )


def _memory(side: Side) -> str:
    assert side.load
    assert side.full
    return (
        f"{side.full.rss / MB:.0f} MB peak, {side.bytes_per_state():,.0f} bytes/state "
        f"(load: {side.load.rss / MB:.0f} MB)"
    )


def run(
    ours: Path | None = None, *, scenes: int = SCENES, rounds: int = ROUNDS, max_states: int = MAX_STATES
) -> list[Row]:
    ours_python = ours or Path(sys.executable)
    label = "ours" if ours is None else f"ours ({ours_python.parent.parent})"
    what = f"explore, {scenes}-scene hub story with loops"
    rows: list[Row] = []
    saved = os.environ.get("COLDCASE_CACHE_DIR")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["COLDCASE_CACHE_DIR"] = str(work / "cache")  # ours' compile cache: fresh, then warm
        try:
            try:
                sides = [Side(label, coldcase_of(ours_python))]
            except BenchError as exc:
                return [(what, str(exc), "")]
            try:
                sides.insert(0, Side(f"baseline {BASELINE}", coldcase_of(baseline_python())))
            except BenchError as exc:
                rows.append((f"explore baseline {BASELINE}", str(exc), "(ours only below)"))
            story = generate.write_hub(work / "hub", scenes)
            for side in sides:  # a valid story for both engines; ours writes its compile cache here
                check = subprocess.run(
                    [str(side.coldcase), "check", str(story)], capture_output=True, text=True, check=False
                )
                if check.returncode != 0:
                    return [*rows, (what, f"{side.name}: coldcase check failed: {check.stdout[-200:]}", "")]
            try:
                for _ in range(rounds):  # in turn, so a slow spell of the shared machine touches both
                    for i, side in enumerate(sides):
                        _load_run(side, story, work / f"load{i}.json")
                    for i, side in enumerate(sides):
                        _full_run(side, story, work / f"full{i}.json", max_states)
            except BenchError as exc:
                return [*rows, (what, str(exc), "")]
        finally:
            if saved is None:
                os.environ.pop("COLDCASE_CACHE_DIR", None)
            else:
                os.environ["COLDCASE_CACHE_DIR"] = saved
    if len(sides) == 1:
        (us,) = sides
        return [
            *rows,
            (what, f"{us.states():,} states", "report"),
            (f"explore, {us.name}", _rate(us), "report"),
            (f"explore memory, {us.name}", _memory(us), "report"),
        ]
    base, us = sides
    assert base.full
    assert us.full
    assert base.report is not None
    assert us.report is not None
    differ = proof_differences(base.report, us.report)
    same = "same proof: yes" if not differ else "same proof: NO (" + ", ".join(differ) + ")"
    states = f"{base.states():,}" if base.states() == us.states() else f"{base.states():,} vs {us.states():,}"
    speed = base.full.wall / us.full.wall
    peak = us.full.rss / base.full.rss
    per_state = us.bytes_per_state() / base.bytes_per_state()
    return [
        *rows,
        (what, f"{states} states, {same}", "same proof"),
        (f"explore, {base.name}", _rate(base), "baseline"),
        (f"explore, {us.name}", _rate(us), "report"),
        ("explore speed-up (wall)", f"{speed:.1f}x (CPU: {base.full.cpu / us.full.cpu:.1f}x)", ">= 10x"),
        (f"explore memory, {base.name}", _memory(base), "baseline"),
        (f"explore memory, {us.name}", _memory(us), "report"),
        ("explore memory ratio (peak RSS)", f"{peak:.2f}x (bytes/state: {per_state:.2f}x)", "<= 0.25x"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ours", type=Path, help="the python of the venv to measure (default: this one)")
    parser.add_argument("--scenes", type=int, default=SCENES, help=f"the hub story's size (default {SCENES})")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"runs of each side (default {ROUNDS})")
    parser.add_argument("--max-states", type=int, default=MAX_STATES, help="passed to both")
    args = parser.parse_args()
    from run import table  # bench/run.py, beside this file

    rows = run(args.ours, scenes=args.scenes, rounds=args.rounds, max_states=args.max_states)
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
