"""Where the save folder is: `--saves DIR`, else `$COLDCASE_SAVES`, else the user's data folder.

The default is the per-user data directory that `platformdirs` knows for each system
(`$XDG_DATA_HOME/coldcase`, i.e. `~/.local/share/coldcase`, on Linux;
`~/Library/Application Support/coldcase` on macOS; `%LOCALAPPDATA%\\coldcase` on
Windows), so `coldcase` started from any folder finds the same Continue, saves and
progress. Nothing is created here: the folder is made on the first write.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

APP_NAME = "coldcase"
ENV = "COLDCASE_SAVES"

Origin = Literal["option", "environment", "default"]


@dataclass(frozen=True)
class SaveFolder:
    path: Path
    origin: Origin  # which of the three settings chose it

    def describe(self) -> str:
        """How the folder was chosen, for `coldcase saves`."""
        if self.origin == "option":
            return "given with --saves"
        if self.origin == "environment":
            return f"set by ${ENV}"
        return f"this user's data folder; --saves DIR or ${ENV}=DIR uses another"


def default_saves_dir() -> Path:
    """The user's data folder for Cold Case (it follows $XDG_DATA_HOME and $HOME on Linux)."""
    from platformdirs import user_data_path  # small, but only needed when no folder is given

    return user_data_path(APP_NAME, appauthor=False)


def save_folder(option: str | os.PathLike[str] | None = None) -> SaveFolder:
    """The save folder in effect, and which setting chose it."""
    if option:
        return SaveFolder(Path(option), "option")
    env = os.environ.get(ENV)
    if env:
        return SaveFolder(Path(env), "environment")
    return SaveFolder(default_saves_dir(), "default")


def saves_dir(option: str | os.PathLike[str] | None = None) -> Path:
    return save_folder(option).path
