"""`coldcase explore`: exhaustive search, walkthroughs, soft locks, limits."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from tests.conftest import MINIMAL_MANIFEST, SCENES

from coldcase_game.analysis.explore import explore, visit_caps
from coldcase_game.cli import main
from coldcase_game.session import Session
from coldcase_game.story.loader import load_story

if TYPE_CHECKING:
    from tests.conftest import StoryDir

SOFT_LOCK = """\
scenes:
  first:
    text: A door.
    choices:
      - text: Knock
        goto: hall
        do:
          trust: {ana: -30}
      - text: Wait
        goto: last
  hall:
    text: Ana will only talk to friends.
    choices:
      - text: Talk
        goto: last
        if: trust.ana >= 40
        locked: She turns away.
  last:
    text: Done.
    ending: Done
  never:
    text: Nobody gets here.
    ending: Never
"""


def test_sample_story_explores_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", str(SCENES / "sample")]) == 0
    out = capsys.readouterr().out
    assert "Endings: 3 of 3 reachable" in out
    assert "Soft locks: none" in out
    assert "OK: every ending is reachable and nothing soft-locks." in out


def test_every_walkthrough_replays_to_its_ending() -> None:
    story = load_story(SCENES / "sample")
    result = explore(story)
    assert set(result.endings) == {s.id for s in story.endings}
    for scene_id, path in result.endings.items():
        session = Session(story)
        for step in path:
            session.choose_number(step.number)
        assert session.state.scene == scene_id
        assert session.is_over


def test_soft_lock_and_unreachable_ending_are_reported(
    story_dir: StoryDir, capsys: pytest.CaptureFixture[str]
) -> None:
    root = story_dir(
        MINIMAL_MANIFEST.replace('flags:\n  clue: A clue for the journal.\n  quiet: ""\n', ""),
        **{"s.yaml": SOFT_LOCK},
    )
    assert main(["explore", str(root)]) == 1
    lines = capsys.readouterr().out.splitlines()
    s_yaml = root / "s.yaml"
    # every finding on its own line, starting with where it is
    assert f"  {s_yaml}:21:3: UNREACHABLE  Never (never)" in lines
    assert "Soft locks: 1 reachable state with no available choice" in lines
    assert f"  {s_yaml}:11:3: in scene 'hall', reached by: 1" in lines
    assert lines[lines.index("Scenes never reached: 1") + 1] == f"  {s_yaml}:21:3: never"
    assert lines[lines.index("Choices never available: 1") + 1] == (
        f"  {s_yaml}:16:13: hall.last (if: trust.ana >= 40)"
    )
    assert lines[-1] == "FAILED: 1 unreachable ending: never; soft locks in 1 scene"


def test_json_report(story_dir: StoryDir, capsys: pytest.CaptureFixture[str]) -> None:
    root = story_dir(
        MINIMAL_MANIFEST.replace('flags:\n  clue: A clue for the journal.\n  quiet: ""\n', ""),
        **{"s.yaml": SOFT_LOCK},
    )
    assert main(["explore", "--json", str(root)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["soft_locks"][0]["scene"] == "hall"
    assert report["soft_locks"][0]["path"][0]["choice"] == "hall"
    assert [e["scene"] for e in report["endings"] if not e["reachable"]] == ["never"]
    assert report["trust_ranges"]["hall"]["ana"] == {"min": 20, "max": 20}
    assert report["states"] == 3  # first, hall (stuck), last


def test_max_states_stops_with_status_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", "--max-states", "5", str(SCENES / "sample")]) == 3
    err = capsys.readouterr().err
    assert "more than --max-states 5 reachable states" in err


LOOP = """\
scenes:
  first:
    text: The corridor.
    choices:
      - text: Walk around
        goto: first
        id: loop
      - text: Leave after the third lap
        goto: last
        if: visits.first >= 4
        locked: Not yet.
  last:
    text: Out.
    ending: Out
"""


def test_visits_are_capped_so_loops_terminate(story_dir: StoryDir) -> None:
    root = story_dir(
        MINIMAL_MANIFEST.replace('flags:\n  clue: A clue for the journal.\n  quiet: ""\n', ""),
        **{"s.yaml": LOOP},
    )
    story = load_story(root)
    assert visit_caps(story) == {"first": 5}
    result = explore(story)
    assert result.ok
    assert [s.choice for s in result.endings["last"]] == ["loop", "loop", "loop", "last"]
    assert result.states == 6  # the corridor at visits 1..5 (5 means "5 or more"), then the ending


FORGETFUL = """\
scenes:
  first:
    text: Two doors.
    choices:
      - text: Pick up the red key
        goto: middle
        id: red
        do:
          set: [clue]
      - text: Pick up the blue key
        goto: middle
        id: blue
        do:
          set: [quiet]
  middle:
    text:
      - A corridor.
      - if: clue
        text: The red key is warm.
    choices:
      - text: On
        goto: last
  last:
    text: Out.
    ending: Out
"""


def test_state_that_nothing_can_read_any_more_is_forgotten(story_dir: StoryDir) -> None:
    from coldcase_game.analysis.explore import liveness

    story = load_story(story_dir(**{"s.yaml": FORGETFUL}))
    live = liveness(story)
    assert live["first"][0] == frozenset({"clue"})
    assert live["last"][0] == frozenset()
    result = explore(story)
    # first, middle with the red key, middle with the blue key, and one ending: the keys no longer
    # matter there
    assert result.states == 4
    assert result.ok


def test_paragraphs_that_cannot_vary_are_reported(
    story_dir: StoryDir, capsys: pytest.CaptureFixture[str]
) -> None:
    text = FORGETFUL.replace(
        "      - if: clue\n        text: The red key is warm.\n",
        "      - if: clue\n        text: The red key is warm.\n"
        "      - if: visits.middle >= 1\n        text: Always.\n"
        "      - if: visits.first >= 2\n        text: Never.\n",
    )
    root = story_dir(**{"s.yaml": text})
    assert main(["explore", str(root)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    s_yaml = root / "s.yaml"
    always = lines.index("Conditional paragraphs always shown: 1")
    assert lines[always + 1] == f"  {s_yaml}:20:13: middle #3 (if: visits.middle >= 1)"
    never = lines.index("Conditional paragraphs never shown: 1")
    assert lines[never + 1] == f"  {s_yaml}:22:13: middle #4 (if: visits.first >= 2)"


def test_one_state_is_one_state(story_dir: StoryDir, capsys: pytest.CaptureFixture[str]) -> None:
    root = story_dir(**{"s.yaml": "scenes:\n  first:\n    text: Over at once.\n    ending: Short\n"})
    assert main(["explore", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Test Case (story): 1 state searched\n"), out
    assert "  Short (first): 0 choices\n" in out


def test_a_story_with_errors_is_not_explored(story_dir: StoryDir, capsys: pytest.CaptureFixture[str]) -> None:
    root = story_dir(
        **{
            "s.yaml": "scenes:\n  first:\n    text: x\n    choices:\n"
            "      - text: go\n        goto: nowhere\n"
        }
    )
    assert main(["explore", str(root)]) == 2
    err = capsys.readouterr().err
    assert "s.yaml:6:15: error[E104]: goto: unknown scene 'nowhere'" in err
    assert "Traceback" not in err
