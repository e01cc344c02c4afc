"""`coldcase check [STORY_DIR ...]`: every diagnostic, one line each, then a summary."""

from __future__ import annotations

import argparse
import sys

NAME = "check"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        NAME,
        help="check stories for errors and warnings (default: the bundled stories)",
        description="Check story folders the way a compiler checks code. "
        "Exit status: 0 no errors (warnings allowed), 1 errors, 2 misuse.",
    )
    p.add_argument("stories", nargs="*", metavar="STORY_DIR", help="story folders or bundled story ids")
    p.add_argument("--json", action="store_true", help="print the diagnostics as JSON")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="read every story from its files, neither reading nor writing the compile cache "
        "(as COLDCASE_NO_CACHE=1 does)",
    )
    p.set_defaults(run=run)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(errors: int, warnings: int, files: int, stories: int) -> str:
    text = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {_plural(files, 'file')}"
    return text + (f" ({stories} stories)" if stories > 1 else "")


def run(args: argparse.Namespace) -> int:
    from coldcase_game.cli.common import CliError, fail, story_path
    from coldcase_game.story.bundled import story_dirs
    from coldcase_game.story.loader import read_story

    try:
        paths = [story_path(a) for a in args.stories] if args.stories else story_dirs()
    except CliError as exc:
        return fail("coldcase check", exc)
    if not paths:
        return fail("coldcase check", CliError("no stories found", 2))
    diagnostics = []
    files = 0
    stories = []
    for path in paths:
        result = read_story(path, use_disk_cache=not args.no_cache)
        diagnostics.extend(result.diagnostics)
        files += len(result.files) or 1
        stories.append(
            {
                "path": str(path),
                "id": result.story.id if result.story else None,
                "title": result.story.title if result.story else None,
                "errors": len(result.errors),
                "warnings": len(result.warnings),
            }
        )
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = len(diagnostics) - errors
    if args.json:
        import json

        json.dump(
            {
                "diagnostics": [d.as_dict() for d in diagnostics],
                "errors": errors,
                "warnings": warnings,
                "files": files,
                "stories": stories,
            },
            sys.stdout,
            indent=2,
            ensure_ascii=False,
        )
        print()
    else:
        for d in diagnostics:
            print(d)
        print(summary(errors, warnings, files, len(paths)))
    return 1 if errors else 0
