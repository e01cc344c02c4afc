"""`coldcase saves`: the saves in the save folder as a table."""

from __future__ import annotations

import argparse

NAME = "saves"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        NAME,
        help="list saved games",
        description="List the saves in the save folder: slot, story, scene, steps and date.",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coldcase_game.cli.saves_run import run as run_impl  # heavy imports only when used

    return run_impl(args)
