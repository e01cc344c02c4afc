"""Story text is never markup: brackets, [@click=...] and a lone [/] show exactly as written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_helpers import sees, settle

from coldcase_game.story.model import Story
from coldcase_game.tui.screens.ending import EndingScreen

if TYPE_CHECKING:
    from conftest import AppFactory


async def test_markup_in_a_story_is_shown_literally_everywhere(
    make_app: AppFactory, markup_story: Story
) -> None:
    app = make_app(markup_story)
    async with app.run_test(size=(100, 30)) as pilot:
        assert sees(app, "[bold]Title[/bold] room", "#narration")
        assert sees(
            app, "He wrote [bold]not bold[/bold], then [@click=app.quit]x[/] and a lone [/].", "#narration"
        )
        assert sees(app, "Variables too: [$accent]accent[/] and $text.", "#narration")
        assert sees(app, "1. Pick [@click=app.quit]this[/].", "#choices")
        assert sees(app, "locked: Hint with [b]markup[/b] and [/].", "#choices")
        assert sees(app, "[red]Agent[/red] X", "#sidebar")

        # Clicking the text that looks like a link does nothing.
        await pilot.click("#narration", offset=(30, 2))
        await pilot.pause()
        assert app.is_running

        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, EndingScreen)
        assert sees(app, "[bold]End[/bold]")
        assert sees(app, "The end [/].", "#ending-text")
        assert sees(app, "1. Clue text with [b]brackets[/b] and [/].")
        await pilot.press("h")
        await pilot.pause()
        assert sees(app, "→ You chose: Pick [@click=app.quit]this[/].")


async def test_markup_in_titles_and_summaries_on_the_title_screen(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert sees(app, "[bold]Markup[/bold] case")
        assert sees(app, "Summary with [@click=app.quit]a link[/] and a lone [/].")
