"""What the player sees: the rendered screen as plain text, and small waiting helpers."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from textual.app import App
from textual.pilot import Pilot

S = TypeVar("S")

_BOX = re.compile("[\u2500-\u257f]")  # box-drawing characters: borders and dividers


def screen_text(app: App[Any], selector: str | None = None) -> str:
    """The top screen as rendered, one line per terminal row, without styles.

    With `selector`, only the rows and columns of that widget's content (inside its
    border and padding).
    """
    strips = app.screen._compositor.render_strips()
    if selector is None:
        return "\n".join(strip.text for strip in strips)
    region = app.screen.query_one(selector).content_region
    rows = strips[region.y : region.y + region.height]
    return "\n".join(strip.crop(region.x, region.x + region.width).text for strip in rows)


def flat(text: str) -> str:
    """Drop borders and collapse whitespace, so text wrapped over rows can be searched for."""
    return " ".join(_BOX.sub(" ", text).split())


def sees(app: App[Any], text: str, selector: str | None = None) -> bool:
    return flat(text) in flat(screen_text(app, selector))


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and the screen refresh."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def top(app: App[Any], kind: type[S]) -> S:
    """The screen on top, which the test expects to be a `kind` (so its attributes are typed)."""
    screen = app.screen
    assert isinstance(screen, kind), f"the top screen is a {type(screen).__name__}, not a {kind.__name__}"
    return screen
