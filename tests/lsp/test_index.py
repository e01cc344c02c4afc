"""The index of names, read from the loader's nodes: the format-2 places too (vars, terms,
introduced_by, next, then, lists of effect blocks), whether or not this loader accepts them yet."""

from __future__ import annotations

import os
from pathlib import Path

from coldcase_game.lsp.index import Kind, StoryIndex
from coldcase_game.story.cache import LoadCache
from coldcase_game.story.loader import read_story

MANIFEST = """\
format: 2
title: Format two
start: hall
characters:
  zarina:
    name: Zarina Yusupova
    trust: 40
    introduced_by: met_zarina
flags:
  met_zarina: You met Zarina.
  heard_of_anvar: ""
vars:
  forceful: {start: 0, min: -3, max: 3}
  evidence: {min: 0, max: 5, name: Evidence}
terms:
  Anvar: heard_of_anvar
  Grachev: [met_zarina, heard_of_anvar]
"""

SCENES = """\
scenes:
  hall:
    text: A hall.
    on_enter:
      - if: forceful >= 1
        vars: {evidence: +1}
      - set: [met_zarina]
    next: room
  room:
    text: A room.
    choices:
      - text: Push
        goto: hall
        if: evidence + trust.zarina > 50 and not chosen.hall.push
        do: {vars: {forceful: +1}}
        then:
          - if: forceful > -2
            text: She steps back.
"""


def _index(tmp_path: Path) -> tuple[StoryIndex, str, str]:
    root = tmp_path / "two"
    root.mkdir()
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "scenes.yaml").write_text(SCENES, encoding="utf-8")
    cache = LoadCache()
    read_story(root, cache=cache)
    index = StoryIndex()
    index.update(cache)
    return index, os.path.abspath(root / "story.yaml"), os.path.abspath(root / "scenes.yaml")


def _place(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return line, at - (text.rfind("\n", 0, at) + 1) + 1


def test_variables_are_declared_and_used(tmp_path: Path) -> None:
    index, manifest, scenes = _index(tmp_path)
    decl = index.declarations("var", "forceful")
    assert [(d.file, d.line) for d in decl] == [(manifest, _place(MANIFEST, "forceful")[0])]
    uses = index.uses("var", "forceful", with_declaration=False)
    assert sorted((u.line, u.col) for u in uses) == sorted(
        [_place(SCENES, "forceful"), _place(SCENES, "forceful", 1), _place(SCENES, "forceful", 2)]
    )
    # a bare name in an expression is the variable, as declared
    occ = index.at(scenes, *_place(SCENES, "evidence + "))
    assert occ is not None
    assert index.resolve(occ) == "var"
    info = index.info("var", "evidence")
    assert info is not None
    assert (info.title, info.detail) == ("Evidence", "0..5")


def test_terms_and_introduced_by_name_flags(tmp_path: Path) -> None:
    index, manifest, _ = _index(tmp_path)
    uses = index.uses("flag", "heard_of_anvar", with_declaration=False)
    assert sorted(u.line for u in uses) == [_place(MANIFEST, "Anvar:")[0], _place(MANIFEST, "Grachev")[0]]
    introduced = index.at(manifest, *_place(MANIFEST, "met_zarina"))
    assert introduced is not None
    assert (introduced.kind, introduced.declaration) == ("flag", False)
    character = index.info("character", "zarina")
    assert character is not None
    assert "introduced by flag 'met_zarina'" in character.detail


def test_next_chosen_and_effect_blocks_name_scenes_and_flags(tmp_path: Path) -> None:
    index, _, scenes = _index(tmp_path)
    uses = index.uses("scene", "hall", with_declaration=False)
    assert sorted((os.path.basename(u.file), u.line, u.col) for u in uses) == [
        ("scenes.yaml", *_place(SCENES, "hall", 2)),  # goto: hall
        ("scenes.yaml", *_place(SCENES, "hall", 3)),  # chosen.hall.push
        ("story.yaml", *_place(MANIFEST, "hall")),  # start: hall
    ]
    assert [u.line for u in index.uses("scene", "room", with_declaration=False)] == [
        _place(SCENES, "next")[0]
    ]
    assert [u.line for u in index.uses("flag", "met_zarina", with_declaration=False) if u.file == scenes] == [
        _place(SCENES, "set: [met_zarina]")[0]
    ]
    assert [
        u.name for u in index.uses("character", "zarina", with_declaration=False) if u.file == scenes
    ] == ["zarina"]


def test_a_scenes_choices_and_the_storys_format(tmp_path: Path) -> None:
    index, _, _ = _index(tmp_path)
    room = index.info("scene", "room")
    assert room is not None
    assert room.choices == ("hall",)  # a choice without `id:` is known by its goto
    assert index.format == 2


SEQUENCES = """\
scenes:
  hall:
    text:
      - sequence: [A hall., The hall again.]
        if: met_zarina
    choices:
      - text: Push
        goto: hall
        do:
          - if: forceful < 3 and heard_of_anvar
            trust: {zarina: +5}
            clear: [met_zarina]
          - vars: {evidence: +1}
        then:
          - cycle: [She steps back., She waits.]
            if: visits.hall > 1 and evidence >= 2
"""


def test_names_in_sequence_paragraphs_then_texts_and_do_blocks(tmp_path: Path) -> None:
    """A `sequence`'s or `cycle`'s `if` (in the scene's text or in a `then`), and a `do` list's
    blocks (their `if`, trust, clear and vars): each name is found where it is written."""
    root = tmp_path / "two"
    root.mkdir()
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "scenes.yaml").write_text(SEQUENCES, encoding="utf-8")
    cache = LoadCache()
    result = read_story(root, cache=cache)
    assert result.story is not None, result.diagnostics
    index = StoryIndex()
    index.update(cache)
    scenes = os.path.abspath(root / "scenes.yaml")

    def uses(kind: Kind, name: str) -> list[tuple[int, int]]:
        return sorted(
            (u.line, u.col) for u in index.uses(kind, name, with_declaration=False) if u.file == scenes
        )

    assert uses("flag", "met_zarina") == [_place(SEQUENCES, "met_zarina"), _place(SEQUENCES, "met_zarina", 1)]
    assert uses("flag", "heard_of_anvar") == [_place(SEQUENCES, "heard_of_anvar")]
    assert uses("var", "forceful") == [_place(SEQUENCES, "forceful")]
    assert uses("var", "evidence") == [_place(SEQUENCES, "evidence"), _place(SEQUENCES, "evidence", 1)]
    assert uses("character", "zarina") == [_place(SEQUENCES, "zarina: +5")]
    assert uses("scene", "hall") == [
        _place(SEQUENCES, "hall", 3),  # goto: hall
        _place(SEQUENCES, "hall", 4),  # visits.hall
    ]
