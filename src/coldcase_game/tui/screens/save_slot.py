"""The `s` dialog: name a slot and save the game in it (asking before replacing a save)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from coldcase_game.session import Session
from coldcase_game.session.saves import SaveError, validate_slot

if TYPE_CHECKING:
    from coldcase_game.tui.app import ColdCaseApp


class SaveSlotDialog(ModalScreen[str | None]):
    """Dismissed with the slot saved to, or None when cancelled."""

    if TYPE_CHECKING:  # the screen runs in a ColdCaseApp: self.app.services is checked
        app = getters.app(ColdCaseApp)

    CSS_PATH = "save_slot.tcss"
    AUTO_FOCUS = "#slot"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        store = self.app.services.store
        try:
            suggestion = store.suggest_slot(self.session)
        except SaveError:
            suggestion = ""
        with Vertical(classes="dialog", id="save-dialog"):
            yield Static("Save the game", classes="dialog-title", markup=False)
            yield Static("Name of the save slot (letters, digits, - and _):", markup=False)
            yield Input(value=suggestion, id="slot", placeholder="slot name")
            yield Static("", id="save-problem", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", id="save", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted, "#slot")
    @on(Button.Pressed, "#save")
    def _submit(self) -> None:
        from coldcase_game.tui.screens.confirm import ConfirmDialog

        name = self.query_one("#slot", Input).value.strip()
        try:
            slot = validate_slot(name)
        except SaveError as exc:
            self._problem(exc.message)
            return
        store = self.app.services.store
        if store.exists(slot):
            dialog = ConfirmDialog(f"Replace the save '{slot}'?", yes="Replace", no="Keep it")
            self.app.push_screen(dialog, lambda yes: self._save(slot) if yes else None)
        else:
            self._save(slot)

    def _save(self, slot: str) -> None:
        try:
            info = self.app.services.store.save(slot, self.session)
        except SaveError as exc:
            self._problem(exc.message)
            return
        self.notify(f"Saved as '{info.slot}'.", markup=False)
        self.dismiss(info.slot)

    def _problem(self, message: str) -> None:
        self.query_one("#save-problem", Static).update(message)
        self.query_one("#slot", Input).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
