"""The rules of the scene format, seen through the engine and a session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from coldcase_game import engine
from coldcase_game.session import Session, replay
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

if TYPE_CHECKING:
    from tests.conftest import StoryDir

MANIFEST = """\
format: 1
title: Rules
start: hall
characters:
  ana:
    name: Ana
    trust: 50
  bo:
    name: Bo
    trust: 95
flags:
  key: You found the key.
  door: The door is open.
  noted: ""
"""

SCENES = """\
scenes:
  hall:
    title: Hall
    on_enter:
      trust: {ana: +1}
    text:
      - Always shown.
      - if: visits.hall >= 2
        text: You have been here before.
      - if: trust.ana >= 60
        text: Ana smiles.
    choices:
      - text: Take the key
        goto: hall
        id: take
        once: true
        do:
          set: [key]
      - text: Open the door
        goto: yard
        id: door
        if: key
        locked: It is locked.
      - text: Flatter Bo
        goto: hall
        id: flatter
        if: trust.bo < 100
        do:
          trust: {bo: +10, ana: '%+50'}
      - text: Insult Ana
        goto: hall
        id: insult
        if: trust.ana > 0
        do:
          trust: {ana: -100}
      - text: Secret
        goto: yard
        id: secret
        if: noted
  yard:
    text: Outside.
    on_enter:
      set: [door, noted]
      clear: [noted]
    choices:
      - text: Leave
        goto: gone
        id: leave
  gone:
    text: Gone.
    ending: Gone for Good
"""


@pytest.fixture
def story(story_dir: StoryDir) -> Story:
    return load_story(story_dir(MANIFEST, **{"scenes.yaml": SCENES}))


def ids(state: engine.GameState, story: Story) -> list[tuple[str, bool, str | None]]:
    return [(o.choice.id, o.available, o.locked_reason) for o in engine.choice_options(story, state)]


def test_new_game_enters_start_scene(story: Story) -> None:
    state = engine.start(story)
    assert state.scene == "hall"
    assert state.visits_of("hall") == 1  # entering counts the visit
    assert state.trust_of("ana") == 51  # then on_enter applies
    assert state.flags == frozenset()


def test_locked_choice_is_shown_with_reason_and_cannot_be_chosen(story: Story) -> None:
    state = engine.start(story)
    options = ids(state, story)
    assert ("door", False, "It is locked.") in options
    assert ("secret", False, None) not in [o[:3] for o in options]  # hidden: no `locked`
    with pytest.raises(engine.IllegalChoice):
        engine.step(story, state, "door")
    with pytest.raises(engine.IllegalChoice):
        engine.step(story, state, "secret")


def test_numbers_count_available_choices_only(story: Story) -> None:
    options = engine.choice_options(story, engine.start(story))
    assert [(o.choice.id, o.number) for o in options] == [
        ("take", 1),
        ("door", None),
        ("flatter", 2),
        ("insult", 3),
    ]


def test_once_choice_disappears_and_unlocks_door(story: Story) -> None:
    state = engine.step(story, engine.start(story), "take")
    assert "key" in state.flags
    assert state.journal == ("key",)
    assert state.last.clues == ("key",)
    choice_ids = [o.choice.id for o in engine.choice_options(story, state)]
    assert "take" not in choice_ids
    assert ("door", True, None) in ids(state, story)
    with pytest.raises(engine.IllegalChoice):
        engine.step(story, state, "take")


def test_visits_count_and_conditional_paragraphs(story: Story) -> None:
    state = engine.start(story)
    assert "You have been here before." not in engine.narration(story, state)
    state = engine.step(story, state, "take")
    assert state.visits_of("hall") == 2
    assert engine.narration(story, state)[:2] == ("Always shown.", "You have been here before.")


def test_trust_clamps_at_zero_and_hundred(story: Story) -> None:
    state = engine.start(story)
    state = engine.step(story, state, "insult")
    assert state.trust_of("ana") == 1  # clamped to 0 by -100, then +1 on entering hall
    assert state.last.trust[0].before == 51
    assert state.last.trust[0].after == 1
    state = engine.step(story, state, "flatter")  # bo 95 + 10
    assert state.trust_of("bo") == 100
    assert "flatter" not in [o.choice.id for o in engine.choice_options(story, state)]


def test_fairmath_uses_integer_arithmetic(story: Story) -> None:
    state = engine.step(story, engine.start(story), "flatter")
    # ana 51 -> 51 + (100-51)*50//100 = 75, then +1 on entering hall
    assert state.trust_of("ana") == 76
    assert state.trust_of("bo") == 100  # 95 + 10 clamped
    assert "Ana smiles." in engine.narration(story, state)


def test_effects_apply_trust_then_set_then_clear(story: Story) -> None:
    state = engine.step(story, engine.start(story), "take")
    state = engine.step(story, state, "door")
    assert state.scene == "yard"
    assert "door" in state.flags
    assert "noted" not in state.flags  # set then cleared in the same on_enter


def test_ending_ends_the_game(story: Story) -> None:
    session = Session(story)
    for choice in ("take", "door", "leave"):
        session.choose(choice)
    assert session.is_over
    assert session.ending == "Gone for Good"
    assert session.state.last.ending == "Gone for Good"
    with pytest.raises(engine.IllegalChoice):
        session.choose("leave")


def test_same_choices_same_state(story: Story) -> None:
    a = Session(story)
    b = Session(story)
    for s in (a, b):
        for choice in ("flatter", "take", "insult", "door"):
            s.choose(choice)
    assert a.state == b.state


def test_undo_goes_back_to_start_and_not_beyond(story: Story) -> None:
    session = Session(story)
    start = session.state
    session.choose("take")
    session.choose("flatter")
    assert session.undo()
    assert session.undo()
    assert session.state == start
    assert session.undo() is False
    assert session.log == ()


def test_replay_reports_where_a_log_stops_fitting(story: Story) -> None:
    session, divergence = replay(story, [("hall", "take"), ("hall", "door"), ("yard", "nope")])
    assert replay(story, [("hall", "take"), ("hall", "door")])[1] is None
    assert session.state.scene == "yard"
    assert divergence is not None
    assert divergence.step == 3
    assert divergence.choice == "nope"
    assert "no longer exists" in divergence.reason


def test_journal_keeps_first_set_order_and_never_repeats(story: Story) -> None:
    session = Session(story)
    session.choose("take")
    session.choose("door")
    assert [story.flags[f].text for f in session.state.journal] == ["You found the key.", "The door is open."]


def test_transcript_lists_each_scene_with_the_choice_made(story: Story) -> None:
    session = Session(story)
    session.choose("take")
    session.choose("door")
    steps = session.transcript()
    assert [s.title for s in steps] == ["Hall", "Hall", "Yard"]  # an untitled scene is headed by its id
    assert [s.choice_text for s in steps] == ["Take the key", "Open the door", None]


def test_choice_id_defaults_to_goto(story_dir: StoryDir) -> None:
    story = load_story(
        story_dir(
            MANIFEST,
            **{
                "s.yaml": """\
        scenes:
          hall:
            text: Hi.
            choices:
              - text: Go
                goto: yard
          yard:
            text: Bye.
            ending: End
        """
            },
        )
    )
    assert story.scenes["hall"].choices[0].id == "yard"


# --- the order of announcements: `do` changes and `on_enter` changes are kept apart ----------


def test_changes_say_which_came_from_do_and_which_from_on_enter(story: Story) -> None:
    state = engine.start(story)
    assert state.last.do == engine.Announced()  # a new game has no choice
    assert [(d.character, d.before, d.after) for d in state.last.on_enter.trust] == [("ana", 50, 51)]
    state = engine.step(story, state, "flatter")  # do: bo +10, ana %+50; then hall's on_enter: ana +1
    assert [(d.character, d.before, d.after) for d in state.last.do.trust] == [
        ("ana", 51, 75),
        ("bo", 95, 100),
    ]
    assert [(d.character, d.before, d.after) for d in state.last.on_enter.trust] == [("ana", 75, 76)]
    # over the whole step, each character once, from where it started to where it ended
    assert [(d.character, d.before, d.after) for d in state.last.trust] == [("ana", 51, 76), ("bo", 95, 100)]


def test_a_clue_set_by_on_enter_is_announced_after_the_narration(story: Story) -> None:
    state = engine.step(story, engine.start(story), "take")
    assert state.last.do.clues == ("key",)
    assert state.last.on_enter.clues == ()
    state = engine.step(story, state, "door")  # the yard's on_enter sets `door`, a clue
    assert state.last.do.clues == ()
    assert state.last.on_enter.clues == ("door",)
    assert state.last.clues == ("door",)
