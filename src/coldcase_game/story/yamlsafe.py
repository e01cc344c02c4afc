"""Read one scene file as the contract's safe YAML subset.

Scene files come from strangers. Before anything is built:

* the raw bytes are checked: at most 2 MiB, valid UTF-8, no NUL bytes;
  C0/C1 control characters and bidi overrides are removed (with a warning);
* flow nesting (`[[[[…`) deeper than 64 is refused by a plain text scan,
  before libyaml sees the text at all;
* one pass over the parser's *events* refuses anchors, aliases, tags, merge
  keys, duplicate keys, more than one document and nesting deeper than 64,
  and builds a small tree of located nodes. Nothing is composed or
  constructed by PyYAML, and every scalar stays text.

libyaml (CSafeLoader) is used when PyYAML has it, else the pure-Python parser.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Protocol

from coldcase_game.story.diagnostics import Collector

if TYPE_CHECKING:
    import yaml

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64

# PyYAML is imported on the first parse, not with this module: a story read from the compile
# cache (story/disk_cache.py) needs the node classes below but never a parser.
_loaders: tuple[type, type] | None = (
    None  # (the libyaml loader if PyYAML has it, else SafeLoader; SafeLoader)
)


def _loader_classes() -> tuple[type, type]:
    global _loaders
    if _loaders is None:
        import yaml

        try:  # pragma: no branch - depends on how PyYAML was built
            fast: type = yaml.CSafeLoader
        except AttributeError:  # pragma: no cover - exercised by forcing use_libyaml=False
            fast = yaml.SafeLoader
        _loaders = (fast, yaml.SafeLoader)
    return _loaders


def __getattr__(name: str) -> bool:
    """`HAVE_LIBYAML`: whether PyYAML was built with libyaml (asking imports PyYAML)."""
    if name == "HAVE_LIBYAML":
        fast, pure = _loader_classes()
        return fast is not pure
    raise AttributeError(name)


# Characters removed from text: C0 controls except tab and newline (and CR, a line break),
# DEL, C1 controls, and the bidi embedding/override/isolate characters.
_STRIP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_STRIP_RAW = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# The located nodes are plain classes with slots: tens of thousands are made per large
# story, and they live only while the loader builds the model.


class YScalar:
    """A scalar, always as text; `quoted` when it was written in quotes; `index` is where it
    starts in the file's text (its opening quote, or a block scalar's `|` or `>`), `end` where it
    ends (just after its last character)."""

    __slots__ = ("col", "end", "index", "line", "quoted", "value")

    def __init__(
        self, value: str, line: int, col: int, quoted: bool = False, index: int = -1, end: int = -1
    ) -> None:
        self.value = value
        self.line = line  # 1-based
        self.col = col  # 1-based
        self.quoted = quoted
        self.index = index
        self.end = end

    def __repr__(self) -> str:
        return f"YScalar({self.value!r}, {self.line}, {self.col}, quoted={self.quoted})"


class YSeq:
    """A sequence of nodes."""

    __slots__ = ("col", "items", "line")

    def __init__(self, items: list[YNode], line: int, col: int) -> None:
        self.items = items
        self.line = line
        self.col = col

    def __repr__(self) -> str:
        return f"YSeq({self.items!r}, {self.line}, {self.col})"


class YMap:
    """A mapping: key -> (key node, value node), in file order, with the character offsets
    of the mapping in the file's text (`end` is set when the mapping closes)."""

    __slots__ = ("col", "end", "items", "line", "start")

    def __init__(
        self,
        items: dict[str, tuple[YScalar, YNode]] | None = None,
        line: int = 1,
        col: int = 1,
        start: int = 0,
        end: int = 0,
    ) -> None:
        self.items = {} if items is None else items
        self.line = line
        self.col = col
        self.start = start
        self.end = end

    def __repr__(self) -> str:
        return f"YMap({self.items!r}, {self.line}, {self.col})"


YNode = YScalar | YSeq | YMap


def clean_text(value: str) -> str:
    """Remove control and bidi characters; expand tabs."""
    if _STRIP.search(value):
        value = _STRIP.sub("", value)
    if "\t" in value:
        value = value.expandtabs(4)
    return value


def place_in_scalar(text: str, node: YScalar, offset: int) -> tuple[int, int]:
    """The 1-based line and column in the file of character `offset` of a scalar's value.

    Exact when the value is written as is on one line. A value folded over several lines
    (or written as a block scalar) keeps its non-space characters in order, so the n-th of
    them in the value is the n-th in the file. When even that does not line up (escapes
    in double quotes), the scalar's own start is the answer: never a column that is not there.
    """
    value = node.value
    start = node.index
    if start < 0 or not 0 <= offset <= len(value):
        return node.line, node.col
    if node.quoted:
        start += 1
    if text.startswith(value, start):
        return _line_col(text, start + offset)
    if text.startswith(("|", ">"), start):  # a block scalar: the text starts on the next line
        newline = text.find("\n", start)
        if newline < 0:
            return node.line, node.col
        start = newline + 1
    at_end = offset >= len(value.rstrip())
    wanted = sum(1 for ch in value[:offset] if not ch.isspace())
    if at_end:
        wanted -= 1  # the last character of the value; the place is just after it
    seen = -1
    for index in range(start, len(text)):
        if text[index].isspace():
            continue
        seen += 1
        if seen == wanted:
            if at_end:
                return _line_col(text, index + 1)
            if text[index] == value[offset]:
                return _line_col(text, index)
            break
    return node.line, node.col


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def decode(data: bytes, path: str, out: Collector) -> str | None:
    """Bytes to text, or None after reporting why not."""
    if len(data) > MAX_BYTES:
        out.error(
            path, 1, 1, "E004", f"file is {len(data) / 1048576:.1f} MiB; scene files may be at most 2 MiB"
        )
        return None
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        col = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        out.error(path, line, col, "E003", "file contains a NUL byte; is it a binary file?")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        out.error(
            path,
            line,
            col,
            "E002",
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
        )
        return None
    found = _STRIP_RAW.search(text)
    if found:
        line, col = _line_col(text, found.start())
        count = len(_STRIP_RAW.findall(text))
        out.warning(
            path,
            line,
            col,
            "W001",
            f"removed {count} control or bidi character{'s' if count != 1 else ''} "
            f"(first: U+{ord(found.group()):04X})",
        )
        text = _STRIP_RAW.sub("", text)
    return text


_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_BRACKET_PAIR = re.compile(r"[\[{][\]}]")


def _flow_depth_ok(text: str, path: str, out: Collector) -> bool:
    """Refuse `[[[[…` before the parser sees it. Counts brackets only: cheap, and generous
    (a bracket inside quotes counts too)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH or _shallow(text):
        return True
    depth = 0
    for m in re.finditer(r"[\[\]{}]", text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line, col = _line_col(text, m.start())
                out.error(path, line, col, "E005", f"nesting is deeper than {MAX_DEPTH} levels")
                return False
        elif depth:
            depth -= 1
    return True


def _shallow(text: str) -> bool:
    """A quick yes for the usual file, at C speed: the brackets alone, with innermost pairs
    removed one level per pass. When the levels removed plus the openers left unclosed stay
    within the limit, no point of the text is nested deeper. Anything else gets the exact scan."""
    brackets = _NOT_BRACKET.sub("", text)
    levels = 0
    while levels <= MAX_DEPTH:
        fewer = _BRACKET_PAIR.sub("", brackets)
        if fewer == brackets:
            break
        brackets = fewer
        levels += 1
    return levels + brackets.count("[") + brackets.count("{") <= MAX_DEPTH


def parse(text: str, path: str, out: Collector, *, use_libyaml: bool = True) -> YNode | None:
    """Parse text into located nodes, or None after reporting the first subset violation."""
    if not _flow_depth_ok(text, path, out):
        return None
    import yaml

    fast, pure = _loader_classes()
    loader_class: Any = fast if use_libyaml else pure
    try:
        loader = loader_class(text)
        try:
            return _build(loader, path, out)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        hint = _syntax_hint(text, mark.index) if mark and "tab" not in problem else ""
        if mark and not hint:
            hint = _prose_hint(text, mark.line)
        out.error(path, line, col, "E001", f"YAML syntax: {_one_line(problem)}{hint}")
    except yaml.YAMLError as exc:
        out.error(path, 1, 1, "E001", f"YAML syntax: {_one_line(str(exc))}")
    except (RecursionError, MemoryError, ValueError, TypeError, UnicodeError) as exc:
        out.error(path, 1, 1, "E001", f"YAML could not be read: {_one_line(type(exc).__name__)}")
    return None


def _tag_hint(tag: str, value: str) -> str:
    """`if: !found_key` reads as a tag to YAML; the author meant a negation."""
    name = tag[1:]
    if tag.startswith("!") and name.isidentifier() and not value:
        return f" (to negate a condition, write: not {name})"
    if tag.startswith("!") and not tag.startswith("!!") and value:
        return _text_hint("!")
    return ""


def _text_hint(first: str) -> str:
    """For a value YAML read as an anchor, alias or tag: if it was text, how to write it."""
    return f"; if this is text that starts with {first!r}, {QUOTE_ADVICE}"


def _syntax_hint(text: str, index: int) -> str:
    """What an author most likely meant, from the character the parser stopped at."""
    ch = text[index] if 0 <= index < len(text) else ""
    if ch == "\t":
        return "; this is a tab: indent with spaces"
    if ch == "%":
        return "; a fairmath change must be quoted, like '%+20'"
    if ch in ("@", "`"):
        return f"; text that starts with {ch} must be quoted"
    return ""


# `key: value` or `- value` on one line, where the value is what YAML stumbled over
_KEY = r"[A-Za-z_][A-Za-z0-9_-]*:[ \t]+"
_VALUE_ON_LINE = re.compile(rf"^[ \t]*(?:(?:-[ \t]+)+(?:{_KEY})?|{_KEY})(?P<value>\S.*)$")
_STARTS_WITH = {
    "*": "*",
    "&": "&",
    "!": "!",
    "[": "[",
    "]": "]",
    "{": "{",
    "}": "}",
    "|": "|",
    ">": ">",
    "-": "- ",
    "?": "?",
    ",": ",",
}
QUOTE_ADVICE = "quote the whole text or write it as a | block"


def _prose_hint(text: str, line_index: int) -> str:
    """Text that YAML read as something else, from the line it stopped on (0-based): a value
    starting with a quote that goes on after the closing quote, with one of YAML's own
    characters, or holding ': '. The hint names the cause and the two ways out."""
    start = 0
    for _ in range(line_index):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    m = _VALUE_ON_LINE.match(text[start : end if end >= 0 else len(text)].rstrip("\r"))
    if m is None:
        return ""
    value = m.group("value")
    first = value[0]
    if first in "\"'":
        close = value.find(first, 1)
        if close > 0 and value[close + 1 :].strip() and not value[close + 1 :].lstrip().startswith("#"):
            other = "'" if first == '"' else '"'
            return (
                f"; text that starts with {first} ends at the next {first}, but this goes on after it: "
                f"write it as a | block, or in {other} quotes"
            )
        return ""
    if first in _STARTS_WITH and (first != "-" or value.startswith("- ")):
        return f"; text that starts with {_STARTS_WITH[first]!r} means something else to YAML: {QUOTE_ADVICE}"
    if ": " in value:
        return f"; ': ' inside unquoted text starts a new key: {QUOTE_ADVICE}"
    if value.endswith(":"):
        return f"; ':' at the end of unquoted text starts a new key: {QUOTE_ADVICE}"
    return ""


def _one_line(message: str) -> str:
    return " ".join(message.split())


class _EventSource(Protocol):
    """A PyYAML loader as _build uses it. Its events are typed Any: the loop below tells them apart by
    `type(event) is` a local alias, for speed, which a type checker cannot narrow on."""

    def get_event(self) -> Any: ...


_Frame = YSeq | YMap
_Items = dict[str, tuple[YScalar, YNode]] | list[YNode]  # a frame's items
_QUOTED = frozenset(("'", '"'))


def _build(loader: _EventSource, path: str, out: Collector) -> YNode | None:
    """Located nodes from the parser's events, read one at a time, so a refusal stops the
    parser where it stands; None after reporting the first subset violation."""
    # The open container (`top`), its items (a dict for a mapping, a list for a sequence),
    # whether it is a mapping and the key waiting for its value are kept in locals; the
    # enclosing ones wait on `saved`. Scalars, most of the events, take the short path.
    import yaml

    saved: list[tuple[_Frame | None, _Items | None, bool, YScalar | None]] = []
    top: _Frame | None = None
    # `items` is the open mapping's dict while is_map, else the open sequence's list: one local
    # for speed, which a type checker cannot narrow by is_map, hence the ignores below.
    items: _Items | None = None
    is_map = False
    key: YScalar | None = None
    root: YNode | None = None
    documents = 0
    scalar_event = yaml.ScalarEvent
    mapping_start = yaml.MappingStartEvent
    sequence_start = yaml.SequenceStartEvent
    mapping_end = yaml.MappingEndEvent
    sequence_end = yaml.SequenceEndEvent
    stream_end = yaml.StreamEndEvent
    next_event = loader.get_event
    quoted_styles = _QUOTED

    def fail(mark: yaml.Mark, code: str, message: str) -> None:
        out.error(path, mark.line + 1, mark.column + 1, code, message)

    while True:
        event = next_event()
        kind = type(event)
        if kind is scalar_event:
            mark = event.start_mark
            if event.anchor is not None or event.tag is not None:
                if event.anchor is not None:
                    fail(mark, "E006", f"anchors (&{event.anchor}) are not allowed{_text_hint('&')}")
                else:
                    fail(
                        mark, "E008", f"tags ({event.tag}) are not allowed{_tag_hint(event.tag, event.value)}"
                    )
                return None
            value = event.value
            node = YScalar(
                value,
                mark.line + 1,
                mark.column + 1,
                event.style in quoted_styles,
                mark.index,
                event.end_mark.index,
            )
            if is_map:
                if key is None:  # a key: plain text, never a merge key or a repeat
                    if value == "<<" and not node.quoted:
                        fail(mark, "E009", "merge keys (<<) are not allowed")
                        return None
                    if value in items:  # type: ignore[operator]  # a dict: is_map
                        first = items[value][0]  # type: ignore[index]  # a dict: is_map
                        fail(
                            mark,
                            "E011",
                            f"duplicate key '{value}' "
                            f"(first defined at line {first.line}, column {first.col})",
                        )
                        return None
                    key = node
                else:
                    items[key.value] = (key, node)  # type: ignore[index,call-overload]  # a dict: is_map
                    key = None
            elif items is not None:
                items.append(node)  # type: ignore[union-attr]  # a list: not is_map
            else:
                root = node
        elif kind is mapping_start or kind is sequence_start:
            mark = event.start_mark
            if event.anchor is not None:
                fail(mark, "E006", f"anchors (&{event.anchor}) are not allowed")
                return None
            if event.tag is not None:
                fail(mark, "E008", f"tags ({event.tag}) are not allowed")
                return None
            if len(saved) >= MAX_DEPTH:
                fail(mark, "E005", f"nesting is deeper than {MAX_DEPTH} levels")
                return None
            container: _Frame = (
                YMap({}, mark.line + 1, mark.column + 1, mark.index)
                if kind is mapping_start
                else YSeq([], mark.line + 1, mark.column + 1)
            )
            if is_map:
                if key is None:
                    fail(mark, "E103", "mapping keys must be plain text")
                    return None
                items[key.value] = (key, container)  # type: ignore[index,call-overload]  # a dict: is_map
                key = None
            elif items is not None:
                items.append(container)  # type: ignore[union-attr]  # a list: not is_map
            else:
                root = container
            saved.append((top, items, is_map, key))
            top, items, is_map, key = container, container.items, kind is mapping_start, None
        elif kind is mapping_end or kind is sequence_end:
            if kind is mapping_end:
                top.end = event.end_mark.index  # type: ignore[union-attr]  # top: the open YMap
            top, items, is_map, key = saved.pop()
        elif kind is yaml.AliasEvent:
            fail(event.start_mark, "E007", f"aliases (*{event.anchor}) are not allowed{_text_hint('*')}")
            return None
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                fail(event.start_mark, "E010", "only one YAML document per file (found a second '---')")
                return None
        elif kind is stream_end or event is None:
            return root
