"""The current scene's choices: numbered when available, dimmed with their hint when locked."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets.option_list import Option

from coldcase_game.engine import ChoiceOption
from coldcase_game.tui.safe_text import story_text
from coldcase_game.tui.widgets.sturdy_list import SturdyOptionList

LOCKED_MARK = "✕"
SHOWN_IN_FULL = 6  # up to this many choices are always all visible; the narration scrolls instead
STORY_ROWS = 3  # rows the narration keeps however many lines the choices take
MANY_SHARE = 0.5  # beyond SHOWN_IN_FULL, the list takes at most this share of the rows and scrolls


class HangingPrompt(Visual):
    """A label (`1.`, `✕`) in a gutter of its own, the text wrapping beside it, never under it.

    Textual's own Content does the wrapping (a Rich table did the same at several times the cost,
    measured again for each layout and render of the list)."""

    def __init__(self, label: Content, body: Content, gutter: int) -> None:
        self.label = label
        self.body = body
        self.gutter = gutter

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.gutter + self.body.get_optimal_width(rules, max(1, container_width - self.gutter))

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.body.get_height(rules, max(1, width - self.gutter))

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        gutter = min(self.gutter, width)
        lines = self.body.render_strips(max(1, width - gutter), height, style, options)
        rich_style = style.rich_style
        label = self.label.render_strips(gutter, 1, style, options)
        first = label[0].extend_cell_length(gutter, rich_style) if label else Strip.blank(gutter, rich_style)
        blank = Strip.blank(gutter, rich_style)
        return [Strip.join([first if n == 0 else blank, line]) for n, line in enumerate(lines)]


def choice_prompt(option: ChoiceOption, story_format: int = 1) -> HangingPrompt:
    """`1. text` for an available choice; `✕ text` plus `locked: hint` for a locked one.

    A long choice wraps under its own text, not under the number. Story text goes in as
    plain Content parts: never parsed as markup. The text is as shown (`option.text`: inline
    pieces rendered), with format 2's emphasis in italics.
    """
    gutter = 3 if option.number is None or option.number < 10 else 4
    if option.number is not None:
        return HangingPrompt(
            Content.styled(f"{option.number}.", "bold"), story_text(option.text, story_format), gutter
        )
    hint = story_text(option.locked_reason or "", story_format).stylize("italic")
    body = Content.assemble(story_text(option.text, story_format), ("\nlocked: ", "italic"), hint)
    return HangingPrompt(Content(LOCKED_MARK), body, gutter)


class ChoiceList(SturdyOptionList):
    """An OptionList whose option ids are choice ids; locked choices are disabled options."""

    DEFAULT_CSS = """
    ChoiceList { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, markup=False)
        self.options_shown: tuple[ChoiceOption, ...] = ()
        self._room = 0
        self._more_pending = False  # a _show_more waits for the next refresh
        self.auto_links = False  # choices are story text, without links

    def on_mount(self) -> None:
        self.watch(self, "scroll_y", self._show_more, init=False)
        self.watch(self, "virtual_size", self._show_more, init=False)

    def show(self, options: Sequence[ChoiceOption], story_format: int = 1) -> None:
        self.options_shown = tuple(options)
        # one replacement, not a clear and an add: each of those lays the list out again
        self.set_options(
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
        cap = max(3, int(room * MANY_SHARE) if self.many else room - STORY_ROWS)
        # set only when it changes: each setting asks for a layout and a repaint of the list
        if self.styles.max_height is None or self.styles.max_height.cells != cap:
            self.styles.max_height = cap
        self.set_class(self.many, "-many")
        if not self._more_pending:  # once per refresh, however many times the list was fitted
            self._more_pending = True
            self.call_after_refresh(self._show_more)

    def _show_more(self) -> None:
        """Say on the border that the list scrolls, and which way there is more."""
        self._more_pending = False
        above = self.scroll_y > 0
        below = self.scroll_y < self.max_scroll_y
        if above and below:
            more = "↑ more ↓"
        elif below:
            more = "more ↓"
        elif above:
            more = "↑ more"
        else:
            more = ""
        if more != self.border_subtitle:  # setting it, even to the same text, repaints the list
            self.border_subtitle = more
