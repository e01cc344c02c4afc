"""`coldcase explore STORY_DIR`: search every reachable state; prove the story has no dead ends."""

from __future__ import annotations

import argparse
import json
import sys

NAME = "explore"
EXIT_TOO_BIG = 3


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        NAME,
        help="search every reachable game state: endings, walkthroughs, soft locks, trust ranges",
        description="Exhaustively search a story's reachable states. Exit status: 0 every ending reachable "
        "and no soft lock; 1 an unreachable ending or a soft lock; 2 misuse or a story with errors; "
        "3 more states than --max-states.",
    )
    p.add_argument("story", metavar="STORY_DIR", help="a story folder or bundled story id")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument(
        "--max-states",
        type=int,
        default=1_000_000,
        metavar="N",
        help="give up after N states (default 1,000,000)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coldcase_game.analysis.explore import ExploreLimit, explore
    from coldcase_game.analysis.report import report_json, report_text
    from coldcase_game.cli.common import CliError, fail, open_story

    if args.max_states < 1:
        return fail("coldcase explore", CliError("--max-states must be at least 1", 2))
    try:
        story = open_story(args.story)
    except CliError as exc:  # misuse, or a story with errors: nothing to explore (the errors are printed)
        return fail("coldcase explore", CliError(str(exc), 2))
    try:
        result = explore(story, max_states=args.max_states)
    except ExploreLimit as exc:
        print(
            f"coldcase explore: stopped after {exc.states:,} states: the story has more than --max-states "
            f"{args.max_states:,} reachable states. "
            "Raise --max-states, or cap loops that change trust with 'once'.",
            file=sys.stderr,
        )
        return EXIT_TOO_BIG
    if args.json:
        json.dump(report_json(story, result), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(report_text(story, result))
    return 0 if result.ok else 1
