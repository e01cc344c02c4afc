"""The story model: frozen dataclasses built by the loader and read by the engine.

Every element keeps the position it came from (`Pos`) so diagnostics and
tools can point an author at the exact line and column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from coldcase_game.story.expr import Expr

FORMAT_VERSION = 1


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
class Effects:
    """Applied in the order trust, set, clear."""

    trust: tuple[TrustChange, ...] = ()
    set: tuple[str, ...] = ()
    clear: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.trust or self.set or self.clear)


NO_EFFECTS = Effects()


@dataclass(frozen=True, slots=True)
class Condition:
    """A compiled `if:` expression with its source text and position."""

    source: str
    expr: Expr
    pos: Pos = NOWHERE


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    cond: Condition | None = None
    pos: Pos = NOWHERE


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


@dataclass(frozen=True, slots=True)
class Scene:
    id: str
    title: str | None
    paragraphs: tuple[Paragraph, ...]
    on_enter: Effects = NO_EFFECTS
    choices: tuple[Choice, ...] = ()
    ending: str | None = None
    pos: Pos = NOWHERE

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
    format: int = FORMAT_VERSION
    root: str = ""
    files: tuple[str, ...] = ()
    scene_digests: dict[str, str] = field(default_factory=dict)
    digest: str = ""

    @property
    def endings(self) -> tuple[Scene, ...]:
        return tuple(s for s in self.scenes.values() if s.is_ending)
