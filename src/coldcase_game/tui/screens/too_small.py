"""Shown instead of everything else while the terminal is below the minimum size."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 44
MIN_HEIGHT = 14


def size_message(width: int, height: int) -> str:
    return (
        f"Enlarge the terminal.\n\n"
        f"Cold Case needs at least {MIN_WIDTH}×{MIN_HEIGHT}; "
        f"this one is {width}×{height}.\n\nq quits."
    )


class TooSmallScreen(Screen[None]):
    """Pops itself (via the app) once the terminal is large enough again."""

    CSS_PATH = "too_small.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("q", "app.quit", "Quit")]

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self._size_shown = (width, height)

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(size_message(*self._size_shown), id="too-small-message", markup=False)

    def show_size(self, width: int, height: int) -> None:
        self._size_shown = (width, height)
        for message in self.query("#too-small-message").results(Static):
            message.update(size_message(width, height))
