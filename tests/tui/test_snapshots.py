"""Snapshot tests (pytest-textual-snapshot). Deterministic: animations off, no clock, fixture stories.

Update with: .venv/bin/python -m pytest tests/tui/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest
from textual.pilot import Pilot

from coldcase_game.session import Session
from coldcase_game.story.model import Story
from coldcase_game.tui.screens.replay import ReplayData

if TYPE_CHECKING:
    from conftest import AppFactory, SnapCompare


def run(*keys: str, wait_workers: bool = False) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def before(pilot: Pilot[Any]) -> None:
        await pilot.pause()  # the first scene is laid out before a key arrives, as for a player
        if wait_workers:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        if keys:
            await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return before


def test_title_80x24(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run(wait_workers=True))


def test_play_80x24(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=run())


def test_play_120x40_after_a_choice(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(120, 40), run_before=run("1"))


def test_play_60x20_sidebar_folded(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(60, 20), run_before=run("1"))


def test_play_60x20_sidebar_shown(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(60, 20), run_before=run("1", "j"))


def test_locked_choice_skipped_by_the_highlight(
    snap_compare: SnapCompare, make_app: AppFactory, library: Story
) -> None:
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=run("down"))


def test_ending_screen(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=run("1", "1", "1"))


def test_untrusted_markup_shown_literally(
    snap_compare: SnapCompare, make_app: AppFactory, markup_story: Story
) -> None:
    assert snap_compare(make_app(markup_story), terminal_size=(80, 24), run_before=run())


def test_no_color(
    snap_compare: SnapCompare, make_app: AppFactory, library: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # read when the app is built
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=run("1"))


def test_too_small_30x8(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(30, 8), run_before=run())


def test_help_dialog(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=run("question_mark"))


def test_replay_viewer(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    session = Session(library)
    for choice in ("show_message", "confront"):
        session.choose(choice)
    app = make_app(replay=ReplayData.from_session(session))
    assert snap_compare(app, terminal_size=(100, 30), run_before=run("n", "n"))


def test_six_choices_all_visible_at_80x24(
    snap_compare: SnapCompare, make_app: AppFactory, crowded: Story
) -> None:
    assert snap_compare(make_app(crowded), terminal_size=(80, 24), run_before=run())


def test_ten_choices_scroll_and_say_so_at_80x24(
    snap_compare: SnapCompare, make_app: AppFactory, crowded: Story
) -> None:
    assert snap_compare(make_app(crowded), terminal_size=(80, 24), run_before=run("1"))


def test_help_dialog_100x30(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(100, 30), run_before=run("question_mark"))


def test_play_44x14_footer_fits(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(44, 14), run_before=run())


def test_case_map_80x24(snap_compare: SnapCompare, make_app: AppFactory, library: Story) -> None:
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=run("3", "1", "1", "m"))


def test_case_map_no_color(
    snap_compare: SnapCompare, make_app: AppFactory, library: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=run("3", "1", "m"))
