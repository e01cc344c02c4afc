"""The `coldcase` command line: `play` (the default), `check`, `explore`, and more.

Each subcommand lives in its own module with `add_parser(subparsers)` and
`run(args) -> int`. Nothing here imports Textual: only `play` without
`--plain` loads the `tui` package, and only when it runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from coldcase_game import __version__
from coldcase_game.cli import check_cmd, explore_cmd, play_cmd, replay_cmd, saves_cmd

COMMANDS = [play_cmd, check_cmd, explore_cmd, replay_cmd, saves_cmd]

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
        "--saves", metavar="DIR", default=None,
        help="save folder (default: $COLDCASE_SAVES, else ./saves)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not any(a in ("-h", "--help", "--version") for a in args_list) and not _has_command(args_list):
        args_list = _insert_play(args_list)
    args = parser.parse_args(args_list)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def _has_command(argv: list[str]) -> bool:
    names = {m.NAME for m in COMMANDS}
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg == "--saves":
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg in names
    return False


def _insert_play(argv: list[str]) -> list[str]:
    """`coldcase [--saves DIR] [opts]` means `coldcase [--saves DIR] play [opts]`."""
    out: list[str] = []
    i = 0
    while i < len(argv) and argv[i].startswith("--saves"):
        out.append(argv[i])
        if argv[i] == "--saves" and i + 1 < len(argv):
            out.append(argv[i + 1])
            i += 1
        i += 1
    return out + ["play"] + argv[i:]
