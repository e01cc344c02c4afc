"""`coldcase lsp` without pygls installed: one clear line saying what to install, no traceback."""

from __future__ import annotations

import subprocess
import sys

HIDE_PYGLS = (
    "import sys; sys.modules['pygls'] = None; "  # as if the lsp extra were not installed
    "from coldcase_game.cli import main; sys.exit(main(['lsp']))"
)


def test_without_pygls_one_line_says_what_to_install() -> None:
    done = subprocess.run(
        [sys.executable, "-c", HIDE_PYGLS],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "coldcase lsp: the language server needs pygls, which is not installed; "
        "install it with: pip install 'coldcase_game[lsp]'"
    ]


def test_lsp_is_listed_in_the_help() -> None:
    coldcase = [sys.executable, "-m", "coldcase_game"]
    done = subprocess.run([*coldcase, "--help"], capture_output=True, text=True, check=False)
    assert "lsp" in done.stdout
    assert "language server" in done.stdout
