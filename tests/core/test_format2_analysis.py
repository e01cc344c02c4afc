"""Format 2 in `coldcase explore` and `coldcase check`: exact and finite state, W301-W304, JSON."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from coldcase_game import engine
from coldcase_game.analysis.explore import explore, liveness, visit_caps, visit_periods
from coldcase_game.cli import main
from coldcase_game.story.loader import load_story, read_story
from coldcase_game.story.model import Story

if TYPE_CHECKING:
    from tests.conftest import StoryDir

MANIFEST = """\
format: 2
title: Routes
start: hall
characters:
  zarina:
    name: Zarina Yusupova
    introduced_by: met_zarina
flags:
  met_zarina: ""
  heard_anvar: ""
  asked: ""
  letter: "Anvar's letter is in your pocket."
vars:
  heat: {min: 0, max: 2}
  score: {min: 0, max: 3, name: Score}
terms:
  Anvar: heard_anvar
"""


def story_of(story_dir: StoryDir, scenes: str, manifest: str = MANIFEST) -> Story:
    return load_story(story_dir(manifest, **{"s.yaml": scenes}))


# --- explore: exact and finite -----------------------------------------------------------

CYCLING = """\
scenes:
  hall:
    text:
      - cycle: [Tick., Tock., Tack.]
      - sequence: [First., Second., Later.]
    choices:
      - text: Round
        goto: hall
      - text: Out
        goto: out
        if: visits.hall >= 5
        locked: Not yet.
  out:
    text: Out.
    ending: Out
"""


def test_visit_counts_exact_up_to_the_cap_then_modulo_the_cycles(story_dir: StoryDir) -> None:
    story = story_of(story_dir, CYCLING, MANIFEST.split("vars:")[0].replace("terms:", ""))
    assert visit_caps(story) == {"hall": 6}  # `>= 5` needs 0..5 apart and "6 or more"; the sequence 3
    assert visit_periods(story) == {"hall": 3}
    result = explore(story)
    assert result.ok
    # hall at visits 1..6, then 7 and 8 differ from 6 only in the cycle (9 is 6 again), and the ending
    assert result.states == 8 + 1
    texts = set()
    state = engine.start(story)
    for _ in range(12):
        texts.add(engine.narration(story, state))
        state = engine.step(story, state, "hall")
    assert len(texts) == 3 + 2  # visits 1 and 2 (their sequence items), then the cycle of three with "Later."


def test_variables_are_part_of_the_state(story_dir: StoryDir) -> None:
    scenes = """\
scenes:
  hall:
    text: A hall.
    choices:
      - text: Heat up
        goto: hall
        do:
          vars: {heat: +1}
      - text: Leave hot
        goto: out
        if: heat >= 2
  out:
    text: Out.
    ending: Out
"""
    story = story_of(story_dir, scenes)
    result = explore(story)
    assert result.ok
    assert [s.choice for s in result.endings["out"]] == ["hall", "hall", "out"]
    assert result.states == 3 + 1  # heat 0, 1, 2 (clamped: no more), and the ending
    assert "heat" in liveness(story)["hall"][3]


def test_a_named_variable_is_kept_and_reported_even_when_nothing_reads_it(
    story_dir: StoryDir, capsys: pytest.CaptureFixture[str]
) -> None:
    scenes = """\
scenes:
  hall:
    text: A hall.
    choices:
      - text: Score
        goto: hall
        do:
          vars: {score: +1}
      - text: Out
        goto: out
  out:
    text: Out.
    ending: Out
"""
    story = story_of(story_dir, scenes)
    result = explore(story)
    assert result.var_ranges["hall"]["score"] == (0, 3)
    assert result.var_ranges["out"]["score"] == (0, 3)
    main(["explore", str(story.root), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert report["var_ranges"]["out"] == {"score": {"min": 0, "max": 3}}


# --- W301 -------------------------------------------------------------------------------

TERMS = """\
scenes:
  hall:
    text: A hall. Somebody has left a note.
    choices:
      - text: Read the note
        id: read
        goto: hall
        once: true
        do:
          set: [heard_anvar]
        then: The note is signed by Anvar.
      - text: Ask about Anvar
        id: ask
        goto: hall
        if: heard_anvar
      - text: Go to the lab
        id: lab
        goto: lab
  lab:
    text:
      - Zarina Yusupova looks up.
      - if: heard_anvar
        text: She has heard of Anvar too.
    on_enter:
      set: [met_zarina]
    choices:
      - text: Take the letter
        goto: out
        do:
          set: [letter]
  out:
    text: Out.
    ending: Zarina's Way Out
"""


def test_terms_introduced_in_time_give_no_warning(story_dir: StoryDir) -> None:
    result = explore(story_of(story_dir, TERMS))
    # "Anvar" in the `then` is shown after the `do` that sets heard_anvar; the lab introduces Zarina
    # in its on_enter before its text is shown; the choice "Ask about Anvar" needs heard_anvar
    warnings = [(w.term, w.where) for w in result.term_warnings]
    assert (
        "Anvar",
        "the clue",
    ) in warnings  # the letter's clue names Anvar on a route that never heard of him
    assert ("Zarina", "the ending title") not in warnings
    assert len(warnings) == 1


def test_w301_names_the_place_the_term_and_the_shortest_walkthrough(
    story_dir: StoryDir, capsys: pytest.CaptureFixture[str]
) -> None:
    scenes = TERMS.replace("      - text: Go to the lab\n", "      - text: Go to Zarina's lab\n")
    story = story_of(story_dir, scenes)
    result = explore(story)
    by_term = {(w.term, w.where): w for w in result.term_warnings}
    choice = by_term[("Zarina", "choice text")]
    assert (choice.pos.line, choice.pos.col) == (16, 15)
    assert choice.path == ()  # shown at the very start
    clue = by_term[("Anvar", "the clue")]
    assert [s.choice for s in clue.path] == ["lab", "out"]  # the shortest route that shows it
    assert main(["explore", str(story.root)]) == 0  # warnings do not change the exit status
    out = capsys.readouterr().out
    assert (
        f"{story.root}/story.yaml:12:3: warning[W301]: the clue mentions 'Anvar' before it is introduced"
        in out
    )
    assert "walkthrough: 2 1" in out
    main(["explore", str(story.root), "--json"])
    report = json.loads(capsys.readouterr().out)
    codes = {(w["code"], w["term"], w["where"]) for w in report["warnings"]}
    assert ("W301", "Zarina", "choice text") in codes
    first = next(w for w in report["warnings"] if w["term"] == "Anvar")
    assert [s["choice"] for s in first["path"]] == ["lab", "out"]


def test_a_term_in_scene_text_is_checked_after_on_enter_and_in_then_after_do(story_dir: StoryDir) -> None:
    scenes = TERMS.replace(
        "        then: The note is signed by Anvar.\n", "        then: Anvar? You don't know him.\n"
    )
    scenes = scenes.replace(
        "          set: [heard_anvar]\n        then:", "          set: [asked]\n        then:"
    )
    result = explore(story_of(story_dir, scenes))
    wheres = {(w.term, w.where) for w in result.term_warnings}
    assert ("Anvar", "then text") in wheres  # the do no longer introduces him


def test_liveness_keeps_the_flags_a_term_reads(story_dir: StoryDir) -> None:
    from coldcase_game.analysis.explore import TermIndex

    scenes = TERMS.replace("      - if: heard_anvar\n        text: She has heard of Anvar too.\n", "")
    story = story_of(story_dir, scenes)
    assert "heard_anvar" not in liveness(story, None)["lab"][0]  # no condition there or after reads it
    live = liveness(story, TermIndex(story))
    assert "heard_anvar" in live["lab"][0]  # but the letter's clue, announced after it, names Anvar


# --- W302, W303, W304 (check) ------------------------------------------------------------

CHECKS = """\
scenes:
  hall:
    text: A hall.
    choices:
      - text: Ask her
        id: ask
        goto: hall
        if: not asked
        locked: You already asked.
        do:
          set: [asked]
      - text: Heat
        id: heat
        goto: hall
        if: heat < 2
        locked: It is hot enough.
        do:
          vars: {heat: =2}
      - text: Go
        goto: room
  room:
    text: A room.
    on_enter:
      set: [heard_anvar]
    choices:
      - text: Back
        goto: hall
        if: not heard_anvar
        locked: Not again.
      - text: Out
        goto: out
  out:
    text: Out.
    ending: Out
"""


def warnings_of(story_dir: StoryDir, scenes: str, manifest: str = MANIFEST) -> list[str]:
    result = read_story(story_dir(manifest, **{"s.yaml": scenes}))
    assert result.story is not None, result.diagnostics
    return [f"{d.line}:{d.col} {d.code} {d.message}" for d in result.warnings]


def test_w302_a_locked_choice_its_own_effects_lock(story_dir: StoryDir) -> None:
    found = [w for w in warnings_of(story_dir, CHECKS) if " W302 " in w]
    assert found[0] == (
        "9:17 W302 choice 'ask' in scene 'hall' locks itself: its 'do' makes 'if: not asked' false, so once "
        "chosen it comes back locked with the hint 'You already asked.' for something already done; "
        "add 'once: true'"
    )
    assert "choice 'heat' in scene 'hall' locks itself: its 'do' makes 'if: heat < 2' false" in found[1]
    assert len(found) == 2  # the room's Back is not warned: it leads to the hall, whose on_enter sets nothing


def test_w302_by_the_goto_scene_s_on_enter_and_not_for_once(story_dir: StoryDir) -> None:
    scenes = CHECKS.replace(
        "        goto: hall\n        if: not asked\n", "        goto: room\n        if: not heard_anvar\n"
    )
    found = [w for w in warnings_of(story_dir, scenes) if " W302 " in w]
    assert any("the 'on_enter' of scene 'room' makes 'if: not heard_anvar' false" in w for w in found)
    fixed = CHECKS.replace(
        "        locked: You already asked.\n", "        locked: You already asked.\n        once: true\n"
    )
    assert not any("choice 'ask'" in w for w in warnings_of(story_dir, fixed))


def test_w303_a_scene_entered_again_that_reads_the_same(story_dir: StoryDir) -> None:
    found = [w for w in warnings_of(story_dir, CHECKS) if " W303 " in w]
    assert found == [
        "2:3 W303 scene 'hall' can be entered again but shows the same text on every visit: "
        "vary it with a 'sequence', a 'cycle' or a condition on visits.hall",
        "21:3 W303 scene 'room' can be entered again but shows the same text on every visit: "
        "vary it with a 'sequence', a 'cycle' or a condition on visits.room",
    ]  # the room lies on a cycle and a choice that is not `once` leads to it
    varied = CHECKS.replace(
        "    text: A hall.\n", "    text:\n      - sequence: [A hall., The hall again.]\n"
    )
    assert not [w for w in warnings_of(story_dir, varied) if "scene 'hall'" in w and " W303 " in w]
    once = CHECKS.replace(
        "      - text: Go\n        goto: room\n", "      - text: Go\n        goto: room\n        once: true\n"
    )
    assert not [w for w in warnings_of(story_dir, once) if "scene 'room'" in w and " W303 " in w]


def test_w303_a_scene_off_every_cycle_is_not_warned(story_dir: StoryDir) -> None:
    assert not [w for w in warnings_of(story_dir, TERMS) if " W303 " in w and "'lab'" in w]


def test_w304_a_character_whose_flag_is_never_set(story_dir: StoryDir) -> None:
    found = [w for w in warnings_of(story_dir, CHECKS) if " W304 " in w]
    assert found == [
        "5:3 W304 character 'zarina' is introduced by flag 'met_zarina', which nothing sets: the player "
        "never meets them (set the flag where they first appear)"
    ]


@pytest.mark.parametrize(
    ("condition", "word"),
    [
        ("trust.zarina > 100", "can never hold"),
        ("false", "can never hold"),
        ("visits.hall >= 0", "always holds"),
        ("heat < 9", "always holds"),
        ("score - heat > 3 or asked and false", "can never hold"),
        ("-heat <= 0", "always holds"),
    ],
)
def test_w306_a_condition_decided_by_its_form(story_dir: StoryDir, condition: str, word: str) -> None:
    scenes = CHECKS.replace("        if: not asked\n", f"        if: {condition}\n")
    found = [w for w in warnings_of(story_dir, scenes) if " W306 " in w or "choice 'ask'" in w]
    assert found == [
        f"8:13 W306 condition '{condition}' {word} by its form alone, whatever the game's state "
        "(trust is 0 to 100, a variable stays in its range, visits are 0 or more)"
    ]


def test_w306_once_for_a_format_2_condition_whatever_it_governs(story_dir: StoryDir) -> None:
    """One implementation for both formats: a condition is reported once, at its `if:`, even when its
    text block is several paragraphs (format 1 always did this; format 2 used to say it twice)."""
    scenes = CHECKS.replace(
        "    text: A hall.\n",
        "    text:\n      - A hall.\n      - if: trust.zarina > 200\n        text: |\n"
        "          She trusts you.\n\n          Completely.\n",
    )
    found = [w for w in warnings_of(story_dir, scenes) if " W306 " in w]
    assert found == [
        "5:13 W306 condition 'trust.zarina > 200' can never hold by its form alone, whatever the game's "
        "state (trust is 0 to 100, a variable stays in its range, visits are 0 or more)"
    ]


@pytest.mark.parametrize(
    ("where", "scenes"),
    [
        (
            "then",
            CHECKS.replace(
                "      - text: Go\n        goto: room\n",
                "      - text: Go\n        goto: room\n        then:\n          - if: trust.zarina > 200\n"
                "            text: |\n              One.\n\n              Two.\n",
            ),
        ),
        (
            "effect block",
            CHECKS.replace(
                "    on_enter:\n      set: [heard_anvar]\n",
                "    on_enter:\n      - if: trust.zarina > 200\n        set: [heard_anvar]\n"
                "      - set: [heard_anvar]\n",
            ),
        ),
    ],
    ids=["then", "effect block"],
)
def test_w306_once_in_then_text_and_effect_blocks(story_dir: StoryDir, where: str, scenes: str) -> None:
    found = [w for w in warnings_of(story_dir, scenes) if " W306 " in w]
    assert len(found) == 1, (where, found)
    assert "condition 'trust.zarina > 200' can never hold by its form alone" in found[0]


def test_w306_a_part_fixed_by_its_form_in_format_2(story_dir: StoryDir) -> None:
    """Format 1 always reported a fixed part of a condition that is open as a whole; format 2 does too."""
    scenes = CHECKS.replace("        if: not asked\n", "        if: heat > 5 or not asked\n")
    found = [w for w in warnings_of(story_dir, scenes) if " W306 " in w]
    assert found == [
        "8:13 W306 condition 'heat > 5 or not asked': its part 'heat > 5' can never hold by its form "
        "alone, whatever the game's state (trust is 0 to 100, a variable stays in its range, visits are "
        "0 or more), so it makes no difference to the condition"
    ]


def test_w306_a_scene_has_been_entered_in_its_own_choices(story_dir: StoryDir) -> None:
    scenes = CHECKS.replace("        if: not asked\n", "        if: visits.hall == 0\n")
    found = [w for w in warnings_of(story_dir, scenes) if " W306 " in w]
    assert found == [
        "8:13 W306 condition 'visits.hall == 0' can never hold by its form alone, whatever the game's "
        "state (trust is 0 to 100, a variable stays in its range, visits are 0 or more, and visits.hall "
        "at least 1 in scene 'hall' itself)"
    ]
    elsewhere = CHECKS.replace("        if: not asked\n", "        if: visits.room == 0\n")
    assert not [w for w in warnings_of(story_dir, elsewhere) if " W306 " in w]


def test_w306_not_for_conditions_that_depend_on_the_state(story_dir: StoryDir) -> None:
    assert not [w for w in warnings_of(story_dir, CHECKS) if " W306 " in w]  # not asked, heat < 2, ...
    scenes = CHECKS.replace("        if: not asked\n", "        if: trust.zarina + heat > 101\n")
    assert not [w for w in warnings_of(story_dir, scenes) if " W306 " in w]  # 100 + 2 can exceed it


def test_check_json_carries_the_new_warnings(story_dir: StoryDir, capsys: pytest.CaptureFixture[str]) -> None:
    root = story_dir(MANIFEST, **{"s.yaml": CHECKS})
    assert main(["check", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    items = report if isinstance(report, list) else report.get("diagnostics", report)
    text = json.dumps(items)
    for code in ("W302", "W303", "W304"):
        assert f'"{code}"' in text


def test_format_1_checks_are_unchanged(story_dir: StoryDir) -> None:
    """The same self-locking choice in a format-1 story: no W302 (its fix, `then`, needs format 2)."""
    manifest = 'format: 1\ntitle: Old\nstart: hall\nflags:\n  asked: ""\n  heard_anvar: ""\n'
    scenes = CHECKS.replace(
        "      - text: Heat\n        id: heat\n        goto: hall\n        if: heat < 2\n"
        "        locked: It is hot enough.\n        do:\n          vars: {heat: =2}\n",
        "",
    )
    assert not [w for w in warnings_of(story_dir, scenes, manifest) if " W30" in w]


@pytest.mark.parametrize("name", ["sample"])
def test_the_format_2_sample_checks_and_explores_clean(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", name]) == 0
    assert capsys.readouterr().out.strip().startswith("0 errors, 0 warnings")
    assert main(["explore", name, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"]
    assert report["warnings"] == []
