"""Odd lines typed into plain mode: numbers of any length, control characters, very long lines and
`:` commands with odd arguments. Each game ends normally, prints nothing raw or unbounded, and
writes nothing outside its save folder."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from tests.conftest import SCENES
from tests.fuzz.harness import CASES, Findings, files_under, no_fsync, rng, visible_problem, writes_outside
from tests.fuzz.mutate import typed_line

from coldcase_game.plain import PlainGame, choose_story
from coldcase_game.session import Session
from coldcase_game.session.plain_saves import PlainSaves
from coldcase_game.story.bundled import bundled_stories
from coldcase_game.story.loader import load_story

STORIES = [load_story(SCENES / "sample"), load_story(SCENES / "clarke")]
SAVE_FILE = re.compile(r"[a-z0-9_-]{1,32}\.json(\.bak)?|progress\.json")
ECHO = 100  # an echoed line is shortened to at most this many characters
LONG = 1100  # a typed line longer than this is never printed back whole, even inside a message


def script(case: int, outside: Path) -> list[str]:
    """Odd lines mixed with real choices, so the odd ones arrive in many scenes."""
    r = rng("plain", case)
    lines = [
        typed_line(r, str(outside)) if r.random() < 0.6 else r.choice(["1", "2", "3", ":undo"])
        for _ in range(r.randint(3, 14))
    ]
    if r.random() < 0.3:
        lines.append(":save fuzzed")
        lines.append(r.choice([":load fuzzed", ":load fuzzed anyway", ":saves"]))
    return lines


def output_problems(out: str, lines: list[str]) -> list[str]:
    problems = []
    if "Traceback" in out:
        problems.append("printed a traceback")
    bad = visible_problem(out)
    if bad:
        problems.append(f"printed {bad}")
    problems += [
        f"printed back a {len(line):,}-character line whole: {line[:40]!r}..."
        for line in lines
        if len(line.strip()) > LONG and line.strip()[:LONG] in out
    ]
    problems += [
        f"echoed a line of {len(echo) - 2:,} characters: {echo[:40]!r}..."
        for echo in out.splitlines()
        if echo.startswith("> ") and len(echo) > 2 + ECHO
    ]
    return problems


def brief(lines: list[str]) -> str:
    """The lines of a case, each cut short, for the failure report."""
    return (
        "lines ["
        + ", ".join(repr(line[:50]) + (f"+{len(line) - 50}" if len(line) > 50 else "") for line in lines)
        + "]"
    )


def play_case(case: int, root: Path) -> list[str]:
    outside = root / "outside"
    lines = script(case, outside)
    story = STORIES[case % len(STORIES)]
    out = io.StringIO()
    game = PlainGame(
        Session(story), io.StringIO("\n".join(lines) + "\n"), out, saves=PlainSaves(root / "saves", story)
    )
    status = game.run()
    problems = [] if status == 0 else [f"run returned {status}"]
    problems += output_problems(out.getvalue(), lines)
    if any(outside.iterdir()):
        problems.append(f"wrote into {outside}: {sorted(p.name for p in outside.iterdir())}")
    saves = root / "saves"
    strays = [p.name for p in saves.iterdir() if not SAVE_FILE.fullmatch(p.name)] if saves.is_dir() else []
    if strays:
        problems.append(f"unexpected files in the save folder: {strays[:5]}")
    return problems


def test_odd_lines_typed_in_plain_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    no_fsync(monkeypatch)
    findings = Findings("plain")
    for case in range(CASES * 3):
        root = tmp_path / f"case{case}"
        cwd = root / "cwd" / "a" / "b"  # so ../../etc/x would land inside this case's folder
        cwd.mkdir(parents=True)
        (root / "outside").mkdir()
        monkeypatch.chdir(cwd)
        before = files_under(tmp_path)
        failed = findings.check(case, brief(script(case, root / "outside")), partial(play_case, case, root))
        outside = writes_outside(tmp_path, before, [f"case{case}/saves"])
        if findings.add(case, "writes", [f"wrote outside the save folder: {outside[:5]}"] if outside else []):
            failed = True
        monkeypatch.chdir(tmp_path)
        if not failed:
            shutil.rmtree(root)
    assert not findings.items, findings.report()


def test_odd_lines_typed_at_the_case_menu(tmp_path: Path) -> None:
    """`coldcase play --plain` without a story first asks which case: the same lines there."""
    stories = bundled_stories()
    findings = Findings("menu")
    for case in range(CASES):
        r = rng("menu", case)
        lines = [typed_line(r, str(tmp_path)) for _ in range(r.randint(1, 6))]
        out = io.StringIO()

        def action(lines: list[str] = lines, out: io.StringIO = out) -> list[str]:
            chosen = choose_story(stories, io.StringIO("\n".join(lines) + "\n"), out)
            problems = output_problems(out.getvalue(), lines)
            if chosen is not None and chosen not in stories:
                problems.append(f"chose {chosen!r}")
            return problems

        findings.check(case, brief(lines), action)
    assert not findings.items, findings.report()


def test_random_bytes_piped_into_the_real_command(tmp_path: Path) -> None:
    """A few cases through the real process: bytes that are not text, and stdio encodings that
    cannot show the story (what a pipe, a Latin-1 terminal or a Windows console gives)."""
    findings = Findings("bytes")
    for case in range(max(2, CASES // 20)):
        r = rng("bytes", case)
        lines = [
            bytes(r.randrange(256) for _ in range(r.randint(0, 40))) if r.random() < 0.5 else b"1"
            for _ in range(r.randint(2, 10))
        ]
        encoding = r.choice(["utf-8", "ascii", "latin-1", "cp1252"])
        cwd = tmp_path / f"case{case}"
        cwd.mkdir()
        env = {**os.environ, "PYTHONIOENCODING": encoding, "COLDCASE_SAVES": str(cwd / "saves")}
        args = ["play", "--plain"] + (["clarke"] if r.random() < 0.7 else [])

        def action(
            lines: list[bytes] = lines, env: dict[str, str] = env, cwd: Path = cwd, args: list[str] = args
        ) -> list[str]:
            result = subprocess.run(
                [sys.executable, "-m", "coldcase_game", *args],
                input=b"\n".join(lines) + b"\n",
                capture_output=True,
                timeout=120,
                env=env,
                cwd=cwd,
            )
            problems = [] if result.returncode == 0 else [f"exited {result.returncode}"]
            if result.stderr:
                problems.append(f"wrote to stderr: {result.stderr[-300:]!r}")
            strays = [p.name for p in cwd.iterdir() if p.name != "saves"]
            if strays:
                problems.append(f"wrote {strays} outside the save folder")
            return problems

        findings.check(case, f"{encoding}, {args}, lines {[line[:30] for line in lines]!r}", action)
    assert not findings.items, findings.report()
