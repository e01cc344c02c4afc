"""Mutated copies of the example saves through load, `replay --check`, `replay --plain`, the listing
and plain mode's `:load`: every case ends in a game or one clean line, and no file is written."""

from __future__ import annotations

import json
import shutil
import time
from functools import partial
from pathlib import Path

import pytest
from tests.conftest import REPO
from tests.fuzz.harness import (
    CASES,
    Findings,
    files_under,
    one_clean_line,
    rng,
    run_cli,
    visible_problem,
    writes_outside,
)
from tests.fuzz.mutate import mutate_bytes, mutate_save, reseal

from coldcase_game.cli.replay_run import transcript_lines
from coldcase_game.session.errors import SaveError
from coldcase_game.session.plain_saves import PlainSaves
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.loader import load_story

EXAMPLES = sorted((REPO / "saves" / "examples").glob("*.json"))
STORIES = {path.stem: load_story(REPO / "scenes" / path.stem) for path in EXAMPLES}
DAMAGED = "has been altered or damaged"


def test_resealing_an_untouched_example_gives_its_checksum() -> None:
    """The fuzzer's reseal computes the checksum as the game does, so its edits reach the field checks."""
    assert EXAMPLES
    for path in EXAMPLES:
        doc = json.loads(path.read_bytes())
        stated = doc["checksum"]
        reseal(doc)
        assert doc["checksum"] == stated, path.name


def mutated_save(case: int) -> tuple[str, bytes, bool]:
    """(what was done, the file's bytes, whether it was resealed)."""
    r = rng("saves", case)
    example = r.choice(EXAMPLES)
    raw = example.read_bytes()
    if r.random() < 0.35:
        data, what = mutate_bytes(raw, r)
        return f"{example.name}: {what}", data, False
    doc, what = mutate_save(json.loads(raw), STORIES[example.stem], r)
    if r.random() < 0.3:  # a second edit now and then: two wrongs at once
        doc, more = mutate_save(doc, STORIES[example.stem], r)
        what += f"; {more}"
    text = json.dumps(doc, indent=r.choice([None, 2]), ensure_ascii=r.random() < 0.5)
    return f"{example.name}: {what}", text.encode("utf-8", "surrogatepass"), True


def lines_problems(where: str, text: str) -> list[str]:
    problems = []
    if "Traceback" in text:
        problems.append(f"{where} printed a traceback")
    bad = visible_problem(text)
    if bad:
        problems.append(f"{where}: {bad}")
    return problems


def fuzz_case(saves: Path, outcome: dict[str, int], by_path: bool) -> list[str]:
    """Load the save by its slot name, or by its file's path."""
    problems: list[str] = []
    store = SaveStore(saves)
    name = str(saves / "fuzzed.json") if by_path else "fuzzed"
    try:
        result = store.load(name)
    except SaveError as exc:
        outcome["damaged" if DAMAGED in exc.message else "refused"] += 1
        bad = one_clean_line(exc.message)
        if bad:
            problems.append(f"load's refusal is {bad}: {exc.message[:200]!r}")
        result = None
    if result is not None:
        outcome["clean" if result.clean else "diverged"] += 1
        for line in result.report():
            bad = one_clean_line(line)
            if bad:
                problems.append(f"a report line is {bad}: {line[:200]!r}")
        transcript_lines(result)
    check = run_cli(["--saves", str(saves), "replay", name, "--check"])
    if check.status == 0:
        if result is None or not result.clean or not check.out.startswith("ok: "):
            problems.append(f"replay --check said ok to {check.out[:200]!r}")
    elif check.status != 1 or not check.err.startswith("coldcase replay: "):
        problems.append(f"replay --check exited {check.status}: {check.err[:300]!r}")
    elif result is not None and result.clean:
        problems.append(f"replay --check refused a save that loads cleanly: {check.err[:300]!r}")
    problems += lines_problems("replay --check", check.out + check.err)
    plain = run_cli(["--saves", str(saves), "replay", name, "--plain"])
    if plain.status != (1 if result is None else 0):
        problems.append(f"replay --plain exited {plain.status}: {plain.err[:300]!r}")
    if result is None and one_clean_line(plain.err) is not None:
        problems.append(f"replay --plain's refusal is not one line: {plain.err[:300]!r}")
    problems += lines_problems("replay --plain", plain.out + plain.err)
    listing = run_cli(["--saves", str(saves), "saves"])
    if listing.status != 0 or listing.err:
        problems.append(f"saves exited {listing.status}: {listing.err[:300]!r}")
    problems += lines_problems("saves", listing.out)
    plain_saves = PlainSaves(store, STORIES["clarke"])
    message, _session = plain_saves.load(f"{name} anyway")
    problems += lines_problems(":load", message)
    problems += lines_problems(":saves", "\n".join(plain_saves.listing()))
    return problems


def test_mutated_example_saves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each case: one example save with bytes flipped, or fields edited and the checksum made to match."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    findings = Findings("saves")
    zones = ["UTC", "EST5", "KIT-14"]  # dates are shown in local time: west and east of UTC (POSIX rules)
    outcome = dict.fromkeys(["damaged", "refused", "clean", "diverged"], 0)
    resealed_damaged = 0
    for case in range(CASES * 3):
        what, data, resealed = mutated_save(case)
        saves = tmp_path / f"case{case}"
        saves.mkdir()
        (saves / "fuzzed.json").write_bytes(data)
        if hasattr(time, "tzset"):
            monkeypatch.setenv("TZ", zones[case % len(zones)])
            time.tzset()
        before = files_under(tmp_path)
        damaged_before = outcome["damaged"]
        failed = findings.check(case, what, partial(fuzz_case, saves, outcome, case % 3 == 0), keep=saves)
        if resealed and outcome["damaged"] > damaged_before:
            resealed_damaged += 1
        outside = writes_outside(tmp_path, before, [])
        if findings.add(case, what, [f"files written or changed: {outside[:5]}"] if outside else [], saves):
            failed = True
        if not failed:
            shutil.rmtree(saves)
    monkeypatch.delenv("TZ")
    if hasattr(time, "tzset"):
        time.tzset()
    assert not findings.items, findings.report()
    # the resealed edits get past the checksum to the field checks and the replay
    assert resealed_damaged == 0
    if findings.cases >= 60:  # enough cases to see every kind of outcome
        assert outcome["refused"], outcome
        assert outcome["diverged"], outcome
        assert outcome["damaged"], outcome
