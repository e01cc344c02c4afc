"""`coldcase new NAME`: start a story folder that checks and explores clean, or copy a bundled one."""

from __future__ import annotations

import argparse

NAME = "new"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        NAME,
        help="create a new story folder to start writing from",
        description="Create NAME/ with a manifest, scenes, a clue, a character and an ending, which "
        "checks and explores clean; or, with --from, a copy of a bundled story. Each file starts with "
        "the line that tells yaml-language-server where the schema is (copied beside them). "
        "Exit status: 0 created, 1 the folder exists or cannot be written, 2 misuse.",
    )
    p.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="the folder to create; its last part is the story id (snake_case)",
    )
    p.add_argument("--from", dest="source", metavar="STORY", help="copy this bundled story (e.g. sample)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coldcase_game.cli.new_run import run as run_impl

    return run_impl(args)
