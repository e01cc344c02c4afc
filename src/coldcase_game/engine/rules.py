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
    state = GameState(
        scene=story.start,
        trust=tuple((cid, c.trust) for cid, c in story.characters.items()),
    )
    entered = _enter(story, state, story.start)
    return _with_changes(story, state, entered, None)


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
    after = _apply(story, state, choice.effects)
    if choice.once:
        after = _replace(after, taken=after.taken | {(scene.id, choice.id)})
    after = _enter(story, after, choice.goto)
    return _with_changes(story, state, after, (scene.id, choice.id))


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


def _replace(state: GameState, **kw: object) -> GameState:
    return GameState(
        kw.get("scene", state.scene),  # type: ignore[arg-type]
        kw.get("trust", state.trust),  # type: ignore[arg-type]
        kw.get("flags", state.flags),  # type: ignore[arg-type]
        kw.get("taken", state.taken),  # type: ignore[arg-type]
        kw.get("visits", state.visits),  # type: ignore[arg-type]
        kw.get("journal", state.journal),  # type: ignore[arg-type]
        kw.get("last", state.last),  # type: ignore[arg-type]
    )


def _apply(story: Story, state: GameState, effects: Effects) -> GameState:
    """Rule 3: trust, then set, then clear. Trust is clamped to 0..100."""
    if not (effects.trust or effects.set or effects.clear):
        return state
    trust = state.trust
    if effects.trust:
        values = dict(trust)
        for change in effects.trust:
            values[change.character] = change.apply(values[change.character])
        trust = tuple([(cid, values[cid]) for cid, _ in trust])
    flags = state.flags
    journal = state.journal
    if effects.set:
        new = [f for f in effects.set if f not in flags]
        if new:
            flags = flags.union(new)
            for f in new:
                if f not in journal and story.flags[f].text:
                    journal = journal + (f,)
    if effects.clear:
        flags = flags.difference(effects.clear)
    return GameState(state.scene, trust, flags, state.taken, state.visits, journal, state.last)


def _enter(story: Story, state: GameState, scene_id: str) -> GameState:
    """Rule 2: the visit count goes up, then `on_enter` applies."""
    visits = state.visits
    i = bisect_left(visits, (scene_id,))  # kept sorted by scene id
    if i < len(visits) and visits[i][0] == scene_id:
        visits = visits[:i] + ((scene_id, visits[i][1] + 1),) + visits[i + 1:]
    else:
        visits = visits[:i] + ((scene_id, 1),) + visits[i:]
    state = GameState(scene_id, state.trust, state.flags, state.taken, visits, state.journal, state.last)
    return _apply(story, state, story.scenes[scene_id].on_enter)


def _with_changes(
    story: Story, before: GameState, after: GameState, choice: tuple[str, str] | None
) -> GameState:
    deltas: tuple[TrustDelta, ...] = ()
    if before.trust != after.trust:
        deltas = tuple(
            TrustDelta(cid, old, new)
            for (cid, old), (_, new) in zip(before.trust, after.trust)
            if old != new
        )
    clues = after.journal[len(before.journal):] if len(after.journal) != len(before.journal) else ()
    changes = Changes(choice, deltas, clues, story.scenes[after.scene].ending)
    return GameState(after.scene, after.trust, after.flags, after.taken, after.visits, after.journal, changes)
