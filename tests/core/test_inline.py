"""Format 2 inline text (`{if}`, `{seq}`, `{cycle}`, `{{`/`}}`), emphasis and title-less headings,
as an author (`coldcase check`, `coldcase explore`) and a player (plain mode) see them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from tests.conftest import write_story

from coldcase_game import engine
from coldcase_game.analysis.explore import explore
from coldcase_game.cli import main
from coldcase_game.plain import PlainGame
from coldcase_game.session import Session
from coldcase_game.story.inline import emphasis, plain
from coldcase_game.story.loader import load_story

LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>E\d{3})\]: (?P<msg>.+)$")

MANIFEST = """\
format: 2
title: Inline Case
start: hall
characters:
  harris:
    name: Harris
flags:
  cup: ""
  met_anvar: ""
vars:
  forceful: {min: -3, max: 3}
terms:
  Anvar: met_anvar
"""

# The scene file of the good story: every piece, in every kind of shown text.
SCENES = """\
scenes:
  hall:
    title: The Hall
    text: |
      "Quite a situation," {if cup: he|Harris} begins{if forceful <= 0:, sternly}.

      {seq: You sit.|You sit again.|You sit, as always.} The {{brass}} lamp hums, _quietly_, over file_name.
    choices:
      - text: '{cycle: Lift|Raise} the cup'
        goto: hall
        do: {set: [cup], vars: {forceful: +1}}
        then: '{if forceful > 1: Your hand is steady.|Your hand shakes.}'
      - text: Leave
        goto: porch
        if: forceful > 1
        locked: 'Not yet{if cup:, not with the cup}.'
  porch:
    text: A porch.
    choices:
      - text: Back in
        goto: last
  last:
    text: 'Gone {if met_anvar: with Anvar|alone}.'
    ending: Done
"""


def story_with(tmp_path: Path, scenes: str = SCENES, manifest: str = MANIFEST) -> Path:
    return write_story(tmp_path / "story", manifest, **{"s.yaml": scenes})


def play_plain(root: Path, typed: str) -> str:
    out = io.StringIO()
    PlainGame(Session(load_story(root)), io.StringIO(typed), out, echo=True).run()
    return out.getvalue()


def test_plain_transcript_of_every_piece(tmp_path: Path) -> None:
    transcript = play_plain(story_with(tmp_path), "1\n1\n2\n1\n")
    assert transcript.splitlines() == [
        "== The Hall ==",
        '"Quite a situation," Harris begins, sternly.',
        "",
        "You sit. The {brass} lamp hums, _quietly_, over file_name.",
        "",
        "  1. Lift the cup",
        "  -. Leave (locked: Not yet.)",
        "> 1",
        "Your hand shakes.",
        "",
        "== The Hall ==",
        '"Quite a situation," he begins.',
        "",
        "You sit again. The {brass} lamp hums, _quietly_, over file_name.",
        "",
        "  1. Raise the cup",
        "  -. Leave (locked: Not yet, not with the cup.)",
        "> 1",
        "Your hand is steady.",
        "",
        "== The Hall ==",
        '"Quite a situation," he begins.',
        "",
        "You sit, as always. The {brass} lamp hums, _quietly_, over file_name.",
        "",
        "  1. Lift the cup",
        "  2. Leave",
        "> 2",
        "",
        "A porch.",
        "",
        "  1. Back in",
        "> 1",
        "",
        "Gone alone.",
        "",
        "*** ENDING: Done ***",
    ]


def test_a_format_1_story_shows_braces_and_underscores_as_written(tmp_path: Path) -> None:
    manifest = "format: 1\ntitle: Old\nstart: hall\n"
    scenes = "scenes:\n  hall:\n    text: 'A {brace} and \\_ and _so_.'\n    ending: Done\n"
    out = play_plain(story_with(tmp_path, scenes, manifest), "")
    assert out.splitlines()[:2] == ["== Hall ==", "A {brace} and \\_ and _so_."]


# --- bad input: one located error each ------------------------------------------------

BAD: list[tuple[str, str, str, tuple[int, int], str]] = [
    # id, the paragraph (written in a | block at line 4, column 7), code, (line, col), message part
    ("lone_open", "A lone { brace.", "E123", (4, 14), "a lone '{'"),
    ("lone_close", "A lone } brace.", "E123", (4, 14), "a lone '}'"),
    ("piece_in_piece", "{if cup: a {seq: b} c}", "E124", (4, 18), "a piece inside a piece"),
    ("unterminated", "Now {if cup: never closed", "E125", (4, 11), "is not closed"),
    ("unknown_kind", "{beat} he waits.", "E126", (4, 7), "unknown kind of piece 'beat'"),
    ("misspelt_kind", "Yes {iff cup: a}.", "E126", (4, 11), "'iff' (did you mean 'if'?)"),
    ("three_parts", "X {if cup: a|b|c}.", "E127", (4, 9), "at most two parts"),
    ("no_condition", "X {if: a}.", "E127", (4, 9), "needs a condition and ':'"),
    ("seq_without_colon", "X {seq a|b}.", "E127", (4, 9), "{seq} piece is written"),
    ("bad_expression", "X {if cup and: a}.", "E301", (4, 20), "{if}: expected a value"),
    ("unknown_flag", "X {if cupp: a|b}.", "E303", (4, 13), "flag or variable 'cupp' (did you mean 'cup'?)"),
    ("unknown_var", "X {if forcefull > 1: a}.", "E303", (4, 13), "'forcefull' (did you mean 'forceful'?)"),
    ("unknown_character", "X {if trust.harriss > 3: a}.", "E303", (4, 19), "'harriss' (did you mean"),
    ("unknown_scene", "X {if visits.hal > 1: a}.", "E303", (4, 20), "scene 'hal' (did you mean 'hall'?)"),
    ("number_as_condition", "X {if forceful: a}.", "E302", (4, 13), "must be true/false"),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_a_malformed_piece_is_one_located_error(
    case: tuple[str, str, str, tuple[int, int], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, paragraph, code, where, message = case
    scenes = f"scenes:\n  hall:\n    text: |\n      {paragraph}\n    ending: Done\n"
    root = story_with(tmp_path, scenes)
    assert main(["check", str(root)]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    errors = [line for line in out.splitlines() if "error[" in line]
    assert len(errors) == 1, out
    m = LINE.match(errors[0])
    assert m, errors[0]
    assert (m["file"].endswith("s.yaml"), m["code"], (int(m["line"]), int(m["col"]))) == (True, code, where)
    assert message in m["msg"], errors[0]


@pytest.mark.parametrize(
    ("where", "text", "at"),
    [
        ("plain scalar", "    text: A lone } here.\n", (3, 18)),
        ("single quotes", "    text: 'Lone } here, it''s'\n", (3, 17)),
        ("double quotes, no escape", '    text: "Lone } here"\n', (3, 17)),
        # an escape before the piece: the column of the text's own start (never a wrong column)
        ("double quotes, an escape", '    text: "A \\"q\\" } here"\n', (3, 11)),
        ("in a choice's locked hint", None, (9, 19)),
    ],
)
def test_the_column_in_each_kind_of_scalar(
    where: str, text: str | None, at: tuple[int, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if text is None:
        scenes = (
            "scenes:\n  hall:\n    text: Hi.\n    choices:\n      - text: Go\n        goto: last\n"
            "        if: cup\n"
            "        locked: |\n"
            "          Not {if cupp: yet}.\n"
            "  last:\n    text: Bye.\n    ending: Done\n"
        )
        at_message = "cupp"
    else:
        scenes = f"scenes:\n  hall:\n{text}    ending: Done\n"
        at_message = "lone '}'"
    root = story_with(tmp_path, scenes)
    assert main(["check", str(root)]) == 1
    errors = [line for line in capsys.readouterr().out.splitlines() if "error[" in line]
    assert len(errors) == 1, errors
    assert at_message in errors[0]
    m = LINE.match(errors[0])
    assert m, errors[0]
    assert (int(m["line"]), int(m["col"])) == at, errors[0]


def test_titles_endings_and_clues_keep_braces_as_written(tmp_path: Path) -> None:
    manifest = MANIFEST.replace('  cup: ""\n', "  cup: A {lone brace in a clue.\n")
    scenes = "scenes:\n  hall:\n    title: The {odd} title\n    text: Hi.\n    ending: 'End {if}'\n"
    story = load_story(story_with(tmp_path, scenes, manifest))
    assert story.scenes["hall"].title == "The {odd} title"
    assert story.scenes["hall"].ending == "End {if}"


# --- the engine renders ---------------------------------------------------------------


def test_render_picks_by_condition_and_by_visits(tmp_path: Path) -> None:
    story = load_story(story_with(tmp_path))
    state = engine.start(story)
    p = story.scenes["hall"].paragraphs
    assert next(t for t, _ in engine.shown(p, state, 1)) == '"Quite a situation," Harris begins, sternly.'
    seq = p[1]
    seen = [engine.render(seq.text, seq.inline, state, k).split(".")[0] for k in (1, 2, 3, 4, 9)]
    always = "You sit, as always"
    assert seen == ["You sit", "You sit again", always, always, always]
    choice = story.scenes["hall"].choices[0]
    assert [engine.render(choice.text, choice.text_inline, state, k) for k in (1, 2, 3)] == [
        "Lift the cup",
        "Raise the cup",
        "Lift the cup",
    ]


def test_a_paragraph_left_empty_by_its_pieces_is_not_shown(tmp_path: Path) -> None:
    scenes = "scenes:\n  hall:\n    text:\n      - '{seq: Only the first time.|}'\n      - Always.\n" + (
        "    choices:\n      - text: Again\n        goto: hall\n"
    )
    story = load_story(story_with(tmp_path, scenes))
    first = engine.start(story)
    again = engine.step(story, first, "hall")
    assert engine.narration(story, first) == ("Only the first time.", "Always.")
    assert engine.narration(story, again) == ("Always.",)


def test_parts_are_taken_exactly_as_written() -> None:
    from coldcase_game.story.inline import RawPiece, scan

    assert scan("{if x: A | B}") == (RawPiece("if", ("A ", " B"), 0, "x", 4),)
    assert scan("a{if x:, b}") == ("a", RawPiece("if", (", b",), 1, "x", 5))
    assert scan("{seq:|x|}") == (RawPiece("seq", ("", "x", ""), 0),)
    assert scan("{{ and }}") == ("{ and }",)


# --- explore and checks see the text as shown ------------------------------------------


def test_w301_checks_only_the_branch_shown(tmp_path: Path) -> None:
    # `met_anvar` is never set: the ending shows "alone", so its `{if}` never shows Anvar
    story = load_story(story_with(tmp_path))
    assert explore(story).term_warnings == []
    # the other way round: Anvar is shown while the flag is not set, on the one route
    shown_early = SCENES.replace("{if met_anvar: with Anvar|alone}", "{if met_anvar: alone|with Anvar}")
    story = load_story(story_with(tmp_path, shown_early))
    [warning] = explore(story).term_warnings
    assert (warning.term, warning.pos.line, warning.where) == ("Anvar", 23, "scene text")


def test_explore_keeps_apart_the_flags_an_inline_condition_reads(tmp_path: Path) -> None:
    # `cup` is read only inside an `{if}`: unless explore keeps it in its state, the hall with the
    # cup lifted is the same state as the hall without, and the early Anvar is never seen
    scenes = """\
scenes:
  hall:
    text: '{if cup: Anvar is here.|The hall is empty.}'
    choices:
      - text: Lift the cup
        goto: hall
        do: {set: [cup]}
      - text: Leave
        goto: last
  last:
    text: Gone.
    ending: Done
"""
    [warning] = explore(load_story(story_with(tmp_path, scenes))).term_warnings
    assert (warning.term, warning.pos.line, [s.text for s in warning.path]) == ("Anvar", 3, ["Lift the cup"])


def test_explore_counts_visits_for_an_inline_seq(tmp_path: Path) -> None:
    # only the third visit says Anvar: explore must tell visits 1, 2 and 3 apart for the `{seq}`
    scenes = """\
scenes:
  hall:
    text: '{seq: Quiet.|Still quiet.|Anvar waits.}'
    choices:
      - text: Wait
        goto: hall
      - text: Leave
        goto: last
  last:
    text: Gone.
    ending: Done
"""
    [warning] = explore(load_story(story_with(tmp_path, scenes))).term_warnings
    assert (warning.term, [s.text for s in warning.path]) == ("Anvar", ["Wait", "Wait"])


def test_w303_is_satisfied_by_an_inline_seq(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = "scenes:\n  hall:\n    text: The same.\n    choices:\n      - text: Again\n        goto: hall\n"
    assert main(["check", str(story_with(tmp_path, same))]) == 0
    assert "W303" in capsys.readouterr().out
    varied = same.replace("The same.", "'The {seq: first|second} time.'")
    assert main(["check", str(story_with(tmp_path, varied))]) == 0
    assert "W303" not in capsys.readouterr().out


def test_w306_for_an_inline_condition_decided_by_its_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenes = "scenes:\n  hall:\n    text: |\n      He {if trust.harris > 100: smiles|frowns}.\n"
    scenes += "    ending: Done\n"
    assert main(["check", str(story_with(tmp_path, scenes))]) == 0
    [warning] = [line for line in capsys.readouterr().out.splitlines() if "W306" in line]
    assert ":4:14: warning[W306]" in warning
    assert "can never hold" in warning


# --- emphasis --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("I said _now_.", (("I said ", False), ("now", True), (".", False))),
        ("_Two words_ here", (("Two words", True), (" here", False))),
        ("file_name and snake_case_id", (("file_name and snake_case_id", False),)),
        ("__init__ and a lone _ here", (("__init__ and a lone _ here", False),)),
        ("an _unfinished one", (("an _unfinished one", False),)),
        ("\\_not\\_ emphasis", (("_not_ emphasis", False),)),
        ("(_aside_)", (("(", False), ("aside", True), (")", False))),
        ("_my_file_ ok", (("my_file", True), (" ok", False))),
        ("[bold]x[/]", (("[bold]x[/]", False),)),
    ],
)
def test_emphasis_opens_at_a_word_start_and_closes_at_a_word_end(
    text: str, runs: tuple[tuple[str, bool], ...]
) -> None:
    assert emphasis(text) == runs


def test_plain_mode_keeps_emphasis_and_unescapes_underscores() -> None:
    assert plain("I said _now_ and \\_this\\_.") == "I said _now_ and _this_."


# --- transcripts and exports -------------------------------------------------------------

EMPHASIS_SCENES = """\
scenes:
  hall:
    title: The Hall
    text: 'I said _now_, over file_name and \\_this\\_ and [bold]x[/].'
    choices:
      - text: '{cycle: Go|Went} _quickly_'
        goto: last
  last:
    text: Gone.
    ending: Done
"""


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, Path]:
    """A finished game of the emphasis story, saved as 'won': (the story's folder, the saves folder)."""
    from coldcase_game.session.saves import SaveStore

    root = story_with(tmp_path, EMPHASIS_SCENES)
    session = Session(load_story(root))
    session.choose("last")
    store = SaveStore(tmp_path / "saves")
    store.save("won", session)
    return root, store.folder


def test_plain_replay_keeps_emphasis_as_written(
    saved: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, folder = saved
    assert main(["--saves", str(folder), "replay", "won", "--story", str(root), "--plain"]) == 0
    out = capsys.readouterr().out
    assert "I said _now_, over file_name and _this_ and [bold]x[/]." in out
    assert "> Go _quickly_" in out


def test_markdown_export_has_emphasis_and_escapes_the_rest(
    saved: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, folder = saved
    target = tmp_path / "won.md"
    assert main(["--saves", str(folder), "replay", "won", "--story", str(root), "--export", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert "I said *now*, over file\\_name and \\_this\\_ and \\[bold\\]x\\[/\\]." in text
    assert "**Chose: Go *quickly***" in text


def test_html_export_has_emphasis_in_italics(
    saved: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, folder = saved
    target = tmp_path / "won.html"
    assert main(["--saves", str(folder), "replay", "won", "--story", str(root), "--export", str(target)]) == 0
    page = target.read_text(encoding="utf-8")
    assert re.search(r'<span style="font-style: italic">now</span>', page), page
    assert "over file_name and _this_ and [bold]x[/]." in page
    assert "_now_" not in page
