"""Fixtures for the TUI tests: small YAML stories, a temporary save folder, an app factory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from coldcase_game.session import Session
from coldcase_game.story.bundled import StoryInfo
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story
from coldcase_game.tui.app import ColdCaseApp
from coldcase_game.tui.services import Services

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


@pytest.fixture
def make_app(services: Services) -> AppFactory:
    """Build the app with injected services; `story=` opens a new game of that story at once."""

    def make(story: Story | None = None, *, session: Session | None = None, **kw: object) -> ColdCaseApp:
        if story is not None and session is None:
            session = Session(story)
        app = ColdCaseApp(services, session=session, **kw)  # type: ignore[arg-type]
        app.animation_level = "none"
        return app

    return make
