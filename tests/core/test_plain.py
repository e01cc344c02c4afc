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
# Status before meeting the keeper, look at the lamp posts, wave to the keeper on the way back (meeting
# him), ask the keeper and press him (a `then`), talk to Vera, a bad number, text, :where, status, take
# the key, undo, ask who the courier was, reach under the bench, keep the key and go.
INPUT = ":status\n2\n2\n2\n2\n1\n7\nwhat?\n:where\n:status\n1\n:undo\n2\n1\n2\n"


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


INK_STYLE_GOLDEN = REPO / "tests" / "golden" / "ink_style_plain.txt"
# The ink-style example: status (Calder met, Nerve shown), silence twice (a {seq} on each visit of
# the room, a {cycle} in the choice and its then), the silence locked, deny (its then, the next
# chain through the title-less scene, the effect block on chosen.room.deny, the {if} with and
# without an else, {{ }}), undo, own (trust enough now), ask who ringed the name (chosen.room.own).
INK_STYLE_INPUT = ":status\n3\n3\n2\n:undo\n1\n3\n"


def test_golden_transcript_of_the_ink_style_example() -> None:
    result = plain(["ink_style"], INK_STYLE_INPUT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    if os.environ.get("COLDCASE_UPDATE_GOLDEN"):
        INK_STYLE_GOLDEN.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == INK_STYLE_GOLDEN.read_text(encoding="utf-8")


def test_markers_of_the_contract() -> None:
    out = plain(["sample"], INPUT).stdout
    lines = out.splitlines()
    assert "== The Bench ==" in lines
    assert "  1. Sit beside her and wait for her to speak." in lines
    assert (
        "  -. Ask who the courier was. (locked: She isn't ready to say his name.)" not in lines
    )  # trust 50 by then
    assert "[trust] Vera Lind: 40 -> 50 (+10)" in lines
    assert "[trust] The park keeper: 45 -> 55 (+10)" in lines  # the step that introduces him announces it
    assert "[trust] The park keeper: 55 -> 35 (-20)" in lines
    assert "[stat] Leads: 0 -> 1 (+1)" in lines
    assert "[journal] A chalk mark on the third lamp post, the old signal for a loaded drop." in lines
    assert lines[-1] == "*** ENDING: The Cold Path ***"


def test_fairmath_in_plain_mode() -> None:
    lines = plain(["sample"], "3\n1\n").stdout.splitlines()
    assert "[trust] The park keeper: 45 -> 56 (+11)" in lines  # %+20: 45 + 55 * 20 // 100


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


def test_a_clue_from_on_enter_is_announced_after_the_scene_s_prose() -> None:
    """The contract's order: narration, then the on_enter changes, then the choices."""
    lines = plain(["sample"], "2\n").stdout.splitlines()
    heading = lines.index("== The Lamp Posts ==")
    clue = lines.index("[journal] A chalk mark on the third lamp post, the old signal for a loaded drop.")
    first_choice = lines.index("  1. Go back to the bench.")
    assert lines[heading + 1].startswith("The third lamp post carries a chalk line")
    assert heading < clue < first_choice
    assert lines[clue - 2 : clue + 2] == ["", "[stat] Leads: 0 -> 1 (+1)", lines[clue], ""]


def test_a_trust_change_from_do_is_announced_before_the_next_scene() -> None:
    lines = plain(["sample"], "1\n").stdout.splitlines()
    change = lines.index("[trust] Vera Lind: 40 -> 50 (+10)")
    assert lines[change - 1] == "> 1"
    assert lines[change + 2] == "== What Vera Knows =="


def test_format_2_in_plain_mode_then_stat_status_and_where() -> None:
    """The sample (format 2): the keeper is not in :status before he is met; pressing him shows the
    choice's `then` right after the number, before its change line; :where shows hidden bookkeeping."""
    lines = plain(["sample"], ":status\n3\n2\n:status\n:where\n").stdout.splitlines()
    first_status = lines[lines.index("> :status") + 1 : lines.index("> 3")]
    assert "[status] Vera Lind: trust 40/100" in first_status
    assert not any("park keeper" in line for line in first_status)
    assert "[status] Leads: 0 (from 0 to 3)" in first_status
    press = lines.index("> 2")
    assert lines[press + 1 : press + 6] == [
        "He turns back to his kettle.",
        "",
        '"Thirty winters," he says to the kettle, "and nobody ever pushed."',  # its `if` sees the -20
        "",
        "[trust] The park keeper: 45 -> 25 (-20)",
    ]
    assert "[status] The park keeper: trust 25/100" in lines
    assert "[where] scene: bench" in lines
    assert "[where] variables: leads = 1, pushed = 1" in lines


def test_a_number_of_any_length_gets_the_one_line_hint(tmp_path: Path) -> None:
    """4,301 digits used to stop the game with Python's ValueError about integer string conversion."""
    huge = "9" * 4301
    result = plain(["sample"], f"{huge}\n{'0' * 5000}1\n:quit\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    shown = "9" * 55 + "... (4,301 characters)"
    assert f"> {shown}" in lines  # echoed, shortened
    assert f"There is no choice {shown} here; type a number from 1-4, or :help." in lines
    assert huge not in result.stdout
    assert "== What Vera Knows ==" in lines  # 0000…01 is choice 1, leading zeros and all


@pytest.mark.parametrize("typed", ["\u00b2", "\u00b21", "1\u00bd", "\u2162", "1e3", "+1", "-1", "1.0"])
def test_digits_that_are_not_a_choice_number_get_the_hint(typed: str, tmp_path: Path) -> None:
    """'²' is a digit to str.isdigit() but not to int(): it used to crash the game and the case menu."""
    result = plain(["sample"], f"{typed}\n:quit\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"> {typed}\nType the number of a choice, or :help for commands.\n" in result.stdout
    menu = plain([], f"{typed}\n:quit\n", cwd=tmp_path)
    assert menu.returncode == 0, menu.stderr
    assert f"> {typed}\nType a number from 1-" in menu.stdout


def test_decimal_digits_of_any_script_choose(tmp_path: Path) -> None:
    out = plain(["sample"], "\uff11\n:quit\n", cwd=tmp_path).stdout  # a full-width 1, as an IME types it
    assert "== What Vera Knows ==" in out.splitlines()


def test_typed_control_characters_and_long_lines_are_echoed_visibly_and_short(tmp_path: Path) -> None:
    typed = ["\x1b]0;pwned\x07\x1b[2J", "a\u202eb", "x" * 5000, ":" + "y" * 5000]
    result = plain(["sample"], "\n".join(typed) + "\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "> \\x1b]0;pwned\\x07\\x1b[2J" in lines
    assert "> a\\u202eb" in lines
    assert f"> {'x' * 55}... (5,000 characters)" in lines
    assert f"Unknown command ':{'y' * 55}... (5,000 characters)'. Type :help for the list." in lines
    assert "\x1b" not in result.stdout
    assert "\u202e" not in result.stdout
    assert max(len(line) for line in lines if line.startswith("> ")) <= 82


def test_bytes_that_are_not_text_and_a_terminal_that_cannot_show_it(tmp_path: Path) -> None:
    """With a strict UTF-8 stdin (PYTHONIOENCODING=utf-8, or most desktop locales) a line of Latin-1
    or binary bytes raised UnicodeDecodeError; an ASCII stdout raised UnicodeEncodeError on 'é'."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    typed = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "play", "--plain", "sample"],
        input=b"caf\xe9 \xff\xfe\n1\n",
        capture_output=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert typed.returncode == 0, typed.stderr.decode("utf-8", "replace")
    assert typed.stderr == b""
    assert "> caf\ufffd \ufffd\ufffd\nType the number of a choice" in typed.stdout.decode("utf-8")
    assert "== What Vera Knows ==" in typed.stdout.decode("utf-8")  # and the game went on
    menu = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "play", "--plain"],
        input=b":quit\n",
        capture_output=True,
        timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        cwd=tmp_path,
    )
    assert menu.returncode == 0, menu.stderr.decode("ascii", "replace")
    assert b"In a candlelit cellar caf\\xe9 a man" in menu.stdout  # Persson's summary, escaped


def test_a_line_too_long_to_keep_gets_the_hint_and_the_game_goes_on() -> None:
    """Only the start of a very long line is kept (a pipe from /dev/zero is one endless line);
    the player sees the line's real length, one hint, and the next line is read as usual."""
    import io

    from coldcase_game.plain import MAX_LINE, PlainGame
    from coldcase_game.session import Session
    from coldcase_game.story.loader import load_story

    endless = "1" * (5 * MAX_LINE + 7)
    out = io.StringIO()
    game = PlainGame(Session(load_story(REPO / "scenes" / "sample")), io.StringIO(f"{endless}\n1\n"), out)
    assert game.run() == 0
    lines = out.getvalue().splitlines()
    at = lines.index(f"> {'1' * 55}... ({len(endless):,} characters)")
    assert lines[at + 1] == "Type the number of a choice, or :help for commands."
    assert lines[at + 2] == "> 1"
    assert "== What Vera Knows ==" in lines


def test_status_ends_a_title_that_ends_in_a_full_stop_only_once(story_dir: StoryDir, tmp_path: Path) -> None:
    """clarke's "Connecticut, 8.40 A.M." printed as "8.40 A.M.." in :status."""
    titled = SOFT_LOCK.replace("  first:\n", "  first:\n    title: Connecticut, 8.40 A.M.\n")
    root = story_dir(**{"s.yaml": titled})
    lines = plain([str(root)], ":status\n:quit\n", cwd=tmp_path).stdout.splitlines()
    status = lines[lines.index("> :status") + 1]
    assert status == "Case: Test Case. Scene: Connecticut, 8.40 A.M. Choices made: 0."
