"""The author's reference documents every diagnostic the checker can print, and nothing it cannot."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import REPO

SOURCES = REPO / "src" / "coldcase_game" / "story"
ANALYSIS = REPO / "src" / "coldcase_game" / "analysis"  # explore's warnings (W301)
DOC = REPO / "docs" / "scene-format.md"


def codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in [*SOURCES.glob("*.py"), *ANALYSIS.glob("*.py")]:
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
    for key in (
        *loader.MANIFEST_KEYS,
        *loader.CHARACTER_KEYS,
        *loader.SCENE_KEYS,
        *loader.CHOICE_KEYS,
        *loader.EFFECT_KEYS,
        *loader.VAR_KEYS,
        *loader.PARAGRAPH_KEYS,
    ):
        assert f"| `{key}` |" in doc or f"`{key}:" in doc, key


def test_the_first_story_of_the_docs_is_clean_and_fully_playable(tmp_path: Path) -> None:
    """The five-minute story in docs/scene-format.md, copied out as an author would: check
    finds nothing, and explore reaches both endings with no soft lock and no constant paragraph."""
    import json
    import re
    import subprocess
    import sys

    text = (REPO / "docs" / "scene-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"`scenes/first_case/(\S+)`:\n\n```yaml\n(.*?)```", text, re.S)
    assert [name for name, _ in blocks] == ["story.yaml", "park.yaml"]
    root = tmp_path / "first_case"
    root.mkdir()
    for name, body in blocks:
        (root / name).write_text(body, encoding="utf-8")
    check = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "check", str(root)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout
    assert check.stdout.strip() == "0 errors, 0 warnings in 2 files", check.stdout
    explore = subprocess.run(
        [sys.executable, "-m", "coldcase_game", "explore", str(root), "--json"],
        capture_output=True,
        text=True,
    )
    assert explore.returncode == 0, explore.stdout + explore.stderr
    report = json.loads(explore.stdout)
    assert {e["title"] for e in report["endings"]} == {"Two Sets of Footprints", "The Cold Path"}
    assert not report["soft_locks"]
    assert not report["paragraphs_always_shown"]
    assert not report["paragraphs_never_shown"]
    assert not report["always_open"]
