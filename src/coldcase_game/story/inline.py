"""Format 2 text inside text: `{if EXPR: A | B}`, `{seq: A | B}`, `{cycle: A | B}`, `{{` and `}}`,
and `_emphasis_`.

`scan` reads one text into literal runs and pieces (or the first thing wrong with it, with its
offset); the loader compiles each `{if}`'s expression and builds the model (`model.Piece`), so
nothing is parsed while the game runs. `emphasis` splits text as shown into plain and emphasised
runs for the front ends that can show italics. Nothing here raises: every problem is an
`InlineError` with an offset into the text given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from coldcase_game.story.expr import closest, suggestion

KINDS = ("if", "seq", "cycle")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class RawPiece:
    """A piece as written. `offset` is where its `{` is; `expr_offset` where its expression starts."""

    kind: Literal["if", "seq", "cycle"]
    parts: tuple[str, ...]
    offset: int
    expr: str = ""
    expr_offset: int = 0


@dataclass(frozen=True, slots=True)
class InlineError:
    code: str
    message: str
    offset: int


Scanned = tuple[str | RawPiece, ...]


def has_pieces(text: str) -> bool:
    """Whether the text needs `scan` at all (any brace)."""
    return "{" in text or "}" in text


def scan(text: str) -> Scanned | InlineError:
    """The text as literal runs and pieces, or the first problem in it."""
    out: list[str | RawPiece] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "}":
            if text.startswith("}}", i):
                literal.append("}")
                i += 2
                continue
            return InlineError("E123", "a lone '}' (write '}}' for a literal brace)", i)
        if ch != "{":
            j = i + 1
            while j < n and text[j] not in "{}":
                j += 1
            literal.append(text[i:j])
            i = j
            continue
        if text.startswith("{{", i):
            literal.append("{")
            i += 2
            continue
        found = _piece(text, i)
        if isinstance(found, InlineError):
            return found
        piece, i = found
        if literal:
            out.append("".join(literal))
            literal = []
        out.append(piece)
    if literal:
        out.append("".join(literal))
    return tuple(out)


def _piece(text: str, start: int) -> tuple[RawPiece, int] | InlineError:
    """The piece whose `{` is at `start`, and the offset just after its `}`."""
    word = _WORD.match(text, start + 1)
    if word is None:
        return InlineError(
            "E123",
            "a lone '{': a piece is {if EXPR: ...}, {seq: ...} or {cycle: ...}; "
            "write '{{' for a literal brace",
            start,
        )
    kind = word.group()
    # the body: up to the first single '}', refusing a '{' that would open a piece inside it
    j = word.end()
    body: list[str] = []
    while True:
        if j >= len(text) or _BLANK_LINE.match(text, j):
            if kind not in KINDS:
                return _unknown(kind, start)
            return InlineError(
                "E125",
                f"the piece {{{kind} ...}} is not closed: end it with '}}' in the same paragraph",
                start,
            )
        ch = text[j]
        if ch == "}":
            if text.startswith("}}", j):
                body.append("}")
                j += 2
                continue
            break
        if ch == "{":
            if text.startswith("{{", j):
                body.append("{")
                j += 2
                continue
            if kind not in KINDS:
                return _unknown(kind, start)
            return InlineError(
                "E124",
                "a piece inside a piece: pieces go one level deep (write '{{' for a literal brace)",
                j,
            )
        body.append(ch)
        j += 1
    end = j + 1
    if kind not in KINDS:
        return _unknown(kind, start)
    rest = "".join(body)
    # `rest` keeps the body's offsets only while it has no doubled braces: where it has, the
    # offsets below are of the text as written (the doubled braces counted twice) up to them.
    head = word.end()
    if kind == "if":
        colon = text.find(":", head, j)
        if head >= len(text) or text[head] not in " \t\n" or colon < 0:
            return InlineError(
                "E127",
                "an {if} piece is written {if CONDITION: shown | otherwise}: it needs a condition and ':'",
                start,
            )
        expr = text[head:colon]
        lead = len(expr) - len(expr.lstrip())
        parts_text = rest[colon - head + 1 :]
        parts = _parts(parts_text)
        if len(parts) > 2:
            return InlineError(
                "E127",
                f"an {{if}} piece has at most two parts (shown | otherwise), not {len(parts)}: "
                "use {seq:} or {cycle:} for more",
                start,
            )
        return RawPiece("if", parts, start, expr.strip(), head + lead), end
    after = rest.lstrip(" \t")
    if not after.startswith(":"):
        return InlineError(
            "E127", f"a {{{kind}}} piece is written {{{kind}: first | second}}: it needs ':'", start
        )
    return RawPiece(kind, _parts(after[1:]), start), end  # type: ignore[arg-type]


def _parts(text: str) -> tuple[str, ...]:
    """The parts after the ':': exactly as written, but one space right after the ':' is dropped."""
    if text.startswith(" "):
        text = text[1:]
    return tuple(text.split("|"))


def _unknown(kind: str, start: int) -> InlineError:
    match = closest(kind.lower(), KINDS)
    return InlineError(
        "E126",
        f"unknown kind of piece '{kind[:40]}'{suggestion(match)}: "
        "a piece is {if EXPR: ...}, {seq: ...} or {cycle: ...}; write '{{' for a literal brace",
        start,
    )


# --- emphasis ---------------------------------------------------------------------------


def _opens(text: str, i: int) -> bool:
    """An `_` at a word's start: nothing or no word character before it, a non-space after it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (before.isalnum() or before == "_") and not after.isspace() and after != "_"


def _closes(text: str, i: int) -> bool:
    """An `_` at a word's end: a non-space before it, nothing or no word character after it."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and before not in "_\\" and not (after.isalnum() or after == "_")


def emphasis(text: str) -> tuple[tuple[str, bool], ...]:
    """The text as runs of (text, emphasised). `_like this_` is emphasised; `\\_` is a literal
    underscore. An `_` opens only at the start of a word and closes only at the end of one, so
    `file_name`, `__init__` and a lone `_` stay as written."""
    if "_" not in text:
        return ((text, False),) if text else ()
    runs: list[tuple[str, bool]] = []
    plain: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and text.startswith("\\_", i):
            plain.append("_")
            i += 2
            continue
        if ch == "_" and _opens(text, i):
            close = _closing(text, i + 1)
            if close is not None:
                if plain:
                    runs.append(("".join(plain), False))
                    plain = []
                runs.append((text[i + 1 : close].replace("\\_", "_"), True))
                i = close + 1
                continue
        plain.append(ch)
        i += 1
    if plain:
        runs.append(("".join(plain), False))
    return tuple(runs)


def _closing(text: str, start: int) -> int | None:
    j = start
    while True:
        j = text.find("_", j)
        if j < 0:
            return None
        if text[j - 1] == "\\":
            j += 1
            continue
        if _closes(text, j):
            return j
        j += 1


def plain(text: str) -> str:
    """Text as plain mode shows it: emphasis kept as written, `\\_` as a literal underscore."""
    return text.replace("\\_", "_") if "\\_" in text else text


def shown_runs(text: str, story_format: int) -> tuple[tuple[str, bool], ...]:
    """`emphasis(text)` in a format-2 story; in format 1 nothing in text is emphasis."""
    if story_format < 2:
        return ((text, False),) if text else ()
    return emphasis(text)


def shown_plain(text: str, story_format: int) -> str:
    """`plain(text)` in a format-2 story; format-1 text is shown exactly as written."""
    return plain(text) if story_format >= 2 else text
