"""The key footer. On narrow terminals it is compact and leaves out the Ctrl+P hint
(the palette still opens; the help lists it) so the game's own keys fit. When even
the compact keys are wider than the terminal, the least needed ones are left out,
from the right, so that what is shown is never cut off: the first key (a screen's
main action), Help (which lists every key) and Quit always stay."""

from __future__ import annotations

from collections.abc import Iterable

from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

COMPACT_BELOW = 80
ALWAYS_SHOWN = frozenset({"help", "app.quit"})


def key_width(key: FooterKey, compact: bool) -> int:
    """Columns a key takes in the footer (its key, its description, the padding around them)."""
    description = len(key.description)
    if compact:
        return len(key.key_display) + (1 + description if description else 0) + 1  # margin-right
    return len(key.key_display) + 2 + (description + 1 if description else 0)


def fitting(widgets: Iterable[Widget], width: int, compact: bool) -> list[Widget]:
    """`widgets` less the keys that would not fit in `width` columns, dropped from the right."""
    shown = list(widgets)
    keys = [w for w in shown if isinstance(w, FooterKey) and not w.has_class("-command-palette")]
    if width <= 0 or not keys:
        return shown
    for palette in (w for w in shown if isinstance(w, FooterKey) and w.has_class("-command-palette")):
        width -= key_width(palette, compact) + 2  # docked on the right, with a border and padding
    droppable = [k for k in keys[1:] if k.action not in ALWAYS_SHOWN]
    total = sum(key_width(k, compact) for k in keys)
    while total > width and droppable:
        key = droppable.pop()
        shown.remove(key)
        total -= key_width(key, compact)
    return shown


class GameFooter(Footer):
    def compose(self) -> ComposeResult:
        yield from fitting(super().compose(), self.size.width, self.compact)

    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < COMPACT_BELOW
        self.compact = narrow
        self.show_command_palette = not narrow
        self.call_after_refresh(self.recompose)
