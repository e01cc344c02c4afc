"""`explore --json` keeps to its documented schema (docs/explore-report.schema.json), and every
finding in it says where it is, as the text report does."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from tests.conftest import MINIMAL_MANIFEST, REPO, StoryDir
from tests.core.test_explore import SOFT_LOCK

from coldcase_game.cli import main

SCHEMA = json.loads((REPO / "docs" / "explore-report.schema.json").read_text(encoding="utf-8"))


def _report(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    status = main(["explore", "--json", *args])
    return status, json.loads(capsys.readouterr().out)


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_a_clean_story_with_stats_matches_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    status, report = _report(["--stats", str(REPO / "scenes" / "sample")], capsys)
    assert status == 0
    jsonschema.validate(report, SCHEMA)
    assert report["stats"]["states"] == report["states"]
    park = (REPO / "scenes" / "sample" / "park.yaml").read_text(encoding="utf-8").splitlines()
    first = report["endings"][0]
    assert first["file"] == "scenes/sample/park.yaml"
    assert park[first["line"] - 1] == f"  {first['scene']}:"  # the line that opens the ending's scene


def test_a_failing_story_matches_the_schema_and_locates_its_findings(
    story_dir: StoryDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = story_dir(
        MINIMAL_MANIFEST.replace('flags:\n  clue: A clue for the journal.\n  quiet: ""\n', ""),
        **{"s.yaml": SOFT_LOCK},
    )
    status, report = _report([str(root)], capsys)
    assert status == 1
    jsonschema.validate(report, SCHEMA)
    s_yaml = str(root / "s.yaml")
    # the same places the text report prints (tests/core/test_explore.py::test_text_report)
    lock = report["soft_locks"][0]
    assert (lock["scene"], lock["file"]) == ("hall", s_yaml)
    never = report["never_available"][0]
    assert (never["scene"], never["choice"], never["if"]) == ("hall", "last", "trust.ana >= 40")
    assert (never["file"], never["line"], never["col"]) == (s_yaml, 16, 13)
    unreachable = [e for e in report["endings"] if not e["reachable"]]
    assert [(e["scene"], e["walkthrough"], e["line"]) for e in unreachable] == [("never", None, 21)]


def test_the_schema_refuses_a_report_missing_a_location() -> None:
    report = {
        "story": "s",
        "title": "S",
        "states": 1,
        "ok": True,
        "endings": [{"scene": "end", "title": "End", "reachable": True, "walkthrough": []}],
        "soft_locks": [],
        "soft_lock_states": 0,
        "unreached_scenes": [],
        "never_available": [],
        "always_open": [],
        "paragraphs_always_shown": [],
        "paragraphs_never_shown": [],
        "trust_ranges": {},
        "var_ranges": {},
        "warnings": [],
    }
    with pytest.raises(jsonschema.ValidationError, match="'file' is a required property"):
        jsonschema.validate(report, SCHEMA)
