"""Saving and loading: any game, saved and loaded, is the same game."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.saves.conftest import TO_VAULT, play

from coldcase_game.session import Session
from coldcase_game.session.saves import AUTOSAVE, SaveStore
from coldcase_game.story.model import Story


def _play_by_index(story: Story, picks: list[int]) -> Session:
    session = Session(story)
    for pick in picks:
        if session.is_over:
            break
        available = [o for o in session.options() if o.available]
        session.choose(available[pick % len(available)].choice.id)
    return session


@settings(max_examples=60, deadline=None)
@given(picks=st.lists(st.integers(min_value=0, max_value=3), max_size=40), undo=st.integers(0, 3))
def test_any_game_saved_and_loaded_is_the_same_game(vault: Story, picks: list[int], undo: int) -> None:
    session = _play_by_index(vault, picks)
    session.undo(undo)
    with tempfile.TemporaryDirectory() as folder:
        store = SaveStore(Path(folder))
        store.save("game", session, label="a label")
        result = store.load("game", vault)
    assert result.divergence is None
    assert result.clean
    loaded = result.session
    assert loaded.log == session.log
    assert loaded.state == session.state
    assert loaded.states == session.states
    assert loaded.narration() == session.narration()
    assert [o.choice.id for o in loaded.options()] == [o.choice.id for o in session.options()]
    assert result.info.label == "a label"
    assert result.info.steps == session.steps


def test_the_file_is_a_documented_envelope(store: SaveStore, vault: Story) -> None:
    session = play(vault, TO_VAULT)
    store.save("done", session)
    doc = json.loads((store.folder / "done.json").read_text(encoding="utf-8"))
    assert doc["format"] == "coldcase-save"
    assert doc["schema"] == 2
    assert doc["checksum"].startswith("sha256:")
    content = doc["content"]
    assert content["story"]["id"] == "vault"
    assert content["story"]["digest"] == vault.digest
    assert content["story"]["scenes"] == vault.scene_digests
    assert content["story"]["folder"] == str(Path(vault.root).resolve())
    assert content["log"] == [
        ["foyer", "read_note"],
        ["foyer", "hall"],
        ["hall", "take_key"],
        ["hall", "open_vault"],
    ]
    assert content["state"]["scene"] == "vault"
    assert content["state"]["trust"] == {"ada": 65, "ben": 30}
    assert content["state"]["journal"] == ["note", "key"]
    assert content["ending"] == "The Vault"


def test_saving_again_keeps_the_previous_version_as_backup(store: SaveStore, vault: Story) -> None:
    store.save("slot", play(vault, ["hall"]))
    first = (store.folder / "slot.json").read_bytes()
    store.save("slot", play(vault, ["hall", "back"]))
    assert (store.folder / "slot.json.bak").read_bytes() == first
    assert store.load("slot", vault).session.steps == 2
    assert store.load(str(store.folder / "slot.json.bak"), vault).session.steps == 1


def test_overwriting_the_same_game_keeps_its_creation_time(store: SaveStore, vault: Story) -> None:
    first = store.save("slot", play(vault, ["hall"]))
    again = store.save("slot", play(vault, ["hall", "back", "wait"]))
    assert again.created == first.created
    other = store.save("slot", play(vault, ["wait"]))  # a different game in the same slot
    assert other.created is not None
    assert first.created is not None
    assert other.created >= first.created
    assert other.updated is not None
    assert again.updated is not None
    assert other.updated >= again.updated


def test_autosave_slot_and_listing(store: SaveStore, vault: Story) -> None:
    assert store.list() == []
    store.autosave(play(vault, ["hall"]))
    store.save("mine", play(vault, ["wait", "wait"]), label="before the vault")
    listing = {i.slot: i for i in store.list()}
    assert set(listing) == {AUTOSAVE, "mine"}
    assert listing[AUTOSAVE].is_autosave
    assert listing[AUTOSAVE].scene == "hall"
    assert listing["mine"].steps == 2
    assert listing["mine"].label == "before the vault"
    assert listing["mine"].story_title == "The Vault"
    assert listing["mine"].problem is None


def test_listing_ignores_the_games_own_files_and_backups(store: SaveStore, vault: Story) -> None:
    store.save("mine", play(vault, ["hall"]))
    store.save("mine", play(vault, ["hall"]))
    store.progress.record_ending("vault", "The Vault")
    (store.folder / "settings.json").write_text("{}", encoding="utf-8")
    (store.folder / "notes.txt").write_text("hello", encoding="utf-8")
    assert [i.slot for i in store.list()] == ["mine"]


def test_delete_removes_the_save_and_its_backup(store: SaveStore, vault: Story) -> None:
    store.save("gone", play(vault, ["hall"]))
    store.save("gone", play(vault, ["hall"]))
    store.save("kept", play(vault, ["hall"]))
    store.delete("gone")
    assert sorted(p.name for p in store.folder.iterdir()) == ["kept.json"]


def test_suggested_slot_is_unused_and_valid(store: SaveStore, vault: Story) -> None:
    session = play(vault, ["hall"])
    first = store.suggest_slot(session)
    assert first == "vault-1"
    store.save(first, session)
    assert store.suggest_slot(session) == "vault-2"


def test_info_of_a_missing_slot_is_none(store: SaveStore) -> None:
    assert store.info("nothing") is None
    assert not store.exists("nothing")
