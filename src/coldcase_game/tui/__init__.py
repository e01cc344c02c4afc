"""The Textual front end. The only package that imports Textual.

Entry points (Textual is imported only when one of them runs):

- `run_tui(story_path, *, animation, saves_dir) -> int`: the game; the title
  screen when `story_path` is None, else that story at once.
- `run_replay_viewer(source, *, saves_dir=None) -> int` (alias `run_replay`): step
  through a saved game; `source` is a `LoadResult` from the saves API, or a `Session`.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from coldcase_game.session import Session

__all__ = ["run_replay", "run_replay_viewer", "run_tui"]


def animations_allowed(animation: bool) -> bool:
    """The --no-animation flag and TEXTUAL_ANIMATIONS=none both turn the typewriter off."""
    return animation and os.environ.get("TEXTUAL_ANIMATIONS", "").strip().lower() != "none"


def run_tui(story_path: Path | None, *, animation: bool, saves_dir: Path, watch: bool = False) -> int:
    """Run the game. Returns the exit status (1 when the story cannot be loaded).

    `watch` reloads the story whenever one of its files is saved (tui/live.py)."""
    # Start-up makes hundreds of thousands of objects that live as long as the app (Textual's
    # modules and styles, the story, the first screen) and no garbage worth collecting: the
    # collector is off until the first frame is drawn, when the app freezes them and turns it
    # back on (ColdCaseApp.on_mount). About 20-25 ms of the first frame went on collections.
    gc.disable()
    try:
        return _run_tui(story_path, animation=animation, saves_dir=saves_dir, watch=watch)
    finally:
        gc.enable()  # a run that ended before its first frame


def _run_tui(story_path: Path | None, *, animation: bool, saves_dir: Path, watch: bool) -> int:
    from coldcase_game.session import Session
    from coldcase_game.story.diagnostics import StoryError
    from coldcase_game.tui.app import ColdCaseApp
    from coldcase_game.tui.services import Services

    services = Services.default(Path(saves_dir), animation=animations_allowed(animation))
    session = None
    if story_path is not None:
        try:
            story = services.load(Path(story_path))
        except StoryError as exc:
            for diagnostic in exc.errors or exc.diagnostics:
                print(diagnostic, file=sys.stderr)
            print(
                f"coldcase: the story in {story_path} cannot be played; run 'coldcase check {story_path}'",
                file=sys.stderr,
            )
            return 1
        session = Session(story)
    app = ColdCaseApp(services, session=session)
    if watch and session is not None and story_path is not None:
        from coldcase_game.session.live import LiveStory
        from coldcase_game.tui.live import watch as watch_story

        stop = watch_story(app, LiveStory(story_path, session.story))
        try:
            app.run()
        finally:
            stop.set()
        return _status(app)
    app.run()
    return _status(app)


def run_replay_viewer(
    source: Any,
    *,
    saves_dir: Path | None = None,
    report: Sequence[str] | None = None,
    animation: bool = False,
) -> int:
    """Show a saved game step by step. Returns the exit status.

    `source` is a saves `LoadResult` (its `session` is shown and its `report()` lines,
    about a divergence, appear as a banner) or a plain `Session`. `report` overrides
    the banner lines. `saves_dir` (where settings such as the theme live) defaults to
    the folder of the save file, else the save folder in effect ($COLDCASE_SAVES, else the
    user's data folder).
    """
    from coldcase_game.tui.app import ColdCaseApp
    from coldcase_game.tui.screens.replay import ReplayData
    from coldcase_game.tui.services import Services

    session: Session = getattr(source, "session", source)
    if report is None:
        make_report = getattr(source, "report", None)
        report = list(make_report()) if callable(make_report) else []
    if saves_dir is None:
        save_path = getattr(getattr(source, "info", None), "path", None)
        if save_path:
            saves_dir = Path(save_path).parent
        else:
            from coldcase_game.session.location import saves_dir as default_saves

            saves_dir = default_saves()
    services = Services.default(Path(saves_dir), animation=animations_allowed(animation))
    app = ColdCaseApp(services, replay=ReplayData.from_session(session, report))
    app.run()
    return _status(app)


run_replay = run_replay_viewer


def _status(app: Any) -> int:
    code = app.return_code
    if code is None:
        return 0
    return int(code)
