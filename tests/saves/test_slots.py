"""Slot names: only letters, digits, - and _, at most 32, always a file inside the save folder."""

from __future__ import annotations

import pytest
from tests.saves.conftest import play

from coldcase_game.session.saves import SaveError, SaveStore, validate_slot
from coldcase_game.story.model import Story


@pytest.mark.parametrize("name", ["a", "case-1", "Berlin_1987", "x" * 32, "0", "-_-"])
def test_good_names_map_to_a_file_in_the_folder(store: SaveStore, vault: Story, name: str) -> None:
    info = store.save(name, play(vault, ["hall"]))
    assert info.slot == name.lower()
    assert info.path == store.folder / f"{name.lower()}.json"
    assert info.path.is_file()


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "cannot be empty"),
        ("../x", "contains '.'"),
        ("/etc/passwd", "contains '/'"),
        ("a\\b", "contains '\\'"),
        ("CON", "reserved device name"),
        ("lpt1", "reserved device name"),
        ("tab\there", "contains '\\t'"),
        ("nul\x00l", "contains '\\x00'"),
        ("bell\x07", "contains '\\x07'"),
        ("esc\x1b[2J", "contains '\\x1b'"),
        ("x" * 33, "33 characters long; the limit is 32"),
        ("café", "contains 'é'"),
        ("two words", "contains ' '"),
        ("autosave", "kept for automatic saves"),
        ("progress", "the game's own files"),
        ("Settings", "the game's own files"),
    ],
)
def test_bad_names_are_refused_with_one_line_and_nothing_is_written(
    store: SaveStore, vault: Story, name: str, says: str
) -> None:
    with pytest.raises(SaveError) as caught:
        store.save(name, play(vault, ["hall"]))
    message = caught.value.message
    assert says in message
    assert "\n" not in message
    assert "\x1b" not in message
    assert "\x00" not in message
    assert not store.folder.exists()  # not even the folder was created


def test_names_are_case_insensitive(store: SaveStore, vault: Story) -> None:
    store.save("Berlin", play(vault, ["hall"]))
    store.save("BERLIN", play(vault, ["hall", "back"]))
    assert [i.slot for i in store.list()] == ["berlin"]
    assert store.load("berlin", vault).session.steps == 2


def test_validate_slot_lowercases() -> None:
    assert validate_slot("Case-A_1") == "case-a_1"


def test_a_long_hostile_name_is_shown_short(store: SaveStore, vault: Story) -> None:
    with pytest.raises(SaveError) as caught:
        store.save("\x1b" * 500, play(vault, []))
    assert len(caught.value.message) < 120


@pytest.mark.parametrize(
    "label",
    ["x" * 81, "line\nbreak", "\x1b[31mred", "half \ud800 pair"],
    ids=["too-long", "newline", "escape", "surrogate"],
)
def test_bad_labels_are_refused_and_nothing_is_written(store: SaveStore, vault: Story, label: str) -> None:
    with pytest.raises(SaveError) as caught:
        store.save("fine", play(vault, ["hall"]), label=label)
    assert caught.value.message == "a save label is at most 80 characters of text, without control characters"
    assert not store.folder.exists()
