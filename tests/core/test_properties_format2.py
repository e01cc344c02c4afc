"""Hypothesis properties over generated format-2 stories: variables, sequence/cycle, `then`,
characters met later. Trust and variables stay in range, play is deterministic, undo/redo returns
the same state, explore's walkthroughs replay, and explore's pruned search misses nothing a game reaches."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import write_story

from coldcase_game import engine
from coldcase_game.analysis.explore import explore
from coldcase_game.session import Session, replay
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

MANIFEST = """\
format: 2
title: Generated Two
start: s0
characters:
  a: {name: Ana Ames, trust: 50}
  b: {name: Bo Brand, trust: 0, introduced_by: met_b}
flags:
  f0: Clue zero.
  f1: ""
  met_b: ""
vars:
  v: {min: -3, max: 3}
  w: {start: 2, min: 0, max: 4, name: Weight}
"""

BOUNDS = {"v": (-3, 3), "w": (0, 4)}

trust_change = st.sampled_from(["+25", "-25", "+50", "%+100"])  # few trust values: explore stays small
var_change = {  # `=N` outside a variable's range is a load error, so each variable has its own
    "v": st.sampled_from(["+1", "+5", "-1", "-4", "=0", "=-3", "=3"]),
    "w": st.sampled_from(["+1", "+5", "-1", "-4", "=0", "=4"]),
}
condition = st.sampled_from(
    [
        "f0",
        "not f1",
        "v > -2",
        "w >= 3",
        "v + w > 2",
        "-v >= 1",
        "trust.a - w > 40",
        "visits.s0 > 2",
        "met_b and trust.b > 10",
    ]
)


@st.composite
def text_list(draw: st.DrawFn, indent: str) -> list[str]:
    lines = [f"{indent}- Plain."]
    kind = draw(st.sampled_from(["sequence", "cycle", "if", "none"]))
    if kind in ("sequence", "cycle"):
        n = draw(st.integers(1, 3))
        items = ", ".join(f"'{kind} {i}'" if draw(st.booleans()) else '""' for i in range(n))
        lines.append(f"{indent}- {kind}: [{items}]")
    elif kind == "if":
        lines += [f"{indent}- if: {draw(condition)}", f"{indent}  text: Conditional."]
    return lines


@st.composite
def stories(draw: st.DrawFn) -> str:
    n = draw(st.integers(2, 5))
    lines = ["scenes:"]
    for i in range(n):
        lines += [f"  s{i}:", "    text:", *draw(text_list("      ")), "    choices:"]
        for j in range(draw(st.integers(1, 3))):
            target = draw(st.integers(0, n - 1))
            lines += [f"      - text: Go {j}", f"        goto: s{target}", f"        id: c{j}"]
            if j and draw(st.booleans()):
                lines.append(f"        if: {draw(condition)}")
            if draw(st.booleans()):
                lines.append("        once: true")
            lines.append("        do:")
            chars = draw(st.lists(st.sampled_from("ab"), unique=True))
            lines.append(
                "          trust: {" + ", ".join(f"{c}: '{draw(trust_change)}'" for c in chars) + "}"
            )
            variables = draw(st.lists(st.sampled_from("vw"), unique=True))
            lines.append(
                "          vars: {" + ", ".join(f"{v}: '{draw(var_change[v])}'" for v in variables) + "}"
            )
            lines.append(f"          set: [{draw(st.sampled_from(['f0', 'f1', 'met_b']))}]")
            lines.append(f"          clear: [{draw(st.sampled_from(['f0', 'f1']))}]")
            if draw(st.booleans()):
                lines += ["        then:", *draw(text_list("          "))]
        lines += ["      - text: Stop", "        goto: end"]
    lines += ["  end:", "    text: The end.", "    ending: End"]
    return "\n".join(lines) + "\n"


def play(story: Story, picks: list[int]) -> Session:
    """A walk that takes the way out only when the picks run out or nothing else is open."""
    session = Session(story)
    for pick in picks:
        options = [o for o in session.options() if o.available and o.choice.goto != "end"]
        if session.is_over or not options:
            break
        session.choose(options[pick % len(options)].choice.id)
    return session


SETTINGS = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def load(tmp_path: Path, text: str) -> Story:
    return load_story(write_story(tmp_path / "g", MANIFEST, **{"s.yaml": text}))


@SETTINGS
@given(text=stories(), picks=st.lists(st.integers(0, 10), max_size=40))
def test_trust_and_variables_stay_in_range(tmp_path: Path, text: str, picks: list[int]) -> None:
    story = load(tmp_path, text)
    for state in play(story, picks).states:
        assert all(0 <= value <= 100 for _, value in state.trust)
        assert [vid for vid, _ in state.vars] == ["v", "w"]
        assert all(BOUNDS[vid][0] <= value <= BOUNDS[vid][1] for vid, value in state.vars)


@SETTINGS
@given(text=stories(), picks=st.lists(st.integers(0, 10), max_size=40))
def test_same_choices_same_states_and_same_text(tmp_path: Path, text: str, picks: list[int]) -> None:
    story = load(tmp_path, text)
    first = play(story, picks)
    again, divergence = replay(story, first.log)
    assert divergence is None
    assert again.states == first.states
    assert [s.last for s in again.states] == [s.last for s in first.states]  # then text and announcements too
    assert [engine.narration(story, s) for s in again.states] == [
        engine.narration(story, s) for s in first.states
    ]


@SETTINGS
@given(text=stories(), picks=st.lists(st.integers(0, 10), max_size=40), back=st.integers(0, 50))
def test_undo_then_redo_gives_the_same_state(tmp_path: Path, text: str, picks: list[int], back: int) -> None:
    story = load(tmp_path, text)
    session = play(story, picks)
    final, log = session.state, session.log
    undone = min(back, len(log))
    session.undo(undone)
    for _, choice_id in log[len(log) - undone :]:
        session.choose(choice_id)
    assert session.state == final
    assert session.state.last == final.last


@SETTINGS
@given(text=stories(), picks=st.lists(st.integers(0, 10), max_size=30))
def test_an_unintroduced_character_is_never_announced_or_listed(
    tmp_path: Path, text: str, picks: list[int]
) -> None:
    story = load(tmp_path, text)
    for state in play(story, picks).states:
        met = "met_b" in state.flags
        assert ("b" in {c.id for c, _ in engine.visible_characters(story, state)}) == met
        if not met:
            assert all(d.character != "b" for d in state.last.on_enter.trust)


# fewer examples: each explores a whole generated story (trust, two variables, visits and flags)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=stories(), picks=st.lists(st.lists(st.integers(0, 10), max_size=25), min_size=1, max_size=4))
def test_explore_walkthroughs_replay_and_no_game_goes_where_explore_did_not(
    tmp_path: Path, text: str, picks: list[list[int]]
) -> None:
    story = load(tmp_path, text)
    result = explore(story, max_states=200_000)
    assert result.endings
    for scene_id, path in result.endings.items():
        session = Session(story)
        for step in path:
            assert session.state.scene == step.scene
            session.choose_number(step.number)
        assert session.state.scene == scene_id
        assert session.is_over
    never = set(result.never_available)
    for walk in picks:
        session = play(story, walk)
        assert {s.scene for s in session.states} <= set(story.scenes) - set(result.unreached_scenes)
        for (scene, choice), state in zip(session.log, session.states, strict=False):
            assert (scene, choice) not in never, (scene, choice, state)
