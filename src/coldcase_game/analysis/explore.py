"""Exhaustive, breadth-first search of every reachable game state, on the compiled engine.

A state is the compiled engine's int (see engine.compiled): scene, trust values, variables,
flags, the journal, the taken choices and visit counts folded at what the story's conditions can
tell apart (see `visit_caps`). Its key is that int with everything that can no longer matter
masked off: the journal, and the flags, visit counts and taken choices that no condition reachable
from the current scene can read (see `liveness`); states with one key are the same state.
Each state is stepped with the same per-choice step functions `engine.step` runs (`step_core`).
Breadth-first order makes every recorded path a shortest one. Parent links are two arrays
(the parent's number and the choice's index); the walkthroughs' steps are read out at the end by
replaying them with `engine.step`. The report's bookkeeping is kept off the hot path: trust
ranges per distinct (scene, trust, named variables), paragraph conditions until both outcomes
were seen, and W301's rendered texts per distinct scene view.
"""

from __future__ import annotations

import re
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from coldcase_game import engine
from coldcase_game.engine import Changes, GameState
from coldcase_game.engine.compiled import Compiled, Trace, compiled
from coldcase_game.engine.visits import (
    UNCAPPED,
    alternatives,
    scene_conditions,
    visit_caps,
    visit_periods,
)
from coldcase_game.story.expr import names_in
from coldcase_game.story.model import Pos, Scene, Story, Term

__all__ = [
    "UNCAPPED",
    "ExploreLimit",
    "ExploreResult",
    "Step",
    "TermIndex",
    "TermWarning",
    "explore",
    "liveness",
    "visit_caps",
    "visit_periods",
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
    # format 2: named variables on arrival, scene -> variable -> (min, max)
    var_ranges: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    term_warnings: list[TermWarning] = field(default_factory=list)  # W301, sorted by place

    @property
    def ok(self) -> bool:
        return not self.unreached_endings and not self.soft_locks and bool(self.endings)


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
    for cond in scene_conditions(scene):
        for kind, name in names_in(cond.expr):
            if kind in ("flag", "chosen"):
                flags.add(name)
            elif kind == "visits":
                visits.add(name)
            elif kind == "var":
                variables.add(name)
    if any(True for _ in alternatives(scene)):
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

Mention = tuple[Pos, Term, int, str]  # where, the term, its flags' bits, what kind of text


def _key_masks(c: Compiled, story: Story, terms: TermIndex | None) -> list[int]:
    """For each scene (by index): the bits of the int that still matter on arrival there."""
    masks = []
    for sid, (flags, visits, once, variables) in liveness(story, terms).items():
        m = c.scene_mask | c.trust_all
        m |= c.flag_bits([f for f in flags if f in c.flag_index])
        for t, bit in c.taken_index.items():
            if t[0] in once or f"{t[0]}.{t[1]}" in flags:
                m |= 1 << bit
        for v in visits:
            vf = c.visit_field[v]
            m |= vf.mask << vf.off
        for vid in variables:
            voff, vmask, _ = c.var_field[vid]
            m |= vmask << voff
        masks.append(m)
        assert c.scene_index[sid] == len(masks) - 1
    return masks


def explore(
    story: Story,
    *,
    max_states: int = 1_000_000,
    soft_lock_paths: int = 20,
    on_state: Callable[[int, GameState], None] | None = None,
    on_edge: Callable[[int, int, str], None] | None = None,
) -> ExploreResult:
    """Search every reachable state. `on_state(key, state)` sees each distinct state once and
    `on_edge(key, next_key, choice_id)` every available choice from it (analysis.stategraph uses them);
    a key is an int."""
    c = compiled(story)
    scenes = c.scenes
    smask = c.scene_mask
    terms = TermIndex(story) if story.terms else None
    key_mask = _key_masks(c, story, terms)
    range_mask = c.scene_mask | c.trust_all
    named = [vid for vid, v in story.vars.items() if v.name]
    for vid in named:
        voff, vmask, _ = c.var_field[vid]
        range_mask |= vmask << voff
    result = ExploreResult()
    reached = [False] * len(scenes)
    available_seen = [0] * len(scenes)  # per scene: bit i once choice i was available
    failed_seen = [0] * len(scenes)  # per scene: bit i once choice i's `if` failed
    # conditional paragraphs still waiting for an outcome: [position, condition, seen true, seen false]
    pending: list[list[list[Any]]] = [
        [[i, c.pred(p.cond), False, False] for i, p in enumerate(sc.paragraphs, 1) if p.cond is not None]
        for sc in story.scenes.values()
    ]
    judged: dict[tuple[int, int], tuple[bool, bool]] = {}
    arrivals: set[int] = set()  # distinct (scene, trust, named variables) on arrival
    soft_lock_scenes: set[str] = set()
    term_seen: set[tuple[Pos, str]] = set()
    found: list[tuple[Pos, Term, str, str, int, int]] = []  # W301: ..., scene, state number, choice or -1
    views: dict[tuple[int, int], tuple[Mention, ...]] = {}
    scene_reads = [c.scene_reads(sc) for sc in story.scenes.values()]
    clue_terms: dict[int, tuple[Mention, ...]] = {}

    def judge(sc: int, s: int) -> None:
        entries = pending[sc]
        for entry in entries:
            if entry[1](s):
                entry[2] = True
            else:
                entry[3] = True
        if any(e[2] and e[3] for e in entries):
            for e in entries:
                if e[2] and e[3]:
                    judged[sc, e[0]] = (True, True)
            pending[sc] = [e for e in entries if not (e[2] and e[3])]

    def read_out(s: int) -> GameState:
        return GameState(
            c.scene_of(s), c.trust(s), c.flags(s), c.taken(s), c.visits(s), (), Changes(), c.vars(s), s, c
        )

    def mentions_of(pairs: Iterator[tuple[str, Pos, str]]) -> tuple[Mention, ...]:
        assert terms is not None
        return tuple(
            (pos, term, c.flag_bits(term.flags), where)
            for text, pos, where in pairs
            for term in terms.mentioned(text)
        )

    def scene_view(s: int) -> tuple[Mention, ...]:
        """W301's candidates in what a scene shows in state `s`, rendered once per distinct view."""
        sc = s & smask
        view = (sc, s & scene_reads[sc])
        got = views.get(view)
        if got is None:
            state = read_out(s)
            scene = story.scenes[state.scene]

            def texts() -> Iterator[tuple[str, Pos, str]]:
                for text, pos in engine.shown(scene.paragraphs, state, state.visits_of(scene.id)):
                    yield text, pos, "scene text"
                if scene.ending:
                    yield scene.ending, scene.ending_pos, "the ending title"
                for option in engine.choice_options(story, state):
                    yield option.text, option.choice.text_pos, "choice text"
                    if option.locked_reason:
                        yield option.locked_reason, option.choice.locked_pos, "locked hint"

            got = views[view] = mentions_of(texts())
        return got

    def then_view(s: int, ci: int) -> tuple[Mention, ...]:
        sc = s & smask
        view = (-1 - ci, s & scene_reads[sc])
        got = views.get(view)
        if got is None:
            state = read_out(s)
            choice = story.scenes[state.scene].choices[ci]
            got = views[view] = mentions_of(
                (text, pos, "then text")
                for text, pos in engine.shown(choice.then, state, state.visits_of(state.scene))
            )
        return got

    def clue_view(i: int) -> tuple[Mention, ...]:
        got = clue_terms.get(i)
        if got is None:
            flag = story.flags[c.flag_ids[i]]
            got = clue_terms[i] = mentions_of(iter([(flag.text, flag.pos, "the clue")]))
        return got

    def warn(candidates: tuple[Mention, ...], s: int, scene: str, at: int, ci: int) -> None:
        """W301, once for each place and term: the first time is the shortest path (breadth first)."""
        for pos, term, bits, where in candidates:
            if s & bits or (pos, term.text) in term_seen:
                continue
            term_seen.add((pos, term.text))
            found.append((pos, term, where, scene, at, ci))

    def passed(trace: Trace, first: int, at: int, ci: int) -> None:
        """The scenes a step's `next` chain passed through (trace points `first` to the last but
        one): reached, their paragraph conditions and terms judged in the state each was shown in."""
        points, cuts = trace.points, trace.cuts
        for i in range(first, len(points) - 1):
            p = points[i]
            sc = p & smask
            reached[sc] = True
            arrivals.add(p & range_mask)
            if pending[sc]:
                judge(sc, p)
            if terms is not None:
                warn(scene_view(p), p, c.scene_ids[sc], at, ci)
                for k in trace.clues[cuts[i - 1] if i else 0 : cuts[i]]:
                    warn(clue_view(k), p, c.scene_ids[sc], at, ci)

    begun = Trace()
    first = c.start_core(begun)
    passed(begun, 0, 0, -1)
    if terms is not None:
        start_cut = begun.cuts[-2] if len(begun.cuts) > 1 else 0
        for k in begun.clues[start_cut : begun.cuts[-1]]:
            warn(clue_view(k), first, c.scene_of(first), 0, -1)

    first_key = first & key_mask[first & smask]
    index: dict[int, int] = {first_key: 0}
    parents = array("q", [-1])
    via = array("i", [-1])  # the index of the choice taken from the parent
    queue: deque[int] = deque([first])
    number = -1
    endings: dict[str, int] = {}
    soft_locks: list[tuple[str, int]] = []
    need_trace = terms is not None
    journal_all = c.journal_all
    trace: Trace | None

    while queue:
        s = queue.popleft()
        number += 1
        sc = s & smask
        k = s & key_mask[sc]
        if on_state is not None:
            on_state(k, engine.start(story) if number == 0 else read_out(s))
        reached[sc] = True
        arrivals.add(s & range_mask)
        scene = scenes[sc]
        if terms is not None:
            warn(scene_view(s), s, scene.id, number, -1)
        if pending[sc]:
            judge(sc, s)
        if scene.ending:
            if scene.id not in endings:
                endings[scene.id] = number
            continue
        any_option = False
        for ch in scene.choices:
            if s & ch.hide:
                continue
            if ch.cond is not None and not ch.cond(s):
                failed_seen[sc] |= ch.bit
                continue
            any_option = True
            available_seen[sc] |= ch.bit
            # a trace only where the report needs one: a `next` chain, a `then` text, or (W301)
            # a step that journaled clues (stepped once more, traced, to see where each was told)
            if ch.passes or (need_trace and ch.choice.then):
                trace = Trace()
                nxt = ch.step(s, trace)
            else:
                nxt = ch.step(s, None)
                trace = None
                if need_trace and (nxt ^ s) & journal_all:
                    trace = Trace()
                    ch.step(s, trace)
            if trace is not None:
                if ch.passes:
                    passed(trace, 1, number, ch.index)
                if terms is not None:
                    middle = trace.points[0]
                    if ch.choice.then:
                        warn(then_view(middle, ch.index), middle, scene.id, number, ch.index)
                    for clue in trace.clues[: trace.cuts[0]]:
                        warn(clue_view(clue), middle, scene.id, number, ch.index)
                    last_cut = trace.cuts[-2]
                    for clue in trace.clues[last_cut : trace.cuts[-1]]:
                        warn(clue_view(clue), nxt, c.scene_ids[nxt & smask], number, ch.index)
            nk = nxt & key_mask[nxt & smask]
            if on_edge is not None:
                on_edge(k, nk, ch.choice.id)
            if nk in index:
                continue
            if len(index) >= max_states:
                raise ExploreLimit(len(index))
            index[nk] = len(parents)
            parents.append(number)
            via.append(ch.index)
            queue.append(nxt)
        if not any_option:
            result.soft_lock_states += 1
            if scene.id not in soft_lock_scenes and len(soft_locks) < soft_lock_paths:
                soft_lock_scenes.add(scene.id)
                soft_locks.append((scene.id, number))
    result.states = number + 1

    walk = _Walk(story, parents, via)
    result.endings = {sid: walk.path(n) for sid, n in endings.items()}
    result.soft_locks = [(sid, walk.path(n)) for sid, n in soft_locks]
    reached_ids = {c.scene_ids[i] for i, r in enumerate(reached) if r}
    result.unreached_endings = [s.id for s in story.endings if s.id not in result.endings]
    result.unreached_scenes = [sid for sid in story.scenes if sid not in reached_ids]
    for i, (sid, sc_model) in enumerate(story.scenes.items()):
        if sid not in reached_ids:
            continue
        for ci, choice in enumerate(sc_model.choices):
            if not available_seen[i] >> ci & 1:
                result.never_available.append((sid, choice.id))
    for i, (sid, sc_model) in enumerate(story.scenes.items()):
        if sid not in reached_ids or sc_model.is_ending:
            continue
        for ci, choice in enumerate(sc_model.choices):
            if choice.cond is not None and available_seen[i] >> ci & 1 and not failed_seen[i] >> ci & 1:
                result.always_open.append((sid, choice.id))
    for i, (sid, sc_model) in enumerate(story.scenes.items()):
        if sid not in reached_ids:
            continue
        left = {e[0]: (e[2], e[3]) for e in pending[i]}
        for pi, p in enumerate(sc_model.paragraphs, 1):
            if p.cond is None:
                continue
            true, false = left.get(pi, judged.get((i, pi), (False, False)))
            if not false:
                result.paragraphs_always.append((sid, pi, p.cond.source))
            elif not true:
                result.paragraphs_never.append((sid, pi, p.cond.source))
    ranges: dict[str, dict[str, list[int]]] = {}
    var_ranges: dict[str, dict[str, list[int]]] = {}
    for a in arrivals:
        sid = c.scene_of(a)
        for table, values in ((ranges, c.trust(a)), (var_ranges, [v for v in c.vars(a) if v[0] in named])):
            if not values:
                continue
            here = table.setdefault(sid, {})
            for name, value in values:
                r = here.get(name)
                if r is None:
                    here[name] = [value, value]
                elif value < r[0]:
                    r[0] = value
                elif value > r[1]:
                    r[1] = value
    result.trust_ranges = {
        sid: {cid: (ranges[sid][cid][0], ranges[sid][cid][1]) for cid in story.characters}
        for sid in story.scenes
        if sid in ranges
    }
    result.var_ranges = {
        sid: {vid: (var_ranges[sid][vid][0], var_ranges[sid][vid][1]) for vid in named}
        for sid in story.scenes
        if sid in var_ranges
    }
    for pos, term, where, scene_id, at, ci in found:
        steps = walk.path(at, ci)
        result.term_warnings.append(TermWarning(pos, term.text, term.flags, where, scene_id, tuple(steps)))
    result.term_warnings.sort(key=lambda w: (w.pos, w.term))
    return result


class _Walk:
    """Reads a state's shortest path out of the parent arrays, replaying it with `engine.step`
    to give each step the number and text the player saw."""

    def __init__(self, story: Story, parents: array[int], via: array[int]) -> None:
        self.story = story
        self.parents = parents
        self.via = via

    def path(self, at: int, then: int = -1) -> list[Step]:
        choices: list[int] = [] if then < 0 else [then]
        while at > 0:
            choices.append(self.via[at])
            at = self.parents[at]
        choices.reverse()
        story = self.story
        state = engine.start(story)
        steps: list[Step] = []
        for ci in choices:
            choice = story.scenes[state.scene].choices[ci]
            option = next(o for o in engine.choice_options(story, state) if o.choice is choice)
            steps.append(Step(state.scene, choice.id, option.number or 0, option.text))
            state = engine.step(story, state, choice.id)
        return steps
