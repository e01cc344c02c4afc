"""The three case files: clean tooling, size, trust that matters, and every ending played in plain mode."""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.mark import ParameterSet
from tests.conftest import REPO, SCENES

from coldcase_game.analysis.explore import ExploreResult, explore
from coldcase_game.cli import main
from coldcase_game.story.bundled import bundled_stories, story_dirs
from coldcase_game.story.expr import names_in
from coldcase_game.story.loader import load_story, read_story
from coldcase_game.story.model import Condition, Scene, Story

CASES = ("clarke", "persson", "askarov")

# The endings each case was written to have (the authors' list, not read from the files).
ENDINGS: dict[str, set[str]] = {
    "clarke": {"A Drink with Ghosts", "The Empty Desk", "The File Unread", "The Face at the Door", "Burned"},
    "persson": {
        "The Smile",
        "A Glimpse Behind the Mask",
        "A Ghost in the Rain",
        "Someone Else's Meeting",
        "The Unmasking",
    },
    "askarov": {
        "The Road to Samarkand",
        "Every Wednesday",
        "The Last Debrief",
        "What Waits in the Shadows",
        "The Closed Trunk",
    },
}


@functools.cache
def story(case: str) -> Story:
    return load_story(SCENES / case)


@functools.cache
def explored(case: str) -> ExploreResult:
    return explore(story(case))


def test_the_anthology_lists_the_three_cases_first() -> None:
    assert [s.id for s in bundled_stories()][:3] == list(CASES)


@pytest.mark.parametrize("path", story_dirs(), ids=lambda p: p.name)
def test_every_bundled_story_checks_clean(path: Path) -> None:
    result = read_story(path)
    assert [str(d) for d in result.diagnostics] == []


@pytest.mark.parametrize("path", story_dirs(), ids=lambda p: p.name)
def test_every_bundled_story_explores_clean(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(path)]) == 0
    assert "OK: every ending is reachable and nothing soft-locks." in capsys.readouterr().out


@pytest.mark.parametrize("case", CASES)
def test_endings_are_the_authored_ones(case: str) -> None:
    titles = {s.ending for s in story(case).endings}
    assert titles == ENDINGS[case]
    assert len(titles) >= 3


def _walkthroughs() -> Iterator[ParameterSet]:
    for case in CASES:
        for title in sorted(ENDINGS[case]):
            yield pytest.param(case, title, id=f"{case}:{title}")


@pytest.mark.parametrize(("case", "title"), list(_walkthroughs()))
def test_each_ending_is_reached_by_its_walkthrough_in_plain_mode(
    case: str, title: str, tmp_path: Path
) -> None:
    s = story(case)
    scene = next(sc for sc in s.endings if sc.ending == title)
    path = explored(case).endings[scene.id]
    keys = "".join(f"{step.number}\n" for step in path)
    env = dict(os.environ, COLDCASE_SAVES=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "play", "--plain", case],
        input=keys,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == f"*** ENDING: {title} ***"
    assert "There is no choice" not in result.stdout


def _words(s: Story) -> int:
    return sum(len(p.text.split()) for sc in s.scenes.values() for p in sc.paragraphs)


def _trust_gated(cond: Condition | None) -> bool:
    return cond is not None and any(kind == "trust" for kind, _ in names_in(cond.expr))


@pytest.mark.parametrize("case", CASES)
def test_size_and_structure(case: str) -> None:
    s = story(case)
    assert len(s.scenes) >= 18
    assert _words(s) >= 4500
    assert len(s.characters) >= 2
    assert sum(1 for f in s.flags.values() if f.is_clue) >= 8


@pytest.mark.parametrize("case", CASES)
def test_trust_changes_what_happens(case: str) -> None:
    s = story(case)
    choices = [c for sc in s.scenes.values() for c in sc.choices]
    assert sum(1 for c in choices if _trust_gated(c.cond)) >= 4
    assert any(c.locked for c in choices)

    # paragraphs that read differently at high and low trust: a scene with both a >= and a < variant
    def variants(sc: Scene) -> set[str]:
        ops: set[str] = set()
        for p in sc.paragraphs:
            if p.cond is not None and _trust_gated(p.cond):
                text = p.cond.source
                ops |= {
                    op
                    for op in (">=", ">", "<=", "<")
                    if re.search(rf"trust\.\w+\s*{re.escape(op)}(?!=)", text)
                }
        return ops

    assert any({">=", ">"} & variants(sc) and {"<", "<="} & variants(sc) for sc in s.scenes.values())
    # endings that depend on trust: some ending is only reached through a trust-gated choice
    gated_targets = {c.goto for c in choices if _trust_gated(c.cond)}
    assert gated_targets & {sc.id for sc in s.endings} or any(
        _trust_gated(c.cond) for sc in s.scenes.values() for c in sc.choices if s.scenes[c.goto].is_ending
    )


@pytest.mark.parametrize("case", CASES)
def test_trust_gates_are_neither_always_open_nor_never_reachable(case: str) -> None:
    """Every trust-gated choice is available in some reached state, and unavailable in some other."""
    result = explored(case)
    never = {f"{sc}.{c}" for sc, c in result.never_available}
    gated = [
        f"{sc.id}.{c.id}" for sc in story(case).scenes.values() for c in sc.choices if _trust_gated(c.cond)
    ]
    assert not [g for g in gated if g in never], "trust gates that never open"
    always = {f"{sc}.{c}" for sc, c in result.always_open}
    assert not [g for g in gated if g in always], "trust gates that never close"
    assert not result.unreached_scenes
    assert not result.paragraphs_always, "conditional paragraphs that are always shown"
    assert not result.paragraphs_never, "conditional paragraphs that are never shown"


# Warm endings and the trust each needs on every route to it (a case adds its own row; explore's
# ranges are the proof). Persson's also pins that asking everything does not max him out by `masks`.
WARM_ENDINGS: dict[str, dict[str, tuple[str, int]]] = {
    "persson": {"end_smile": ("persson", 50), "end_glimpse": ("persson", 50), "end_keeper": ("nadia", 50)},
}
MIDPOINT_BELOW_100: dict[str, tuple[str, str]] = {"persson": ("masks", "persson")}


@pytest.mark.parametrize("case", sorted(WARM_ENDINGS))
def test_warm_endings_need_warm_trust_and_no_name_comes_before_it_is_met(case: str) -> None:
    result = explored(case)
    for ending, (character, floor) in WARM_ENDINGS[case].items():
        low, _ = result.trust_ranges[ending][character]
        assert low >= floor, f"{ending} reachable with {character} at {low}"
    if case in MIDPOINT_BELOW_100:
        scene, character = MIDPOINT_BELOW_100[case]
        assert result.trust_ranges[scene][character][1] < 100
    assert [str(w) for w in result.term_warnings] == []


@pytest.mark.parametrize("case", CASES)
def test_no_term_is_shown_before_it_is_introduced(case: str) -> None:
    """Format 2's W301 on every route: no name, place or object before the route has introduced it."""
    assert [str(w) for w in explored(case).term_warnings] == []


# The endings that read as warm or trusting toward a character: (case, ending scene, character).
WARM_AT_40 = [
    ("askarov", "end_samarkand", "shopkeeper"),
    ("askarov", "end_plov", "jonah"),
    ("askarov", "end_debrief", "handler"),
]


@pytest.mark.parametrize(("case", "ending", "character"), WARM_AT_40)
def test_no_warm_ending_is_reached_with_that_characters_trust_below_40(
    case: str, ending: str, character: str
) -> None:
    low, _ = explored(case).trust_ranges[ending][character]
    assert low >= 40
