"""Format 2's `next` chains, conditional effect blocks and `chosen.<scene>.<choice>` (issue 10, items
2 to 4): what `coldcase check` tells an author about bad input, what the engine does, and what a
player sees in plain mode, after undo, in a save and its replay, and what explore proves."""

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
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.loader import load_story, read_story
from coldcase_game.story.model import Story

TEA_ROOM = Path(__file__).parents[1] / "tui" / "fixtures" / "tea_room"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>E\d{3})\]: (?P<msg>.+)$")


@pytest.fixture(scope="module")
def tea() -> Story:
    return load_story(TEA_ROOM)


# --- bad input: one located error each --------------------------------------------------------

MANIFEST = """\
format: 2
title: Flow Case
start: first
flags:
  lamp: ""
  clue: A clue.
vars:
  heat: {min: 0, max: 3}
"""

GOOD = """\
scenes:
  first:
    text: One.
    on_enter:
      - if: not lamp
        set: [lamp]
      - vars: {heat: +1}
    next: second
  second:
    text:
      - Two.
      - if: lamp
        text: The lamp is lit.
    choices:
      - text: Go
        id: go
        goto: last
        do:
          - if: chosen.second.go and heat > 0
            set: [clue]
  last:
    text: Bye.
    ending: The End
"""

BAD: list[tuple[str, str, str, str, tuple[int, int]]] = [
    (
        "next_and_choices",
        "E128",
        GOOD.replace(
            "    next: second\n", "    next: second\n    choices:\n      - {text: Go, goto: last}\n"
        ),
        "scene 'first' flows on with 'next' and cannot have 'choices' too",
        (9, 5),
    ),
    (
        "next_and_ending",
        "E128",
        GOOD.replace("    next: second\n", "    next: second\n    ending: Too Soon\n"),
        "cannot have 'ending' too",
        (9, 5),
    ),
    (
        "next_unknown_scene",
        "E104",
        GOOD.replace("next: second", "next: secnd"),
        "next: unknown scene 'secnd' (did you mean 'second'?)",
        (8, 11),
    ),
    (
        "next_cycle",
        "E129",
        GOOD.replace(
            "    choices:\n      - text: Go\n        id: go\n        goto: last\n", "    next: first\n"
        ).replace(
            "        do:\n          - if: chosen.second.go and heat > 0\n            set: [clue]\n", ""
        ),
        "next: this chain never stops: first -> second -> first",
        (14, 11),
    ),
    (
        "effect_block_not_a_mapping",
        "E130",
        GOOD.replace("      - vars: {heat: +1}\n", "      - lamp\n"),
        "a block of 'on_enter' must be a mapping of effects with an optional 'if'",
        (7, 9),
    ),
    (
        "effect_block_unknown_key",
        "E101",
        GOOD.replace("      - vars: {heat: +1}\n", "      - varz: {heat: +1}\n"),
        "unknown key 'varz' in a block of 'on_enter' (did you mean 'vars'?)",
        (7, 9),
    ),
    (
        "effect_block_bad_if",
        "E303",
        GOOD.replace("      - if: not lamp\n", "      - if: not lamb\n"),
        "unknown flag or variable 'lamb' (did you mean 'lamp'?)",
        (5, 17),
    ),
    (
        "effect_blocks_empty",
        "E117",
        GOOD.replace(
            "    on_enter:\n      - if: not lamp\n        set: [lamp]\n      - vars: {heat: +1}\n",
            "    on_enter: []\n",
        ),
        "on_enter is an empty list",
        (4, 15),
    ),
    (
        "chosen_unknown_scene",
        "E303",
        GOOD.replace("chosen.second.go", "chosen.secnd.go"),
        "unknown scene 'secnd' (did you mean 'second'?)",
        (19, 24),
    ),
    (
        "chosen_unknown_choice",
        "E303",
        GOOD.replace("chosen.second.go", "chosen.second.goo"),
        "scene 'second' has no choice 'goo' (did you mean 'go'?)",
        (19, 31),
    ),
    (
        "chosen_of_a_scene_without_choices",
        "E303",
        GOOD.replace("chosen.second.go", "chosen.first.go"),
        "scene 'first' has no choice 'go' (it has no choices)",
        (19, 30),
    ),
    (
        "chosen_without_a_choice",
        "E301",
        GOOD.replace("chosen.second.go and", "chosen.second and"),
        "'chosen.second' needs a choice: chosen.second.<choice>",
        (19, 31),
    ),
]


@pytest.mark.parametrize("case", BAD, ids=[c[0] for c in BAD])
def test_bad_flow_input_gives_one_located_error(
    case: tuple[str, str, str, str, tuple[int, int]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, code, scenes, message, where = case
    root = write_story(tmp_path / "story", MANIFEST, **{"s.yaml": scenes})
    status = main(["check", str(root)])
    out, err = capsys.readouterr()
    assert status == 1, out + err
    assert "Traceback" not in out + err
    errors = [line for line in out.splitlines() if "error[" in line]
    assert len(errors) == 1, out
    m = LINE.match(errors[0])
    assert m, errors[0]
    assert (m["code"], int(m["line"]), int(m["col"])) == (code, *where), errors[0]
    assert message in m["msg"], errors[0]


def test_the_good_base_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_story(tmp_path / "story", MANIFEST, **{"s.yaml": GOOD})
    assert main(["check", str(root)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


def test_format_1_is_told_that_next_blocks_and_chosen_need_format_2(tmp_path: Path) -> None:
    scenes = GOOD.replace("      - vars: {heat: +1}\n", "")
    root = write_story(
        tmp_path / "story",
        MANIFEST.replace("format: 2", "format: 1").split("vars:")[0],
        **{"s.yaml": scenes.replace(" and heat > 0", "").replace("- if: lamp", "- if: chosen.second.go")},
    )
    messages = [d.message for d in read_story(root).errors]
    assert "'next' needs 'format: 2' in story.yaml (this story is format 1)" in messages
    assert any("a list of effect blocks under 'on_enter' needs 'format: 2'" in m for m in messages)
    assert any("chosen.<scene>.<choice> needs 'format: 2'" in m for m in messages)


def test_a_next_cycle_is_reported_once_at_the_next_that_closes_it(tmp_path: Path) -> None:
    scenes = """\
    scenes:
      first:
        text: One.
        choices: [{text: Go, goto: a}]
      a:
        text: A.
        next: b
      b:
        text: B.
        next: c
      c:
        text: C.
        next: a
    """
    errors = read_story(write_story(tmp_path / "story", MANIFEST, **{"s.yaml": scenes})).errors
    assert [(e.code, e.line, e.message) for e in errors] == [
        (
            "E129",
            13,
            "next: this chain never stops: a -> b -> c -> a; "
            "give one of its scenes choices or an ending instead of 'next'",
        )
    ]


# --- the engine ---------------------------------------------------------------------------------


def test_a_chain_is_one_step_that_counts_a_visit_for_every_scene(tea: Story) -> None:
    state = engine.step(tea, engine.start(tea), "drink")
    assert state.scene == "answer"  # the first scene of the chain with choices
    assert dict(state.visits) == {"porch": 1, "sitting": 1, "confession": 1, "answer": 1}
    assert [p.scene for p in state.last.passed] == ["sitting", "confession"]
    assert [o.choice.text for o in engine.choice_options(tea, state)] == ["Fall asleep.", "Say nothing."]


def test_each_scene_of_a_chain_keeps_its_own_text_and_on_enter_changes_in_order(tea: Story) -> None:
    last = engine.step(tea, engine.start(tea), "drink").last
    sitting, confession = last.passed
    assert sitting.text == ("You sit. The clock ticks.",)
    assert [(d.character, d.before, d.after) for d in sitting.on_enter.trust] == [("harris", 50, 55)]
    assert not sitting.on_enter.vars
    # confession's paragraph reads chosen.porch.drink: true in this very step
    assert confession.text == ('"I\'ve done things," Harris begins.', "The room tilts.")
    assert [(d.var, d.before, d.after) for d in confession.on_enter.vars] == [("nerve", 0, 1)]
    assert not last.on_enter  # answer has no on_enter
    assert last.then == ("You drink it in one go.",)
    assert last.do.clues == ("drugged",)
    # the step's totals see the whole chain
    assert [(d.character, d.after) for d in last.trust] == [("harris", 55)]


def test_a_block_if_sees_what_the_blocks_before_it_did(tea: Story) -> None:
    state = engine.step(tea, engine.start(tea), "drink")
    assert {"drank", "drugged"} <= state.flags  # `if: drank` held: the first block had set it
    assert state.var_of("nerve") == 1  # `if: not drank` did not: no +3, only confession's +1


def test_an_on_enter_block_if_reads_the_choice_just_made(tea: Story) -> None:
    refused = engine.step(tea, engine.start(tea), "refuse")
    assert "warned" in refused.flags
    assert refused.var_of("nerve") == 2  # the choice's +1 and confession's +1
    drank = engine.step(tea, engine.start(tea), "drink")
    assert "warned" not in drank.flags


def test_the_state_records_only_the_choices_some_condition_reads(tea: Story) -> None:
    assert tea.chosen_read == {("porch", "drink"), ("porch", "refuse")}
    state = engine.step(tea, engine.start(tea), "refuse")
    assert state.taken == {("porch", "refuse")}
    ended = engine.step(tea, state, "silent")  # read by no condition: not recorded
    assert ended.taken == {("porch", "refuse")}


def test_the_start_scene_may_flow_on(tmp_path: Path) -> None:
    scenes = """\
    scenes:
      first:
        title: First
        text: It begins.
        on_enter: {set: [clue]}
        next: second
      second:
        text: Go on.
        choices: [{text: End it, goto: last}]
      last:
        text: Bye.
        ending: The End
    """
    story = load_story(write_story(tmp_path / "story", MANIFEST, **{"s.yaml": scenes}))
    state = engine.start(story)
    assert state.scene == "second"
    assert [(p.scene, p.on_enter.clues) for p in state.last.passed] == [("first", ("clue",))]
    assert state.last.clues == ("clue",)
    out = io.StringIO()
    PlainGame(Session(story), io.StringIO(""), out, echo=False).run()
    # `second` has no title: in format 2 it has no heading line, its text follows on
    shown = "== First ==\nIt begins.\n\n[journal] A clue.\n\nGo on.\n\n  1. End it\n"
    assert out.getvalue().startswith(shown)


# --- what the player sees ------------------------------------------------------------------------

TRANSCRIPT = """\
== The Porch ==
Harris holds the door. "Tea first," he says.

  1. Drink the tea.
  2. Leave the cup.
> 2
[stat] Nerve: 0 -> 1 (+1)

== The Sitting Room ==
You sit. The clock ticks.

[trust] Harris: 50 -> 55 (+5)

== The Confession ==
"I've done things," Harris begins.

[stat] Nerve: 1 -> 2 (+1)

== The Answer ==
He waits for an answer.

You keep your guard up.

  1. Accuse him.
  2. Say nothing.
> :where
[where] scene: answer
[where] passed through: sitting, confession
[where] flags set: warned
[where] variables: nerve = 2
[where] visits: answer 1, confession 1, porch 1, sitting 1
> :undo
Undone.

== The Porch ==
Harris holds the door. "Tea first," he says.

  1. Drink the tea.
  2. Leave the cup.
> 1
You drink it in one go.

[journal] The tea tasted of almonds.

== The Sitting Room ==
You sit. The clock ticks.

[trust] Harris: 50 -> 55 (+5)

== The Confession ==
"I've done things," Harris begins.

The room tilts.

[stat] Nerve: 0 -> 1 (+1)

== The Answer ==
He waits for an answer.

  1. Fall asleep.
  2. Say nothing.
> 1

== Asleep ==
You sleep. When you wake, he is gone.

*** ENDING: The Long Sleep ***
"""


def test_plain_mode_shows_a_chain_as_one_screen_and_undo_goes_back_over_all_of_it(tea: Story) -> None:
    out = io.StringIO()
    PlainGame(Session(tea), io.StringIO("2\n:where\n:undo\n1\n1\n"), out, echo=True).run()
    assert out.getvalue() == TRANSCRIPT


def test_undo_of_a_chain_restores_the_state_before_it(tea: Story) -> None:
    session = Session(tea)
    before = session.state
    session.choose("drink")
    assert session.steps == 1
    assert session.undo()
    assert session.state == before
    assert session.state.scene == "porch"
    assert not session.state.taken


def test_a_save_through_a_chain_loads_and_replays_cleanly(tea: Story, tmp_path: Path) -> None:
    session = Session(tea)
    session.choose("refuse")
    session.choose("accuse")
    store = SaveStore(tmp_path / "saves")
    store.save("tea", session)
    loaded = store.load("tea", tea)
    assert loaded.clean, loaded.report()
    assert loaded.session.log == (("porch", "refuse"), ("answer", "accuse"))  # no chain scene is a stop
    assert loaded.session.state == session.state
    assert loaded.session.ending == "The Accusation"


def test_the_replay_transcript_shows_each_chain_once_in_order(
    tea: Story, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session(tea)
    session.choose("drink")
    session.choose("sleep")
    store = SaveStore(tmp_path / "saves")
    path = store.save("tea", session).path
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["replay", str(path), "--story", str(TEA_ROOM), "--plain"]) == 0
    out = capsys.readouterr().out
    headings = [line for line in out.splitlines() if line.startswith("== ")]
    assert headings == [
        "== 0. The Porch ==",
        "== 1. The Sitting Room ==",
        "== 1. The Confession ==",
        "== 1. The Answer ==",
        "== 2. Asleep ==",
    ]
    screen = out[out.index("== 1. The Sitting Room ==") : out.index("== 1. The Answer ==")]
    assert screen.index("You sit.") < screen.index("Harris: 50 -> 55") < screen.index("I've done things")
    assert screen.index("The room tilts.") < screen.index("Nerve: 0 -> 1")


# --- explore ----------------------------------------------------------------------------------


def test_explore_finds_the_ending_only_chosen_opens_and_judges_chain_scenes(tea: Story) -> None:
    result = explore(tea)
    assert result.ok
    # the accusation needs chosen.porch.refuse: the walkthrough leaves the cup first
    assert [(s.scene, s.choice) for s in result.endings["accused"]] == [
        ("porch", "refuse"),
        ("answer", "accuse"),
    ]
    # scenes passed through are reached, never soft locks, and their paragraphs are judged
    assert not result.unreached_scenes
    assert not result.soft_locks
    assert not result.paragraphs_always
    assert not result.paragraphs_never


def test_explore_reports_an_ending_a_chosen_nobody_can_make_keeps_shut(tmp_path: Path) -> None:
    scenes = (
        GOOD.replace(
            "        goto: last\n",
            "        goto: last\n      - text: Secret\n        id: secret\n        goto: hidden\n"
            "        if: chosen.second.go\n",
            1,
        )
        + "  hidden:\n    text: Hidden.\n    ending: Hidden End\n"
    )
    story = load_story(write_story(tmp_path / "story", MANIFEST, **{"s.yaml": scenes}))
    result = explore(story)
    # going on ends the game, so `go` is never chosen before `secret` is offered
    assert result.unreached_endings == ["hidden"]
    assert ("second", "secret") in result.never_available


# --- graph and stats --------------------------------------------------------------------------


def test_graph_draws_next_edges_and_explore_notes_make_sense_for_chain_scenes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["graph", str(TEA_ROOM), "--explore"]) == 0
    out = capsys.readouterr().out
    assert '  s_sitting -->|"next"| s_confession' in out
    assert '  s_confession -->|"next"| s_answer' in out
    sitting = next(line for line in out.splitlines() if line.startswith("  s_sitting["))
    # reached, with its trust on arrival, and the endings its chain's end leads to
    assert "trust harris 55" in sitting
    assert "all 3 endings open on some routes only" in sitting
    assert "NEVER REACHED" not in sitting
    assert "NO ending" not in sitting


def test_stats_marks_scenes_that_flow_on(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", str(TEA_ROOM)]) == 0
    rows = {
        line.split()[0]: line.split()[-1] for line in capsys.readouterr().out.splitlines() if line[:2] == "  "
    }
    assert (rows["sitting"], rows["confession"], rows["answer"], rows["asleep"]) == (
        "next",
        "next",
        "3",
        "ending",
    )


def test_a_save_made_before_the_story_read_chosen_still_loads_cleanly(tmp_path: Path) -> None:
    """The state's `taken` now also holds the choices a `chosen.` reads (no new save field, so no
    schema bump): a save written while the story read none loads against the version that does,
    with no false report that the game went differently."""
    root = tmp_path / "tea_room"
    root.mkdir()
    for name in ("story.yaml", "scenes.yaml"):
        (root / name).write_text((TEA_ROOM / name).read_text(encoding="utf-8"), encoding="utf-8")
    scenes = root / "scenes.yaml"
    reads_chosen = scenes.read_text(encoding="utf-8")
    scenes.write_text(
        reads_chosen.replace("chosen.porch.drink", "drank").replace("chosen.porch.refuse", "not drank"),
        encoding="utf-8",
    )
    before = load_story(root)
    assert not before.chosen_read
    session = Session(before)
    session.choose("refuse")
    session.choose("accuse")
    assert session.state.taken == frozenset()
    store = SaveStore(tmp_path / "saves")
    store.save("old", session)

    scenes.write_text(reads_chosen, encoding="utf-8")
    after = load_story(root)
    loaded = store.load("old", after)
    assert loaded.divergence is None
    assert loaded.differences == ()
    assert loaded.session.ending == "The Accusation"
    assert loaded.session.state.taken == {("porch", "refuse")}
    assert "confession" in loaded.changed  # a scene passed through on a chain counts as on the path


def test_a_format_1_scene_with_next_gets_the_one_format_2_error(tmp_path: Path) -> None:
    scenes = (
        "scenes:\n  first:\n    text: One.\n    next: last\n  last:\n    text: Bye.\n    ending: The End\n"
    )
    manifest = "format: 1\ntitle: Old Case\nstart: first\n"
    errors = read_story(write_story(tmp_path / "story", manifest, **{"s.yaml": scenes})).errors
    assert [(e.code, e.line, e.col) for e in errors] == [("E119", 4, 5)]


# --- checks and explore see through blocks and chains ---------------------------------------------


def test_check_sees_block_conditions_and_sets(tmp_path: Path) -> None:
    scenes = GOOD.replace("      - if: not lamp\n", "      - if: heat > 7\n")  # heat is 0..3
    result = read_story(write_story(tmp_path / "story", MANIFEST, **{"s.yaml": scenes}))
    warnings = [(w.code, w.line, w.message) for w in result.warnings]
    assert (
        "W306",
        5,
        "condition 'heat > 7' can never hold by its form alone, whatever the game's state "
        "(trust is 0 to 100, a variable stays in its range, visits are 0 or more)",
    ) in warnings
    # `lamp` is set by a block and read by a paragraph: neither W102 nor W103
    assert not [w for w in warnings if w[0] in ("W102", "W103")]


def test_w301_finds_a_term_in_a_scene_a_chain_passes_through(tmp_path: Path) -> None:
    manifest = MANIFEST + "terms:\n  Harris: clue\n"
    scenes = GOOD.replace("    text: One.\n", "    text: Harris waits.\n", 1)
    story = load_story(write_story(tmp_path / "story", manifest, **{"s.yaml": scenes}))
    found = [(w.pos.line, w.term, w.where, w.scene) for w in explore(story).term_warnings]
    assert found == [(3, "Harris", "scene text", "first")]


def test_w302_sees_the_on_enter_of_a_chain_the_choice_leads_into(tmp_path: Path) -> None:
    scenes = """\
    scenes:
      first:
        text:
          - sequence: [A hub., The hub again.]
        choices:
          - text: Ask
            id: ask
            goto: asking
            if: not lamp
            locked: You already asked.
          - text: Leave
            goto: last
      asking:
        text: You ask.
        next: answer
      answer:
        text: He answers.
        on_enter:
          - set: [lamp]
        next: first
      last:
        text: Bye.
        ending: The End
    """
    result = read_story(write_story(tmp_path / "story", MANIFEST, **{"s.yaml": scenes}))
    w302 = [w.message for w in result.warnings if w.code == "W302"]
    assert w302 == [
        "choice 'ask' in scene 'first' locks itself: the 'on_enter' of scene 'answer' makes 'if: not lamp' "
        "false, so once chosen it comes back locked with the hint 'You already asked.' for something "
        "already done; add 'once: true'"
    ]


def test_a_scene_whose_next_is_itself_is_a_chain_that_never_stops(tmp_path: Path) -> None:
    scenes = GOOD.replace("    next: second\n", "    next: first\n")
    errors = read_story(write_story(tmp_path / "story", MANIFEST, **{"s.yaml": scenes})).errors
    assert [(e.code, e.line, e.col) for e in errors] == [("E129", 8, 11)]
    assert "first -> first" in errors[0].message
