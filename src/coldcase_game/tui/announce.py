"""What a step changed, as lines for the player: trust up or down, and new clues.

A step announces in two places (the contract's order of announcements): what the choice's
`do` changed, before the next scene, and what that scene's `on_enter` changed, after its narration.
"""

from __future__ import annotations

from textual.content import Content

from coldcase_game.engine import Announced
from coldcase_game.story.model import Story
from coldcase_game.tui.safe_text import clue_announcement, trust_announcement


def change_lines(story: Story, changes: Announced) -> list[Content]:
    """One line per trust change, then one per new clue, in the order they happened."""
    lines: list[Content] = []
    for change in changes.trust:
        character = story.characters.get(change.character)
        lines.append(trust_announcement(character.name if character else change.character, change))
    for flag_id in changes.clues:
        flag = story.flags.get(flag_id)
        lines.append(clue_announcement(flag.text if flag else flag_id))
    return lines
