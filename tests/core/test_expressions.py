"""The `if:` expression language: parsing, static types, and the engine's evaluator."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pytest

from coldcase_game.engine.evaluate import evaluate
from coldcase_game.story.expr import ExprError, Names, compile_expr

NAMES = Names(frozenset({"ana", "bo"}), frozenset({"key", "door"}), frozenset({"hall", "yard"}))


def run(
    source: str,
    trust: dict[str, int] | None = None,
    flags: Iterable[str] = (),
    visits: dict[str, int] | None = None,
) -> int | bool:
    expr = compile_expr(source, NAMES)
    return evaluate(expr, trust or {"ana": 50, "bo": 10}, frozenset(flags), Counts(visits or {}))


@dataclass(frozen=True)
class Counts:
    """Visit counts as the evaluator reads them: `get` with a default (a dict's `get` may answer None)."""

    counts: Mapping[str, int]

    def get(self, scene: str, default: int = 0, /) -> int:
        return self.counts.get(scene, default)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("true", True),
        ("not false", True),
        ("key", False),
        ("not key and not door", True),
        ("trust.ana >= 50", True),
        ("trust.ana > 50", False),
        ("trust.ana + trust.bo == 60", True),
        ("trust.ana - trust.bo != 40", False),
        ("visits.hall == 0", True),
        ("true or false and false", True),  # and binds tighter than or
        ("(true or false) and false", False),
        ("not trust.ana < 10", True),  # not binds looser than comparison
        ("key == false", True),
        ("1 + 2 + 3 == 6", True),
        ("10 - 3 - 2 == 5", True),  # left-associative
    ],
)
def test_values(source: str, expected: bool) -> None:
    assert run(source) is expected


def test_flags_and_visits_are_read_from_state() -> None:
    assert run("key and visits.yard >= 2", flags={"key"}, visits={"yard": 2}) is True


@pytest.mark.parametrize(
    ("source", "code", "offset", "message"),
    [
        ("trust.ana", "E302", 0, "must be true/false"),
        ("key + 1 > 0", "E302", 0, "needs numbers"),
        ("trust.ana == key", "E302", 10, "same type"),
        ("trust.anna >= 1", "E303", 6, "did you mean 'ana'"),
        ("kee", "E303", 0, "did you mean 'key'"),
        ("visits.hal > 0", "E303", 7, "did you mean 'hall'"),
        ("flags.clear()", "E303", 0, "only trust.<character> and visits.<scene>"),
        ("len(key)", "E301", 3, "function calls"),
        ("key[0]", "E301", 3, "subscripts"),
        ("2 ** 3 > 1", "E301", 2, "only + and -"),
        ("'a' == 'a'", "E301", 0, "strings"),
        ("trust.ana = 5", "E301", 10, "use =="),
        ("key && door", "E301", 4, "use 'and'"),
        ("-1 < 0", "E301", 0, "negative"),
        ("(key", "E301", 4, "expected ')'"),
        ("", "E301", 0, "empty"),
        ("99999999 > 1", "E301", 0, "too large"),
        ("trust.ana.x > 1", "E301", 9, "only trust."),
        ("__import__('os')", "E301", 10, "function calls"),
    ],
)
def test_errors_are_located(source: str, code: str, offset: int, message: str) -> None:
    with pytest.raises(ExprError) as info:
        compile_expr(source, NAMES)
    assert info.value.code == code
    assert info.value.offset == offset
    assert message in info.value.message


def test_length_limit_is_checked_before_parsing() -> None:
    with pytest.raises(ExprError, match="the limit is 256"):
        compile_expr("not " * 100_000 + "true", NAMES)
    with pytest.raises(ExprError, match="the limit is 256"):
        compile_expr("(" * 1000 + "true" + ")" * 1000, NAMES)
    compile_expr("(" * 100 + "true" + ")" * 100, NAMES)  # 204 characters: fine


def test_evaluation_never_uses_python_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    def forbidden(*_a: object, **_k: object) -> None:
        raise AssertionError("eval/compile must never be called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "compile", forbidden)
    assert run("trust.ana >= 10 and not key") is True
