"""Format 2 on screen (issue 13, item 1): a choice's `then` text set apart, named variables in the
sidebar and the ending screen (hidden ones never), and both in the replay viewer and the history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from textual.widgets import Static
from tui_helpers import screen_text, sees, settle, top

from coldcase_game.session import Session
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story
from coldcase_game.tui.announce import then_content
from coldcase_game.tui.screens.ending import EndingScreen
from coldcase_game.tui.screens.history import HistoryScreen
from coldcase_game.tui.screens.play import PlayScreen
from coldcase_game.tui.screens.replay import ReplayData, ReplayScreen

if TYPE_CHECKING:
    from conftest import AppFactory

SAMPLE = Path(__file__).parents[2] / "scenes" / "sample"
THEN_FIRST = "He turns back to his kettle."
THEN_SECOND = '"Thirty winters," he says to the kettle, "and nobody ever pushed."'


@pytest.fixture(scope="module")
def sample() -> Story:
    """The sample case: format 2, a named variable `Leads` (0..3), a hidden one, a choice with `then`."""
    return load_story(SAMPLE)


def pressed_the_keeper(story: Story) -> Session:
    """The bench, the keeper's hut (Leads +1 on entering), then "Press him for more" (its `then`)."""
    session = Session(story)
    session.choose("ask_keeper")
    session.choose("press_keeper")
    return session


async def test_the_sidebar_shows_a_named_variable_with_bar_and_last_change(
    make_app: AppFactory, sample: Story
) -> None:
    app = make_app(sample)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert sees(app, "Stats Leads ░░░░░░░░░░ 0/3 Case journal", "#sidebar")
        await pilot.press("3")  # ask the keeper: his hut's on_enter adds a lead
        await settle(pilot)
        assert sees(app, "Leads ███░░░░░░░ 1/3 ▲1", "#sidebar")
        assert sees(app, "▲1 Leads up: 0 → 1", "#arrival")  # announced after the hut's narration
        await pilot.press("2")  # press him: no lead this step; the last change stays marked
        await settle(pilot)
        # only the named variable: `pushed` (no name, now 1) is never shown
        assert sees(app, "Stats Leads ███░░░░░░░ 1/3 ▲1 Case journal", "#sidebar")
        assert "pushed" not in screen_text(app, "#sidebar").lower()


async def test_a_story_without_named_variables_has_no_stats_heading(
    make_app: AppFactory, library: Story
) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert not sees(app, "Stats", "#sidebar")
        assert sees(app, "Trust", "#sidebar")


async def test_then_text_opens_the_next_screen_in_its_own_block_before_the_changes(
    make_app: AppFactory, sample: Story
) -> None:
    app = make_app(sample)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("3", "2")
        await settle(pilot)
        screen = top(app, PlayScreen)
        block = screen.query_one("#then", Static)
        assert block.display
        assert sees(app, f"{THEN_FIRST} {THEN_SECOND}", "#then")
        assert not sees(app, "trusts you less", "#then")  # the changes are not in the `then` block
        assert sees(app, "▼20 The park keeper trusts you less: 45 → 25", "#announce")
        text = screen_text(app)
        assert text.index(THEN_FIRST) < text.index("trusts you less") < text.index("The Bench")
        assert block.styles.text_style.italic  # styled apart from the scene's prose
        assert block.styles.border_top[0] != ""
        assert not screen.query_one("#narration").styles.text_style.italic
        await pilot.press("1")  # the next choice has no `then`: the block goes
        await settle(pilot)
        assert not block.display
        assert THEN_FIRST not in screen_text(app)


async def test_then_text_is_never_read_as_markup(make_app: AppFactory, sample: Story) -> None:
    session = pressed_the_keeper(sample)
    app = make_app(session=session)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = top(app, PlayScreen)
        screen.query_one("#then", Static).update(then_content(("[bold]x[/bold] and [@click=app.quit]y[/]",)))
        await settle(pilot)
        assert sees(app, "[bold]x[/bold] and [@click=app.quit]y[/]", "#then")


async def test_the_ending_screen_shows_final_stats_without_hidden_variables(
    make_app: AppFactory, sample: Story
) -> None:
    session = Session(sample)
    for choice in ("lamps", "bench", "blunt", "walk_away"):  # one lead (the chalk), one push (hidden)
        session.choose(choice)
    assert session.is_over
    app = make_app(session=session)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        top(app, EndingScreen)
        assert sees(app, "Final stats", "#ending-stats-heading")
        assert sees(app, "Leads ███░░░░░░░ 1/3 ▲1", "#ending-stats")
        assert "pushed" not in screen_text(app).lower()


async def test_replay_shows_then_block_and_stat_changes(make_app: AppFactory, sample: Story) -> None:
    app = make_app(replay=ReplayData.from_session(pressed_the_keeper(sample)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = top(app, ReplayScreen)
        assert not screen.query_one("#then", Static).display  # step 0: nothing led here
        await pilot.press("right")  # the keeper's hut
        await settle(pilot)
        assert sees(app, "▲1 Leads up: 0 → 1", "#arrival")
        assert sees(app, "Leads ███░░░░░░░ 1/3 ▲1", "#sidebar")
        await pilot.press("right")  # back at the bench, after pressing him
        await settle(pilot)
        assert sees(app, f"{THEN_FIRST} {THEN_SECOND}", "#then")
        assert screen.query_one("#then", Static).styles.text_style.italic
        assert sees(app, "trusts you less: 45 → 25", "#announce")


async def test_history_shows_then_text_and_stat_changes(make_app: AppFactory, sample: Story) -> None:
    app = make_app(session=pressed_the_keeper(sample))
    async with app.run_test(size=(120, 50)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        top(app, HistoryScreen)
        await pilot.press("home")
        await settle(pilot)
        text = " ".join(screen_text(app).split())
        assert "▲1 Leads up: 0 → 1" in text
        chose = text.index("You chose: Press him for more.")
        assert chose < text.index(THEN_FIRST) < text.index("trusts you less: 45 → 25")
