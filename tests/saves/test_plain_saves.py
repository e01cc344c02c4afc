"""Plain mode's :save, :load, :saves and autosave, as a player at a terminal sees them."""

from __future__ import annotations

import io
import re
from pathlib import Path

from tests.saves.conftest import VAULT_SCENES, write_vault

from coldcase_game.plain import PlainGame
from coldcase_game.session import Session
from coldcase_game.session.plain_saves import PlainSaves
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story


def run_plain(story: Story, folder: Path, lines: list[str]) -> str:
    out = io.StringIO()
    game = PlainGame(
        Session(story),
        io.StringIO("".join(line + "\n" for line in lines)),
        out,
        saves=PlainSaves(folder, story),
        echo=True,
    )
    assert game.run() == 0
    return out.getvalue()


def test_save_list_and_load_in_plain_mode(vault: Story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    out = run_plain(
        vault, folder, ["2", "1", ":save before-hall", ":saves", "3", ":load before-hall", ":status"]
    )
    assert "Saved as 'before-hall' (2 steps)." in out
    assert re.search(
        r"before-hall: The Vault \(vault\), scene 'hall', 2 steps, \d{4}-\d\d-\d\d \d\d:\d\d", out
    )
    assert re.search(r"autosave: The Vault \(vault\), scene 'hall', 2 steps", out)
    assert "Loaded 'before-hall' (2 steps)." in out
    assert out.splitlines()[-2:] == [
        "[status] journal: A note in Ada's hand: the vault opens at midnight.",
        "> ",
    ]


def test_autosave_follows_every_choice(vault: Story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    run_plain(
        vault, folder, ["1", "2"]
    )  # into the hall, back to the foyer; then input ends: the player is gone
    result = SaveStore(folder).load("autosave", vault)
    assert result.session.log == (("foyer", "hall"), ("hall", "back"))


def test_autosave_follows_undo_and_restart(vault: Story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    run_plain(vault, folder, ["1", "2", ":undo"])
    assert SaveStore(folder).load("autosave", vault).session.log == (("foyer", "hall"),)
    run_plain(vault, folder, ["1", ":restart"])
    assert SaveStore(folder).load("autosave", vault).session.log == ()


def test_refusals_are_one_line_and_the_game_goes_on(vault: Story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    folder.mkdir()
    (folder / "broken.json").write_text("{", encoding="utf-8")
    out = run_plain(vault, folder, [":save ../etc", ":save", ":load nothing", ":load broken", ":load", "1"])
    lines = out.splitlines()
    assert "Not saved: save name '../etc' contains '.': use only letters a-z, digits, '-' and '_'" in lines
    assert "Give the save a name, for example :save vault-1" in lines
    assert f"Not loaded: there is no save named 'nothing' in {folder}" in lines
    assert any(
        line.startswith(f"Not loaded: {folder / 'broken.json'} is not valid JSON (line 1, column 2")
        for line in lines
    )
    assert "Give the name of a save, for example :load autosave (:saves lists them)." in lines
    assert "== The Hall ==" in lines  # and the game went on
    assert "Traceback" not in out


def test_a_save_from_a_changed_story_offers_the_last_step_that_fits(vault: Story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    run_plain(vault, folder, ["2", "1", "1", ":save deep"])  # read_note, hall, take_key
    changed = load_story(
        write_vault(tmp_path / "v2" / "vault", VAULT_SCENES.replace("id: take_key", "id: grab_key"))
    )
    out = run_plain(changed, folder, [":load deep", ":status", ":load deep anyway", ":status"])
    lines = out.splitlines()
    assert (
        "The story has changed since this save: step 3: in scene 'hall', choice 'take_key': choice 'take_key'"
        " no longer exists (the scene's choices are 'grab_key', 'back', 'open_vault', 'leave')."
    ) in lines
    assert "The save fits up to step 2 of 3; going on from there drops the last 1 step." in lines
    assert "To go on from step 2, type :load deep anyway" in lines
    statuses = [line for line in lines if line.startswith("Case:")]
    assert statuses == [
        "Case: The Vault. Scene: The Foyer. Choices made: 0.",  # refused until asked: still the new game
        "Case: The Vault. Scene: The Hall. Choices made: 2.",
    ]


def test_a_save_of_another_story_is_refused(vault: Story, tmp_path: Path) -> None:
    folder = tmp_path / "saves"
    run_plain(vault, folder, [":save mine"])
    other = load_story(write_vault(tmp_path / "heist"))
    out = run_plain(other, folder, [":load mine"])
    assert (
        f"Not loaded: {folder / 'mine.json'} is a save of the story 'vault', not of 'heist'"
        in out.splitlines()
    )


def test_no_saves_yet(vault: Story, tmp_path: Path) -> None:
    out = run_plain(vault, tmp_path / "none", [":saves"])
    assert f"No saves yet in {tmp_path / 'none'}." in out.splitlines()


def test_a_load_path_with_a_zero_byte_or_a_page_of_text_is_one_line(vault: Story, tmp_path: Path) -> None:
    """`:load a/<NUL>b` used to raise ValueError (embedded null byte) from the OS call."""
    folder = tmp_path / "saves"
    long_path = "a/" * 3000
    out = run_plain(vault, folder, [":load a/\x00b", ":load a/\x1b[2Jb.json", f":load {long_path}", "1"])
    lines = out.splitlines()
    limit = "a save's path is at most 1024 characters, without control characters"
    assert f"Not loaded: there is no save file 'a/\\x00b': {limit}" in lines
    assert f"Not loaded: there is no save file 'a/\\x1b[2Jb.json': {limit}" in lines
    assert f"Not loaded: there is no save file '{long_path[:37]}...': {limit}" in lines
    assert "== The Hall ==" in lines  # and the game went on
    assert "\x00" not in out
    assert "\x1b" not in out
