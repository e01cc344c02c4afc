"""Prose-safe diagnostics: where YAML reads an author's sentence as something else.

* W305: a plain (unquoted) text value cut short by ` #`, which YAML takes for a comment;
* hints for a flow mapping or list (`{beat}`, `[Pause]`) where text was expected;
* the valid spelling of an invalid id (`hooperConfessed` -> `hooper_confessed`).

The loader calls these with the file's raw text and the located nodes; nothing here builds the story.
"""

from __future__ import annotations

import re

from coldcase_game.story.yamlsafe import QUOTE_ADVICE, YMap, YNode, YScalar

_IDENT = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NOT_IDENT = re.compile(r"[^a-z0-9]+")


def comment_cut(text: str, node: YScalar) -> int | None:
    """Where (an index into `text`) the ` #` is that ended a plain scalar early, or None.

    A plain scalar ends before ` #`; when the rest of its line is such a comment, the author
    may have meant it as part of the text (`Room #4 is empty` shows "Room")."""
    end = node.end
    if node.quoted or end < 0 or node.index < 0 or text.startswith(("|", ">"), node.index):
        return None
    at = end
    length = len(text)
    while at < length and text[at] in " \t":
        at += 1
    if at > end and at < length and text[at] == "#":
        return at
    return None


def comment_message(what: str, text: str, node: YScalar, at: int) -> str:
    """W305's message: what the player sees, what YAML dropped, and the two ways out."""
    line_end = text.find("\n", at)
    dropped = text[at : line_end if line_end >= 0 else len(text)].rstrip()
    shown = node.value.strip()
    if len(shown) > 40:
        shown = "…" + shown[-39:]
    if len(dropped) > 40:
        dropped = dropped[:39] + "…"
    return (
        f"{what} is cut short by a YAML comment: the player sees '{shown}', and '{dropped}' is dropped; "
        f"{QUOTE_ADVICE} (a comment meant as one goes on its own line)"
    )


def empty_hint(text: str, node: YScalar) -> str:
    """For an empty text whose line goes on with a comment (`text: #4 is empty`)."""
    if node.value.strip() or comment_cut(text, node) is None:
        return ""
    return f": what follows the # is a YAML comment; {QUOTE_ADVICE}"


def flow_hint(text: str, node: YNode) -> str:
    """For a mapping or list where text was expected: when it is written in flow style
    (`{beat}`, `[Pause]`), the text was most likely meant literally."""
    if isinstance(node, YScalar):
        return ""
    index = node.start if isinstance(node, YMap) else _index_of(text, node.line, node.col)
    if 0 <= index < len(text) and text[index] in "[{":
        kind = "mapping" if text[index] == "{" else "list"
        return f": text that starts with {text[index]!r} is read as a {kind}; {QUOTE_ADVICE}"
    return ""


def line_col(text: str, index: int) -> tuple[int, int]:
    """The 1-based line and column of `index` in `text`."""
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def _index_of(text: str, line: int, col: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return -1
    return start + col - 1


def valid_spelling(name: str) -> str | None:
    """The id an invalid one most likely means, if there is a valid one: camelCase and
    CapWords split into words, letters lowercased, anything else between words made `_`."""
    words = _CAMEL.sub("_", name).lower()
    spelled = _NOT_IDENT.sub("_", words).strip("_")
    if _IDENT.match(spelled) and spelled != name:
        return spelled
    return None


def id_advice(name: str) -> str:
    """E109's advice: the valid spelling when there is one, then the rule."""
    rule = "use lowercase letters, digits and _, starting with a letter"
    if len(name) > 64:
        return f"an id has at most 64 characters; {rule}"
    spelled = valid_spelling(name)
    if spelled is not None:
        return f"write '{spelled}' ({rule})"
    return rule
