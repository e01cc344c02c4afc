"""One story as the language server sees it: the editor's open buffers over the files on disk, the
last check's diagnostics per file, the index of names, and the last exploration's warnings.

Nothing here speaks the protocol (server.py does), so it is tested and timed directly.
"""

from __future__ import annotations

import gc
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coldcase_game.lsp.index import MANIFEST, StoryIndex
from coldcase_game.story.cache import LoadCache
from coldcase_game.story.diagnostics import Diagnostic
from coldcase_game.story.loader import LoadResult, read_story
from coldcase_game.story.model import Story

EXPLORE_MAX_STATES = 1_000_000
EXPLORE_SECONDS = 120.0  # wall time before an exploration on save is stopped
EXPLORE_TOO_BIG = 3  # the exit status of `coldcase explore` past --max-states (as documented)


def story_root(path: str) -> str | None:
    """The story folder a file belongs to: the nearest folder at or above it with a story.yaml."""
    folder = Path(path).parent
    for candidate in (folder, *folder.parents):
        if (candidate / MANIFEST).is_file():
            return str(candidate)
    return None


@dataclass(frozen=True, slots=True)
class ExploreNote:
    """A finding of explore, placed at a scene (found again in the index when it is shown, so it
    follows the scene as lines above it are added or removed)."""

    scene: str
    code: str
    message: str
    severity: str = "warning"  # or "information"
    # a warning about a piece of text (W301) is shown at the text: (absolute path, line, column, length)
    place: tuple[str, int, int, int] | None = None
    term: str = ""  # the term a W301 is about: underlined where the text mentions it


class Project:
    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self.cache = LoadCache()
        self.index = StoryIndex()
        self.result: LoadResult | None = None
        self.diagnostics: dict[str, list[Diagnostic]] = {}  # absolute path -> the check's diagnostics
        self.texts: dict[str, str] = {}  # absolute path -> the text the check read
        self.notes: list[ExploreNote] = []
        self.generation = 0  # counts reloads: an exploration of an older story is dropped

    @property
    def story(self) -> Story | None:
        return self.result.story if self.result is not None else None

    def set_buffer(self, path: str, text: str | None) -> None:
        """An open editor buffer (None when it is closed: the file on disk counts again)."""
        path = os.path.abspath(path)
        if text is None:
            self.cache.overlay.pop(path, None)
        else:
            self.cache.overlay[path] = text

    def reload(self) -> set[str]:
        """Check the story again; return the files whose diagnostics changed (or that were dropped)."""
        self.generation += 1
        result = read_story(self.root, cache=self.cache)
        self.result = result
        known = {os.path.abspath(f) for f in result.files}
        # forget what the cache holds for files that are no longer part of the story
        for shown in [s for s in self.cache.files if os.path.abspath(s) not in known]:
            del self.cache.files[shown]
            self.cache.scenes.pop(shown, None)
        collecting = gc.isenabled()
        gc.disable()  # as the loader does: many small objects made, none freed, nothing to collect
        try:
            self.index.update(self.cache)
        finally:
            if collecting:
                gc.enable()
        grouped: dict[str, list[Diagnostic]] = {path: [] for path in known}
        for d in result.diagnostics:
            grouped.setdefault(os.path.abspath(d.file), []).append(d)
        self.texts = {
            os.path.abspath(shown): entry.text
            for shown, entry in self.cache.files.items()
            if entry.text is not None
        }
        changed = {p for p in grouped if grouped[p] != self.diagnostics.get(p)}
        changed |= set(self.diagnostics) - set(grouped)
        self.diagnostics = grouped
        return changed

    def text_of(self, path: str) -> str:
        buffer = self.cache.overlay.get(path)
        return buffer if buffer is not None else self.texts.get(path, "")

    def note_places(self) -> dict[str, list[tuple[ExploreNote, int, int, int]]]:
        """Explore's notes by file, each with the (1-based line, column, length) of its scene's id."""
        out: dict[str, list[tuple[ExploreNote, int, int, int]]] = {}
        for note in self.notes:
            if note.place is not None:
                path, line, col, length = note.place
                if note.term:
                    line, col, length = self._term_at(path, line, col, note.term)
                out.setdefault(path, []).append((note, line, col, length))
                continue
            decls = self.index.declarations("scene", note.scene)
            if decls:
                d = decls[0]
                out.setdefault(d.file, []).append((note, d.line, d.col, d.length))
            else:
                manifest = os.path.join(self.root, MANIFEST)
                out.setdefault(manifest, []).append((note, 1, 1, 0))
        return out

    def _term_at(self, path: str, line: int, col: int, term: str) -> tuple[int, int, int]:
        """Where `term` is first written (as a whole word) in the text that starts at (line, col):
        that is what to underline; the text's own start when it cannot be found."""
        lines = self.text_of(path).split("\n")
        if not 0 < line <= len(lines):
            return line, col, len(term)
        pattern = re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)")
        for index in range(line - 1, min(line + 40, len(lines))):
            m = pattern.search(lines[index], col - 1 if index == line - 1 else 0)
            if m:
                return index + 1, m.start() + 1, len(term)
        return line, col, len(term)


def explore_command(root: str, max_states: int) -> list[str]:
    """`coldcase explore --json` on the story as saved: a process of its own, so a long search
    neither holds up the server nor competes with it for the interpreter, and can be stopped."""
    return [sys.executable, "-m", "coldcase_game", "explore", "--json", "--max-states", str(max_states), root]


def _walkthrough(path: list[dict[str, Any]]) -> str:
    if not path:
        return "at the start"
    keys = " ".join(str(s.get("number")) for s in path)
    steps = "; ".join(f"{s.get('number')}. [{s.get('scene')}] {s.get('text')}" for s in path)
    return f"walkthrough {keys} ({steps})"


def notes_from_report(report: dict[str, Any], start: str) -> list[ExploreNote]:
    """What an author must fix, from `coldcase explore --json`, at the scene it concerns."""
    states = report.get("states", 0)
    notes = [
        ExploreNote(
            str(ending.get("scene")),
            "unreachable-ending",
            f"ending '{ending.get('title')}' can never be reached: no sequence of choices from "
            f"'{start}' leads here ({states:,} states searched)",
        )
        for ending in report.get("endings", [])
        if not ending.get("reachable")
    ]
    notes.extend(
        ExploreNote(
            str(lock.get("scene")),
            "soft-lock",
            "soft lock: a player can be here with no choice available, by "
            + _walkthrough(lock.get("path", [])),
        )
        for lock in report.get("soft_locks", [])
    )
    for warning in report.get("warnings", []):  # format 2: W301, a term shown before it is introduced
        if not isinstance(warning, dict) or not warning.get("code"):
            continue
        place = None
        if (
            warning.get("file")
            and isinstance(warning.get("line"), int)
            and isinstance(warning.get("col"), int)
        ):
            term = str(warning.get("term") or "")
            place = (os.path.abspath(str(warning["file"])), warning["line"], warning["col"], len(term) or 1)
        else:
            term = ""
        path = warning.get("path") or []
        notes.append(
            ExploreNote(
                str(warning.get("scene") or start),
                str(warning["code"]),
                f"{warning.get('message')}" + (f", by {_walkthrough(path)}" if path else ""),
                place=place,
                term=term,
            )
        )
    return notes


def limit_note(start: str, why: str) -> ExploreNote:
    return ExploreNote(
        start,
        "explore-limit",
        f"explore {why}, the editor's bound: endings and soft locks were not checked; "
        "run 'coldcase explore' for the full search",
        "information",
    )
