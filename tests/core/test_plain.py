"""Plain mode, end to end through the real command with piped input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.conftest import REPO

if TYPE_CHECKING:
    from tests.conftest import StoryDir

GOLDEN = REPO / "tests" / "golden" / "sample_plain.txt"
# Look at the lamp posts, wave to the keeper on the way back, ask the keeper and thank him, talk to Vera,
# a bad number, text, status, take the key, undo, ask who the courier was, reach under the bench, hand the
# key to the keeper.
INPUT = "2\n2\n2\n1\n1\n7\nwhat?\n:status\n1\n:undo\n2\n1\n2\n"


def plain(args: list[str], stdin: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR",)}
    return subprocess.run(
        [sys.executable, "-m", "coldcase_game", "play", "--plain", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=cwd or REPO,
    )


def test_golden_transcript_of_the_sample_story() -> None:
    result = plain(["sample"], INPUT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if os.environ.get("COLDCASE_UPDATE_GOLDEN"):
        GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_markers_of_the_contract() -> None:
    out = plain(["sample"], INPUT).stdout
    lines = out.splitlines()
    assert "== The Bench ==" in lines
    assert "  1. Sit beside her and wait for her to speak." in lines
    assert (
        "  -. Ask who the courier was. (locked: She isn't ready to say his name.)" not in lines
    )  # trust 50 by then
    assert "[trust] Vera Lind: 40 -> 50 (+10)" in lines
    assert "[trust] The park keeper: 45 -> 55 (+10)" in lines
    assert "[trust] The park keeper: 55 -> 64 (+9)" in lines  # fairmath %+20: 55 + 45 * 20 // 100
    assert "[journal] A chalk mark on the third lamp post, the old signal for a loaded drop." in lines
    assert lines[-1] == "*** ENDING: The Keeper's Drawer ***"


def test_locked_choice_is_shown_and_its_number_refused() -> None:
    out = plain(["sample"], "1\n").stdout
    assert (
        "  -. Reach under the bench. (locked: You would need to know the drop was ever loaded.)"
        in out.splitlines()
    )


def test_end_of_input_exits_cleanly_without_traceback() -> None:
    result = plain(["sample"], "1\n")
    assert result.returncode == 0
    assert "Traceback" not in result.stdout + result.stderr


def test_quit_command() -> None:
    result = plain(["sample"], ":help\n:quit\n1\n")
    assert result.returncode == 0
    assert ":undo        take back the last choice" in result.stdout
    assert "== What Vera Knows ==" not in result.stdout


def test_undo_at_start_says_so() -> None:
    out = plain(["sample"], ":undo\n").stdout
    assert "Nothing to undo: this is the start of the case." in out


def test_without_a_story_it_lists_bundled_stories_and_asks(tmp_path: Path) -> None:
    from coldcase_game.story.bundled import bundled_stories

    stories = bundled_stories()
    sample = next(i for i, s in enumerate(stories, 1) if s.id == "sample")
    result = plain([], f"{sample}\n:quit\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("COLD CASE: choose a case file")
    for info in stories:
        assert f". {info.title}" in out
        if info.summary:
            assert info.summary in out
    assert "== The Bench ==" in out


def test_a_story_with_errors_is_refused_with_located_errors(story_dir: StoryDir) -> None:
    root = story_dir(
        **{
            "s.yaml": "scenes:\n  first:\n    text: x\n    choices:\n"
            "      - text: go\n        goto: nowhere\n"
        }
    )
    result = plain([str(root)], "")
    assert result.returncode == 1
    assert "s.yaml:6:15: error[E104]: goto: unknown scene 'nowhere'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--version"], ["--help"], ["check", "--help"]])
def test_version_and_help(args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coldcase_game", *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    from coldcase_game import __version__

    if args == ["--version"]:
        assert result.stdout.strip() == f"coldcase {__version__}"
    else:
        assert "usage: coldcase" in result.stdout


def test_misuse_exits_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "check", "--bogus"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "unrecognized arguments: --bogus" in result.stderr
    missing = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "check", "no/such/dir"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2
    assert "no story 'no/such/dir'" in missing.stderr


@pytest.mark.parametrize("command", [["check"], ["explore", "sample"], ["play", "--plain", "sample"]])
def test_headless_commands_never_load_textual(command: list[str]) -> None:
    code = (
        "import sys, io\n"
        "sys.stdin = io.StringIO('')\n"
        "from coldcase_game.cli import main\n"
        f"status = main({command!r})\n"
        "loaded = sorted(m for m in sys.modules\n"
        "    if m == 'textual' or m.startswith('textual.') or m.startswith('coldcase_game.tui'))\n"
        "print('LOADED', loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO
    )
    assert "LOADED []" in result.stdout, result.stdout + result.stderr


SOFT_LOCK = """\
scenes:
  first:
    text: The door.
    choices:
      - text: Go through.
        goto: locked_room
  locked_room:
    text: A room with one way out, and it is barred.
    choices:
      - text: Leave.
        goto: first
        if: clue
        locked: You have not found the key.
"""


def test_one_choice_and_a_soft_lock_get_plain_words(story_dir: StoryDir, tmp_path: Path) -> None:
    root = story_dir(**{"s.yaml": SOFT_LOCK})
    out = plain([str(root)], "2\n1\n1\n:undo\n:quit\n", cwd=tmp_path).stdout
    lines = out.splitlines()
    assert "There is no choice 2 here; type 1, or :help." in lines  # not "a number from 1"
    stuck = "Every way forward is locked here, which is a fault in this story: type :undo or :restart."
    at = lines.index("  -. Leave. (locked: You have not found the key.)")
    assert lines[at + 1] == stuck  # said with the scene, not only when a number is typed
    assert lines.count(stuck) == 2
    assert "type a number" not in out.split(stuck)[1]
    assert "Undone." in lines
