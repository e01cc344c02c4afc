"""Player settings kept between runs: the colour theme and the typewriter animation.

Stored as ``settings.json`` in the save folder. Reading never fails: a missing,
unreadable or malformed file (or a field of the wrong type) gives the default
for that field; the JSON is read with the save files' guarded parser, so a
hand-edited file nested 50,000 deep is refused, not a crash. Writing uses the
save files' atomic, durable write, so a crash never leaves half a file.

No Textual import here: the TUI passes theme names through as plain strings.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from coldcase_game.session.atomic import write_atomic
from coldcase_game.session.errors import SaveError
from coldcase_game.session.safe_json import parse_json

SETTINGS_FILE = "settings.json"
DEFAULT_THEME = "textual-dark"
_MAX_BYTES = 64 * 1024


@dataclass(frozen=True)
class Settings:
    theme: str = DEFAULT_THEME
    animation: bool = True

    def with_theme(self, theme: str) -> Settings:
        return replace(self, theme=theme)

    def with_animation(self, animation: bool) -> Settings:
        return replace(self, animation=animation)


def settings_path(saves_dir: str | os.PathLike[str]) -> Path:
    return Path(saves_dir) / SETTINGS_FILE


def load_settings(saves_dir: str | os.PathLike[str]) -> Settings:
    """The settings in `saves_dir`, or defaults for whatever is missing or invalid."""
    path = settings_path(saves_dir)
    try:
        with path.open("rb") as fh:
            raw = fh.read(_MAX_BYTES + 1)
        if len(raw) > _MAX_BYTES:
            return Settings()
        data = parse_json(raw)
    except (OSError, UnicodeDecodeError, ValueError, SaveError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    defaults = Settings()
    theme = data.get("theme")
    animation = data.get("animation")
    return Settings(
        theme=theme if isinstance(theme, str) and 0 < len(theme) <= 100 else defaults.theme,
        animation=animation if isinstance(animation, bool) else defaults.animation,
    )


def save_settings(settings: Settings, saves_dir: str | os.PathLike[str]) -> Path:
    """Write `settings` to the save folder atomically (creating the folder). Returns the path.

    Raises SaveError (one line) when it cannot be written; the old file is then unchanged."""
    path = settings_path(saves_dir)
    payload = json.dumps(asdict(settings), indent=2, sort_keys=True) + "\n"
    write_atomic(path, payload.encode("utf-8"), what="the settings")
    return path
