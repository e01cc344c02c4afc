"""The `coldcase` command line: `play` (the default), `check`, `explore`, `replay`, `saves`.

Each subcommand lives in its own module with `add_parser(subparsers)` and
`run(args) -> int` (parser.py gathers them). Nothing here imports Textual: only
`play` without `--plain` loads the `tui` package, and only when it runs.
`coldcase --version` answers before anything else is imported.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence

from coldcase_game import __version__


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if args_list == ["--version"]:
        print(f"coldcase {__version__}")
        return 0
    from coldcase_game.cli.parser import build_parser

    _sturdy_streams()
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


def _sturdy_streams() -> None:
    """Bytes piped or typed in that are not text, and text the terminal cannot show, never stop a
    command: undecodable input is read as U+FFFD, and unencodable output is written as an escape
    (a strict UTF-8 stdin raised UnicodeDecodeError in plain mode; an ASCII or cp1252 stdout
    raised UnicodeEncodeError on a story's 'é')."""
    for stream, errors in (
        (sys.stdin, "replace"),
        (sys.stdout, "backslashreplace"),
        (sys.stderr, "backslashreplace"),
    ):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a closed or detached stream: nothing to do
                reconfigure(errors=errors)


def _has_command(argv: list[str]) -> bool:
    from coldcase_game.cli.parser import COMMANDS

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
    return [*out, "play", *argv[i:]]
