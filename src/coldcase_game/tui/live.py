"""`coldcase play --watch` in the TUI: present the session layer's reloads, nothing more.

The watcher thread (session.live.watch_story) hands each change to the app's own thread;
there the game screen's session is reloaded by `LiveStory.reload`, the outcome is shown as a
notification (errors stay longer), and the scene is drawn again as it now reads.
"""

from __future__ import annotations

import contextlib
import threading

from textual.app import App

from coldcase_game.session.live import LiveStory, Reload, watch_story


def watch(app: App[int], live: LiveStory) -> threading.Event:
    """Start watching `live`'s folder for `app` (returning once the watcher listens, or after 5 s);
    set the returned event to stop."""
    stop = threading.Event()

    def on_change(files: tuple[str, ...]) -> None:
        with contextlib.suppress(RuntimeError):  # the app is not running (yet, or any more)
            app.call_from_thread(_apply_safely, app, live, files)

    def on_failure(message: str) -> None:
        with contextlib.suppress(RuntimeError):
            app.call_from_thread(app.notify, message, severity="error", timeout=15, markup=False)

    ready = threading.Event()
    watch_story(live.path, on_change, stop, on_failure, ready)
    ready.wait(5)  # listening before the game shows: an edit saved from then on is seen
    return stop


def _apply_safely(app: App[int], live: LiveStory, files: tuple[str, ...]) -> None:
    """A reload must never end the game: anything unexpected is shown and the game goes on."""
    try:
        apply_change(app, live, files)
    except Exception as exc:
        app.notify(f"Could not show the reloaded story: {exc!r}", severity="error", timeout=15, markup=False)


def apply_change(app: App[int], live: LiveStory, files: tuple[str, ...] = ()) -> Reload | None:
    """Reload the game being played (if any) and show the outcome. Runs on the app's thread."""
    from coldcase_game.tui.screens.ending import EndingScreen
    from coldcase_game.tui.screens.play import PlayScreen

    screen = next(
        (
            s
            for s in reversed(app.screen_stack)
            if isinstance(s, PlayScreen) and s.session.story.id == live.story.id
        ),
        None,
    )
    if screen is None:  # no game of this story on screen: the next one starts from the new files
        return None
    reload = live.reload(screen.session, files)
    lines = [line.removeprefix("[reload] ") for line in reload.lines()]
    if reload.kind == "errors":
        app.notify("\n".join(lines), title="The story has errors", severity="error", timeout=20, markup=False)
        return reload
    if reload.kind == "diverged":
        app.notify("\n".join(lines), title="Story reloaded", severity="warning", timeout=12, markup=False)
    else:
        app.notify("\n".join(lines), title="Story reloaded", timeout=8, markup=False)
    if reload.changed:
        services = getattr(app, "services", None)
        if services is not None:  # a new game of this story, from the title screen, gets this version too
            services.remember(reload.session.story, live.path)
        while isinstance(app.screen, EndingScreen):
            app.pop_screen()
        screen.session = reload.session
        screen.title = reload.session.story.title
        screen.show_state(animate=False)
        screen._autosave()
        if reload.session.is_over:
            screen._show_ending()
    return reload
