"""The current scene's choices: numbered when available, dimmed with their hint when locked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets.option_list import Option

from coldcase_game.engine import ChoiceOption
from coldcase_game.tui.widgets.sturdy_list import SturdyOptionList

LOCKED_MARK = "✕"


def choice_prompt(option: ChoiceOption) -> Table:
    """`1. text` for an available choice; `✕ text` plus `locked: hint` for a locked one.

    A two-column grid, so a long choice wraps under its own text, not under the number.
    Story text goes in as `Text` objects: never parsed as markup.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2 if option.number is None or option.number < 10 else 3, no_wrap=True)
    grid.add_column(ratio=1)
    if option.number is not None:
        grid.add_row(Text(f"{option.number}.", style="bold"), Text(option.choice.text))
    else:
        body = Text(option.choice.text)
        body.append("\nlocked: ", style="italic")
        body.append(option.locked_reason or "", style="italic")
        grid.add_row(Text(LOCKED_MARK), body)
    return grid


class ChoiceList(SturdyOptionList):
    """An OptionList whose option ids are choice ids; locked choices are disabled options."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.options_shown: tuple[ChoiceOption, ...] = ()

    def show(self, options: Sequence[ChoiceOption]) -> None:
        self.options_shown = tuple(options)
        self.clear_options()
        self.add_options(Option(choice_prompt(o), id=o.choice.id, disabled=not o.available) for o in options)
        first = next((i for i, o in enumerate(options) if o.available), None)
        self.highlighted = first
