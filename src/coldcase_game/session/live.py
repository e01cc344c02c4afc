"""Live reload for `coldcase play --watch`: reload the story and replay the game's log against it.

A reload is what loading a save does: the choice log is replayed through `engine.step`
(`session.game.replay`). If every step still fits, the game stands where it stood, in the new
story; if not, it goes on from the last step that fits, and the report says which step stopped
fitting and why. A story that no longer loads changes nothing: the last good version goes on
playing and its errors are reported, located. The front ends only present a `Reload`.

`watch_story` runs the file watcher (watchfiles) in a thread and calls back with the names of
the story files that changed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from coldcase_game.session.game import Divergence, Session, replay
from coldcase_game.story.diagnostics import Diagnostic
from coldcase_game.story.model import Story

Kind = Literal["unchanged", "fits", "diverged", "errors"]


def _steps(n: int) -> str:
    return f"{n} step{'s' if n != 1 else ''}"


@dataclass(frozen=True)
class Reload:
    kind: Kind
    session: Session  # the game to go on with: the replayed one, or the old one on errors
    files: tuple[str, ...] = ()  # what changed, relative to the story folder
    divergence: Divergence | None = None
    dropped: int = 0  # steps of the log that no longer fit
    errors: tuple[Diagnostic, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether the game on screen must be shown again."""
        return self.kind in ("fits", "diverged")

    def lines(self) -> list[str]:
        """What the player is told, one line each (plain mode prints them; the TUI notifies)."""
        what = ", ".join(self.files) if self.files else "the story"
        if self.kind == "unchanged":
            return [f"[reload] {what} saved; the story reads the same."]
        if self.kind == "errors":
            count = len(self.errors)
            return [
                f"[reload] {what} changed, but the story now has {count} error{'s' if count != 1 else ''}; "
                "still playing the last version that loaded:",
                *(f"  {d}" for d in self.errors),
            ]
        steps = self.session.steps
        if self.divergence is None:
            if not steps:
                return [f"[reload] Reloaded {what}."]
            fit = f"your {steps} choice still fits" if steps == 1 else f"your {steps} choices still fit"
            return [f"[reload] Reloaded {what}: {fit}; you are where you were."]
        where = f"step {steps}, the last that fits" if steps else "the start"
        return [
            f"[reload] Reloaded {what}. Your game stopped fitting at {self.divergence}.",
            f"[reload] It goes on from {where} (the last {_steps(self.dropped)} dropped).",
        ]


class LiveStory:
    """The story folder being played, and the last version of it that loaded."""

    def __init__(self, path: str | Path, story: Story) -> None:
        path = Path(path)
        self.path = path.parent if path.name == "story.yaml" and path.is_file() else path
        self.story = story
        self._lock = threading.Lock()

    def reload(self, session: Session, files: tuple[str, ...] = ()) -> Reload:
        """Read the folder again and replay `session`'s log against it. Never raises."""
        from coldcase_game.story.loader import read_story

        with self._lock:
            try:
                result = read_story(self.path, with_warnings=False)
                if result.story is None:
                    return Reload("errors", session, files, errors=tuple(result.errors))
                story = result.story
                if story.digest == self.story.digest and session.story is self.story:
                    return Reload("unchanged", session, files)
                replayed, divergence = replay(story, session.log)
            except Exception as exc:  # a bug in the loader or engine must not end the game being written
                where = Diagnostic(str(self.path), 1, 1, "error", "E013", f"could not reload: {exc!r}")
                return Reload("errors", session, files, errors=(where,))
            self.story = story
            dropped = len(session.log) - replayed.steps
            return Reload("diverged" if divergence else "fits", replayed, files, divergence, dropped)


def _story_file(root: Path) -> Callable[[object, str], bool]:
    def wanted(_change: object, path: str) -> bool:
        p = Path(path)
        try:
            parts = p.relative_to(root).parts
        except ValueError:
            return False
        return p.suffix == ".yaml" and not any(part.startswith(".") for part in parts)

    return wanted


def watch_story(
    path: str | Path,
    on_change: Callable[[tuple[str, ...]], None],
    stop: threading.Event,
    on_failure: Callable[[str], None] | None = None,
    ready: threading.Event | None = None,
) -> threading.Thread:
    """Watch the story folder in a daemon thread; call `on_change(files)` after each burst of saves.

    Editors write a file in several steps (a temporary file, a rename): changes that come within
    a fifth of a second of each other are reported once. `ready` is set once the watcher is
    listening (or has failed): a save before that may be missed. `on_failure(message)` hears when
    the watcher cannot run (the folder went, the system's watch limit was reached).
    """
    root = Path(path).resolve()

    def loop() -> None:
        try:
            from watchfiles import watch

            for changes in watch(
                root,
                watch_filter=_story_file(root),
                debounce=200,
                stop_event=stop,
                rust_timeout=200,
                yield_on_timeout=True,  # the first (empty) yield says the watcher is listening
                raise_interrupt=False,
            ):
                if ready is not None:
                    ready.set()
                if changes:
                    names = tuple(sorted({Path(p).relative_to(root).as_posix() for _, p in changes}))
                    on_change(names)
        except Exception as exc:  # the watcher stops; the game goes on
            if on_failure is not None and not stop.is_set():
                on_failure(f"[reload] watching {path} stopped: {exc}; restart to reload again")
        finally:
            if ready is not None:
                ready.set()

    thread = threading.Thread(target=loop, name="coldcase-watch", daemon=True)
    thread.start()
    return thread
