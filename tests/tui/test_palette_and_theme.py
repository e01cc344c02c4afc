"""Command palette entries for the game's commands, and the theme remembered between runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.command import CommandPalette
from textual.pilot import Pilot
from tui_helpers import sees, settle, top

from coldcase_game.settings import load_settings
from coldcase_game.story.model import Story
from coldcase_game.tui.screens.help import HelpScreen
from coldcase_game.tui.screens.history import HistoryScreen
from coldcase_game.tui.screens.play import PlayScreen
from coldcase_game.tui.services import Services

if TYPE_CHECKING:
    from conftest import AppFactory


async def palette(pilot: Pilot[Any], query: str) -> None:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    await pilot.press(*query)
    await settle(pilot)


async def test_palette_lists_the_game_commands(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("ctrl+p")
        await settle(pilot)
        for entry in (
            "Undo",
            "History",
            "Help",
            "Save",
            "Sidebar",
            "Back to title",
            "Theme",
            "Quit",
            "Typewriter animation",
        ):
            assert sees(app, entry), entry


async def test_palette_runs_undo_history_and_help(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await palette(pilot, "undo")
        await pilot.press("enter")
        await settle(pilot)
        assert top(app, PlayScreen).session.steps == 0
        assert sees(app, "The Reading Room")

        await palette(pilot, "history")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")

        await palette(pilot, "help")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)


async def test_theme_is_remembered_between_runs(
    make_app: AppFactory, library: Story, saves_dir: Path, services: Services
) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await settle(pilot)
    assert load_settings(saves_dir).theme == "nord"

    services.settings = load_settings(saves_dir)
    again = make_app(library)
    async with again.run_test(size=(80, 24)):
        assert again.theme == "nord"


async def test_unknown_theme_in_settings_falls_back(
    make_app: AppFactory, library: Story, services: Services
) -> None:
    services.settings = services.settings.with_theme("no-such-theme")
    app = make_app(library)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "textual-dark"
