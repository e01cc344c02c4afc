"""check, explore and the author tools run without loading Textual (or the TUI), as the
import-linter contracts say; this runs each command and looks at what it loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
from coldcase_game.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.", "coldcase_game.tui")))
print("LOADED", loaded, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "sample"],
        ["explore", "sample"],
        ["schema"],
        ["stats", "sample"],
        ["graph", "sample", "--explore"],
        ["graph", "sample", "--format", "html", "-o", "{tmp}/map.html"],
        ["new", "{tmp}/fresh"],
    ],
)
def test_the_command_never_loads_textual(argv: list[str], tmp_path: Path) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert "LOADED []" in done.stderr, done.stderr[-2000:]
