"""The author's reference documents every diagnostic the checker can print, and nothing it cannot."""

from __future__ import annotations

import re

from tests.conftest import REPO

SOURCES = REPO / "src" / "coldcase_game" / "story"
DOC = REPO / "docs" / "scene-format.md"


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in SOURCES.glob("*.py"):
        found |= set(re.findall(r'"([EW]\d{3})"', path.read_text(encoding="utf-8")))
    return found


def codes_in_doc() -> set[str]:
    return set(re.findall(r"^\| ([EW]\d{3}) \|", DOC.read_text(encoding="utf-8"), re.M))


def test_every_code_is_documented() -> None:
    missing = codes_in_source() - codes_in_doc()
    assert not missing, f"undocumented diagnostic codes: {sorted(missing)}"


def test_no_documented_code_is_stale() -> None:
    stale = codes_in_doc() - codes_in_source()
    assert not stale, f"documented codes the checker never prints: {sorted(stale)}"


def test_every_manifest_scene_and_choice_key_is_documented() -> None:
    from coldcase_game.story import loader

    doc = DOC.read_text(encoding="utf-8")
    for key in (*loader.MANIFEST_KEYS, *loader.CHARACTER_KEYS, *loader.SCENE_KEYS, *loader.CHOICE_KEYS, *loader.EFFECT_KEYS):
        assert f"| `{key}` |" in doc or f"`{key}:" in doc, key
