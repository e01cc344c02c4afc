"""The raw flow-nesting scan that runs before libyaml: its quick path must agree with the
plain left-to-right count on every text, so no deep file slips past and no good file is refused."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from coldcase_game.story import yamlsafe
from coldcase_game.story.diagnostics import Collector


def plain_scan(text: str) -> bool:
    depth = 0
    for ch in text:
        if ch in "[{":
            depth += 1
            if depth > yamlsafe.MAX_DEPTH:
                return False
        elif ch in "]}" and depth:
            depth -= 1
    return True


brackety = st.text(alphabet=st.sampled_from("[]{}[[{x \n"), max_size=400)


@settings(max_examples=600, deadline=None)
@given(brackety)
def test_scan_agrees_with_a_plain_count(text: str) -> None:
    out = Collector()
    assert yamlsafe._flow_depth_ok(text, "s.yaml", out) == plain_scan(text)
    assert bool(out.items) != plain_scan(text)  # refused exactly when too deep, with one error


@given(st.integers(0, 130), st.integers(0, 40))
def test_nesting_around_the_limit(depth: int, siblings: int) -> None:
    # many shallow collections side by side, and one of a given depth
    text = "a: [" + "[x], " * siblings + "[" * depth + "]" * depth + "]\n"
    out = Collector()
    ok = yamlsafe._flow_depth_ok(text, "s.yaml", out)
    assert ok == (depth + 1 <= yamlsafe.MAX_DEPTH)
    if not ok:
        (diag,) = out.items
        assert diag.code == "E005"
        assert diag.line == 1
        assert diag.col == len("a: [" + "[x], " * siblings) + yamlsafe.MAX_DEPTH
