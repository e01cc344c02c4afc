"""The engine's own evaluator for compiled `if:` expressions. Never `eval`."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Protocol

from coldcase_game.story.expr import BinOp, Expr, FlagRef, Lit, Neg, Not, TrustRef, VarRef, VisitsRef

NO_VARS: Mapping[str, int] = {}


class Visits(Protocol):
    def get(self, scene: str, default: int = 0, /) -> int: ...


def evaluate(
    expr: Expr,
    trust: Mapping[str, int],
    flags: Set[str],
    visits: Visits,
    variables: Mapping[str, int] = NO_VARS,
) -> int | bool:
    if isinstance(expr, BinOp):
        op = expr.op
        if op == "and":
            return bool(evaluate(expr.left, trust, flags, visits, variables)) and bool(
                evaluate(expr.right, trust, flags, visits, variables)
            )
        if op == "or":
            return bool(evaluate(expr.left, trust, flags, visits, variables)) or bool(
                evaluate(expr.right, trust, flags, visits, variables)
            )
        left = evaluate(expr.left, trust, flags, visits, variables)
        right = evaluate(expr.right, trust, flags, visits, variables)
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
    if isinstance(expr, Not):
        return not evaluate(expr.operand, trust, flags, visits, variables)
    if isinstance(expr, Neg):
        return -evaluate(expr.operand, trust, flags, visits, variables)
    if isinstance(expr, Lit):
        return expr.value
    raise TypeError(f"not an expression node: {expr!r}")
