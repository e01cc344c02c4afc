"""A straightforward model of the rules, for tests/core/test_compiled.py: the engine as it was
before it was compiled (commit 8f74ff6), walking the story's model objects and the expression
tree with `evaluate`, its state a `GameState` of plain tuples and sets. The compiled engine must
give the same states and announcements."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator

from coldcase_game.engine.evaluate import evaluate
from coldcase_game.engine.state import NOTHING, Announced, Changes, GameState, Passage, TrustDelta, VarDelta
from coldcase_game.story.model import Choice, Condition, Effects, Inline, Paragraph, Pos, Scene, Story


class IllegalChoice(ValueError):
    pass


def _holds(cond: Condition | None, state: GameState) -> bool:
    if cond is None:
        return True
    return bool(evaluate(cond.expr, state.trust_map, state.flags, state, state.vars_map, state.taken))


def start(story: Story) -> GameState:
    """Rule 1: a new game, then the start scene is entered."""
    trust = tuple((cid, c.trust) for cid, c in story.characters.items())
    variables = tuple((vid, v.start) for vid, v in story.vars.items())
    before = GameState(scene=story.start, trust=trust, vars=variables)
    draft = _Draft(before)
    draft.flow(story, story.start)
    return draft.finish(story, None)


def step(story: Story, state: GameState, choice_id: str) -> GameState:
    """Rule 5: apply the choice's effects, record it, show its `then`, enter its `goto` scene."""
    scene, choice = _checked(story, state, choice_id)
    draft = _Draft(state)
    draft.after_do(story, scene.id, choice)
    if choice.then:
        middle = draft.state()
        draft.then = tuple(t for t, _ in shown(choice.then, middle, middle.visits_of(scene.id)))
    draft.flow(story, choice.goto)
    return draft.finish(story, (scene.id, choice.id))


def after_do(story: Story, state: GameState, choice_id: str) -> GameState:
    """The state in which a choice's `then` text is shown: after its `do`, before its `goto`.
    (`step` goes on from here; explore and author tools use it to see what `then` shows.)"""
    scene, choice = _checked(story, state, choice_id)
    draft = _Draft(state)
    draft.after_do(story, scene.id, choice)
    return draft.state()


def _checked(story: Story, state: GameState, choice_id: str) -> tuple[Scene, Choice]:
    scene = story.scenes[state.scene]
    if scene.is_ending:
        raise IllegalChoice(f"the game is over ({scene.ending})")
    choice = scene.choice(choice_id)
    if choice is None:
        raise IllegalChoice(f"scene '{scene.id}' has no choice '{choice_id}'")
    if not _is_available(choice, scene.id, state):
        raise IllegalChoice(f"choice '{choice_id}' is not available in scene '{scene.id}'")
    return scene, choice


def _is_available(choice: Choice, scene_id: str, state: GameState) -> bool:
    if choice.once and (scene_id, choice.id) in state.taken:
        return False
    return _holds(choice.cond, state)


def render(text: str, inline: Inline | None, state: GameState, visits: int) -> str:
    """Format 2: a text as shown in `state`, its inline pieces rendered: an `{if}` shows its first
    part when its condition holds, else its second (or nothing); a `{seq}` or `{cycle}` picks a
    part by `visits` (the visit count of the scene the text belongs to). A text without pieces
    (`inline` None) is shown as written. Emphasis (`_..._`) is left for the front end."""
    if inline is None:
        return text
    out: list[str] = []
    for piece in inline:
        if isinstance(piece, str):
            out.append(piece)
        elif piece.kind != "if":
            out.append(piece.part(visits))
        elif _holds(piece.cond, state):
            out.append(piece.parts[0])
        elif len(piece.parts) > 1:
            out.append(piece.parts[1])
    return "".join(out).strip()


def shown(paragraphs: tuple[Paragraph, ...], state: GameState, visits: int) -> Iterator[tuple[str, Pos]]:
    """The paragraphs of a text list that show in `state`, with where each is written: conditions
    are evaluated, a `sequence` or `cycle` picks its variant by `visits` (the visit count of the
    scene the text belongs to), and inline pieces are rendered (a paragraph they leave empty is
    not shown)."""
    trust, variables, taken = state.trust_map, state.vars_map, state.taken
    for p in paragraphs:
        if p.cond is not None and not evaluate(p.cond.expr, trust, state.flags, state, variables, taken):
            continue
        if p.mode == "text":
            if p.inline is None:
                yield p.text, p.pos
            else:
                text = render(p.text, p.inline, state, visits)
                if text:
                    yield text, p.pos
        else:
            variant = p.variant(visits)
            for i, text in enumerate(variant.paragraphs):
                if variant.inline and variant.inline[i] is not None:
                    text = render(text, variant.inline[i], state, visits)
                    if not text:
                        continue
                yield text, variant.pos


# --- internals -----------------------------------------------------------------------


class _Draft:
    """The fields of the next state while one step is worked out; one GameState is built at the end."""

    __slots__ = (
        "do",
        "flags",
        "journal",
        "mark_journal",
        "mark_trust",
        "mark_vars",
        "passed",
        "scene",
        "taken",
        "then",
        "trust",
        "vars",
        "visits",
    )

    def __init__(self, state: GameState) -> None:
        self.scene = state.scene
        self.trust = state.trust
        self.flags = state.flags
        self.taken = state.taken
        self.visits = state.visits
        self.journal = state.journal
        self.vars = state.vars
        self.do = NOTHING  # what the choice's `do` changed, once it has applied
        self.then: tuple[str, ...] = ()
        self.passed: tuple[Passage, ...] = ()  # format 2: the scenes a `next` chain passed through
        # where the changes being announced started: trust, variables and journal length
        self.mark_trust = state.trust
        self.mark_vars = state.vars
        self.mark_journal = len(state.journal)

    def state(self) -> GameState:
        return GameState(
            self.scene, self.trust, self.flags, self.taken, self.visits, self.journal, vars=self.vars
        )

    def after_do(self, story: Story, scene_id: str, choice: Choice) -> None:
        self.apply(story, choice.effects)
        # `once` choices, and (format 2) those some `chosen.<scene>.<choice>` reads
        if choice.once or (scene_id, choice.id) in story.chosen_read:
            self.taken = self.taken | {(scene_id, choice.id)}
        self.do = self.announced(story)

    def announced(self, story: Story) -> Announced:
        """What the player is told of the changes since the last call (or the start of the step);
        visibility is judged in the state after those changes. Then a new mark."""
        deltas: tuple[TrustDelta, ...] = ()
        if self.mark_trust != self.trust:
            characters, flags = story.characters, self.flags
            deltas = tuple(
                TrustDelta(cid, old, new)
                for (cid, old), (_, new) in zip(self.mark_trust, self.trust, strict=True)
                if old != new
                and (characters[cid].introduced_by is None or characters[cid].introduced_by in flags)
            )
        var_deltas: tuple[VarDelta, ...] = ()
        if self.mark_vars != self.vars:
            var_deltas = tuple(
                VarDelta(vid, old, new)
                for (vid, old), (_, new) in zip(self.mark_vars, self.vars, strict=True)
                if old != new and story.vars[vid].name
            )
        clues = self.journal[self.mark_journal :]
        self.mark_trust = self.trust
        self.mark_vars = self.vars
        self.mark_journal = len(self.journal)
        return Announced(deltas, clues, var_deltas) if deltas or clues or var_deltas else NOTHING

    def apply(self, story: Story, effects: Effects) -> None:
        """Rule 3: trust, then vars, then set, then clear. Trust is clamped to 0..100, a
        variable into its min..max. Format 2's list of blocks: each block in order, when its
        `if` holds in the state left by the blocks before it."""
        if effects.blocks:
            self.apply_blocks(story, effects)
            return
        if effects.trust:
            values = dict(self.trust)
            for change in effects.trust:
                values[change.character] = change.apply(values[change.character])
            self.trust = tuple([(cid, values[cid]) for cid, _ in self.trust])
        if effects.vars:
            numbers = dict(self.vars)
            for vchange in effects.vars:
                numbers[vchange.var] = vchange.apply(numbers[vchange.var], story.vars[vchange.var])
            self.vars = tuple([(vid, numbers[vid]) for vid, _ in self.vars])
        if effects.set:
            flags = self.flags
            new = [f for f in effects.set if f not in flags]
            if new:
                self.flags = flags.union(new)
                journal = self.journal
                for f in new:
                    if f not in journal and story.flags[f].text:
                        journal = (*journal, f)
                self.journal = journal
        if effects.clear:
            self.flags = self.flags.difference(effects.clear)

    def apply_blocks(self, story: Story, effects: Effects) -> None:
        for block in effects.blocks:
            if block.cond is None or _holds(block.cond, self.state()):
                self.apply(story, block.effects)

    def flow(self, story: Story, scene_id: str) -> None:
        """Enter `scene_id`, then (format 2) follow its `next` chain: each scene passed through
        is entered in turn, its text (as shown right after its `on_enter`) and its announced
        changes kept for the one screen of this step. The loader refuses a chain that loops;
        the bound is a guard for stories built by hand."""
        self.enter(story, scene_id)
        scene = story.scenes[scene_id]
        for _ in range(len(story.scenes)):
            if scene.next is None:
                return
            now = self.state()
            text = tuple(t for t, _ in shown(scene.paragraphs, now, now.visits_of(scene.id)))
            self.passed = (*self.passed, Passage(scene.id, text, self.announced(story), now))
            self.enter(story, scene.next)
            scene = story.scenes[scene.next]
        raise ValueError(f"scene '{scene.id}': its 'next' chain never reaches a choice or an ending")

    def enter(self, story: Story, scene_id: str) -> None:
        """Rule 2: the visit count goes up, then `on_enter` applies."""
        visits = self.visits
        i = bisect_left(visits, (scene_id,))  # kept sorted by scene id
        if i < len(visits) and visits[i][0] == scene_id:
            self.visits = (*visits[:i], (scene_id, visits[i][1] + 1), *visits[i + 1 :])
        else:
            self.visits = (*visits[:i], (scene_id, 1), *visits[i:])
        self.scene = scene_id
        on_enter = story.scenes[scene_id].on_enter
        if on_enter:
            self.apply(story, on_enter)

    def finish(self, story: Story, choice: tuple[str, str] | None) -> GameState:
        changes = Changes(
            choice, self.do, self.announced(story), story.scenes[self.scene].ending, self.then, self.passed
        )
        return GameState(
            self.scene, self.trust, self.flags, self.taken, self.visits, self.journal, changes, self.vars
        )
