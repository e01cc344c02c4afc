"""Writing a command's output file (`-o FILE`): whole or not at all, with one clear line on failure."""

from __future__ import annotations

from pathlib import Path

from coldcase_game.cli.common import CliError


def write_output(path: Path, text: str, what: str) -> None:
    """Write `text` to `path` atomically. CliError (exit 1) when the folder is missing or not writable."""
    from coldcase_game.session.atomic import write_atomic
    from coldcase_game.session.errors import SaveError

    folder = path.parent
    if not folder.is_dir():
        raise CliError(f"cannot write {path}: there is no folder {folder}", 1)
    if path.is_dir():
        raise CliError(f"cannot write {path}: it is a folder", 1)
    try:
        write_atomic(path, text.encode("utf-8"), what=what)
    except SaveError as exc:
        raise CliError(exc.message, 1) from None
