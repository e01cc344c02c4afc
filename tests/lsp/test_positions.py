"""Places between the loader (1-based lines, character columns) and the editor (0-based lines,
UTF-16 code units by default, or UTF-8 / UTF-32 when the editor asks), and the extent a diagnostic
underlines."""

from __future__ import annotations

import pytest

from coldcase_game.lsp.positions import UTF8, UTF16, UTF32, Lines

TEXT = "scenes:\n  café_☕: x\n  s: {text: 🙂 hi, goto: lastt}\n"


def test_ascii_places_are_the_same_in_every_encoding() -> None:
    for encoding in (UTF8, UTF16, UTF32):
        lines = Lines("scenes:\n  first:\n", encoding)
        assert lines.to_lsp(2, 3) == (1, 2)
        assert lines.from_lsp(1, 2) == (2, 3)


@pytest.mark.parametrize(
    ("encoding", "units"),
    [(UTF16, 13 + 2), (UTF8, 13 + 4), (UTF32, 13 + 1)],  # 🙂 is 2 UTF-16 units, 4 UTF-8 bytes, 1 code point
)
def test_a_name_after_an_emoji(encoding: str, units: int) -> None:
    lines = Lines(TEXT, encoding)
    col = TEXT.split("\n")[2].index("hi") + 1  # the loader's 1-based character column
    assert lines.to_lsp(3, col) == (2, units)
    assert lines.from_lsp(2, units) == (3, col)


def test_accented_letters_and_bmp_symbols() -> None:
    # 'é' is one UTF-16 unit and two UTF-8 bytes; '☕' one UTF-16 unit and three UTF-8 bytes
    col = len("  café_☕") + 1
    assert Lines(TEXT, UTF16).to_lsp(2, col) == (1, 8)
    assert Lines(TEXT, UTF8).to_lsp(2, col) == (1, 11)


def test_a_place_inside_a_character_or_past_the_end() -> None:
    lines = Lines(TEXT, UTF16)
    emoji = TEXT.split("\n")[2].index("🙂")
    assert lines.from_lsp(2, emoji + 1) == (3, emoji + 1)  # half a surrogate pair: the emoji itself
    assert lines.from_lsp(0, 99) == (1, len("scenes:") + 1)
    assert lines.to_lsp(1, 99) == (0, len("scenes:"))
    assert lines.from_lsp(40, 3) == (41, 1)  # beyond the last line: an empty line


def test_crlf_line_breaks_count_once() -> None:
    lines = Lines("a: 1\r\nb: 2\r\n", UTF16)
    assert lines.line(1) == "b: 2"
    assert lines.to_lsp(2, 4) == (1, 3)


@pytest.mark.parametrize(
    ("line", "underlined"),
    [
        ("        goto: lastt", "lastt"),
        ("        goto: no such place  # a comment", "no such place"),
        ("        gotoo: lastt", "gotoo"),
        ("          trust: {vera: '%+200'}", "'%+200'"),
        ("          trust: {vera: +200}", "+200"),
        ('    title: "He said \\"no\\""  # a comment', '"He said \\"no\\""'),
        ("    title: 'it''s late' # c", "'it''s late'"),
        ("    ending: The Long Way Home  # ending", "The Long Way Home"),
        ("  first: [unclosed", "[unclosed"),
    ],
)
def test_the_span_a_diagnostic_underlines(line: str, underlined: str) -> None:
    col = line.index(underlined) + 1  # where the loader places the diagnostic
    index, first, last = Lines(f"scenes:\n{line}\n").span(2, col)
    assert index == 1
    assert line[first:last] == underlined


@pytest.mark.parametrize(
    ("line", "underlined"),
    [
        ("        if: clues or trust.vera >= 5", "clues"),
        ("        if: clue or trust.vera >= 5", "trust.vera"),
        ("        if: clue or trust.vera >= 5", ">="),
        ("        if: clue or trust.vera >= 5", "5"),
        ("        if: clue or trust.vera => 5", "=>"),
    ],
)
def test_the_span_in_an_expression_is_the_token(line: str, underlined: str) -> None:
    _index, first, last = Lines(f"scenes:\n{line}\n").span(2, line.index(underlined) + 1, expression=True)
    assert line[first:last] == underlined


def test_a_span_at_the_end_of_a_line_is_its_last_character() -> None:
    assert Lines("scenes:\n  first:   \n").span(2, 40) == (1, 7, 8)
    assert Lines("").span(1, 1) == (0, 0, 0)
