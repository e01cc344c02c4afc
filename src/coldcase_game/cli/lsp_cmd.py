"""`coldcase lsp`: the language server for story files, over stdio (see docs/editors.md)."""

from __future__ import annotations

import argparse
import sys

NAME = "lsp"
MISSING = (
    "coldcase lsp: the language server needs pygls, which is not installed; "
    "install it with: pip install 'coldcase_game[lsp]'"
)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        NAME,
        help="run the language server for story files over stdio (for editors; see docs/editors.md)",
        description="A Language Server over stdin/stdout: diagnostics as you type, explore on save, "
        "go to definition, references, rename, hover, completion and document symbols for scene files "
        "and story.yaml. Started by an editor, not by hand.",
    )
    p.add_argument("--stdio", action="store_true", help="talk over stdin/stdout (the default and only way)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        from coldcase_game.lsp.server import main
    except ImportError as exc:
        if exc.name is None or exc.name.partition(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        print(MISSING, file=sys.stderr)
        return 2

    return main()
