"""Terminals that can't draw the game: a pipe, or TERM=dumb, gets plain mode and one line saying so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from e2e_terminal import COLDCASE, Terminal

LIBRARY = Path(__file__).resolve().parents[1] / "tui" / "fixtures" / "library"


def _command() -> list[str]:
    return [str(COLDCASE)] if COLDCASE.exists() else [sys.executable, "-m", "coldcase_game"]


def test_piped_output_plays_in_plain_mode_with_one_line_saying_so(tmp_path: Path) -> None:
    env = {**os.environ, "TERM": "xterm-256color"}
    done = subprocess.run(
        [*_command(), "--saves", str(tmp_path / "saves"), "play", str(LIBRARY)],
        input="1\n:quit\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0
    assert done.stderr == (
        "coldcase: the output is not a terminal, so the game runs in plain mode (as with --plain).\n"
    )
    assert done.stdout.startswith("== The Reading Room ==\n")
    assert "== The Basement ==" in done.stdout
    assert "\x1b[" not in done.stdout  # no screen drawing reached the pipe
    assert (tmp_path / "saves" / "autosave.json").is_file()


@pytest.mark.pty  # a pseudo-terminal: POSIX only
def test_term_dumb_plays_in_plain_mode_in_a_real_terminal(tmp_path: Path) -> None:
    term = Terminal(
        "--saves", str(tmp_path / "saves"), "play", str(LIBRARY), env={"TERM": "dumb"}, size=(200, 60)
    )
    try:
        term.wait_for(
            "coldcase: this terminal (TERM=dumb) cannot draw the game's screen, "
            "so the game runs in plain mode (as with --plain)."
        )
        term.wait_for("== The Reading Room ==")
        term.wait_for("1. Show him the message.")
        term.press("1\r")
        term.wait_for("== The Basement ==")
        term.press(":quit\r")
        assert term.wait_exit() == 0
        assert "Case journal" not in term.text()  # the sidebar of the full screen never drew
    finally:
        term.kill()
