"""The case map: the game so far as a flowchart (key m, and the palette).

The scenes visited, in order, joined by the choice taken at each; the choices not taken
branch off to "?" (or to a scene visited in this game, or an ending found before). Arrows,
Home/End and the mouse move between steps; Enter (or a click) on an earlier step offers to
go back to it, which is the session's undo. Dismissed with the number of choices to take
back (0 for none).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from coldcase_game.session import Session
from coldcase_game.session.case_map import Branch, MapStep, case_map
from coldcase_game.tui.widgets.footer import GameFooter
from coldcase_game.tui.widgets.sturdy_list import SturdyOptionList

if TYPE_CHECKING:
    from coldcase_game.tui.app import ColdCaseApp

NODE, HERE, END = "●", "◆", "★"
TAKEN = "▼"
UNKNOWN = "?"


def branch_text(branch: Branch) -> Text:
    """`Ask about Berlin (locked: ...) → ?`: the choice as the player saw it, and where it goes.

    Story text goes in as `Text` objects, never parsed as markup."""
    text = Text(branch.text, style="dim" if branch.locked else "")
    if branch.locked:
        text.append(f" (locked: {branch.locked})", style="italic dim")
    text.append(" → ")
    if branch.ending_found is not None:
        text.append(f"{END} ", style="bold")
        text.append(branch.ending_found)
        text.append(" (found before)")
    elif branch.leads_to is not None:
        text.append(branch.leads_to)
    else:
        text.append(UNKNOWN, style="bold")
    return text


def step_content(step: MapStep) -> Table:
    """One step of the flowchart: the scene, its untaken branches, then the choice taken.

    A grid whose first column holds the rails and marks, so that a long line wraps under
    its own text and the flowchart's lines stay unbroken."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=4)
    grid.add_column(ratio=1)
    head = Text(step.title, style="bold")
    if step.ending is not None:
        mark = END
        head.append(f"  ending: {step.ending}", style="italic")
    else:
        mark = HERE if step.is_current else NODE
        if step.is_current:
            head.append("  ← you are here", style="italic")
    head.append(f"  step {step.number}", style="dim")
    grid.add_row(Text(mark, style="bold"), head)
    rail = "│ " if step.chosen is not None else "  "
    for n, branch in enumerate(step.branches):
        grid.add_row(Text(rail + ("└─" if n == len(step.branches) - 1 else "├─")), branch_text(branch))
    if step.chosen is not None:
        grid.add_row(Text(TAKEN, style="bold"), Text(step.chosen, style="bold"))
    return grid


def map_options(steps: Iterable[MapStep]) -> list[Option]:
    return [Option(step_content(step), id=f"step-{step.number}") for step in steps]


class CaseMapScreen(Screen[int]):
    if TYPE_CHECKING:  # the screen runs in a ColdCaseApp: self.app.services is checked
        app = getters.app(ColdCaseApp)

    CSS_PATH = "case_map.tcss"
    AUTO_FOCUS = "#map"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "go_back", "Go back there", key_display="Enter"),
        Binding("escape", "dismiss(0)", "Close"),
        Binding("m", "dismiss(0)", "Close", show=False),
        Binding("q", "dismiss(0)", "Close", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.steps: list[MapStep] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="▣")
        yield SturdyOptionList(id="map", markup=False)
        yield Static(
            "↑ ↓ move · Enter or click: go back to that step · Esc closes",
            id="map-hint",
            classes="hint",
            markup=False,
        )
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = self.session.story.title
        self.sub_title = "Case map"
        found = self.app.services.store.progress.endings_found(self.session.story.id)
        self.steps = case_map(self.session, found)
        listing = self.query_one("#map", OptionList)
        listing.border_title = f"Case map: {len(self.steps) - 1} choices so far"
        listing.add_options(map_options(self.steps))
        listing.highlighted = len(self.steps) - 1
        self.call_after_refresh(listing.scroll_end, animate=False)

    @on(OptionList.OptionSelected, "#map")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.offer_going_back(event.option_index)

    def action_go_back(self) -> None:
        highlighted = self.query_one("#map", OptionList).highlighted
        if highlighted is not None:
            self.offer_going_back(highlighted)

    def offer_going_back(self, number: int) -> None:
        """Ask before going back to step `number`: that takes back every choice after it."""
        back = self.session.steps - number
        if back <= 0:
            self.notify("This is where you are.", markup=False)
            return
        from coldcase_game.tui.screens.confirm import ConfirmDialog

        step = self.steps[number]
        choices = f"{back} choice{'s' if back != 1 else ''}"
        dialog = ConfirmDialog(
            f"Go back to step {number}?",
            [f"Back to {step.title}, taking back the last {choices}.", "You can play on from there."],
            yes="Go back",
            no="Stay",
        )
        self.app.push_screen(dialog, lambda yes: self._answered(bool(yes), back))

    def _answered(self, yes: bool, back: int) -> None:
        if yes:
            self.dismiss(back)
