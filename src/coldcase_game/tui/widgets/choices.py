"""The current scene's choices: numbered when available, dimmed with their hint when locked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets.option_list import Option

from coldcase_game.engine import ChoiceOption
from coldcase_game.story.inline import shown_runs
from coldcase_game.tui.widgets.sturdy_list import SturdyOptionList

LOCKED_MARK = "✕"
SHOWN_IN_FULL = 6  # up to this many choices are always all visible; the narration scrolls instead
STORY_ROWS = 3  # rows the narration keeps however many lines the choices take
MANY_SHARE = 0.5  # beyond SHOWN_IN_FULL, the list takes at most this share of the rows and scrolls


def story_text(text: str, story_format: int) -> Text:
    """Story text as a Rich `Text`: as written, with (format 2) `_emphasis_` as an italic style."""
    out = Text()
    for run, em in shown_runs(text, story_format):
        out.append(run, style="italic" if em else "")
    return out


def choice_prompt(option: ChoiceOption, story_format: int = 1) -> Table:
    """`1. text` for an available choice; `✕ text` plus `locked: hint` for a locked one.

    A two-column grid, so a long choice wraps under its own text, not under the number.
    Story text goes in as `Text` objects: never parsed as markup. The text is as shown
    (`option.text`: inline pieces rendered), with format 2's emphasis in italics.
    """
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=2 if option.number is None or option.number < 10 else 3, no_wrap=True)
    grid.add_column(ratio=1)
    if option.number is not None:
        grid.add_row(Text(f"{option.number}.", style="bold"), story_text(option.text, story_format))
    else:
        body = story_text(option.text, story_format)
        body.append("\nlocked: ", style="italic")
        hint = story_text(option.locked_reason or "", story_format)
        hint.stylize("italic")
        body.append_text(hint)
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
        self._room = 0

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._show_more, init=False)
        self.watch(self, "virtual_size", self._show_more, init=False)

    def show(self, options: Sequence[ChoiceOption], story_format: int = 1) -> None:
        self.options_shown = tuple(options)
        self.clear_options()
        self.add_options(
            Option(choice_prompt(o, story_format), id=o.choice.id, disabled=not o.available) for o in options
        )
        first = next((i for i, o in enumerate(options) if o.available), None)
        self.highlighted = first
        self.fit(self._room)

    @property
    def many(self) -> bool:
        return len(self.options_shown) > SHOWN_IN_FULL

    def fit(self, room: int) -> None:
        """Cap the list's height for a main column of `room` rows: all of up to six choices
        (the narration keeps STORY_ROWS), else a share of the rows, scrolling."""
        self._room = room
        if room <= 0:
            return
        cap = int(room * MANY_SHARE) if self.many else room - STORY_ROWS
        self.styles.max_height = max(3, cap)
        self.set_class(self.many, "-many")
        self.call_after_refresh(self._show_more)

    def _show_more(self) -> None:
        """Say on the border that the list scrolls, and which way there is more."""
        above = self.scroll_y > 0
        below = self.scroll_y < self.max_scroll_y
        if above and below:
            self.border_subtitle = "↑ more ↓"
        elif below:
            self.border_subtitle = "more ↓"
        elif above:
            self.border_subtitle = "↑ more"
        else:
            self.border_subtitle = ""
