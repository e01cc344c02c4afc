"""The rules of the scene format, versions 1 and 2 (see docs/scene-format.md, "Rules")."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from coldcase_game.engine.compiled import Compiled, Trace, compiled, step_core
from coldcase_game.engine.evaluate import evaluate
from coldcase_game.engine.state import NOTHING, Announced, Changes, GameState, Passage, TrustDelta, VarDelta
from coldcase_game.engine.visits import UNCAPPED
from coldcase_game.story.model import (
    FORMAT_2,
    Character,
    Choice,
    Condition,
    Inline,
    Paragraph,
    Pos,
    Scene,
    Story,
    Var,
)

NO_CHANGES = Changes()


class IllegalChoice(ValueError):
    """The choice does not exist in the current scene, or is not available."""


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    """A choice as the player sees it: available (with its number) or locked (with the reason).
    `text` and `locked_reason` are as shown (inline pieces rendered): show these, not `choice.text`."""

    choice: Choice
    number: int | None  # 1-based among available choices; None when locked
    locked_reason: str | None = None
    text: str = ""  # when not given: the choice's text as written

    def __post_init__(self) -> None:
        if not self.text and self.choice.text_inline is None:
            object.__setattr__(self, "text", self.choice.text)

    @property
    def available(self) -> bool:
        return self.number is not None


def _holds(cond: Condition | None, state: GameState) -> bool:
    if cond is None:
        return True
    c = state.compiled
    if c is None:  # a state built by hand, not by `start`/`step`: read its fields
        return bool(evaluate(cond.expr, state.trust_map, state.flags, state, state.vars_map, state.taken))
    return bool(c.pred(cond)(state.core))


def start(story: Story) -> GameState:
    """Rule 1: a new game, then the start scene is entered (`Compiled.start_core`)."""
    c = compiled(story)
    trace = Trace()
    c.start_core(trace)
    return _build(c, story, c.initial, (), (), trace, 0, None, NOTHING, ())


def step(story: Story, state: GameState, choice_id: str) -> GameState:
    """Rule 5: apply the choice's effects, record it, show its `then`, enter its `goto` scene.
    The rule part is `step_core` on the state's int; the rest is that int read out and announced."""
    scene, choice, index = _checked(story, state, choice_id)
    c, core = _core(story, state)
    trace = Trace()
    step_core(c, core, index, trace)
    middle_core = trace.points[0]
    do_clues = trace.clues[: trace.cuts[0]]
    do = _announce(c, core, middle_core, do_clues)
    journal = (*state.journal, *(c.flag_ids[i] for i in do_clues)) if do_clues else state.journal
    then: tuple[str, ...] = ()
    if choice.then:
        middle = _read_out(c, middle_core, state.visits, journal)
        then = tuple(t for t, _ in shown(choice.then, middle, middle.visits_of(scene.id)))
    return _build(c, story, middle_core, state.visits, journal, trace, 1, (scene.id, choice.id), do, then)


def after_do(story: Story, state: GameState, choice_id: str) -> GameState:
    """The state in which a choice's `then` text is shown: after its `do`, before its `goto`.
    (`step` goes on from here; explore and author tools use it to see what `then` shows.)"""
    _, _, index = _checked(story, state, choice_id)
    c, core = _core(story, state)
    trace = Trace()
    step_core(c, core, index, trace)
    do_clues = trace.clues[: trace.cuts[0]]
    journal = (*state.journal, *(c.flag_ids[i] for i in do_clues))
    return _read_out(c, trace.points[0], state.visits, journal)


def _checked(story: Story, state: GameState, choice_id: str) -> tuple[Scene, Choice, int]:
    scene = story.scenes[state.scene]
    if scene.is_ending:
        raise IllegalChoice(f"the game is over ({scene.ending})")
    index = compiled(story).choice_index[scene.id].get(choice_id, -1)
    if index < 0:
        raise IllegalChoice(f"scene '{scene.id}' has no choice '{choice_id}'")
    choice = scene.choices[index]
    if not _is_available(choice, scene.id, state):
        raise IllegalChoice(f"choice '{choice_id}' is not available in scene '{scene.id}'")
    return scene, choice, index


def _is_available(choice: Choice, scene_id: str, state: GameState) -> bool:
    if choice.once and (scene_id, choice.id) in state.taken:
        return False
    return _holds(choice.cond, state)


def choice_options(story: Story, state: GameState) -> tuple[ChoiceOption, ...]:
    """Rule 4: the visible choices in file order; hidden ones are left out."""
    scene = story.scenes[state.scene]
    options: list[ChoiceOption] = []
    number = 0
    seen = state.visits_of(scene.id)
    for choice in scene.choices:
        if choice.once and (scene.id, choice.id) in state.taken:
            continue
        text = (
            choice.text
            if choice.text_inline is None
            else render(choice.text, choice.text_inline, state, seen)
        )
        if _holds(choice.cond, state):
            number += 1
            options.append(ChoiceOption(choice, number, None, text))
        elif choice.locked is not None:
            hint = render(choice.locked, choice.locked_inline, state, seen)
            options.append(ChoiceOption(choice, None, hint, text))
    return tuple(options)


def available_choices(story: Story, state: GameState) -> tuple[Choice, ...]:
    return tuple(o.choice for o in choice_options(story, state) if o.available)


def render(text: str, inline: Inline | None, state: GameState, visits: int) -> str:
    """Format 2: a text as shown in `state`, its inline pieces rendered: an `{if}` shows its first
    part when its condition holds, else its second (or nothing); a `{seq}` or `{cycle}` picks a
    part by `visits` (the visit count of the scene the text belongs to). A text without pieces
    (`inline` None) is shown as written. Emphasis (`_..._`) is left for the front end."""
    if inline is None:
        return text
    out: list[str] = []
    for piece in inline:
        if isinstance(piece, str):
            out.append(piece)
        elif piece.kind != "if":
            out.append(piece.part(visits))
        elif _holds(piece.cond, state):
            out.append(piece.parts[0])
        elif len(piece.parts) > 1:
            out.append(piece.parts[1])
    return "".join(out).strip()


def shown(paragraphs: tuple[Paragraph, ...], state: GameState, visits: int) -> Iterator[tuple[str, Pos]]:
    """The paragraphs of a text list that show in `state`, with where each is written: conditions
    are evaluated, a `sequence` or `cycle` picks its variant by `visits` (the visit count of the
    scene the text belongs to), and inline pieces are rendered (a paragraph they leave empty is
    not shown)."""
    for p in paragraphs:
        if p.cond is not None and not _holds(p.cond, state):
            continue
        if p.mode == "text":
            if p.inline is None:
                yield p.text, p.pos
            else:
                text = render(p.text, p.inline, state, visits)
                if text:
                    yield text, p.pos
        else:
            variant = p.variant(visits)
            for i, text in enumerate(variant.paragraphs):
                if variant.inline and variant.inline[i] is not None:
                    text = render(text, variant.inline[i], state, visits)
                    if not text:
                        continue
                yield text, variant.pos


def narration(story: Story, state: GameState) -> tuple[str, ...]:
    """The current scene's paragraphs as shown in this state, in order."""
    scene = story.scenes[state.scene]
    if all(p.cond is None and p.mode == "text" and p.inline is None for p in scene.paragraphs):
        return tuple(p.text for p in scene.paragraphs)
    return tuple(t for t, _ in shown(scene.paragraphs, state, state.visits_of(scene.id)))


def heading(story: Story, scene_id: str) -> str | None:
    """The heading shown for a scene: its `title`; in format 1 a scene without one gets its id
    made readable; in format 2 it has none (None: the last heading shown stays)."""
    scene = story.scenes[scene_id]
    if scene.title is None and story.format >= FORMAT_2:
        return None
    return scene.heading


def is_visible(story: Story, state: GameState, character_id: str) -> bool:
    """Whether the player has met the character: no `introduced_by`, or its flag is set."""
    flag = story.characters[character_id].introduced_by
    return flag is None or flag in state.flags


def visible_characters(story: Story, state: GameState) -> tuple[tuple[Character, int], ...]:
    """The characters the player may see (sidebar, status, ending, export), with their trust."""
    return tuple(
        (story.characters[cid], value)
        for cid, value in state.trust
        if story.characters[cid].introduced_by is None or story.characters[cid].introduced_by in state.flags
    )


def shown_vars(story: Story, state: GameState) -> tuple[tuple[Var, int], ...]:
    """The variables with a `name` (shown to the player), with their values, in story order."""
    return tuple((story.vars[vid], value) for vid, value in state.vars if story.vars[vid].name)


def is_over(story: Story, state: GameState) -> bool:
    return story.scenes[state.scene].is_ending


def ending_title(story: Story, state: GameState) -> str | None:
    return story.scenes[state.scene].ending


# --- internals -----------------------------------------------------------------------


def _core(story: Story, state: GameState) -> tuple[Compiled, int]:
    """The compiled story and the state's int; a state of another compiled form of the story (or
    one built by hand) is packed again from its fields."""
    c = compiled(story)
    if state.compiled is c and state.core >= 0:
        return c, state.core
    return c, encode(c, state)


def encode(c: Compiled, state: GameState) -> int:
    """A state's fields packed into the compiled story's int (see engine.compiled)."""
    s = c.scene_index[state.scene]
    for cid, value in state.trust:
        s |= value << c.trust_off[cid]
    for vid, value in state.vars:
        voff, _, vmin = c.var_field[vid]
        s |= (value - vmin) << voff
    s |= c.flag_bits(state.flags)
    for f in state.journal:
        s |= 1 << (c.journal_off + c.flag_index[f])
    for t in state.taken:
        if t in c.taken_index:
            s |= 1 << c.taken_index[t]
    for sid, vf in c.visit_field.items():
        n = state.visits_of(sid)
        if vf.cap != UNCAPPED and n >= vf.cap:
            n = vf.cap + (n - vf.cap) % vf.period
        s |= n << vf.off
    return s


def _read_out(
    c: Compiled,
    s: int,
    visits: tuple[tuple[str, int], ...],
    journal: tuple[str, ...],
    last: Changes = NO_CHANGES,
) -> GameState:
    return GameState(
        c.scene_of(s), c.trust(s), c.flags(s), c.taken(s), visits, journal, last, c.vars(s), s, c
    )


def _visited(visits: tuple[tuple[str, int], ...], scene_id: str) -> tuple[tuple[str, int], ...]:
    """The exact visit counts (kept sorted by scene id) with one more visit of `scene_id`."""
    i = bisect_left(visits, (scene_id,))
    if i < len(visits) and visits[i][0] == scene_id:
        return (*visits[:i], (scene_id, visits[i][1] + 1), *visits[i + 1 :])
    return (*visits[:i], (scene_id, 1), *visits[i:])


def _announce(c: Compiled, before: int, after: int, clues: list[int]) -> Announced:
    """What the player is told of the changes from `before` to `after`; a character's visibility
    and the names of variables are judged in `after`."""
    if not clues and not (before ^ after) & c.counted_all:
        return NOTHING
    story = c.story
    deltas: tuple[TrustDelta, ...] = ()
    if (before ^ after) & c.trust_all:
        flags = c.flags(after)
        deltas = tuple(
            TrustDelta(cid, old, new)
            for (cid, old), (_, new) in zip(c.trust(before), c.trust(after), strict=True)
            if old != new
            and (story.characters[cid].introduced_by is None or story.characters[cid].introduced_by in flags)
        )
    var_deltas: tuple[VarDelta, ...] = ()
    if (before ^ after) & c.var_all:
        var_deltas = tuple(
            VarDelta(vid, old, new)
            for (vid, old), (_, new) in zip(c.vars(before), c.vars(after), strict=True)
            if old != new and story.vars[vid].name
        )
    names = tuple(c.flag_ids[i] for i in clues)
    return Announced(deltas, names, var_deltas) if deltas or names or var_deltas else NOTHING


def _build(
    c: Compiled,
    story: Story,
    mark: int,
    visits: tuple[tuple[str, int], ...],
    journal: tuple[str, ...],
    trace: Trace,
    first: int,
    choice: tuple[str, str] | None,
    do: Announced,
    then: tuple[str, ...],
) -> GameState:
    """The state a step (or the start) ends in, from its trace points from `first` on: each is a
    scene entered (format 2: a `next` chain's scenes, then the last one), its text shown and its
    changes announced in turn."""
    cut = trace.cuts[first - 1] if first else 0
    last = len(trace.points) - 1
    if last == first:  # no `next` chain: one scene entered (most steps)
        end = trace.points[last]
        sid = c.scene_of(end)
        clues = trace.clues[cut:]
        if clues:
            journal = (*journal, *(c.flag_ids[k] for k in clues))
        on_enter = _announce(c, mark, end, clues)
        changes = Changes(choice, do, on_enter, story.scenes[sid].ending, then, ())
        return _read_out(c, end, _visited(visits, sid), journal, changes)
    passed: list[Passage] = []
    on_enter = NOTHING
    for i in range(first, last + 1):
        point = trace.points[i]
        sid = c.scene_of(point)
        visits = _visited(visits, sid)
        clues = trace.clues[cut : trace.cuts[i]]
        cut = trace.cuts[i]
        journal = (*journal, *(c.flag_ids[k] for k in clues))
        announced = _announce(c, mark, point, clues)
        mark = point
        if i < last:
            now = _read_out(c, point, visits, journal)
            scene = story.scenes[sid]
            text = tuple(t for t, _ in shown(scene.paragraphs, now, now.visits_of(sid)))
            passed.append(Passage(sid, text, announced, now))
        else:
            on_enter = announced
    end = trace.points[last]
    changes = Changes(choice, do, on_enter, story.scenes[c.scene_of(end)].ending, then, tuple(passed))
    return _read_out(c, end, visits, journal, changes)
