"""The Load screen: every save, newest first; load, replay, or delete (after confirmation).

Dismissed with the `LoadResult` to play, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar

from textual import getters, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from coldcase_game.session.saves import LoadResult, SaveError, SaveInfo
from coldcase_game.tui.widgets.footer import GameFooter
from coldcase_game.tui.widgets.sturdy_list import SturdyOptionList

if TYPE_CHECKING:
    from coldcase_game.tui.app import ColdCaseApp
    from coldcase_game.tui.screens.title import TitleScreen


def save_prompt(info: SaveInfo) -> Content:
    """Two lines: the slot (and label), then what the save holds or why it cannot be read."""
    name = "autosave" if info.is_autosave else info.slot
    first = Content.assemble((name, "bold"), (f"  {info.label}", "italic") if info.label else "")
    if info.problem is not None:
        second = Content.assemble(("  damaged: ", "bold"), info.problem)
    else:
        where = f"ended: {info.ending}" if info.ending is not None else f"step {info.steps}"
        when = info.updated_text()
        second = Content(f"  {info.story_title} · {where}" + (f" · {when}" if when else ""))
    return Content("\n").join([first, second])


def open_save(host: LoadScreen | TitleScreen, slot: str, then: Callable[[LoadResult | None], None]) -> None:
    """Load a save; on a divergence ask whether to go on from the last step that fits."""
    from coldcase_game.tui.screens.confirm import ConfirmDialog
    from coldcase_game.tui.screens.message import MessageDialog

    services = host.app.services
    try:
        result = services.store.load(slot, services.resolve)
    except SaveError as exc:
        host.app.push_screen(MessageDialog("This save cannot be loaded", [exc.message]))
        return
    if result.divergence is not None:
        question = f"Go on from step {result.session.steps}, the last one that fits?"
        # the story is the very one the save was made with: what changed is the save file itself
        title = (
            "The story has changed since this save"
            if result.story_changed
            else "This save does not fit its story"
        )
        dialog = ConfirmDialog(title, [*result.report(), "", question])
        host.app.push_screen(dialog, lambda yes: then(result if yes else None))
        return
    for line in result.report():  # the choices fit, but scenes changed since the save
        host.notify(line, markup=False, timeout=8)
    then(result)


class LoadScreen(Screen[LoadResult | None]):
    if TYPE_CHECKING:  # the screen runs in a ColdCaseApp: self.app.services is checked
        app = getters.app(ColdCaseApp)

    CSS_PATH = "load.tcss"
    AUTO_FOCUS = "#saves"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "replay", "Replay"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "dismiss(None)", "Back"),
        Binding("q", "dismiss(None)", "Back", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._saves: list[SaveInfo] = []

    def compose(self) -> ComposeResult:
        yield Header(icon="▣")
        yield SturdyOptionList(id="saves", markup=False)
        yield Static("Enter loads · r replays · d deletes · Esc goes back", classes="hint", id="load-hint")
        yield GameFooter()

    def on_mount(self) -> None:
        self.sub_title = "Load a saved game"
        self.query_one("#saves", OptionList).border_title = "Saved games"
        self.refresh_saves()

    def refresh_saves(self) -> None:
        try:
            self._saves = self.app.services.store.list()
        except SaveError as exc:
            self._saves = []
            self.notify(exc.message, severity="error", markup=False)
        saves = self.query_one("#saves", OptionList)
        saves.clear_options()
        if self._saves:
            saves.add_options(Option(save_prompt(info), id=info.slot) for info in self._saves)
            saves.highlighted = 0
        else:
            saves.add_option(Option(Content("No saved games yet."), disabled=True))

    def _selected(self) -> SaveInfo | None:
        saves = self.query_one("#saves", OptionList)
        if saves.highlighted is None or not self._saves:
            return None
        return self._saves[saves.highlighted]

    @on(OptionList.OptionSelected, "#saves")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_load()

    def action_load(self) -> None:
        info = self._selected()
        if info is not None:
            open_save(self, info.slot, self._loaded)

    def _loaded(self, result: LoadResult | None) -> None:
        if result is not None:
            self.dismiss(result)

    def action_replay(self) -> None:
        info = self._selected()
        if info is not None:
            open_save(self, info.slot, self._replay)

    def _replay(self, result: LoadResult | None) -> None:
        from coldcase_game.tui.screens.replay import ReplayData, ReplayScreen

        if result is not None:
            self.app.push_screen(ReplayScreen(ReplayData.from_session(result.session, result.report())))

    def action_delete(self) -> None:
        from coldcase_game.tui.screens.confirm import ConfirmDialog

        info = self._selected()
        if info is None:
            return
        name = "the autosave" if info.is_autosave else f"the save '{info.slot}'"
        dialog = ConfirmDialog(f"Delete {name}?", ["This cannot be undone."], yes="Delete", no="Keep")
        self.app.push_screen(dialog, lambda yes: self._delete(info) if yes else None)

    def _delete(self, info: SaveInfo) -> None:
        try:
            self.app.services.store.delete(info.slot)
        except SaveError as exc:
            self.notify(exc.message, severity="error", markup=False)
        else:
            self.notify(f"Deleted {info.slot}.", markup=False)
        self.refresh_saves()

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Load", "Play the highlighted save (enter)", self.action_load)
        yield SystemCommand("Replay", "Step through the highlighted save (r)", self.action_replay)
        yield SystemCommand(
            "Delete", "Delete the highlighted save, after confirmation (d)", self.action_delete
        )
        yield SystemCommand("Back", "Back to the title screen (escape)", lambda: self.dismiss(None))
