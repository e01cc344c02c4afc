"""JSON from untrusted bytes: bounded size, bounded nesting, no NaN, no huge numbers.

Python's `json` module recurses once per nesting level, so the depth is checked
on the raw text BEFORE `json.loads` ever sees it. Numbers are limited to
integers of at most 15 digits; fractions, NaN and Infinity are refused; so are
duplicate keys (they would make two readers disagree about one file).
"""

from __future__ import annotations

import json
import re

MAX_DEPTH = 8
MAX_INT_DIGITS = 15

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class JsonRefused(ValueError):
    """Why the bytes are not acceptable JSON, as a phrase ("is not valid JSON (line 3, column 7)")."""


def _max_depth_exceeded(text: str, limit: int) -> bool:
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonRefused(f"holds a number with {len(digits.lstrip('-'))} digits (at most {MAX_INT_DIGITS})")
    return int(digits)


def _parse_float(text: str) -> float:
    raise JsonRefused(f"holds a fractional number ({text[:20]}); only whole numbers are used")


def _parse_constant(name: str) -> float:
    raise JsonRefused(f"holds {name}, which is not a number a save can contain")


def _pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in pairs:
        if key in out:
            raise JsonRefused(f"names the field '{key[:40]}' twice")
        out[key] = value
    return out


def parse_json(raw: bytes, *, max_depth: int = MAX_DEPTH) -> object:
    """Parse `raw`; raise JsonRefused with a reason phrase for anything unacceptable."""
    if not raw.strip():
        raise JsonRefused("is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise JsonRefused(f"is not UTF-8 text (bad byte at offset {exc.start})") from None
    if "\x00" in text:
        raise JsonRefused(f"contains a zero byte (at offset {text.index(chr(0))})")
    if _max_depth_exceeded(text, max_depth):
        raise JsonRefused(f"is nested more than {max_depth} levels deep")
    try:
        return json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
            object_pairs_hook=_pairs,
        )
    except json.JSONDecodeError as exc:
        raise JsonRefused(f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:  # unreachable after the depth check; kept so no input can crash the game
        raise JsonRefused(f"is nested more than {max_depth} levels deep") from None
