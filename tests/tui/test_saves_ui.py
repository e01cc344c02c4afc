"""Saving to a named slot, the Load screen (load, replay, delete after confirmation) and damaged saves."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.pilot import Pilot
from tui_helpers import sees, settle, top

from coldcase_game.session import Session
from coldcase_game.session.save_format import checksum
from coldcase_game.session.saves import SaveStore
from coldcase_game.story.bundled import StoryInfo
from coldcase_game.story.model import Story
from coldcase_game.tui.screens.load import LoadScreen
from coldcase_game.tui.screens.play import PlayScreen
from coldcase_game.tui.screens.replay import ReplayScreen
from coldcase_game.tui.screens.title import TitleScreen
from coldcase_game.tui.services import Services
from conftest import FIXTURES

if TYPE_CHECKING:
    from conftest import AppFactory


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await pilot.press(*[("minus" if c == "-" else "space" if c == " " else c) for c in text])


async def test_s_saves_the_game_in_a_named_slot(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("1", "s")
        await pilot.pause()
        assert sees(app, "Save the game")
        assert sees(app, "library-1")  # the suggested name
        await type_text(pilot, "night")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert sees(app, "Saved as 'night'.", "Toast")
    info = SaveStore(saves_dir).info("night")
    assert info is not None
    assert info.steps == 1
    assert info.story_id == "library"


async def test_a_bad_slot_name_is_explained_and_nothing_is_written(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await type_text(pilot, "../x")
        await pilot.press("enter")
        await pilot.pause()
        problem = str(app.screen.query_one("#save-problem").render())
        assert problem.strip()
        assert sees(app, problem.strip()[:30])
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)
    assert [i.slot for i in SaveStore(saves_dir).list() if not i.is_autosave] == []


async def test_saving_over_a_slot_asks_first(make_app: AppFactory, library: Story, saves_dir: Path) -> None:
    store = SaveStore(saves_dir)
    store.save("night", Session(library))
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "1", "s")
        await type_text(pilot, "night")
        await pilot.press("enter")
        await pilot.pause()
        assert sees(app, "Replace the save 'night'?")
        await pilot.press("n")
        await pilot.pause()
        info = store.info("night")
        assert info is not None
        assert info.steps == 0
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    info = store.info("night")
    assert info is not None
    assert info.steps == 2


def saved_games(saves_dir: Path, library: Story) -> SaveStore:
    store = SaveStore(saves_dir)
    session = Session(library)
    session.choose("show_message")
    store.save("night", session, label="before the basement")
    session.choose("confront")
    store.autosave(session)
    return store


async def test_load_screen_lists_loads_and_plays_a_save(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    saved_games(saves_dir, library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        assert sees(app, "autosave")
        assert sees(app, "The Librarian · step 2")
        assert sees(app, "night before the basement")
        assert sees(app, "The Librarian · step 1")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert sees(app, "The Basement")
        assert top(app, PlayScreen).session.log == (("reading_room", "show_message"),)


async def test_delete_asks_for_confirmation(make_app: AppFactory, library: Story, saves_dir: Path) -> None:
    store = saved_games(saves_dir, library)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("down", "d")
        await pilot.pause()
        assert sees(app, "Delete the save 'night'?")
        await pilot.press("n")
        await pilot.pause()
        assert store.exists("night")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)
        assert not store.exists("night")
        assert not sees(app, "night")
        assert sees(app, "autosave")


async def test_replay_from_the_load_screen_and_back(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    saved_games(saves_dir, library)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ReplayScreen)
        assert sees(app, "Step 0 of 2")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, LoadScreen)


async def test_a_damaged_save_is_listed_and_explained(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    saves_dir.mkdir(parents=True)
    (saves_dir / "broken.json").write_text('{"format": "coldcase-save", "schema": 1, [oops')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert sees(app, "broken")
        assert sees(app, "damaged:")
        await pilot.press("enter")
        await pilot.pause()
        assert sees(app, "This save cannot be loaded")
        await pilot.press("escape")
        assert isinstance(app.screen, LoadScreen)


async def test_continue_after_the_story_changed_offers_the_steps_that_fit(
    make_app: AppFactory, services: Services, library: Story, saves_dir: Path, tmp_path: Path
) -> None:
    session = Session(library)
    session.choose("show_message")
    session.choose("pretend")
    SaveStore(saves_dir).autosave(session)

    changed = tmp_path / "changed" / "library"
    shutil.copytree(FIXTURES / "library", changed)
    scenes = changed / "scenes.yaml"
    scenes.write_text(scenes.read_text().replace("id: pretend", "id: pretend_not"))
    services.catalog = lambda: [StoryInfo("library", "The Librarian", "", changed)]

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert sees(app, "The story has changed since this save")
        assert sees(app, "Go on from step 1, the last one that fits?")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert top(app, PlayScreen).session.log == (("reading_room", "show_message"),)
        assert sees(app, "The Basement")


async def test_a_save_edited_by_hand_is_not_blamed_on_the_story(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    """The story is the very one the save was made with; the save's own log was changed (and its
    checksum made to match): the dialog says the save does not fit, not that the story changed."""
    session = Session(library)
    session.choose("show_message")
    session.choose("pretend")
    saved = SaveStore(saves_dir).autosave(session).path
    doc = json.loads(saved.read_text(encoding="utf-8"))
    doc["content"]["log"].insert(1, list(doc["content"]["log"][0]))  # the first step taken twice
    doc["checksum"] = checksum(doc["schema"], doc["content"])
    saved.write_text(json.dumps(doc), encoding="utf-8")

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert sees(app, "This save does not fit its story")
        assert sees(app, "which has not changed (was the file edited?)")
        assert not sees(app, "The story has changed")
        assert sees(app, "Go on from step 1, the last one that fits?")
        await pilot.press("y")
        await settle(pilot)
        assert top(app, PlayScreen).session.log == (("reading_room", "show_message"),)


async def test_save_labels_and_titles_from_files_are_not_markup(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    SaveStore(saves_dir).save("odd", Session(library), label="[b]bold?[/b] [@click=app.quit]x[/]")
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        assert sees(app, "odd [b]bold?[/b] [@click=app.quit]x[/]")


async def test_continue_finds_a_story_played_from_a_folder_of_its_own(
    make_app: AppFactory, saves_dir: Path, tmp_path: Path
) -> None:
    """The story is not in the catalog: Continue finds it in the folder the save remembers."""
    from coldcase_game.story.loader import load_story

    folder = shutil.copytree(FIXTURES / "library", tmp_path / "elsewhere" / "library")
    story = load_story(folder)
    session = Session(story)
    session.choose("show_message")
    SaveStore(saves_dir).autosave(session)
    app = make_app()
    app.services.catalog = lambda: [StoryInfo("markup", "Markup", "", FIXTURES / "markup")]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert sees(app, "Continue: The Librarian, step 1")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.story.root == str(folder.resolve())
        assert sees(app, "The basement smells of damp paper.")
