"""Mutations: of scene files (lines and YAML tokens), of save files (bytes and fields), of typed lines."""

from __future__ import annotations

import copy
import hashlib
import json
import random
from typing import Any

# --- scene files ----------------------------------------------------------------------------

BIDI = ["\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2069", "\u200f", "\u061c"]
YAML_TOKENS = [
    "&a ",
    "*a",
    "&a [*a, *a, *a]",
    "!!python/object:os.system ",
    "!!python/object/apply:os.system ['true']",
    "!!binary aGk=",
    "!tag ",
    "<<: *a",
    "<<: {x: 1}",
    "\t",
    "\x00",
    "\r",
    "\x85",
    "\u2028",
    "\ufeff",
    "\x1b[31m",
    "[[[[",
    "{{{{",
    "]]]]",
    "}}}}",
    "[" * 70,
    "{" * 70,
    "9" * 5000,
    "-" + "9" * 400,
    "1e999",
    "0x1F",
    "0o17",
    ".inf",
    "-.nan",
    "1_000",
    "%+20",
    "'",
    '"',
    ": ",
    "- ",
    "? ",
    "|",
    ">-",
    "# ",
    "---\n",
    "...\n",
    "~",
    "null",
    "yes",
    "2025-01-01",
    "@",
    "`",
    "{if trust.x > 5: a | b}",
    "not not not",
    "trust.",
    "visits.",
    "((((((((((",
    "==",
    "x" * 100_000,
    *BIDI,
]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def mutate_yaml(text: str, rnd: random.Random) -> tuple[str, str]:
    """One mutation of a YAML file's text, and what it was."""
    lines = _lines(text)
    n = len(lines)
    i = rnd.randrange(n)
    kind = rnd.choice(
        [
            "delete",
            "duplicate",
            "swap",
            "insert",
            "insert",
            "insert",
            "replace value",
            "indent",
            "long line",
            "deep",
        ]
    )
    if kind == "delete":
        del lines[i]
        return "\n".join(lines), f"deleted line {i + 1}"
    if kind == "duplicate":
        lines.insert(i, lines[i])
        return "\n".join(lines), f"duplicated line {i + 1}"
    if kind == "swap":
        j = rnd.randrange(n)
        lines[i], lines[j] = lines[j], lines[i]
        return "\n".join(lines), f"swapped lines {i + 1} and {j + 1}"
    if kind == "indent":
        lines[i] = rnd.choice(["  ", " ", "\t", ""]) + (lines[i][2:] if rnd.random() < 0.5 else lines[i])
        return "\n".join(lines), f"changed the indent of line {i + 1}"
    if kind == "long line":
        lines.insert(i, rnd.choice(["    text: ", "  ", "- ", "# "]) + "word " * rnd.randrange(1000, 40_000))
        return "\n".join(lines), f"a very long line before line {i + 1}"
    if kind == "deep":
        depth = rnd.choice([60, 65, 200, 3000])
        block = rnd.choice(
            [
                ["  " + "- " * depth + "x"],
                [" " * level + f"k{level}:" for level in range(depth)] + [" " * depth + "v"],
                ["  x: " + "[" * depth + "]" * depth],
            ]
        )
        lines[i:i] = block
        return "\n".join(lines), f"{depth} levels of nesting before line {i + 1}"
    token = rnd.choice(YAML_TOKENS)
    if kind == "replace value" and ": " in lines[i]:
        key = lines[i].split(": ", 1)[0]
        lines[i] = f"{key}: {token}"
        return "\n".join(lines), f"line {i + 1}'s value replaced by {token[:30]!r}"
    col = rnd.randrange(len(lines[i]) + 1)
    lines[i] = lines[i][:col] + token + lines[i][col:]
    return "\n".join(lines), f"{token[:30]!r} inserted at line {i + 1} column {col + 1}"


def mutate_bytes(data: bytes, rnd: random.Random) -> tuple[bytes, str]:
    """Flip, insert or delete a few bytes, or cut the data short."""
    if not data:
        return bytes([rnd.randrange(256)]), "one random byte"
    buf = bytearray(data)
    kind = rnd.choice(["flip", "flip", "flip", "insert", "delete", "truncate"])
    if kind == "truncate":
        at = rnd.randrange(len(buf))
        return bytes(buf[:at]), f"cut at byte {at}"
    edits = []
    for _ in range(rnd.randint(1, 4)):
        at = rnd.randrange(len(buf))
        if kind == "flip":
            bit = 1 << rnd.randrange(8)
            buf[at] ^= bit
            edits.append(f"bit {bit:#04x} of byte {at}")
        elif kind == "insert":
            value = rnd.choice([0, 0x0A, 0x22, 0x5C, 0x7B, 0x5B, 0x80, 0xC3, 0xFF, rnd.randrange(256)])
            buf.insert(at, value)
            edits.append(f"byte {value:#04x} inserted at {at}")
        elif len(buf) > 1:
            del buf[at]
            edits.append(f"byte {at} deleted")
    return bytes(buf), f"{kind}: " + ", ".join(edits)


# --- save files -----------------------------------------------------------------------------


def reseal(doc: dict[str, Any]) -> None:
    """Give a save a checksum that matches its (edited) content, as docs/saves.md defines it:
    SHA-256 of the canonical JSON (sorted keys, no spaces, ASCII) of format, schema and content."""
    body = {"format": doc.get("format"), "schema": doc.get("schema"), "content": doc.get("content")}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    doc["checksum"] = "sha256:" + hashlib.sha256(canonical.encode("ascii")).hexdigest()


ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    100,
    101,
    -(10**14),
    10**14,
    "",
    " ",
    "x" * 300,
    "autosave",
    "UPPER",
    "../../etc/passwd",
    "a/b",
    "\x1b[2J\x1b[31mred",
    "\x00",
    "\ud800",
    "a\u202eb",
    "\u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "caf\u00e9",
    "2025-13-45T99:99:99Z",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2025-01-31T18:00:00+14:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    "1969-12-31T23:59:59Z",
    "2025-01-31",
    "sha256:" + "0" * 64,
    [],
    {},
    [[]],
    [None, None],
    ["a", "b", "c"],
    {"": ""},
    {"x": 1},
    [1, 2],
]


ODD_DATES = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-12:00",
    "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-12:00",
    "1970-01-01T00:00:00Z",
    "2025-02-29T12:00:00Z",
    "2025-01-31T18:00:00+24:00",
    "2025-01-31T18:00:00.123456789Z",
    "2025-01-31 18:00:00",
    "20250131T180000Z",
    "2025-W05-5",
]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value, as a path of keys and indexes."""
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        value = value[key]
    return value


def _ids(story: Any) -> dict[str, list[str]]:
    scenes = list(story.scenes)
    choices = sorted({c.id for s in story.scenes.values() for c in s.choices})
    return {
        "scene": scenes or ["x"],
        "choice": choices or ["x"],
        "character": list(story.characters) or ["x"],
        "flag": list(story.flags) or ["x"],
    }


def mutate_save(doc: dict[str, Any], story: Any, rnd: random.Random) -> tuple[dict[str, Any], str]:
    """A structural edit of a save (then resealed, so it gets past the checksum): a field's
    type or value, a log that no longer fits, a state the log does not lead to."""
    doc = copy.deepcopy(doc)
    try:
        what = _edit(doc, _ids(story), rnd)
    except (KeyError, TypeError, IndexError, AttributeError):  # an earlier edit took away what this one edits
        doc["content"] = {"earlier edit": doc.get("content"), "extra": rnd.choice(ODD_VALUES)}
        what = "content wrapped in an object"
    reseal(doc)
    return doc, what


def _edit(doc: dict[str, Any], ids: dict[str, list[str]], rnd: random.Random) -> str:
    content = doc["content"]
    log = content["log"]
    state = content["state"]
    kind = rnd.choice(
        [
            *["odd value"] * 3,
            *["drop key", "add key"],
            *["log"] * 3,
            *["state"] * 2,
            *["story", "envelope", "date"],
        ]
    )
    what = kind
    if kind == "odd value":
        path = rnd.choice(_paths(content)[1:])
        parent = _get(content, path[:-1])
        value = copy.deepcopy(rnd.choice(ODD_VALUES))
        parent[path[-1]] = value
        what = f"content{''.join(f'[{p!r}]' for p in path)} = {str(value)[:40]!r}"
    elif kind == "drop key":
        dicts = [p for p in _paths(content) if isinstance(_get(content, p), dict) and _get(content, p)]
        path = rnd.choice(dicts)
        target = _get(content, path)
        key = rnd.choice(list(target))
        del target[key]
        what = f"removed content{''.join(f'[{p!r}]' for p in path)}[{key!r}]"
    elif kind == "add key":
        dicts = [p for p in _paths(content) if isinstance(_get(content, p), dict)]
        path = rnd.choice(dicts)
        key = rnd.choice(["extra", "__proto__", "", "x" * 100, rnd.choice(ids["scene"])])
        _get(content, path)[key] = rnd.choice(ODD_VALUES)
        what = f"added content{''.join(f'[{p!r}]' for p in path)}[{key[:20]!r}]"
    elif kind == "log":
        op = rnd.choice(["cut", "drop", "duplicate", "swap", "reverse", "choice", "scene", "extend", "empty"])
        what = f"log: {op}"
        if op == "cut" and log:
            del log[rnd.randrange(len(log)) :]
        elif op == "drop" and log:
            del log[rnd.randrange(len(log))]
        elif op == "duplicate" and log:
            i = rnd.randrange(len(log))
            log.insert(i, list(log[i]))
        elif op == "swap" and len(log) > 1:
            i, j = rnd.randrange(len(log)), rnd.randrange(len(log))
            log[i], log[j] = log[j], log[i]
        elif op == "reverse":
            log.reverse()
        elif op == "choice" and log:
            log[rnd.randrange(len(log))][1] = rnd.choice(ids["choice"])
        elif op == "scene" and log:
            log[rnd.randrange(len(log))][0] = rnd.choice(ids["scene"])
        elif op == "extend":
            log.extend(
                [rnd.choice(ids["scene"]), rnd.choice(ids["choice"])] for _ in range(rnd.randint(1, 50))
            )
        elif op == "empty":
            log.clear()
    elif kind == "state":
        op = rnd.choice(["scene", "trust", "unknown character", "flag", "journal", "visits", "taken"])
        what = f"state: {op}"
        if op == "scene":
            state["scene"] = rnd.choice(ids["scene"])
        elif op == "trust" and state["trust"]:
            state["trust"][rnd.choice(list(state["trust"]))] = rnd.randint(-5, 105)
        elif op == "unknown character":
            state["trust"]["nobody"] = rnd.randint(0, 100)
        elif op == "flag":
            state["flags"].append(rnd.choice([*ids["flag"], "no_such_flag"]))
        elif op == "journal":
            rnd.shuffle(state["journal"])
            state["journal"].append(rnd.choice(ids["flag"]))
        elif op == "visits":
            state["visits"][rnd.choice(ids["scene"])] = rnd.choice([0, 1, 2, 100_000, 100_002])
        elif op == "taken":
            state["taken"].append([rnd.choice(ids["scene"]), rnd.choice(ids["choice"])])
    elif kind == "date":
        field = rnd.choice(["created", "updated"])
        content[field] = rnd.choice(ODD_DATES)
        what = f"{field} = {content[field]!r}"
    elif kind == "story":
        op = rnd.choice(["id", "digest", "scenes"])
        what = f"story: {op}"
        if op == "id":
            content["story"]["id"] = rnd.choice(
                ["clarke", "persson", "askarov", "sample", "nosuch", "story_x"]
            )
        elif op == "digest":
            content["story"]["digest"] = "0" * 64
        else:
            content["story"]["scenes"] = dict.fromkeys(content["story"]["scenes"], "0" * 64)
    else:
        op = rnd.choice(["schema", "format", "extra"])
        what = f"envelope: {op}"
        if op == "schema":
            doc["schema"] = rnd.choice([0, 2, -1, "1", None, 10**14])
        elif op == "format":
            doc["format"] = rnd.choice(["coldcase-save ", "COLDCASE-SAVE", "", None])
        else:
            doc["extra"] = 1
    return what


# --- typed lines in plain mode ----------------------------------------------------------------

CONTROLS = [chr(c) for c in (*range(9), *range(11, 32), 127, 0x85, 0x9B)] + BIDI


def typed_line(rnd: random.Random, outside: str) -> str:
    """One line a player (or a script, or a cat on the keyboard) might type; `outside` is a folder
    the game must never write to."""
    kind = rnd.choice(["number", "number", "control", "long", "command", "command", "command", "text"])
    if kind == "number":
        digits = rnd.choice([1, 1, 2, 5, 20, 4300, 4301, 5000, 100_000])
        if rnd.random() < 0.5:
            body = rnd.choice(["0", "1", "9"]) * digits
        else:
            body = "".join(rnd.choice("0123456789") for _ in range(min(digits, 6000)))
        return rnd.choice(["", "0", "00", " ", "+", "-", "\u0661", "\uff11", "\u00b2"]) + body
    if kind == "control":
        return "".join(rnd.choice([*CONTROLS, "1", "a", ":", " "]) for _ in range(rnd.randint(1, 12)))
    if kind == "long":
        return rnd.choice(["a", "1", ":", "\u00e9", "\U0001f600", " ", "\x1b"]) * rnd.choice(
            [300, 5000, 200_000]
        )
    if kind == "text":
        return rnd.choice(
            [
                "one",
                "1.0",
                "1e3",
                "0x1",
                "\u2162",
                "\u0967",
                "١٢",
                "\uff11\uff12",
                "1 2",
                "yes",
                "\\n",
                "%s%n{0}",
            ]
        )
    name = rnd.choice(
        [
            "save",
            "load",
            "saves",
            "undo",
            "restart",
            "status",
            "look",
            "help",
            "SAVE",
            "Load",
            "",
            ":",
            "x" * 5000,
        ]
    )
    arg = rnd.choice(
        [
            "",
            "../../etc/x",
            f"{outside}/x",
            f"{outside}/x.json",
            "/etc/passwd",
            "/dev/zero",
            "/dev/stdin",
            "/proc/self/mem",
            ".",
            "..",
            "a/\x00b",
            "\x00",
            "x\x00.json",
            "con",
            "autosave",
            "progress",
            "settings",
            "my-game",
            "My_Game",
            "ok anyway",
            "autosave anyway",
            "autosave\x00 anyway",
            "a" * 33,
            "a/" * 3000,
            "x" * 100_000,
            "\x1b[2J",
            "\u202egame",
            "\u00f1",
            "a b c",
            "3",
            "-1",
            "9" * 4301,
        ]
    )
    return f":{name} {arg}" if arg or rnd.random() < 0.5 else f":{name}"
