"""What a step changed, as lines for the player: trust up or down, named variables, new clues.

A step announces in two places (the contract's order of announcements): what the choice's
`do` changed, before the next scene, and what that scene's `on_enter` changed, after its narration.
"""

from __future__ import annotations

from textual.content import Content

from coldcase_game import engine
from coldcase_game.engine import Announced, Passage
from coldcase_game.story.model import Story
from coldcase_game.tui.safe_text import (
    clue_announcement,
    paragraphs,
    stat_announcement,
    story_text,
    trust_announcement,
)


def change_lines(story: Story, changes: Announced) -> list[Content]:
    """One line per trust change, then one per named variable's change (format 2; hidden
    variables are never in `changes`), then one per new clue, in the order they happened."""
    lines: list[Content] = []
    for change in changes.trust:
        character = story.characters.get(change.character)
        lines.append(trust_announcement(character.name if character else change.character, change))
    for vchange in changes.vars:
        var = story.vars.get(vchange.var)
        lines.append(stat_announcement(var.name if var and var.name else vchange.var, vchange))
    for flag_id in changes.clues:
        flag = story.flags.get(flag_id)
        lines.append(clue_announcement(flag.text if flag else flag_id))
    return lines


def screen_text(
    story: Story,
    passed: tuple[Passage, ...],
    title: str | None,
    texts: tuple[str, ...],
    kept: str | None = None,
) -> Content:
    """The narration of one screen: the scenes a `next` chain passed through (format 2), each
    with its title, its text and then what its `on_enter` changed, and last the current scene
    (`title`: its heading, or None). A format-2 scene without a title has no heading; when the
    screen starts with one, `kept` (the heading shown last before) stays at its top. Format 2's
    `_emphasis_` is italic."""
    fmt = story.format
    titles = [engine.heading(story, passage.scene) for passage in passed] + [title]
    if not titles[0]:
        titles[0] = kept
    parts: list[Content] = []
    for passage, heading in zip(passed, titles, strict=False):
        parts.append(paragraphs(heading, passage.text, fmt))
        lines = change_lines(story, passage.on_enter)
        if lines:
            parts.append(Content("\n").join(lines).stylize("italic"))
    parts.append(paragraphs(titles[-1], texts, fmt))
    return Content("\n\n").join(parts)


def then_content(then: tuple[str, ...], story_format: int = 2) -> Content:
    """A choice's `then` paragraphs (format 2), as written, emphasis in italics: the screen's
    styles set them apart."""
    return Content("\n\n").join(story_text(text.strip("\n"), story_format) for text in then)
