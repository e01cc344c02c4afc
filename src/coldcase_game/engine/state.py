"""Game state: an immutable value. A new one is made by every step."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from coldcase_game.engine.compiled import Compiled


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
class Passage:
    """Format 2: a scene that a step passed through on a `next` chain: its id, its paragraphs
    as they were shown (in the state right after its `on_enter`), and what its `on_enter` changed."""

    scene: str
    text: tuple[str, ...]
    on_enter: Announced = NOTHING
    # the state in which the text was shown (for explore and author tools; never saved)
    state: GameState | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Changes:
    """What a front end announces after a step, in the contract's order of announcements:
    the choice's `do` changes (`do`), then the next scene's narration, then what that scene's
    `on_enter` changed (`on_enter`). A new game has only `on_enter` changes (of the start scene).

    Format 2: when the step passed through scenes with `next`, `passed` holds them in order; a
    front end shows each one's text then its `on_enter` changes, after `do`'s changes and before
    the current scene's narration, all on one screen."""

    choice: tuple[str, str] | None = None  # (scene id, choice id) that was taken
    do: Announced = NOTHING  # made by the choice's `do` effects, announced before the next scene
    on_enter: Announced = NOTHING  # made by the entered scene's `on_enter`, announced after its narration
    ending: str | None = None  # the ending's title, when the step reached one
    then: tuple[str, ...] = ()  # format 2: the choice's `then` paragraphs as shown, before `do`'s changes
    passed: tuple[Passage, ...] = ()  # format 2: the `next` chain's scenes before the current one

    @property
    def announced(self) -> tuple[Announced, ...]:
        """Every set of changes of the step, in the order they are announced."""
        return (self.do, *(p.on_enter for p in self.passed), self.on_enter)

    @property
    def trust(self) -> tuple[TrustDelta, ...]:
        """Each character's trust change over the whole step (`do`, a `next` chain's scenes and
        `on_enter` together)."""
        parts = [a.trust for a in self.announced if a.trust]
        if len(parts) <= 1:
            return parts[0] if parts else ()
        merged: dict[str, TrustDelta] = {}
        for part in parts:
            for d in part:
                first = merged.get(d.character)
                merged[d.character] = d if first is None else TrustDelta(d.character, first.before, d.after)
        return tuple(d for d in merged.values() if d.before != d.after)

    @property
    def clues(self) -> tuple[str, ...]:
        """Every clue the step wrote to the journal, in order."""
        if not self.passed:
            return self.do.clues + self.on_enter.clues
        return tuple(c for a in self.announced for c in a.clues)


@dataclass(frozen=True, slots=True)
class GameState:
    """Where a game stands.

    - `trust`: (character id, value) for every character, in story order.
    - `flags`: the flags that are set.
    - `taken`: (scene id, choice id) of every `once` choice already chosen, and (format 2) of
      every choice chosen that some `chosen.<scene>.<choice>` reads (`Story.chosen_read`).
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
    # the rule part packed as one int, and the compiled story that reads it (engine.compiled);
    # the fields above are that int read out for front ends, saves and tests
    core: int = field(default=-1, compare=False, repr=False)
    compiled: Compiled | None = field(default=None, compare=False, repr=False)

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
