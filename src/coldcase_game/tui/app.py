"""`ColdCaseApp`: the Textual application. It owns no game rules and no screens' layout.

The app receives everything by injection: `Services` (catalog, loader, saves,
settings) and, optionally, a `Session` to play at once or a replay to show.
Screens reach the services through `app.services`.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from coldcase_game.session import Session
from coldcase_game.tui.screens.too_small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from coldcase_game.tui.services import Services

if TYPE_CHECKING:
    from coldcase_game.tui.screens.replay import ReplayData

NARROW_BELOW = 76  # columns: below this the play screen folds its sidebar away
VERY_WIDE_FROM = 110  # columns: from here the sidebar is wider
HERE = Path(__file__).resolve().parent


def _after_first_frame() -> None:
    gc.freeze()
    gc.enable()


class ColdCaseApp(App[int]):
    CSS_PATH = "app.tcss"
    TITLE = "COLD CASE"
    # Textual declares this `ClassVar[list[...]] | None`, which mypy reads as an instance variable, so a
    # ClassVar here is refused as an override; left as Textual's own examples write it.
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (NARROW_BELOW, "-wide"),
        (VERY_WIDE_FROM, "-very-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+c", "quit", "Quit", show=False, priority=True)]

    def __init__(
        self,
        services: Services,
        *,
        session: Session | None = None,
        replay: ReplayData | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self._typewriter_chosen: bool | None = None  # set by the palette entry, for this run too
        self._start_session = session
        self._replay = replay
        if session is not None:
            services.remember(session.story)
        if services.settings.theme in self.available_themes:
            self.theme = services.settings.theme
        # Textual loads a screen's CSS_PATH when the screen is pushed, but not for the first
        # screen: add that one's stylesheet to the app's own (the rest load as they are shown).
        first = "replay" if replay is not None else "play" if session is not None else "title"
        self.css_path.append(HERE / "screens" / f"{first}.tcss")

    # --- start-up ----------------------------------------------------------------------
    def get_default_screen(self) -> Screen[Any]:
        if self._replay is not None:
            from coldcase_game.tui.screens.replay import ReplayScreen

            return ReplayScreen(self._replay, standalone=True)
        if self._start_session is not None:
            from coldcase_game.tui.screens.play import PlayScreen

            return PlayScreen(self._start_session)
        from coldcase_game.tui.screens.title import TitleScreen

        return TitleScreen()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        # Everything made to start (Textual's styles, the story, the first screen) lives as long as
        # the app: once the first frame is drawn it is moved out of the collector's way. A full
        # collection walked it all, a 30-40 ms pause on about one key press in ten. run_tui turns
        # the collector off for the start; it is on again from here.
        self.call_after_refresh(_after_first_frame)

    # --- settings ------------------------------------------------------------------------
    @property
    def typewriter(self) -> bool:
        """Whether narration is revealed gradually: the flag, the setting and TEXTUAL_ANIMATIONS,
        until the player turns it on or off from the palette, which then decides for this run."""
        if self._typewriter_chosen is not None:
            return self._typewriter_chosen
        return self.services.animation and self.services.settings.animation and self.animation_level != "none"

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str) and name != self.services.settings.theme:
            self._report(self.services.save_settings(self.services.settings.with_theme(name)))

    def action_toggle_animation(self) -> None:
        """Turn the typewriter on or off now, and remember that for the next runs."""
        on = not self.typewriter
        self._typewriter_chosen = on
        self._report(self.services.save_settings(self.services.settings.with_animation(on)))
        self.notify(f"Typewriter animation {'on' if on else 'off'}.", markup=False)

    def _report(self, problem: str | None) -> None:
        if problem:
            self.notify(problem, severity="warning", markup=False)

    # --- navigation ----------------------------------------------------------------------
    def go_to_title(self) -> None:
        """Show the title screen, closing every screen above it.

        When the app started straight into a story there is no title screen yet: it is
        pushed over that first screen (Textual cannot switch away from a first screen).
        """
        from coldcase_game.tui.screens.title import TitleScreen

        for screen in self.screen_stack:
            if isinstance(screen, TitleScreen):
                if screen is not self.screen:
                    screen.pop_until_active()
                return
        first = self.screen_stack[0]
        if first is self.screen:
            self.push_screen(TitleScreen())
        else:
            first.pop_until_active()  # pops later, in order; the title goes on top after that
            self.call_later(self.push_screen, TitleScreen())

    # --- terminal size -------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        # The first Resize arrives at start-up, once the app's styles are in place (a screen
        # pushed earlier, from on_mount, would keep stale colours).
        self.call_after_refresh(self._check_size, event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        too_small = width < MIN_WIDTH or height < MIN_HEIGHT
        screen = self.screen
        showing = isinstance(screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen(width, height))
        elif isinstance(screen, TooSmallScreen):
            if too_small:
                screen.show_size(width, height)
            else:
                self.pop_screen()

    # --- command palette -----------------------------------------------------------------
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        commands = getattr(screen, "palette_commands", None)
        if callable(commands):
            yield from commands()
        yield from super().get_system_commands(screen)
        word = "off" if self.typewriter else "on"  # what this run does, which --no-animation can change
        yield SystemCommand(
            f"Typewriter animation {word}",
            "Reveal narration gradually, or all at once (remembered between runs)",
            self.action_toggle_animation,
        )
