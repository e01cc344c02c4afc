"""Fixtures for the TUI tests: small YAML stories, a temporary save folder, an app factory."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from textual.app import App
from textual.pilot import Pilot

from coldcase_game.session import Session
from coldcase_game.story.bundled import StoryInfo
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story
from coldcase_game.tui.app import ColdCaseApp
from coldcase_game.tui.services import Services

if TYPE_CHECKING:
    from coldcase_game.tui.screens.replay import ReplayData

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_info(name: str) -> StoryInfo:
    story = load_story(FIXTURES / name)
    return StoryInfo(story.id, story.title, " ".join(story.summary.split()), FIXTURES / name)


@pytest.fixture(scope="session")
def library() -> Story:
    return load_story(FIXTURES / "library")


@pytest.fixture(scope="session")
def crowded() -> Story:
    """Six choices (one locked) under long narration, then a scene with ten choices."""
    return load_story(FIXTURES / "crowded")


@pytest.fixture(scope="session")
def markup_story() -> Story:
    return load_story(FIXTURES / "markup")


@pytest.fixture
def saves_dir(tmp_path: Path) -> Path:
    return tmp_path / "saves"


@pytest.fixture
def services(saves_dir: Path) -> Services:
    infos = [fixture_info("library"), fixture_info("markup")]
    return Services(saves_dir=saves_dir, catalog=lambda: infos, animation=False)


AppFactory = Callable[..., ColdCaseApp]


class SnapCompare(Protocol):
    """pytest-textual-snapshot's `snap_compare` fixture, as its `compare` function is declared (the
    fixture itself is annotated with a narrower type than it returns)."""

    def __call__(
        self,
        app: str | Path | App[Any],
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[Any]], Awaitable[None] | None] | None = None,
    ) -> bool: ...


@pytest.fixture
def make_app(services: Services) -> AppFactory:
    """Build the app with injected services; `story=` opens a new game of that story at once."""

    def make(
        story: Story | None = None, *, session: Session | None = None, replay: ReplayData | None = None
    ) -> ColdCaseApp:
        if story is not None and session is None:
            session = Session(story)
        app = ColdCaseApp(services, session=session, replay=replay)
        app.animation_level = "none"
        return app

    return make
