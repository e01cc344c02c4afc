"""The play screen: narration, choices and the sidebar for one `Session`.

Every rule question goes to the session (and through it the engine); this
screen only shows the state and forwards the player's choice.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static

from coldcase_game import engine
from coldcase_game.engine import IllegalChoice
from coldcase_game.session import Session
from coldcase_game.session.errors import SaveError  # light: the save code loads on first save
from coldcase_game.tui.announce import change_lines, screen_text, then_content
from coldcase_game.tui.safe_text import show_in
from coldcase_game.tui.screens.story_actions import StoryActions
from coldcase_game.tui.widgets.choices import ChoiceList
from coldcase_game.tui.widgets.footer import GameFooter
from coldcase_game.tui.widgets.narration import Narration
from coldcase_game.tui.widgets.sidebar import Sidebar, last_trust_changes, last_var_changes

NO_WAY_FORWARD = (
    "Every way forward is locked here, which is a fault in this story. "
    "Press u to take back a choice, or Esc for the title screen."
)


class PlayScreen(StoryActions, Screen[None]):
    CSS_PATH = "play.tcss"
    AUTO_FOCUS = "#choices"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "choose(1)", "Choose", key_display="1-9"),
        *(Binding(str(n), f"choose({n})", show=False) for n in range(2, 10)),
        Binding("u", "undo", "Undo"),
        Binding("h", "history", "History"),
        Binding("m", "case_map", "Map"),
        Binding("s", "save", "Save"),
        Binding("j", "toggle_sidebar", "Sidebar"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "title", "Title", show=False),
        Binding("pageup", "scroll_story(-1)", show=False, priority=True),
        Binding("pagedown", "scroll_story(1)", show=False, priority=True),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._autosave_failed = False
        self._autosave_pending = False  # a choice's autosave waits for its frame to be drawn
        # the widgets a choice updates, kept from compose: a query per widget per key press walked
        # the screen's DOM and matched selectors each time
        self._story = VerticalScroll(id="story", can_focus=False)
        self._then = Static(id="then", markup=False)
        self._announce_block = Static(id="announce", markup=False)
        self._narration = Narration(id="narration")
        self._arrival = Static(id="arrival", markup=False)
        self._choices = ChoiceList(id="choices")
        self._sidebar = Sidebar(id="sidebar")
        for block in (self._then, self._announce_block, self._arrival):
            block.auto_links = False  # story text has no links: not looked for in every line drawn

    # --- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Header(icon="▣")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                with self._story:
                    yield self._then
                    yield self._announce_block
                    yield self._narration
                    yield self._arrival
                yield Static(NO_WAY_FORWARD, id="stuck", markup=False)
                yield self._choices
            yield self._sidebar
        yield GameFooter()

    def on_resize(self, event: events.Resize) -> None:
        self._choices.fit(self._main_rows(event.size.height))

    def _main_rows(self, screen_rows: int) -> int:
        """Rows of the main column: the screen less the header and the footer."""
        return screen_rows - 2

    def on_mount(self) -> None:
        self.title = self.session.story.title
        self.show_state(animate=self.app.typewriter and not self.session.is_over)
        if self.session.is_over:  # a loaded game that had already ended
            self.call_after_refresh(self._show_ending)

    # --- showing the state ---------------------------------------------------------------
    def show_state(self, *, animate: bool) -> None:
        self._show_state(animate=animate)
        # The choices' height follows their content. Ask for the screen's layout now, so the
        # next frame has it: otherwise one frame can draw the new choices at the old height,
        # a locked choice's hint cut off by the border (a stray ✕ beside a ─ line). Layout only:
        # a repaint of the screen itself would draw every widget again, header, footer and
        # sidebar too, where the layout redraws what moved or changed.
        self.refresh(layout=True, repaint=False)

    def _show_state(self, *, animate: bool) -> None:
        session = self.session
        self._announce(animate=animate)
        title = engine.heading(session.story, session.state.scene)
        text = screen_text(
            session.story, session.state.last.passed, title, session.narration(), session.kept_heading
        )
        self._narration.show(text, animate=animate)
        self._story.scroll_home(animate=False)
        options = session.options()
        choices = self._choices
        choices.fit(self._main_rows(self.size.height))
        choices.show(options, session.story.format)
        self.set_class(not session.is_over and not any(o.available for o in options), "-stuck")
        self._sidebar.show(
            session.story, session.state, last_trust_changes(session.states), last_var_changes(session.states)
        )

    def _announce(self, *, animate: bool) -> None:
        """The choice's `then` text (format 2) opens the screen, in its own block; what the choice's
        `do` changed follows, above the narration; what the scene's `on_enter` changed goes below
        it, shown once the narration is (a clue never comes before its prose)."""
        story, last = self.session.story, self.session.state.last
        then = self._then
        show_in(then, then_content(last.then, story.format))
        then.display = bool(last.then)
        for widget, changes in ((self._announce_block, last.do), (self._arrival, last.on_enter)):
            lines = change_lines(story, changes)
            show_in(widget, Content("\n").join(lines))
            widget.display = bool(lines)
        if animate:
            self._arrival.display = False  # until Narration.Revealed

    @on(Narration.Revealed)
    def _revealed(self) -> None:
        self._arrival.display = bool(self.session.state.last.on_enter)

    # --- keys and choices ----------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """Any key completes a typewriter reveal (and does nothing else)."""
        if self._narration.finish():
            event.stop()
            event.prevent_default()

    def on_click(self, event: events.Click) -> None:
        self._narration.finish()

    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.choose(event.option.id)

    def action_choose(self, number: int) -> None:
        for option in self._choices.options_shown:
            if option.number == number:
                self.choose(option.choice.id)
                return
        self.app.bell()

    def choose(self, choice_id: str) -> None:
        try:
            self.session.choose(choice_id)
        except IllegalChoice:
            self.app.bell()
            return
        if self.session.is_over:
            self._autosave()
            self.show_state(animate=False)
            self._show_ending()
        else:
            self.show_state(animate=self.app.typewriter)
            self._autosave_after_frame()

    def action_undo(self) -> None:
        if not self.session.undo():
            self.notify("Nothing to undo: this is where the case begins.", markup=False)
            return
        self._autosave()
        self.show_state(animate=False)

    def restart(self) -> None:
        self.session.restart()
        self._autosave()
        self.show_state(animate=self.app.typewriter)

    def _autosave_after_frame(self) -> None:
        """Autosave once the new scene is on screen: the write (and its fsync) is not the player's
        wait. Leaving the screen, or anything that reads the saves, writes it first."""
        if not self._autosave_pending:
            self._autosave_pending = True
            self.call_after_refresh(self._flush_autosave)

    def _flush_autosave(self) -> None:
        if self._autosave_pending:
            self._autosave_pending = False
            self._autosave()

    def on_screen_suspend(self) -> None:  # another screen (title, save, map, history, help) on top
        self._flush_autosave()

    def on_unmount(self) -> None:  # the app quits, or the screen is closed
        self._flush_autosave()

    def _autosave(self) -> None:
        try:
            self.app.services.store.autosave(self.session)
        except SaveError as exc:
            if not self._autosave_failed:
                self.notify(f"Autosave failed: {exc.message}", severity="warning", markup=False)
            self._autosave_failed = True
        else:
            self._autosave_failed = False

    def _show_ending(self) -> None:
        from coldcase_game.tui.screens.ending import EndingScreen

        self.app.push_screen(EndingScreen(self.session), self._after_ending)

    def _after_ending(self, result: str | None) -> None:
        if result == "again":
            self.restart()
        elif result == "undo":
            self.action_undo()
        elif result is not None and result.startswith("back:"):
            self._after_map(int(result.removeprefix("back:")))
        elif result == "title":
            self.app.go_to_title()

    # --- other actions -------------------------------------------------------------------
    def action_case_map(self) -> None:
        from coldcase_game.tui.screens.case_map import CaseMapScreen

        self.app.push_screen(CaseMapScreen(self.session), self._after_map)

    def _after_map(self, back: int | None) -> None:
        """Going back to an earlier step of the map is the session's undo, that many times."""
        if back and self.session.undo(back):
            self._autosave()
            self.show_state(animate=False)

    def action_save(self) -> None:
        from coldcase_game.tui.screens.save_slot import SaveSlotDialog

        self.app.push_screen(SaveSlotDialog(self.session))

    def action_title(self) -> None:
        self.app.go_to_title()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Undo", "Take back the last choice (u)", self.action_undo)
        yield SystemCommand("History", "The whole transcript of this game (h)", self.action_history)
        yield SystemCommand(
            "Case map", "The game so far as a flowchart; go back to any step (m)", self.action_case_map
        )
        yield SystemCommand("Save", "Save this game in a named slot (s)", self.action_save)
        yield SystemCommand("Help", "Keys and how to play (?)", self.action_help)
        yield SystemCommand(
            "Sidebar", "Show or hide trust and the case journal (j)", self.action_toggle_sidebar
        )
        yield SystemCommand("Restart", "Start this case again from the beginning", self.restart)
        yield SystemCommand("Back to title", "Leave this game (it is autosaved) (escape)", self.action_title)
