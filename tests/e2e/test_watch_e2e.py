"""End to end: `coldcase play --watch` in a pseudo-terminal, with the real file watcher: an edit
saved while the game runs is redrawn, and a broken edit is reported while the game goes on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_terminal import Terminal

pytestmark = pytest.mark.pty  # a pseudo-terminal: POSIX only

MANIFEST = "format: 1\ntitle: Watch Case\nstart: hall\ncharacters:\n  ana: {name: Ana, trust: 50}\n"
SCENES = """\
scenes:
  hall:
    title: The Hall
    text: A hall with a clock.
    choices:
      - {text: Go to the study., goto: study, do: {trust: {ana: +10}}}
  study:
    title: The Study
    text: A study with a desk.
    choices:
      - {text: Leave., goto: out}
  out:
    title: Outside
    text: Rain.
    ending: Out
"""


@pytest.fixture
def story(tmp_path: Path) -> Path:
    folder = tmp_path / "watch_case"
    folder.mkdir()
    (folder / "story.yaml").write_text(MANIFEST)
    (folder / "part.yaml").write_text(SCENES)
    return folder


@pytest.fixture
def term(story: Path, tmp_path: Path) -> Iterator[Terminal]:
    terminal = Terminal(
        "--saves", str(tmp_path / "saves"), "play", "--watch", "--no-animation", str(story), size=(100, 30)
    )
    yield terminal
    terminal.kill()


def test_the_tui_redraws_a_saved_edit_and_reports_a_broken_one(term: Terminal, story: Path) -> None:
    term.wait_for("A hall with a clock.")
    term.press("1")
    term.wait_for("A study with a desk.")
    (story / "part.yaml").write_text(
        SCENES.replace("A study with a desk.", "A study with a desk and a lamp.")
    )
    term.wait_for("A study with a desk and a lamp.")
    term.wait_for("Story reloaded")  # the notification's title (its text wraps inside the toast)
    (story / "part.yaml").write_text(SCENES.replace("goto: out}", "goto: outt}"))
    term.wait_for("The story has errors")
    term.wait_for("A study with a desk and a lamp.")
    term.press("1")  # the last good version plays on: Leave. leads outside
    term.wait_for("Rain.")
    assert "Traceback" not in term.text()
