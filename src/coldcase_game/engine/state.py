"""Game state: an immutable value. A new one is made by every step."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class TrustDelta:
    character: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class Changes:
    """What a front end announces after a step: the choice, trust changes, new clues, an ending."""

    choice: tuple[str, str] | None = None  # (scene id, choice id) that was taken
    trust: tuple[TrustDelta, ...] = ()
    clues: tuple[str, ...] = ()  # flag ids newly written to the journal, in order
    ending: str | None = None  # the ending's title, when the step reached one


@dataclass(frozen=True, slots=True)
class GameState:
    """Where a game stands.

    - `trust`: (character id, value) for every character, in story order.
    - `flags`: the flags that are set.
    - `taken`: (scene id, choice id) of every `once` choice already chosen.
    - `visits`: (scene id, count) for every scene entered, sorted by scene id.
    - `journal`: clue flag ids in the order they were first set.
    - `last`: what the step that produced this state changed.
    """

    scene: str
    trust: tuple[tuple[str, int], ...]
    flags: frozenset[str] = frozenset()
    taken: frozenset[tuple[str, str]] = frozenset()
    visits: tuple[tuple[str, int], ...] = ()
    journal: tuple[str, ...] = ()
    last: Changes = field(default=Changes(), compare=False)

    def trust_of(self, character: str) -> int:
        for cid, value in self.trust:
            if cid == character:
                return value
        raise KeyError(character)

    def visits_of(self, scene: str) -> int:
        for sid, count in self.visits:
            if sid == scene:
                return count
        return 0

    @property
    def trust_map(self) -> dict[str, int]:
        return dict(self.trust)

    @property
    def visit_map(self) -> dict[str, int]:
        return dict(self.visits)
