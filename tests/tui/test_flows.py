"""Pilot tests of the main flows: title → case → choices → ending → back, and the game keys."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.widgets import Button
from tui_helpers import screen_text, sees, settle, top

from coldcase_game.session.saves import SaveStore
from coldcase_game.story.model import Story
from coldcase_game.tui.screens.ending import EndingScreen
from coldcase_game.tui.screens.play import PlayScreen
from coldcase_game.tui.screens.title import TitleScreen
from coldcase_game.tui.services import Services
from coldcase_game.tui.widgets.choices import ChoiceList

if TYPE_CHECKING:
    from tests.conftest import StoryDir

    from conftest import AppFactory


async def test_title_lists_cases_with_summary_and_endings_found(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert sees(app, "COLD CASE")
        assert sees(app, "The Librarian")
        assert sees(
            app, "A cryptic message, a librarian with a past, and a restaurant in Brooklyn.", "#cases"
        )
        assert sees(app, "Endings found: 0 of 3")
        assert sees(app, "Endings found: 0 of 1")
        for label in ("Continue", "Load", "Quit"):
            assert sees(app, label)
        assert app.screen.query_one("#continue", Button).disabled  # no autosave yet


async def test_whole_game_title_to_ending_and_back(make_app: AppFactory, saves_dir: Path) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert sees(app, "The Reading Room")
        assert sees(app, "1. Show him the message.")

        await pilot.press("1")
        assert sees(app, "The Basement")
        assert sees(app, "▲10 Almasbek Clarke trusts you more: 30 → 40", "#announce")
        assert sees(app, "New clue: A message on the laptop names a street in East Berlin.", "#announce")

        await pilot.press("1")
        assert sees(app, "Berlin, 1979")
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert sees(app, "THE END")
        assert sees(app, "The Long Night")
        assert sees(
            app, "You sit with him until the lamps go out, and he tells you everything.", "#ending-text"
        )
        assert sees(app, "Final trust")
        assert sees(app, "70 ▲30")  # Clarke: 40, then %+50 fairmath
        assert sees(app, "Clues found: 3 of 3")
        assert sees(app, "Endings discovered: 1 of 3")
        assert sees(app, "✓ The Long Night")
        assert (saves_dir / "autosave.json").is_file()

        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert sees(app, "Endings found: 1 of 3")
    assert SaveStore(saves_dir).progress.endings_found("library") == {"The Long Night"}


async def test_play_again_from_the_ending_restarts(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "1", "2")  # show message, confirm, publish -> Walking Away
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert sees(app, "Walking Away")
        await pilot.click("#again")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert sees(app, "The Reading Room")
        assert top(app, PlayScreen).session.steps == 0


async def test_undo_from_the_ending_returns_to_the_game(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "1", "1")
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert sees(app, "Berlin, 1979")


async def test_direct_story_goes_to_title_after_the_ending(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3", "2")  # leave, walk away
        await settle(pilot)
        assert sees(app, "Walking Away")
        await pilot.click("#title")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert sees(app, "Endings found: 1 of 3")


async def test_arrows_and_enter_choose(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "enter")  # skips the locked choice: lands on "Talk to the woman"
        assert sees(app, "The Next Table")
        assert top(app, PlayScreen).session.log == (("reading_room", "talk_mira"),)


async def test_mouse_click_chooses(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        # Rows inside the choice box: 1 "1. Show", 2-3 the locked choice, 4 "2. Talk", 5 "3. Leave".
        await pilot.click("#choices", offset=(6, 5))
        await pilot.pause()
        assert sees(app, "The Street")


async def test_locked_choice_is_shown_with_its_hint_and_cannot_be_selected(
    make_app: AppFactory, library: Story
) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        assert sees(app, "✕ Ask about Berlin.")
        assert sees(app, "locked: He isn't ready to hear it.")
        await pilot.click("#choices", offset=(6, 2))  # on the locked choice: nothing happens
        await pilot.pause()
        assert top(app, PlayScreen).session.log == ()
        choices = app.screen.query_one("#choices", ChoiceList)
        assert choices.highlighted == 0
        await pilot.press("down")  # the highlight skips it
        assert choices.highlighted == 2
        await pilot.press("up")
        assert choices.highlighted == 0
        await pilot.press("9")  # no such number: nothing happens
        assert top(app, PlayScreen).session.log == ()
        assert sees(app, "The Reading Room")


async def test_numbers_skip_locked_choices(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        assert sees(app, "2. Talk to the woman at the next table.")
        await pilot.press("2")
        assert sees(app, "The Next Table")


async def test_undo_many_times_back_to_the_start(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("2", "1", "1")  # Mira, back, show the message
        assert sees(app, "The Basement")
        await pilot.press("u")
        assert sees(app, "The Reading Room")
        assert sees(app, "He has not moved since you left.")  # second visit
        await pilot.press("u", "u")
        assert sees(app, "The Reading Room")
        assert not sees(app, "He has not moved since you left.")
        assert top(app, PlayScreen).session.steps == 0
        await pilot.press("u")
        await settle(pilot)
        assert sees(app, "Nothing to undo: this is where the case begins.", "Toast")


async def test_history_shows_the_whole_transcript(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("1", "2")  # show the message, pretend
        await pilot.press("h")
        await pilot.pause()
        assert sees(app, "History: 2 choices so far")
        await pilot.press("home")
        await pilot.pause()
        assert sees(app, "Step 0")
        assert sees(app, "The Reading Room")
        assert sees(app, "→ You chose: Show him the message.")
        await pilot.press("end")
        await pilot.pause()
        assert sees(app, "→ You chose: Pretend you saw nothing.")
        assert sees(app, "▼10 Almasbek Clarke trusts you less: 40 → 30", "#history-scroll")
        assert sees(app, "Step 2")
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)


async def test_help_lists_the_keys(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert sees(app, "Help")
        assert sees(app, "undo the last choice")
        assert sees(app, "take the choice with that number")
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)


async def test_help_explains_the_stats_heading_and_the_case_map_key(
    make_app: AppFactory, library: Story
) -> None:
    """The sidebar's Stats (format 2 variables) and the marks of the case map are explained."""
    app = make_app(library)
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.press("question_mark")
        await settle(pilot)
        assert sees(app, "Some cases keep Stats too, under their own heading", "#help-scroll")
        stat = "a name, a bar from the lowest value to the highest, and the value (2/3, or -1 in -5..5)"
        assert sees(app, stat, "#help-scroll")
        assert sees(app, "The case map (m)", "#help-scroll")
        for mark, meaning in (
            ("●", "a scene you passed through"),
            ("◆", "where you are now"),
            ("★", "an ending"),
            ("▼", "the choice you took there"),
            ("├─ └─", "choices not taken, and where they lead (? if not seen yet)"),
            ("Enter", "go back to an earlier step"),
        ):
            assert sees(app, f"{mark} {meaning}", "#help-scroll")


async def test_footer_shows_the_keys(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        footer = screen_text(app).splitlines()[-1]
        for key, what in (("1-9", "Choose"), ("u", "Undo"), ("h", "History"), ("?", "Help"), ("q", "Quit")):
            assert key in footer
            assert what in footer


async def test_sidebar_shows_trust_bars_changes_and_the_journal_in_order(
    make_app: AppFactory, library: Story
) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        assert sees(app, "Almasbek Clarke ███░░░░░░░ 30", "#sidebar")
        assert sees(app, "Mira Persson ██████░░░░ 60", "#sidebar")
        assert sees(app, "No clues yet.", "#sidebar")
        await pilot.press("1", "2")  # +10 then -10/-5 and two clues
        assert sees(app, "Almasbek Clarke ███░░░░░░░ 30 ▼10", "#sidebar")
        assert sees(app, "Mira Persson ██████░░░░ 55 ▼5", "#sidebar")
        text = screen_text(app, "#sidebar")
        first = text.index("1. A message on the laptop")
        second = text.index("2. A photograph of Clarke")
        assert first < second


async def test_q_quits(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_continue_resumes_the_autosave(make_app: AppFactory, library: Story) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.press("2", "1")  # back in the reading room after meeting Mira
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)
        assert sees(app, "Continue: The Librarian, step 2")
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert top(app, PlayScreen).session.log == (("reading_room", "talk_mira"), ("mira", "reading_room"))
        assert sees(app, "He has not moved since you left.")


async def test_a_choice_is_autosaved_even_when_the_game_is_quit_at_once(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    """The autosave waits for the new scene to be drawn; quitting straight after the key still
    writes it."""
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "q")
    autosave = SaveStore(saves_dir).load("autosave", lambda _: library)
    assert autosave.session.log == (("reading_room", "talk_mira"),)


async def test_a_choice_is_autosaved_before_a_screen_that_reads_the_saves(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2", "escape")  # no pause: the title reads the autosave at once
        await settle(pilot)
        assert sees(app, "Continue: The Librarian, step 1")


async def test_a_broken_case_shows_its_errors_instead_of_crashing(
    tmp_path: Path, services: Services, make_app: AppFactory
) -> None:
    from coldcase_game.story.bundled import StoryInfo

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "story.yaml").write_text("format: 1\ntitle: Broken\nstart: nowhere\n")
    services.catalog = lambda: [StoryInfo("broken", "Broken [b]case[/b]", "", broken)]
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert sees(app, "Endings found: 0 of ?")
        await pilot.press("enter")
        await pilot.pause()
        assert sees(app, "The case 'Broken [b]case[/b]' cannot be opened")
        assert sees(app, "error[")
        await pilot.press("escape")
        assert isinstance(app.screen, TitleScreen)


async def test_mouse_works_on_the_title_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.click("#load")
        await settle(pilot)
        assert sees(app, "No saved games yet.")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.click("#cases", offset=(4, 1))  # the first case's title
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert sees(app, "The Reading Room")


async def test_loading_a_finished_game_shows_its_ending(
    make_app: AppFactory, library: Story, saves_dir: Path
) -> None:
    from coldcase_game.session import Session

    session = Session(library)
    for choice in ("leave", "walk"):
        session.choose(choice)
    SaveStore(saves_dir).save("done", session)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("l")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert sees(app, "Walking Away")


async def test_a_scene_with_every_way_forward_locked_says_so(
    make_app: AppFactory, story_dir: StoryDir
) -> None:
    from coldcase_game.story.loader import load_story

    folder = story_dir(
        **{
            "scenes.yaml": """\
        scenes:
          first:
            title: A Locked Room
            text: Every door is shut.
            choices:
              - text: Open the door.
                goto: second
                if: trust.ana > 90
                locked: Ana keeps the key.
          second:
            text: Out.
            ending: Out
        """
        }
    )
    app = make_app(load_story(folder))
    async with app.run_test(size=(80, 24)) as pilot:
        assert sees(app, "locked: Ana keeps the key.")
        assert sees(app, "Every way forward is locked here, which is a fault in this story.", "#stuck")
        await pilot.press("1", "enter")
        assert top(app, PlayScreen).session.steps == 0


async def test_ending_screen_scrolls_by_keyboard_and_esc_goes_to_the_title(
    make_app: AppFactory, library: Story
) -> None:
    app = make_app(library)
    async with app.run_test(size=(60, 20)) as pilot:  # small: the facts are below the fold
        await pilot.press("3", "2")  # leave, walk away
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        body = app.screen.query_one("#ending-body")
        assert app.focused is not None
        assert app.focused.id == "again"
        assert body.max_scroll_y > 0
        assert body.scroll_y == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert body.scroll_y > 0
        await pilot.press("end")
        await settle(pilot)
        assert body.scroll_y == body.max_scroll_y
        assert sees(app, "Endings discovered: 1 of 3")
        await pilot.press("home")
        await settle(pilot)
        assert body.scroll_y == 0
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TitleScreen)


async def test_sidebar_brings_a_new_clue_into_view(make_app: AppFactory, library: Story) -> None:
    app = make_app(library)
    async with app.run_test(size=(100, 14)) as pilot:  # a short sidebar: the journal overflows
        sidebar = app.screen.query_one("#sidebar")
        assert sidebar.scroll_y == 0
        await pilot.press("1")  # two clues at once
        await settle(pilot)
        assert sidebar.max_scroll_y > 0
        assert sidebar.scroll_y == sidebar.max_scroll_y
        assert sees(
            app, "2. A photograph of Clarke in uniform, dated 1979, hidden in the atlas. (new)", "#sidebar"
        )
