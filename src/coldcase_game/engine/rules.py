"""The rules of scene format v1 (see docs/scene-format.md, "Rules")."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from coldcase_game.engine.evaluate import evaluate
from coldcase_game.engine.state import Changes, GameState, TrustDelta
from coldcase_game.story.model import Choice, Condition, Effects, Story


class IllegalChoice(ValueError):
    """The choice does not exist in the current scene, or is not available."""


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    """A choice as the player sees it: available (with its number) or locked (with the reason)."""

    choice: Choice
    number: int | None  # 1-based among available choices; None when locked
    locked_reason: str | None = None

    @property
    def available(self) -> bool:
        return self.number is not None


def _holds(cond: Condition | None, state: GameState) -> bool:
    if cond is None:
        return True
    return bool(evaluate(cond.expr, state.trust_map, state.flags, state))


def start(story: Story) -> GameState:
    """Rule 1: a new game, then the start scene is entered."""
    trust = tuple((cid, c.trust) for cid, c in story.characters.items())
    before = GameState(scene=story.start, trust=trust)
    draft = _Draft(before)
    draft.enter(story, story.start)
    return draft.finish(story, before, None)


def step(story: Story, state: GameState, choice_id: str) -> GameState:
    """Rule 5: apply the choice's effects, record it, enter its `goto` scene."""
    scene = story.scenes[state.scene]
    if scene.is_ending:
        raise IllegalChoice(f"the game is over ({scene.ending})")
    choice = scene.choice(choice_id)
    if choice is None:
        raise IllegalChoice(f"scene '{scene.id}' has no choice '{choice_id}'")
    if not _is_available(choice, scene.id, state):
        raise IllegalChoice(f"choice '{choice_id}' is not available in scene '{scene.id}'")
    draft = _Draft(state)
    draft.apply(story, choice.effects)
    if choice.once:
        draft.taken = draft.taken | {(scene.id, choice.id)}
    draft.enter(story, choice.goto)
    return draft.finish(story, state, (scene.id, choice.id))


def _is_available(choice: Choice, scene_id: str, state: GameState) -> bool:
    if choice.once and (scene_id, choice.id) in state.taken:
        return False
    return _holds(choice.cond, state)


def choice_options(story: Story, state: GameState) -> tuple[ChoiceOption, ...]:
    """Rule 4: the visible choices in file order; hidden ones are left out."""
    scene = story.scenes[state.scene]
    options: list[ChoiceOption] = []
    number = 0
    trust, visits = state.trust_map, state
    for choice in scene.choices:
        if choice.once and (scene.id, choice.id) in state.taken:
            continue
        if choice.cond is None or evaluate(choice.cond.expr, trust, state.flags, visits):
            number += 1
            options.append(ChoiceOption(choice, number))
        elif choice.locked is not None:
            options.append(ChoiceOption(choice, None, choice.locked))
    return tuple(options)


def available_choices(story: Story, state: GameState) -> tuple[Choice, ...]:
    return tuple(o.choice for o in choice_options(story, state) if o.available)


def narration(story: Story, state: GameState) -> tuple[str, ...]:
    """The current scene's paragraphs whose conditions hold, in order."""
    scene = story.scenes[state.scene]
    trust, visits = state.trust_map, state
    return tuple(
        p.text
        for p in scene.paragraphs
        if p.cond is None or evaluate(p.cond.expr, trust, state.flags, visits)
    )


def is_over(story: Story, state: GameState) -> bool:
    return story.scenes[state.scene].is_ending


def ending_title(story: Story, state: GameState) -> str | None:
    return story.scenes[state.scene].ending


# --- internals -----------------------------------------------------------------------


class _Draft:
    """The fields of the next state while one step is worked out; one GameState is built at the end."""

    __slots__ = ("flags", "journal", "scene", "taken", "trust", "visits")

    def __init__(self, state: GameState) -> None:
        self.scene = state.scene
        self.trust = state.trust
        self.flags = state.flags
        self.taken = state.taken
        self.visits = state.visits
        self.journal = state.journal

    def apply(self, story: Story, effects: Effects) -> None:
        """Rule 3: trust, then set, then clear. Trust is clamped to 0..100."""
        if effects.trust:
            values = dict(self.trust)
            for change in effects.trust:
                values[change.character] = change.apply(values[change.character])
            self.trust = tuple([(cid, values[cid]) for cid, _ in self.trust])
        if effects.set:
            flags = self.flags
            new = [f for f in effects.set if f not in flags]
            if new:
                self.flags = flags.union(new)
                journal = self.journal
                for f in new:
                    if f not in journal and story.flags[f].text:
                        journal = (*journal, f)
                self.journal = journal
        if effects.clear:
            self.flags = self.flags.difference(effects.clear)

    def enter(self, story: Story, scene_id: str) -> None:
        """Rule 2: the visit count goes up, then `on_enter` applies."""
        visits = self.visits
        i = bisect_left(visits, (scene_id,))  # kept sorted by scene id
        if i < len(visits) and visits[i][0] == scene_id:
            self.visits = (*visits[:i], (scene_id, visits[i][1] + 1), *visits[i + 1 :])
        else:
            self.visits = (*visits[:i], (scene_id, 1), *visits[i:])
        self.scene = scene_id
        on_enter = story.scenes[scene_id].on_enter
        if on_enter.trust or on_enter.set or on_enter.clear:
            self.apply(story, on_enter)

    def finish(self, story: Story, before: GameState, choice: tuple[str, str] | None) -> GameState:
        deltas: tuple[TrustDelta, ...] = ()
        if before.trust != self.trust:
            deltas = tuple(
                TrustDelta(cid, old, new)
                for (cid, old), (_, new) in zip(before.trust, self.trust, strict=True)
                if old != new
            )
        clues = self.journal[len(before.journal) :]
        changes = Changes(choice, deltas, clues, story.scenes[self.scene].ending)
        return GameState(self.scene, self.trust, self.flags, self.taken, self.visits, self.journal, changes)
