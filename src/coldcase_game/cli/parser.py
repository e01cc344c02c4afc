"""The argument parser of the `coldcase` command: one subparser per command module."""

from __future__ import annotations

import argparse
import sys

from coldcase_game import __version__
from coldcase_game.cli import (
    check_cmd,
    explore_cmd,
    graph_cmd,
    lsp_cmd,
    new_cmd,
    play_cmd,
    replay_cmd,
    saves_cmd,
    schema_cmd,
    serve_cmd,
    stats_cmd,
)

COMMANDS = [
    play_cmd,
    check_cmd,
    explore_cmd,
    replay_cmd,
    saves_cmd,
    lsp_cmd,
    serve_cmd,
    new_cmd,
    schema_cmd,
    stats_cmd,
    graph_cmd,
]

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that exits with status 2 and one clear line on misuse (its default, kept explicit)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coldcase",
        description="Cold Case: interactive fiction about former spies. With no command, opens the game.",
    )
    parser.add_argument("--version", action="version", version=f"coldcase {__version__}")
    parser.add_argument(
        "--saves",
        metavar="DIR",
        default=None,
        help="save folder (default: $COLDCASE_SAVES, else the user's data folder, see 'coldcase saves')",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser
