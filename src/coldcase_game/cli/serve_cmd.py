"""`coldcase serve`: the same game in a local web browser, through textual-serve.

textual-serve is an optional extra (`pip install 'coldcase_game[web]'`). Each browser
tab that opens the page starts its own `coldcase play` process, drawn by Textual's
web driver; saves go to the same save folder as `coldcase play`. The server binds to
127.0.0.1 unless `--host` says otherwise.
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

NAME = "serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MISSING = (
    "coldcase serve: playing in a browser needs textual-serve, an optional extra: "
    "pip install 'coldcase_game[web]'"
)


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        NAME,
        help="play in a local web browser (needs the [web] extra)",
        description="Serve the game to a web browser with textual-serve: open the address it "
        "prints. Each browser tab plays its own game; saves go to the usual save folder. "
        "Stop it with Ctrl+C.",
    )
    p.add_argument("story", nargs="?", metavar="STORY", help="open this story (a bundled id or a folder)")
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument("--no-animation", action="store_true", help="show text at once, without the typewriter")
    p.set_defaults(run=run)


def play_command(saves: str, story: str | None, *, animation: bool) -> str:
    """The shell command textual-serve runs for each browser tab: this Python, this package."""
    args = [sys.executable, "-m", "coldcase_game", "--saves", saves, "play"]
    if story:
        args.append(story)
    if not animation:
        args.append("--no-animation")
    return shlex.join(args)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    from coldcase_game.cli.common import CliError, fail, saves_dir, story_path

    try:
        from textual_serve.server import Server
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 1
    if not 0 < args.port < 65536:
        return fail("coldcase serve", CliError(f"--port {args.port} is not a port number (1-65535)", 2))
    try:
        story = str(story_path(args.story).resolve()) if args.story else None
    except CliError as exc:
        return fail("coldcase serve", exc)
    folder = saves_dir(args.saves).resolve()
    if not is_loopback(args.host):
        print(
            f"coldcase serve: listening on {args.host}: anyone who can reach this machine on port "
            f"{args.port} can play, and their games share the save folder {folder}",
            file=sys.stderr,
        )
    command = play_command(str(folder), story, animation=not args.no_animation)
    server = Server(command, host=args.host, port=args.port, title="Cold Case")
    try:
        server.serve()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return fail("coldcase serve", CliError(f"cannot listen on {args.host}:{args.port}: {reason}", 1))
    return 0
