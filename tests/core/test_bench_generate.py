"""The benchmarks' generated stories are valid stories, and the explore bench compares proofs fairly.

The hub story (bench/generate.py write_hub) is what `make bench` explores with the baseline
commit's engine and with ours: it must check clean, be scene format 1 (all the baseline reads),
reach its three endings without a soft lock, and come out the same for the same arguments.
The sizes here are small so the search is quick; `make bench` uses 60 scenes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from tests.conftest import REPO

from coldcase_game.cli import main

sys.path.insert(0, str(REPO / "bench"))
import explore_bench
import generate


def _files(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(root.iterdir())}


def test_the_hub_story_checks_clean_in_scene_format_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = generate.write_hub(tmp_path / "hub", 12)
    assert (root / "story.yaml").read_text(encoding="utf-8").startswith("format: 1\n")
    assert main(["check", str(root)]) == 0
    assert capsys.readouterr().out.strip().endswith("0 errors, 0 warnings in 2 files")


@pytest.mark.parametrize(("scenes", "options"), [(12, {}), (10, {"characters": 1, "flags": 2, "once": 1})])
def test_the_hub_story_explores_to_all_three_endings_without_soft_locks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenes: int, options: dict[str, int]
) -> None:
    root = generate.write_hub(tmp_path / "hub", scenes, **options)
    assert main(["check", str(root)]) == 0
    capsys.readouterr()
    assert main(["explore", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True
    assert [(e["scene"], e["reachable"]) for e in report["endings"]] == [
        ("e_trust", True),
        ("e_proof", True),
        ("e_alone", True),
    ]
    assert report["soft_locks"] == []
    assert report["unreached_scenes"] == []
    assert report["never_available"] == []
    # the rooms loop back to the hall: far more states than scenes
    assert report["states"] > 20 * scenes


def test_the_hub_story_is_the_same_for_the_same_seed_and_differs_for_another(tmp_path: Path) -> None:
    first = _files(generate.write_hub(tmp_path / "a", 30))
    assert _files(generate.write_hub(tmp_path / "b", 30)) == first
    assert _files(generate.write_hub(tmp_path / "c", 30, seed=2)) != first


def test_a_hub_too_small_for_its_clues_is_refused() -> None:
    with pytest.raises(ValueError, match="too few for 6 clues"):
        generate.hub_scenes(7, flags=6)
    with pytest.raises(ValueError, match="at least 7 scenes"):
        generate.hub_scenes(6)


def _report(walkthrough: int, **extra: object) -> dict[str, object]:
    step = {"scene": "hub", "choice": "to_w0", "number": 1, "text": "Go to room 0."}
    return {
        "states": 100,
        "ok": True,
        "endings": [{"scene": "e_alone", "reachable": True, "walkthrough": [step] * walkthrough, **extra}],
        "soft_locks": [],
        **extra,
    }


def test_the_explore_bench_compares_only_what_both_reports_have_and_walkthroughs_by_length() -> None:
    ours = _report(3, file="hub_000.yaml", line=4)  # fields the baseline's report does not have
    ours_endings = ours["endings"]
    assert isinstance(ours_endings, list)
    ours_endings[0]["walkthrough"][0] = {"scene": "hub", "choice": "to_w1", "number": 2, "text": "Room 1."}
    assert explore_bench.proof_differences(_report(3), ours) == []
    assert explore_bench.proof_differences(_report(3), _report(4)) == ["endings"]
    assert explore_bench.proof_differences(_report(3), {**_report(3), "states": 101}) == ["states"]


@pytest.mark.parametrize("name", ["explore_bench", "tui_bench", "saves_bench", "cache_bench"])
def test_make_bench_can_load_each_of_its_sections(name: str) -> None:
    """`make bench` loads its sections by path; explore_bench once failed there (its dataclasses
    need their module registered) though it ran fine alone."""
    import run

    module = run.section_module(name)
    assert module is not None
    assert callable(module.run)
