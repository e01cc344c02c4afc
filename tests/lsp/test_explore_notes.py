"""Explore's findings as the editor shows them: from `coldcase explore --json` to a warning at a place.

W301 (format 2: a term shown before it is introduced) is read from the report's `warnings`, in the
shape format 2's explore writes them, and underlined where the text mentions the term."""

from __future__ import annotations

import os
from pathlib import Path

from coldcase_game.lsp.project import Project, notes_from_report

MANIFEST = "format: 1\ntitle: T\nstart: bench\nflags:\n  heard_of_anvar: You heard of Anvar.\n"
SCENES = """\
scenes:
  bench:
    text:
      - Snow on the bench.
      - Vera looks at the gate. "Anvar never came back,"
        she says.
    ending: The End
"""


def _report(file: str) -> dict[str, object]:
    return {
        "states": 3,
        "endings": [{"scene": "bench", "title": "The End", "reachable": True, "walkthrough": []}],
        "soft_locks": [],
        "warnings": [
            {
                "file": file,
                "line": 5,
                "col": 9,
                "severity": "warning",
                "code": "W301",
                "message": "the term 'Anvar' is shown before any of its flags (heard_of_anvar) is set",
                "term": "Anvar",
                "flags": ["heard_of_anvar"],
                "where": "scene text",
                "scene": "bench",
                "path": [{"scene": "gate", "choice": "sit", "number": 2, "text": "Sit down"}],
            }
        ],
    }


def test_a_w301_is_underlined_at_the_term_with_its_walkthrough(tmp_path: Path) -> None:
    root = tmp_path / "t"
    root.mkdir()
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "s.yaml").write_text(SCENES, encoding="utf-8")
    project = Project(str(root))
    project.reload()
    scenes = os.path.abspath(root / "s.yaml")
    (note,) = notes_from_report(_report(os.path.relpath(scenes)), "bench")
    assert note.code == "W301"
    assert note.message == (
        "the term 'Anvar' is shown before any of its flags (heard_of_anvar) is set, "
        "by walkthrough 2 (2. [gate] Sit down)"
    )
    project.notes = [note]
    ((placed, line, col, length),) = project.note_places()[scenes]
    assert placed is note
    text_line = SCENES.split("\n")[line - 1]
    assert text_line[col - 1 : col - 1 + length] == "Anvar"


def test_reports_without_findings_give_no_notes() -> None:
    report = _report("s.yaml")
    report["warnings"] = []
    assert notes_from_report(report, "bench") == []
