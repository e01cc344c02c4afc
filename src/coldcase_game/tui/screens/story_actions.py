"""Actions that the play, ending and replay screens share: history, help, the sidebar, scrolling the story."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import VerticalScroll

from coldcase_game.session import Session

if TYPE_CHECKING:
    from textual import getters
    from textual.screen import Screen

    from coldcase_game.tui.app import ColdCaseApp

    _ScreenBase = Screen[Any]  # what the mixin is mixed into, for the type checker only
else:
    _ScreenBase = object


class StoryActions(_ScreenBase):
    """Mixed into a Screen (listed before it) that shows a story in `#story` for `self.session`."""

    if TYPE_CHECKING:  # the screen runs in a ColdCaseApp: self.app.services is checked
        app = getters.app(ColdCaseApp)

    session: Session

    def action_history(self) -> None:
        from coldcase_game.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.session))

    def action_help(self) -> None:
        from coldcase_game.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-sidebar-toggled")

    def action_scroll_story(self, direction: int) -> None:
        story = self.query_one("#story", VerticalScroll)
        if direction < 0:
            story.scroll_page_up(animate=False)
        else:
            story.scroll_page_down(animate=False)
