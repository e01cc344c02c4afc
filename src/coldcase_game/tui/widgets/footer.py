"""The key footer. On narrow terminals it is compact and leaves out the Ctrl+P hint
(the palette still opens; the help lists it) so the game's own keys fit."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 80


class GameFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        narrow = event.size.width < COMPACT_BELOW
        self.compact = narrow
        if self.show_command_palette == narrow:
            self.show_command_palette = not narrow
            self.call_after_refresh(self.recompose)
