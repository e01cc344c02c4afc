"""Plain mode with `--watch`: the game goes on while the author edits the story.

The watcher thread reloads through the session layer (`session.live`) and this front end
only prints the result: the reload lines, then the current scene as it now reads. A lock
keeps a reload and the player's command from running at once: the game holds it except
while it waits for input.
"""

from __future__ import annotations

import threading
from typing import Any

from coldcase_game.plain import PlainGame
from coldcase_game.session.live import LiveStory, Reload, watch_story


class WatchingPlainGame(PlainGame):
    stay_after_ending = True

    def __init__(self, live: LiveStory, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.live = live
        self._lock = threading.RLock()
        self._stop = threading.Event()

    def run(self) -> int:
        ready = threading.Event()
        watch_story(self.live.path, self.on_change, self._stop, self.on_failure, ready)
        ready.wait(5)
        with self._lock:
            self.say(f"[watch] Watching {self.live.path}: save a scene file and the game reloads it.")
            try:
                return super().run()
            finally:
                self._stop.set()

    def read(self) -> str | None:
        self._lock.release()
        try:
            return super().read()
        finally:
            self._lock.acquire()

    # --- called from the watcher thread ----------------------------------------------------
    def on_change(self, files: tuple[str, ...]) -> None:
        with self._lock:
            try:
                self.present(self.live.reload(self.session, files))
            except Exception as exc:  # a reload must never end the game
                self.say(f"[reload] could not show the reloaded story: {exc!r}")
            self.stdout.write("> ")
            self.stdout.flush()

    def on_failure(self, message: str) -> None:
        with self._lock:
            self.say()
            self.say(message)

    def present(self, reload: Reload) -> None:
        self.say()
        for line in reload.lines():
            self.say(line)
        if reload.changed:
            self.session = reload.session
            if self.saves is not None:
                self.saves.story = self.session.story  # type: ignore[attr-defined]
            self.autosave()
            self.say()
            self.show_scene()
