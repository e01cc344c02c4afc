"""Helpers for the author tools' tests: run `coldcase` in-process and read what an author sees;
small stories, each counted by hand; check-jsonschema."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coldcase_game.cli import main

CHECK_JSONSCHEMA = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which(
    "check-jsonschema"
)


def validate(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """check-jsonschema (from the test extra) on `files`."""
    assert CHECK_JSONSCHEMA, "check-jsonschema is in the test extra: pip install -e '.[test]'"
    return subprocess.run(
        [CHECK_JSONSCHEMA, "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


LOOP_MANIFEST = """\
format: 1
title: Loop Case
start: a
characters:
  ana:
    name: Ana
flags:
  clue: A clue nobody finds.
"""

# Words by hand: a 3+2+2, b 2+1+1, c 1+1+1+2, fin 4, lost 1. a and b form a loop.
LOOP_SCENES = """\
scenes:
  a:
    title: Start Here
    text: one two three
    choices:
      - {text: Go left., goto: b}
      - {text: Go right., goto: c}
  b:
    text: four five
    choices:
      - {text: Back., goto: a}
      - {text: On., goto: fin}
  c:
    text: six
    choices:
      - {text: On., goto: fin}
      - {text: Lost., goto: lost, if: clue, locked: Not yet.}
  fin:
    text: the end here now
    ending: Fin
  lost:
    text: gone
    ending: Lost
"""


MAP_MANIFEST = """\
format: 1
title: Map Case
start: hall
characters:
  ana:
    name: Ana
flags:
  key_found: A key.
"""

MAP_SCENES = """\
scenes:
  hall:
    title: The Hall
    text: A hall.
    choices:
      - {text: Search the study., goto: study, once: true, do: {trust: {ana: +10}}}
      - {text: Leave., goto: out}
      - {text: Unlock the vault., goto: vault, if: key_found and trust.ana >= 60, locked: Locked.}
  study:
    title: The Study
    text: A study.
    on_enter: {set: [key_found]}
    choices:
      - {text: Back., goto: hall}
  vault:
    title: The <Vault> & "Co"
    text: Gold.
    ending: Rich
  out:
    title: Outside
    text: Rain.
    ending: Poor
  island:
    title: Island
    text: Nobody comes here.
    ending: Nowhere
"""


def write_story(root: Path, manifest: str, **files: str) -> Path:
    """`story.yaml` and the scene files (name -> text) in `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "story.yaml").write_text(manifest, encoding="utf-8")
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


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
