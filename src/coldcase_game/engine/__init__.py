"""The pure game rules: `start(story)` and `step(story, state, choice_id)`.

Nothing here reads files, parses YAML or draws anything; every front end,
undo, replay, explore and the save code are built on these functions.
"""

from coldcase_game.engine.rules import (
    ChoiceOption,
    IllegalChoice,
    available_choices,
    choice_options,
    ending_title,
    is_over,
    narration,
    start,
    step,
)
from coldcase_game.engine.state import Announced, Changes, GameState, TrustDelta

__all__ = [
    "Announced",
    "Changes",
    "ChoiceOption",
    "GameState",
    "IllegalChoice",
    "TrustDelta",
    "available_choices",
    "choice_options",
    "ending_title",
    "is_over",
    "narration",
    "start",
    "step",
]
