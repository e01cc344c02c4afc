"""Visit caps: how far a scene's visit count matters to the story's conditions, sequences and cycles.

The compiled engine stores each such count folded at its cap (see `compiled.Layout`), and explore's
state key reads the same folded counts: below the cap a count is exact; from the cap on only cycles
can tell counts apart, modulo their period. Scenes whose visits nothing reads have no count at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from math import lcm
from typing import Any

from coldcase_game.story.expr import BinOp, Expr, Lit, Neg, Not, TrustRef, VarRef, VisitsRef
from coldcase_game.story.model import Condition, Scene, Story, scene_pieces

UNCAPPED = -1


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


def story_conditions(story: Story) -> Iterator[Condition]:
    """Every condition of the story: paragraphs, choices, the paragraphs of `then`, and (format 2)
    inline `{if}` pieces, and the `if` of effect blocks."""
    for scene in story.scenes.values():
        yield from scene_conditions(scene)


def scene_conditions(scene: Scene) -> Iterator[Condition]:
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


def alternatives(scene: Scene) -> Iterator[tuple[str, int]]:
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

    for cond in story_conditions(story):
        walk(cond.expr)
    for scene in story.scenes.values():
        for mode, count in alternatives(scene):
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
        for mode, count in alternatives(scene):
            if mode == "cycle":
                periods[scene.id] = lcm(periods.get(scene.id, 1), count)
    return periods
