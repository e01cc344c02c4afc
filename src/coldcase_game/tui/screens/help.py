"""The help dialog: how to play and every key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from coldcase_game.tui.widgets.footer import GameFooter

HOW_TO_PLAY = (
    "You reopen a cold case by talking to the people who were there. "
    "Each scene ends in choices; what you choose changes who trusts you, "
    "what you learn, and how the case ends. Some choices stay locked until "
    "you have earned enough trust or found the right clue: their hint says why."
)

KEYS: tuple[tuple[str, str], ...] = (
    ("1 – 9", "take the choice with that number"),
    ("↑ ↓ Enter", "move between choices and take one; a click works too"),
    ("any key", "show the whole scene at once while it is being typed"),
    ("PgUp PgDn", "scroll the scene text"),
    ("u", "undo the last choice, as often as you like"),
    ("h", "history: the whole transcript of this game"),
    ("m", "case map: the game so far as a flowchart; go back to any step"),
    ("s", "save in a named slot (every choice is also autosaved)"),
    ("j", "show or hide the sidebar: trust, stats and the case journal"),
    ("?", "this help"),
    ("Ctrl+P", "command palette: all commands, themes, animation"),
    ("Esc", "back to the title screen (the game is autosaved)"),
    ("q", "quit"),
)

SIDEBAR = (
    "Trust runs from 0 to 100, shown as a number and a bar (█ filled, ░ empty). "
    "▲ and ▼ give the last change and its size. Some cases keep Stats too, under their own "
    "heading: a name, a bar from the lowest value to the highest, and the value (2/3, or "
    "-1 in -5..5). New clues are added to the case journal in the order you find them. "
    "What a choice changes is announced above the next scene; what happens on arriving "
    "there is announced below its text."
)

CASE_MAP_KEY: tuple[tuple[str, str], ...] = (
    ("●", "a scene you passed through, with the step it was"),
    ("◆", "where you are now"),
    ("★", "an ending: this game's, or one found in an earlier game"),
    ("▼", "the choice you took there"),
    ("├─ └─", "choices not taken, and where they lead (? if not seen yet)"),
    ("Enter", "go back to an earlier step (the choices after it are undone)"),
)


def keys_table(rows: tuple[tuple[str, str], ...] = KEYS) -> Iterator[Horizontal]:
    """One row per key: the key in a fixed column, its meaning wrapping beside it."""
    for key, text in rows:
        yield Horizontal(
            Static(key, classes="help-key", markup=False),
            Static(text, classes="help-what", markup=False),
            classes="help-row",
        )


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close"),
        Binding("question_mark", "dismiss", "Close", show=False),
        Binding("q", "dismiss", "Close", show=False),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static("Help", classes="dialog-title", markup=False)
            with VerticalScroll(id="help-scroll"):
                yield Static(HOW_TO_PLAY, classes="help-text", markup=False)
                yield Static("Keys", classes="help-heading", markup=False)
                yield from keys_table()
                yield Static("The sidebar", classes="help-heading", markup=False)
                yield Static(SIDEBAR, classes="help-text", markup=False)
                yield Static("The case map (m)", classes="help-heading", markup=False)
                yield from keys_table(CASE_MAP_KEY)
        yield GameFooter()

    def on_mount(self) -> None:
        dialog = self.query_one("#help-dialog")
        dialog.border_subtitle = "Esc closes"
        self.query_one("#help-scroll").focus()

    def on_resize(self, event: events.Resize) -> None:
        """The text scrolls inside the dialog, which always fits above the footer: its
        title and its border (with "Esc closes", or "↑↓ scroll · Esc closes") stay in view."""
        dialog = self.query_one("#help-dialog")
        chrome = dialog.styles.border.spacing.height + dialog.styles.padding.height + 1  # the title
        room = event.size.height - 1 - chrome  # less the footer
        self.query_one("#help-scroll").styles.max_height = max(1, room)
        self.call_after_refresh(self._say_if_it_scrolls)

    def _say_if_it_scrolls(self) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        dialog = self.query_one("#help-dialog")
        dialog.border_subtitle = "↑↓ scroll · Esc closes" if scroll.max_scroll_y > 0 else "Esc closes"
