"""The language server's index counts the names used inside format 2's inline `{if}` pieces, in
every kind of text (block, quoted and plain scalars, choice text, locked hints, `then`, sequence
items), so go-to-definition, references and rename reach them as they reach any `if:`."""

from __future__ import annotations

import os
from pathlib import Path

from coldcase_game.lsp.index import StoryIndex
from coldcase_game.story.cache import LoadCache
from coldcase_game.story.loader import load_story, read_story

MANIFEST = """\
format: 2
title: Inline names
start: hall
characters:
  harris:
    name: Harris
flags:
  cup: ""
vars:
  forceful: {min: -3, max: 3}
"""

SCENES = """\
scenes:
  hall:
    text: |
      "Well," {if cup: he|Harris} says{if forceful <= 0:, sternly}.
    choices:
      - text: '{if trust.harris > 50: Thank|Ignore} him'
        goto: hall
        do: {set: [cup]}
        then:
          - sequence: ['{if cup: Again.}', Once more.]
      - text: Leave
        id: leave
        goto: hall
        if: visits.hall > 2
        locked: 'Not yet{if cup:, the mug}{if visits.hall > 1:!}'
"""


def _index(root: Path) -> StoryIndex:
    cache = LoadCache()
    read_story(root, cache=cache)
    index = StoryIndex()
    index.update(cache)
    return index


def _story(tmp_path: Path) -> tuple[Path, str]:
    root = tmp_path / "inline"
    root.mkdir()
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "scenes.yaml").write_text(SCENES, encoding="utf-8")
    return root, os.path.abspath(root / "scenes.yaml")


def _places(text: str, needle: str) -> list[tuple[int, int]]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append((text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1))
        at = text.find(needle, at + 1)
    return out


def test_inline_conditions_are_uses_at_their_exact_place(tmp_path: Path) -> None:
    root, scenes = _story(tmp_path)
    index = _index(root)
    cup = [(u.line, u.col) for u in index.uses("flag", "cup", with_declaration=False)]
    assert sorted(cup) == _places(SCENES, "cup")  # the three `{if cup` and the `set: [cup]`
    forceful = index.uses("var", "forceful", with_declaration=False)
    assert [(u.line, u.col) for u in forceful] == _places(SCENES, "forceful")
    assert [index.resolve(o) for o in forceful] == ["var"]  # a bare name: the variable declared
    harris = index.uses("character", "harris", with_declaration=False)
    assert [(u.line, u.col) for u in harris] == _places(SCENES, "harris")
    visits = index.uses("scene", "hall", with_declaration=False)
    assert len([u for u in visits if u.file == scenes]) == 2 + 2  # two gotos, two visits.hall


def test_renaming_a_flag_reaches_its_inline_uses(tmp_path: Path) -> None:
    root, scenes = _story(tmp_path)
    index = _index(root)
    uses = index.uses("flag", "cup")
    lines = {path: Path(path).read_text(encoding="utf-8").split("\n") for path in {u.file for u in uses}}
    for u in sorted(uses, key=lambda u: (u.line, -u.col)):  # right to left, as an editor applies them
        row = lines[u.file][u.line - 1]
        assert row[u.col - 1 : u.col - 1 + u.length] == "cup"
        lines[u.file][u.line - 1] = row[: u.col - 1] + "lifted_cup" + row[u.col - 1 + u.length :]
    for path, rows in lines.items():
        Path(path).write_text("\n".join(rows), encoding="utf-8")
    story = load_story(root)  # still checks clean: every use was renamed, the inline ones too
    assert "lifted_cup" in story.flags
    assert "{if lifted_cup: he|Harris}" in Path(scenes).read_text(encoding="utf-8")
