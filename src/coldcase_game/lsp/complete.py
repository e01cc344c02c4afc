"""What may be typed at the cursor: the format's keys at that level, scene ids after `goto:`, names in
an `if:`, flags in `set:`/`clear:`, characters under `trust:`.

Completion works on the buffer's lines as they stand, because while an author types the file is
seldom valid YAML: the level is found from the indentation of the lines above, as YAML reads it.
The keys come from the loader's own key lists, so the format and completion cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from coldcase_game.story import loader

Want = Literal["keys", "scene", "flag", "character", "var", "expression", "none"]

_ENTRY = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<rest>.*)$")
_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ ]*:(?:[ ]+|$)")
_VALUE = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ ]*:[ ]+(?P<value>.*)$")
_EFFECT_PARENTS = ("do", "on_enter")


@dataclass(frozen=True)
class Context:
    want: Want
    keys: tuple[str, ...] = ()  # for want == "keys": the keys not yet written at this level
    prefix: str = ""  # for an expression: "trust.", "visits.", "chosen." or "chosen.SCENE." before the name


def _entry(line: str) -> tuple[int, list[int], str]:
    """(column of the content after any `- `, columns of the dashes, the content)."""
    m = _ENTRY.match(line)
    assert m is not None  # the pattern matches any line
    indent = len(m["indent"])
    dashes: list[int] = []
    col = indent
    for part in re.findall(r"-[ ]+", m["dashes"]):
        dashes.append(col)
        col += len(part)
    return col, dashes, m["rest"]


def _path(lines: list[str], line: int, col: int) -> tuple[list[str], set[str]]:
    """The keys (and `-` for list items) that enclose column `col` of `line`, outermost first; and
    the keys already written at that level (the siblings)."""
    path: list[str] = []
    limit = col
    siblings: set[str] = set()
    _, here_dashes, _ = _entry(lines[line] if line < len(lines) else "")
    for dash in reversed(here_dashes):
        if dash < limit:
            path.append("-")
            limit = dash
    for index in range(line - 1, -1, -1):
        text = lines[index]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        content_col, dashes, rest = _entry(text)
        key = _KEY.match(rest)
        if content_col == limit and key and not path:
            siblings.add(key["key"])
        if content_col < limit:
            if key:
                path.append(key["key"])
            limit = content_col
        for dash in reversed(dashes):
            if dash < limit:
                path.append("-")
                limit = dash
        if limit == 0 and path:
            break
    if not path:  # keys below the cursor at the same level count as written too
        for text in lines[line + 1 :]:
            stripped = text.strip()
            if not stripped or stripped.startswith("#"):
                continue
            content_col, dashes, rest = _entry(text)
            if content_col < col or (dashes and dashes[0] < col):
                break
            key = _KEY.match(rest)
            if content_col == col and key:
                siblings.add(key["key"])
    path.reverse()
    return path, siblings


def _keys_for(path: list[str], manifest: bool) -> tuple[str, ...] | Want:
    """The keys allowed in the mapping at `path`, or what is named there instead of keys."""
    if manifest:
        if not path:
            return loader.MANIFEST_KEYS
        if len(path) == 2 and path[0] == "characters":
            return loader.CHARACTER_KEYS
        if len(path) == 2 and path[0] == "vars":
            return tuple(getattr(loader, "VAR_KEYS", ()))
        return "none"
    if not path:
        return loader.SCENE_FILE_KEYS
    if path[0] != "scenes" or len(path) < 2:
        return "none"
    rest = path[2:]
    if not rest:
        return loader.SCENE_KEYS
    last = rest[-1]
    if last == "-" and len(rest) >= 2:
        parent = rest[-2]
        if parent == "choices":
            return loader.CHOICE_KEYS
        if parent in ("text", "then"):
            return loader.PARAGRAPH_KEYS
        if parent in _EFFECT_PARENTS:
            return (*loader.EFFECT_KEYS, "if")
        if parent in ("set", "clear"):
            return "flag"
    if last in _EFFECT_PARENTS:
        return loader.EFFECT_KEYS
    if last == "trust" and len(rest) >= 2 and rest[-2] in (*_EFFECT_PARENTS, "-"):
        return "character"
    if last == "vars" and len(rest) >= 2 and rest[-2] in (*_EFFECT_PARENTS, "-"):
        return "var"
    return "none"


def _flow(value: str) -> Want | None:
    """Inside a flow collection on one line: `do: {trust: {ve`, `set: [saw_chalk, h`."""
    m = re.search(r"(\w+)[ ]*:[ ]*[\[{][^\]}:]*$", value)
    if m is None:
        return None
    key = m.group(1)
    if key in ("set", "clear"):
        return "flag"
    if key == "trust":
        return "character"
    if key == "vars":
        return "var"
    if key in _EFFECT_PARENTS:
        return "keys"
    return None


def context(lines: list[str], line: int, char_col: int, *, manifest: bool, fmt: int = 1) -> Context:
    """What to offer at 0-based `line` and character column `char_col` of a buffer of a story in
    format `fmt` (the keys only format 2 has are not offered to a format-1 story)."""
    found = _context(lines, line, char_col, manifest=manifest)
    newer: frozenset[str] = getattr(loader, "FORMAT_2_KEYS", frozenset())
    if found.want == "keys" and fmt < 2 and newer:
        return Context("keys", tuple(k for k in found.keys if k not in newer))
    return found


def _context(lines: list[str], line: int, char_col: int, *, manifest: bool) -> Context:
    text = lines[line] if line < len(lines) else ""
    before = text[:char_col]
    content_col, _, rest = _entry(before)
    value = _VALUE.match(rest)
    if value is not None:  # after `key: `: a value of that key
        key, typed = value["key"], value["value"]
        flow = _flow(rest)
        if flow == "keys":
            return Context("keys", loader.EFFECT_KEYS)
        if flow is not None:
            return Context(flow)
        if key in ("goto", "next", "start"):
            return Context("scene")
        if key == "introduced_by" and manifest:
            return Context("flag")
        if key in ("set", "clear"):
            return Context("flag")
        if key == "if":
            dotted = re.search(r"\b((?:trust|visits|chosen)\.(?:\w+\.)?)\w*$", typed)
            return Context("expression", prefix=dotted.group(1) if dotted else "")
        return Context("none")
    if ":" in rest:
        return Context("none")
    path, siblings = _path(lines, line, content_col)
    found = _keys_for(path, manifest)
    if isinstance(found, tuple):
        return Context("keys", tuple(k for k in found if k not in siblings))
    return Context(found)
