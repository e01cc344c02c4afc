"""Build Textual `Content` from untrusted text (story text, save names) without parsing markup.

Every string that came from a story file or a save goes through `plain()` or
`Content.assemble` parts here: square brackets, `[@click=...]` and `[/]` are
shown exactly as written. Styles are only ever added by this module's own code.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

from coldcase_game.engine import TrustDelta, VarDelta
from coldcase_game.story.inline import shown_runs

BAR_WIDTH = 10
FULL, EMPTY = "█", "░"
UP, DOWN = "▲", "▼"


def plain(text: str, style: str = "") -> Content:
    """Untrusted text as Content, with an optional style of our own."""
    content = Content(text)
    return content.stylize(style) if style else content


def trust_bar(value: int, width: int = BAR_WIDTH) -> str:
    """A bar readable without colour: filled and empty blocks, one per 10 points."""
    value = max(0, min(100, value))
    filled = (value * width + 50) // 100
    return FULL * filled + EMPTY * (width - filled)


def stat_bar(value: int, low: int, high: int, width: int = BAR_WIDTH) -> str:
    """A named variable's bar over its own `min..max`: empty at `min`, full at `max`."""
    span = high - low
    if span <= 0:
        return FULL * width
    filled = ((max(low, min(high, value)) - low) * width * 2 + span) // (span * 2)
    return FULL * filled + EMPTY * (width - filled)


def stat_value(value: int, low: int, high: int) -> str:
    """`2/3` for a variable counted from 0; `-1 in -5..5` for any other range."""
    return f"{value}/{high}" if low == 0 else f"{value} in {low}..{high}"


def signed_change(delta: int) -> str:
    """`▲10`, `▼5`, or `` for no change: the arrow carries the sign without colour."""
    if delta > 0:
        return f"{UP}{delta}"
    if delta < 0:
        return f"{DOWN}{-delta}"
    return ""


def story_text(text: str, story_format: int) -> Content:
    """Text the story shows: its characters as written, and (format 2) `_emphasis_` in italics.
    The emphasis is a style added here, never markup read from the text."""
    return Content.assemble(*((run, "italic") if em else run for run, em in shown_runs(text, story_format)))


def paragraphs(title: str | None, texts: Iterable[str], story_format: int = 1) -> Content:
    """A scene: its title in bold (when it has one), then paragraphs separated by blank lines
    (with format 2's emphasis when `story_format` is 2)."""
    parts: list[Content] = []
    if title:
        parts.append(plain(title, "bold"))
    parts.extend(story_text(text.strip("\n"), story_format) for text in texts)
    return Content("\n\n").join(parts)


def trust_announcement(name: str, change: TrustDelta) -> Content:
    word = "trusts you more" if change.delta > 0 else "trusts you less"
    return Content.assemble(
        (signed_change(change.delta), "bold"),
        " ",
        (name, "bold"),
        f" {word}: {change.before} → {change.after}",
    )


def clue_announcement(text: str) -> Content:
    return Content.assemble(("✎ New clue: ", "bold"), text)


def stat_announcement(name: str, change: VarDelta) -> Content:
    word = "up" if change.delta > 0 else "down"
    return Content.assemble(
        (signed_change(change.delta), "bold"),
        " ",
        (name, "bold"),
        f" {word}: {change.before} → {change.after}",
    )
