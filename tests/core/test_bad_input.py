"""Bad scene files: each gives exactly one clean, located error line from `coldcase check`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import MINIMAL_MANIFEST, write_story

from coldcase_game.cli import main

LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>E\d{3})\]: (?P<msg>.+)$")

GOOD_SCENES = """\
scenes:
  first:
    text: Hello.
    choices:
      - text: Go on
        goto: last
        if: clue or not quiet
        do:
          set: [clue, quiet]
          trust: {ana: +5}
  last:
    text: Bye.
    ending: The End
"""


def scene_file(body: str) -> str:
    """A valid story's scenes with `body` (YAML) standing in for the first scene's choice extras."""
    return GOOD_SCENES.replace("        if: clue or not quiet\n", body)


Case = tuple[str, str, dict[str, bytes | str], str | None, tuple[int, int] | None]
CASES: list[Case] = [
    # id, expected code, files (name -> content; story.yaml overrides the manifest), message part, (line, col)
    ("malformed_yaml", "E001", {"s.yaml": "scenes:\n  first: [unclosed\n"}, "YAML syntax", None),
    ("tab_indent", "E001", {"s.yaml": "scenes:\n\tfirst:\n\t\ttext: x\n"}, "YAML syntax", (2, 1)),
    ("not_utf8", "E002", {"s.yaml": b"scenes:\n  first:\n    text: caf\xe9\n"}, "not valid UTF-8", (3, 14)),
    ("nul_byte", "E003", {"s.yaml": b"scenes:\n  fi\x00rst: {}\n"}, "NUL byte", (2, 5)),
    (
        "three_mib",
        "E004",
        {"s.yaml": "scenes: {}\n# " + "x" * (3 * 1024 * 1024) + "\n"},
        "at most 2 MiB",
        (1, 1),
    ),
    ("flow_depth_50000", "E005", {"s.yaml": "scenes: " + "[" * 50_000}, "deeper than 64", (1, 73)),
    (
        "block_depth",
        "E005",
        {"s.yaml": "scenes:\n  first:\n    text:\n      " + "- " * 100 + "x\n"},
        "deeper than 64",
        None,
    ),
    (
        "anchor",
        "E006",
        {"s.yaml": GOOD_SCENES.replace("text: Hello.", "text: &greet Hello.")},
        "anchors",
        (3, 11),
    ),
    ("alias", "E007", {"s.yaml": GOOD_SCENES.replace("text: Bye.", "text: *greet")}, "aliases", (12, 11)),
    (
        "python_tag",
        "E008",
        {"s.yaml": GOOD_SCENES.replace("text: Bye.", "text: !!python/object:os.system x")},
        "tags",
        (12, 11),
    ),
    ("custom_tag", "E008", {"s.yaml": GOOD_SCENES.replace("text: Bye.", "text: !foo x")}, "tags", None),
    (
        "merge_key",
        "E009",
        {"s.yaml": GOOD_SCENES.replace("    text: Bye.", "    <<: {text: x}\n    text: Bye.")},
        "merge keys",
        (12, 5),
    ),
    ("two_documents", "E010", {"s.yaml": GOOD_SCENES + "---\nscenes: {}\n"}, "one YAML document", (14, 1)),
    (
        "duplicate_key",
        "E011",
        {"s.yaml": GOOD_SCENES.replace("    text: Bye.", "    text: Bye.\n    text: Again.")},
        "duplicate key 'text'",
        (13, 5),
    ),
    ("empty_file", "E012", {"s.yaml": ""}, "empty", (1, 1)),
    ("top_level_list", "E012", {"s.yaml": "- scenes\n"}, "must be a mapping", (1, 1)),
    (
        "unknown_key",
        "E101",
        {"s.yaml": GOOD_SCENES.replace("goto: last", "goto: last\n        gotoo: last")},
        "did you mean 'goto'",
        (7, 9),
    ),
    (
        "missing_text",
        "E102",
        {"s.yaml": GOOD_SCENES.replace("    text: Bye.\n", "")},
        "missing required key 'text'",
        None,
    ),
    (
        "choices_not_list",
        "E103",
        {
            "s.yaml": GOOD_SCENES.replace(
                "    choices:\n      - text: Go on", "    choices:\n      one:\n        text: Go on"
            ).replace(
                "        goto: last\n        if: clue or not quiet\n        do:\n"
                "          set: [clue, quiet]\n          trust: {ana: +5}\n",
                "",
            )
        },
        "must be a list",
        None,
    ),
    (
        "unknown_goto",
        "E104",
        {"s.yaml": GOOD_SCENES.replace("goto: last", "goto: lsat")},
        "unknown scene 'lsat' (did you mean 'last'?)",
        (6, 15),
    ),
    (
        "unknown_start",
        "E104",
        {"story.yaml": MINIMAL_MANIFEST.replace("start: first", "start: frist"), "s.yaml": GOOD_SCENES},
        "did you mean 'first'",
        (3, 8),
    ),
    (
        "unknown_character",
        "E105",
        {"s.yaml": GOOD_SCENES.replace("{ana: +5}", "{anna: +5}")},
        "unknown character 'anna' (did you mean 'ana'?)",
        None,
    ),
    (
        "unknown_flag",
        "E106",
        {"s.yaml": GOOD_SCENES.replace("set: [clue, quiet]", "set: [clue, quite]")},
        "unknown flag 'quite' (did you mean 'quiet'?)",
        (9, 23),
    ),
    (
        "duplicate_scene",
        "E107",
        {"a.yaml": GOOD_SCENES, "b.yaml": "scenes:\n  last:\n    text: Again.\n    ending: Twice\n"},
        "first defined at",
        (2, 3),
    ),
    (
        "duplicate_choice",
        "E108",
        {
            "s.yaml": GOOD_SCENES.replace(
                "    choices:\n", "    choices:\n      - text: Also go\n        goto: last\n"
            )
        },
        "duplicate choice id 'last'",
        None,
    ),
    (
        "bad_scene_id",
        "E109",
        {"s.yaml": GOOD_SCENES.replace("  last:", "  Last-Scene:").replace("goto: last", "goto: Last-Scene")},
        "not a valid id",
        None,
    ),
    (
        "initial_trust_range",
        "E110",
        {"story.yaml": MINIMAL_MANIFEST.replace("trust: 50", "trust: 150"), "s.yaml": GOOD_SCENES},
        "between 0 and 100",
        (7, 12),
    ),
    (
        "fairmath_range",
        "E110",
        {"s.yaml": GOOD_SCENES.replace("{ana: +5}", "{ana: '%+150'}")},
        "out of range",
        None,
    ),
    (
        "trust_without_sign",
        "E111",
        {"s.yaml": GOOD_SCENES.replace("{ana: +5}", "{ana: 5}")},
        "needs a sign: write +5",
        None,
    ),
    (
        "ending_with_choices",
        "E112",
        {"s.yaml": GOOD_SCENES + "    choices:\n      - text: More\n        goto: first\n"},
        "cannot have choices",
        (14, 5),
    ),
    (
        "no_choices_not_ending",
        "E113",
        {"s.yaml": GOOD_SCENES.replace("    ending: The End\n", "")},
        "has no choices and is not an ending",
        (11, 3),
    ),
    (
        "locked_without_if",
        "E114",
        {"s.yaml": GOOD_SCENES.replace("        if: clue or not quiet\n", "        locked: Not yet.\n")},
        "'locked' needs an 'if'",
        None,
    ),
    (
        "format_newer",
        "E115",
        {"story.yaml": MINIMAL_MANIFEST.replace("format: 1", "format: 3"), "s.yaml": GOOD_SCENES},
        "newer than",
        (1, 9),
    ),
    (
        "expr_syntax",
        "E301",
        {"s.yaml": scene_file("        if: clue or or quiet\n")},
        "expected a value but found 'or'",
        (7, 21),
    ),
    (
        "expr_type",
        "E302",
        {"s.yaml": scene_file("        if: trust.ana and clue\n")},
        "needs true/false",
        (7, 13),
    ),
    (
        "expr_unknown_name",
        "E303",
        {"s.yaml": scene_file("        if: trust.ann >= 40\n")},
        "unknown character 'ann' (did you mean 'ana'?)",
        None,
    ),
    (
        "expr_import",
        "E301",
        {"s.yaml": scene_file("        if: \"__import__('os').system('rm -rf /')\"\n")},
        "function calls are not allowed",
        (7, 24),
    ),
    ("expr_dunder", "E301", {"s.yaml": scene_file("        if: ().__class__.__bases__\n")}, "", None),
    ("expr_power", "E301", {"s.yaml": scene_file("        if: 9**9**9 > 1\n")}, "only + and -", (7, 14)),
    (
        "expr_parens_1000",
        "E304",
        {"s.yaml": scene_file("        if: " + "(" * 1000 + "true" + ")" * 1000 + "\n")},
        "the limit is 256",
        None,
    ),
    (
        "expr_not_100000",
        "E304",
        {"s.yaml": scene_file("        if: " + "not " * 100_000 + "true\n")},
        "the limit is 256",
        None,
    ),
    ("expr_mutation", "E303", {"s.yaml": scene_file("        if: flags.clear()\n")}, "", None),
    (
        "expr_chained",
        "E301",
        {"s.yaml": scene_file("        if: 1 < trust.ana < 90\n")},
        "cannot be chained",
        None,
    ),
    (
        "once_not_bool",
        "E103",
        {"s.yaml": scene_file("        once: maybe\n")},
        "must be true or false, not 'maybe'",
        (7, 15),
    ),
    (
        "trust_leading_zero",
        "E103",
        {"story.yaml": MINIMAL_MANIFEST.replace("trust: 50", "trust: 017"), "s.yaml": GOOD_SCENES},
        "whole number",
        None,
    ),
    (
        "trust_change_leading_zero",
        "E111",
        {"s.yaml": GOOD_SCENES.replace("{ana: +5}", "{ana: +05}")},
        "must look like +10",
        (10, 24),
    ),
    # an expression written over several lines, or as a block scalar: the error points into the right line
    (
        "expr_folded_over_lines",
        "E301",
        {"s.yaml": scene_file("        if: clue and\n          trust.ana >== 40\n")},
        "write >= (a single '=')",
        (8, 23),
    ),
    (
        "expr_block_scalar",
        "E303",
        {"s.yaml": scene_file("        if: >-\n          clue and\n          not quite\n")},
        "unknown flag 'quite'",
        (9, 15),
    ),
    (
        "expr_arrow",
        "E301",
        {"s.yaml": scene_file("        if: trust.ana => 40\n")},
        "write >= for 'or equal'",
        (7, 23),
    ),
    # the mistakes behind a YAML error, named
    (
        "fairmath_unquoted",
        "E001",
        {"s.yaml": GOOD_SCENES.replace("{ana: +5}", "{ana: %+5}")},
        "must be quoted, like '%+20'",
        (10, 24),
    ),
    (
        "bang_negation",
        "E008",
        {"s.yaml": scene_file("        if: !quiet\n")},
        "to negate a condition, write: not quiet",
        (7, 13),
    ),
    # one mistake, one error: no cascade
    (
        "misspelt_required_key",
        "E101",
        {"s.yaml": GOOD_SCENES.replace("goto: last", "gotoo: last")},
        "did you mean 'goto'?",
        (6, 9),
    ),
    # prose that YAML reads as something else: the parser's words and how to write the text
    (
        "text_quoted_then_more",
        "E001",
        {"s.yaml": GOOD_SCENES.replace("text: Hello.", 'text: "Commander." He nods.')},
        "write it as a | block, or in ' quotes",
        (3, 24),
    ),
    (
        "text_starts_with_star",
        "E001",
        {"s.yaml": GOOD_SCENES.replace("text: Hello.", "text: *sigh* he said")},
        "text that starts with '*' means something else to YAML: quote the whole text",
        (3, 16),
    ),
    (
        "text_starts_with_bracket",
        "E001",
        {"s.yaml": GOOD_SCENES.replace("text: Go on", "text: [Pause] he waits")},
        "text that starts with '[' means something else to YAML",
        None,
    ),
    (
        "text_is_a_flow_mapping",
        "E103",
        {"s.yaml": GOOD_SCENES.replace("text: Hello.", "text: {beat}")},
        "text that starts with '{' is read as a mapping; quote the whole text or write it as a | block",
        (3, 11),
    ),
    (
        "choice_text_is_a_flow_list",
        "E103",
        {"s.yaml": GOOD_SCENES.replace("text: Go on", "text: [Pause]")},
        "choice text must be text, not a list: text that starts with '[' is read as a list",
        (5, 15),
    ),
    (
        "text_with_colon",
        "E001",
        {"s.yaml": GOOD_SCENES.replace("text: Hello.", "text: Note: this")},
        "': ' inside unquoted text starts a new key: quote the whole text or write it as a | block",
        (3, 15),
    ),
    (
        "text_starts_with_bang",
        "E008",
        {"s.yaml": GOOD_SCENES.replace("text: Hello.", "text: !important he says")},
        "if this is text that starts with '!', quote the whole text",
        (3, 11),
    ),
    (
        "text_is_only_a_comment",
        "E117",
        {"s.yaml": GOOD_SCENES.replace("text: Go on", "text: #4 is empty")},
        "choice text is empty: what follows the # is a YAML comment; quote the whole text",
        (5, 14),
    ),
    # an invalid id: once, where it is declared, with the valid spelling; its uses say nothing more
    (
        "camel_case_flag",
        "E109",
        {
            "story.yaml": MINIMAL_MANIFEST.replace("  quiet:", "  hooperConfessed:"),
            "s.yaml": GOOD_SCENES.replace("quiet", "hooperConfessed"),
        },
        "flag id 'hooperConfessed' is not a valid id: write 'hooper_confessed'",
        (10, 3),
    ),
    (
        "camel_case_character",
        "E109",
        {
            "story.yaml": MINIMAL_MANIFEST.replace("  ana:", "  AnaLake:"),
            "s.yaml": GOOD_SCENES.replace("{ana: +5}", "{AnaLake: +5}").replace(
                "if: clue or not quiet", "if: trust.AnaLake > 10"
            ),
        },
        "character id 'AnaLake' is not a valid id: write 'ana_lake'",
        (5, 3),
    ),
    (
        "scene_files_named_yml",
        "E118",
        {"scenes.yml": GOOD_SCENES, "more/other.yml": GOOD_SCENES},
        "the story has no scenes: add scene files (*.yaml with a 'scenes:' mapping) to the folder; "
        "skipped more/other.yml, scenes.yml: scene files must end in .yaml",
        (1, 1),
    ),
    (
        "unread_file_hides_its_scenes",
        "E001",
        {"s.yaml": GOOD_SCENES.split("  last:")[0], "t.yaml": "scenes:\n  last:\n\ttext: Bye.\n"},
        "this is a tab: indent with spaces",
        (3, 1),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_one_clean_located_error(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, code, files, message, where = case
    root = tmp_path / "story"
    root.mkdir()
    manifest = files.get("story.yaml", MINIMAL_MANIFEST)
    write_story(root, str(manifest))
    for name, content in files.items():
        if name == "story.yaml":
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

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
    assert Path(m["file"]).name in files or Path(m["file"]).name == "story.yaml"
    if where is not None:
        assert (int(m["line"]), int(m["col"])) == where, errors[0]
    assert out.splitlines()[-1].startswith("1 error, ")


def test_a_huge_bad_value_is_quoted_short(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A 5,000-digit trust is one readable line: its start, and how long it is."""
    digits = "9" * 5000
    manifest = MINIMAL_MANIFEST.replace("trust: 50", f"trust: {digits}")
    write_story(tmp_path / "story", manifest, **{"s.yaml": GOOD_SCENES})
    assert main(["check", str(tmp_path / "story")]) == 1
    out = capsys.readouterr().out
    (line,) = [line for line in out.splitlines() if "error[" in line]
    assert line.endswith(f"not '{'9' * 40}…' (5,000 characters)")
    assert len(line) - len(str(tmp_path)) < 200


def test_good_story_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_story(tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": GOOD_SCENES})
    assert main(["check", str(tmp_path / "story")]) == 0
    assert capsys.readouterr().out.strip() == "0 errors, 0 warnings in 2 files"


def test_control_and_bidi_characters_are_removed_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coldcase_game.story.loader import load_story

    text = GOOD_SCENES.replace("text: Hello.", 'text: "Hel\u202elo\\x07."').replace(
        "text: Bye.", "text: By\x1be."
    )
    write_story(tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": text})
    assert main(["check", str(tmp_path / "story")]) == 0
    out = capsys.readouterr().out
    assert re.search(r"s\.yaml:3:\d+: warning\[W001\]: removed 2 control or bidi characters", out), out
    story = load_story(tmp_path / "story")
    assert story.scenes["first"].paragraphs[0].text == "Hello."
    assert story.scenes["last"].paragraphs[0].text == "Bye."


def test_scalars_are_text_first(tmp_path: Path) -> None:
    from coldcase_game.story.loader import load_story

    text = GOOD_SCENES.replace("text: Go on", "text: No").replace("text: Bye.", "text: 017")
    write_story(
        tmp_path / "story", MINIMAL_MANIFEST.replace("title: Test Case", "title: Yes"), **{"s.yaml": text}
    )
    story = load_story(tmp_path / "story")
    assert story.title == "Yes"
    assert story.scenes["first"].choices[0].text == "No"
    assert story.scenes["last"].paragraphs[0].text == "017"


def test_warnings_unreachable_and_flags(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = MINIMAL_MANIFEST + '  spare: ""\n'
    text = GOOD_SCENES.replace("if: clue or not quiet", "if: not spare").replace(
        "set: [clue, quiet]", "set: [clue, quiet]"
    ) + ("  island:\n    text: Nobody comes here.\n    ending: Lost\n")
    write_story(tmp_path / "story", manifest, **{"s.yaml": text})
    assert main(["check", str(tmp_path / "story")]) == 0
    out = capsys.readouterr().out
    assert "warning[W101]: scene 'island' is unreachable from start scene 'first'" in out
    assert "warning[W102]: flag 'quiet' is set but never read" in out
    assert "warning[W103]: flag 'spare' is read but never set" in out
    # 'clue' has journal text: the player reads it, so setting it and never testing it is fine
    assert "'clue'" not in out
    assert out.splitlines()[-1] == "0 errors, 3 warnings in 2 files"


def test_text_cut_by_a_comment_is_w305(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coldcase_game.story.loader import load_story

    text = GOOD_SCENES.replace("text: Hello.", "text: Room #4 is empty").replace(
        "goto: last", "goto: last  # the way out"
    )
    write_story(tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": text})
    assert main(["check", str(tmp_path / "story")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{tmp_path / 'story' / 's.yaml'}:3:16: warning[W305]: text is cut short by a YAML comment: "
        "the player sees 'Room', and '#4 is empty' is dropped; quote the whole text or write it as a | block "
        "(a comment meant as one goes on its own line)",
        "0 errors, 1 warning in 2 files",
    ]
    assert load_story(tmp_path / "story").scenes["first"].paragraphs[0].text == "Room"


@pytest.mark.parametrize(
    "written",
    [
        "text: 'Room #4 is empty'",
        'text: "Room #4 is empty"',
        "text: |\n      Room #4 is empty",
        "text: Room#4 is empty",
    ],
)
def test_text_with_a_hash_written_safely_has_no_w305(
    written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coldcase_game.story.loader import load_story

    write_story(
        tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": GOOD_SCENES.replace("text: Hello.", written)}
    )
    assert main(["check", str(tmp_path / "story")]) == 0
    assert capsys.readouterr().out.strip() == "0 errors, 0 warnings in 2 files"
    assert "#4 is empty" in load_story(tmp_path / "story").scenes["first"].paragraphs[0].text


def test_many_errors_are_all_reported_sorted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = GOOD_SCENES.replace("goto: last", "goto: nowhere").replace("{ana: +5}", "{bob: 5}")
    write_story(tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": text})
    assert main(["check", "--json", str(tmp_path / "story")]) == 1
    import json

    report = json.loads(capsys.readouterr().out)
    codes = [d["code"] for d in report["diagnostics"]]
    assert codes == ["E104", "E105", "E111"]
    lines = [d["line"] for d in report["diagnostics"]]
    assert lines == sorted(lines)
    assert report["errors"] == 3


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        (
            "trust.ana > 100",
            "if: 'trust.ana > 100' can never hold (trust.ana is 0 to 100), so the choice is never available",
        ),
        (
            "trust.ana >= 0",
            "if: 'trust.ana >= 0' always holds (trust.ana is 0 to 100), so the choice is never hidden",
        ),
        ("false", "if: 'false' can never hold, so the choice is never available"),
        ("visits.last >= 0", "if: 'visits.last >= 0' always holds (visits.last is at least 0)"),
        (
            "visits.first == 0",
            "if: 'visits.first == 0' can never hold (visits.first is at least 1 in its own scene)",
        ),
        ("not trust.ana <= 100", "if: 'not trust.ana <= 100' can never hold (trust.ana is 0 to 100)"),
        (
            "trust.ana > 200 or clue",
            "if: the part 'trust.ana > 200' can never hold (trust.ana is 0 to 100), "
            "so it makes no difference to 'trust.ana > 200 or clue'",
        ),
    ],
)
def test_a_condition_fixed_by_its_form_is_w306(
    condition: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = "      - text: Wait\n        id: wait\n        goto: last\n"  # another way on, so no soft lock
    text = scene_file(f"        if: {condition}\n").replace("    choices:\n", "    choices:\n" + extra)
    write_story(tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": text})
    assert main(["check", str(tmp_path / "story")]) == 0
    out = capsys.readouterr().out.splitlines()
    w306 = [line for line in out if "W306" in line]
    assert len(w306) == 1, out
    assert w306[0].startswith(f"{tmp_path / 'story' / 's.yaml'}:10:13: warning[W306]: {message}"), w306[0]


@pytest.mark.parametrize(
    "condition",
    ["trust.ana > 50", "visits.last >= 1", "visits.first >= 2", "clue == true", "trust.ana + 60 > 100"],
)
def test_a_condition_that_can_go_either_way_has_no_w306(
    condition: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_story(tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": scene_file(f"        if: {condition}\n")})
    assert main(["check", str(tmp_path / "story")]) == 0
    assert "W306" not in capsys.readouterr().out


def test_w306_in_a_conditional_paragraph_of_its_own_scene(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = GOOD_SCENES.replace(
        "    text: Hello.\n",
        "    text:\n      - Hello.\n      - if: visits.first >= 1\n        text: Again.\n",
    )
    write_story(tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": text})
    assert main(["check", str(tmp_path / "story")]) == 0
    out = capsys.readouterr().out
    assert (
        f"{tmp_path / 'story' / 's.yaml'}:5:13: warning[W306]: if: 'visits.first >= 1' always holds "
        "(visits.first is at least 1 in its own scene), so the paragraph is always shown\n"
    ) in out


def test_a_yaml_error_that_is_not_about_prose_gets_no_prose_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misindented key is a layout mistake: telling the author to quote a text would mislead."""
    text = GOOD_SCENES.replace("    choices:\n      - text: Go on", "   choices:\n      - text: Go on")
    write_story(tmp_path / "story", MINIMAL_MANIFEST, **{"s.yaml": text})
    assert main(["check", str(tmp_path / "story")]) == 1
    error = capsys.readouterr().out.splitlines()[0]
    assert error.endswith(
        "s.yaml:4:4: error[E001]: YAML syntax: did not find expected key (while parsing a block mapping)"
    )
