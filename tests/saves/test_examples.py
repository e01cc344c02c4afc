"""The shipped example saves replay cleanly against the bundled cases (`coldcase replay --check`).

When a case is edited so that its example no longer fits, regenerate the examples:
`.venv/bin/python saves/examples/generate.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coldcase_game.cli import main
from coldcase_game.story.bundled import ORDER, story_dirs

EXAMPLES = Path(__file__).resolve().parents[2] / "saves" / "examples"
FILES = sorted(EXAMPLES.glob("*.json"))


def test_every_bundled_case_has_a_finished_example() -> None:
    cases = {p.name for p in story_dirs() if p.name in ORDER}
    assert cases, "no bundled cases found"
    assert {f.stem for f in FILES} == cases


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_example_replays_cleanly(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["replay", str(path), "--check"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, ""), err
    assert out.startswith(f"ok: {path} replays cleanly against '{path.stem}'")
    assert ", ending '" in out  # a finished game
