"""Exhaustive, breadth-first search of every reachable game state, built on `engine.step`.

A state is identified by its scene, trust values, flags, the `once` choices
taken, and visit counts capped at what the story's conditions can tell apart
(see `visit_caps`). Flags, visit counts and `once` choices that no condition
reachable from the current scene can read are left out (see `liveness`): they
cannot change what happens next. Breadth-first order makes every recorded path a
shortest one.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from math import lcm
from typing import Any

from coldcase_game import engine
from coldcase_game.engine import GameState
from coldcase_game.engine.evaluate import evaluate
from coldcase_game.story.expr import BinOp, Expr, Lit, Neg, Not, TrustRef, VarRef, VisitsRef, names_in
from coldcase_game.story.model import Condition, Pos, Scene, Story, Term, scene_pieces

UNCAPPED = -1


class ExploreLimit(Exception):
    def __init__(self, states: int) -> None:
        super().__init__(f"more than {states} states")
        self.states = states


@dataclass(frozen=True)
class Step:
    scene: str
    choice: str
    number: int  # the number the player types in plain mode at that moment
    text: str


@dataclass
class ExploreResult:
    states: int = 0
    endings: dict[str, list[Step]] = field(default_factory=dict)  # ending scene id -> shortest path
    soft_locks: list[tuple[str, list[Step]]] = field(default_factory=list)  # (scene id, path)
    soft_lock_states: int = 0
    unreached_endings: list[str] = field(default_factory=list)
    unreached_scenes: list[str] = field(default_factory=list)
    never_available: list[tuple[str, str]] = field(default_factory=list)  # (scene id, choice id)
    always_open: list[tuple[str, str]] = field(default_factory=list)  # choices whose `if` never failed
    # conditional paragraphs (scene id, 1-based position among the scene's paragraphs, condition)
    paragraphs_always: list[tuple[str, int, str]] = field(default_factory=list)
    paragraphs_never: list[tuple[str, int, str]] = field(default_factory=list)
    trust_ranges: dict[str, dict[str, tuple[int, int]]] = field(
        default_factory=dict
    )  # scene -> char -> (min, max)
    # format 2: named variables on arrival, scene -> variable -> (min, max)
    var_ranges: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    term_warnings: list[TermWarning] = field(default_factory=list)  # W301, sorted by place

    @property
    def ok(self) -> bool:
        return not self.unreached_endings and not self.soft_locks and bool(self.endings)


# --- visit caps --------------------------------------------------------------------


def _refs(expr: Expr, out: dict[str, list[Any]]) -> None:
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, VisitsRef):
            out["visits"].append(node.scene)
        elif isinstance(node, TrustRef):
            out["trust"].append(node.character)
        elif isinstance(node, VarRef):
            out["vars"].append(node.var)
        elif isinstance(node, Lit):
            if not isinstance(node.value, bool):
                out["lits"].append(node.value)
        elif isinstance(node, BinOp):
            if node.op == "-":
                out["minus"].append(True)
            stack.extend((node.left, node.right))
        elif isinstance(node, Neg):
            out["minus"].append(True)
            stack.append(node.operand)
        elif isinstance(node, Not):
            stack.append(node.operand)


def _side(expr: Expr) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {"visits": [], "trust": [], "vars": [], "lits": [], "minus": []}
    _refs(expr, out)
    return out


def _conditions(story: Story) -> Iterator[Condition]:
    """Every condition of the story: paragraphs, choices, the paragraphs of `then`, and (format 2)
    inline `{if}` pieces, and the `if` of effect blocks."""
    for scene in story.scenes.values():
        yield from _scene_conditions(scene)


def _scene_conditions(scene: Scene) -> Iterator[Condition]:
    """A scene's conditions: its paragraphs, `on_enter` blocks, choices, their `then` and `do`
    blocks, and (format 2) the inline `{if}` pieces of all its texts."""
    for piece in scene_pieces(scene):
        if piece.cond:
            yield piece.cond
    for p in scene.paragraphs:
        if p.cond:
            yield p.cond
    for b in scene.on_enter.blocks:
        if b.cond:
            yield b.cond
    for c in scene.choices:
        if c.cond:
            yield c.cond
        for p in c.then:
            if p.cond:
                yield p.cond
        for b in c.effects.blocks:
            if b.cond:
                yield b.cond


def _alternatives(scene: Scene) -> Iterator[tuple[str, int]]:
    """(mode, length) of the scene's sequences and cycles, its choices' `then` included, and of
    its inline `{seq}` and `{cycle}` pieces (choice texts and hints too): they read its visits."""
    for p in scene.paragraphs:
        if p.mode != "text":
            yield p.mode, len(p.variants)
    for c in scene.choices:
        for p in c.then:
            if p.mode != "text":
                yield p.mode, len(p.variants)
    for piece in scene_pieces(scene):
        if piece.kind != "if":
            yield ("sequence" if piece.kind == "seq" else "cycle"), len(piece.parts)


def visit_caps(story: Story) -> dict[str, int]:
    """For each scene whose visits some condition, sequence or cycle reads: the count from which
    on no condition or sequence can tell the difference (UNCAPPED when a condition compares
    visits in a way that has no such bound). Beyond the cap only cycles can: see `visit_periods`."""
    caps: dict[str, int] = {}

    def magnitude(side: dict[str, list[Any]]) -> int:
        """The largest value (either sign) the non-visit parts of a side can take."""
        total: int = sum(abs(v) for v in side["lits"]) + 100 * len(side["trust"])
        for vid in side["vars"]:
            var = story.vars[vid]
            total += max(abs(var.min), abs(var.max))
        return total

    def lowest(side: dict[str, list[Any]]) -> int:
        """How far below zero the non-visit parts of a side (with no minus) can go."""
        total: int = sum(-v for v in side["lits"] if v < 0)
        for vid in side["vars"]:
            total += max(0, -story.vars[vid].min)
        return total

    def walk(expr: Expr) -> None:
        stack = [expr]
        while stack:
            node = stack.pop()
            if isinstance(node, Not):
                stack.append(node.operand)
            elif isinstance(node, BinOp) and node.op in ("and", "or"):
                stack.extend((node.left, node.right))
            elif isinstance(node, BinOp) and node.op in ("==", "!=", "<", "<=", ">", ">="):
                left, right = _side(node.left), _side(node.right)
                for this, other in ((left, right), (right, left)):
                    if not this["visits"]:
                        continue
                    if other["visits"] or this["minus"]:
                        for scene in this["visits"]:
                            caps[scene] = UNCAPPED
                        continue
                    # visits only add up on this side: once they exceed everything else in the
                    # comparison (and make up for what this side can take away), the answer is fixed
                    bound = magnitude(other) + lowest(this) + 1
                    for scene in this["visits"]:
                        if caps.get(scene, 0) != UNCAPPED:
                            caps[scene] = max(caps.get(scene, 0), bound)
            # a bare visits reference cannot be a condition: the type checker refuses it

    for cond in _conditions(story):
        walk(cond.expr)
    for scene in story.scenes.values():
        for mode, count in _alternatives(scene):
            if caps.get(scene.id, 0) == UNCAPPED:
                break
            length = count if mode == "sequence" else 0
            caps[scene.id] = max(caps.get(scene.id, 0), length)
    return caps


def visit_periods(story: Story) -> dict[str, int]:
    """For each scene with cycles: the least common multiple of their lengths. Beyond its cap,
    a scene's visit count matters only modulo this."""
    periods: dict[str, int] = {}
    for scene in story.scenes.values():
        for mode, count in _alternatives(scene):
            if mode == "cycle":
                periods[scene.id] = lcm(periods.get(scene.id, 1), count)
    return periods


# --- liveness --------------------------------------------------------------------------


def _texts(story: Story, scene: Scene) -> Iterator[str]:
    """Every text the scene can show: its paragraphs, choices, locked hints, `then` texts, ending
    title, and the clues its effects can announce."""
    for p in scene.paragraphs:
        yield p.text
        for v in p.variants:
            yield from v.paragraphs
    if scene.ending:
        yield scene.ending
    for f in scene.on_enter.all_set:
        yield story.flags[f].text
    for c in scene.choices:
        yield c.text
        if c.locked:
            yield c.locked
        for p in c.then:
            yield p.text
            for v in p.variants:
                yield from v.paragraphs
        for f in c.effects.all_set:
            yield story.flags[f].text


def _reads(story: Story, scene_id: str, terms: TermIndex | None) -> tuple[set[str], set[str], set[str]]:
    """(flags, visit scenes, variables) that a scene's own conditions and texts read; a
    `chosen.<scene>.<choice>` is counted under flags as `<scene>.<choice>` (see `liveness`)."""
    flags: set[str] = set()
    visits: set[str] = set()
    variables: set[str] = set()
    scene = story.scenes[scene_id]
    for cond in _scene_conditions(scene):
        for kind, name in names_in(cond.expr):
            if kind in ("flag", "chosen"):
                flags.add(name)
            elif kind == "visits":
                visits.add(name)
            elif kind == "var":
                variables.add(name)
    if any(True for _ in _alternatives(scene)):
        visits.add(scene_id)
    if terms is not None:  # W301 reads the flags of every term the scene's texts mention
        for text in _texts(story, scene):
            for term in terms.mentioned(text):
                flags.update(term.flags)
    return flags, visits, variables


def liveness(
    story: Story, terms: TermIndex | None = None
) -> dict[str, tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]]:
    """For each scene: the flags, visit counts, `once` scenes and variables that can still matter
    from there on.

    Something matters on arrival at a scene only if a condition or a term in that scene or in a
    scene reachable from it reads it (a variable with a `name` always matters: it is shown).
    Everything else can be forgotten without changing what can happen next, so states that
    differ only in it are the same state.
    """
    edges = {sid: {s.next} if s.next else {c.goto for c in s.choices} for sid, s in story.scenes.items()}
    reads = {sid: _reads(story, sid, terms) for sid in story.scenes}
    once_scenes = {sid for sid, s in story.scenes.items() if any(c.once for c in s.choices)}
    named = {vid for vid, v in story.vars.items() if v.name}
    out: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]] = {}
    for sid in story.scenes:
        seen = {sid}
        stack = [sid]
        while stack:
            for nxt in edges[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
        flags: set[str] = set()
        visits: set[str] = set()
        variables: set[str] = set(named)
        for t in seen:
            flags |= reads[t][0]
            visits |= reads[t][1]
            variables |= reads[t][2]
        out[sid] = (frozenset(flags), frozenset(visits), frozenset(seen & once_scenes), frozenset(variables))
    return out


# --- terms (W301) ----------------------------------------------------------------------


class TermIndex:
    """Finds the terms a text mentions: whole words, case-sensitive; each text is searched once."""

    def __init__(self, story: Story) -> None:
        self.terms = list(story.terms.values())
        self.patterns = [re.compile(r"(?<!\w)" + re.escape(t.text) + r"(?!\w)") for t in self.terms]
        self.cache: dict[str, tuple[Term, ...]] = {}

    def mentioned(self, text: str) -> tuple[Term, ...]:
        found = self.cache.get(text)
        if found is None:
            found = tuple(t for t, p in zip(self.terms, self.patterns, strict=True) if p.search(text))
            self.cache[text] = found
        return found


@dataclass(frozen=True)
class TermWarning:
    """W301: text that mentions a term, shown in a reachable state in which none of its flags is set."""

    pos: Pos
    term: str
    flags: tuple[str, ...]
    where: str  # what kind of text: scene text, then text, choice text, locked hint, clue, ending title
    scene: str
    path: tuple[Step, ...]  # the shortest list of choices that shows it

    @property
    def message(self) -> str:
        keys = " ".join(str(s.number) for s in self.path) or "the start"
        needs = " or ".join(f"'{f}'" for f in self.flags)
        return (
            f"{self.where} mentions '{self.term}' before it is introduced ({needs} not set yet); "
            f"shown in scene '{self.scene}' after the choices {keys}"
            if self.path
            else f"{self.where} mentions '{self.term}' before it is introduced ({needs} not set yet); "
            f"shown in scene '{self.scene}' at the start of the game"
        )


# --- search --------------------------------------------------------------------------


def explore(
    story: Story,
    *,
    max_states: int = 1_000_000,
    soft_lock_paths: int = 20,
    on_state: Callable[[tuple[object, ...], GameState], None] | None = None,
    on_edge: Callable[[tuple[object, ...], tuple[object, ...], str], None] | None = None,
) -> ExploreResult:
    """Search every reachable state. `on_state(key, state)` sees each distinct state once and
    `on_edge(key, next_key, choice_id)` every available choice from it (analysis.stategraph uses them)."""
    caps = visit_caps(story)
    periods = visit_periods(story)
    terms = TermIndex(story) if story.terms else None
    live = {
        sid: (
            flags,
            tuple((v, caps.get(v, 0), periods.get(v, 1)) for v in sorted(visits)),
            once,
            tuple(i for i, vid in enumerate(story.vars) if vid in variables),
        )
        for sid, (flags, visits, once, variables) in liveness(story, terms).items()
    }

    def key(state: GameState) -> tuple[Any, ...]:
        flags, visit_scenes, once_scenes, var_slots = live[state.scene]
        capped: tuple[int, ...] = ()
        if visit_scenes:
            counts = []
            for s, cap, period in visit_scenes:
                n = state.visits_of(s)
                # exact below the cap; beyond it only cycles can tell counts apart, modulo their period
                counts.append(n if cap == UNCAPPED or n < cap else cap + (n - cap) % period)
            capped = tuple(counts)
        if state.taken:  # `once` choices of scenes still ahead, and the choices a `chosen` ahead reads
            taken = frozenset(t for t in state.taken if t[0] in once_scenes or f"{t[0]}.{t[1]}" in flags)
        else:
            taken = state.taken
        values = tuple(state.vars[i][1] for i in var_slots) if var_slots else ()
        return (state.scene, state.trust, state.flags & flags, taken, capped, values)

    first = engine.start(story)
    first_key = key(first)
    parent: dict[tuple[Any, ...], tuple[tuple[Any, ...], Step] | None] = {first_key: None}
    queue: deque[tuple[tuple[Any, ...], GameState]] = deque([(first_key, first)])
    result = ExploreResult()
    reached_scenes: set[str] = set()
    available_seen: set[tuple[str, str]] = set()
    failed_seen: set[tuple[str, str]] = set()  # (scene, choice) whose `if` failed in some reached state
    para_true: set[tuple[str, int]] = set()
    para_false: set[tuple[str, int]] = set()
    para_conds = {
        sid: [(i, p.cond) for i, p in enumerate(sc.paragraphs, 1) if p.cond is not None]
        for sid, sc in story.scenes.items()
    }
    ranges: dict[str, dict[str, list[int]]] = {}
    named = [i for i, v in enumerate(story.vars.values()) if v.name]
    var_ranges: dict[str, dict[str, list[int]]] = {}
    soft_lock_scenes: set[str] = set()
    term_seen: set[tuple[Pos, str]] = set()

    def mentions(text: str, pos: Pos, where: str, flags: frozenset[str], scene: str, path: Any) -> None:
        """W301, once for each place and term: the first time is the shortest path (breadth first)."""
        assert terms is not None
        for term in terms.mentioned(text):
            if (pos, term.text) in term_seen or not flags.isdisjoint(term.flags):
                continue
            term_seen.add((pos, term.text))
            steps = tuple(path() if callable(path) else path)
            result.term_warnings.append(TermWarning(pos, term.text, term.flags, where, scene, steps))

    def clues(announced: tuple[str, ...], flags: frozenset[str], scene: str, path: Any) -> None:
        for f in announced:
            flag = story.flags[f]
            mentions(flag.text, flag.pos, "the clue", flags, scene, path)

    def arrived(scene_id: str, state: GameState) -> None:
        """Trust and the named variables on arrival at a scene."""
        scene_ranges = ranges.setdefault(scene_id, {})
        for cid, value in state.trust:
            r = scene_ranges.get(cid)
            if r is None:
                scene_ranges[cid] = [value, value]
            elif value < r[0]:
                r[0] = value
            elif value > r[1]:
                r[1] = value
        for i in named:
            vid, value = state.vars[i]
            r = var_ranges.setdefault(scene_id, {}).get(vid)
            if r is None:
                var_ranges[scene_id][vid] = [value, value]
            elif value < r[0]:
                r[0] = value
            elif value > r[1]:
                r[1] = value

    def passed(state: GameState, path: Any) -> None:
        """The scenes a step's `next` chain passed through: reached, their paragraph conditions
        and terms judged in the state in which each was shown."""
        for p in state.last.passed:
            reached_scenes.add(p.scene)
            at = p.state
            if at is None:  # pragma: no cover - the engine always keeps it
                continue
            scene = story.scenes[p.scene]
            arrived(p.scene, at)
            if para_conds[p.scene]:
                judge(p.scene, at)
            if terms is not None:
                for text, pos in engine.shown(scene.paragraphs, at, at.visits_of(p.scene)):
                    mentions(text, pos, "scene text", at.flags, p.scene, path)
                clues(p.on_enter.clues, at.flags, p.scene, path)

    def judge(scene_id: str, state: GameState) -> None:
        trust, variables = state.trust_map, state.vars_map
        for i, cond in para_conds[scene_id]:
            if evaluate(cond.expr, trust, state.flags, state, variables, state.taken):
                para_true.add((scene_id, i))
            else:
                para_false.add((scene_id, i))

    passed(first, ())
    if terms is not None:
        clues(first.last.on_enter.clues, first.flags, first.scene, ())

    def path_to(k: tuple[Any, ...]) -> list[Step]:
        steps: list[Step] = []
        link = parent[k]
        while link is not None:
            k, step = link
            steps.append(step)
            link = parent[k]
        steps.reverse()
        return steps

    while queue:
        k, state = queue.popleft()
        result.states += 1
        if on_state is not None:
            on_state(k, state)
        scene_id = state.scene
        reached_scenes.add(scene_id)
        arrived(scene_id, state)
        scene = story.scenes[scene_id]
        if terms is not None:
            here = state.flags

            def path_here(k: tuple[Any, ...] = k) -> list[Step]:
                return path_to(k)

            for text, pos in engine.shown(scene.paragraphs, state, state.visits_of(scene_id)):
                mentions(text, pos, "scene text", here, scene_id, path_here)
            if scene.ending:
                mentions(scene.ending, scene.ending_pos, "the ending title", here, scene_id, path_here)
            for option in engine.choice_options(story, state):
                mentions(option.text, option.choice.text_pos, "choice text", here, scene_id, path_here)
                if option.locked_reason:
                    mentions(
                        option.locked_reason,
                        option.choice.locked_pos,
                        "locked hint",
                        here,
                        scene_id,
                        path_here,
                    )
        if para_conds[scene_id]:
            judge(scene_id, state)
        if engine.is_over(story, state):
            if scene_id not in result.endings:
                result.endings[scene_id] = path_to(k)
            continue
        options = [o for o in engine.choice_options(story, state) if o.available]
        shown = {o.choice.id for o in options}
        for choice in story.scenes[scene_id].choices:
            if (
                choice.cond is not None
                and choice.id not in shown
                and not (choice.once and (scene_id, choice.id) in state.taken)
            ):
                failed_seen.add((scene_id, choice.id))
        if not options:
            result.soft_lock_states += 1
            if scene_id not in soft_lock_scenes and len(result.soft_locks) < soft_lock_paths:
                soft_lock_scenes.add(scene_id)
                result.soft_locks.append((scene_id, path_to(k)))
            continue
        for option in options:
            choice = option.choice
            available_seen.add((scene_id, choice.id))
            nxt = engine.step(story, state, choice.id)
            if terms is not None or nxt.last.passed:
                taken = Step(scene_id, choice.id, option.number or 0, option.text)

                def path_on(k: tuple[Any, ...] = k, taken: Step = taken) -> list[Step]:
                    return [*path_to(k), taken]

                passed(nxt, path_on)
            if terms is not None:
                middle = engine.after_do(story, state, choice.id) if choice.then or nxt.last.do.clues else nxt
                for text, pos in engine.shown(choice.then, middle, middle.visits_of(scene_id)):
                    mentions(text, pos, "then text", middle.flags, scene_id, path_on)
                clues(nxt.last.do.clues, middle.flags, scene_id, path_on)
                clues(nxt.last.on_enter.clues, nxt.flags, nxt.scene, path_on)
            nk = key(nxt)
            if on_edge is not None:
                on_edge(k, nk, choice.id)
            if nk in parent:
                continue
            if len(parent) >= max_states:
                raise ExploreLimit(len(parent))
            parent[nk] = (k, Step(scene_id, choice.id, option.number or 0, option.text))
            queue.append((nk, nxt))

    result.unreached_endings = [s.id for s in story.endings if s.id not in result.endings]
    result.unreached_scenes = [sid for sid in story.scenes if sid not in reached_scenes]
    result.never_available = [
        (s.id, c.id)
        for s in story.scenes.values()
        if s.id in reached_scenes
        for c in s.choices
        if (s.id, c.id) not in available_seen
    ]
    result.always_open = [
        (s.id, c.id)
        for s in story.scenes.values()
        if s.id in reached_scenes and not s.is_ending
        for c in s.choices
        if c.cond is not None and (s.id, c.id) in available_seen and (s.id, c.id) not in failed_seen
    ]
    for sid, conds in para_conds.items():
        if sid not in reached_scenes:
            continue
        for i, cond in conds:
            if (sid, i) not in para_false:
                result.paragraphs_always.append((sid, i, cond.source))
            elif (sid, i) not in para_true:
                result.paragraphs_never.append((sid, i, cond.source))
    result.trust_ranges = {
        sid: {cid: (r[0], r[1]) for cid, r in ranges[sid].items()} for sid in story.scenes if sid in ranges
    }
    result.var_ranges = {
        sid: {vid: (r[0], r[1]) for vid, r in var_ranges[sid].items()}
        for sid in story.scenes
        if sid in var_ranges
    }
    result.term_warnings.sort(key=lambda w: (w.pos, w.term))
    return result
