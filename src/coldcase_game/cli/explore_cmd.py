"""`coldcase explore STORY_DIR`: search every reachable state; prove the story has no dead ends."""

from __future__ import annotations

import argparse
import json
import sys

NAME = "explore"
EXIT_TOO_BIG = 3


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from coldcase_game.cli.common import EXPLORE_MAX_STATES, add_max_states

    p = sub.add_parser(
        NAME,
        help="search every reachable game state: endings, walkthroughs, soft locks, trust ranges",
        description="Exhaustively search a story's reachable states. Exit status: 0 every ending reachable "
        "and no soft lock; 1 an unreachable ending or a soft lock; 2 misuse or a story with errors; "
        "3 more states than --max-states. With --sample N: N seeded random playthroughs instead "
        "(0 every ending hit and no soft lock met; 1 otherwise; 2 misuse): "
        "sampling proves nothing exhaustive.",
    )
    p.add_argument("story", metavar="STORY_DIR", help="a story folder or bundled story id")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    add_max_states(p, EXPLORE_MAX_STATES, "give up")
    p.add_argument("--stats", action="store_true", help="also print states a second and bytes a state")
    # validated in run(), so that a bad value gets one clear line
    p.add_argument("--sample", metavar="N", help="play N seeded random playthroughs instead of searching")
    p.add_argument(
        "--seed", metavar="S", help="with --sample: the random seed (default: one chosen and printed)"
    )
    p.add_argument(
        "--max-steps",
        metavar="N",
        help="with --sample: stop a playthrough after N choices (default 5,000)",
    )
    p.set_defaults(run=run)


def _whole(option: str, value: str, least: int | None) -> int:
    from coldcase_game.cli.common import CliError

    try:
        number = int(value.replace("_", "").replace(",", ""))
    except ValueError:
        raise CliError(f"{option} takes a whole number, not '{value}'", 2) from None
    if least is not None and number < least:
        raise CliError(f"{option} must be at least {least:,} (got {number:,})", 2)
    return number


def _run_sample(args: argparse.Namespace) -> int:
    import secrets

    from coldcase_game.analysis.sample import DEFAULT_MAX_STEPS, sample, sample_json, sample_text
    from coldcase_game.cli.common import CliError, fail, open_story

    try:
        if args.stats:
            raise CliError("--stats measures the exhaustive search; it does not go with --sample", 2)
        runs = _whole("--sample", args.sample, 1)
        seed = secrets.randbelow(2**32) if args.seed is None else _whole("--seed", args.seed, 0)
        max_steps = DEFAULT_MAX_STEPS if args.max_steps is None else _whole("--max-steps", args.max_steps, 1)
        story = open_story(args.story)
    except CliError as exc:
        return fail("coldcase explore", CliError(str(exc), 2))
    result = sample(story, runs, seed, max_steps=max_steps)
    if args.json:
        json.dump(sample_json(story, result), sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(sample_text(story, result, args.story))
    return 0 if result.ok else 1


def run(args: argparse.Namespace) -> int:
    from coldcase_game.analysis.explore import ExploreLimit, explore
    from coldcase_game.analysis.report import plural, report_json, report_text
    from coldcase_game.cli.common import CliError, fail, open_story

    if args.sample is not None:
        return _run_sample(args)
    for option, given in (("--seed", args.seed), ("--max-steps", args.max_steps)):
        if given is not None:
            return fail("coldcase explore", CliError(f"{option} goes with --sample N", 2))
    if args.max_states < 1:
        return fail("coldcase explore", CliError("--max-states must be at least 1", 2))
    try:
        story = open_story(args.story)
    except CliError as exc:  # misuse, or a story with errors: nothing to explore (the errors are printed)
        return fail("coldcase explore", CliError(str(exc), 2))
    stats = None
    try:
        if args.stats:
            from coldcase_game.analysis.search_stats import explore_with_stats

            result, stats = explore_with_stats(story, max_states=args.max_states)
        else:
            result = explore(story, max_states=args.max_states)
    except ExploreLimit as exc:
        print(
            f"coldcase explore: stopped after {plural(exc.states, 'state')}: the story has more than "
            f"--max-states {plural(args.max_states, 'reachable state')}. "
            "Raise --max-states, or cap loops that change trust with 'once'.",
            file=sys.stderr,
        )
        return EXIT_TOO_BIG
    if args.json:
        report = report_json(story, result)
        if stats is not None:
            report["stats"] = stats.as_json()
        json.dump(report, sys.stdout, indent=2, ensure_ascii=False)
        print()
    else:
        print(report_text(story, result))
        if stats is not None:
            print(stats.line())
    return 0 if result.ok else 1
