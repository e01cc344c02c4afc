"""Format 2's `next` chains on screen (issue 10, item 2): the scenes a step flows through show on
one screen, each text followed by its own `on_enter` changes, in the game, the replay viewer and
the history."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tui_helpers import flat, screen_text, sees, settle, top

from coldcase_game.session import Session
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story
from coldcase_game.tui.screens.history import HistoryScreen
from coldcase_game.tui.screens.play import PlayScreen
from coldcase_game.tui.screens.replay import ReplayData, ReplayScreen

if TYPE_CHECKING:
    from conftest import AppFactory

TEA_ROOM = Path(__file__).parent / "fixtures" / "tea_room"


@pytest.fixture(scope="module")
def tea() -> Story:
    return load_story(TEA_ROOM)


def in_order(text: str, *parts: str) -> bool:
    """Whether every part is on the screen, each after the one before."""
    at = 0
    text = flat(text)
    for part in parts:
        found = text.find(flat(part), at)
        if found < 0:
            return False
        at = found + len(flat(part))
    return True


async def test_a_chain_shows_as_one_screen_with_each_scenes_changes_after_its_text(
    make_app: AppFactory, tea: Story
) -> None:
    app = make_app(tea)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")  # drink the tea: sitting room -> confession -> answer, one step
        await settle(pilot)
        top(app, PlayScreen)
        assert sees(app, "You drink it in one go.", "#then")
        assert sees(app, "New clue: The tea tasted of almonds.", "#announce")
        narration = screen_text(app, "#narration")
        assert in_order(
            narration,
            "The Sitting Room",
            "You sit. The clock ticks.",
            "Harris trusts you more: 50 → 55",
            "The Confession",
            "I've done things,\" Harris begins.",
            "The room tilts.",
            "Nerve up: 0 → 1",
            "The Answer",
            "He waits for an answer.",
        )
        assert sees(app, "1. Fall asleep.")
        assert not sees(app, "Leave the cup.")  # the porch is gone: the chain was one step


async def test_the_replay_viewer_and_history_show_the_chain_under_its_one_step(
    make_app: AppFactory, tea: Story
) -> None:
    session = Session(tea)
    session.choose("refuse")
    app = make_app(replay=ReplayData.from_session(session))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        top(app, ReplayScreen)
        assert sees(app, "Step 0 of 1")
        await pilot.press("right")
        await settle(pilot)
        assert sees(app, "Step 1 of 1")  # no step for the scenes passed through
        assert in_order(
            screen_text(app, "#narration"),
            "You sit. The clock ticks.",
            "Harris trusts you more: 50 → 55",
            "I've done things",
            "Nerve up: 1 → 2",
            "He waits for an answer.",
            "You keep your guard up.",
        )
    app = make_app(session=session)
    async with app.run_test(size=(100, 60)) as pilot:
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        top(app, HistoryScreen)
        assert in_order(
            screen_text(app),
            "Step 0",
            "The Porch",
            "You chose: Leave the cup.",
            "Step 1",
            "The Sitting Room",
            "Harris trusts you more: 50 → 55",
            "The Confession",
            "Nerve up: 1 → 2",
            "The Answer",
        )
