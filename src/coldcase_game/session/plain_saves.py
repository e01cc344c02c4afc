"""Save commands for plain mode (`:save NAME`, `:load NAME`, `:saves`, autosave).

Every method returns text for plain.py to print; nothing here raises. A refused
or broken save is one line and the game goes on.
"""

from __future__ import annotations

import os
from pathlib import Path

from coldcase_game.session.errors import SaveError
from coldcase_game.session.game import Session
from coldcase_game.session.saves import SaveInfo, SaveStore
from coldcase_game.session.slots import steps
from coldcase_game.story.model import Story

ANYWAY = "anyway"


def describe(info: SaveInfo) -> str:
    """One line for a save in a listing."""
    if info.problem:
        return f"{info.slot}: cannot be loaded: {info.problem}"
    where = f"ending '{info.ending}'" if info.ending else f"scene '{info.scene}'"
    label = f' "{info.label}"' if info.label else ""
    return (
        f"{info.slot}{label}: {info.story_title} ({info.story_id}), {where}, "
        f"{steps(info.steps)}, {info.updated_text()}"
    )


class PlainSaves:
    def __init__(self, folder: str | os.PathLike[str] | SaveStore, story: Story) -> None:
        self.store = folder if isinstance(folder, SaveStore) else SaveStore(Path(folder))
        self.story = story
        self._autosave_failing = False

    def save(self, slot: str, session: Session) -> str:
        if not slot:
            return f"Give the save a name, for example :save {self.store.suggest_slot(session)}"
        try:
            info = self.store.save(slot, session)
        except SaveError as exc:
            return f"Not saved: {exc.message}"
        return f"Saved as '{info.slot}' ({steps(info.steps)})."

    def load(self, arg: str, story: Story | None = None) -> tuple[str, Session | None]:
        """`:load NAME`, or `:load NAME anyway` to go on from the last step that fits a changed story."""
        slot, _, rest = arg.partition(" ")
        anyway = rest.strip().lower() == ANYWAY
        if not slot:
            return "Give the name of a save, for example :load autosave (:saves lists them).", None
        try:
            result = self.store.load(slot, story or self.story)
        except SaveError as exc:
            return f"Not loaded: {exc.message}", None
        lines = result.report()
        if result.divergence is not None and not anyway:
            lines.append(f"To go on from step {result.divergence.step - 1}, type :load {slot} {ANYWAY}")
            return "\n".join(lines), None
        lines.append(f"Loaded '{result.info.slot}' ({steps(result.session.steps)}).")
        return "\n".join(lines), result.session

    def listing(self) -> list[str]:
        infos = self.store.list()
        if not infos:
            return [f"No saves yet in {self.store.folder}."]
        return [describe(info) for info in infos]

    def autosave(self, session: Session) -> str | None:
        """Autosave after a choice; a warning line only on the first failure in a row."""
        try:
            self.store.autosave(session)
        except SaveError as exc:
            if self._autosave_failing:
                return None
            self._autosave_failing = True
            return f"Autosave failed: {exc.message}"
        self._autosave_failing = False
        return None
