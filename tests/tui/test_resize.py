"""Terminal sizes: 80×24 and larger, the folded sidebar at 60×20, the 'enlarge' message below the minimum."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from tui_helpers import screen_text, sees, settle, top

from coldcase_game.story.model import Story
from coldcase_game.tui.app import ColdCaseApp
from coldcase_game.tui.screens.play import PlayScreen
from coldcase_game.tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

if TYPE_CHECKING:
    from conftest import AppFactory


def sidebar_shown(app: ColdCaseApp) -> bool:
    return app.screen.query_one("#sidebar").region.width > 0


async def test_sidebar_folds_away_at_60x20_and_j_shows_it(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("1")
        assert not sidebar_shown(app)
        assert not sees(app, "Case journal")
        assert sees(app, "The Basement")
        assert sees(app, "▲10 Almasbek Clarke trusts you more: 30 → 40", "#announce")
        assert sees(app, "1. Tell him you know what the photograph means.")

        await pilot.press("j")
        assert sidebar_shown(app)
        assert sees(app, "Almasbek Clarke ████░░░░░░ 40 ▲10", "#sidebar")
        assert sees(app, "1. A message on the laptop names a street in East Berlin.", "#sidebar")

        await pilot.press("j")
        assert not sidebar_shown(app)
        assert sees(app, "The Basement")


async def test_j_hides_the_sidebar_on_a_wide_terminal_too(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        assert sidebar_shown(app)
        await pilot.press("j")
        assert not sidebar_shown(app)
        assert sees(app, "The Reading Room")


async def test_too_small_shows_a_message_and_recovers(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await pilot.resize_terminal(60, 20)
        assert isinstance(app.screen, PlayScreen)
        assert not sidebar_shown(app)

        await pilot.resize_terminal(30, 8)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert sees(app, "Enlarge the terminal.")
        assert sees(app, f"Cold Case needs at least {MIN_WIDTH}×{MIN_HEIGHT}; this one is 30×8.")

        await pilot.resize_terminal(40, 10)
        await settle(pilot)
        assert sees(app, "this one is 40×10.")

        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert sidebar_shown(app)
        assert sees(app, "The Basement")
        assert top(app, PlayScreen).session.steps == 1


async def test_starting_in_a_tiny_terminal_shows_the_message(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(30, 8)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        assert sees(app, "Enlarge the terminal.")
        await pilot.press("q")
    assert app.return_code == 0


@pytest.mark.parametrize("start", ["title", "play"])
async def test_no_size_crashes(make_app: AppFactory, library: Story, start: str) -> None:
    app = make_app(library if start == "play" else None)
    sizes = [(1, 1), (5, 2), (20, 5), (43, 13), (44, 14), (45, 30), (61, 19), (75, 24), (200, 60), (80, 24)]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for width, height in sizes:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
        await settle(pilot)
        if start == "play":
            await pilot.press("1", "h", "escape", "question_mark", "escape")
        assert screen_text(app).strip()
