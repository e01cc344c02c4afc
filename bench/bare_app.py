"""The floor for the TUI's pty figures (bench/tui_pty.py): a bare Textual app with the play
screen's bones (a Header, a Static of narration, an OptionList of choices, a Footer) that swaps
the Static's text and the OptionList's options on each key 1-9, as a scene change does.

Its first screen shows `Bare scene 0.`; the key press after scene N shows `Bare scene N+1.`.
Run it as a program: `python bench/bare_app.py`. With `--varied` its scenes differ in length (one
to five paragraphs, a scrollbar when they do not fit), as a story's do: each key press then lays
the screen out anew, which the floor's scenes of one length never do (notes/tui-latency.md).
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static

PARAGRAPH = " ".join(["The rain keeps its own counsel on the station roof, and nobody looks up."] * 5)


def scene_marker(number: int) -> str:
    """The text the screen shows once scene `number` is drawn (first on the Static's first line)."""
    return f"Bare scene {number}."


def scene_text(number: int, varied: bool = False) -> str:
    paragraphs = 1 + (number * 3) % 5 if varied else 2
    return "\n\n".join([scene_marker(number), *[PARAGRAPH] * paragraphs])


class Bare(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding(str(n), "next", show=n == 1) for n in range(1, 10)]

    def __init__(self, varied: bool = False) -> None:
        super().__init__()
        self.scene = 0
        self.varied = varied

    def compose(self) -> ComposeResult:
        yield Header()
        if self.varied:  # a story's column: the text scrolls above the choices
            with VerticalScroll(id="story"):
                yield Static(scene_text(0, True), id="text", markup=False)
        else:
            yield Static(scene_text(0), id="text", markup=False)
        yield OptionList(*self._options(), id="choices")
        yield Footer()

    def _options(self) -> list[str]:
        return [f"{n}. Choice {n} of scene {self.scene}." for n in (1, 2, 3)]

    def action_next(self) -> None:
        self.scene += 1
        self.query_one("#text", Static).update(scene_text(self.scene, self.varied))
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        choices.add_options(self._options())


if __name__ == "__main__":
    Bare(varied="--varied" in sys.argv[1:]).run()
