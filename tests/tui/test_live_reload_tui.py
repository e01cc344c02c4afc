"""`play --watch` in the TUI: a saved edit redraws the scene as it now reads; errors are shown and
the last good version plays on. (The reload itself is the session layer's, tested in
tests/authoring/test_live_reload.py; here the change is handed to the app as the watcher does.)"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import sees, settle

from coldcase_game.session.live import LiveStory
from coldcase_game.story.loader import load_story
from coldcase_game.tui.live import apply_change
from coldcase_game.tui.screens.ending import EndingScreen
from coldcase_game.tui.screens.play import PlayScreen

MANIFEST = "format: 1\ntitle: Live Case\nstart: hall\ncharacters:\n  ana: {name: Ana, trust: 50}\n"
SCENES = """\
scenes:
  hall:
    title: The Hall
    text: A hall with a clock.
    choices:
      - {text: Go to the study., goto: study, do: {trust: {ana: +10}}}
  study:
    title: The Study
    text: A study with a desk.
    choices:
      - {text: Leave., goto: out}
  out:
    title: Outside
    text: Rain.
    ending: Out
"""


def write(folder: Path, scenes: str = SCENES) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "story.yaml").write_text(MANIFEST)
    (folder / "part.yaml").write_text(scenes)
    return folder


async def test_an_edit_redraws_the_scene_and_an_error_keeps_the_game(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write(tmp_path / "live_case")
    story = load_story(folder)
    live = LiveStory(folder, story)
    app = make_app(story)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert sees(app, "A study with a desk.")
        write(folder, SCENES.replace("A study with a desk.", "A study with a desk and a lamp."))
        reload = apply_change(app, live, ("part.yaml",))
        await settle(pilot)
        assert reload is not None
        assert reload.kind == "fits"
        assert sees(app, "A study with a desk and a lamp.")
        assert sees(app, "your 1 choice still fits; you are where you were.", "Toast")
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.session.story is live.story

        write(folder, SCENES.replace("goto: out}", "goto: outt}"))
        reload = apply_change(app, live, ("part.yaml",))
        await settle(pilot)
        assert reload is not None
        assert reload.kind == "errors"
        assert sees(app, "goto: unknown scene 'outt'")
        assert sees(app, "A study with a desk and a lamp.")  # still the last good version
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)


async def test_an_edit_that_no_longer_fits_goes_back_and_closes_the_ending(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = write(tmp_path / "live_case")
    story = load_story(folder)
    live = LiveStory(folder, story)
    app = make_app(story)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        write(folder, SCENES.replace("{text: Leave., goto: out}", "{text: Leave., goto: out, id: leave}"))
        reload = apply_change(app, live, ("part.yaml",))
        await settle(pilot)
        assert reload is not None
        assert reload.kind == "diverged"
        assert isinstance(app.screen, PlayScreen)
        assert sees(app, "A study with a desk.")
        assert sees(app, "It goes on from step 1, the last that fits")
