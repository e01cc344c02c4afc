"""Game state: an immutable value. A new one is made by every step."""

from __future__ import annotations

from bisect import bisect_left
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
class VarDelta:
    """Format 2: a named variable's change (variables without a `name` are never announced)."""

    var: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class Announced:
    """What one set of effects changed, as the player is told it: trust, named variables, new clues.

    Only what the player may see is here: a character with `introduced_by` whose flag is
    not set in the state after these effects has its trust changes left out (they still apply),
    and so do variables without a `name`."""

    trust: tuple[TrustDelta, ...] = ()
    clues: tuple[str, ...] = ()  # flag ids newly written to the journal, in order
    vars: tuple[VarDelta, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.trust or self.clues or self.vars)


NOTHING = Announced()


@dataclass(frozen=True, slots=True)
class Changes:
    """What a front end announces after a step, in the contract's order of announcements:
    the choice's `do` changes (`do`), then the next scene's narration, then what that scene's
    `on_enter` changed (`on_enter`). A new game has only `on_enter` changes (of the start scene)."""

    choice: tuple[str, str] | None = None  # (scene id, choice id) that was taken
    do: Announced = NOTHING  # made by the choice's `do` effects, announced before the next scene
    on_enter: Announced = NOTHING  # made by the entered scene's `on_enter`, announced after its narration
    ending: str | None = None  # the ending's title, when the step reached one
    then: tuple[str, ...] = ()  # format 2: the choice's `then` paragraphs as shown, before `do`'s changes

    @property
    def trust(self) -> tuple[TrustDelta, ...]:
        """Each character's trust change over the whole step (`do` and `on_enter` together)."""
        if not self.on_enter.trust:
            return self.do.trust
        if not self.do.trust:
            return self.on_enter.trust
        merged: dict[str, TrustDelta] = {d.character: d for d in self.do.trust}
        for d in self.on_enter.trust:
            first = merged.get(d.character)
            merged[d.character] = d if first is None else TrustDelta(d.character, first.before, d.after)
        return tuple(d for d in merged.values() if d.before != d.after)

    @property
    def clues(self) -> tuple[str, ...]:
        """Every clue the step wrote to the journal, in order."""
        return self.do.clues + self.on_enter.clues


@dataclass(frozen=True, slots=True)
class GameState:
    """Where a game stands.

    - `trust`: (character id, value) for every character, in story order.
    - `flags`: the flags that are set.
    - `taken`: (scene id, choice id) of every `once` choice already chosen.
    - `visits`: (scene id, count) for every scene entered, sorted by scene id.
    - `journal`: clue flag ids in the order they were first set.
    - `last`: what the step that produced this state changed.
    - `vars`: (variable id, value) for every variable (format 2), in story order.
    """

    scene: str
    trust: tuple[tuple[str, int], ...]
    flags: frozenset[str] = frozenset()
    taken: frozenset[tuple[str, str]] = frozenset()
    visits: tuple[tuple[str, int], ...] = ()
    journal: tuple[str, ...] = ()
    last: Changes = field(default=Changes(), compare=False)
    vars: tuple[tuple[str, int], ...] = ()

    def trust_of(self, character: str) -> int:
        for cid, value in self.trust:
            if cid == character:
                return value
        raise KeyError(character)

    def visits_of(self, scene: str) -> int:
        visits = self.visits
        i = bisect_left(visits, (scene,))  # visits are sorted by scene id
        if i < len(visits) and visits[i][0] == scene:
            return visits[i][1]
        return 0

    def get(self, scene: str, default: int = 0) -> int:
        """Visit count lookup for the evaluator (`visits.<scene>`)."""
        return self.visits_of(scene)

    def var_of(self, var: str) -> int:
        for vid, value in self.vars:
            if vid == var:
                return value
        raise KeyError(var)

    @property
    def trust_map(self) -> dict[str, int]:
        return dict(self.trust)

    @property
    def vars_map(self) -> dict[str, int]:
        return dict(self.vars)

    @property
    def visit_map(self) -> dict[str, int]:
        return dict(self.visits)
