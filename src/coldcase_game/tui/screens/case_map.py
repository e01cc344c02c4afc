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

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
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


def branch_line(branch: Branch, last: bool) -> Content:
    """`├─ Ask about Berlin (locked: ...) → ?`: the choice as the player saw it, and where it goes."""
    if branch.ending_found is not None:
        target = Content.assemble((f"{END} ", "bold"), branch.ending_found, " (found before)")
    elif branch.leads_to is not None:
        target = Content(branch.leads_to)
    else:
        target = Content(UNKNOWN).stylize("bold")
    return Content.assemble(
        "└─ " if last else "├─ ",
        (branch.text, "dim" if branch.locked else ""),
        (f" (locked: {branch.locked})", "italic dim") if branch.locked else "",
        " → ",
        target,
    )


def step_content(step: MapStep) -> Content:
    """One step of the flowchart: the scene, its untaken branches, then the choice taken."""
    if step.ending is not None:
        head = Content.assemble(
            (f"{END} ", "bold"), (step.title, "bold"), "  ", (f"ending: {step.ending}", "italic")
        )
    else:
        mark = HERE if step.is_current else NODE
        head = Content.assemble((f"{mark} ", "bold"), (step.title, "bold"))
    if step.is_current and step.ending is None:
        head = Content.assemble(head, ("  ← you are here", "italic"))
    lines = [Content.assemble(head, (f"  step {step.number}", "dim"))]
    rail = "│  " if step.chosen is not None else "   "
    lines.extend(
        Content.assemble(rail, branch_line(branch, n == len(step.branches) - 1))
        for n, branch in enumerate(step.branches)
    )
    if step.chosen is not None:
        lines.append(Content.assemble((f"{TAKEN}  ", "bold"), (step.chosen, "bold")))
    return Content("\n").join(lines)


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
