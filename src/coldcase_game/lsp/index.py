"""Where every scene, flag, character and variable of a story is declared and used.

Read from the loader's own located YAML nodes (the ones `read_story` kept in its LoadCache), so
the places are the checker's places and nothing is parsed a second time; and from the nodes, not
the built Story, because an author's story has errors most of the time it is being edited, and
then the loader builds no Story. Each file's entries are kept with the nodes they came from, so
after an edit only the changed file is read again. Expressions are read with the expression
language's own tokenizer.
"""

from __future__ import annotations

import bisect
import contextlib
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from coldcase_game.story import inline
from coldcase_game.story.cache import LoadCache
from coldcase_game.story.expr import ExprError, Token, tokenize
from coldcase_game.story.yamlsafe import YMap, YNode, YScalar, YSeq, place_in_scalar

Kind = Literal["scene", "character", "flag", "var"]
KINDS: tuple[Kind, ...] = ("scene", "character", "flag", "var")
MANIFEST = "story.yaml"
_KEYWORDS = frozenset(("and", "or", "not", "true", "false"))


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a name is written: 1-based line and character column, its length in characters."""

    kind: Kind
    name: str
    file: str  # absolute path
    line: int
    col: int
    length: int
    declaration: bool = False


@dataclass(slots=True)
class Declared:
    """What hover shows about a declaration."""

    kind: Kind
    name: str
    title: str = ""  # scene title, character name, variable name
    text: str = ""  # a scene's first line, a flag's clue text, a character's `about`
    ending: str = ""
    trust: int | None = None
    detail: str = ""  # introduced_by, a variable's range
    end_line: int = 0  # a scene's last line (1-based), for document symbols
    choices: tuple[str, ...] = ()  # a scene's choice ids (its `id:`, else its `goto`)


@dataclass(slots=True)
class FileIndex:
    node: object
    occurrences: list[Occurrence] = field(default_factory=list)
    declared: dict[tuple[Kind, str], Declared] = field(default_factory=dict)
    format: int | None = None  # the manifest's `format:`


class StoryIndex:
    """The declarations and uses of one story, file by file."""

    def __init__(self) -> None:
        self.files: dict[str, FileIndex] = {}  # absolute path -> its entries

    def update(self, cache: LoadCache) -> None:
        """Read again the files whose nodes changed since the last update."""
        seen: set[str] = set()
        for shown, entry in cache.files.items():
            path = os.path.abspath(shown)
            seen.add(path)
            current = self.files.get(path)
            if current is not None and current.node is entry.node:
                continue
            index = FileIndex(entry.node)
            if isinstance(entry.node, YMap) and entry.text is not None:
                _Reader(path, entry.text, index).read(entry.node, os.path.basename(path) == MANIFEST)
            self.files[path] = index
        for gone in set(self.files) - seen:
            del self.files[gone]

    # --- queries ---------------------------------------------------------------------
    def all(self) -> Iterator[Occurrence]:
        for index in self.files.values():
            yield from index.occurrences

    def declared(self, kind: Kind) -> dict[str, Declared]:
        out: dict[str, Declared] = {}
        for index in self.files.values():
            for (k, name), info in index.declared.items():
                if k == kind:
                    out.setdefault(name, info)
        return out

    @property
    def format(self) -> int:
        """The story's format, as its manifest says (1 when it does not say)."""
        for index in self.files.values():
            if index.format is not None:
                return index.format
        return 1

    def info(self, kind: Kind, name: str) -> Declared | None:
        for index in self.files.values():
            found = index.declared.get((kind, name))
            if found is not None:
                return found
        return None

    def resolve(self, occ: Occurrence) -> Kind:
        """A bare name in an expression is a flag unless a variable of that name is declared."""
        if (
            occ.kind == "flag"
            and not occ.declaration
            and self.info("flag", occ.name) is None
            and self.info("var", occ.name) is not None
        ):
            return "var"
        return occ.kind

    def at(self, path: str, line: int, col: int) -> Occurrence | None:
        """The occurrence under a 1-based place (its last column counts: the cursor just after a name)."""
        index = self.files.get(path)
        if index is None:
            return None
        for occ in index.occurrences:
            if occ.line == line and occ.col <= col <= occ.col + occ.length:
                return occ
        return None

    def declarations(self, kind: Kind, name: str) -> list[Occurrence]:
        return [o for o in self.all() if o.declaration and o.kind == kind and o.name == name]

    def uses(self, kind: Kind, name: str, *, with_declaration: bool = True) -> list[Occurrence]:
        return [
            o
            for o in self.all()
            if o.name == name and self.resolve(o) == kind and (with_declaration or not o.declaration)
        ]

    def scenes_of(self, path: str) -> list[tuple[Occurrence, Declared]]:
        index = self.files.get(path)
        if index is None:
            return []
        return [
            (o, index.declared[("scene", o.name)])
            for o in index.occurrences
            if o.declaration and o.kind == "scene" and ("scene", o.name) in index.declared
        ]


# --- reading one file's nodes -----------------------------------------------------------


def _scalar(node: YNode | None) -> YScalar | None:
    return node if isinstance(node, YScalar) else None


def _get(node: YNode | None, key: str) -> YNode | None:
    if isinstance(node, YMap) and key in node.items:
        return node.items[key][1]
    return None


FIRST_LINE = 240  # characters of a scene's first paragraph shown on hover


def _first_line(node: YNode | None) -> str:
    """The first paragraph of a scene's text as a reader meets it (cut after FIRST_LINE characters)."""
    if isinstance(node, YScalar):
        text = " ".join(node.value.strip().split("\n\n")[0].split())
        return text if len(text) <= FIRST_LINE else text[: FIRST_LINE - 1].rstrip() + "…"
    if isinstance(node, YSeq):
        for item in node.items:
            if isinstance(item, YScalar) and item.value.strip():
                return _first_line(item)
            if isinstance(item, YMap):
                for key in ("text", "sequence", "cycle"):
                    found = _first_line(_get(item, key))
                    if found:
                        return found
    return ""


class _Reader:
    def __init__(self, path: str, text: str, out: FileIndex) -> None:
        self.path = path
        self.text = text
        self.out = out
        self.lines = text.split("\n")
        self._starts: list[int] | None = None

    def add(self, kind: Kind, node: YScalar, *, declaration: bool = False) -> None:
        value = node.value
        if not value:
            return
        col = node.col + (1 if node.quoted else 0)
        line_text = self.lines[node.line - 1] if 0 < node.line <= len(self.lines) else ""
        if line_text[col - 1 : col - 1 + len(value)] != value:
            return  # written over several lines or with escapes: not a place to point at or rename
        self.out.occurrences.append(
            Occurrence(kind, value, self.path, node.line, col, len(value), declaration)
        )

    def line_of(self, index: int) -> int:
        if self._starts is None:
            self._starts = [0, *itertools.accumulate(len(line) + 1 for line in self.lines)]
        return bisect.bisect_right(self._starts, index)

    # --- story.yaml --------------------------------------------------------------------
    def read(self, top: YMap, manifest: bool) -> None:
        if manifest:
            self.manifest(top)
        else:
            scenes = _get(top, "scenes")
            if isinstance(scenes, YMap):
                for knode, vnode in scenes.items.values():
                    self.scene(knode, vnode)
        self.out.occurrences.sort(key=lambda o: (o.line, o.col))

    def manifest(self, top: YMap) -> None:
        fmt = _scalar(_get(top, "format"))
        if fmt is not None and fmt.value.strip().isdigit():
            self.out.format = int(fmt.value.strip())
        start = _scalar(_get(top, "start"))
        if start is not None:
            self.add("scene", start)
        characters = _get(top, "characters")
        if isinstance(characters, YMap):
            for knode, vnode in characters.items.values():
                self.add("character", knode, declaration=True)
                name = _scalar(_get(vnode, "name"))
                trust = _scalar(_get(vnode, "trust"))
                about = _scalar(_get(vnode, "about"))
                introduced = _scalar(_get(vnode, "introduced_by"))
                if introduced is not None:
                    self.add("flag", introduced)
                value = trust.value.strip() if trust is not None else "50"
                self.out.declared[("character", knode.value)] = Declared(
                    "character",
                    knode.value,
                    title=name.value.strip() if name else knode.value,
                    text=about.value.strip() if about else "",
                    trust=int(value) if value.isdigit() else None,
                    detail=f"introduced by flag '{introduced.value}'" if introduced else "",
                )
        flags = _get(top, "flags")
        if isinstance(flags, YMap):
            for knode, vnode in flags.items.values():
                self.add("flag", knode, declaration=True)
                clue = _scalar(vnode)
                self.out.declared[("flag", knode.value)] = Declared(
                    "flag", knode.value, text=clue.value.strip() if clue else ""
                )
        variables = _get(top, "vars")
        if isinstance(variables, YMap):
            for knode, vnode in variables.items.values():
                self.add("var", knode, declaration=True)
                parts = {k: _scalar(_get(vnode, k)) for k in ("start", "min", "max", "name")}
                shown = {k: v.value.strip() for k, v in parts.items() if v is not None}
                detail = f"{shown.get('min', '?')}..{shown.get('max', '?')}"
                if "start" in shown:
                    detail += f", starts at {shown['start']}"
                self.out.declared[("var", knode.value)] = Declared(
                    "var", knode.value, title=shown.get("name", ""), detail=detail
                )
        terms = _get(top, "terms")
        if isinstance(terms, YMap):
            for _, vnode in terms.items.values():
                for item in vnode.items if isinstance(vnode, YSeq) else [vnode]:
                    if isinstance(item, YScalar):
                        self.add("flag", item)

    # --- scene files ---------------------------------------------------------------------
    def scene(self, knode: YScalar, node: YNode) -> None:
        self.add("scene", knode, declaration=True)
        title = _scalar(_get(node, "title"))
        ending = _scalar(_get(node, "ending"))
        end_line = knode.line
        if isinstance(node, YMap) and node.end:
            end = node.end  # a block mapping ends where the next key starts: step back over the gap
            while end > node.start and self.text[end - 1].isspace():
                end -= 1
            end_line = self.line_of(max(end - 1, node.start))
        choices = _get(node, "choices")
        ids: list[str] = []
        for choice in choices.items if isinstance(choices, YSeq) else []:
            named = _scalar(_get(choice, "id")) or _scalar(_get(choice, "goto"))
            if named is not None and named.value not in ids:
                ids.append(named.value)
        self.out.declared[("scene", knode.value)] = Declared(
            "scene",
            knode.value,
            title=title.value.strip() if title else "",
            text=_first_line(_get(node, "text")),
            ending=ending.value.strip() if ending else "",
            end_line=end_line,
            choices=tuple(ids),
        )
        if not isinstance(node, YMap):
            return
        self.texts(_get(node, "text"))
        self.effects(_get(node, "on_enter"))
        following = _scalar(_get(node, "next"))
        if following is not None:
            self.add("scene", following)
        if isinstance(choices, YSeq):
            for choice in choices.items:
                if not isinstance(choice, YMap):
                    continue
                goto = _scalar(_get(choice, "goto"))
                if goto is not None:
                    self.add("scene", goto)
                self.expression(_get(choice, "if"))
                self.effects(_get(choice, "do"))
                self.texts(_get(choice, "then"))
                self.inline(_get(choice, "text"))
                self.inline(_get(choice, "locked"))

    def texts(self, node: YNode | None) -> None:
        """A text: the names in its paragraphs' `if:`s and in the `{if}`s inside its texts."""
        self.inline(node)
        if isinstance(node, YSeq):
            for item in node.items:
                self.inline(item)
                if isinstance(item, YMap):
                    self.expression(_get(item, "if"))
                    self.inline(_get(item, "text"))
                    for key in ("sequence", "cycle"):
                        variants = _get(item, key)
                        for variant in variants.items if isinstance(variants, YSeq) else []:
                            self.inline(variant)

    def inline(self, node: YNode | None) -> None:
        """Format 2: the names in the conditions of a text's inline `{if}` pieces. (Read in any
        text with braces: a scene file does not know its story's format.) A text with a
        malformed piece gives none: its error says where."""
        if not isinstance(node, YScalar) or "{" not in node.value:
            return
        scanned = inline.scan(node.value)
        if isinstance(scanned, inline.InlineError):
            return
        for piece in scanned:
            if isinstance(piece, inline.RawPiece) and piece.kind == "if":
                self.expression(node, piece.expr, piece.expr_offset)

    def effects(self, node: YNode | None) -> None:
        for block in node.items if isinstance(node, YSeq) else [node]:
            if not isinstance(block, YMap):
                continue
            self.expression(_get(block, "if"))
            trust = _get(block, "trust")
            if isinstance(trust, YMap):
                for knode, _ in trust.items.values():
                    self.add("character", knode)
            variables = _get(block, "vars")
            if isinstance(variables, YMap):
                for knode, _ in variables.items.values():
                    self.add("var", knode)
            for key in ("set", "clear"):
                value = _get(block, key)
                for item in value.items if isinstance(value, YSeq) else [value]:
                    if isinstance(item, YScalar):
                        self.add("flag", item)

    def expression(self, node: YNode | None, source: str | None = None, base: int = 0) -> None:
        """The names in an `if:` (or, with `source` written at offset `base` of the scalar's
        value, in an inline `{if}`'s condition)."""
        if not isinstance(node, YScalar):
            return
        tokens: list[Token] = []
        with contextlib.suppress(ExprError):  # the names before a bad character still count
            tokens.extend(tokenize(node.value if source is None else source))
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.kind != "name" or tok.text in _KEYWORDS:
                i += 1
                continue
            dotted = i + 2 < len(tokens) and tokens[i + 1].text == "." and tokens[i + 2].kind == "name"
            if dotted and tok.text in ("trust", "visits", "chosen"):
                member = tokens[i + 2]
                self.name_in(node, "character" if tok.text == "trust" else "scene", member, base)
                i += 3
                if tok.text == "chosen" and i + 1 < len(tokens) and tokens[i].text == ".":
                    i += 2  # chosen.scene.choice: the choice id is the scene's own
                continue
            self.name_in(node, "flag", tok, base)
            i += 1

    def name_in(self, node: YScalar, kind: Kind, tok: Token, base: int = 0) -> None:
        line = node.line
        start = node.col + (1 if node.quoted else 0)
        here = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if here[start - 1 : start - 1 + len(node.value)] == node.value:  # written as is on its line
            col = start + base + tok.offset
        else:  # folded over lines, or a block scalar: the loader's own mapping
            line, col = place_in_scalar(self.text, node, base + tok.offset)
        line_text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if line_text[col - 1 : col - 1 + len(tok.text)] == tok.text:
            self.out.occurrences.append(Occurrence(kind, tok.text, self.path, line, col, len(tok.text)))
