"""`coldcase stats`: the figures an author reads, counted by hand on a small story."""

from __future__ import annotations

import json
from pathlib import Path

from tests.authoring.conftest import Run, write_story


def test_stats_counts_words_choices_routes_and_states(coldcase: Run, loop_story: Path) -> None:
    status, out, err = coldcase("stats", str(loop_story))
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "Loop Case (loop_case): 21 words in 5 scenes, 6 choices, 2 endings",
        "",
        "Scenes (words: text, choices and locked hints):",
        "  scene  title       words  choices",
        "  a      Start Here      7        2",
        "  b      B               4        2",
        "  c      C               5        2",
        "  fin    Fin             4   ending",
        "  lost   Lost            1   ending",
        "  total                 21        6",
        "",
        "Routes to each ending (words of narration a player reads, the ending's own included):",
        "  ending  scene       shortest  longest",
        "  Fin     fin                8       10",
        "  Lost    lost   never reached",
        "  (some routes can go round a loop: the longest counts each scene of a loop once)",
        "",
        "States explore searches: 4",
    ]


def test_stats_json(coldcase: Run, loop_story: Path) -> None:
    status, out, _ = coldcase("stats", "--json", str(loop_story))
    assert status == 0
    data = json.loads(out)
    assert (data["words"], data["choices"], data["states"], data["loops"]) == (21, 6, 4, True)
    assert data["endings"] == [
        {"id": "fin", "title": "Fin", "shortest_words": 8, "longest_words": 10},
        {"id": "lost", "title": "Lost", "shortest_words": None, "longest_words": None},
    ]
    assert [s["words"] for s in data["scenes"]] == [7, 4, 5, 4, 1]


def test_a_story_without_loops_says_nothing_about_them(coldcase: Run, tmp_path: Path) -> None:
    story = write_story(
        tmp_path / "line",
        "format: 1\ntitle: Line\nstart: a\n",
        **{
            "s.yaml": "scenes:\n  a:\n    text: one two\n    choices: [{text: Go., goto: b}]\n"
            "  b:\n    text: three\n    ending: End\n"
        },
    )
    status, out, _ = coldcase("stats", str(story))
    assert status == 0
    assert "  End     b             3        3" in out.splitlines()
    assert "loop" not in out


def test_stats_of_a_missing_folder(coldcase: Run, tmp_path: Path) -> None:
    status, out, err = coldcase("stats", str(tmp_path / "nope"))
    assert (status, out) == (2, "")
    assert err == (
        f"coldcase stats: no story '{tmp_path / 'nope'}': give a bundled story id (see 'coldcase check') "
        "or a story folder\n"
    )


def test_stats_of_a_broken_story_prints_the_located_errors(coldcase: Run, loop_story: Path) -> None:
    part = loop_story / "part.yaml"
    part.write_text(part.read_text().replace("goto: fin}", "goto: fni}", 1))
    status, out, err = coldcase("stats", str(loop_story))
    assert (status, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == f"{part}:12:27: error[E104]: goto: unknown scene 'fni' (did you mean 'fin'?)"
    assert (
        lines[1]
        == f"coldcase stats: the story in {loop_story} has 1 error; run 'coldcase check {loop_story}'"
    )
    assert len(lines) == 2


def test_stats_stops_at_max_states(coldcase: Run, loop_story: Path) -> None:
    status, out, err = coldcase("stats", "--max-states", "2", str(loop_story))
    assert (status, out) == (3, "")
    assert err.startswith("coldcase stats: stopped after 2 states")
    status, _, err = coldcase("stats", "--max-states", "0", str(loop_story))
    assert (status, err) == (2, "coldcase stats: --max-states must be at least 1\n")


# Format 2, words by hand: hall's text is a sequence of 3 then 1 words; `wait` (1) has a `then` of 2;
# `leave` (1) leads to porch (1), which flows on to out (2); `run` (1) leads straight to out.
WORDS_MANIFEST = "format: 2\ntitle: Words\nstart: hall\n"
WORDS_SCENES = """\
scenes:
  hall:
    text:
      - sequence: [one two three, four]
    choices:
      - text: Wait
        id: wait
        goto: hall
        once: true
        then: five six
      - text: Leave
        id: leave
        goto: porch
      - text: Run
        id: run
        goto: out
  porch:
    text: seven
    next: out
  out:
    text: eight nine
    ending: Out
"""


def test_format_2_stats_count_every_variant_then_texts_and_chains(coldcase: Run, tmp_path: Path) -> None:
    story = write_story(tmp_path / "words", WORDS_MANIFEST, **{"s.yaml": WORDS_SCENES})
    status, out, err = coldcase("stats", str(story))
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        "Words (words): 12 words in 3 scenes, 3 choices, 1 ending",
        "",
        "Scenes (words as written: every variant and inline part, choices, locked hints, then texts):",
        "  scene  title  words  choices",
        "  hall   Hall       9        3",  # 3 + 1 variants, 3 choice texts, 2 of then
        "  porch  Porch      1     next",
        "  out    Out        2   ending",
        "  total            12        3",
        "",
        "Routes to each ending (words of narration a player reads as shown, then texts and the ending's "
        "own included):",
        "  ending  scene  shortest  longest",
        # shortest: hall's first variant, run, out (3 + 2); longest: hall (3), wait's then (2),
        # hall's second variant (1), leave, porch on the way (1), out (2)
        "  Out     out           5        9",
        "",
        "States explore searches: 3",  # hall twice, out (however it is reached)
    ]


def test_route_words_belong_to_the_choice_not_to_the_state_arrived_at(coldcase: Run, tmp_path: Path) -> None:
    """`leave` and `run` arrive at the same state of out (nothing there tells them apart): the chain
    through porch is read on the way by `leave` only, whichever of the two explore meets first."""
    leave = "      - text: Leave\n        id: leave\n        goto: porch\n"
    run_first = WORDS_SCENES.replace(leave, "").replace("  porch:\n", leave + "  porch:\n")
    for name, scenes in (("leave_first", WORDS_SCENES), ("run_first", run_first)):
        story = write_story(tmp_path / name, WORDS_MANIFEST, **{"s.yaml": scenes})
        status, out, _ = coldcase("stats", "--json", str(story))
        assert status == 0
        assert json.loads(out)["endings"] == [
            {"id": "out", "title": "Out", "shortest_words": 5, "longest_words": 9}
        ], name


def test_inline_pieces_count_every_part_in_a_scene_and_what_is_shown_on_a_route(
    coldcase: Run, tmp_path: Path
) -> None:
    scenes = """\
scenes:
  hall:
    text: 'He {if met: smiles|frowns at you}{if met:, warmly}. {seq:First.|Second time.}'
    choices:
      - text: '{cycle:Wait|Wait again}'
        id: wait
        goto: hall
        once: true
        do: {set: [met]}
      - text: Go
        id: go
        goto: out
  out:
    text: Bye {{now}}.
    ending: Out
"""
    story = write_story(
        tmp_path / "inline",
        'format: 2\ntitle: Inline\nstart: hall\nflags:\n  met: ""\n',
        **{"s.yaml": scenes},
    )
    status, out, _ = coldcase("stats", "--json", str(story))
    assert status == 0
    data = json.loads(out)
    # hall: "He" outside the pieces (the lone "." is not a word), smiles, frowns at you, warmly,
    # First., Second time.: 9; its choices Wait, Wait again, Go: 3 more. out: Bye {now}.
    assert [(s["id"], s["words"]) for s in data["scenes"]] == [("hall", 13), ("out", 2)]
    # as shown: "He frowns at you. First." and Bye {now}.; the longer way adds
    # "He smiles, warmly. Second time."
    assert data["endings"] == [{"id": "out", "title": "Out", "shortest_words": 7, "longest_words": 12}]
