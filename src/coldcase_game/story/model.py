"""The story model: frozen dataclasses built by the loader and read by the engine.

Every element keeps the position it came from (`Pos`) so diagnostics and
tools can point an author at the exact line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from coldcase_game.story.expr import Expr

FORMAT_VERSION = 2  # the newest format this version reads
FORMAT_2 = 2  # vars, sequence/cycle, `then`, `introduced_by`, `terms`, `next`, effect blocks, `chosen`


class Pos(NamedTuple):
    """A place in a source file: 1-based line and column. (A tuple: cheap to make by the thousand.)"""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


NOWHERE = Pos("<story>", 1, 1)


@dataclass(frozen=True, slots=True)
class Character:
    id: str
    name: str
    trust: int = 50
    about: str = ""
    pos: Pos = NOWHERE
    introduced_by: str | None = None  # format 2: a flag; the character is not shown until it is set


@dataclass(frozen=True, slots=True)
class Var:
    """Format 2: a bounded integer. One with a `name` is shown to the player; one without never is."""

    id: str
    start: int
    min: int
    max: int
    name: str | None = None
    pos: Pos = NOWHERE

    def clamp(self, value: int) -> int:
        return self.min if value < self.min else self.max if value > self.max else value


@dataclass(frozen=True, slots=True)
class Term:
    """Format 2: a word or phrase the player must have met, and the flags that introduce it.

    `pos` is where it was declared: an entry of `terms:`, or a character's `name`
    (`character` is then that character's id)."""

    text: str
    flags: tuple[str, ...]
    pos: Pos = NOWHERE
    character: str | None = None


@dataclass(frozen=True, slots=True)
class Flag:
    """A boolean. A flag with text is a clue: its text goes into the journal."""

    id: str
    text: str = ""
    pos: Pos = NOWHERE

    @property
    def is_clue(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True, slots=True)
class TrustChange:
    """`+N`/`-N` adds (`mode="add"`); `%+N`/`%-N` is fairmath (`mode="fair"`)."""

    character: str
    mode: Literal["add", "fair"]
    amount: int  # signed
    pos: Pos = NOWHERE

    def apply(self, value: int) -> int:
        if self.mode == "add":
            value += self.amount
        elif self.amount >= 0:
            value = value + (100 - value) * self.amount // 100
        else:
            value = value - value * (-self.amount) // 100
        return 0 if value < 0 else 100 if value > 100 else value

    def __str__(self) -> str:
        sign = "+" if self.amount >= 0 else "-"
        return f"{'%' if self.mode == 'fair' else ''}{sign}{abs(self.amount)}"


@dataclass(frozen=True, slots=True)
class VarChange:
    """Format 2: `+N`/`-N` adds (`mode="add"`); `=N` sets (`mode="set"`). The result is clamped."""

    var: str
    mode: Literal["add", "set"]
    amount: int  # signed
    pos: Pos = NOWHERE

    def apply(self, value: int, var: Var) -> int:
        return var.clamp(value + self.amount if self.mode == "add" else self.amount)

    def __str__(self) -> str:
        if self.mode == "set":
            return f"={self.amount}"
        return f"{'+' if self.amount >= 0 else '-'}{abs(self.amount)}"


@dataclass(frozen=True, slots=True)
class Effects:
    """Applied in the order trust, vars, set, clear.

    Format 2: `do:`/`on_enter:` may be a list of blocks (`blocks`), each with an optional `if`,
    applied in order; the fields above are then empty. `parts()` gives every block's effects
    for tools that look at what may be set, whichever form was written."""

    trust: tuple[TrustChange, ...] = ()
    set: tuple[str, ...] = ()
    clear: tuple[str, ...] = ()
    vars: tuple[VarChange, ...] = ()
    blocks: tuple[EffectBlock, ...] = ()  # format 2: the list form

    def __bool__(self) -> bool:
        return bool(self.trust or self.set or self.clear or self.vars or self.blocks)

    def parts(self) -> tuple[tuple[Condition | None, Effects], ...]:
        """(condition, effects) of each block in order; the mapping form is one block without `if`."""
        if self.blocks:
            return tuple((b.cond, b.effects) for b in self.blocks)
        return ((None, self),)

    @property
    def all_set(self) -> tuple[str, ...]:
        """Every flag some block may set."""
        return tuple(f for _, e in self.parts() for f in e.set)

    @property
    def all_clear(self) -> tuple[str, ...]:
        """Every flag some block may clear."""
        return tuple(f for _, e in self.parts() for f in e.clear)


NO_EFFECTS = Effects()


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled `if:` expression with its source text and position."""

    source: str
    expr: Expr
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Piece:
    """Format 2: one inline piece of a text. `{if EXPR: A | B}` (`kind="if"`, `cond` set, one or two
    parts), or `{seq: ...}` / `{cycle: ...}`, which pick a part by the scene's visits as a
    `sequence` or `cycle` paragraph picks a variant. `pos` is where its `{` is written."""

    kind: Literal["if", "seq", "cycle"]
    parts: tuple[str, ...]
    cond: Condition | None = None
    pos: Pos = NOWHERE

    def part(self, visits: int) -> str:
        """The part a `seq` or `cycle` shows on visit number `visits` (1 for the first)."""
        n = len(self.parts)
        k = visits if visits > 0 else 1
        return self.parts[(min(k, n) if self.kind == "seq" else (k - 1) % n + 1) - 1]


# Format 2: a text with inline pieces, as literal runs (braces already undoubled) and pieces.
# A text without pieces has none (`None`) and is shown as it is.
Inline = tuple[str | Piece, ...]


@dataclass(frozen=True, slots=True)
class EffectBlock:
    """Format 2: one block of a `do:`/`on_enter:` list: its effects apply when `cond` holds
    (evaluated when the block's turn comes, after the earlier blocks applied)."""

    cond: Condition | None
    effects: Effects
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Variant:
    """Format 2: one item of a `sequence` or `cycle`: its paragraphs (none for an empty item).
    `inline` holds, for each paragraph, its inline pieces (or None), or is empty when none has any."""

    paragraphs: tuple[str, ...]
    pos: Pos = NOWHERE
    inline: tuple[Inline | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One entry of a `text` list: a paragraph (`mode="text"`), or (format 2) a `sequence` or
    `cycle` of variants picked by the visit count. For those, `text` is the first variant's
    text, so a tool that only wants words finds some; the engine reads `variants`."""

    text: str
    cond: Condition | None = None
    pos: Pos = NOWHERE
    mode: Literal["text", "sequence", "cycle"] = "text"
    variants: tuple[Variant, ...] = ()
    inline: Inline | None = None  # format 2: `text` with its inline pieces; `text` is then as written

    def variant(self, visits: int) -> Variant:
        """The variant shown on visit number `visits` (1 for the first)."""
        n = len(self.variants)
        k = visits if visits > 0 else 1
        return self.variants[(min(k, n) if self.mode == "sequence" else (k - 1) % n + 1) - 1]

    @property
    def reads_visits(self) -> bool:
        return self.mode != "text"


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    text: str
    goto: str
    cond: Condition | None = None
    locked: str | None = None
    once: bool = False
    effects: Effects = NO_EFFECTS
    pos: Pos = NOWHERE
    then: tuple[Paragraph, ...] = ()  # format 2: shown after `do`, before `goto` is entered
    text_pos: Pos = NOWHERE  # where the choice's text and its locked hint are written
    locked_pos: Pos = NOWHERE
    text_inline: Inline | None = None  # format 2: `text` / `locked` with inline pieces, when they have any
    locked_inline: Inline | None = None


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    title: str | None
    paragraphs: tuple[Paragraph, ...]
    on_enter: Effects = NO_EFFECTS
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    pos: Pos = NOWHERE
    ending_pos: Pos = NOWHERE
    next: str | None = None  # format 2: the scene entered at once after this one (no choices, no ending)
    next_pos: Pos = NOWHERE

    @property
    def is_ending(self) -> bool:
        return self.ending is not None

    @property
    def heading(self) -> str:
        """The title shown for the scene: its `title`, else its id made readable."""
        return self.title or self.id.replace("_", " ").capitalize()

    def choice(self, choice_id: str) -> Choice | None:
        for choice in self.choices:
            if choice.id == choice_id:
                return choice
        return None


@dataclass(frozen=True)
class Story:
    """A whole case file. `characters`, `flags` and `scenes` keep file order."""

    id: str
    title: str
    start: str
    characters: dict[str, Character]
    flags: dict[str, Flag]
    scenes: dict[str, Scene]
    summary: str = ""
    author: str = ""
    format: int = 1
    root: str = ""
    files: tuple[str, ...] = ()
    scene_digests: dict[str, str] = field(default_factory=dict)
    digest: str = ""
    vars: dict[str, Var] = field(default_factory=dict)  # format 2, file order
    terms: dict[str, Term] = field(default_factory=dict)  # format 2: term text -> Term
    # format 2: the (scene, choice) pairs some `chosen.<scene>.<choice>` reads; only these are
    # recorded in the state when chosen (with every `once` choice), so explore's states grow only by them
    chosen_read: frozenset[tuple[str, str]] = frozenset()

    @property
    def endings(self) -> tuple[Scene, ...]:
        return tuple(s for s in self.scenes.values() if s.is_ending)


def _inline_pieces(inline: Inline | None) -> Iterator[Piece]:
    if inline is not None:
        for piece in inline:
            if isinstance(piece, Piece):
                yield piece


def paragraph_pieces(paragraphs: tuple[Paragraph, ...]) -> Iterator[Piece]:
    """Format 2: the inline pieces of a text list, its sequences' and cycles' variants included."""
    for p in paragraphs:
        yield from _inline_pieces(p.inline)
        for v in p.variants:
            for inline in v.inline:
                yield from _inline_pieces(inline)


def scene_pieces(scene: Scene) -> Iterator[Piece]:
    """Format 2: every inline piece a scene can show: its text, its choices' texts, locked hints
    and `then` texts. (They all read this scene's visits, and the state it is in.)"""
    yield from paragraph_pieces(scene.paragraphs)
    for c in scene.choices:
        yield from _inline_pieces(c.text_inline)
        yield from _inline_pieces(c.locked_inline)
        yield from paragraph_pieces(c.then)
