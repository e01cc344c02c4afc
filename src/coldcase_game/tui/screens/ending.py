"""The ending screen: the ending's title and text, final trust and stats, clues, endings found so far.

Dismissed with "again" (play the case again), "title", "undo" (take back the
last choice and go on playing), or "back:N" (take back N choices, from the case map).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual import on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from coldcase_game.session import Session
from coldcase_game.session.saves import SaveError
from coldcase_game.tui.announce import screen_text
from coldcase_game.tui.safe_text import plain
from coldcase_game.tui.screens.story_actions import StoryActions
from coldcase_game.tui.widgets.footer import GameFooter
from coldcase_game.tui.widgets.sidebar import (
    journal_lines,
    last_trust_changes,
    last_var_changes,
    stat_lines,
    trust_lines,
)


def endings_summary(all_titles: list[str], found: set[str]) -> Content:
    """`Endings discovered: 2 of 4` then one line per ending: found ones by name, others hidden."""
    known = [t for t in all_titles if t in found]
    lines = [Content.assemble(("Endings discovered: ", "bold"), f"{len(known)} of {len(all_titles)}")]
    lines.extend(
        Content.assemble("  ✓ ", title) if title in found else Content("  ? (not found yet)")
        for title in all_titles
    )
    return Content("\n").join(lines)


class EndingScreen(StoryActions, Screen[str]):
    CSS_PATH = "ending.tcss"
    AUTO_FOCUS = "#again"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "dismiss('again')", "Play again"),
        Binding("t", "dismiss('title')", "Title"),
        Binding("u", "dismiss('undo')", "Undo"),
        Binding("h", "history", "History"),
        Binding("m", "case_map", "Map"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
        Binding("escape", "dismiss('title')", "Title", show=False),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
        # the buttons keep the focus; these keys still move the page, as in a scene
        Binding("up", "scroll_body('up')", show=False, priority=True),
        Binding("down", "scroll_body('down')", show=False, priority=True),
        Binding("pageup", "scroll_body('page_up')", show=False, priority=True),
        Binding("pagedown", "scroll_body('page_down')", show=False, priority=True),
        Binding("home", "scroll_body('home')", show=False, priority=True),
        Binding("end", "scroll_body('end')", show=False, priority=True),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        session = self.session
        story, state = session.story, session.state
        ending = session.ending or ""
        yield Header(icon="▣")
        with VerticalScroll(id="ending-body"):
            yield Static("THE END", id="ending-kicker", markup=False)
            yield Static(plain(ending), id="ending-title", markup=False)
            text = screen_text(story, state.last.passed, None, session.narration())
            yield Static(text, id="ending-text", markup=False)
            with Horizontal(id="ending-facts"):
                with VerticalScroll(classes="ending-column"):
                    yield Static("Final trust", classes="ending-heading", markup=False)
                    yield Static(trust_lines(story, state, last_trust_changes(session.states)), markup=False)
                    stats = stat_lines(story, state, last_var_changes(session.states))
                    if stats:  # format 2: the named variables (hidden ones never)
                        yield Static(
                            "Final stats", id="ending-stats-heading", classes="ending-heading", markup=False
                        )
                        yield Static(stats, id="ending-stats", markup=False)
                with VerticalScroll(classes="ending-column"):
                    yield Static(
                        f"Clues found: {len(state.journal)} of "
                        f"{sum(f.is_clue for f in story.flags.values())}",
                        classes="ending-heading",
                        markup=False,
                    )
                    yield Static(journal_lines(story, state), markup=False)
            yield Static(
                endings_summary(self._all_endings(), self._found()), id="ending-progress", markup=False
            )
        with Horizontal(id="ending-buttons"):
            yield Button("Play again", id="again", variant="primary")
            yield Button("Back to title", id="title")
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = self.session.story.title
        self.sub_title = "The end"

    def _all_endings(self) -> list[str]:
        titles: list[str] = []
        for scene in self.session.story.endings:
            if scene.ending is not None and scene.ending not in titles:
                titles.append(scene.ending)
        return titles

    def _found(self) -> set[str]:
        progress = self.app.services.store.progress
        story_id, ending = self.session.story.id, self.session.ending
        if ending is not None:
            try:
                progress.record_ending(story_id, ending)
            except SaveError as exc:
                self.notify(f"Could not record this ending: {exc.message}", severity="warning", markup=False)
                return progress.endings_found(story_id) | {ending}
        return progress.endings_found(story_id)

    def action_scroll_body(self, how: str) -> None:
        if how in ("up", "down", "page_up", "page_down", "home", "end"):
            body = self.query_one("#ending-body", VerticalScroll)
            getattr(body, f"scroll_{how}")(animate=False)  # scroll_up, scroll_page_down, scroll_home, ...

    def action_case_map(self) -> None:
        """The whole game as a flowchart; going back to a step leaves the ending ("back:N")."""
        from coldcase_game.tui.screens.case_map import CaseMapScreen

        self.app.push_screen(CaseMapScreen(self.session), self._after_map)

    def _after_map(self, back: int | None) -> None:
        if back:
            self.dismiss(f"back:{back}")

    @on(Button.Pressed, "#again")
    def _again(self) -> None:
        self.dismiss("again")

    @on(Button.Pressed, "#title")
    def _title(self) -> None:
        self.dismiss("title")

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Play again", "Start this case again (r)", lambda: self.dismiss("again"))
        yield SystemCommand("Back to title", "Choose another case (t)", lambda: self.dismiss("title"))
        yield SystemCommand("Undo", "Take back the last choice and play on (u)", lambda: self.dismiss("undo"))
        yield SystemCommand("History", "The whole transcript of this game (h)", self.action_history)
        yield SystemCommand(
            "Case map", "The game as a flowchart; go back to any step (m)", self.action_case_map
        )
        yield SystemCommand("Help", "Keys and how to play (?)", self.action_help)
