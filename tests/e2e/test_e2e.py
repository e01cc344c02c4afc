"""End to end: the real `coldcase` in a pseudo-terminal (pexpect), its screen read with pyte."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_terminal import Terminal

from coldcase_game.story.bundled import bundled_stories

LIBRARY = Path(__file__).resolve().parents[1] / "tui" / "fixtures" / "library"

pytestmark = pytest.mark.pty  # a pseudo-terminal: POSIX only


TermFactory = Callable[..., Terminal]


@pytest.fixture
def term_factory(tmp_path: Path) -> Iterator[TermFactory]:
    started: list[Terminal] = []

    def start(*args: str, **kw: Any) -> Terminal:
        term = Terminal("--saves", str(tmp_path / "saves"), *args, **kw)
        started.append(term)
        return term

    yield start
    for term in started:
        term.kill()


def test_play_a_story_to_an_ending(term_factory: TermFactory, tmp_path: Path) -> None:
    term = term_factory("play", str(LIBRARY), "--no-animation")
    term.wait_for("The Reading Room")
    term.wait_for("1. Show him the message.")
    term.wait_for("locked: He isn't ready to hear it.")
    term.wait_for("Case journal")

    term.press("1")
    term.wait_for("The Basement")
    term.wait_for("▲10 Almasbek Clarke trusts you more: 30 →")
    term.wait_for("████░░░░░░ 40 ▲10")  # the sidebar: bar, number, last change

    term.press("u")
    term.wait_for("The Reading Room")
    term.wait_gone("The Basement")

    term.press("3")
    term.wait_for("The Street")
    term.press("2")
    term.wait_for("THE END")
    term.wait_for("Walking Away")
    term.wait_for("Endings discovered: 1 of 3")

    term.press("h")
    term.wait_for("History: 2 choices so far")
    term.press("\x1b")
    term.wait_gone("History: 2 choices so far")

    term.press("q")
    assert term.wait_exit() == 0
    assert (tmp_path / "saves" / "autosave.json").is_file()
    assert "Walking Away" in (tmp_path / "saves" / "progress.json").read_text()


def test_title_screen_lists_the_bundled_cases(term_factory: TermFactory) -> None:
    first = bundled_stories()[0]
    term = term_factory(env={"NO_COLOR": "1"})
    term.wait_for("COLD CASE")
    term.wait_for("Choose a case")
    term.wait_for(first.title)
    term.wait_for("Endings found: 0 of")
    for label in ("Continue", "Load", "Quit"):
        term.wait_for(label)
    term.press("\r")  # opens the highlighted case; its first scene is being typed
    term.wait_for("Trust")
    term.wait_for("1.")
    term.press(" ")  # any key shows the whole scene at once
    term.press("q")
    assert term.wait_exit() == 0


def test_resizing_folds_the_sidebar_then_asks_to_enlarge(term_factory: TermFactory) -> None:
    term = term_factory("play", str(LIBRARY), "--no-animation")
    term.wait_for("Case journal")
    term.resize(60, 20)
    term.wait_gone("Case journal")
    term.wait_for("The Reading Room")
    term.resize(30, 8)
    term.wait_for("Enlarge the terminal.")
    term.resize(80, 24)
    term.wait_for("Case journal")
    term.press("q")
    assert term.wait_exit() == 0


def test_the_case_map_in_a_real_terminal(term_factory: TermFactory) -> None:
    """m draws the game so far at 80x24; Enter on an earlier step, then y, goes back to it."""
    term = term_factory("play", str(LIBRARY), "--no-animation", env={"NO_COLOR": "1"})
    term.wait_for("The Reading Room")
    term.press("3")
    term.wait_for("The Street")
    term.press("1")
    term.wait_for("Dust turns in the lamplight.")
    term.press("m")
    term.wait_for("Case map: 2 choices so far")
    term.wait_for("● The Reading Room step 0")
    term.wait_for("▼ Leave the library.")
    term.wait_for("Walk away for good. → ?")
    term.wait_for("◆ The Reading Room ← you are here step 2")
    assert "The Basement" not in term.text()  # never visited: not named
    term.press("\x1b[A")  # up: step 1, The Street
    term.press("\r")
    term.wait_for("Go back to step 1?")
    term.wait_for("Back to The Street, taking back the last 1 choice.")
    term.press("y")
    term.wait_for("The door swings shut behind you.")
    term.wait_gone("Case map")
    term.press("q")
    assert term.wait_exit() == 0
