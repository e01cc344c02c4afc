"""The case map's content: the game so far as a flowchart, from the session's log and the
engine's choice options (no rule of its own).

One `MapStep` per scene shown: its heading, the choice taken there, and the choices that
were on offer but not taken. A branch not taken names where it leads only when the player
has been there in this game; otherwise it leads to "?", so the map never reveals an
unvisited scene. A branch that leads straight to an ending found in an earlier game is
marked with that ending's title (the player has seen it).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass

from coldcase_game import engine
from coldcase_game.session.game import Session


@dataclass(frozen=True)
class Branch:
    """A choice on offer at a step and not taken there."""

    text: str
    locked: str | None = None  # why it was locked, when it was
    leads_to: str | None = None  # the scene's heading, when visited in this game; else None ("?")
    ending_found: str | None = None  # the ending it leads to, when found in an earlier game


@dataclass(frozen=True)
class MapStep:
    number: int  # 0 for the opening scene; going back to it undoes `steps - number` choices
    title: str
    chosen: str | None  # the choice taken here; None at the current scene
    branches: tuple[Branch, ...]
    ending: str | None = None  # the ending's title, when this scene ends the game

    @property
    def is_current(self) -> bool:
        return self.chosen is None


def case_map(session: Session, endings_found: Set[str] = frozenset()) -> list[MapStep]:
    story = session.story
    states = session.states
    log = session.log
    visited = {state.scene for state in states}
    visited.update(p.scene for state in states for p in state.last.passed)  # format 2: `next` chains
    steps: list[MapStep] = []
    for number, state in enumerate(states):
        scene = story.scenes[state.scene]
        taken = log[number][1] if number < len(log) else None
        chosen: str | None = None
        branches: list[Branch] = []
        for option in engine.choice_options(story, state):
            choice = option.choice
            if choice.id == taken:
                chosen = option.text
                continue
            target = story.scenes.get(choice.goto)
            ending = target.ending if target is not None else None
            branches.append(
                Branch(
                    text=option.text,
                    locked=option.locked_reason if not option.available else None,
                    leads_to=target.heading if target is not None and choice.goto in visited else None,
                    ending_found=ending if ending is not None and ending in endings_found else None,
                )
            )
        if taken is not None and chosen is None:  # not shown in the options (cannot happen for a log
            chosen = taken  # that replayed through engine.step), kept readable all the same
        steps.append(MapStep(number, scene.heading, chosen, tuple(branches), scene.ending))
    return steps
