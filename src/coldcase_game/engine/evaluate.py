"""The engine's own evaluator for compiled `if:` expressions. Never `eval`."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Protocol

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

NO_VARS: Mapping[str, int] = {}
NO_CHOICES: Set[tuple[str, str]] = frozenset()


class Visits(Protocol):
    def get(self, scene: str, default: int = 0, /) -> int: ...


def evaluate(
    expr: Expr,
    trust: Mapping[str, int],
    flags: Set[str],
    visits: Visits,
    variables: Mapping[str, int] = NO_VARS,
    chosen: Set[tuple[str, str]] = NO_CHOICES,
) -> int | bool:
    """The value of `expr`. `chosen` holds the (scene, choice) pairs picked so far (format 2's
    `chosen.<scene>.<choice>`: the state records those some condition reads)."""
    if isinstance(expr, BinOp):
        op = expr.op
        if op == "and":
            return bool(evaluate(expr.left, trust, flags, visits, variables, chosen)) and bool(
                evaluate(expr.right, trust, flags, visits, variables, chosen)
            )
        if op == "or":
            return bool(evaluate(expr.left, trust, flags, visits, variables, chosen)) or bool(
                evaluate(expr.right, trust, flags, visits, variables, chosen)
            )
        left = evaluate(expr.left, trust, flags, visits, variables, chosen)
        right = evaluate(expr.right, trust, flags, visits, variables, chosen)
        if op == ">=":
            return left >= right
        if op == "<":
            return left < right
        if op == ">":
            return left > right
        if op == "<=":
            return left <= right
        if op == "==":
            return left == right
        if op == "!=":
            return left != right
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        raise ValueError(f"unknown operator {op!r}")  # unreachable: the parser only builds the above
    if isinstance(expr, TrustRef):
        return trust[expr.character]
    if isinstance(expr, FlagRef):
        return expr.flag in flags
    if isinstance(expr, VisitsRef):
        return visits.get(expr.scene, 0)
    if isinstance(expr, VarRef):
        return variables[expr.var]
    if isinstance(expr, ChosenRef):
        return (expr.scene, expr.choice) in chosen
    if isinstance(expr, Not):
        return not evaluate(expr.operand, trust, flags, visits, variables, chosen)
    if isinstance(expr, Neg):
        return -evaluate(expr.operand, trust, flags, visits, variables, chosen)
    if isinstance(expr, Lit):
        return expr.value
    raise TypeError(f"not an expression node: {expr!r}")
