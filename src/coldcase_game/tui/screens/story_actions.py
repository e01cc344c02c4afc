"""Actions that the play, ending and replay screens share: history, help, the sidebar, scrolling the story."""

from __future__ import annotations

from textual.containers import VerticalScroll

from coldcase_game.session import Session


class StoryActions:
    """Mixed into a Screen (listed before it) that shows a story in `#story` for `self.session`."""

    session: Session

    def action_history(self) -> None:
        from coldcase_game.tui.screens.history import HistoryScreen

        self.app.push_screen(HistoryScreen(self.session))  # type: ignore[attr-defined]

    def action_help(self) -> None:
        from coldcase_game.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())  # type: ignore[attr-defined]

    def action_toggle_sidebar(self) -> None:
        self.toggle_class("-sidebar-toggled")  # type: ignore[attr-defined]

    def action_scroll_story(self, direction: int) -> None:
        story = self.query_one("#story", VerticalScroll)  # type: ignore[attr-defined]
        if direction < 0:
            story.scroll_page_up(animate=False)
        else:
            story.scroll_page_down(animate=False)
