"""`coldcase replay SAVE`: the TUI viewer, `--plain` transcript, `--check`, `--export FILE.md|.html`."""

from __future__ import annotations

import argparse

NAME = "replay"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        NAME,
        help="replay a saved game: view it, print it, check it or export it",
        description="Replay a save (a slot name or a file path) against the current story. "
        "Exit status: 0 ok, 1 the save does not load or (with --check) does not replay cleanly, 2 misuse.",
    )
    p.add_argument("save", metavar="SAVE", help="a slot name (see 'coldcase saves') or a save file path")
    p.add_argument(
        "--story",
        metavar="STORY",
        help="replay against this story folder or bundled id (default: the bundled story the save names)",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--plain", action="store_true", help="print the whole transcript as plain text")
    mode.add_argument(
        "--check",
        action="store_true",
        help="verify the save replays cleanly: exit 0, or 1 with the divergence report",
    )
    mode.add_argument("--export", metavar="FILE", help="write the transcript to FILE.md or FILE.html")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coldcase_game.cli.replay_run import run as run_impl  # heavy imports only when used

    return run_impl(args)
