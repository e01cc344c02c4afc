"""W306: conditions that can never hold, or always hold, by their form alone (both formats).

No state is searched (that is `coldcase explore`): only what the expression itself proves from
constants and the ranges every value is known to keep: trust is 0 to 100, a format-2 variable stays
between its `min` and `max`, a visit count is at least 0 (at least 1 for the scene's own count in
anything of that scene: its text (inline `{if}`s too), choices, `then` texts and effect blocks,
which only come into play once it has been entered). `trust.x > 100`, `visits.s >= 0` and
`if: false` are found; `trust.x > 50 and trust.x < 40` is not (each part alone can hold). A
condition whose whole value is open but one of whose parts is fixed (`trust.x > 200 or clue`) is
reported for that part.

Each condition is reported once, at its `if:`, however many paragraphs it governs. The wording is
each format's own: format 1's names the ranges and what the author sees (the choice is never
available, ...); format 2's names the condition as written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from coldcase_game.story.diagnostics import Collector
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
from coldcase_game.story.model import FORMAT_2, Condition, Scene, Story, scene_pieces

Range = tuple[float, float]  # inclusive; math.inf for no upper bound
_BOTH = frozenset((True, False))
_COMPARE = frozenset(("==", "!=", "<", "<=", ">", ">="))
_PRECEDENCE = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5}


@dataclass(frozen=True, slots=True)
class _Context:
    story: Story
    scene: str  # the scene whose text, choice or effects the condition belongs to
    own_visits: bool = True  # False: the scene's own visit count taken as 0 or more, like any other


def _range(expr: Expr, ctx: _Context) -> Range:
    """The values an integer expression can take, as far as its form tells."""
    if isinstance(expr, Lit):
        return float(expr.value), float(expr.value)
    if isinstance(expr, TrustRef):
        return 0.0, 100.0
    if isinstance(expr, VisitsRef):
        return (1.0 if ctx.own_visits and expr.scene == ctx.scene else 0.0), math.inf
    if isinstance(expr, VarRef):
        var = ctx.story.vars.get(expr.var)
        return (float(var.min), float(var.max)) if var is not None else (-math.inf, math.inf)
    if isinstance(expr, Neg):
        lo, hi = _range(expr.operand, ctx)
        return -hi, -lo
    if isinstance(expr, BinOp) and expr.op in ("+", "-"):
        lo1, hi1 = _range(expr.left, ctx)
        lo2, hi2 = _range(expr.right, ctx)
        if expr.op == "+":
            return lo1 + lo2, hi1 + hi2
        return lo1 - hi2, hi1 - lo2
    return -math.inf, math.inf  # pragma: no cover - only integer expressions come here


def _truths(expr: Expr, ctx: _Context) -> frozenset[bool]:
    """The values a true/false expression can take, as far as its form tells."""
    if isinstance(expr, Lit):
        return frozenset((bool(expr.value),))
    if isinstance(expr, FlagRef):
        return _BOTH
    if isinstance(expr, Not):
        return frozenset(not v for v in _truths(expr.operand, ctx))
    if isinstance(expr, BinOp):
        op = expr.op
        if op in ("and", "or"):
            left, right = _truths(expr.left, ctx), _truths(expr.right, ctx)
            if op == "and":
                return frozenset(a and b for a in left for b in right)
            return frozenset(a or b for a in left for b in right)
        if op in _COMPARE:
            if _is_bool(expr.left):
                left, right = _truths(expr.left, ctx), _truths(expr.right, ctx)
                equal = frozenset(a == b for a in left for b in right)
                return equal if op == "==" else frozenset(not v for v in equal)
            return _compare(op, _range(expr.left, ctx), _range(expr.right, ctx))
    return _BOTH


def _is_bool(expr: Expr) -> bool:
    if isinstance(expr, Lit):
        return isinstance(expr.value, bool)
    if isinstance(expr, (FlagRef, ChosenRef, Not)):
        return True
    return isinstance(expr, BinOp) and expr.op not in ("+", "-")


def _compare(op: str, a: Range, b: Range) -> frozenset[bool]:
    (alo, ahi), (blo, bhi) = a, b
    if op in (">", ">="):  # a > b is b < a
        op = "<" if op == ">" else "<="
        (alo, ahi), (blo, bhi) = b, a
    if op == "<":
        always, never = ahi < blo, alo >= bhi
    elif op == "<=":
        always, never = ahi <= blo, alo > bhi
    else:  # == and !=
        never = ahi < blo or bhi < alo
        always = alo == ahi == blo == bhi
        if op == "!=":
            always, never = never, always
    if always:
        return frozenset((True,))
    if never:
        return frozenset((False,))
    return _BOTH


def render(expr: Expr) -> str:
    """An expression written back as an author would write it (for messages)."""
    return _render(expr, 0)


def _render(expr: Expr, outer: int) -> str:
    if isinstance(expr, Lit):
        return str(expr.value).lower() if isinstance(expr.value, bool) else str(expr.value)
    if isinstance(expr, TrustRef):
        return f"trust.{expr.character}"
    if isinstance(expr, VisitsRef):
        return f"visits.{expr.scene}"
    if isinstance(expr, FlagRef):
        return expr.flag
    if isinstance(expr, VarRef):
        return expr.var
    if isinstance(expr, ChosenRef):
        return f"chosen.{expr.scene}.{expr.choice}"
    if isinstance(expr, Neg):
        return f"-{_render(expr.operand, 9)}"
    if isinstance(expr, Not):
        text = f"not {_render(expr.operand, 3)}"
        return f"({text})" if outer > 3 else text
    prec = _PRECEDENCE.get(expr.op, 0)
    right = prec + 1 if expr.op in ("+", "-") or expr.op in _COMPARE else prec
    text = f"{_render(expr.left, prec)} {expr.op} {_render(expr.right, right)}"
    return f"({text})" if outer > prec else text


def _refs(expr: Expr, ctx: _Context) -> list[str]:
    """What the ranges used were: `trust.ana is 0 to 100`, for the message."""
    found: list[str] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, TrustRef):
            found.append(f"trust.{node.character} is 0 to 100")
        elif isinstance(node, VarRef) and node.var in ctx.story.vars:
            var = ctx.story.vars[node.var]
            found.append(f"{node.var} is {var.min} to {var.max}")
        elif isinstance(node, VisitsRef):
            if ctx.own_visits and node.scene == ctx.scene:
                found.append(f"visits.{node.scene} is at least 1 in its own scene")
            else:
                found.append(f"visits.{node.scene} is at least 0")
        elif isinstance(node, (Not, Neg)):
            stack.append(node.operand)
        elif isinstance(node, BinOp):
            stack.extend((node.right, node.left))
    return list(dict.fromkeys(found))


def _constant_part(expr: Expr, ctx: _Context) -> tuple[Expr, bool] | None:
    """The first comparison inside `expr` whose value its form fixes, if any."""
    if isinstance(expr, Not):
        return _constant_part(expr.operand, ctx)
    if isinstance(expr, BinOp) and expr.op in ("and", "or"):
        return _constant_part(expr.left, ctx) or _constant_part(expr.right, ctx)
    truths = _truths(expr, ctx)
    if len(truths) == 1 and not (isinstance(expr, Lit)):
        return expr, next(iter(truths))
    if isinstance(expr, Lit):
        return expr, bool(expr.value)
    return None


def _decision(expr: Expr, ctx: _Context) -> tuple[Expr, bool, bool] | None:
    """(the part whose form fixes its value, that value, whether the part is the whole condition),
    or None when the condition can go either way."""
    truths = _truths(expr, ctx)
    if len(truths) == 1:
        return expr, next(iter(truths)), True
    found = _constant_part(expr, ctx)
    if found is None:
        return None
    return found[0], found[1], False


_OUTCOME = {
    ("choice", True): "the choice is never hidden or locked by it",
    ("choice", False): "the choice is never available",
    ("paragraph", True): "the paragraph is always shown",
    ("paragraph", False): "the paragraph is never shown",
}


def _format_1_message(
    cond: Condition, ctx: _Context, where: str, part: Expr, holds: bool, whole: bool
) -> str:
    verb = "always holds" if holds else "can never hold"
    refs = _refs(part, ctx)
    why = f" ({'; '.join(refs)})" if refs else ""
    if whole:
        return f"if: '{render(part)}' {verb}{why}, so {_OUTCOME[(where, holds)]}"
    return f"if: the part '{render(part)}' {verb}{why}, so it makes no difference to '{render(cond.expr)}'"


def _format_2_message(cond: Condition, ctx: _Context, part: Expr, holds: bool, whole: bool) -> str:
    verb = "always holds" if holds else "can never hold"
    ranges = "trust is 0 to 100, a variable stays in its range, visits are 0 or more"
    if _truths(part, _Context(ctx.story, ctx.scene, own_visits=False)) != frozenset((holds,)):
        ranges += f", and visits.{ctx.scene} at least 1 in scene '{ctx.scene}' itself"
    if whole:
        return f"condition '{cond.source}' {verb} by its form alone, whatever the game's state ({ranges})"
    return (
        f"condition '{cond.source}': its part '{render(part)}' {verb} by its form alone, whatever the "
        f"game's state ({ranges}), so it makes no difference to the condition"
    )


def _sites(scene: Scene) -> list[tuple[Condition, str]]:
    """Every condition of a scene with what it governs: its paragraphs' and choices' `if`s, and
    (format 2) those of its `on_enter` blocks, each choice's `do` blocks and `then` paragraphs, and
    of the inline `{if}` pieces in any of its texts."""
    sites: list[tuple[Condition, str]] = [(p.cond, "paragraph") for p in scene.paragraphs if p.cond]
    sites += [(b.cond, "block") for b in scene.on_enter.blocks if b.cond]
    for c in scene.choices:
        sites += [(c.cond, "choice")] if c.cond else []
        sites += [(b.cond, "block") for b in c.effects.blocks if b.cond]
        sites += [(p.cond, "then") for p in c.then if p.cond]
    sites += [(piece.cond, "inline") for piece in scene_pieces(scene) if piece.cond]  # `{if}`
    return sites


def constant_condition_warnings(story: Story, out: Collector) -> None:
    """W306 for each condition whose form fixes its value, or the value of one of its parts
    (once per condition: a conditional text block split into several paragraphs shares one)."""
    seen: set[int] = set()
    for scene in story.scenes.values():
        ctx = _Context(story, scene.id)
        for cond, where in _sites(scene):
            if id(cond) in seen:
                continue
            seen.add(id(cond))
            decision = _decision(cond.expr, ctx)
            if decision is None:
                continue
            part, holds, whole = decision
            if story.format >= FORMAT_2:
                message = _format_2_message(cond, ctx, part, holds, whole)
            else:
                message = _format_1_message(cond, ctx, where, part, holds, whole)
            p = cond.pos
            out.warning(p.file, p.line, p.col, "W306", message)
