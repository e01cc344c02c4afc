"""The scene text, with an optional typewriter reveal that `finish()` completes at once."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

CHARS_PER_SECOND = 600
TICKS_PER_SECOND = 30


class Narration(Static):
    """Shows a scene's text. With `animate=True` the text appears a few words at a time."""

    DEFAULT_CSS = """
    Narration { width: 1fr; height: auto; }
    """

    class Revealed(Message):
        """The whole text is showing (posted when a reveal finishes or is cut short)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(Content(""), id=id, classes=classes, markup=False)
        self._full = Content("")
        self._shown = 0
        self._timer: Timer | None = None
        self.auto_links = False  # story text has no links: not looked for in every line drawn

    @property
    def full_text(self) -> str:
        return self._full.plain

    @property
    def revealing(self) -> bool:
        return self._timer is not None

    def show(self, content: Content, *, animate: bool) -> None:
        """Replace the text; reveal it gradually when `animate`."""
        self._stop()
        self._full = content
        if animate and len(content) > 0:
            self._shown = 0
            self.update(Content(""))
            self._timer = self.set_interval(1 / TICKS_PER_SECOND, self._tick)
        else:
            self._shown = len(content)
            self.update(content)

    def finish(self) -> bool:
        """Show everything now. Returns True if a reveal was in progress."""
        if self._timer is None:
            return False
        self._stop()
        self._shown = len(self._full)
        self.update(self._full)
        self.post_message(self.Revealed())
        return True

    def _tick(self) -> None:
        step = max(1, CHARS_PER_SECOND // TICKS_PER_SECOND)
        text = self._full.plain
        end = min(len(text), self._shown + step)
        # Finish the word in progress so words do not jump between lines while typing.
        while end < len(text) and not text[end].isspace():
            end += 1
        self._shown = end
        if end >= len(text):
            self.finish()
        else:
            self.update(self._full[:end])

    def _stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
