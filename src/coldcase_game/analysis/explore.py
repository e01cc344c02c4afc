"""Exhaustive, breadth-first search of every reachable game state, built on `engine.step`.

A state is identified by its scene, trust values, flags, the `once` choices
taken, and visit counts capped at what the story's conditions can tell apart
(see `visit_caps`). Flags, visit counts and `once` choices that no condition
reachable from the current scene can read are left out (see `liveness`): they
cannot change what happens next. Breadth-first order makes every recorded path a
shortest one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypedDict

from coldcase_game import engine
from coldcase_game.engine import GameState
from coldcase_game.engine.evaluate import evaluate
from coldcase_game.story.expr import BinOp, Expr, Lit, Not, TrustRef, VisitsRef
from coldcase_game.story.model import Story

UNCAPPED = -1
# A reached state as explore tells states apart: scene, trust, the flags that still matter there,
# the `once` choices taken that still matter, and the visit counts (capped) that conditions read.
_StateKey = tuple[
    str, tuple[tuple[str, int], ...], frozenset[str], frozenset[tuple[str, str]], tuple[int, ...]
]


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

    @property
    def ok(self) -> bool:
        return not self.unreached_endings and not self.soft_locks and bool(self.endings)


# --- visit caps --------------------------------------------------------------------


class _Side(TypedDict):
    """What one side of a comparison reads."""

    visits: list[str]  # scene ids
    trust: list[str]  # character ids
    lits: list[int]
    minus: list[bool]  # one True per subtraction


def _refs(expr: Expr, out: _Side) -> None:
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, VisitsRef):
            out["visits"].append(node.scene)
        elif isinstance(node, TrustRef):
            out["trust"].append(node.character)
        elif isinstance(node, Lit):
            if not isinstance(node.value, bool):
                out["lits"].append(node.value)
        elif isinstance(node, BinOp):
            if node.op == "-":
                out["minus"].append(True)
            stack.extend((node.left, node.right))
        elif isinstance(node, Not):
            stack.append(node.operand)


def _side(expr: Expr) -> _Side:
    out: _Side = {"visits": [], "trust": [], "lits": [], "minus": []}
    _refs(expr, out)
    return out


def visit_caps(story: Story) -> dict[str, int]:
    """For each scene whose visits some condition reads: the count beyond which no condition can tell
    the difference (UNCAPPED when a condition compares visits in a way that has no such bound)."""
    caps: dict[str, int] = {}

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
                    bound = sum(other["lits"]) + 100 * len(other["trust"]) + 1
                    for scene in this["visits"]:
                        if caps.get(scene, 0) != UNCAPPED:
                            caps[scene] = max(caps.get(scene, 0), bound)
            # a bare visits reference cannot be a condition: the type checker refuses it

    for scene in story.scenes.values():
        for p in scene.paragraphs:
            if p.cond:
                walk(p.cond.expr)
        for c in scene.choices:
            if c.cond:
                walk(c.cond.expr)
    return caps


# --- liveness --------------------------------------------------------------------------


def _reads(story: Story, scene_id: str) -> tuple[set[str], set[str]]:
    """(flags, visit scenes) that a scene's own conditions read."""
    from coldcase_game.story.expr import names_in

    flags: set[str] = set()
    visits: set[str] = set()
    scene = story.scenes[scene_id]
    conds = [p.cond for p in scene.paragraphs if p.cond] + [c.cond for c in scene.choices if c.cond]
    for cond in conds:
        for kind, name in names_in(cond.expr):
            if kind == "flag":
                flags.add(name)
            elif kind == "visits":
                visits.add(name)
    return flags, visits


def liveness(story: Story) -> dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]]:
    """For each scene: the flags, visit counts and `once` scenes that can still matter from there on.

    Something matters on arrival at a scene only if a condition in that scene or in a scene
    reachable from it reads it. Everything else can be forgotten without changing what can
    happen next, so states that differ only in it are the same state.
    """
    edges = {sid: {c.goto for c in s.choices} for sid, s in story.scenes.items()}
    reads = {sid: _reads(story, sid) for sid in story.scenes}
    once_scenes = {sid for sid, s in story.scenes.items() if any(c.once for c in s.choices)}
    out: dict[str, tuple[frozenset[str], frozenset[str], frozenset[str]]] = {}
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
        for t in seen:
            flags |= reads[t][0]
            visits |= reads[t][1]
        out[sid] = (frozenset(flags), frozenset(visits), frozenset(seen & once_scenes))
    return out


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
    live = {
        sid: (flags, tuple((v, caps[v]) for v in sorted(visits)), once)
        for sid, (flags, visits, once) in liveness(story).items()
    }

    def key(state: GameState) -> _StateKey:
        flags, visit_scenes, once_scenes = live[state.scene]
        capped: tuple[int, ...] = ()
        if visit_scenes:
            counts = []
            for s, cap in visit_scenes:
                n = state.visits_of(s)
                counts.append(n if cap == UNCAPPED or n < cap else cap)
            capped = tuple(counts)
        taken = frozenset(t for t in state.taken if t[0] in once_scenes) if state.taken else state.taken
        return (state.scene, state.trust, state.flags & flags, taken, capped)

    first = engine.start(story)
    first_key = key(first)
    parent: dict[_StateKey, tuple[_StateKey, Step] | None] = {first_key: None}
    queue: deque[tuple[_StateKey, GameState]] = deque([(first_key, first)])
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
    soft_lock_scenes: set[str] = set()

    def path_to(k: _StateKey) -> list[Step]:
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
        scene_ranges = ranges.setdefault(scene_id, {})
        for cid, value in state.trust:
            r = scene_ranges.get(cid)
            if r is None:
                scene_ranges[cid] = [value, value]
            elif value < r[0]:
                r[0] = value
            elif value > r[1]:
                r[1] = value
        if para_conds[scene_id]:
            trust = state.trust_map
            for i, cond in para_conds[scene_id]:
                if evaluate(cond.expr, trust, state.flags, state):
                    para_true.add((scene_id, i))
                else:
                    para_false.add((scene_id, i))
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
                and (scene_id, choice.id) not in state.taken
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
            nk = key(nxt)
            if on_edge is not None:
                on_edge(k, nk, choice.id)
            if nk in parent:
                continue
            if len(parent) >= max_states:
                raise ExploreLimit(len(parent))
            parent[nk] = (k, Step(scene_id, choice.id, option.number or 0, choice.text))
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
    return result
