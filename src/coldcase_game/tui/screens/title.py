"""The title screen: the bundled cases with endings found so far, Continue, Load and Quit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import getters, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from coldcase_game.session import Session
from coldcase_game.session.saves import AUTOSAVE, LoadResult, SaveError, SaveInfo
from coldcase_game.story.bundled import StoryInfo
from coldcase_game.story.diagnostics import StoryError
from coldcase_game.tui.widgets.footer import GameFooter
from coldcase_game.tui.widgets.sturdy_list import SturdyOptionList

if TYPE_CHECKING:
    from coldcase_game.tui.app import ColdCaseApp

LOGO = "█▀▀ █▀█ █   █▀▄   █▀▀ ▄▀█ █▀ █▀▀\n█▄▄ █▄█ █▄▄ █▄▀   █▄▄ █▀█ ▄█ ██▄"
TAGLINE = "COLD CASE · interactive fiction about former spies"


UNFOUND = "???"


@dataclass(frozen=True)
class CaseEntry:
    info: StoryInfo
    found_titles: frozenset[str]  # from the progress file
    endings: tuple[str, ...] | None  # every ending's title in story order; None until the story is read

    @property
    def found(self) -> int:
        if self.endings is None:
            return len(self.found_titles)
        return sum(title in self.found_titles for title in self.endings)

    @property
    def total(self) -> int | None:
        return None if self.endings is None else len(self.endings)


def ending_gallery(entry: CaseEntry) -> Content:
    """The case's endings in story order: the title of each one found, ??? for the rest."""
    if not entry.endings:
        return Content("")
    parts = [
        Content.assemble(("✓ ", "bold"), title) if title in entry.found_titles else Content(UNFOUND)
        for title in entry.endings
    ]
    return Content(" · ").join(parts)


def case_prompt(entry: CaseEntry) -> Content:
    """Title, summary, how many endings were found, and the gallery of them (titles come from
    story files and the progress file: plain text only)."""
    total = "?" if entry.total is None else str(entry.total)
    lines = [
        Content(entry.info.title).stylize("bold"),
        Content(entry.info.summary or "No summary.").stylize("italic"),
        Content.assemble(("Endings found: ", "bold"), f"{entry.found} of {total}"),
    ]
    gallery = ending_gallery(entry)
    if gallery:
        lines.append(gallery)
    return Content("\n").join(lines)


def can_continue(info: SaveInfo | None) -> bool:
    return info is not None and info.problem is None and info.ending is None


def continue_note(info: SaveInfo | None) -> Content:
    """What Continue would open (the story title comes from a file: plain text only)."""
    if info is None or not can_continue(info):
        return Content("")
    when = info.updated_text()
    return Content(f"Continue: {info.story_title}, step {info.steps}" + (f" ({when})" if when else ""))


class TitleScreen(Screen[None]):
    if TYPE_CHECKING:  # the screen runs in a ColdCaseApp: self.app.services is checked
        app = getters.app(ColdCaseApp)

    CSS_PATH = "title.tcss"
    AUTO_FOCUS = "#cases"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "continue_game", "Continue"),
        Binding("l", "load", "Load"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._infos: list[StoryInfo] = []
        self._endings: dict[str, tuple[str, ...]] = {}
        self._autosave: SaveInfo | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="title-top"):
            yield Static(LOGO, id="logo", markup=False)
            yield Static(TAGLINE, id="tagline", markup=False)
        with Center(id="cases-row"):
            yield SturdyOptionList(id="cases", markup=False)
        with Center(id="title-buttons-row"), Horizontal(id="title-buttons"):
            yield Button("Continue", id="continue", variant="primary")
            yield Button("Load", id="load")
            yield Button("Quit", id="quit", variant="error")
        yield Static(id="continue-note", markup=False)
        yield GameFooter()

    def on_mount(self) -> None:
        self.query_one("#cases", OptionList).border_title = "Choose a case"
        self._infos = list(self.app.services.catalog())
        self.refresh_entries()
        self._count_endings()

    def on_screen_resume(self) -> None:
        self.refresh_entries()

    # --- contents ------------------------------------------------------------------------
    def entries(self) -> list[CaseEntry]:
        progress = self.app.services.store.progress
        return [
            CaseEntry(info, frozenset(progress.endings_found(info.id)), self._endings.get(info.id))
            for info in self._infos
        ]

    def refresh_entries(self) -> None:
        cases = self.query_one("#cases", OptionList)
        highlighted = cases.highlighted
        cases.clear_options()
        entries = self.entries()
        if entries:
            for n, entry in enumerate(entries):
                if n:
                    cases.add_option(None)  # a divider line between cases
                cases.add_option(Option(case_prompt(entry), id=entry.info.id))
            cases.highlighted = min(highlighted or 0, len(entries) - 1)
        else:
            cases.add_option(Option(Content("No cases are installed."), disabled=True))
        store = self.app.services.store
        try:
            self._autosave = store.info(AUTOSAVE)
        except SaveError:
            self._autosave = None
        self.query_one("#continue", Button).disabled = not can_continue(self._autosave)
        self.query_one("#continue-note", Static).update(continue_note(self._autosave))

    @work(thread=True, exclusive=True, group="count-endings")
    def _count_endings(self) -> None:
        """Read each story (off the UI thread) to know its endings."""
        services = self.app.services
        endings: dict[str, tuple[str, ...]] = {}
        for info in self._infos:
            try:
                story = services.load(info.path)
            except (StoryError, OSError):
                continue
            endings[info.id] = tuple(dict.fromkeys(s.ending for s in story.endings if s.ending is not None))
        self.app.call_from_thread(self._set_endings, endings)

    def _set_endings(self, endings: dict[str, tuple[str, ...]]) -> None:
        self._endings = endings
        self.refresh_entries()

    # --- starting a game -----------------------------------------------------------------
    @on(OptionList.OptionSelected, "#cases")
    def _case_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.play_case(event.option.id)

    def play_case(self, story_id: str | None) -> None:
        info = next((i for i in self._infos if i.id == story_id), None)
        if info is None:
            return
        try:
            story = self.app.services.load(info.path)
        except (StoryError, OSError) as exc:
            from coldcase_game.tui.screens.message import MessageDialog

            lines = [str(d) for d in exc.errors] if isinstance(exc, StoryError) else [str(exc)]
            self.app.push_screen(MessageDialog(f"The case '{info.title}' cannot be opened", lines))
            return
        self.start(Session(story))

    def start(self, session: Session) -> None:
        from coldcase_game.tui.screens.play import PlayScreen

        self.app.push_screen(PlayScreen(session))

    def start_loaded(self, result: LoadResult | None) -> None:
        if result is not None:
            self.start(result.session)

    @on(Button.Pressed, "#continue")
    def _continue_pressed(self) -> None:
        self.action_continue_game()

    def action_continue_game(self) -> None:
        if not can_continue(self._autosave):
            self.notify("There is no game to continue yet.", markup=False)
            return
        from coldcase_game.tui.screens.load import open_save

        open_save(self, AUTOSAVE, self.start_loaded)

    @on(Button.Pressed, "#load")
    def _load_pressed(self) -> None:
        self.action_load()

    def action_load(self) -> None:
        from coldcase_game.tui.screens.load import LoadScreen

        self.app.push_screen(LoadScreen(), self.start_loaded)

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.exit(0)

    def action_help(self) -> None:
        from coldcase_game.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen())

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Continue", "Go on with the autosaved game (c)", self.action_continue_game)
        yield SystemCommand("Load", "Choose a saved game (l)", self.action_load)
        yield SystemCommand("Help", "Keys and how to play (?)", self.action_help)
        for info in self._infos:
            yield SystemCommand(
                f"Play: {info.title}", info.summary or "Start this case", self._starter(info.id)
            )

    def _starter(self, story_id: str) -> Callable[[], None]:
        return lambda: self.play_case(story_id)
