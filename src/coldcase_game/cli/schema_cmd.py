"""`coldcase schema`: the JSON Schema of the scene format, for editors (yaml-language-server)."""

from __future__ import annotations

import argparse
import sys

NAME = "schema"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        NAME,
        help="print the JSON Schema of story.yaml and scene files (for editors)",
        description="Print the JSON Schema of the scene format: every key, its type, pattern and meaning. "
        "Editors with yaml-language-server read it from a '# yaml-language-server: $schema=FILE' line. "
        "The same schema ships in the package. Exit status: 0 ok, 1 the file cannot be written.",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the schema to FILE instead of printing it")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coldcase_game.story.schema import schema_text

    text = schema_text()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from pathlib import Path

    from coldcase_game.cli.common import CliError, fail
    from coldcase_game.cli.output import write_output

    try:
        write_output(Path(args.output), text, "the schema")
    except CliError as exc:
        return fail("coldcase schema", exc)
    print(f"wrote {args.output}")
    return 0
