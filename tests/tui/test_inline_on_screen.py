"""Format 2 inline text on screen: `_emphasis_` is italic (a style, never markup: `[bold]x[/]`
stays as written), inline pieces show as rendered, and a scene without a title keeps the
heading shown last."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from tui_helpers import screen_text, sees, settle

from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

if TYPE_CHECKING:
    from conftest import AppFactory

MANIFEST = "format: 2\ntitle: Emphasis Case\nstart: hall\nflags:\n  cup: ''\n"
SCENES = """\
scenes:
  hall:
    title: The Hall
    text: |
      The lamp hums _quietly_ over file_name and [bold]x[/]{if cup:, again}.
    choices:
      - text: '{cycle: Lift|Raise} the _cup_'
        goto: porch
        do: {set: [cup]}
  porch:
    text: A porch, _cold_.
    choices:
      - text: Back in
        goto: hall
"""


def styled(app: App[Any], word: str) -> list[tuple[bool, bool]]:
    """(italic, bold) of each piece of the rendered screen that holds `word`."""
    return [
        (bool(segment.style.italic), bool(segment.style.bold))
        for strip in app.screen._compositor.render_strips()
        for segment in strip
        if word in segment.text and segment.style is not None
    ]


def story(tmp_path: Path) -> Story:
    root = tmp_path / "story"
    (root / "scenes").mkdir(parents=True)
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "scenes" / "s.yaml").write_text(SCENES, encoding="utf-8")
    return load_story(root)


async def test_emphasis_is_italic_and_story_text_is_never_markup(
    make_app: AppFactory, tmp_path: Path
) -> None:
    app = make_app(story(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert sees(app, "The lamp hums quietly over file_name and [bold]x[/].", "#narration")
        assert styled(app, "quietly") == [(True, False)]
        assert styled(app, "file_name") == [(False, False)]  # an underscore inside a word
        assert styled(app, "[bold]x[/]") == [(False, False)]  # shown as written, not bold
        assert sees(app, "1. Lift the cup", "#choices")  # the cycle's first part, without underscores
        assert [italic for italic, _ in styled(app, "cup")] == [True]


async def test_a_scene_without_title_keeps_the_last_heading(make_app: AppFactory, tmp_path: Path) -> None:
    app = make_app(story(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        narration = screen_text(app, "#narration")
        assert narration.lstrip().startswith("The Hall")  # the heading shown last stays
        assert sees(app, "A porch, cold.", "#narration")
        assert "Porch" not in narration
        await pilot.press("1")
        await settle(pilot)
        assert sees(app, "over file_name and [bold]x[/], again.", "#narration")  # `cup` is set now
        assert sees(app, "1. Raise the cup", "#choices")  # second visit: the cycle goes round


CHAIN = """\
scenes:
  hall:
    title: The Hall
    text: A hall.
    choices:
      - text: Go out
        goto: beat
  beat:
    text: You step _out_.
    next: porch
  porch:
    title: The Porch
    text: A porch.
    choices:
      - text: Back in
        goto: hall
"""


async def test_a_chain_that_starts_without_a_title_keeps_the_last_heading_on_top(
    make_app: AppFactory, tmp_path: Path
) -> None:
    root = tmp_path / "chain"
    (root / "scenes").mkdir(parents=True)
    (root / "story.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "scenes" / "s.yaml").write_text(CHAIN, encoding="utf-8")
    app = make_app(load_story(root))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert sees(app, "The Hall You step out. The Porch A porch.", "#narration")
        assert styled(app, "out") == [(True, False)]
