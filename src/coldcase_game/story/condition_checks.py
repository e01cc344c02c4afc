"""W306: conditions that can never hold, or always hold, by their form alone.

No state is searched (that is `coldcase explore`): only what the expression itself proves from
constants and the ranges every value is known to keep: trust is 0 to 100, a visit count is at
least 0 (at least 1 for the scene's own count in its paragraphs and choices, which are only shown
once it has been entered). `trust.x > 100`, `visits.s >= 0` and `if: false` are found; `trust.x > 50
and trust.x < 40` is not (each part alone can hold).
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
from coldcase_game.story.model import Condition, Story

Range = tuple[float, float]  # inclusive; math.inf for no upper bound
_BOTH = frozenset((True, False))
_COMPARE = frozenset(("==", "!=", "<", "<=", ">", ">="))
_PRECEDENCE = {"or": 1, "and": 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5}


@dataclass(frozen=True, slots=True)
class _Context:
    scene: str  # the scene whose paragraph or choice the condition belongs to


def _range(expr: Expr, ctx: _Context) -> Range:
    """The values an integer expression can take, as far as its form tells."""
    if isinstance(expr, Lit):
        return float(expr.value), float(expr.value)
    if isinstance(expr, TrustRef):
        return 0.0, 100.0
    if isinstance(expr, VisitsRef):
        return (1.0 if expr.scene == ctx.scene else 0.0), math.inf
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
        elif isinstance(node, VisitsRef):
            if node.scene == ctx.scene:
                found.append(f"visits.{node.scene} is at least 1 in its own scene")
            else:
                found.append(f"visits.{node.scene} is at least 0")
        elif isinstance(node, Not):
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


def _message(cond: Condition, ctx: _Context, where: str) -> str | None:
    truths = _truths(cond.expr, ctx)
    if len(truths) == 1:
        holds = next(iter(truths))
        part, whole = cond.expr, True
    else:
        found = _constant_part(cond.expr, ctx)
        if found is None:
            return None
        part, holds = found
        whole = False
    verb = "always holds" if holds else "can never hold"
    refs = _refs(part, ctx)
    why = f" ({'; '.join(refs)})" if refs else ""
    if whole:
        outcome = {
            ("choice", True): "the choice is never hidden or locked by it",
            ("choice", False): "the choice is never available",
            ("paragraph", True): "the paragraph is always shown",
            ("paragraph", False): "the paragraph is never shown",
        }[(where, holds)]
        return f"if: '{render(part)}' {verb}{why}, so {outcome}"
    return f"if: the part '{render(part)}' {verb}{why}, so it makes no difference to '{render(cond.expr)}'"


def constant_condition_warnings(story: Story, out: Collector) -> None:
    """W306 for each paragraph and choice condition whose form fixes its value (once per condition).

    Format 1 only: a format-2 story's conditions (variables, unary minus, `then`) are checked by
    `checks.route_warnings`, which knows each variable's range. The two are to be made one."""
    if story.format >= 2:
        return
    seen: set[int] = set()
    for scene in story.scenes.values():
        ctx = _Context(scene.id)
        sites: list[tuple[Condition, str]] = [(p.cond, "paragraph") for p in scene.paragraphs if p.cond]
        sites += [(c.cond, "choice") for c in scene.choices if c.cond]
        for cond, where in sites:
            if id(cond) in seen:  # a conditional text block split into several paragraphs
                continue
            seen.add(id(cond))
            message = _message(cond, ctx, where)
            if message is not None:
                p = cond.pos
                out.warning(p.file, p.line, p.col, "W306", message)
