"""The typewriter reveal: on by default, any key completes it, and it can be turned off three ways."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tui_helpers import sees, top

from coldcase_game.settings import Settings, load_settings
from coldcase_game.story.model import Story
from coldcase_game.tui import animations_allowed
from coldcase_game.tui.app import ColdCaseApp
from coldcase_game.tui.screens.play import PlayScreen
from coldcase_game.tui.services import Services
from coldcase_game.tui.widgets import narration
from coldcase_game.tui.widgets.narration import Narration

if TYPE_CHECKING:
    from conftest import AppFactory


@pytest.fixture
def slow_typing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slow enough that no test machine finishes a scene before the test looks at it."""
    monkeypatch.setattr(narration, "CHARS_PER_SECOND", 30)


def typing_app(make_app: AppFactory, services: Services, library: Story) -> ColdCaseApp:
    services.animation = True
    app = make_app(library)
    app.animation_level = "full"
    return app


async def test_text_is_typed_and_any_key_shows_it_all(
    make_app: AppFactory, services: Services, library: Story, slow_typing: None
) -> None:
    app = typing_app(make_app, services, library)
    async with app.run_test(size=(80, 24)) as pilot:
        text = app.screen.query_one(Narration)
        assert text.revealing
        assert not sees(app, '"We close at six," he says.')
        await pilot.press("x")
        assert not text.revealing
        assert sees(app, '"We close at six," he says.')
        assert top(app, PlayScreen).session.steps == 0  # the key only finished the reveal

        await pilot.press("1")  # now it chooses; the next scene is typed again
        assert top(app, PlayScreen).session.steps == 1
        assert text.revealing
        await pilot.press("1")  # a number key while typing does not choose
        assert top(app, PlayScreen).session.steps == 1
        assert sees(app, "The basement smells of damp paper.")


async def test_reveal_finishes_by_itself(
    make_app: AppFactory, services: Services, library: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(narration, "CHARS_PER_SECOND", 30_000)
    app = typing_app(make_app, services, library)
    async with app.run_test(size=(80, 24)) as pilot:
        text = app.screen.query_one(Narration)
        for _ in range(200):  # at most ~10 s on a very busy machine; normally one tick
            if not text.revealing:
                break
            await pilot.pause(0.05)
        assert not text.revealing
        await pilot.pause()  # let the last update be laid out and drawn
        assert sees(app, '"We close at six," he says.')


async def test_no_animation_flag_shows_text_at_once(
    make_app: AppFactory, services: Services, library: Story, slow_typing: None
) -> None:
    services.animation = False  # what --no-animation gives
    app = make_app(library)
    app.animation_level = "full"
    async with app.run_test(size=(80, 24)):
        assert not app.screen.query_one(Narration).revealing
        assert sees(app, '"We close at six," he says.')


async def test_textual_animations_none_shows_text_at_once(
    make_app: AppFactory, services: Services, library: Story, slow_typing: None
) -> None:
    services.animation = True
    app = make_app(library)
    app.animation_level = "none"  # what TEXTUAL_ANIMATIONS=none gives
    async with app.run_test(size=(80, 24)):
        assert not app.screen.query_one(Narration).revealing


def test_environment_and_flag_turn_animation_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    assert animations_allowed(True)
    assert not animations_allowed(False)
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    assert not animations_allowed(True)


async def test_setting_turns_animation_off_and_is_remembered(
    make_app: AppFactory, services: Services, library: Story, saves_dir: Path, slow_typing: None
) -> None:
    services.settings = Settings(animation=False)
    app = typing_app(make_app, services, library)
    async with app.run_test(size=(80, 24)):
        assert not app.screen.query_one(Narration).revealing

    services.settings = Settings(animation=True)
    app = typing_app(make_app, services, library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_toggle_animation()  # the command palette entry
        await pilot.pause()
        assert load_settings(saves_dir).animation is False
        await pilot.press("x", "1")
        assert not app.screen.query_one(Narration).revealing


async def test_a_clue_from_on_enter_waits_for_the_narration(
    make_app: AppFactory, services: Services, library: Story, slow_typing: None
) -> None:
    """The contract's order: the basement's on_enter clue is shown below its text, once the text is."""
    app = typing_app(make_app, services, library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")  # finish the reading room
        await pilot.press("1")
        arrival = app.screen.query_one("#arrival")
        assert app.screen.query_one(Narration).revealing
        assert not arrival.display  # the photograph is not named before the prose finds it
        assert sees(app, "New clue: A message on the laptop names a street in East Berlin.", "#announce")
        await pilot.press("x")
        await pilot.pause()
        assert arrival.display
        assert sees(app, "New clue: A photograph of Clarke in uniform", "#arrival")
        assert not sees(app, "A photograph of Clarke", "#announce")
