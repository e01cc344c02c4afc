"""docs/tutorial.md is true: its files, built up step by step as the reader does, give the output
it shows for new, check, explore, stats and graph."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.authoring.conftest import Run

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"


def blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), re.S)


def replace_scene(text: str, fragment: str) -> str:
    """Put a scene as the tutorial shows it in place of the scene of that id in a scene file."""
    match = re.match(r"  ([a-z][a-z0-9_]*):\n", fragment)
    assert match, fragment
    old = re.search(rf"^  {match.group(1)}:\n(?:    .*\n|      .*\n)*", text, re.M)
    assert old, match.group(1)
    return text[: old.start()] + fragment + text[old.end() :]


def shown(expected: str, actual: str) -> None:
    """Every line the tutorial shows is in the output, in order; '...' stands for lines left out."""
    lines = actual.splitlines()
    at = 0
    for line in expected.rstrip("\n").splitlines():
        if line.strip() == "...":
            continue
        try:
            at = lines.index(line, at) + 1
        except ValueError:
            pytest.fail(f"the tutorial shows {line!r}, which the command does not print here:\n{actual}")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_tutorial_from_new_to_a_proven_story(coldcase: Run, here: Path) -> None:
    text = blocks("text")
    manifest, draft, shore, deck = blocks("yaml")
    new_out, modeline, _watch, check_out, failed_out, proven_out, mermaid_out, stats_out = text

    status, out, _ = coldcase("new", "the_ferry")
    assert status == 0
    assert out == new_out
    folder = here / "the_ferry"
    assert (folder / "story.yaml").read_text(encoding="utf-8").startswith(modeline)

    (folder / "story.yaml").write_text(manifest, encoding="utf-8")
    (folder / "case.yaml").unlink()
    scenes = folder / "quay.yaml"
    scenes.write_text(draft, encoding="utf-8")
    status, out, _ = coldcase("check", "the_ferry")
    assert (status, out.replace("\\", "/")) == (0, check_out)  # the same on Windows

    scenes.write_text(replace_scene(draft, shore), encoding="utf-8")
    status, out, _ = coldcase("check", "the_ferry")
    assert (status, out) == (0, "0 errors, 0 warnings in 2 files\n")
    status, out, _ = coldcase("explore", "the_ferry")
    assert status == 1
    shown(failed_out, out)

    scenes.write_text(replace_scene(replace_scene(draft, shore), deck), encoding="utf-8")
    status, out, _ = coldcase("check", "the_ferry")
    assert (status, out) == (0, "0 errors, 0 warnings in 2 files\n")
    status, out, _ = coldcase("explore", "the_ferry")
    assert (status, out) == (0, proven_out)
    status, out, _ = coldcase("stats", "the_ferry")
    assert (status, out) == (0, stats_out)
    status, out, _ = coldcase("graph", "the_ferry")
    assert status == 0
    shown(mermaid_out, out)


def test_the_watch_transcript_is_what_a_reload_prints(here: Path) -> None:
    """Section 3 quotes a plain --watch session on the finished case: replay it through the session
    layer (the e2e tests drive the real watcher) and find each reload line in the quote."""
    from coldcase_game.session import Session
    from coldcase_game.session.live import LiveStory
    from coldcase_game.story.loader import load_story

    manifest, draft, shore, deck = blocks("yaml")
    watch = blocks("text")[2]
    folder = here / "the_ferry"
    folder.mkdir()
    (folder / "story.yaml").write_text(manifest, encoding="utf-8")
    scenes = folder / "quay.yaml"
    final = replace_scene(replace_scene(draft, shore), deck)
    scenes.write_text(final, encoding="utf-8")
    story = load_story(Path("the_ferry"))
    session = Session(story)
    session.choose_number(1)
    live = LiveStory(Path("the_ferry"), story)
    coat = "trust: {ilse: +10}\n        then: She pulls"  # the deck's coat, not the quay's tickets
    scenes.write_text(final.replace(coat, coat.replace("+10", "10")))
    broken = live.reload(session, ("quay.yaml",))
    scenes.write_text(final.replace("out into the fog.\n", "out into the fog. Gulls follow it.\n", 1))
    fixed = live.reload(session, ("quay.yaml",))
    assert (broken.kind, fixed.kind) == ("errors", "fits")
    shown("\n".join(line.replace("\\", "/") for line in broken.lines() + fixed.lines()), watch)
    assert "The ferry shudders out into the fog. Gulls follow it." in watch
    assert fixed.session.narration()[0] == "The ferry shudders out into the fog. Gulls follow it."


def test_the_readme_links_the_tutorial() -> None:
    readme = (TUTORIAL.parents[1] / "README.md").read_text(encoding="utf-8")
    assert "(docs/tutorial.md)" in readme
    assert "(editors.md)" in TUTORIAL.read_text(encoding="utf-8")
