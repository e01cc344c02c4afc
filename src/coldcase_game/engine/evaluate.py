"""The engine's own evaluator for compiled `if:` expressions. Never `eval`."""

from __future__ import annotations

from collections.abc import Mapping, Set
from typing import Protocol

from coldcase_game.story.expr import BinOp, Expr, FlagRef, Lit, Not, TrustRef, VisitsRef


class Visits(Protocol):
    def get(self, scene: str, default: int = 0, /) -> int: ...


def evaluate(expr: Expr, trust: Mapping[str, int], flags: Set[str], visits: Visits) -> int | bool:
    if isinstance(expr, BinOp):
        op = expr.op
        if op == "and":
            return bool(evaluate(expr.left, trust, flags, visits)) and bool(
                evaluate(expr.right, trust, flags, visits)
            )
        if op == "or":
            return bool(evaluate(expr.left, trust, flags, visits)) or bool(
                evaluate(expr.right, trust, flags, visits)
            )
        left = evaluate(expr.left, trust, flags, visits)
        right = evaluate(expr.right, trust, flags, visits)
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
    if isinstance(expr, Not):
        return not evaluate(expr.operand, trust, flags, visits)
    if isinstance(expr, Lit):
        return expr.value
    raise TypeError(f"not an expression node: {expr!r}")
