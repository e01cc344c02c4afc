"""Live reload (`play --watch`): the session layer's reload, and plain mode as an author uses it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pexpect
import pytest
from tests.authoring.conftest import MAP_SCENES, Run

from coldcase_game.session import Session
from coldcase_game.session.live import LiveStory
from coldcase_game.story.loader import load_story


@pytest.fixture
def live(map_story: Path) -> tuple[LiveStory, Session]:
    story = load_story(map_story)
    session = Session(story)
    session.choose("study")  # hall -> study (once, ana +10, sets key_found)
    session.choose("hall")  # study -> hall
    return LiveStory(map_story, story), session


def edit(story: Path, old: str, new: str) -> None:
    part = story / "part.yaml"
    text = part.read_text(encoding="utf-8")
    assert old in text
    part.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_change_that_still_fits_keeps_the_game_where_it_was(
    live: tuple[LiveStory, Session], map_story: Path
) -> None:
    watched, session = live
    edit(map_story, "text: A hall.", "text: A long hall, newly painted.")
    reload = watched.reload(session, ("part.yaml",))
    assert reload.kind == "fits"
    assert reload.session.log == session.log
    assert reload.session.state == session.state
    assert reload.session.narration() == ("A long hall, newly painted.",)
    assert reload.lines() == [
        "[reload] Reloaded part.yaml: your 2 choices still fit; you are where you were."
    ]
    assert watched.story is reload.session.story


def test_a_change_that_breaks_the_log_goes_on_from_the_last_step_that_fits(
    live: tuple[LiveStory, Session], map_story: Path
) -> None:
    watched, session = live
    edit(map_story, "      - {text: Back., goto: hall}", "      - {text: Back., goto: hall, id: back}")
    reload = watched.reload(session, ("part.yaml",))
    assert reload.kind == "diverged"
    assert reload.session.log == (("hall", "study"),)
    assert reload.session.state.scene == "study"
    assert reload.dropped == 1
    assert reload.lines() == [
        "[reload] Reloaded part.yaml. Your game stopped fitting at step 2: in scene 'study', choice 'hall': "
        "choice 'hall' no longer exists (the scene's choices are 'back').",
        "[reload] It goes on from step 1, the last that fits (the last 1 step dropped).",
    ]
    assert reload.session.can_undo  # the replayed game keeps its history


def test_a_story_with_errors_keeps_the_last_good_version(
    live: tuple[LiveStory, Session], map_story: Path
) -> None:
    watched, session = live
    good = watched.story
    edit(map_story, "goto: out}", "goto: outt}")
    reload = watched.reload(session, ("part.yaml",))
    assert reload.kind == "errors"
    assert reload.session is session
    assert watched.story is good
    part = map_story / "part.yaml"
    assert reload.lines() == [
        "[reload] part.yaml changed, but the story now has 1 error; "
        "still playing the last version that loaded:",
        f"  {part}:7:30: error[E104]: goto: unknown scene 'outt' (did you mean 'out'?)",
    ]
    edit(map_story, "goto: outt}", "goto: out}")  # fixed again: the same as the version playing
    again = watched.reload(session, ("part.yaml",))
    assert again.kind == "unchanged"
    assert again.lines() == ["[reload] part.yaml saved; the story reads the same."]


def test_a_folder_that_went_away_is_an_error_not_a_crash(
    live: tuple[LiveStory, Session], map_story: Path
) -> None:
    watched, session = live
    shutil.rmtree(map_story)
    reload = watched.reload(session)
    assert reload.kind == "errors"
    assert reload.session is session
    assert reload.lines()[1] == f"  {map_story}:1:1: error[E013]: no such folder"


def test_a_scene_on_the_games_path_renamed(live: tuple[LiveStory, Session], map_story: Path) -> None:
    watched, session = live
    edit(map_story, "goto: study, once: true", "goto: den, id: study, once: true")
    edit(map_story, "  study:\n    title: The Study", "  den:\n    title: The Den")
    reload = watched.reload(session, ("part.yaml",))
    assert reload.kind == "diverged"
    assert reload.session.log == (("hall", "study"),)
    assert reload.session.scene.heading == "The Den"
    assert reload.lines()[0] == (
        "[reload] Reloaded part.yaml. Your game stopped fitting at step 2: in scene 'study', choice 'hall': "
        "scene 'study' no longer exists in the story."
    )


# --- plain mode, as an author runs it -----------------------------------------------------------


def spawn(story: Path, saves: Path) -> pexpect.spawn[str]:
    env = {**os.environ, "COLDCASE_SAVES": str(saves), "NO_COLOR": "1"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "coldcase_game", "play", "--plain", "--watch", str(story)],
        env=env,
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 200),
    )
    child.expect_exact(f"[watch] Watching {story}: save a scene file and the game reloads it.")
    child.expect_exact("> ")
    return child


@pytest.mark.pty  # a pseudo-terminal: POSIX only
def test_plain_watch_reloads_reports_errors_and_goes_on(map_story: Path, tmp_path: Path) -> None:
    child = spawn(map_story, tmp_path / "saves")
    try:
        child.sendline("1")  # Search the study.
        child.expect_exact("== The Study ==")
        child.expect_exact("> ")
        edit(map_story, "text: A study.", "text: A study, smelling of pipe smoke.")
        child.expect_exact("[reload] Reloaded part.yaml: your 1 choice still fits; you are where you were.")
        child.expect_exact("== The Study ==\r\nA study, smelling of pipe smoke.")
        child.expect_exact("> ")
        edit(map_story, "{text: Back., goto: hall}", "{text: Back., goto: hal}")
        child.expect_exact("but the story now has 1 error; still playing the last version that loaded:")
        child.expect_exact("error[E104]: goto: unknown scene 'hal' (did you mean 'hall'?)")
        child.expect_exact("> ")
        child.sendline("1")  # the last good version still plays: Back. leads to the hall
        child.expect_exact("== The Hall ==")
        child.expect_exact("> ")
        (map_story / "part.yaml").write_text(MAP_SCENES.replace("title: The Hall", "title: The Great Hall"))
        child.expect_exact("[reload] Reloaded part.yaml: your 2 choices still fit; you are where you were.")
        child.expect_exact("== The Great Hall ==")
        child.expect_exact("> ")
        child.sendline("2")  # Unlock the vault: the key is found and trust is 60
        child.expect_exact("*** ENDING: Rich ***")
        child.expect_exact("> ")  # --watch stays after an ending, so the author can edit it
        child.sendline("1")
        child.expect_exact("The game is over: type :undo, :restart or :quit.")
        child.sendline(":quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")


def test_watch_needs_a_story(coldcase: Run) -> None:
    status, out, err = coldcase("play", "--plain", "--watch")
    assert (status, out) == (2, "")
    assert err == "coldcase play: --watch needs the story folder to watch: coldcase play --watch DIR\n"


def test_watch_of_a_broken_story_prints_its_errors(coldcase: Run, map_story: Path) -> None:
    edit(map_story, "goto: out}", "goto: outt}")
    status, out, err = coldcase("play", "--plain", "--watch", str(map_story))
    assert (status, out) == (1, "")
    assert err.splitlines()[0].endswith("error[E104]: goto: unknown scene 'outt' (did you mean 'out'?)")


def test_watch_of_a_missing_folder(coldcase: Run, tmp_path: Path) -> None:
    status, out, err = coldcase("play", "--plain", "--watch", str(tmp_path / "nope"))
    assert (status, out) == (2, "")
    assert err.startswith(f"coldcase play: no story '{tmp_path / 'nope'}': ")
    assert err.count("\n") == 1


def test_a_failure_inside_the_reload_is_reported_not_raised(
    live: tuple[LiveStory, Session], map_story: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watched, session = live

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("coldcase_game.story.loader.read_story", broken)
    reload = watched.reload(session, ("part.yaml",))
    assert reload.kind == "errors"
    assert reload.session is session
    assert (
        reload.lines()[1] == f"  {map_story}:1:1: error[E013]: could not reload: RuntimeError('disk on fire')"
    )
