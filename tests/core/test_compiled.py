"""The compiled engine (engine.compiled) against a straightforward model of the rules, and the
compiled explore against the reports the engine gave before it was compiled."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from tests.core import reference_rules as reference

from coldcase_game import engine
from coldcase_game.cli import main
from coldcase_game.engine.compiled import compiled, step_core
from coldcase_game.story.bundled import resolve_story
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "explore"
BUNDLED = ("sample", "ink_style", "clarke", "persson", "askarov")


def _fields(state: engine.GameState) -> tuple[object, ...]:
    """Everything a front end, a save or the announcements read of a state."""
    return (
        state.scene,
        state.trust,
        state.flags,
        state.taken,
        state.visits,
        state.journal,
        state.vars,
        state.last,
        tuple((p.scene, p.text, p.on_enter) for p in state.last.passed),
    )


def _available(story: Story, state: engine.GameState) -> list[str]:
    scene = story.scenes[state.scene]
    return [c.id for c in scene.choices if reference._is_available(c, scene.id, state)]


@pytest.mark.parametrize("case", BUNDLED)
def test_compiled_steps_match_the_reference_model_on_random_games(case: str) -> None:
    story = load_story(resolve_story(case))
    rng = random.Random(f"compiled-{case}")
    for _ in range(40):
        ours, theirs = engine.start(story), reference.start(story)
        for _ in range(400):
            assert _fields(ours) == _fields(theirs)
            scene = story.scenes[theirs.scene]
            assert engine.narration(story, ours) == tuple(
                t for t, _ in reference.shown(scene.paragraphs, theirs, theirs.visits_of(scene.id))
            )
            if scene.is_ending:
                break
            options = [o.choice.id for o in engine.choice_options(story, ours) if o.available]
            assert options == _available(story, theirs)
            if not options:
                break
            pick = rng.choice(options)
            assert (
                _fields(engine.after_do(story, ours, pick))[:7]
                == _fields(reference.after_do(story, theirs, pick))[:7]
            )
            ours, theirs = engine.step(story, ours, pick), reference.step(story, theirs, pick)


def test_engine_step_is_step_core_on_the_states_int() -> None:
    story = load_story(resolve_story("persson"))
    c = compiled(story)
    state = engine.start(story)
    assert state.core == c.start_core()
    for _ in range(12):
        options = [o for o in engine.choice_options(story, state) if o.available]
        if not options:
            break
        index = story.scenes[state.scene].choices.index(options[-1].choice)
        nxt = engine.step(story, state, options[-1].choice.id)
        assert nxt.core == step_core(c, state.core, index)
        state = nxt


def test_a_state_read_back_from_its_fields_packs_to_the_same_int() -> None:
    from coldcase_game.engine.rules import encode

    story = load_story(resolve_story("clarke"))
    state = engine.start(story)
    rng = random.Random(7)
    for _ in range(30):
        assert encode(compiled(story), state) == state.core
        options = [o.choice.id for o in engine.choice_options(story, state) if o.available]
        if not options:
            break
        state = engine.step(story, state, rng.choice(options))


@pytest.mark.parametrize("case", ["clarke", "persson", "askarov"])
def test_explore_reports_exactly_what_the_uncompiled_engine_reported(
    case: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """tests/golden/explore/CASE is the case as it stood when its report CASE.json was recorded with
    `coldcase explore --json` at commit 8f74ff6, before the engine was compiled (paths as CASE/FILE)."""
    monkeypatch.chdir(GOLDEN)  # the report names files as CASE/FILE.yaml
    status = main(["explore", "--json", f"./{case}"])
    report = json.loads(capsys.readouterr().out)
    expected = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))
    assert report == expected
    assert status == (0 if expected["ok"] else 1)
