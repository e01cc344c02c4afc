"""Between the loader's places and the editor's: line 1-based, column 1-based in characters (code
points) on one side; line 0-based, character counted in the negotiated code units (UTF-16 by default,
UTF-8 or UTF-32 when the editor prefers them) on the other. And the extent of the word, value or
quoted text that a diagnostic's place starts, so an editor underlines the thing named, not one letter.
"""

from __future__ import annotations

import re

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"

_NAME = re.compile(r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*")
_OPERATOR = re.compile(r"==|!=|<=|>=|=>|=<|[<>=!&|*/%(),+\-]")
# a plain scalar on one line: up to a comment, a flow indicator, or the `: ` that ends a key
_PLAIN_CHAR = r"(?:[^\s,\[\]{}#:]|:(?=[^\s,\[\]{}]))"
_PLAIN = re.compile(rf"{_PLAIN_CHAR}+(?:[ \t]+{_PLAIN_CHAR}+)*")


def _units(ch: str, encoding: str) -> int:
    code = ord(ch)
    if encoding == UTF8:
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    if encoding == UTF16:
        return 2 if code >= 0x10000 else 1
    return 1


class Lines:
    """One file's text, by line, converting places in both directions."""

    __slots__ = ("encoding", "lines")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        # the same line breaks as the YAML parser counts (\r\n, \r and \n)
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.encoding = encoding

    def line(self, index: int) -> str:
        """Line `index` (0-based); "" beyond the end."""
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def to_lsp(self, line: int, col: int) -> tuple[int, int]:
        """Loader place (1-based line and character column) -> (0-based line, code units)."""
        index = max(line - 1, 0)
        text = self.line(index)
        chars = min(max(col - 1, 0), len(text))
        if self.encoding == UTF32 or text.isascii():
            return index, chars
        return index, sum(_units(ch, self.encoding) for ch in text[:chars])

    def from_lsp(self, line: int, character: int) -> tuple[int, int]:
        """(0-based line, code units) -> loader place (1-based line, 1-based character column). A
        place inside a character (half a surrogate pair) is the character's start; past the end of the
        line is its end."""
        text = self.line(line)
        if self.encoding == UTF32 or text.isascii():
            return line + 1, min(max(character, 0), len(text)) + 1
        units = 0
        for i, ch in enumerate(text):
            width = _units(ch, self.encoding)
            if units + width > character:
                return line + 1, i + 1
            units += width
        return line + 1, len(text) + 1

    def span(self, line: int, col: int, *, expression: bool = False) -> tuple[int, int, int]:
        """The thing a diagnostic at (line, col) points at, as (0-based line, first and last character
        column, 0-based, end exclusive). In an expression (`expression`: the E3xx codes), the token
        there: a name with its dotted parts (`trust.vera`), a number or an operator. Elsewhere, the
        value or key that starts there: a quoted text to its closing quote, a plain value to its end
        (before a comment, or the `: ` of a key), a flow collection to the end of the line. Never
        empty on a line that has text; past the end of a line, its last character."""
        index = max(line - 1, 0)
        text = self.line(index)
        start = min(max(col - 1, 0), len(text))
        if start >= len(text) or (text[start].isspace() and not text[start:].strip()):
            stripped = len(text.rstrip())
            return (index, stripped - 1, stripped) if stripped else (index, 0, 0)
        ch = text[start]
        if ch in "'\"":
            return index, start, _closing_quote(text, start)
        patterns = (_NAME, _OPERATOR) if expression else (_PLAIN,)
        if not expression and ch in "[{":
            comment = text.find(" #", start)
            end = len(text) if comment < 0 else comment
            return index, start, max(len(text[:end].rstrip()), start + 1)
        for pattern in patterns:
            m = pattern.match(text, start)
            if m and m.end() > start:
                return index, start, m.end()
        return index, start, start + 1

    def lsp_col(self, line: int, chars: int) -> int:
        """A 0-based character column on a 0-based line, in code units."""
        return self.to_lsp(line + 1, chars + 1)[1]


def _closing_quote(text: str, start: int) -> int:
    """The column just after the quote that closes the one at `start` (YAML's '' and \\" escapes
    kept inside); the end of the line when it does not close on this line."""
    quote = text[start]
    i = start + 1
    while i < len(text):
        ch = text[i]
        if quote == "'" and ch == "'":
            if text.startswith("''", i):
                i += 2
                continue
            return i + 1
        if quote == '"' and ch == "\\":
            i += 2
            continue
        if quote == '"' and ch == '"':
            return i + 1
        i += 1
    return len(text)
