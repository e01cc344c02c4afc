"""`coldcase new`: a story folder an author can start from, clean under check and explore."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.authoring.conftest import Run, validate

from coldcase_game.analysis.explore import explore
from coldcase_game.story.loader import load_story, read_story
from coldcase_game.story.schema import schema_text

MODELINE = "# yaml-language-server: $schema=scene-format.schema.json\n"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_creates_a_story_that_checks_and_explores_clean(coldcase: Run, here: Path) -> None:
    status, out, err = coldcase("new", "my_case")
    assert (status, err) == (0, "")
    assert out.splitlines()[:4] == [
        "Created my_case/, a new story:",
        "  my_case/story.yaml",
        "  my_case/case.yaml",
        "  my_case/scene-format.schema.json",
    ]
    assert "coldcase play --watch my_case" in out
    result = read_story(here / "my_case")
    assert result.diagnostics == []
    story = result.story
    assert story is not None
    assert story.id == "my_case"
    assert story.title == "My Case"
    assert [c.name for c in story.characters.values()] == ["Ruth Adler"]
    assert [f.id for f in story.flags.values() if f.is_clue] == ["found_letter"]
    assert len([s for s in story.scenes.values() if not s.is_ending]) == 2
    assert [s.ending for s in story.endings] == ["The Initials"]
    report = explore(story)
    assert report.ok
    assert report.unreached_scenes == []
    assert report.never_available == report.always_open == []
    assert report.paragraphs_always == report.paragraphs_never == []


def test_every_file_points_its_editor_at_the_schema_beside_it(coldcase: Run, here: Path) -> None:
    coldcase("new", "my_case")
    folder = here / "my_case"
    yamls = sorted(folder.glob("*.yaml"))
    assert [p.name for p in yamls] == ["case.yaml", "story.yaml"]
    for path in yamls:
        assert path.read_text(encoding="utf-8").startswith(MODELINE)
    assert json.loads((folder / "scene-format.schema.json").read_text()) == json.loads(schema_text())
    result = validate(folder / "scene-format.schema.json", *yamls)
    assert result.returncode == 0, result.stdout


def test_new_explore_and_check_commands_pass_on_it(coldcase: Run, here: Path) -> None:
    coldcase("new", "cases/first")
    status, out, _ = coldcase("check", "cases/first")
    assert (status, out) == (0, "0 errors, 0 warnings in 2 files\n")
    status, out, _ = coldcase("explore", "cases/first")
    assert status == 0
    assert out.rstrip().endswith("OK: every ending is reachable and nothing soft-locks.")


def test_new_from_sample_copies_the_bundled_story(coldcase: Run, here: Path) -> None:
    status, out, _ = coldcase("new", "--from", "sample")
    assert status == 0
    assert out.startswith("Created sample/, a copy of the bundled story 'sample':\n")
    copied = load_story(here / "sample")
    assert copied.title == "The Dead Drop"
    for path in (here / "sample").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith(MODELINE)
        assert text.count("yaml-language-server") == 1
    status, _, _ = coldcase("new", "mine", "--from", "sample")
    assert status == 0
    assert load_story(here / "mine").id == "mine"


def test_new_refuses_an_existing_folder_and_leaves_it_alone(coldcase: Run, here: Path) -> None:
    (here / "taken").mkdir()
    (here / "taken" / "notes.txt").write_text("mine")
    status, out, err = coldcase("new", "taken")
    assert (status, out) == (1, "")
    assert err == "coldcase new: taken already exists: choose another name, or remove it first\n"
    assert os.listdir(here / "taken") == ["notes.txt"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["new", "My-Case"],
            "coldcase new: 'My-Case' is not a story id: use lowercase letters, digits and _, "
            "starting with a letter (e.g. 'my_case')\n",
        ),
        (["new"], "coldcase new: give the name of the story folder to create, e.g. 'coldcase new my_case'\n"),
        (
            ["new", "x", "--from", "nope"],
            "coldcase new: --from: no bundled story 'nope' (the bundled stories are ",
        ),
    ],
)
def test_new_misuse_is_one_line_and_exit_2(coldcase: Run, here: Path, argv: list[str], message: str) -> None:
    status, out, err = coldcase(*argv)
    assert (status, out) == (2, "")
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert os.listdir(here) == []


def test_new_under_a_file_fails_cleanly(coldcase: Run, here: Path) -> None:
    (here / "plain.txt").write_text("x")
    status, out, err = coldcase("new", "plain.txt/case")
    assert (status, out) == (1, "")
    assert err.startswith("coldcase new: cannot create plain.txt/case: ")
    assert "Traceback" not in err


def test_the_format_2_starter_fits_the_format_2_schema(tmp_path: Path) -> None:
    """The files `coldcase new` writes (format 2, the newest the loader reads) fit the format-2 schema."""
    from coldcase_game.story.schema import schema
    from coldcase_game.story.starter import starter_files

    files = []
    for name, text in starter_files("f2_case").items():
        assert text.startswith(MODELINE)
        files.append(tmp_path / name)
        files[-1].write_text(text, encoding="utf-8")
    assert "format: 2\n" in (tmp_path / "story.yaml").read_text()
    path = tmp_path / "v2.schema.json"
    path.write_text(json.dumps(schema(2)), encoding="utf-8")
    result = validate(path, *files)
    assert result.returncode == 0, result.stdout
