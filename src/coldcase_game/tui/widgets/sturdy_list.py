"""An OptionList that survives being laid out with no room at all, and measures its
height at the width it draws at.

Rich's word wrapping fails on a width of zero, which an OptionList can be given
for a moment while a tiny terminal is being laid out (before the screen's
breakpoint classes fold the sidebar away). Measuring with at least a few
columns keeps that from crashing; the widget is not visible at such sizes.

With `scrollbar-gutter: stable` Textual measures an auto height at the width
before the gutter is taken off, so a choice that wraps only in the narrower
drawn width would be cut off: the gutter is taken off here.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import OptionList

MIN_MEASURE_WIDTH = 8


class SturdyOptionList(OptionList):
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.styles.scrollbar_gutter == "stable":
            width -= self.styles.scrollbar_size_vertical
        return super().get_content_height(container, viewport, max(width, MIN_MEASURE_WIDTH))
