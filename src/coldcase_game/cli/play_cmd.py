"""`coldcase play [STORY]`: the Textual game, or `--plain` line mode."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used, so `coldcase play --plain` starts light
    from pathlib import Path

    from coldcase_game.session.plain_saves import PlainSaves
    from coldcase_game.story.model import Story

NAME = "play"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        NAME,
        help="play a story (the default command)",
        description="Play a case. With no STORY, choose from the bundled cases.",
    )
    p.add_argument("story", nargs="?", metavar="STORY", help="a bundled story id or a story folder")
    p.add_argument(
        "--plain", action="store_true", help="line-by-line mode for screen readers, scripts and pipes"
    )
    p.add_argument(
        "--no-animation", action="store_true", help="show text at once, without the typewriter reveal"
    )
    p.add_argument(
        "--watch",
        action="store_true",
        help="reload the story whenever one of its files is saved, replaying your choices against it",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # The game's start-up (the story's modules and the story, then Textual's) makes objects that
    # live as long as the game and no garbage: the collector is off until the game's first frame
    # is drawn (the TUI turns it on again then, tui/app.py), or until the plain mode starts.
    gc.disable()
    try:
        return _run(args)
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    from coldcase_game.cli.common import CliError, fail, saves_dir, story_path

    folder = saves_dir(args.saves)
    if args.watch and not args.story:
        return fail(
            "coldcase play", CliError("--watch needs the story folder to watch: coldcase play --watch DIR", 2)
        )
    if args.plain:
        return _run_plain(args, folder)
    try:
        path = story_path(args.story) if args.story else None
    except CliError as exc:
        return fail("coldcase play", exc)
    why = screen_unavailable()
    if why is not None:
        print(f"coldcase: {why}, so the game runs in plain mode (as with --plain).", file=sys.stderr)
        return _run_plain(args, folder)
    from coldcase_game.tui import run_tui  # Textual is loaded only here

    animation = not args.no_animation and os.environ.get("TEXTUAL_ANIMATIONS", "").lower() not in (
        "none",
        "disabled",
    )
    if args.watch:
        return run_tui(path, animation=animation, saves_dir=folder, watch=True)
    return run_tui(path, animation=animation, saves_dir=folder)


def screen_unavailable() -> str | None:
    """Why the game's screen cannot be drawn here (a pipe, or TERM=dumb), or None when it can."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return None  # another Textual driver draws the screen: `coldcase serve`'s web driver, over pipes
    if not sys.stdout.isatty():
        return "the output is not a terminal"
    if not sys.stdin.isatty():
        return "the input is not a terminal"
    if os.environ.get("TERM", "").strip().lower() == "dumb":
        return "this terminal (TERM=dumb) cannot draw the game's screen"
    return None


def _run_plain(args: argparse.Namespace, folder: Path) -> int:
    gc.enable()
    from coldcase_game.cli.common import CliError, fail, open_story, story_path
    from coldcase_game.plain import PlainGame, choose_story
    from coldcase_game.session import Session
    from coldcase_game.story.bundled import bundled_stories

    target = args.story
    if target is None:
        info = choose_story(bundled_stories(), sys.stdin, sys.stdout)
        if info is None:
            return 0
        target = str(info.path)
    try:
        story = open_story(target)
    except CliError as exc:
        return fail("coldcase play", exc)
    saves = _plain_saves(folder, story)
    if args.watch:
        from coldcase_game.plain_watch import WatchingPlainGame
        from coldcase_game.session.live import LiveStory

        return WatchingPlainGame(LiveStory(story_path(target), story), Session(story), saves=saves).run()
    return PlainGame(Session(story), saves=saves).run()


def _plain_saves(folder: Path, story: Story) -> PlainSaves:
    """The save commands of plain mode (`:save`, `:load`, `:saves`) and autosave after every choice."""
    from coldcase_game.session.plain_saves import PlainSaves

    return PlainSaves(folder, story)
