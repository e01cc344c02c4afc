"""Helpers for the author tools' tests: run `coldcase` in-process and read what an author sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from authoring_stories import LOOP_MANIFEST, LOOP_SCENES, MAP_MANIFEST, MAP_SCENES, write_story

from coldcase_game.cli import main


class Run:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse misuse
            status = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return status, out, err


@pytest.fixture
def coldcase(capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(capsys)


@pytest.fixture
def loop_story(tmp_path: Path) -> Path:
    return write_story(tmp_path / "loop_case", LOOP_MANIFEST, **{"part.yaml": LOOP_SCENES})


@pytest.fixture
def map_story(tmp_path: Path) -> Path:
    return write_story(tmp_path / "map_case", MAP_MANIFEST, **{"part.yaml": MAP_SCENES})
