"""Helpers for the author tools' tests: run `coldcase` in-process and read what an author sees."""

from __future__ import annotations

import pytest

from coldcase_game.cli import main


class Run:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        try:
            status = main(list(argv))
        except SystemExit as exc:  # argparse misuse
            status = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return status, out, err


@pytest.fixture
def coldcase(capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(capsys)
