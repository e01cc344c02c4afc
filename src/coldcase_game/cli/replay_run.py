"""How `coldcase replay` runs: load, view, print, check or export a saved game."""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

from coldcase_game import engine
from coldcase_game.cli.common import CliError, fail, open_story, saves_dir
from coldcase_game.plain import change_lines
from coldcase_game.session.atomic import write_atomic
from coldcase_game.session.errors import SaveError
from coldcase_game.session.saves import LoadResult, SaveStore
from coldcase_game.session.slots import steps as count_steps
from coldcase_game.story.inline import shown_plain, shown_runs

PROG = "coldcase replay"


def run(args: argparse.Namespace) -> int:
    if args.export and Path(args.export).suffix.lower() not in (".md", ".html"):
        return fail(PROG, CliError("--export needs a file name ending in .md or .html", 2))
    folder = saves_dir(args.saves)
    try:
        story = open_story(args.story) if args.story else None
        result = SaveStore(folder).load(args.save, story)
    except CliError as exc:
        return fail(PROG, exc)
    except SaveError as exc:
        return fail(PROG, CliError(exc.message, 1))
    if args.check:
        return _check(result)
    if args.plain:
        sys.stdout.write("\n".join(transcript_lines(result)) + "\n")
        return 0
    if args.export:
        return _export(result, Path(args.export))
    return _view(result, folder)


def _check(result: LoadResult) -> int:
    info = result.info
    if result.clean:
        end = f"ending '{info.ending}'" if info.ending else f"scene '{info.scene}'"
        print(f"ok: {info.path} replays cleanly against '{info.story_id}' ({count_steps(info.steps)}, {end})")
        for line in result.report():
            print(line)
        return 0
    print(f"{PROG}: {info.path} does not replay cleanly:", file=sys.stderr)
    for line in result.report():
        print(line, file=sys.stderr)
    return 1


def _view(result: LoadResult, folder: Path) -> int:
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        return fail(PROG, CliError("the replay viewer needs a terminal; use --plain with pipes", 2))
    from coldcase_game.tui import run_replay_viewer  # Textual is loaded only here

    return run_replay_viewer(result, saves_dir=folder)


# --- the transcript as text ---------------------------------------------------------------


def transcript_blocks(result: LoadResult) -> list[tuple[str, str]]:
    """(kind, text) pairs in order; kind is heading, paragraph, choice, change, ending or note."""
    session = result.session
    story = session.story
    steps = session.transcript()
    info = result.info
    blocks = [("title", f"{story.title}: replay of '{info.slot}' ({count_steps(info.steps)})")]
    for step in steps:
        # the contract's order: the scene's narration, what its on_enter changed, the choice,
        # what the choice's `do` changed, then the next scene
        for passage in step.state.last.passed:  # format 2: a `next` chain shows on the same screen
            passage_title = engine.heading(story, passage.scene)
            if passage_title is not None:  # a format-2 scene without a title has no heading
                blocks.append(("heading", f"{step.number}. {passage_title}"))
            blocks.extend(("paragraph", text) for text in passage.text)
            blocks.extend(("change", line) for line in change_lines(story, passage.on_enter))
        if step.title:
            blocks.append(("heading", f"{step.number}. {step.title}"))
        blocks.extend(("paragraph", text) for text in step.paragraphs)
        blocks.extend(("change", line) for line in change_lines(story, step.state.last.on_enter))
        if step.choice_text is not None:
            blocks.append(("choice", step.choice_text))
            blocks.extend(("paragraph", text) for text in step.then)
            blocks.extend(
                ("change", line) for line in change_lines(story, steps[step.number + 1].state.last.do)
            )
    if session.ending is not None:
        blocks.append(("ending", f"*** ENDING: {session.ending} ***"))
    blocks.extend(("note", line) for line in result.report())
    return blocks


def _laid_out(result: LoadResult) -> list[tuple[str, str]]:
    """(kind, line) pairs of the plain-text transcript, blank lines included (kind "")."""
    lines: list[tuple[str, str]] = []
    previous = ""
    for kind, text in transcript_blocks(result):
        if kind in ("heading", "paragraph", "choice", "ending") or (kind == "note" and previous != "note"):
            lines.append(("", ""))
        lines.append(
            (kind, {"heading": f"== {text} ==", "choice": f"> {text}", "note": f"! {text}"}.get(kind, text))
        )
        previous = kind
    return lines


_STORY_TEXT = ("paragraph", "choice")  # the kinds of block that hold the story's own text


def transcript_lines(result: LoadResult) -> list[str]:
    """As plain mode shows it: emphasis kept as written (`_so_`), `\\_` as an underscore."""
    fmt = result.session.story.format
    return [shown_plain(line, fmt) if kind in _STORY_TEXT else line for kind, line in _laid_out(result)]


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>&~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+)\.|^(\s*)([-=])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Story text as literal Markdown: nothing in it becomes a link, emphasis, HTML or a list."""
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _MD_LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\." if m[2] else f"{m[3]}\\{m[4]}", text)
    return text.replace("\n", "  \n")


def transcript_markdown(result: LoadResult) -> str:
    out = []
    fmt = result.session.story.format
    for kind, text in transcript_blocks(result):
        if kind in _STORY_TEXT:  # emphasis as Markdown's own, everything else escaped
            text = "".join(f"*{md_escape(s)}*" if em else md_escape(s) for s, em in shown_runs(text, fmt))
        else:
            text = md_escape(text)
        out.append(
            {
                "title": f"# {text}",
                "heading": f"## {text}",
                "choice": f"**Chose: {text}**",
                "change": f"- {text}",
                "ending": f"**{text}**",
                "note": f"> {text}",
            }.get(kind, text)
        )
    return "\n\n".join(out) + "\n"


def transcript_html(result: LoadResult) -> str:
    """The plain transcript, styled, as an HTML page (Rich escapes the text; nothing is parsed as markup)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(record=True, file=io.StringIO(), width=100, color_system="truecolor")
    styles = {
        "title": "bold",
        "heading": "bold cyan",
        "choice": "bold green",
        "change": "yellow",
        "ending": "bold magenta",
        "note": "red",
    }
    fmt = result.session.story.format
    for kind, line in _laid_out(result):
        text = Text(style=styles.get(kind, ""))
        if kind in _STORY_TEXT:  # emphasis as an italic style, never as markup
            for run, em in shown_runs(line, fmt):
                text.append(run, style="italic" if em else "")
        else:
            text.append(line)
        console.print(text)
    return console.export_html(inline_styles=True)


def _export(result: LoadResult, path: Path) -> int:
    html = path.suffix.lower() == ".html"
    data = (transcript_html(result) if html else transcript_markdown(result)).encode("utf-8")
    try:
        write_atomic(path, data, what="the transcript")
    except SaveError as exc:
        return fail(PROG, CliError(exc.message, 1))
    print(f"wrote {path}")
    return 0
