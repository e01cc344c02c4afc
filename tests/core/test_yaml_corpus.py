"""The yaml-test-suite corpus: every `in.yaml` fed to the loader as a scene file.

Each must end in a loaded story or in located errors; never a traceback or a crash.
Both parsers are exercised: libyaml (CSafeLoader) and the pure-Python fallback.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from tests.conftest import MINIMAL_MANIFEST, REPO

from coldcase_game.story import yamlsafe
from coldcase_game.story.loader import read_story

# a copy of the yaml-test-suite data files (MIT; see its LICENSE and README), kept in the
# repository so that a clone anywhere runs every case
CORPUS = REPO / "tests" / "data" / "yaml-test-suite"
INPUTS = sorted(CORPUS.rglob("in.yaml")) if CORPUS.is_dir() else []
LOCATED = re.compile(r"^.+:\d+:\d+: (error|warning)\[[EW]\d{3}\]: \S")

PARSERS = [pytest.param(True, id="libyaml"), pytest.param(False, id="pure")]
if not yamlsafe.HAVE_LIBYAML:  # pragma: no cover - PyYAML wheels ship libyaml on every CI platform we use
    PARSERS = [pytest.param(False, id="pure")]


def test_corpus_is_present() -> None:
    assert len(INPUTS) >= 400, f"expected the 402 yaml-test-suite inputs in {CORPUS}, found {len(INPUTS)}"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus") / "story"
    root.mkdir()
    (root / "story.yaml").write_text(MINIMAL_MANIFEST, encoding="utf-8")
    return root


@pytest.mark.parametrize("use_libyaml", PARSERS)
@pytest.mark.parametrize("source", INPUTS, ids=[str(p.parent.relative_to(CORPUS)) for p in INPUTS])
def test_corpus_file_loads_or_fails_cleanly(source: Path, use_libyaml: bool, base: Path) -> None:
    target = base / "scene.yaml"
    shutil.copyfile(source, target)
    result = read_story(base, use_libyaml=use_libyaml)
    # None of these files is a complete Cold Case story, so there are always located errors.
    assert result.story is None
    assert result.errors
    for d in result.diagnostics:
        assert LOCATED.match(str(d)), str(d)
        assert d.line >= 1
        assert d.col >= 1


def test_both_parsers_agree_on_a_real_story() -> None:
    fast = read_story(REPO / "scenes" / "sample", use_libyaml=True)
    pure = read_story(REPO / "scenes" / "sample", use_libyaml=False)
    assert fast.story is not None
    assert pure.story is not None
    assert fast.story.scenes == pure.story.scenes
    assert fast.story.digest == pure.story.digest
