"""What completion offers where the cursor is, in buffers as an author has them half typed."""

from __future__ import annotations

import pytest

from coldcase_game.lsp.complete import Context, context
from coldcase_game.story import loader

FORMAT_2_ONLY: frozenset[str] = getattr(loader, "FORMAT_2_KEYS", frozenset())


def f1(keys: tuple[str, ...], *written: str) -> tuple[str, ...]:
    """The keys a format-1 story is offered: not those only format 2 has, nor those written."""
    return tuple(k for k in keys if k not in FORMAT_2_ONLY and k not in written)


SCENE_FILE = """\
scenes:
  first:
    title: The Bench
    text:
      - Snow.
      - if: trust.vera >= 50
        te
    on_enter:
      se
    choices:
      - text: Sit down
        goto: last
        do:
          trust:
            ve
          set:
            - sa
      - text: Leave
        go
  second:
    ti
"""


def at(text: str, needle: str, *, manifest: bool = False, after: bool = True) -> Context:
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if needle in line:
            col = line.index(needle) + (len(needle) if after else 0)
            return context(lines, number, col, manifest=manifest)
    raise AssertionError(needle)


def test_keys_at_each_level_of_a_scene_file() -> None:
    assert at(SCENE_FILE, "        go").keys == f1(loader.CHOICE_KEYS, "text")  # `text` is written
    scene = at("scenes:\n  first:\n    ti\n", "    ti")
    assert scene == Context("keys", f1(loader.SCENE_KEYS))
    assert at(SCENE_FILE, "        te").keys == f1(loader.PARAGRAPH_KEYS, "if")  # a conditional paragraph
    assert at(SCENE_FILE, "      se").keys == f1(loader.EFFECT_KEYS)
    assert at("sc\n", "sc") == Context("keys", ("scenes",))
    assert at("scenes:\n  first:\n    title: x\n    te\n", "    te").keys == f1(loader.SCENE_KEYS, "title")


def test_names_where_names_go() -> None:
    assert at(SCENE_FILE, "            ve").want == "character"  # under do: trust:
    assert at(SCENE_FILE, "            - sa").want == "flag"  # an item of set:
    assert at(SCENE_FILE, "goto: ").want == "scene"
    assert at("start: \n", "start: ", manifest=True).want == "scene"
    assert at("        do: {set: [saw_chalk, h\n", "h").want == "flag"
    assert at("        do: {trust: {ve\n", "ve").want == "character"
    assert at("        do: {trust: {vera: +\n", "+").want == "none"  # a trust change, not a name


def test_names_in_a_condition() -> None:
    assert at(SCENE_FILE, "if: trust.").prefix == "trust."
    assert at(SCENE_FILE, "if: trust.vera") == Context("expression", prefix="trust.")
    assert at("        if: visits.\n", "visits.") == Context("expression", prefix="visits.")
    assert at("        if: saw_chalk and \n", "and ") == Context("expression")


def test_keys_of_the_manifest_and_its_characters() -> None:
    manifest = "format: 1\ntitle: T\nst\ncharacters:\n  vera:\n    name: Vera\n    tr\n"
    assert at(manifest, "st", manifest=True).keys == f1(loader.MANIFEST_KEYS, "format", "title", "characters")
    assert at(manifest, "    tr", manifest=True).keys == f1(loader.CHARACTER_KEYS, "name")


def test_chosen_scene_and_choice_in_a_format_2_condition() -> None:
    assert at("        if: chosen.\n", "chosen.") == Context("expression", prefix="chosen.")
    assert at("        if: not chosen.hall.pu\n", "pu") == Context("expression", prefix="chosen.hall.")
    assert at("        if: trust.vera.\n", "vera.") == Context("expression", prefix="trust.vera.")


def test_format_2_keys_only_for_a_format_2_story(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the format-2 loader's key lists (as on its branch): offered in format 2, not in format 1."""
    monkeypatch.setattr(loader, "CHOICE_KEYS", (*loader.CHOICE_KEYS, "then"), raising=True)
    monkeypatch.setattr(loader, "FORMAT_2_KEYS", frozenset({"then", "vars"}), raising=False)
    buffer = "scenes:\n  first:\n    choices:\n      - text: Go\n        goto: last\n        th\n"
    lines = buffer.split("\n")
    assert "then" in context(lines, 5, 10, manifest=False, fmt=2).keys
    assert "then" not in context(lines, 5, 10, manifest=False, fmt=1).keys
