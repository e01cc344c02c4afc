"""The pure game rules: `start(story)` and `step(story, state, choice_id)`.

Nothing here reads files, parses YAML or draws anything; every front end,
undo, replay, explore and the save code are built on these functions.
"""

from coldcase_game.engine.rules import (
    ChoiceOption,
    IllegalChoice,
    after_do,
    available_choices,
    choice_options,
    ending_title,
    heading,
    is_over,
    is_visible,
    narration,
    render,
    shown,
    shown_vars,
    start,
    step,
    visible_characters,
)
from coldcase_game.engine.state import Announced, Changes, GameState, Passage, TrustDelta, VarDelta

__all__ = [
    "Announced",
    "Changes",
    "ChoiceOption",
    "GameState",
    "IllegalChoice",
    "Passage",
    "TrustDelta",
    "VarDelta",
    "after_do",
    "available_choices",
    "choice_options",
    "ending_title",
    "heading",
    "is_over",
    "is_visible",
    "narration",
    "render",
    "shown",
    "shown_vars",
    "start",
    "step",
    "visible_characters",
]
