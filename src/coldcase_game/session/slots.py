"""Slot names, and the files they map to in the save folder.

A slot name is the only part of a save's path a player chooses, so it is
checked before anything touches the disk: ASCII letters, digits, `-` and `_`,
at most 32 characters, never a Windows device name. Names are case-insensitive
(stored lower-case) so that `Berlin` and `berlin` are one slot on every system.
"""

from __future__ import annotations

import re
from pathlib import Path

from coldcase_game.session.errors import SaveError

AUTOSAVE = "autosave"
RESERVED = frozenset(
    {"progress", "settings"}
)  # the game's own files in the save folder (progress.json, settings.json)
MAX_SLOT = 32
SUFFIX = ".json"
BACKUP_SUFFIX = ".json.bak"

_SLOT = re.compile(r"[a-z0-9_-]{1,32}")
_DEVICES = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"com{i}" for i in range(10)]
    + [f"lpt{i}" for i in range(10)]
)


def shown_name(name: str) -> str:
    """The name as it may be quoted in a message: control characters made visible, cut short."""
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in name)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def validate_slot(name: str, *, allow_autosave: bool = True) -> str:
    """Return the normalised slot name, or raise SaveError saying what is wrong with it."""
    if not isinstance(name, str) or not name:
        raise SaveError("a save name cannot be empty: use letters, digits, '-' and '_'")
    if len(name) > MAX_SLOT:
        raise SaveError(
            f"save name '{shown_name(name)}' is {len(name)} characters long; the limit is {MAX_SLOT}"
        )
    lowered = name.lower()
    if not _SLOT.fullmatch(lowered):
        bad = next(ch for ch in lowered if not _SLOT.fullmatch(ch))
        raise SaveError(
            f"save name '{shown_name(name)}' contains '{shown_name(bad)}':"
            " use only letters a-z, digits, '-' and '_'"
        )
    if lowered in _DEVICES:
        raise SaveError(f"save name '{name}' is a reserved device name on Windows; pick another name")
    if lowered in RESERVED:
        raise SaveError(f"'{lowered}' is the name of one of the game's own files; pick another name")
    if lowered == AUTOSAVE and not allow_autosave:
        raise SaveError(f"'{AUTOSAVE}' is kept for automatic saves; pick another name")
    return lowered


def slot_file(folder: Path, slot: str) -> Path:
    return folder / (slot + SUFFIX)


def backup_file(folder: Path, slot: str) -> Path:
    return folder / (slot + BACKUP_SUFFIX)


def steps(count: int) -> str:
    """'1 step', '12 steps': how saves describe a game's length to the player."""
    return f"{count} step" if count == 1 else f"{count} steps"
