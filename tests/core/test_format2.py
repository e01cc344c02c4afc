"""Format 2 through the engine: variables, sequence and cycle, `then`, characters met later."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coldcase_game import engine
from coldcase_game.session import Session
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

if TYPE_CHECKING:
    from tests.conftest import StoryDir

MANIFEST = """\
format: 2
title: Format Two
start: hall
characters:
  ana:
    name: Ana Petrova
    trust: 50
  zarina:
    name: Dr Zarina Yusupova
    trust: 40
    introduced_by: met_zarina
flags:
  met_zarina: You met Zarina Yusupova.
  lamp: ""
vars:
  forceful: {start: 0, min: -3, max: 3}
  evidence: {min: 0, max: 5, name: Evidence}
  hidden: {min: 2, max: 4}
terms:
  Anvar: lamp
"""

SCENES = """\
scenes:
  hall:
    title: Hall
    text:
      - sequence:
          - The hall, the first time.
          - The hall again.
          - ""
      - cycle: [The clock ticks., The clock tocks.]
      - if: forceful > -2
        text: You stand up straight.
      - if: evidence - hidden >= 1
        text: You have more evidence than doubt.
    choices:
      - text: Push
        id: push
        goto: hall
        do:
          vars: {forceful: +2}
          trust: {zarina: -5}
        then:
          - You push.
          - if: forceful >= 3
            text: Too hard.
          - sequence: [First push in this hall., Another push.]
      - text: Back off
        id: back_off
        goto: hall
        do:
          vars: {forceful: -7}
      - text: Gather
        id: gather
        goto: hall
        do:
          vars: {evidence: +10, forceful: =-1}
      - text: Reset
        id: reset
        goto: hall
        do:
          vars: {evidence: =0}
      - text: Meet Zarina
        id: meet
        goto: lab
        do:
          trust: {zarina: +10}
          set: [met_zarina]
  lab:
    text: Zarina looks up.
    on_enter:
      trust: {zarina: +5}
    choices:
      - text: Leave
        goto: out
  out:
    text: Out.
    ending: Out
"""


@pytest.fixture
def story(story_dir: StoryDir) -> Story:
    return load_story(story_dir(MANIFEST, **{"scenes.yaml": SCENES}))


def test_variables_start_at_start_or_zero_or_min(story: Story) -> None:
    state = engine.start(story)
    assert state.vars == (("forceful", 0), ("evidence", 0), ("hidden", 2))  # 0 is out of 2..4: min


def test_variables_add_set_and_clamp(story: Story) -> None:
    state = engine.step(story, engine.start(story), "push")
    assert state.var_of("forceful") == 2
    state = engine.step(story, state, "push")
    assert state.var_of("forceful") == 3  # 4 clamped to max 3
    state = engine.step(story, state, "back_off")
    assert state.var_of("forceful") == -3  # -4 clamped to min -3
    state = engine.step(story, state, "gather")
    assert state.var_of("evidence") == 5  # +10 clamped to 5
    assert state.var_of("forceful") == -1  # =-1 sets
    state = engine.step(story, state, "reset")
    assert state.var_of("evidence") == 0


def test_unary_minus_and_variables_in_conditions(story: Story) -> None:
    state = engine.start(story)
    assert "You stand up straight." in engine.narration(story, state)  # 0 > -2
    state = engine.step(story, state, "back_off")  # forceful -3
    assert "You stand up straight." not in engine.narration(story, state)
    assert "You have more evidence than doubt." not in engine.narration(story, state)  # 0 - 2
    state = engine.step(story, state, "gather")  # evidence 5, hidden 2
    assert "You have more evidence than doubt." in engine.narration(story, state)


def test_sequence_shows_item_by_visit_then_stays_on_the_last(story: Story) -> None:
    state = engine.start(story)
    seen = []
    for _ in range(4):
        seen.append(engine.narration(story, state)[0:2])
        state = engine.step(story, state, "reset")
    assert seen[0] == ("The hall, the first time.", "The clock ticks.")
    assert seen[1] == ("The hall again.", "The clock tocks.")
    # the third item is empty: it shows nothing, and stays so; the cycle goes round
    assert seen[2][0] == "The clock ticks."
    assert seen[3][0] == "The clock tocks."


def test_then_is_shown_after_do_and_sees_its_effects(story: Story) -> None:
    state = engine.step(story, engine.start(story), "push")  # forceful 2
    assert state.last.then == ("You push.", "First push in this hall.")
    state = engine.step(story, state, "push")  # forceful 3: `then` sees it
    assert state.last.then == ("You push.", "Too hard.", "Another push.")


def test_then_sequence_counts_the_visits_of_the_choice_s_scene(story_dir: StoryDir) -> None:
    story = load_story(story_dir(MANIFEST, **{"scenes.yaml": SCENES}))
    first = engine.start(story)  # hall visited once
    state = engine.step(story, first, "push")
    # k is the visit count of the scene the choice belongs to, when it is chosen: 1
    assert state.last.then[-1] == "First push in this hall."


def test_effects_apply_trust_vars_set_clear_and_announce_named_variables_only(story: Story) -> None:
    state = engine.step(story, engine.start(story), "gather")
    assert [(d.var, d.before, d.after) for d in state.last.do.vars] == [("evidence", 0, 5)]  # not forceful
    assert state.var_of("forceful") == -1


def test_an_unintroduced_character_is_hidden_and_its_changes_unannounced(story: Story) -> None:
    state = engine.start(story)
    assert [c.id for c, _ in engine.visible_characters(story, state)] == ["ana"]
    state = engine.step(story, state, "push")
    assert state.trust_of("zarina") == 35  # the change applies
    assert state.last.do.trust == ()  # but is not announced
    state = engine.step(story, state, "meet")  # the step that introduces her announces its change
    assert [(d.character, d.before, d.after) for d in state.last.do.trust] == [("zarina", 35, 45)]
    assert [(d.character, d.before, d.after) for d in state.last.on_enter.trust] == [("zarina", 45, 50)]
    assert [(c.id, v) for c, v in engine.visible_characters(story, state)] == [("ana", 50), ("zarina", 50)]


def test_after_do_is_the_state_then_is_shown_in(story: Story) -> None:
    state = engine.start(story)
    middle = engine.after_do(story, state, "meet")
    assert middle.scene == "hall"
    assert "met_zarina" in middle.flags
    assert middle.trust_of("zarina") == 50
    with pytest.raises(engine.IllegalChoice):
        engine.after_do(story, state, "leave")


def test_session_accessors_for_front_ends(story: Story) -> None:
    session = Session(story)
    assert [c.name for c, _ in session.characters()] == ["Ana Petrova"]
    assert [(v.name, value) for v, value in session.stats()] == [("Evidence", 0)]
    session.choose("push")
    assert session.transcript()[0].then == ("You push.", "First push in this hall.")


def test_character_names_become_terms_of_their_flag(story: Story) -> None:
    terms = story.terms
    assert terms["Anvar"].flags == ("lamp",)
    assert terms["Dr Zarina Yusupova"].flags == ("met_zarina",)
    assert terms["Zarina"].flags == ("met_zarina",)
    assert terms["Yusupova"].flags == ("met_zarina",)
    assert "Dr" not in terms  # titles are left out
    assert "Ana" not in terms  # a character met from the start adds no terms
