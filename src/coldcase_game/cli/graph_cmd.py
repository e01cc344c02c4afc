"""`coldcase graph STORY`: the story map as Mermaid, Graphviz DOT or a self-contained HTML page."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "graph"
FORMATS = ("mermaid", "dot", "html")


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from coldcase_game.cli.common import GRAPH_MAX_STATES, add_max_states

    p = sub.add_parser(
        NAME,
        help="draw the story map: Mermaid, DOT or an HTML page",
        description="Write the scene graph: scenes by title, the start and endings marked, conditional "
        "choices labelled with their condition, once choices marked, unreachable scenes flagged. "
        "With --explore, each scene also shows its trust on arrival and which endings it can still "
        "lead to. Exit status: 0 written, 1 the file cannot be written, 2 misuse or a story with "
        "errors, 3 more states than --max-states.",
    )
    p.add_argument("story", metavar="STORY", help="a story folder or bundled story id")
    p.add_argument(
        "--format",
        choices=FORMATS,
        default=None,
        help="mermaid (default), dot, or html; by default taken from -o's suffix (.mmd, .dot/.gv, .html)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    p.add_argument("--explore", action="store_true", help="annotate with what exploring every game proves")
    add_max_states(p, GRAPH_MAX_STATES, "with --explore: give up")
    p.set_defaults(run=run)


_SUFFIXES = {
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".dot": "dot",
    ".gv": "dot",
    ".html": "html",
    ".htm": "html",
}


def run(args: argparse.Namespace) -> int:
    from coldcase_game.analysis.explore import ExploreLimit
    from coldcase_game.analysis.storymap import story_map
    from coldcase_game.cli.common import CliError, fail, open_story

    prog = "coldcase graph"
    fmt = args.format
    if fmt is None and args.output:
        suffix = Path(args.output).suffix.lower()
        fmt = _SUFFIXES.get(suffix)
        if fmt is None:
            return fail(
                prog,
                CliError(
                    f"cannot tell the format from the name {args.output}: end it in .mmd, .dot or .html, "
                    "or add --format mermaid|dot|html",
                    2,
                ),
            )
    fmt = fmt or "mermaid"
    if fmt == "html" and args.output is None and sys.stdout.isatty():
        return fail(prog, CliError("an HTML page is written to a file: add -o map.html", 2))
    if args.max_states < 1:
        return fail(prog, CliError("--max-states must be at least 1", 2))
    try:
        story = open_story(args.story)
    except CliError as exc:
        return fail(prog, CliError(str(exc), 2))
    try:
        smap = story_map(story, explore=args.explore, max_states=args.max_states)
    except ExploreLimit as exc:
        return fail(
            prog,
            CliError(
                f"stopped after {exc.states:,} states: the story has more than --max-states "
                f"{args.max_states:,} reachable states; raise --max-states, or leave out --explore",
                3,
            ),
        )
    if fmt == "mermaid":
        from coldcase_game.cli.graph_formats import to_mermaid

        text = to_mermaid(smap)
    elif fmt == "dot":
        from coldcase_game.cli.graph_formats import to_dot

        text = to_dot(smap)
    else:
        from coldcase_game.cli.graph_html import to_html

        text = to_html(smap)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    from coldcase_game.cli.output import write_output

    try:
        write_output(Path(args.output), text, "the story map")
    except CliError as exc:
        return fail(prog, exc)
    flagged = [n.id for n in smap.nodes if n.unreachable or n.never_reached]
    note = f"; unreachable: {', '.join(flagged)}" if flagged else ""
    from coldcase_game.analysis.storymap import count

    sizes = f"{count(len(smap.nodes), 'scene')}, {count(len(smap.edges), 'choice')}"
    print(f"wrote {args.output} ({fmt}: {sizes}{note})")
    return 0
