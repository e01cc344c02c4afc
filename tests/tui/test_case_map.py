"""The case map (key m, and the palette): the game so far as a flowchart; going back is undo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from test_palette_and_theme import palette
from tui_helpers import screen_text, sees, settle, top

from coldcase_game.session import Session
from coldcase_game.session.case_map import Branch, case_map
from coldcase_game.session.progress import Progress
from coldcase_game.tui.screens.case_map import CaseMapScreen
from coldcase_game.tui.screens.confirm import ConfirmDialog
from coldcase_game.tui.screens.play import PlayScreen

if TYPE_CHECKING:
    from coldcase_game.story.model import Story
    from conftest import AppFactory


def played(story: Story, *choices: str) -> Session:
    session = Session(story)
    for choice in choices:
        session.choose(choice)
    return session


def test_the_map_follows_the_log_and_hides_unvisited_scenes(library: Story) -> None:
    session = played(library, "leave", "go_back", "show_message")
    steps = case_map(session)
    assert [(s.number, s.title, s.chosen) for s in steps] == [
        (0, "The Reading Room", "Leave the library."),
        (1, "The Street", "Go back inside."),
        (2, "The Reading Room", "Show him the message."),
        (3, "The Basement", None),
    ]
    assert steps[0].branches == (
        Branch("Show him the message.", leads_to="The Basement"),  # visited later in this game
        Branch("Ask about Berlin.", locked="He isn't ready to hear it."),  # to Berlin, never visited: "?"
        Branch("Talk to the woman at the next table."),  # to Mira's table, never visited: "?"
    )
    assert steps[1].branches == (Branch("Walk away for good."),)  # an ending not found: "?"
    assert steps[3].is_current
    assert [b.text for b in steps[3].branches] == [
        "Tell him you know what the photograph means.",
        "Pretend you saw nothing.",
    ]


def test_endings_found_in_earlier_games_are_marked(library: Story) -> None:
    steps = case_map(played(library, "leave"), endings_found={"Walking Away"})
    assert steps[1].branches == (
        Branch("Go back inside.", leads_to="The Reading Room"),
        Branch("Walk away for good.", ending_found="Walking Away"),
    )


async def test_m_shows_the_map_with_question_marks_and_no_unvisited_title(
    make_app: AppFactory, library: Story
) -> None:
    app = make_app(session=played(library, "leave", "go_back"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, CaseMapScreen)
        assert sees(app, "Case map: 2 choices so far")
        assert sees(app, "● The Reading Room step 0")
        assert sees(app, "▼ Leave the library.")
        assert sees(app, "└─ Walk away for good. → ?")
        assert sees(app, "◆ The Reading Room ← you are here step 2")
        assert sees(app, "Ask about Berlin. (locked: He isn't ready to hear it.) → ?")
        text = screen_text(app)
        for unvisited in ("The Basement", "Berlin, 1979", "The Next Table", "Walking Away"):
            assert unvisited not in text, unvisited
        await pilot.press("escape")
        assert top(app, PlayScreen).session.steps == 2


async def test_picking_an_earlier_step_asks_then_goes_back_to_it(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    app = make_app(session=played(library, "leave", "go_back", "show_message"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("up", "up")  # from step 3 (here) to step 1, The Street
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert sees(app, "Go back to step 1?")
        assert sees(app, "Back to The Street, taking back the last 2 choices.")
        await pilot.press("n")  # stay: nothing changes
        await settle(pilot)
        assert isinstance(app.screen, CaseMapScreen)
        await pilot.press("enter", "y")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert top(app, PlayScreen).session.log == (("reading_room", "leave"),)
        assert sees(app, "The door swings shut behind you.")
    from coldcase_game.session.saves import SaveStore

    autosave = SaveStore(saves_dir).info("autosave")
    assert autosave is not None
    assert autosave.steps == 1  # the undo was autosaved


async def test_a_click_on_a_step_offers_to_go_back(make_app: AppFactory, library: Story) -> None:
    app = make_app(session=played(library, "leave"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        listing = app.screen.query_one("#map")
        await pilot.click(listing, offset=(4, 1))  # the first step's heading
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert sees(app, "Go back to step 0?")
        await pilot.press("y")
        await settle(pilot)
        assert top(app, PlayScreen).session.steps == 0


async def test_the_current_step_is_where_you_are(make_app: AppFactory, library: Story) -> None:
    app = make_app(session=played(library, "leave"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseMapScreen)
        assert sees(app, "This is where you are.")


async def test_the_palette_opens_the_map_and_found_endings_are_marked(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    Progress(saves_dir).record_ending("library", "Walking Away")
    app = make_app(session=played(library, "leave"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await palette(pilot, "case map")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseMapScreen)
        assert sees(app, "Walk away for good. → ★ Walking Away (found before)")


@pytest.mark.parametrize("size", [(80, 24), (44, 14)])
async def test_the_map_is_readable_under_no_color(
    make_app: AppFactory, library: Story, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(session=played(library, "leave", "go_back"))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert sees(app, "you are here")
        assert sees(app, "→ ?")


async def test_the_map_of_a_finished_game_goes_back_from_the_ending(
    make_app: AppFactory, library: Story
) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("1", "1", "1")  # The Long Night
        await settle(pilot)
        assert sees(app, "THE END")
        await pilot.press("m")
        await settle(pilot)
        assert sees(app, "★ The Long Night ending: The Long Night step 3")
        await pilot.press("up", "up", "enter", "y")  # back to step 1, the basement
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert top(app, PlayScreen).session.steps == 1
        assert sees(app, "The basement smells of damp paper.")
