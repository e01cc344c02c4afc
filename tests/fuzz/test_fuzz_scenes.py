"""Mutated copies of the bundled scene files through `check` (the API and the command), `explore`
(bounded) and plain-mode play: every case ends in a result or located one-line diagnostics."""

from __future__ import annotations

import json
import re
import shutil
from functools import partial
from pathlib import Path

import pytest
from tests.conftest import SCENES
from tests.fuzz.harness import (
    CASES,
    Findings,
    files_under,
    no_fsync,
    rng,
    run_cli,
    visible_problem,
    writes_outside,
)
from tests.fuzz.mutate import mutate_bytes, mutate_yaml

from coldcase_game.story.loader import read_story

STORIES = sorted(p.name for p in SCENES.iterdir() if (p / "story.yaml").is_file())
DIAGNOSTIC = re.compile(r"^.+:[1-9][0-9]*:[1-9][0-9]*: (error|warning)\[[EW][0-9]{3}\]: \S.*$")
SUMMARY = re.compile(r"^[0-9]+ errors?, [0-9]+ warnings? in [0-9]+ files?$")
MAX_STATES = 400
PLAYED = [
    "1",
    "1",
    "1",
    "2",
    "2",
    "3",
    "4",
    "9",
    ":undo",
    ":restart",
    ":status",
    ":look",
    ":save s1",
    ":load s1",
]


def script(case: int) -> str:
    """A short scripted game: mostly choices, some numbers not on the list, the commands that step back."""
    r = rng("script", case)
    return "\n".join(r.choice(PLAYED) for _ in range(r.randint(4, 14))) + "\n:quit\n"


def mutated_story(case: int, root: Path) -> tuple[Path, str]:
    """A copy of one bundled story with one to three of its files mutated."""
    r = rng("scenes", case)
    name = r.choice(STORIES)
    folder = root / name
    shutil.copytree(SCENES / name, folder)
    done = []
    files = sorted(folder.glob("*.yaml"))
    for _ in range(r.choice([1, 1, 1, 2, 3])):
        path = r.choice(files)
        if r.random() < 0.15:
            data, what = mutate_bytes(path.read_bytes(), r)
            path.write_bytes(data)
        else:
            text, what = mutate_yaml(path.read_text(encoding="utf-8", errors="surrogateescape"), r)
            path.write_bytes(text.encode("utf-8", "surrogateescape"))
        done.append(f"{path.name}: {what}")
    return folder, f"{name}: " + "; ".join(done)


def check_output(run_out: str, status: int, errors: int) -> list[str]:
    problems = []
    lines = run_out.splitlines()
    if not lines or not SUMMARY.match(lines[-1]):
        problems.append(f"check's last line is not its summary: {lines[-1:]!r}")
    problems += [
        f"not a located diagnostic: {line[:200]!r}" for line in lines[:-1] if not DIAGNOSTIC.match(line)
    ]
    if status != (1 if errors else 0):
        problems.append(f"check exited {status} with {errors} errors")
    return problems


def fuzz_case(folder: Path, root: Path, case: int, outcomes: dict[str, int]) -> list[str]:
    problems: list[str] = []
    result = read_story(folder)
    outcomes["errors" if result.story is None else "loads"] += 1
    for d in result.diagnostics:
        text = str(d)
        if not DIAGNOSTIC.match(text) or d.line < 1 or d.col < 1:
            problems.append(f"malformed diagnostic: {text[:200]!r}")
        elif (bad := visible_problem(text)) is not None:
            problems.append(f"diagnostic {text[:80]!r}: {bad}")
    if result.story is None and not result.errors:
        problems.append("no story and no error")
    check = run_cli(["check", str(folder)])
    problems += check_output(check.out, check.status, len(result.errors))
    if check.err:
        problems.append(f"check wrote to stderr: {check.err[:300]!r}")
    check_json = run_cli(["check", "--json", str(folder)])
    report = json.loads(check_json.out)
    if (report["errors"], len(report["diagnostics"])) != (len(result.errors), len(result.diagnostics)):
        problems.append(f"check --json counts {report['errors']} errors of {len(report['diagnostics'])}")
    json_flag = ["--json"] if case % 2 else []
    cli_explore = run_cli(["explore", *json_flag, str(folder), "--max-states", str(MAX_STATES)])
    if cli_explore.status not in (0, 1, 2, 3) or (cli_explore.status == 2) != (result.story is None):
        problems.append(f"explore exited {cli_explore.status}: {cli_explore.err[-300:]!r}")
    elif cli_explore.status in (0, 1):
        if json_flag and not isinstance(json.loads(cli_explore.out), dict):
            problems.append(f"explore --json printed {cli_explore.out[:200]!r}")
    elif not cli_explore.err.splitlines()[-1].startswith("coldcase explore: "):
        problems.append(f"explore's last line is not its one message: {cli_explore.err[-300:]!r}")
    play = run_cli(["--saves", str(root / "saves"), "play", "--plain", str(folder)], script(case))
    if result.story is None:
        if play.status != 1 or "coldcase play: the story in" not in play.err:
            problems.append(f"play of a broken story exited {play.status}: {play.err[-300:]!r}")
    elif play.status != 0 or play.err:
        problems.append(f"play exited {play.status}: {play.err[-300:]!r}")
    problems += [f"play printed {bad}" for bad in [visible_problem(play.out)] if bad]
    return problems


def test_mutated_scene_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each case: a copy of a bundled story with a few mutations, through check, explore and play."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    no_fsync(monkeypatch)
    findings = Findings("scenes")
    outcomes = {"errors": 0, "loads": 0}
    for case in range(CASES * 2):
        root = tmp_path / f"case{case}"
        root.mkdir()
        folder, what = mutated_story(case, root)
        before = files_under(tmp_path)
        failed = findings.check(case, what, partial(fuzz_case, folder, root, case, outcomes), keep=root)
        outside = writes_outside(tmp_path, before, [f"case{case}/saves"])
        failed = (
            findings.add(
                case, what, [f"wrote outside the save folder: {outside[:5]}"] if outside else [], root
            )
            or failed
        )
        if not failed:
            shutil.rmtree(root)  # keep only the inputs of failing cases
    assert not findings.items, findings.report()
    # the mutations reach both sides: stories refused with diagnostics, and stories that still play
    if findings.cases >= 60:
        assert outcomes["errors"], outcomes
        assert outcomes["loads"], outcomes
