"""Shared fixtures: small stories written as YAML in a temporary folder, and an isolated save folder."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

REPO = Path(__file__).resolve().parent.parent
SCENES = REPO / "scenes"


@pytest.fixture(autouse=True)
def _isolated_saves(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes into the developer's ./saves folder."""
    monkeypatch.setenv("COLDCASE_SAVES", str(tmp_path_factory.mktemp("saves")))


@pytest.fixture(autouse=True, scope="session")
def _isolated_compile_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """No test reads or writes the developer's own compile cache: the whole run (and every
    `coldcase` it starts) shares one in a temporary folder. A test of the cache itself sets
    COLDCASE_CACHE_DIR to a folder of its own."""
    folder = tmp_path_factory.mktemp("compile-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COLDCASE_CACHE_DIR", str(folder))
        patch.delenv("COLDCASE_NO_CACHE", raising=False)
        yield folder


MINIMAL_MANIFEST = """\
format: 1
title: Test Case
start: first
characters:
  ana:
    name: Ana
    trust: 50
flags:
  clue: A clue for the journal.
  quiet: ""
"""


def write_story(root: Path, manifest: str = MINIMAL_MANIFEST, **files: str) -> Path:
    """Write `story.yaml` and scene files (name -> YAML text, dedented) into `root`; return it."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


class StoryDir(Protocol):
    """The `story_dir` fixture: write a story (manifest, scene files by name) and return its folder."""

    def __call__(self, manifest: str = MINIMAL_MANIFEST, name: str = "story", **files: str) -> Path: ...


@pytest.fixture
def story_dir(tmp_path: Path) -> StoryDir:
    """Factory: story_dir(manifest=..., **{"scenes.yaml": "..."}) -> folder."""

    def make(manifest: str = MINIMAL_MANIFEST, name: str = "story", **files: str) -> Path:
        return write_story(tmp_path / name, manifest, **files)

    return make
