"""The fuzzer's shared parts: seed and case count, time limits, catching tracebacks, watching for writes.

Every fuzz test draws its cases from `rng(name, i)`: one `random.Random` per case, seeded from
COLDCASE_FUZZ_SEED, the test's name and the case number, so a failure names the one case to rerun.
COLDCASE_FUZZ_CASES sets how many cases each fuzz test runs (the default keeps the suite fast);
`make fuzz` runs a longer campaign with a random seed.
"""

from __future__ import annotations

import contextlib
import io
import os
import random
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

import pytest

DEFAULT_SEED = 20251202
DEFAULT_CASES = 30
CASE_SECONDS = 30.0  # a hang, not a slow case: the loader takes milliseconds on a story


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number, not {value!r}") from None


SEED = _env_int("COLDCASE_FUZZ_SEED", DEFAULT_SEED)
CASES = max(1, _env_int("COLDCASE_FUZZ_CASES", DEFAULT_CASES))


def rng(test: str, case: int) -> random.Random:
    return random.Random(f"{SEED}:{test}:{case}")


def rerun(test: str, case: int) -> str:
    return f"COLDCASE_FUZZ_SEED={SEED} case {case} of {test}"


class Hang(BaseException):
    """A case ran past its time limit (a BaseException, so no `except Exception` in the code hides it)."""


@contextlib.contextmanager
def time_limit(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Raise Hang in the running code after `seconds` (POSIX; elsewhere the case just runs)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Saves are still written, but not flushed to the disk: durability is tested elsewhere
    (tests/saves/test_kill.py), and an fsync per autosave would make the fuzz cases ten times slower."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


@dataclass
class Run:
    """What one in-process call of the `coldcase` command printed and returned."""

    status: int
    out: str
    err: str


def run_cli(argv: Sequence[str], stdin: str = "") -> Run:
    """`coldcase ARGV` in this process, with stdin, stdout and stderr captured.

    An exception escaping `main` is exactly what the player would see as a traceback,
    so it is not caught here: the fuzz test reports it with the case that caused it.
    """
    from coldcase_game.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(list(argv))
            except SystemExit as exc:  # argparse on misuse
                status = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.stdin = saved_stdin
    return Run(status, out.getvalue(), err.getvalue())


def files_under(root: Path) -> dict[str, tuple[int, int]]:
    """Every file below `root` with its size and modification time."""
    found: dict[str, tuple[int, int]] = {}
    for dirpath, _dirs, names in os.walk(root):
        for name in names:
            path = Path(dirpath) / name
            try:
                st = path.lstat()
            except OSError:
                continue
            found[path.relative_to(root).as_posix()] = (st.st_size, st.st_mtime_ns)
    return found


def writes_outside(root: Path, before: dict[str, tuple[int, int]], allowed: Sequence[str]) -> list[str]:
    """Files below `root` created or changed since `before`, except below the `allowed` folders."""
    after = files_under(root)
    changed = [name for name, mark in after.items() if before.get(name) != mark]
    changed += [f"{name} (removed)" for name in before if name not in after]
    return [name for name in changed if not any(name.startswith(a.rstrip("/") + "/") for a in allowed)]


def one_clean_line(text: str) -> str | None:
    """Why `text` is not one clean message line, or None when it is."""
    if not text.strip():
        return "an empty message"
    if "\n" in text.strip("\n"):
        return "a message of more than one line"
    return visible_problem(text)


# C0 controls except tab and newline, DEL, C1 controls, the bidi embeddings, overrides and isolates.
_INVISIBLE = {*range(9), *range(11, 32), *range(127, 160), *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def visible_problem(text: str) -> str | None:
    """A control or bidi character printed raw to the player, or None."""
    for i, ch in enumerate(text):
        if ord(ch) in _INVISIBLE or 0xD800 <= ord(ch) <= 0xDFFF:
            return (
                f"the raw character U+{ord(ch):04X} printed at offset {i}: {text[max(0, i - 40) : i + 10]!r}"
            )
    return None


@dataclass
class Findings:
    """Failures of one fuzz test, each with its case and how to rerun it; reported together."""

    test: str
    items: list[str] = field(default_factory=list)
    cases: int = 0

    def check(self, case: int, what: str, action: Callable[[], list[str]], keep: Path | None = None) -> bool:
        """Run one case's `action`, which returns its problems; a traceback or a hang is a problem too.
        True when the case failed."""
        self.cases += 1
        try:
            with time_limit():
                problems = action()
        except Hang as exc:
            problems = [f"hang: {exc}"]
        except Exception as exc:  # the bug the fuzzer is looking for: it would be a traceback
            problems = [f"traceback: {type(exc).__name__}: {str(exc)[:300]}"]
        return self.add(case, what, problems, keep)

    def add(self, case: int, what: str, problems: list[str], keep: Path | None = None) -> bool:
        if problems:
            where = f" (input kept in {keep})" if keep else ""
            self.items.append(f"{rerun(self.test, case)}: {what}{where}:\n    " + "\n    ".join(problems))
        return bool(problems)

    def report(self) -> str:
        shown = self.items[:10]
        more = f"\n... and {len(self.items) - 10} more" if len(self.items) > 10 else ""
        return f"{len(self.items)} of {self.cases} fuzz cases failed:\n" + "\n".join(shown) + more
