"""Random text with braces, bars, colons and underscores through the inline parser, the emphasis
splitter and the whole loader: the parser answers with pieces or one located problem, never an
exception; emphasis loses no character; a story with any such text loads, or is refused with
located one-line diagnostics, and plays its first scene."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write_story
from tests.fuzz.harness import CASES, rerun, rng

from coldcase_game import engine
from coldcase_game.story.inline import InlineError, emphasis, plain, scan
from coldcase_game.story.loader import read_story

ATOMS = [
    "{", "}", "{{", "}}", "|", ":", ": ", " ", "_", "\\_", "\\", "\n", "\n\n", "if ", "seq", "cycle",
    "iff", "cup", "forceful > 1", "trust.ana", "visits.hall", " and ", "not ", "(", ")", "word",
    "file_name", "é", "'", '"', "#", "-",
]  # fmt: skip
MANIFEST = "format: 2\ntitle: Fuzz\nstart: hall\ncharacters:\n  ana:\n    name: Ana\n"
MANIFEST += "flags:\n  cup: ''\nvars:\n  forceful: {min: -3, max: 3}\n"


HEADS = [
    "{if cup:",
    "{if forceful > 1: ",
    "{if not cup and trust.ana > 9:",
    "{seq: ",
    "{cycle:",
    "{if cupp: ",
]


def text(case: int, test: str) -> str:
    """Atoms at random, and (in most cases) pieces that are well formed but for their insides."""
    r = rng(test, case)
    out = []
    for _ in range(r.randint(1, 12)):
        if r.random() < 0.3:
            inner = [
                r.choice([a for a in ATOMS if a not in ("{", "}", "\n\n")]) for _ in range(r.randint(0, 4))
            ]
            out.append(r.choice(HEADS) + "".join(inner) + "}")
        else:
            out.append(r.choice(ATOMS))
    return "".join(out)


def test_the_parser_never_raises_and_places_every_problem() -> None:
    for case in range(CASES * 20):
        t = text(case, "inline-scan")
        found = scan(t)
        if isinstance(found, InlineError):
            assert 0 <= found.offset <= len(t), rerun("inline-scan", case)
            assert found.code in {"E123", "E124", "E125", "E126", "E127"}, rerun("inline-scan", case)


def test_emphasis_keeps_every_character() -> None:
    for case in range(CASES * 20):
        t = text(case, "inline-emphasis")
        runs = emphasis(t)
        shown = "".join(f"_{s}_" if em else s for s, em in runs)
        assert shown == plain(t), rerun("inline-emphasis", case)


def test_a_story_with_any_such_text_loads_or_is_refused_with_located_lines(tmp_path: Path) -> None:
    for case in range(CASES * 4):
        t = text(case, "inline-story")
        quoted = "'" + t.replace("'", "''").replace("\n", " ") + "'"
        block = "|\n" + "".join(f"      {line}\n" for line in t.split("\n"))
        scenes = (
            f"scenes:\n  hall:\n    text: {block}    choices:\n      - text: {quoted}\n        goto: hall\n"
        )
        root = write_story(tmp_path / f"s{case}", MANIFEST, **{"s.yaml": scenes})
        result = read_story(root)
        for d in result.diagnostics:
            assert (d.line >= 1, d.col >= 1, "\n" in d.message) == (True, True, False), (
                rerun("inline-story", case),
                d,
            )
        if result.story is not None:
            state = engine.start(result.story)
            engine.narration(result.story, state)
            engine.choice_options(result.story, state)
