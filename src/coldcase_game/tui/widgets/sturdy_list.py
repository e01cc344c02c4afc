"""An OptionList that survives being laid out with no room at all.

Rich's word wrapping fails on a width of zero, which an OptionList can be given
for a moment while a tiny terminal is being laid out (before the screen's
breakpoint classes fold the sidebar away). Measuring with at least a few
columns keeps that from crashing; the widget is not visible at such sizes.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import OptionList

MIN_MEASURE_WIDTH = 8


class SturdyOptionList(OptionList):
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return super().get_content_height(container, viewport, max(width, MIN_MEASURE_WIDTH))
