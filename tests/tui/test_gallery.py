"""The endings gallery on the title screen: titles found, ??? for the rest, kept in progress.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from tui_helpers import screen_text, sees, settle

from coldcase_game.session.progress import Progress
from coldcase_game.tui.screens.title import TitleScreen

if TYPE_CHECKING:
    from coldcase_game.story.model import Story
    from conftest import AppFactory


async def test_the_gallery_shows_found_titles_and_hides_the_rest(
    make_app: AppFactory, saves_dir: Path
) -> None:
    Progress(saves_dir).record_ending("library", "Walking Away")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert sees(app, "Endings found: 1 of 3")
        assert sees(app, "??? · ✓ Walking Away · ???")  # story order: The Long Night, Walking Away, Burned
        text = screen_text(app)
        assert "The Long Night" not in text
        assert "Burned" not in text


async def test_an_ending_reached_joins_the_gallery_and_the_progress_file(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert sees(app, "Endings found: 0 of 3")
        assert sees(app, "??? · ??? · ???")
        await pilot.press("enter")  # the first case: the librarian
        await settle(pilot)
        await pilot.press("1", "1", "1")  # to The Long Night
        await settle(pilot)
        assert sees(app, "THE END")
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert sees(app, "Endings found: 1 of 3")
        assert sees(app, "✓ The Long Night · ??? · ???")
    doc = json.loads((saves_dir / "progress.json").read_text(encoding="utf-8"))
    assert doc["endings"] == {"library": ["The Long Night"]}


async def test_a_found_title_the_story_no_longer_has_is_not_counted(
    make_app: AppFactory, saves_dir: Path
) -> None:
    Progress(saves_dir).record_ending("library", "An Ending Since Cut")
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert sees(app, "Endings found: 0 of 3")
        assert not sees(app, "An Ending Since Cut")
