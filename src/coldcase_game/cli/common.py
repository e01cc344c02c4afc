"""Helpers the subcommands share: finding stories and saves, reporting load errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from coldcase_game.story.bundled import resolve_story
from coldcase_game.story.diagnostics import StoryError
from coldcase_game.story.loader import load_story
from coldcase_game.story.model import Story

# How many states a search may reach before it gives up (exit status 3). explore's is about what
# this 2-core machine searches in a minute on the compiled engine (measured 120,000-250,000 states
# a second on the cases and the bench's hub story, 130-250 bytes a state: some 2 GB at the limit);
# graph --explore and stats keep every state and edge of the graph as dicts, so theirs is lower.
EXPLORE_MAX_STATES = 10_000_000
GRAPH_MAX_STATES = 2_000_000


def add_max_states(parser: argparse.ArgumentParser, default: int, what: str = "give up") -> None:
    """`--max-states N`, declared once for explore, graph --explore and stats."""
    parser.add_argument(
        "--max-states",
        type=int,
        default=default,
        metavar="N",
        help=f"{what} after N states (default {default:,})",
    )


class CliError(Exception):
    """A one-line message for the user; the command exits with `status`."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def saves_dir(value: str | None) -> Path:
    """`--saves DIR`, else $COLDCASE_SAVES, else the user's data folder (see session.location)."""
    from coldcase_game.session.location import saves_dir as chosen

    return chosen(value)


def story_path(arg: str) -> Path:
    try:
        return resolve_story(arg)
    except FileNotFoundError:
        raise CliError(
            f"no story '{arg}': give a bundled story id (see 'coldcase check') or a story folder", 2
        ) from None


def open_story(arg: str) -> Story:
    """Load a story for playing; on errors print them all and raise CliError."""
    path = story_path(arg)
    try:
        return load_story(path)
    except StoryError as exc:
        for diagnostic in exc.errors:
            print(diagnostic, file=sys.stderr)
        count = len(exc.errors)
        raise CliError(
            f"the story in {path} has {count} error{'s' if count != 1 else ''}; run 'coldcase check {path}'"
        ) from None


def fail(prog: str, exc: CliError) -> int:
    print(f"{prog}: {exc}", file=sys.stderr)
    return exc.status
