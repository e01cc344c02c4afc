"""The `if:` expression language: a tokenizer, a small precedence parser and a type checker.

No Python `eval`/`compile`/`ast` is involved. The grammar, loosest first::

    expr   := or
    or     := and ("or" and)*
    and    := not ("and" not)*
    not    := "not" not | cmp
    cmp    := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?     # never chained
    sum    := atom (("+"|"-") atom)*
    atom   := INT | "true" | "false" | NAME | "trust." NAME | "visits." NAME | "(" expr ")"
            | "-" atom | "chosen." NAME "." NAME                # format 2 only

A NAME is a flag, or (format 2) a variable.

Names are resolved and types checked once, at load; the engine only evaluates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

MAX_LENGTH = 256
MAX_INT = 1_000_000

Type = Literal["int", "bool"]


# --- compiled nodes (frozen; evaluated by coldcase_game.engine.evaluate) -------------


@dataclass(frozen=True, slots=True)
class Lit:
    value: int | bool


@dataclass(frozen=True, slots=True)
class TrustRef:
    character: str


@dataclass(frozen=True, slots=True)
class FlagRef:
    flag: str


@dataclass(frozen=True, slots=True)
class VisitsRef:
    scene: str


@dataclass(frozen=True, slots=True)
class VarRef:
    """Format 2: a variable, an integer."""

    var: str


@dataclass(frozen=True, slots=True)
class ChosenRef:
    """Format 2: `chosen.<scene>.<choice>`, true once that choice was picked in this game."""

    scene: str
    choice: str


@dataclass(frozen=True, slots=True)
class Neg:
    """Format 2: unary minus on an integer."""

    operand: Expr


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr


@dataclass(frozen=True, slots=True)
class BinOp:
    op: str  # and or == != < <= > >= + -
    left: Expr
    right: Expr


Expr = Lit | TrustRef | FlagRef | VisitsRef | VarRef | ChosenRef | Neg | Not | BinOp


class ExprError(Exception):
    """A problem in an expression. `offset` is the 0-based column inside the expression."""

    def __init__(self, message: str, offset: int, code: str = "E301") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.code = code


@dataclass(frozen=True)
class Names:
    """What an expression may refer to."""

    characters: frozenset[str]
    flags: frozenset[str]
    scenes: frozenset[str]
    vars: frozenset[str] = frozenset()  # format 2
    format: int = 1  # format 2 allows a unary minus and `chosen.<scene>.<choice>`
    # format 2: each scene's choice ids, for `chosen.<scene>.<choice>`
    choices: tuple[tuple[str, frozenset[str]], ...] = ()


# --- tokenizer -----------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<int>[0-9]+)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<=|>=|<|>|\+|-|\(|\)|\.)
    """,
    re.VERBOSE,
)

_KEYWORDS = {"and", "or", "not", "true", "false"}


class Token:
    """One token of an expression: its kind (int, name, op or end), its text and where it starts.
    (A plain class: tokens are internal to the parser and live only while it runs.)"""

    __slots__ = ("kind", "offset", "text")

    def __init__(self, kind: str, text: str, offset: int) -> None:
        self.kind = kind
        self.text = text
        self.offset = offset

    def __repr__(self) -> str:
        return f"Token({self.kind!r}, {self.text!r}, {self.offset})"


def tokenize(source: str) -> Iterator[Token]:
    """Tokens one at a time, so a syntax error earlier in the text is reported before a bad character
    later."""
    pos = 0
    while pos < len(source):
        m = _TOKEN.match(source, pos)
        if m is None:
            ch = source[pos]
            hint = _char_hint(source, pos)
            raise ExprError(f"unexpected character {ch!r}{hint}", pos)
        kind = m.lastgroup or ""
        if kind != "ws":
            yield Token(kind, m.group(), pos)
        pos = m.end()
    yield Token("end", "", len(source))


def _char_hint(source: str, pos: int) -> str:
    ch = source[pos]
    if ch in "'\"":
        return ": strings are not part of expressions"
    if source.startswith("**", pos) or ch in "*/%":
        return ": only + and - are allowed"
    if ch == "=":
        if source[max(0, pos - 2) : pos] in (">=", "<="):  # `>==`
            return f": write {source[pos - 2 : pos]} (a single '=')"
        if source.startswith(("=>", "=<"), pos):
            return f": write {source[pos + 1]}= for 'or equal'"
        return ": use == to compare"
    if ch == "!":
        return ": use 'not' for negation"
    if ch == "&":
        return ": use 'and'"
    if ch == "|":
        return ": use 'or'"
    if ch in "[]{}":
        return ": subscripts and collections are not allowed"
    if ch == ",":
        return ": function calls are not allowed"
    return ""


# --- parser --------------------------------------------------------------------------

_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


class _Parser:
    def __init__(self, source: str, names: Names) -> None:
        self.source = source
        self.names = names
        self._stream = tokenize(source)
        self._next: Token = next(self._stream)

    # token helpers: one token of lookahead
    def peek(self) -> Token:
        return self._next

    def take(self) -> Token:
        tok = self._next
        if tok.kind != "end":
            self._next = next(self._stream)
        return tok

    def at(self, text: str) -> bool:
        tok = self.peek()
        return tok.text == text and tok.kind in ("op", "name")

    # grammar; each returns (node, type, offset)
    def parse(self) -> tuple[Expr, Type]:
        node, typ, _ = self.or_()
        tok = self.peek()
        if tok.kind != "end":
            if tok.text == "(":
                raise ExprError("function calls are not allowed", tok.offset)
            if tok.text in _COMPARE:
                raise ExprError("comparisons cannot be chained; join them with 'and'", tok.offset)
            raise ExprError(f"unexpected {_describe(tok)}", tok.offset)
        return node, typ

    def _logical(self, word: str, sub: Callable[[], tuple[Expr, Type, int]]) -> tuple[Expr, Type, int]:
        left, ltyp, loff = sub()
        while self.at(word):
            op = self.take()
            right, rtyp, roff = sub()
            _expect_type(ltyp, "bool", loff, f"'{word}' needs true/false on its left, not a number")
            _expect_type(rtyp, "bool", roff, f"'{word}' needs true/false on its right, not a number")
            left = BinOp(word, left, right)
            del op
        return left, ltyp, loff

    def or_(self) -> tuple[Expr, Type, int]:
        return self._logical("or", self.and_)

    def and_(self) -> tuple[Expr, Type, int]:
        return self._logical("and", self.not_)

    def not_(self) -> tuple[Expr, Type, int]:
        if self.at("not"):
            tok = self.take()
            operand, typ, off = self.not_()
            _expect_type(typ, "bool", off, "'not' needs true/false, not a number")
            return Not(operand), "bool", tok.offset
        return self.cmp()

    def cmp(self) -> tuple[Expr, Type, int]:
        left, ltyp, loff = self.sum()
        tok = self.peek()
        if tok.kind == "op" and tok.text in _COMPARE:
            self.take()
            right, rtyp, roff = self.sum()
            if tok.text in ("==", "!="):
                if ltyp != rtyp:
                    raise ExprError(
                        f"'{tok.text}' compares two values of the same type, not {ltyp} and {rtyp}",
                        tok.offset,
                        "E302",
                    )
            else:
                _expect_type(ltyp, "int", loff, f"'{tok.text}' compares numbers; the left side is true/false")
                _expect_type(
                    rtyp, "int", roff, f"'{tok.text}' compares numbers; the right side is true/false"
                )
            return BinOp(tok.text, left, right), "bool", loff
        return left, ltyp, loff

    def sum(self) -> tuple[Expr, Type, int]:
        left, ltyp, loff = self.atom()
        while self.peek().kind == "op" and self.peek().text in ("+", "-"):
            tok = self.take()
            right, rtyp, roff = self.atom()
            _expect_type(ltyp, "int", loff, f"'{tok.text}' needs numbers; the left side is true/false")
            _expect_type(rtyp, "int", roff, f"'{tok.text}' needs numbers; the right side is true/false")
            left = BinOp(tok.text, left, right)
        return left, ltyp, loff

    def atom(self) -> tuple[Expr, Type, int]:
        tok = self.take()
        if tok.kind == "int":
            if len(tok.text) > 7 or int(tok.text) > MAX_INT:
                raise ExprError(
                    f"number {tok.text[:12]}{'…' if len(tok.text) > 12 else ''} is too large "
                    f"(at most {MAX_INT})",
                    tok.offset,
                )
            return Lit(int(tok.text)), "int", tok.offset
        if tok.kind == "op" and tok.text == "(":
            node, typ, _ = self.or_()
            close = self.peek()
            if close.text != ")":
                raise ExprError(f"expected ')' but found {_describe(close)}", close.offset)
            self.take()
            return node, typ, tok.offset
        if tok.kind == "name":
            return self.name(tok)
        if tok.kind == "op" and tok.text == "-":
            if self.names.format < 2:
                raise ExprError("negative numbers need 'format: 2' in story.yaml", tok.offset)
            operand, typ, off = self.atom()
            _expect_type(typ, "int", off, "'-' needs a number, not true/false")
            if isinstance(operand, Lit):
                return Lit(-int(operand.value)), "int", tok.offset
            return Neg(operand), "int", tok.offset
        raise ExprError(f"expected a value but found {_describe(tok)}", tok.offset)

    def name(self, tok: Token) -> tuple[Expr, Type, int]:
        word = tok.text
        if word == "true":
            return Lit(True), "bool", tok.offset
        if word == "false":
            return Lit(False), "bool", tok.offset
        if word in _KEYWORDS:
            raise ExprError(f"expected a value but found '{word}'", tok.offset)
        if self.peek().text == ".":
            self.take()
            member = self.take()
            if member.kind != "name":
                raise ExprError(f"expected a name after '{word}.'", member.offset)
            if word == "chosen":
                return self.chosen(tok, member)
            if self.peek().text == ".":
                raise ExprError("only trust.<character> and visits.<scene> are allowed", self.peek().offset)
            if word == "trust":
                _check_name(member, self.names.characters, "character")
                return TrustRef(member.text), "int", tok.offset
            if word == "visits":
                _check_name(member, self.names.scenes, "scene")
                return VisitsRef(member.text), "int", tok.offset
            raise ExprError(
                f"unknown '{word}.{member.text}': only trust.<character> and visits.<scene> have members",
                tok.offset,
                "E303",
            )
        if self.peek().text == "(":
            raise ExprError("function calls are not allowed", self.peek().offset)
        if word in ("trust", "visits"):
            raise ExprError(
                f"'{word}' needs a name: {word}.<{'character' if word == 'trust' else 'scene'}>", tok.offset
            )
        if word == "chosen" and self.names.format >= 2 and word not in self.names.flags:
            raise ExprError("'chosen' needs a scene and a choice: chosen.<scene>.<choice>", tok.offset)
        if word in self.names.vars:
            return VarRef(word), "int", tok.offset
        if self.names.vars and word not in self.names.flags:
            known = self.names.flags | self.names.vars
            raise ExprError(
                f"unknown flag or variable '{word}'{did_you_mean(word, known)}", tok.offset, "E303"
            )
        _check_name(tok, self.names.flags, "flag")
        return FlagRef(word), "bool", tok.offset

    def chosen(self, tok: Token, scene: Token) -> tuple[Expr, Type, int]:
        """`chosen.<scene>.<choice>` (format 2), after `chosen.` and the scene's name."""
        if self.names.format < 2:
            raise ExprError("chosen.<scene>.<choice> needs 'format: 2' in story.yaml", tok.offset)
        _check_name(scene, self.names.scenes, "scene")
        if self.peek().text != ".":
            raise ExprError(
                f"'chosen.{scene.text}' needs a choice: chosen.{scene.text}.<choice>", self.peek().offset
            )
        self.take()
        choice = self.take()
        if choice.kind != "name":
            raise ExprError(f"expected a choice id after 'chosen.{scene.text}.'", choice.offset)
        if self.peek().text == ".":
            raise ExprError("chosen.<scene>.<choice> has two parts after 'chosen'", self.peek().offset)
        ids = dict(self.names.choices).get(scene.text, frozenset())
        if choice.text not in ids:
            where = f"scene '{scene.text}' has no choice '{choice.text}'"
            hint = did_you_mean(choice.text, ids) if ids else " (it has no choices)"
            raise ExprError(f"{where}{hint}", choice.offset, "E303")
        return ChosenRef(scene.text, choice.text), "bool", tok.offset


def _describe(tok: Token) -> str:
    return "the end of the expression" if tok.kind == "end" else f"'{tok.text}'"


def _expect_type(actual: Type, wanted: Type, offset: int, message: str) -> None:
    if actual != wanted:
        raise ExprError(message, offset, "E302")


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like `word`, if one is close enough to be a likely typo."""
    import difflib  # only when a name is wrong

    match = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return match[0] if match else None


def suggestion(match: str | None) -> str:
    """` (did you mean 'x'?)` for a close match, else nothing."""
    return f" (did you mean '{match}'?)" if match else ""


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    return suggestion(closest(word, candidates))


def _check_name(tok: Token, known: frozenset[str], kind: str) -> None:
    if tok.text not in known:
        raise ExprError(f"unknown {kind} '{tok.text}'{did_you_mean(tok.text, known)}", tok.offset, "E303")


def compile_expr(source: str, names: Names) -> Expr:
    """Parse and type-check `source`; the result is always boolean. Raises ExprError."""
    if len(source) > MAX_LENGTH:
        raise ExprError(f"expression is {len(source)} characters long; the limit is {MAX_LENGTH}", MAX_LENGTH)
    if not source.strip():
        raise ExprError("empty condition", 0)
    node, typ = _Parser(source, names).parse()
    if typ != "bool":
        raise ExprError(
            "a condition must be true/false; this is a number (compare it, e.g. '>= 40')", 0, "E302"
        )
    return node


def names_in(expr: Expr) -> tuple[tuple[str, str], ...]:
    """(kind, name) pairs the expression reads: kind is trust, flag, visits, var or chosen
    (whose name is `<scene>.<choice>`)."""
    out: list[tuple[str, str]] = []
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, TrustRef):
            out.append(("trust", node.character))
        elif isinstance(node, FlagRef):
            out.append(("flag", node.flag))
        elif isinstance(node, VisitsRef):
            out.append(("visits", node.scene))
        elif isinstance(node, VarRef):
            out.append(("var", node.var))
        elif isinstance(node, ChosenRef):
            out.append(("chosen", f"{node.scene}.{node.choice}"))
        elif isinstance(node, (Not, Neg)):
            stack.append(node.operand)
        elif isinstance(node, BinOp):
            stack.append(node.right)
            stack.append(node.left)
    return tuple(reversed(out))
