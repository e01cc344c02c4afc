"""scenes/ink_style, the ink-style example for authors (issue #10 item 8): a bundled story that is
not a case on the title screen, that checks and explores clean, and that shows every construct an
ink author reaches for. (Its golden plain transcript is in tests/core/test_plain.py.)"""

from __future__ import annotations

import pytest
from tests.conftest import SCENES

from coldcase_game.cli import main
from coldcase_game.story.bundled import bundled_stories, resolve_story, story_dirs
from coldcase_game.story.expr import Expr, names_in
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Paragraph, Piece, Story, paragraph_pieces, scene_pieces

EXAMPLE = SCENES / "ink_style"


def test_it_is_bundled_but_not_on_the_title_screen() -> None:
    assert EXAMPLE in story_dirs()
    assert resolve_story("ink_style") == EXAMPLE  # coldcase play ink_style, new --from ink_style
    listed = [s.id for s in bundled_stories()]
    assert "ink_style" not in listed
    assert listed[:3] == ["clarke", "persson", "askarov"]


def test_coldcase_check_checks_it_with_the_bundled_stories(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("0 errors, 0 warnings in ")
    assert out[-1].endswith(f"({len(story_dirs())} stories)")
    assert main(["check", "ink_style"]) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings in 2 files\n"


def test_it_explores_clean_with_no_term_shown_too_soon(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explore", "ink_style"]) == 0
    out = capsys.readouterr().out
    assert "Endings: 4 of 4 reachable" in out
    assert "Terms shown before they are introduced: none" in out
    assert "W301" not in out


def _all_paragraphs(story: Story) -> list[Paragraph]:
    out: list[Paragraph] = []
    for scene in story.scenes.values():
        out += scene.paragraphs
        for c in scene.choices:
            out += c.then
    return out


def _reads_chosen(expr: Expr) -> bool:
    return any(kind == "chosen" for kind, _ in names_in(expr))


def test_it_uses_every_feature_of_format_2_for_ink_authors() -> None:
    story = load_story(EXAMPLE)
    scenes = list(story.scenes.values())
    pieces: list[Piece] = [p for s in scenes for p in scene_pieces(s)]
    ifs = [p for p in pieces if p.kind == "if"]
    assert any(len(p.parts) == 2 for p in ifs), "an {if} with an else part"
    assert any(len(p.parts) == 1 for p in ifs), "an {if} without one"
    assert any(p.kind == "seq" for p in paragraph_pieces(tuple(_all_paragraphs(story))))
    assert any(p.kind == "cycle" for p in pieces)
    written = "\n".join(path.read_text(encoding="utf-8") for path in sorted(EXAMPLE.glob("*.yaml")))
    assert "{{unnamed}}" in written, "literal braces"
    assert "_Sparrow._" in written, "emphasis"
    untitled = [s for s in scenes if s.title is None and not s.is_ending]
    assert untitled, "a scene without a heading"
    assert any(s.next is not None for s in scenes), "a next chain"
    blocks = [
        b for s in scenes for b in (*s.on_enter.blocks, *(b for c in s.choices for b in c.effects.blocks))
    ]
    assert any(b.cond is not None for b in blocks), "an effect block with if"
    conditions = [b.cond.expr for b in blocks if b.cond] + [
        c.cond.expr for s in scenes for c in s.choices if c.cond
    ]
    assert any(_reads_chosen(e) for e in conditions), "chosen.<scene>.<choice>"
    assert any(c.then for s in scenes for c in s.choices), "then"
    assert any(v.name for v in story.vars.values()), "a variable shown to the player"
    assert any(not v.name for v in story.vars.values()), "one that is not"
    assert story.terms, "terms"
    assert any(c.introduced_by for c in story.characters.values())
    assert 2 <= len(story.endings) <= 4
