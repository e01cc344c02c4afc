"""Endings found, per story, kept in the save folder."""

from __future__ import annotations

import json

from tests.saves.conftest import TO_VAULT, play

from coldcase_game.session.progress import Progress
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.model import Story


def test_autosave_records_an_ending_once(store: SaveStore, vault: Story) -> None:
    store.autosave(play(vault, TO_VAULT[:3]))
    assert store.progress.endings_found("vault") == set()
    store.autosave(play(vault, TO_VAULT))
    store.autosave(play(vault, TO_VAULT))
    assert store.progress.endings_found("vault") == {"The Vault"}
    doc = json.loads((store.folder / "progress.json").read_text(encoding="utf-8"))
    assert doc == {"format": "coldcase-progress", "schema": 1, "endings": {"vault": ["The Vault"]}}


def test_endings_are_kept_per_story_and_survive_a_restart(store: SaveStore) -> None:
    assert store.progress.record_ending("vault", "The Vault") is True
    assert store.progress.record_ending("vault", "The Vault") is False
    assert store.progress.record_ending("vault", "Walked Away") is True
    assert store.progress.record_ending("other", "Elsewhere") is True
    again = Progress(store.folder)
    assert again.endings_found("vault") == {"The Vault", "Walked Away"}
    assert again.endings_found("other") == {"Elsewhere"}
    assert again.endings_found("nothing") == set()


def test_a_damaged_progress_file_reads_as_empty_and_is_replaced_with_a_backup(store: SaveStore) -> None:
    store.folder.mkdir()
    path = store.folder / "progress.json"
    for junk in (
        b"{",
        b"[" * 100_000,
        b'{"format": "coldcase-progress", "schema": 1, "endings": {"vault": 5}}',
        b"\x00",
    ):
        path.write_bytes(junk)
        assert store.progress.endings_found("vault") == set()
    assert store.progress.record_ending("vault", "The Vault") is True
    assert store.progress.endings_found("vault") == {"The Vault"}
    assert (store.folder / "progress.json.bak").read_bytes() == b"\x00"


def test_hand_edited_progress_keeps_the_good_titles(store: SaveStore) -> None:
    store.folder.mkdir()
    (store.folder / "progress.json").write_text(
        json.dumps(
            {"format": "coldcase-progress", "schema": 1, "endings": {"vault": ["The Vault", 7, None]}}
        ),
        encoding="utf-8",
    )
    assert store.progress.endings_found("vault") == {"The Vault"}
