"""The compiled story: the loader's `Story` turned once into small integers and closures.

The rule part of a game state is ONE Python int, its fields packed from the lowest bit up:

- the scene's index (`scene_bits` bits);
- each character's trust, 7 bits (0..100), in story order;
- each variable's value less its minimum, as many bits as its range needs, in story order;
- the flags, one bit each (`flag_off + i`);
- the journal, one bit per flag (`journal_off + i`): set once a clue flag was first set, so
  that a clue is announced only once (the journal's order is kept beside the int, in `GameState`);
- the taken choices, one bit each (`taken_off + k`): every `once` choice, and (format 2) every
  choice some `chosen.<scene>.<choice>` reads;
- the visit counts that something reads (see `engine.visits`), each folded at its cap: exact below
  the cap, then `cap + (n - cap) % period`; a count compared without bound has 48 exact bits.

Conditions become closures over that int (never `eval`); each choice becomes one fused step
function: its `do`, its taken bit, then entering its `goto` and following a `next` chain.
`step_core` runs it; `engine.step` is built on `step_core`, and so is explore.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from coldcase_game.engine.visits import (
    UNCAPPED,
    scene_conditions,
    story_conditions,
    visit_caps,
    visit_periods,
)
from coldcase_game.story.expr import (
    BinOp,
    ChosenRef,
    Expr,
    FlagRef,
    Lit,
    Neg,
    Not,
    TrustRef,
    VarRef,
    VisitsRef,
)
from coldcase_game.story.model import Choice, Condition, Effects, Scene, Story

if TYPE_CHECKING:
    pass

Pred = Callable[[int], "int | bool"]
TRUST_BITS = 7
TRUST_MASK = (1 << TRUST_BITS) - 1
UNCAPPED_BITS = 48
MEMO_SIZE = 4096


def _remember(memo: dict[int, Any], key: int, value: object) -> None:
    """Keep a read-out; a memo past MEMO_SIZE entries starts again (bounded memory)."""
    if len(memo) >= MEMO_SIZE:
        memo.clear()
    memo[key] = value


class Trace:
    """What a step passed through, for the announcements: `points` holds the int after the
    choice's `do` (for a step), then after entering each scene (each `next` chain scene, then the
    scene the step ends in); `clues` the flag indices newly journaled, in order; `cuts[i]` how many
    clues there were at `points[i]`."""

    __slots__ = ("clues", "cuts", "points")

    def __init__(self) -> None:
        self.points: list[int] = []
        self.clues: list[int] = []
        self.cuts: list[int] = []

    def point(self, s: int) -> None:
        self.points.append(s)
        self.cuts.append(len(self.clues))


Effect = Callable[[int, "Trace | None"], int]


class VisitField:
    """Where one scene's visit count sits in the int, and how it folds."""

    __slots__ = ("cap", "mask", "off", "period", "scene")

    def __init__(self, scene: str, off: int, cap: int, period: int) -> None:
        self.scene = scene
        self.off = off
        self.cap = cap
        self.period = period
        width = UNCAPPED_BITS if cap == UNCAPPED else max(1, (cap + period - 1).bit_length())
        self.mask = (1 << width) - 1

    def bump(self, v: int) -> int:
        """The folded count after one more visit."""
        v += 1
        if self.cap != UNCAPPED and v >= self.cap:
            v = self.cap + (v - self.cap) % self.period
        return v & self.mask

    def shown(self, v: int, current: bool) -> int:
        """A folded count as a visit count the texts can be shown with. A cap of 0 (only cycles
        read it) folds a count that is a multiple of the period to 0: in the scene itself (where
        the count is at least 1) that is the period, which picks the same cycle variants."""
        if v == 0 and self.cap == 0 and current:
            return self.period
        return v


class CChoice:
    """A choice compiled: `hide` is its taken bit when it is `once` (0 otherwise), `cond` its
    `if` (None when it has none), `step` the fused step function, `passes` how many `next` chain
    scenes its step passes through before the scene it ends in."""

    __slots__ = ("bit", "choice", "cond", "hide", "index", "passes", "step")

    def __init__(
        self, index: int, hide: int, cond: Pred | None, step: Effect, passes: int, choice: Choice
    ) -> None:
        self.index = index
        self.bit = 1 << index
        self.hide = hide
        self.cond = cond
        self.step = step
        self.passes = passes
        self.choice = choice


class CScene:
    __slots__ = ("choices", "ending", "id")

    def __init__(self, sid: str, ending: bool, choices: tuple[CChoice, ...]) -> None:
        self.id = sid
        self.ending = ending
        self.choices = choices


_COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}
_ARITH: dict[str, Callable[[int, int], int]] = {"+": operator.add, "-": operator.sub}


class Compiled:
    """A story compiled for the engine. Build it with `compiled(story)`: once per story."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.scene_ids = tuple(story.scenes)
        self.scene_index = {sid: i for i, sid in enumerate(self.scene_ids)}
        self.scene_bits = max(1, (len(self.scene_ids) - 1).bit_length())
        self.scene_mask = (1 << self.scene_bits) - 1
        off = self.scene_bits
        self.char_ids = tuple(story.characters)
        self.trust_off = {cid: off + TRUST_BITS * i for i, cid in enumerate(self.char_ids)}
        off += TRUST_BITS * len(self.char_ids)
        self.trust_all = ((1 << (TRUST_BITS * len(self.char_ids))) - 1) << self.scene_bits
        self.var_ids = tuple(story.vars)
        self.var_field: dict[str, tuple[int, int, int]] = {}  # var -> (offset, mask, minimum)
        for vid, var in story.vars.items():
            width = max(1, (var.max - var.min).bit_length())
            self.var_field[vid] = (off, (1 << width) - 1, var.min)
            off += width
        self.flag_ids = tuple(story.flags)
        self.flag_index = {f: i for i, f in enumerate(self.flag_ids)}
        self.flag_off = off
        off += len(self.flag_ids)
        self.journal_off = off
        off += len(self.flag_ids)
        self.flags_all = ((1 << len(self.flag_ids)) - 1) << self.flag_off
        self.journal_all = ((1 << len(self.flag_ids)) - 1) << self.journal_off
        self.clue_mask = sum(1 << i for i, f in enumerate(self.flag_ids) if story.flags[f].text)
        tracked = [
            (sid, c.id)
            for sid, scene in story.scenes.items()
            for c in scene.choices
            if c.once or (sid, c.id) in story.chosen_read
        ]
        self.taken_ids = tuple(tracked)
        self.taken_off = off
        self.taken_index = {t: off + k for k, t in enumerate(tracked)}
        off += len(tracked)
        caps, periods = visit_caps(story), visit_periods(story)
        self.visit_field: dict[str, VisitField] = {}
        for sid in story.scenes:
            if sid in caps:
                vf = VisitField(sid, off, caps[sid], periods.get(sid, 1))
                self.visit_field[sid] = vf
                off += vf.mask.bit_length()
        self.bits = off
        self.var_all = sum(mask << voff for voff, mask, _ in self.var_field.values())
        self.taken_all = sum(1 << bit for bit in self.taken_index.values())
        self.counted_all = self.trust_all | self.var_all  # what `_announce` may report besides clues
        # scene id -> choice id -> the choice's index in the scene (what `step_core` takes)
        self.choice_index = {
            sid: {c.id: i for i, c in enumerate(scene.choices)} for sid, scene in story.scenes.items()
        }
        # read-outs memoised by the bits they read (play and explore see the same fields again
        # and again); each memo is emptied when it grows past MEMO_SIZE entries
        self._trust_memo: dict[int, tuple[tuple[str, int], ...]] = {}
        self._vars_memo: dict[int, tuple[tuple[str, int], ...]] = {}
        self._flags_memo: dict[int, frozenset[str]] = {}
        self._taken_memo: dict[int, frozenset[tuple[str, str]]] = {}
        self._preds: dict[int, tuple[Condition, Pred]] = {}
        for cond in story_conditions(story):
            self.pred(cond)
        self._flows: dict[str, tuple[Effect, int]] = {}
        self.scenes = tuple(self._scene(scene) for scene in story.scenes.values())
        self.start_index = self.scene_index[story.start]
        self.initial = self.start_index
        for cid, ch in story.characters.items():
            self.initial |= ch.trust << self.trust_off[cid]
        for vid, var in story.vars.items():
            voff, _, vmin = self.var_field[vid]
            self.initial |= (var.start - vmin) << voff

    # --- reading the int ------------------------------------------------------------------
    def scene_of(self, s: int) -> str:
        return self.scene_ids[s & self.scene_mask]

    def trust(self, s: int) -> tuple[tuple[str, int], ...]:
        key = s & self.trust_all
        found = self._trust_memo.get(key)
        if found is None:
            found = tuple((cid, (s >> self.trust_off[cid]) & TRUST_MASK) for cid in self.char_ids)
            _remember(self._trust_memo, key, found)
        return found

    def vars(self, s: int) -> tuple[tuple[str, int], ...]:
        key = s & self.var_all
        found = self._vars_memo.get(key)
        if found is None:
            out = []
            for vid in self.var_ids:
                voff, mask, vmin = self.var_field[vid]
                out.append((vid, ((s >> voff) & mask) + vmin))
            found = tuple(out)
            _remember(self._vars_memo, key, found)
        return found

    def flags(self, s: int) -> frozenset[str]:
        key = s & self.flags_all
        found = self._flags_memo.get(key)
        if found is None:
            bits = s >> self.flag_off
            found = frozenset(f for i, f in enumerate(self.flag_ids) if bits >> i & 1)
            _remember(self._flags_memo, key, found)
        return found

    def taken(self, s: int) -> frozenset[tuple[str, str]]:
        key = s & self.taken_all
        found = self._taken_memo.get(key)
        if found is None:
            found = frozenset(t for t, bit in self.taken_index.items() if s >> bit & 1)
            _remember(self._taken_memo, key, found)
        return found

    def visits(self, s: int) -> tuple[tuple[str, int], ...]:
        """The folded visit counts (shown as `VisitField.shown` does), sorted by scene id."""
        here = self.scene_of(s)
        out = []
        for sid, vf in self.visit_field.items():
            v = vf.shown((s >> vf.off) & vf.mask, sid == here)
            if v:
                out.append((sid, v))
        return tuple(sorted(out))

    def flag_bits(self, flags: object) -> int:
        """The bits of some flags (unknown names have none)."""
        assert isinstance(flags, (tuple, frozenset, set, list))
        return sum(1 << (self.flag_off + self.flag_index[f]) for f in flags if f in self.flag_index)

    # --- conditions -------------------------------------------------------------------------
    def pred(self, cond: Condition) -> Pred:
        """The closure for a condition of this story (compiled once, found by identity)."""
        found = self._preds.get(id(cond))
        if found is None:
            found = (cond, self.expr(cond.expr))
            self._preds[id(cond)] = found
        return found[1]

    def expr(self, e: Expr) -> Pred:
        if isinstance(e, Lit):
            value = e.value
            return lambda s: value
        if isinstance(e, TrustRef):
            toff = self.trust_off[e.character]
            return lambda s: (s >> toff) & TRUST_MASK
        if isinstance(e, FlagRef):
            bit = 1 << (self.flag_off + self.flag_index[e.flag])
            return lambda s: s & bit != 0
        if isinstance(e, VisitsRef):
            vf = self.visit_field.get(e.scene)
            if vf is None:
                return lambda s: 0
            voff, vmask = vf.off, vf.mask
            return lambda s: (s >> voff) & vmask
        if isinstance(e, VarRef):
            voff, vmask, vmin = self.var_field[e.var]
            return lambda s: ((s >> voff) & vmask) + vmin
        if isinstance(e, ChosenRef):
            at = self.taken_index.get((e.scene, e.choice))
            if at is None:
                return lambda s: False
            cbit = 1 << at
            return lambda s: s & cbit != 0
        if isinstance(e, Not):
            inner = self.expr(e.operand)
            return lambda s: not inner(s)
        if isinstance(e, Neg):
            neg = self.expr(e.operand)
            return lambda s: -neg(s)
        if isinstance(e, BinOp):
            left, right = self.expr(e.left), self.expr(e.right)
            if e.op == "and":
                return lambda s: bool(left(s)) and bool(right(s))
            if e.op == "or":
                return lambda s: bool(left(s)) or bool(right(s))
            op = _COMPARE.get(e.op) or _ARITH.get(e.op)
            if op is None:
                raise ValueError(f"unknown operator {e.op!r}")  # unreachable: the parser builds no other
            if isinstance(e.right, Lit) and not isinstance(e.right.value, bool):
                k = e.right.value
                return lambda s: op(left(s), k)
            return lambda s: op(left(s), right(s))
        raise TypeError(f"not an expression node: {e!r}")

    # --- effects ------------------------------------------------------------------------------
    def effects(self, effects: Effects) -> Effect | None:
        """Rule 3 as one function of the int: trust, then vars, then set, then clear; format 2's
        blocks in order, each when its `if` holds in the int the blocks before it left."""
        if not effects:
            return None
        if effects.blocks:
            parts = tuple(
                (None if b.cond is None else self.pred(b.cond), self.effects(b.effects))
                for b in effects.blocks
            )

            def blocks(s: int, trace: Trace | None) -> int:
                for cond, run in parts:
                    if run is not None and (cond is None or cond(s)):
                        s = run(s, trace)
                return s

            return blocks
        # (offset, fairmath?, amount): TrustChange.apply written out, one call less a change
        trust = tuple((self.trust_off[t.character], t.mode == "fair", t.amount) for t in effects.trust)
        story_vars = self.story.vars
        var_ops = tuple((*self.var_field[v.var], v, story_vars[v.var]) for v in effects.vars)
        set_bits = self.flag_bits(effects.set)
        order = tuple(self.flag_index[f] for f in effects.set)
        clear_bits = self.flag_bits(effects.clear)
        flag_off, journal_off, clue_mask = self.flag_off, self.journal_off, self.clue_mask

        def apply(s: int, trace: Trace | None) -> int:
            for toff, fair, amount in trust:
                v = (s >> toff) & TRUST_MASK
                if not fair:
                    v += amount
                elif amount >= 0:
                    v = v + (100 - v) * amount // 100
                else:
                    v = v - v * (-amount) // 100
                v = 0 if v < 0 else 100 if v > 100 else v
                s = (s & ~(TRUST_MASK << toff)) | (v << toff)
            for voff, vmask, vmin, vchange, var in var_ops:
                value = vchange.apply(((s >> voff) & vmask) + vmin, var)
                s = (s & ~(vmask << voff)) | ((value - vmin) << voff)
            if set_bits:
                new = set_bits & ~s
                if new:
                    s |= new
                    journal = (((new >> flag_off) & clue_mask) << journal_off) & ~s
                    if journal:
                        s |= journal
                        if trace is not None:
                            for i in order:
                                if journal >> (journal_off + i) & 1:
                                    trace.clues.append(i)
                                    journal &= ~(1 << (journal_off + i))
            if clear_bits:
                s &= ~clear_bits
            return s

        return apply

    # --- scenes and choices -------------------------------------------------------------------
    def enter(self, scene: Scene) -> Effect:
        """Rule 2: the visit count goes up (folded), the scene becomes current, `on_enter` applies."""
        index = self.scene_index[scene.id]
        keep = ~self.scene_mask
        vf = self.visit_field.get(scene.id)
        on_enter = self.effects(scene.on_enter)

        def enter(s: int, trace: Trace | None) -> int:
            if vf is not None:
                s = (s & ~(vf.mask << vf.off)) | (vf.bump((s >> vf.off) & vf.mask) << vf.off)
            s = (s & keep) | index
            if on_enter is not None:
                s = on_enter(s, trace)
            return s

        return enter

    def flow(self, scene_id: str) -> tuple[Effect, int]:
        """Entering `scene_id` and following its `next` chain (format 2), and how many chain scenes
        come before the last; each entered scene is a trace point."""
        found = self._flows.get(scene_id)
        if found is not None:
            return found
        story = self.story
        chain = [story.scenes[scene_id]]
        loops = False
        while chain[-1].next is not None:
            if len(chain) > len(story.scenes):
                loops = True  # the loader refuses this; a story built by hand may have it
                break
            chain.append(story.scenes[chain[-1].next])
        steps = tuple(self.enter(sc) for sc in chain)
        last = chain[-1].id

        def flow(s: int, trace: Trace | None) -> int:
            for enter in steps:
                s = enter(s, trace)
                if trace is not None:
                    trace.point(s)
            if loops:
                raise ValueError(f"scene '{last}': its 'next' chain never reaches a choice or an ending")
            return s

        found = (flow, len(chain) - 1)
        self._flows[scene_id] = found
        return found

    def _scene(self, scene: Scene) -> CScene:
        out = []
        for i, choice in enumerate(scene.choices):
            at = self.taken_index.get((scene.id, choice.id))
            take = 0 if at is None else 1 << at
            hide = take if choice.once else 0
            cond = None if choice.cond is None else self.pred(choice.cond)
            out.append(CChoice(i, hide, cond, self._step(choice.effects, take, choice.goto), 0, choice))
            out[-1].passes = self.flow(choice.goto)[1]
        return CScene(scene.id, scene.is_ending, tuple(out))

    def _step(self, effects: Effects, take: int, goto: str) -> Effect:
        do = self.effects(effects)
        flow, passes = self.flow(goto)
        target = self.story.scenes[goto]
        if passes or target.next is not None:

            def step(s: int, trace: Trace | None) -> int:
                if do is not None:
                    s = do(s, trace)
                s |= take
                if trace is not None:
                    trace.point(s)
                return flow(s, trace)

            return step
        # the usual case, fused: `do`, the taken bit, then entering `goto` (rule 2) inline
        index = self.scene_index[goto]
        keep = ~self.scene_mask
        on_enter = self.effects(target.on_enter)
        vf = self.visit_field.get(goto)
        voff = vf.off if vf is not None else 0
        vmask = vf.mask if vf is not None else 0
        vclear = ~(vmask << voff)
        cap = vf.cap if vf is not None else 0
        period = vf.period if vf is not None else 1
        folds = vf is not None and cap != UNCAPPED

        def fused(s: int, trace: Trace | None) -> int:
            if do is not None:
                s = do(s, trace)
            s |= take
            if trace is not None:
                trace.point(s)
            if vmask:
                v = ((s >> voff) & vmask) + 1
                if folds and v >= cap:
                    v = cap + (v - cap) % period
                s = (s & vclear) | ((v & vmask) << voff)
            s = (s & keep) | index
            if on_enter is not None:
                s = on_enter(s, trace)
            if trace is not None:
                trace.point(s)
            return s

        return fused

    def start_core(self, trace: Trace | None = None) -> int:
        """Rule 1: the int of a new game, its start scene entered (and its `next` chain followed)."""
        return self.flow(self.story.start)[0](self.initial, trace)

    # --- what reads what ------------------------------------------------------------------------
    def read_bits(self, expr: Expr) -> int:
        """The bits of the int an expression reads."""
        bits = 0
        stack = [expr]
        while stack:
            e = stack.pop()
            if isinstance(e, TrustRef):
                bits |= TRUST_MASK << self.trust_off[e.character]
            elif isinstance(e, FlagRef):
                bits |= 1 << (self.flag_off + self.flag_index[e.flag])
            elif isinstance(e, VisitsRef) and e.scene in self.visit_field:
                vf = self.visit_field[e.scene]
                bits |= vf.mask << vf.off
            elif isinstance(e, VarRef):
                voff, vmask, _ = self.var_field[e.var]
                bits |= vmask << voff
            elif isinstance(e, ChosenRef) and (e.scene, e.choice) in self.taken_index:
                bits |= 1 << self.taken_index[e.scene, e.choice]
            elif isinstance(e, (Not, Neg)):
                stack.append(e.operand)
            elif isinstance(e, BinOp):
                stack.extend((e.left, e.right))
        return bits

    def scene_reads(self, scene: Scene) -> int:
        """The bits that decide what a scene shows: its index, its visit count, what its conditions
        read (texts, inline pieces, choices, `then`, effect blocks) and its `once` choices' bits."""
        bits = self.scene_mask
        vf = self.visit_field.get(scene.id)
        if vf is not None:
            bits |= vf.mask << vf.off
        for cond in scene_conditions(scene):  # its inline `{if}` pieces too
            bits |= self.read_bits(cond.expr)
        for c in scene.choices:
            if c.once:
                bits |= 1 << self.taken_index[scene.id, c.id]
        return bits


def compiled(story: Story) -> Compiled:
    """The story's compiled form, built on first use and kept on the story object."""
    found = story.__dict__.get("_compiled")
    if found is None:
        found = Compiled(story)
        story.__dict__["_compiled"] = found
    assert isinstance(found, Compiled)
    return found


def step_core(c: Compiled, s: int, choice_index: int, trace: Trace | None = None) -> int:
    """The rule part of one step: the int after taking choice number `choice_index` (0-based, in
    file order) of the current scene. The caller checks that the choice is available."""
    return c.scenes[s & c.scene_mask].choices[choice_index].step(s, trace)
