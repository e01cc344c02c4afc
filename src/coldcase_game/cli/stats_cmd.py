"""`coldcase stats STORY`: how long the story is, scene by scene and route by route."""

from __future__ import annotations

import argparse
import json
import sys

NAME = "stats"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from coldcase_game.cli.common import GRAPH_MAX_STATES, add_max_states

    p = sub.add_parser(
        NAME,
        help="words per scene and route, choices per scene, states explore needs",
        description="Words per scene and in total, the words a player reads on the shortest and the "
        "longest route to each ending, choices per scene, and how many states 'coldcase explore' "
        "searches. Exit status: 0 ok, 2 misuse or a story with errors, 3 more states than --max-states.",
    )
    p.add_argument("story", metavar="STORY", help="a story folder or bundled story id")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_max_states(p, GRAPH_MAX_STATES, "give up")
    p.set_defaults(run=run)


def _choices_cell(choices: int, ending: str | None, flows_to: str | None) -> str:
    """`ending` for an ending, `next` for a scene that flows on (format 2), else the count."""
    if ending is not None:
        return "ending"
    return "next" if flows_to else str(choices)


def run(args: argparse.Namespace) -> int:
    from coldcase_game.analysis.explore import ExploreLimit
    from coldcase_game.analysis.stats import StoryStats, story_stats
    from coldcase_game.cli.common import CliError, fail, open_story

    prog = "coldcase stats"
    if args.max_states < 1:
        return fail(prog, CliError("--max-states must be at least 1", 2))
    try:
        story = open_story(args.story)
    except CliError as exc:
        return fail(prog, CliError(str(exc), 2))
    try:
        stats: StoryStats = story_stats(story, max_states=args.max_states)
    except ExploreLimit as exc:
        return fail(
            prog,
            CliError(
                f"stopped after {exc.states:,} states: the story has more than --max-states "
                f"{args.max_states:,} reachable states; raise --max-states",
                3,
            ),
        )
    if args.json:
        json.dump(
            {
                "story": story.id,
                "words": stats.words,
                "choices": stats.choices,
                "states": stats.states,
                "scenes": [
                    {
                        "id": s.id,
                        "title": s.heading,
                        "words": s.words,
                        "choices": s.choices,
                        "ending": s.ending,
                        "next": s.next,
                    }
                    for s in stats.scenes
                ],
                "endings": [
                    {"id": r.id, "title": r.title, "shortest_words": r.shortest, "longest_words": r.longest}
                    for r in stats.routes
                ],
                "loops": stats.loops,
            },
            sys.stdout,
            indent=2,
            ensure_ascii=False,
        )
        print()
        return 0
    for line in text_lines(story.title, story.id, stats):
        print(line)
    return 0


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    out = []
    for row in [header, *rows]:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        out.append("  " + "  ".join(cells).rstrip())
    return out


def text_lines(title: str, story_id: str, stats: object) -> list[str]:
    from coldcase_game.analysis.stats import StoryStats
    from coldcase_game.analysis.storymap import count

    assert isinstance(stats, StoryStats)
    endings = sum(1 for s in stats.scenes if s.ending is not None)
    lines = [
        f"{title} ({story_id}): {count(stats.words, 'word')} in {count(len(stats.scenes), 'scene')}, "
        f"{count(stats.choices, 'choice')}, {count(endings, 'ending')}",
        "",
        "Scenes (words: text, choices and locked hints):"
        if stats.format < 2
        else "Scenes (words as written: every variant and inline part, choices, locked hints, then texts):",
    ]
    rows = [
        [
            s.id,
            s.heading,
            f"{s.words:,}",
            _choices_cell(s.choices, s.ending, s.next),
        ]
        for s in stats.scenes
    ]
    rows.append(["total", "", f"{stats.words:,}", str(stats.choices)])
    lines += _table(["scene", "title", "words", "choices"], rows, {2, 3})
    lines += [
        "",
        "Routes to each ending (words of narration a player reads, the ending's own included):"
        if stats.format < 2
        else "Routes to each ending (words of narration a player reads as shown, then texts and the ending's "
        "own included):",
    ]
    route_rows = [
        [
            r.title,
            r.id,
            "never reached" if r.shortest is None else f"{r.shortest:,}",
            "" if r.longest is None else f"{r.longest:,}",
        ]
        for r in stats.routes
    ]
    lines += _table(["ending", "scene", "shortest", "longest"], route_rows, {2, 3})
    if stats.loops:
        once = "each scene of a loop once" + (", and each choice's then text" if stats.format >= 2 else "")
        lines.append(f"  (some routes can go round a loop: the longest counts {once})")
    lines += ["", f"States explore searches: {stats.states:,}"]
    return lines
