"""What the TUI needs from the rest of the program, gathered so tests can inject fixtures.

`Services` holds the story catalog, the story loader, the save store and the
settings. `Services.default(saves_dir)` wires the real ones; tests build one
with fixture stories and a temporary save folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coldcase_game.session.errors import SaveError
from coldcase_game.settings import Settings, load_settings, save_settings
from coldcase_game.story.bundled import StoryInfo, bundled_stories
from coldcase_game.story.diagnostics import StoryError
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

if TYPE_CHECKING:
    from coldcase_game.session.saves import SaveStore


@dataclass
class Services:
    saves_dir: Path
    catalog: Callable[[], Sequence[StoryInfo]] = bundled_stories
    loader: Callable[[Path], Story] = load_story
    animation: bool = True  # False with --no-animation or TEXTUAL_ANIMATIONS=none
    settings: Settings = field(default_factory=Settings)
    _store: SaveStore | None = field(default=None, init=False, repr=False)
    _stories: dict[Path, Story] = field(default_factory=dict, init=False, repr=False)

    @classmethod
    def default(cls, saves_dir: Path, *, animation: bool = True) -> Services:
        return cls(saves_dir=saves_dir, animation=animation, settings=load_settings(saves_dir))

    # --- stories ---------------------------------------------------------------------
    def load(self, path: Path) -> Story:
        """Load (once) the story at `path`. Raises StoryError."""
        key = Path(path)
        if key not in self._stories:
            self._stories[key] = self.loader(key)
        return self._stories[key]

    def remember(self, story: Story, path: Path | None = None) -> None:
        """Make a story that was loaded elsewhere (e.g. by the CLI) resolvable by id."""
        self._stories[Path(path) if path else Path(story.root or story.id)] = story

    def resolve(self, story_id: str) -> Story:
        """The story with this id: one already loaded, else a catalog entry. Raises SaveError."""
        for story in self._stories.values():
            if story.id == story_id:
                return story
        for info in self.catalog():
            if info.id == story_id:
                try:
                    return self.load(info.path)
                except StoryError as exc:
                    raise SaveError(f"the story '{story_id}' has errors: {exc}") from None
        raise SaveError(f"this save is of the story '{story_id}', which is not installed")

    # --- saves and settings --------------------------------------------------------------
    @property
    def store(self) -> SaveStore:
        if self._store is None:
            from coldcase_game.session.saves import SaveStore  # imported when first needed

            self._store = SaveStore(self.saves_dir)
        return self._store

    def save_settings(self, settings: Settings) -> str | None:
        """Keep the new settings; write them. Returns a one-line problem, or None."""
        self.settings = settings
        try:
            save_settings(settings, self.saves_dir)
        except SaveError as exc:
            return f"Settings not saved: {exc.message}"
        return None
