"""`read_story` with a LoadCache: the same result as without one, after every kind of edit, while the
files and scene files that did not change are neither parsed nor built again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import SCENES

from coldcase_game.story.cache import LoadCache
from coldcase_game.story.loader import LoadResult, read_story


def _same(cached: LoadResult, fresh: LoadResult) -> None:
    assert cached.diagnostics == fresh.diagnostics
    assert cached.files == fresh.files
    assert cached.story == fresh.story


def _edits(root: Path) -> list[tuple[str, str]]:
    """(file, new text) in order: an author's afternoon on one story."""
    manifest = (root / "story.yaml").read_text(encoding="utf-8")
    park = (root / "park.yaml").read_text(encoding="utf-8")
    return [
        ("park.yaml", park.replace("bench", "bench", 1) + "\n# a comment\n"),
        ("park.yaml", park.replace("goto: ", "goto: nowhere_", 1)),  # an unknown scene
        (
            "park.yaml",
            park.replace("scenes:\n", "scenes:\n  extra:\n    text: More.\n    ending: Extra\n", 1),
        ),
        ("more.yaml", "scenes:\n  extra:\n    text: More.\n    ending: Extra\n"),  # a second file
        ("park.yaml", park),
        ("park.yaml", park + "  broken: [\n"),  # YAML syntax error
        ("story.yaml", manifest.replace("saw_chalk:", "saw_chalks:")),  # names change: everything re-checked
        ("story.yaml", manifest),
        ("park.yaml", park.replace("    text:", "    txt:", 1)),
        ("park.yaml", park),
        ("more.yaml", "scenes:\n  bench:\n    text: A duplicate.\n    ending: Twice\n"),  # duplicate id
        ("more.yaml", "scenes: {}\n"),
    ]


@pytest.mark.parametrize("via_overlay", [False, True], ids=["disk", "overlay"])
def test_cached_loads_match_fresh_loads_after_every_edit(tmp_path: Path, via_overlay: bool) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SCENES / "sample", root)
    cache = LoadCache()
    _same(read_story(root, cache=cache), read_story(root))
    for name, text in _edits(root):
        path = root / name
        if via_overlay and path.exists():  # the editor's buffer: the file on disk is still the old one
            cache.overlay[os.path.abspath(path)] = text
            cached = read_story(root, cache=cache)
            path.write_text(text, encoding="utf-8")
            del cache.overlay[os.path.abspath(path)]
        else:
            path.write_text(text, encoding="utf-8")
            cached = read_story(root, cache=cache)
        _same(cached, read_story(root))


def test_an_edit_to_one_file_rebuilds_only_that_file(tmp_path: Path) -> None:
    root = tmp_path / "clarke"
    shutil.copytree(SCENES / "clarke", root)
    cache = LoadCache()
    first = read_story(root, cache=cache)
    assert first.story is not None
    before_files = dict(cache.files)
    before_scenes = dict(cache.scenes)
    library = root / "02_library.yaml"
    cache.overlay[os.path.abspath(library)] = library.read_text(encoding="utf-8") + "\n# edited\n"
    second = read_story(root, cache=cache)
    assert second.story is not None
    changed = [f for f in cache.files if cache.files[f] is not before_files[f]]
    rebuilt = [f for f in cache.scenes if cache.scenes[f] is not before_scenes[f]]
    assert [Path(f).name for f in changed] == ["02_library.yaml"]
    assert [Path(f).name for f in rebuilt] == ["02_library.yaml"]
    # the scenes of the other files are the very objects built the first time
    for sid, scene in first.story.scenes.items():
        if Path(scene.pos.file).name != "02_library.yaml":
            assert second.story.scenes[sid] is scene
