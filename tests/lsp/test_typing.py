"""A story typed from the top, a few characters at a time: at every step the server's own parts
(reload, index, completion, the spans of diagnostics) answer without an exception, and the
diagnostics always name places that exist in the buffer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import SCENES

from coldcase_game.lsp.complete import context
from coldcase_game.lsp.positions import Lines
from coldcase_game.lsp.project import Project


@pytest.mark.parametrize("name", ["park.yaml", "story.yaml"])
def test_every_prefix_of_a_file_as_it_is_typed(tmp_path: Path, name: str) -> None:
    root = tmp_path / "sample"
    shutil.copytree(SCENES / "sample", root)
    path = os.path.abspath(root / name)
    full = Path(path).read_text(encoding="utf-8")
    project = Project(str(root))
    project.reload()
    for end in [*range(0, len(full), 13), len(full)]:
        text = full[:end]
        project.set_buffer(path, text)
        project.reload()
        lines = Lines(text)
        for d in project.diagnostics.get(path, []):
            index, first, last = lines.span(d.line, d.col, expression=d.code.startswith("E3"))
            assert 0 <= first <= last <= len(lines.line(index)), d
        last_line = len(lines.lines) - 1
        context(lines.lines, last_line, len(lines.line(last_line)), manifest=name == "story.yaml")
        indexed = project.index.files.get(path)
        for occ in indexed.occurrences if indexed is not None else []:
            assert lines.line(occ.line - 1)[occ.col - 1 : occ.col - 1 + occ.length] == occ.name
    # typed to the end: the story is whole again
    assert project.story is not None
    assert project.diagnostics[path] == []
