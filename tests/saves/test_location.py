"""The save folder: the user's data folder by default, so a game started anywhere finds its saves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.saves.conftest import play, write_vault

from coldcase_game.session.location import save_folder, saves_dir
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.bundled import story_dirs
from coldcase_game.story.loader import load_story

COLDCASE = Path(sys.executable).with_name("coldcase")
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="$XDG_DATA_HOME is how Linux names the data folder"
)


@pytest.fixture
def no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLDCASE_SAVES", raising=False)


@linux_only
@pytest.mark.usefixtures("no_override")
def test_the_default_follows_xdg_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "one"))
    assert saves_dir(None) == tmp_path / "one" / "coldcase"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "two"))
    assert saves_dir(None) == tmp_path / "two" / "coldcase"
    assert save_folder(None).origin == "default"


@linux_only
@pytest.mark.usefixtures("no_override")
def test_without_xdg_data_home_the_default_is_under_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "alice"))
    assert saves_dir(None) == tmp_path / "alice" / ".local" / "share" / "coldcase"
    monkeypatch.setenv("HOME", str(tmp_path / "bob"))
    assert saves_dir(None) == tmp_path / "bob" / ".local" / "share" / "coldcase"


@pytest.mark.usefixtures("no_override")
def test_the_option_and_the_environment_still_override(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COLDCASE_SAVES", str(tmp_path / "env"))
    assert save_folder(None) == save_folder(None).__class__(tmp_path / "env", "environment")
    assert save_folder(str(tmp_path / "opt")).path == tmp_path / "opt"
    assert save_folder(str(tmp_path / "opt")).origin == "option"


def _coldcase(
    *args: str, cwd: Path, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    command = [str(COLDCASE)] if COLDCASE.exists() else [sys.executable, "-m", "coldcase_game"]
    full_env = {k: v for k, v in os.environ.items() if k != "COLDCASE_SAVES"}
    full_env.update({"COLUMNS": "200", **env})
    return subprocess.run(
        [*command, *args], cwd=cwd, env=full_env, input=stdin, capture_output=True, text=True, timeout=60
    )


@linux_only
def test_a_game_started_in_one_folder_is_found_from_another(tmp_path: Path) -> None:
    """The real command, twice, from two working folders: one save folder, under $XDG_DATA_HOME."""
    data = tmp_path / "data"
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    env = {"XDG_DATA_HOME": str(data)}
    played = _coldcase("play", "--plain", "sample", cwd=here, env=env, stdin="1\n:quit\n")
    assert played.returncode == 0, played.stderr
    assert (data / "coldcase" / "autosave.json").is_file()
    assert not (here / "saves").exists()

    listed = _coldcase("saves", cwd=there, env=env)
    assert listed.returncode == 0, listed.stderr
    assert f"Saves in {data / 'coldcase'}" in listed.stdout
    assert "autosave" in listed.stdout
    assert "The Dead Drop" in listed.stdout
    assert "The save folder is this user's data folder; --saves DIR or $COLDCASE_SAVES=DIR uses another." in (
        " ".join(listed.stdout.split())
    )

    again = _coldcase("replay", "autosave", "--check", cwd=there, env=env)
    assert again.returncode == 0
    assert again.stdout.startswith("ok: ")


def test_a_save_remembers_the_folder_of_a_story_of_ones_own(tmp_path: Path) -> None:
    story = load_story(write_vault(tmp_path / "cases" / "vault"))
    store = SaveStore(tmp_path / "saves")
    store.save("mine", play(story, ["hall"]))
    doc = json.loads((store.folder / "mine.json").read_text(encoding="utf-8"))
    assert doc["content"]["story"]["folder"] == str((tmp_path / "cases" / "vault").resolve())
    info = store.info("mine")
    assert info is not None
    assert info.story_folder == str((tmp_path / "cases" / "vault").resolve())
    assert store.load("mine").session.state.scene == "hall"  # found without being given the story


def test_a_bundled_story_is_found_by_its_id_not_its_folder(tmp_path: Path) -> None:
    sample = next(p for p in story_dirs() if p.name == "sample")
    store = SaveStore(tmp_path / "saves")
    store.save("begin", play(load_story(sample), []))
    doc = json.loads((store.folder / "begin.json").read_text(encoding="utf-8"))
    assert doc["content"]["story"]["folder"] == ""


def test_a_story_moved_away_is_named_with_the_remembered_folder(tmp_path: Path) -> None:
    folder = write_vault(tmp_path / "cases" / "vault")
    store = SaveStore(tmp_path / "saves")
    store.save("mine", play(load_story(folder), ["hall"]))
    (folder / "story.yaml").unlink()
    from coldcase_game.session.errors import SaveError

    with pytest.raises(SaveError) as caught:
        store.load("mine")
    assert caught.value.message == (
        f"{store.folder / 'mine.json'} is a save of the story 'vault', played from {folder.resolve()}, "
        f"but {folder.resolve()} no longer holds the story 'vault'; give the story's folder with --story DIR"
    )


def test_a_remembered_folder_with_errors_says_so(tmp_path: Path) -> None:
    folder = write_vault(tmp_path / "cases" / "vault")
    store = SaveStore(tmp_path / "saves")
    store.save("mine", play(load_story(folder), ["hall"]))
    (folder / "scenes.yaml").write_text("scenes:\n  foyer: [\n", encoding="utf-8")
    from coldcase_game.session.errors import SaveError

    with pytest.raises(SaveError) as caught:
        store.load("mine")
    assert f"but the story in {folder.resolve()} has " in caught.value.message
    assert caught.value.message.endswith(
        f"run 'coldcase check {folder.resolve()}'; give the story's folder with --story DIR"
    )
