"""A small looping story for the save tests, loaded through the real loader (so it has real digests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import write_story

from coldcase_game.session import Session
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

VAULT_MANIFEST = """\
format: 1
title: The Vault
start: foyer
characters:
  ada:
    name: Ada Brandt
    trust: 50
  ben:
    name: Ben Okafor
    trust: 30
flags:
  key: A brass key hangs behind the coat rack.
  note: "A note in Ada's hand: the vault opens at midnight."
  seen_hall: ""
"""

VAULT_SCENES = """\
scenes:
  foyer:
    title: The Foyer
    text:
      - "Rain on the skylight. [bold]Nothing[/bold] <b>moves</b> & the clock says 11."
      - if: trust.ada >= 60
        text: Ada nods at you.
    choices:
      - id: hall
        text: Go into the hall.
        goto: hall
        do:
          trust: {ada: +5}
      - id: read_note
        text: Read the note.
        goto: foyer
        once: true
        do:
          set: [note]
          trust: {ada: '%+20'}
      - id: wait
        text: Wait.
        goto: foyer
        do:
          trust: {ben: -5}
  hall:
    title: The Hall
    text: A long hall with a locked door at the end.
    on_enter:
      set: [seen_hall]
    choices:
      - id: take_key
        text: Take the key.
        goto: hall
        once: true
        do:
          set: [key]
      - id: back
        text: Back to the foyer.
        goto: foyer
      - id: open_vault
        text: Open the vault.
        goto: vault
        if: key and trust.ada >= 60
        locked: The vault stays shut.
      - id: leave
        text: Leave for good.
        goto: gone
        if: trust.ben < 10 and seen_hall and note
  vault:
    title: The Vault
    text: Gold, and a photograph of you.
    ending: The Vault
  gone:
    title: Outside
    text: You walk out into the rain.
    ending: Walked Away
"""


def write_vault(root: Path, scenes: str = VAULT_SCENES) -> Path:
    return write_story(root, VAULT_MANIFEST, **{"scenes.yaml": scenes})


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault")


@pytest.fixture(scope="session")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Story:
    """The story, loaded once (stories are immutable)."""
    return load_story(write_vault(tmp_path_factory.mktemp("story") / "vault"))


@pytest.fixture
def store(tmp_path: Path) -> SaveStore:
    return SaveStore(tmp_path / "saves")


def play(story: Story, choices: list[str]) -> Session:
    session = Session(story)
    for choice in choices:
        session.choose(choice)
    return session


# read_note (ada 60), hall (ada 65), take_key, open_vault -> the ending "The Vault"
TO_VAULT = ["read_note", "hall", "take_key", "open_vault"]
