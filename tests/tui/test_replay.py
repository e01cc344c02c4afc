"""The replay viewer: step through a game with → ← n p, Home/End, space auto-play; trust and journal
per step."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tui_helpers import sees, top

from coldcase_game.session import Session
from coldcase_game.story.model import Story
from coldcase_game.tui.screens import replay as replay_module
from coldcase_game.tui.screens.replay import ReplayData, ReplayScreen

if TYPE_CHECKING:
    from conftest import AppFactory


def played(library: Story) -> Session:
    session = Session(library)
    for choice in ("talk_mira", "reading_room", "show_message", "confront", "promise"):
        session.choose(choice)
    return session


async def test_stepping_shows_each_step_with_trust_and_journal_as_they_were(
    make_app: AppFactory, library: Story
) -> None:
    app = make_app(replay=ReplayData.from_session(played(library)))
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, ReplayScreen)
        assert sees(app, "Step 0 of 5")
        assert sees(app, "The Reading Room", "#narration")
        assert sees(app, "→ You chose: Talk to the woman at the next table.")
        assert sees(app, "Almasbek Clarke ███░░░░░░░ 30", "#sidebar")
        assert sees(app, "No clues yet.", "#sidebar")

        await pilot.press("right", "n")
        assert sees(app, "Step 2 of 5")
        assert sees(app, "▲5 Mira Persson trusts you more: 60 → 65", "#announce")
        assert sees(app, "Mira Persson ███████░░░ 65 ▲5", "#sidebar")

        await pilot.press("n")
        assert sees(app, "Step 3 of 5")
        assert sees(app, "The Basement", "#narration")
        assert sees(app, "1. A message on the laptop names a street in East Berlin.", "#sidebar")
        assert sees(app, "2. A photograph of Clarke in uniform", "#sidebar")

        await pilot.press("p", "left")
        assert sees(app, "Step 1 of 5")
        assert sees(app, "No clues yet.", "#sidebar")

        await pilot.press("end")
        assert sees(app, "Step 5 of 5")
        assert sees(app, "The end: The Long Night")
        assert sees(app, "Almasbek Clarke ███████░░░ 70", "#sidebar")

        await pilot.press("home")
        assert sees(app, "Step 0 of 5")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_space_plays_by_itself_and_pauses(
    make_app: AppFactory, library: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(replay_module, "AUTO_PLAY_SECONDS", 0.05)
    app = make_app(replay=ReplayData.from_session(played(library)))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = top(app, ReplayScreen)
        await pilot.press("space")
        for _ in range(200):
            if screen.index == screen.last_index:
                break
            await pilot.pause(0.05)
        assert screen.index == 5
        assert not screen.playing  # it stops by itself at the last step
        assert sees(app, "Step 5 of 5")

        monkeypatch.setattr(replay_module, "AUTO_PLAY_SECONDS", 60)
        await pilot.press("space")  # at the end: starts over from the first step
        assert screen.playing
        assert screen.index == 0
        assert sees(app, "▶ playing (space pauses)")
        await pilot.press("space")
        assert not screen.playing
        assert not sees(app, "playing")


async def test_a_divergence_report_is_shown_as_a_banner(make_app: AppFactory, library: Story) -> None:
    session = Session(library)
    session.choose("show_message")
    report = ["The story has changed since this save: step 2 ...", "The save fits up to step 1 of 3."]
    app = make_app(replay=ReplayData.from_session(session, report))
    async with app.run_test(size=(100, 30)) as pilot:
        assert sees(app, "The save fits up to step 1 of 3.", "#replay-report")
        await pilot.press("end")
        assert sees(app, "The saved game stops here.")


def test_run_replay_viewer_accepts_a_load_result(
    monkeypatch: pytest.MonkeyPatch, library: Story, tmp_path: Path
) -> None:
    """The entry point the `coldcase replay` command calls (the app itself is not run here)."""
    import coldcase_game.tui as tui
    from coldcase_game.tui.app import ColdCaseApp

    seen: dict[str, Any] = {}

    def fake_run(self: ColdCaseApp, *args: object, **kwargs: object) -> None:
        seen["data"] = self._replay
        seen["saves"] = self.services.saves_dir
        self._return_code = 0

    monkeypatch.setattr(ColdCaseApp, "run", fake_run)

    class Info:
        path = tmp_path / "saves" / "night.json"

    class Result:
        session = played(library)
        info = Info()

        def report(self) -> list[str]:
            return ["a line"]

    assert tui.run_replay(Result()) == 0
    assert seen["data"].report == ("a line",)
    assert len(seen["data"].steps) == 6
    assert seen["saves"] == tmp_path / "saves"
