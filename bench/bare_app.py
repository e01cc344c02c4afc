"""The floor for the TUI's pty figures (bench/tui_pty.py): a bare Textual app with the play
screen's bones (a Header, a Static of narration, an OptionList of choices, a Footer) that swaps
the Static's text and the OptionList's options on each key 1-9, as a scene change does.

Its first screen shows `Bare scene 0.`; the key press after scene N shows `Bare scene N+1.`.
Run it as a program: `python bench/bare_app.py`.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Footer, Header, OptionList, Static

PARAGRAPH = " ".join(["The rain keeps its own counsel on the station roof, and nobody looks up."] * 5)


def scene_marker(number: int) -> str:
    """The text the screen shows once scene `number` is drawn (first on the Static's first line)."""
    return f"Bare scene {number}."


def scene_text(number: int) -> str:
    return f"{scene_marker(number)}\n\n{PARAGRAPH}\n\n{PARAGRAPH}"


class Bare(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding(str(n), "next", show=n == 1) for n in range(1, 10)]

    def __init__(self) -> None:
        super().__init__()
        self.scene = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(scene_text(0), id="text", markup=False)
        yield OptionList(*self._options(), id="choices")
        yield Footer()

    def _options(self) -> list[str]:
        return [f"{n}. Choice {n} of scene {self.scene}." for n in (1, 2, 3)]

    def action_next(self) -> None:
        self.scene += 1
        self.query_one("#text", Static).update(scene_text(self.scene))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(self._options())


if __name__ == "__main__":
    Bare().run()
