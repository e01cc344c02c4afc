"""The replay viewer: step through a saved game, with trust and journal as they were at each step.

Keys: → / n next, ← / p previous, space auto-play, Home / End, q (or Esc) leaves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Static

from coldcase_game.session import Session, TranscriptStep
from coldcase_game.story.model import Story
from coldcase_game.tui.announce import change_lines, screen_text, then_content
from coldcase_game.tui.safe_text import story_text, trust_bar
from coldcase_game.tui.screens.story_actions import StoryActions
from coldcase_game.tui.widgets.footer import GameFooter
from coldcase_game.tui.widgets.narration import Narration
from coldcase_game.tui.widgets.sidebar import Sidebar, last_trust_changes, last_var_changes

AUTO_PLAY_SECONDS = 1.5


@dataclass(frozen=True)
class ReplayData:
    """What the viewer shows: the story, every step of the game, and lines about a divergence."""

    story: Story
    steps: tuple[TranscriptStep, ...]
    report: tuple[str, ...] = ()

    @classmethod
    def from_session(cls, session: Session, report: Sequence[str] = ()) -> ReplayData:
        return cls(session.story, tuple(session.transcript()), tuple(report))


class ReplayScreen(StoryActions, Screen[None]):
    CSS_PATH = "replay.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,p", "move(-1)", "Previous", key_display="← p"),
        Binding("right,n", "move(1)", "Next", key_display="→ n"),
        Binding("space", "toggle_play", "Auto-play"),
        Binding("home", "jump(0)", "First"),
        Binding("end", "jump(-1)", "Last"),
        Binding("j", "toggle_sidebar", "Sidebar"),
        Binding("q", "leave", "Quit"),
        Binding("escape", "leave", "Back", show=False),
        Binding("pageup", "scroll_story(-1)", show=False),
        Binding("pagedown", "scroll_story(1)", show=False),
    ]

    def __init__(self, data: ReplayData, *, standalone: bool = False) -> None:
        super().__init__()
        self.data = data
        self.standalone = standalone
        self.index = 0
        self._timer: Timer | None = None

    @property
    def last_index(self) -> int:
        return len(self.data.steps) - 1

    @property
    def playing(self) -> bool:
        return self._timer is not None

    def compose(self) -> ComposeResult:
        yield Header(icon="▣")
        with Horizontal(id="body"):
            with Vertical(id="main"):
                yield Static(id="replay-position", markup=False)
                if self.data.report:
                    yield Static("\n".join(self.data.report), id="replay-report", markup=False)
                with VerticalScroll(id="story", can_focus=False):
                    yield Static(id="then", markup=False)
                    yield Static(id="announce", markup=False)
                    yield Narration(id="narration")
                    yield Static(id="arrival", markup=False)
                yield Static(id="replay-choice", markup=False)
            yield Sidebar(id="sidebar")
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = self.data.story.title
        self.sub_title = "Replay"
        self.show_step()

    # --- showing a step ------------------------------------------------------------------
    def show_step(self) -> None:
        data, i = self.data, self.index
        step = data.steps[i]
        story = data.story
        total = self.last_index
        mode = "  ▶ playing (space pauses)" if self.playing else ""
        width = 20
        bar = trust_bar(100 * i // total if total else 100, width)
        self.query_one("#replay-position", Static).update(
            Content.assemble((f"Step {i} of {total}", "bold"), f"  {bar}", mode)
        )
        # the contract's order: the `then` that led here (format 2), the choice's `do` changes,
        # the narration, the `on_enter` changes
        then = self.query_one("#then", Static)
        then.update(then_content(step.state.last.then, story.format))
        then.display = bool(step.state.last.then)
        for selector, changes in (("#announce", step.state.last.do), ("#arrival", step.state.last.on_enter)):
            lines = change_lines(story, changes)
            widget = self.query_one(selector, Static)
            widget.update(Content("\n").join(lines))
            widget.display = bool(lines)
        # a screen that starts with a format-2 scene without a title keeps the last heading shown
        kept = next((s.title for s in reversed(data.steps[:i]) if s.title), None)
        text = screen_text(story, step.state.last.passed, step.title, step.paragraphs, kept)
        self.query_one(Narration).show(text, animate=False)
        self.query_one("#story", VerticalScroll).scroll_home(animate=False)
        if step.choice_text is not None:
            chosen = Content.assemble(("→ You chose: ", "bold"), story_text(step.choice_text, story.format))
        elif step.state.last.ending is not None and i == total:
            chosen = Content.assemble(("The end: ", "bold"), step.state.last.ending)
        else:
            chosen = Content("The saved game stops here.")
        self.query_one("#replay-choice", Static).update(chosen)
        states = [s.state for s in data.steps[: i + 1]]
        self.query_one(Sidebar).show(story, step.state, last_trust_changes(states), last_var_changes(states))

    # --- moving ------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self._go(self.index + delta)

    def action_jump(self, where: int) -> None:
        self._go(self.last_index if where < 0 else where)

    def _go(self, index: int) -> None:
        index = max(0, min(self.last_index, index))
        if index != self.index:
            self.index = index
            self.show_step()
        elif not self.playing:
            self.app.bell()

    def action_toggle_play(self) -> None:
        if self._timer is not None:
            self._stop()
        else:
            if self.index >= self.last_index:
                self.index = 0
            self._timer = self.set_interval(AUTO_PLAY_SECONDS, self._advance)
        self.show_step()

    def _advance(self) -> None:
        if self.index >= self.last_index:
            self._stop()
            self.show_step()
            return
        self.index += 1
        if self.index >= self.last_index:
            self._stop()
        self.show_step()

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def action_leave(self) -> None:
        self._stop()
        if self.standalone:
            self.app.exit(0)
        else:
            self.dismiss(None)

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Next step", "→ or n", lambda: self.action_move(1))
        yield SystemCommand("Previous step", "← or p", lambda: self.action_move(-1))
        yield SystemCommand("Auto-play", "Step forward by itself (space)", self.action_toggle_play)
        yield SystemCommand("First step", "Home", lambda: self.action_jump(0))
        yield SystemCommand("Last step", "End", lambda: self.action_jump(-1))
