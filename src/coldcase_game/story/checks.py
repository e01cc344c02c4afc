"""Whole-story warnings: scenes unreachable from `start`, flags set but never read or read but never
set, and (W302-W304) choices that lock themselves, returns that read the same, characters never met."""

from __future__ import annotations

from collections import deque

from coldcase_game.story.diagnostics import Collector
from coldcase_game.story.expr import (
    BinOp,
    Expr,
    FlagRef,
    Lit,
    Neg,
    Not,
    TrustRef,
    VarRef,
    VisitsRef,
    names_in,
)
from coldcase_game.story.graphs import strongly_connected
from coldcase_game.story.model import FORMAT_2, Effects, Pos, Scene, Story, paragraph_pieces, scene_pieces


def reachable_scenes(story: Story) -> set[str]:
    """Scenes reachable from `start` in the scene graph (conditions ignored; `next` is an edge)."""
    seen = {story.start}
    queue = deque([story.start])
    while queue:
        scene = story.scenes[queue.popleft()]
        for target in successors(scene):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def successors(scene: Scene) -> list[str]:
    """The scenes entered straight after `scene`: its choices' gotos, or (format 2) its `next`."""
    if scene.next is not None:
        return [scene.next]
    return [c.goto for c in scene.choices]


def graph_warnings(story: Story, uses: dict[str, list[tuple[str, Pos]]], out: Collector) -> None:
    reachable = reachable_scenes(story)
    for scene in story.scenes.values():
        if scene.id not in reachable:
            p = scene.pos
            out.warning(
                p.file,
                p.line,
                p.col,
                "W101",
                f"scene '{scene.id}' is unreachable from start scene '{story.start}'",
            )

    first_set: dict[str, Pos] = {}
    for name, pos in uses["set"]:
        first_set.setdefault(name, pos)
    first_read: dict[str, Pos] = {}
    for name, pos in uses["read"]:
        first_read.setdefault(name, pos)
    for flag in story.flags.values():
        if flag.id in first_set and flag.id not in first_read:
            if flag.is_clue:
                continue  # a clue is read by the player in the journal: setting it is the point
            p = first_set[flag.id]
            out.warning(p.file, p.line, p.col, "W102", f"flag '{flag.id}' is set but never read by any 'if'")
        elif flag.id in first_read and flag.id not in first_set:
            p = first_read[flag.id]
            out.warning(
                p.file,
                p.line,
                p.col,
                "W103",
                f"flag '{flag.id}' is read but never set, so it is always false",
            )
        elif flag.id not in first_read and flag.id not in first_set:
            p = flag.pos
            out.warning(p.file, p.line, p.col, "W104", f"flag '{flag.id}' is declared but never set or read")


# --- format 2 warnings: W302 (a choice its own effects lock), W303 (returns that read the same),
# W304 (a character never introduced) ---------------------------------------------------------------


def route_warnings(story: Story, uses: dict[str, list[tuple[str, Pos]]], out: Collector) -> None:
    """Format 2 only: a format-1 story is checked exactly as before (its fixes need format 2 anyway)."""
    if story.format < FORMAT_2:
        return
    _self_locking_choices(story, out)
    _same_text_on_return(story, out)
    _form_decided_conditions(story, out)
    set_somewhere = {name for name, _ in uses["set"]}
    for character in story.characters.values():
        flag = character.introduced_by
        if flag is not None and flag not in set_somewhere:
            p = character.pos
            out.warning(
                p.file,
                p.line,
                p.col,
                "W304",
                f"character '{character.id}' is introduced by flag '{flag}', which nothing sets: "
                "the player never meets them (set the flag where they first appear)",
            )


Known = bool | int | None  # None: not known without playing


def _after(effects: tuple[Effects, ...], story: Story) -> tuple[dict[str, bool], dict[str, int]]:
    """What is certain after these effects, whatever the state before: the flags they set or clear
    and the variables they set with `=N`."""
    flags: dict[str, bool] = {}
    values: dict[str, int] = {}
    for whole in effects:
        for cond, e in whole.parts():
            if cond is not None and _known(cond.expr, flags, values) is not True:
                # a block that may or may not apply: what it touches is no longer certain
                for change in e.vars:
                    values.pop(change.var, None)
                for f in (*e.set, *e.clear):
                    flags.pop(f, None)
                continue
            for change in e.vars:
                if change.mode == "set":
                    values[change.var] = story.vars[change.var].clamp(change.amount)
                elif change.var in values:
                    values[change.var] = story.vars[change.var].clamp(values[change.var] + change.amount)
            for f in e.set:
                flags[f] = True
            for f in e.clear:
                flags[f] = False
    return flags, values


def _chain(story: Story, scene_id: str) -> list[Scene]:
    """The scene entered and the scenes its `next` chain passes through, the last one included."""
    out = [story.scenes[scene_id]]
    while out[-1].next is not None and len(out) <= len(story.scenes):
        out.append(story.scenes[out[-1].next])
    return out


def _known(expr: Expr, flags: dict[str, bool], values: dict[str, int]) -> Known:
    """Three-valued evaluation: the value when the known flags and variables decide it, else None."""
    if isinstance(expr, Lit):
        return expr.value
    if isinstance(expr, FlagRef):
        return flags.get(expr.flag)
    if isinstance(expr, VarRef):
        return values.get(expr.var)
    if isinstance(expr, Not):
        inner = _known(expr.operand, flags, values)
        return None if inner is None else not inner
    if isinstance(expr, Neg):
        inner = _known(expr.operand, flags, values)
        return None if inner is None else -int(inner)
    if isinstance(expr, BinOp):
        left = _known(expr.left, flags, values)
        right = _known(expr.right, flags, values)
        if expr.op == "and":
            if left is False or right is False:
                return False
            return True if left is True and right is True else None
        if expr.op == "or":
            if left is True or right is True:
                return True
            return False if left is False and right is False else None
        if left is None or right is None:
            return None
        a, b = int(left), int(right)
        ops = {
            "==": left == right,
            "!=": left != right,
            "<": a < b,
            "<=": a <= b,
            ">": a > b,
            ">=": a >= b,
            "+": a + b,
            "-": a - b,
        }
        return ops[expr.op]
    return None  # trust and visits are not known without playing


def _self_locking_choices(story: Story, out: Collector) -> None:
    for scene in story.scenes.values():
        for choice in scene.choices:
            if choice.locked is None or choice.cond is None or choice.once:
                continue
            if choice.goto not in story.scenes:
                continue
            chain = _chain(story, choice.goto)  # `goto` and the scenes its `next` chain flows into
            if chain[-1].is_ending:
                continue  # the game does not come back to it
            cond = choice.cond.expr
            if _known(cond, {}, {}) is False:
                continue  # false before anything happens: not the choice's doing (W306 says so)
            if _known(cond, *_after((choice.effects, *(s.on_enter for s in chain)), story)) is not False:
                continue
            by = "its 'do'"
            if _known(cond, *_after((choice.effects,), story)) is not False:
                # the first scene of the chain whose `on_enter` settles it
                settles = next(
                    scene
                    for i, scene in enumerate(chain, 1)
                    if _known(cond, *_after((choice.effects, *(c.on_enter for c in chain[:i])), story))
                    is False
                )
                by = f"the 'on_enter' of scene '{settles.id}'"
            p = choice.locked_pos
            out.warning(
                p.file,
                p.line,
                p.col,
                "W302",
                f"choice '{choice.id}' in scene '{scene.id}' locks itself: {by} makes "
                f"'if: {choice.cond.source}' "
                f"false, so once chosen it comes back locked with the hint '{_short(choice.locked)}' for "
                "something already done; add 'once: true'",
            )


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _on_cycles(story: Story) -> set[str]:
    """Scenes on a cycle of the scene graph (a strongly connected part of two or more, or a loop)."""
    edges = {sid: [t for t in successors(s) if t in story.scenes] for sid, s in story.scenes.items()}
    out: set[str] = set()
    for part in strongly_connected(story.scenes, edges.__getitem__):
        if len(part) > 1 or part[0] in edges[part[0]]:
            out.update(part)
    return out


def _same_text_on_return(story: Story, out: Collector) -> None:
    cyclic = _on_cycles(story)
    leads: dict[str, list[bool]] = {}  # scene -> `once` of every choice that leads to it
    for scene in story.scenes.values():
        for choice in scene.choices:
            leads.setdefault(choice.goto, []).append(choice.once)
        if scene.next is not None:
            leads.setdefault(scene.next, []).append(False)  # entered whenever `scene` is
    for scene in story.scenes.values():
        if scene.id not in cyclic:
            continue
        into = leads.get(scene.id, [])
        again = scene.id == story.start or not all(into) or len(into) >= 2
        if not again:
            continue
        varies = any(
            p.mode != "text" or (p.cond is not None and ("visits", scene.id) in names_in(p.cond.expr))
            for p in scene.paragraphs
        ) or any(  # inline: a `{seq}` or `{cycle}`, or an `{if}` that reads the scene's visits
            piece.kind != "if"
            or (piece.cond is not None and ("visits", scene.id) in names_in(piece.cond.expr))
            for piece in paragraph_pieces(scene.paragraphs)
        )
        if varies:
            continue
        p = scene.pos
        out.warning(
            p.file,
            p.line,
            p.col,
            "W303",
            f"scene '{scene.id}' can be entered again but shows the same text on every visit: "
            f"vary it with a 'sequence', a 'cycle' or a condition on visits.{scene.id}",
        )


# --- W306: a condition that can never hold, or always holds, by its form alone ------------------

INF = 10**12  # visit counts have no upper bound
Range = tuple[int, int]


def _range(expr: Expr, story: Story) -> Range | None:
    """The values an integer expression can take in any state (None for a boolean)."""
    if isinstance(expr, Lit):
        return None if isinstance(expr.value, bool) else (expr.value, expr.value)
    if isinstance(expr, TrustRef):
        return (0, 100)
    if isinstance(expr, VarRef):
        var = story.vars[expr.var]
        return (var.min, var.max)
    if isinstance(expr, VisitsRef):
        return (0, INF)
    if isinstance(expr, Neg):
        inner = _range(expr.operand, story)
        return None if inner is None else (-inner[1], -inner[0])
    if isinstance(expr, BinOp) and expr.op in ("+", "-"):
        a, b = _range(expr.left, story), _range(expr.right, story)
        if a is None or b is None:
            return None
        return (a[0] + b[0], a[1] + b[1]) if expr.op == "+" else (a[0] - b[1], a[1] - b[0])
    return None


def _decided(expr: Expr, story: Story) -> bool | None:
    """True or False when the condition's form decides it whatever the state, else None."""
    if isinstance(expr, Lit):
        return bool(expr.value) if isinstance(expr.value, bool) else None
    if isinstance(expr, Not):
        inner = _decided(expr.operand, story)
        return None if inner is None else not inner
    if not isinstance(expr, BinOp):
        return None  # a flag
    if expr.op in ("and", "or"):
        left, right = _decided(expr.left, story), _decided(expr.right, story)
        if expr.op == "and":
            if left is False or right is False:
                return False
            return True if left is True and right is True else None
        if left is True or right is True:
            return True
        return False if left is False and right is False else None
    a, b = _range(expr.left, story), _range(expr.right, story)
    if a is None or b is None:
        if expr.op in ("==", "!="):  # two booleans
            left, right = _decided(expr.left, story), _decided(expr.right, story)
            if left is not None and right is not None:
                return (left == right) == (expr.op == "==")
        return None
    (alo, ahi), (blo, bhi) = a, b
    if expr.op == "<":
        return True if ahi < blo else False if alo >= bhi else None
    if expr.op == "<=":
        return True if ahi <= blo else False if alo > bhi else None
    if expr.op == ">":
        return True if alo > bhi else False if ahi <= blo else None
    if expr.op == ">=":
        return True if alo >= bhi else False if ahi < blo else None
    same = alo == ahi == blo == bhi
    apart = ahi < blo or bhi < alo
    if expr.op == "==":
        return True if same else False if apart else None
    return False if same else True if apart else None  # !=


def _form_decided_conditions(story: Story, out: Collector) -> None:
    conds = []
    for scene in story.scenes.values():
        conds += [p.cond for p in scene.paragraphs if p.cond]
        conds += [b.cond for b in scene.on_enter.blocks if b.cond]
        for c in scene.choices:
            conds += [c.cond] if c.cond else []
            conds += [p.cond for p in c.then if p.cond]
            conds += [b.cond for b in c.effects.blocks if b.cond]
        conds += [piece.cond for piece in scene_pieces(scene) if piece.cond]  # inline `{if}`
    for cond in conds:
        decided = _decided(cond.expr, story)
        if decided is None:
            continue
        p = cond.pos
        word = "always holds" if decided else "can never hold"
        out.warning(
            p.file,
            p.line,
            p.col,
            "W306",
            f"condition '{cond.source}' {word} by its form alone, whatever the game's state "
            "(trust is 0 to 100, a variable stays in its range, visits are 0 or more)",
        )
