"""Layout from a player's test in tmux: every choice in view, the help and the footer not cut off,
no stray frame beside a locked choice, the palette's typewriter entry, the ending's box, one title."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from test_palette_and_theme import palette
from test_typewriter import slow_typing  # noqa: F401 (a fixture)
from textual.app import App
from textual.widgets._footer import FooterKey
from tui_helpers import flat, screen_text, sees, settle, top

from coldcase_game.settings import Settings
from coldcase_game.tui.screens.play import PlayScreen
from coldcase_game.tui.widgets.choices import ChoiceList
from coldcase_game.tui.widgets.narration import Narration

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen

    from coldcase_game.story.model import Story
    from coldcase_game.tui.services import Services
    from conftest import AppFactory


HALL_CHOICES = (
    "1. Open the first door, the one nearest the coats.",
    "2. Ask the host which door he would choose.",
    "Knock on the door with the piano behind it.",
    "locked: The host steps in front of it.",
    "3. Take a glass from the tray.",
    "4. Wait by the window and listen.",
    "5. Leave by the way you came in.",
)


async def test_six_choices_are_all_visible_at_80x24(make_app: AppFactory, crowded: Story) -> None:
    app = make_app(crowded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = screen_text(app, "#choices")
        for text in HALL_CHOICES:
            assert flat(text) in flat(shown), text
        assert app.screen.query_one(ChoiceList).max_scroll_y == 0
        assert app.screen.query_one(ChoiceList).border_subtitle == ""
        assert sees(app, "The Hall of Doors")  # the narration keeps rows of its own


async def test_six_choices_are_all_visible_at_the_smallest_size(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(44, 14)) as pilot:
        await settle(pilot)
        for text in ("1. Show him the message.", "locked: He isn't ready", "3. Leave the library."):
            assert sees(app, text, "#choices"), text


async def test_more_than_six_choices_scroll_and_keep_the_highlight_in_view(
    make_app: AppFactory, crowded: Story
) -> None:
    app = make_app(crowded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        choices = app.screen.query_one(ChoiceList)
        assert choices.border_subtitle == "more ↓"
        assert sees(app, "more ↓")
        assert not sees(app, "Go back to the hall.")
        await pilot.press(*["down"] * 9)  # to the tenth choice, below the fold
        await settle(pilot)
        assert choices.highlighted == 9
        assert sees(app, "Go back to the hall.", "#choices")
        assert choices.border_subtitle == "↑ more"
        await pilot.press("enter")
        await settle(pilot)
        assert top(app, PlayScreen).session.state.scene == "hall"


HELP_LAST_LINE = "Enter go back to an earlier step (the choices after it are undone)"


async def test_the_help_dialog_fits_at_100x40(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        dialog = app.screen.query_one("#help-dialog")
        assert dialog.region.bottom <= 39  # above the footer
        assert dialog.border_subtitle == "Esc closes"  # and nothing to scroll
        assert sees(app, "Esc closes")
        assert sees(app, "Help")
        assert sees(app, HELP_LAST_LINE, "#help-scroll")


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
async def test_the_help_dialog_scrolls_and_says_so_when_it_cannot_fit(
    make_app: AppFactory, library: Story, size: tuple[int, int]
) -> None:
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert app.screen.query_one("#help-dialog").region.bottom <= size[1] - 1  # above the footer
        assert sees(app, "Help")
        assert sees(app, "↑↓ scroll · Esc closes")
        await pilot.press("end")
        await settle(pilot)
        assert sees(app, HELP_LAST_LINE, "#help-scroll")


@pytest.mark.parametrize("keys", [(), ("1", "1", "1")], ids=["play", "ending"])
async def test_the_footer_is_never_cut_off_at_44x14(
    make_app: AppFactory, library: Story, keys: tuple[str, ...]
) -> None:
    app = make_app(library)
    async with app.run_test(size=(44, 14)) as pilot:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        shown = [k for k in app.screen.query(FooterKey) if k.display]
        assert all(k.region.right <= 44 for k in shown), [(k.description, k.region) for k in shown]
        footer = screen_text(app).splitlines()[-1]
        assert "? Help" in footer
        assert "q Quit" in footer
        assert footer.split()[0] in ("1-9", "r")  # the screen's main key stays first


async def test_no_frame_shows_a_locked_choice_without_its_hint(
    make_app: AppFactory, library: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every frame drawn (not only the last) has the 'locked:' line under a locked choice's ✕:
    a frame at the old list height showed the ✕ beside the border's ─ line."""
    frames: list[list[str]] = []
    display = App._display

    def record(self: App[Any], screen: Screen[Any], renderable: RenderableType | None) -> None:
        if renderable is not None:
            frames.append([strip.text for strip in screen._compositor.render_strips()])
        display(self, screen, renderable)

    monkeypatch.setattr(App, "_display", record)
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in ("1", "u", "3", "1", "u", "u", "3", "2"):
            await pilot.press(key)
            await settle(pilot)
    broken = [
        (n, row)
        for n, frame in enumerate(frames)
        for row, line in enumerate(frame)
        if "✕" in line and (row + 1 >= len(frame) or "locked:" not in frame[row + 1])
    ]
    assert len(frames) > 8
    assert broken == []


@pytest.mark.usefixtures("slow_typing")
async def test_palette_typewriter_entry_says_what_this_run_does(
    make_app: AppFactory, services: Services, library: Story
) -> None:
    """Under --no-animation the saved setting is on, but this run types nothing: the entry offers 'on'."""
    services.animation = False  # what --no-animation gives
    services.settings = Settings(animation=True)
    app = make_app(library)
    app.animation_level = "full"
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not app.typewriter
        await palette(pilot, "typewriter")
        assert sees(app, "Typewriter animation on")
        assert not sees(app, "Typewriter animation off")
        await pilot.press("enter")
        await settle(pilot)
        assert app.typewriter  # on now, for this run too
        await pilot.press("1")
        assert app.screen.query_one(Narration).revealing
        await pilot.press("x")
        await palette(pilot, "typewriter")
        assert sees(app, "Typewriter animation off")


async def test_the_ending_title_box_has_straight_edges(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1")
        await settle(pilot)
        rows = screen_text(app).splitlines()
        top = next(r for r in rows if "┏" in r)
        middle = next(r for r in rows if "The Long Night" in r)
        bottom = next(r for r in rows if "┗" in r)
        assert top.index("┓") == middle.rindex("┃") == bottom.index("┛")
        assert top.index("┏") == middle.index("┃") == bottom.index("┗")
        body = app.screen.query_one("#ending-body")
        assert body.styles.scrollbar_size_vertical == 1  # one thin bar, as in the play screen


async def test_the_scene_title_is_shown_once(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert screen_text(app).count("The Reading Room") == 1
        assert "The Librarian" in screen_text(app).splitlines()[0]  # the header names the case
