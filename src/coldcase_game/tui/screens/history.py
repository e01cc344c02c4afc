"""The history: the whole transcript of the game so far, scene by scene with each choice made."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from coldcase_game.session import Session, TranscriptStep
from coldcase_game.story.model import Story
from coldcase_game.tui.announce import change_lines, screen_text, then_content
from coldcase_game.tui.safe_text import story_text
from coldcase_game.tui.widgets.footer import GameFooter


def step_content(story: Story, step: TranscriptStep) -> Content:
    """One step: what the choice that led here changed, the scene as shown, what its `on_enter`
    changed, and the choice made there (the contract's order of announcements)."""
    parts: list[Content] = [Content.assemble((f"Step {step.number}", "bold reverse"))]
    changes = change_lines(story, step.state.last.do)
    if changes:
        parts.append(Content("\n").join(changes))
    parts.append(screen_text(story, step.state.last.passed, step.title, step.paragraphs))
    arrival = change_lines(story, step.state.last.on_enter)
    if arrival:
        parts.append(Content("\n").join(arrival))
    if step.choice_text is not None:
        chosen = story_text(step.choice_text, story.format).stylize("italic")
        parts.append(Content.assemble(("→ You chose: ", "bold"), chosen))
        if step.then:  # format 2: what happened right after the choice, set apart from the scene's text
            parts.append(then_content(step.then, story.format).stylize("italic dim"))
    return Content("\n\n").join(parts)


class HistoryScreen(ModalScreen[None]):
    CSS_PATH = "history.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("h", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
        Binding("home", "scroll_to(0)", "Top", show=False),
        Binding("end", "scroll_to(1)", "Bottom", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        steps = self.session.transcript()
        with Vertical(classes="dialog", id="history-dialog"):
            yield Static(
                f"History: {len(steps) - 1} choice{'s' if len(steps) != 2 else ''} so far",
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(id="history-scroll"):
                for step in steps:
                    yield Static(step_content(self.session.story, step), classes="history-step", markup=False)
            yield Static("↑ ↓ PgUp PgDn scroll · Home/End · Esc closes", classes="hint", markup=False)
        yield GameFooter()

    def on_mount(self) -> None:
        scroll = self.query_one("#history-scroll", VerticalScroll)
        scroll.focus()
        self.call_after_refresh(scroll.scroll_end, animate=False)

    def action_scroll_to(self, where: int) -> None:
        scroll = self.query_one("#history-scroll", VerticalScroll)
        if where:
            scroll.scroll_end(animate=False)
        else:
            scroll.scroll_home(animate=False)
