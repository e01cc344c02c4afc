"""Bad format-2 scene files: each gives exactly one clean, located error line from `coldcase check`,
with a did-you-mean where one applies; a format-1 story using a format-2 key is told it needs format 2."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import MINIMAL_MANIFEST, write_story

from coldcase_game.cli import main

LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>E\d{3})\]: (?P<msg>.+)$")

MANIFEST_2 = """\
format: 2
title: Test Case
start: first
characters:
  ana:
    name: Ana
    trust: 50
  zed:
    name: Zed Quill
    introduced_by: met_zed
flags:
  clue: A clue for the journal.
  quiet: ""
  met_zed: ""
vars:
  heat: {min: -3, max: 3}
  evidence: {min: 0, max: 5, name: Evidence}
terms:
  Anvar: clue
"""

GOOD_SCENES_2 = """\
scenes:
  first:
    text:
      - sequence: [Hello., Hello again.]
      - cycle: [Tick., Tock.]
    choices:
      - text: Go on
        goto: last
        if: clue or not quiet or heat > -2
        do:
          set: [clue, quiet, met_zed]
          vars: {heat: +1, evidence: =2}
        then: You go on.
      - text: Stay
        goto: first
        if: evidence < 5
  last:
    text: Bye.
    ending: The End
"""


def with_choice(extra: str) -> str:
    """The good scenes with `extra` (YAML lines at choice level) added to the first choice."""
    return GOOD_SCENES_2.replace("        then: You go on.\n", "        then: You go on.\n" + extra)


def with_text(entry: str) -> str:
    """The good scenes with `entry` (YAML lines of a text list item) added to the first scene's text."""
    return GOOD_SCENES_2.replace("      - cycle: [Tick., Tock.]\n", "      - cycle: [Tick., Tock.]\n" + entry)


def manifest(old: str, new: str) -> str:
    assert old in MANIFEST_2
    return MANIFEST_2.replace(old, new)


# id, expected code, files (story.yaml overrides the manifest), message part, (line, col)
Case = tuple[str, str, dict[str, str], str, tuple[int, int]]
CASES: list[Case] = [
    # id, expected code, files (story.yaml overrides the manifest), message part, (line, col)
    (
        "format_1_then",
        "E119",
        {
            "story.yaml": MINIMAL_MANIFEST,
            "s.yaml": "scenes:\n  first:\n    text: Hi.\n    choices:\n"
            "      - text: Go\n        goto: last\n        then: Gone.\n"
            "  last:\n    text: Bye.\n    ending: End\n",
        },
        "'then' needs 'format: 2' in story.yaml",
        (7, 9),
    ),
    (
        "format_1_vars_in_manifest",
        "E119",
        {
            "story.yaml": MINIMAL_MANIFEST + "vars:\n  heat: {min: 0, max: 3}\n",
            "s.yaml": "scenes:\n  first:\n    text: Hi.\n    ending: End\n",
        },
        "'vars' needs 'format: 2'",
        (11, 1),
    ),
    (
        "format_1_sequence",
        "E119",
        {
            "story.yaml": MINIMAL_MANIFEST,
            "s.yaml": "scenes:\n  first:\n    text:\n      - sequence: [a, b]\n    ending: End\n",
        },
        "'sequence' needs 'format: 2'",
        (4, 9),
    ),
    (
        "format_1_introduced_by",
        "E119",
        {
            "story.yaml": MINIMAL_MANIFEST.replace(
                "    trust: 50\n", "    trust: 50\n    introduced_by: clue\n"
            ),
            "s.yaml": "scenes:\n  first:\n    text: Hi.\n    ending: End\n",
        },
        "'introduced_by' needs 'format: 2'",
        (8, 5),
    ),
    (
        "format_1_negative_number",
        "E301",
        {
            "story.yaml": MINIMAL_MANIFEST,
            "s.yaml": "scenes:\n  first:\n    text:\n"
            "      - if: trust.ana > -1\n        text: Hi.\n    ending: End\n",
        },
        "negative numbers need 'format: 2'",
        (4, 25),
    ),
    (
        "unknown_variable_in_effect",
        "E121",
        {
            "s.yaml": with_choice("        do:\n          vars: {heet: +1}\n").replace(
                "        do:\n          set: [clue, quiet, met_zed]\n"
                "          vars: {heat: +1, evidence: =2}\n",
                "",
            )
        },
        "vars: unknown variable 'heet' (did you mean 'heat'?)",
        (12, 18),
    ),
    (
        "variable_change_without_sign",
        "E122",
        {"s.yaml": GOOD_SCENES_2.replace("heat: +1", "heat: 2")},
        "write +2, -2 or =2",
        (12, 24),
    ),
    (
        "variable_set_out_of_range",
        "E110",
        {"s.yaml": GOOD_SCENES_2.replace("evidence: =2", "evidence: =9")},
        "=9 is outside the range of variable 'evidence' (0 to 5)",
        (12, 38),
    ),
    (
        "variable_min_above_max",
        "E110",
        {"story.yaml": manifest("{min: -3, max: 3}", "{min: 3, max: -3}")},
        "max -3 is less than min 3",
        (16, 23),
    ),
    (
        "variable_start_out_of_range",
        "E110",
        {"story.yaml": manifest("{min: -3, max: 3}", "{start: 7, min: -3, max: 3}")},
        "start of variable 'heat' must be between its min -3 and max 3, not 7",
        (16, 17),
    ),
    (
        "variable_too_wide",
        "E110",
        {"story.yaml": manifest("{min: -3, max: 3}", "{min: 0, max: 5000}")},
        "spans 5001 values",
        (16, 23),
    ),
    (
        "variable_missing_max",
        "E102",
        {"story.yaml": manifest("{min: -3, max: 3}", "{min: -3}")},
        "variable 'heat' is missing required key 'max'",
        (16, 9),
    ),
    (
        "variable_misspelt_key",
        "E101",
        {"story.yaml": manifest("{min: -3, max: 3}", "{min: -3, maxx: 3}")},
        "unknown key 'maxx' in variable 'heat' (did you mean 'max'?)",
        (16, 19),
    ),
    (
        "variable_bound_not_a_number",
        "E103",
        {"story.yaml": manifest("{min: -3, max: 3}", "{min: -3, max: lots}")},
        "max of variable 'heat' must be a whole number like 5 or -3, not 'lots'",
        (16, 24),
    ),
    (
        "one_namespace",
        "E120",
        {"story.yaml": manifest("vars:\n", "vars:\n  quiet: {min: 0, max: 1}\n")},
        "'quiet' is both a flag (line 13, column 3) and a variable",
        (16, 3),
    ),
    (
        "introduced_by_unknown_flag",
        "E106",
        {"story.yaml": manifest("introduced_by: met_zed", "introduced_by: met_zedd")},
        "introduced_by: unknown flag 'met_zedd' (did you mean 'met_zed'?)",
        (10, 20),
    ),
    (
        "term_unknown_flag",
        "E106",
        {"story.yaml": manifest("Anvar: clue", "Anvar: clu")},
        "term 'Anvar': unknown flag 'clu' (did you mean 'clue'?)",
        (19, 10),
    ),
    (
        "sequence_not_a_list",
        "E103",
        {"s.yaml": with_text("      - sequence: Hello.\n")},
        "sequence must be a list of texts, one for each visit",
        (6, 19),
    ),
    (
        "sequence_item_a_mapping",
        "E103",
        {"s.yaml": with_text("      - cycle: [{if: clue, text: x}]\n")},
        "an item of a cycle is text",
        (6, 17),
    ),
    (
        "text_and_cycle_together",
        "E103",
        {"s.yaml": with_text("      - text: Hi.\n        cycle: [a, b]\n")},
        "a text entry has one of 'text', 'sequence' or 'cycle', not 'text' and 'cycle'",
        (6, 9),
    ),
    (
        "misspelt_sequence",
        "E101",
        {"s.yaml": with_text("      - sequense: [a, b]\n")},
        "unknown key 'sequense' in a conditional paragraph (did you mean 'sequence'?)",
        (6, 9),
    ),
    (
        "empty_sequence",
        "E117",
        {"s.yaml": with_text("      - sequence: []\n")},
        "sequence is an empty list",
        (6, 19),
    ),
    (
        "unknown_variable_in_condition",
        "E303",
        {"s.yaml": GOOD_SCENES_2.replace("heat > -2", "heet > -2")},
        "unknown flag or variable 'heet' (did you mean 'heat'?)",
        (9, 34),
    ),
    (
        "minus_on_a_flag",
        "E302",
        {"s.yaml": GOOD_SCENES_2.replace("heat > -2", "-quiet > -2")},
        "'-' needs a number, not true/false",
        (9, 35),
    ),
    (
        "then_unknown_flag",
        "E303",
        {
            "s.yaml": with_choice("").replace(
                "        then: You go on.\n",
                "        then:\n          - if: cleu\n            text: You go on.\n",
            )
        },
        "unknown flag or variable 'cleu' (did you mean 'clue'?)",
        (14, 17),
    ),
    (
        "variable_change_a_mapping",
        "E103",
        {"s.yaml": GOOD_SCENES_2.replace("heat: +1", "heat: {by: 1}")},
        "a variable change must be text like +1, -2 or =0",
        (12, 24),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_one_clean_located_error(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, code, files, message, where = case
    root = tmp_path / "story"
    write_story(root, files.get("story.yaml", MANIFEST_2))
    (root / "s.yaml").write_text(files.get("s.yaml", GOOD_SCENES_2), encoding="utf-8")
    status = main(["check", str(root)])
    out, err = capsys.readouterr()
    assert status == 1, out + err
    assert "Traceback" not in out + err
    errors = [line for line in out.splitlines() if "error[" in line]
    assert len(errors) == 1, out
    m = LINE.match(errors[0])
    assert m, errors[0]
    assert m["code"] == code, errors[0]
    assert message in m["msg"], errors[0]
    assert (int(m["line"]), int(m["col"])) == where, errors[0]


def test_the_good_format_2_story_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The base of the cases above has no error, so each case's error is its own."""
    root = write_story(tmp_path / "story", MANIFEST_2, **{"s.yaml": GOOD_SCENES_2})
    assert main(["check", str(root)]) == 0
    assert "0 errors" in capsys.readouterr().out
