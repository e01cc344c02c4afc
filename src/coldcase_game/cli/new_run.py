"""How `coldcase new` runs: the files are written into a temporary folder, then moved into place,
so a failure never leaves half a story behind."""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from coldcase_game.cli.common import CliError, fail
from coldcase_game.story.bundled import story_dirs
from coldcase_game.story.loader import IDENT, MANIFEST, _scene_files, _story_id
from coldcase_game.story.schema import SCHEMA_FILE
from coldcase_game.story.starter import SCHEMA_NAME, starter_files, with_modeline

PROG = "coldcase new"


def _files_from(source: str) -> tuple[str, dict[str, str]]:
    """(story id, relative path -> text) of a bundled story, each YAML file with the schema line."""
    bundled = {p.name: p for p in story_dirs()}
    root = bundled.get(source)
    if root is None:
        names = ", ".join(sorted(bundled)) or "none"
        raise CliError(f"--from: no bundled story '{source}' (the bundled stories are {names})", 2)
    files = {}
    for path in [root / MANIFEST, *_scene_files(root)]:
        relative = path.relative_to(root).as_posix()
        files[relative] = with_modeline(path.read_text(encoding="utf-8"))
    return root.name, files


def _target(name: str | None, default: str | None) -> Path:
    if not name:
        if default is None:
            raise CliError("give the name of the story folder to create, e.g. 'coldcase new my_case'", 2)
        name = default
    target = Path(name)
    story_id = target.resolve().name
    if not IDENT.match(story_id):
        raise CliError(
            f"'{story_id}' is not a story id: use lowercase letters, digits and _, starting with a letter "
            f"(e.g. '{_story_id(target)}')",
            2,
        )
    if target.exists() or target.is_symlink():
        raise CliError(f"{target} already exists: choose another name, or remove it first", 1)
    return target


def run(args: argparse.Namespace) -> int:
    try:
        if args.source:
            source_id, files = _files_from(args.source)
            target = _target(args.name, source_id)
        else:
            target = _target(args.name, None)
            files = starter_files(target.resolve().name)
        _write(target, files)
    except CliError as exc:
        return fail(PROG, exc)
    shown = str(target)
    what = f"a copy of the bundled story '{args.source}'" if args.source else "a new story"
    print(f"Created {shown}/, {what}:")
    for relative in [*files, SCHEMA_NAME]:
        print(f"  {shown}/{relative}")
    print()
    print("Next:")
    steps = [
        (f"coldcase check {shown}", "every problem, located"),
        (f"coldcase explore {shown}", "proves every ending reachable"),
        (f"coldcase play --watch {shown}", "play it; each save in the editor reloads it"),
    ]
    width = max(len(command) for command, _ in steps)
    for command, why in steps:
        print(f"  {command.ljust(width)}   # {why}")
    return 0


def _write(target: Path, files: dict[str, str]) -> None:
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))
    except OSError as exc:
        raise CliError(f"cannot create {target}: {exc.strerror or exc}", 1) from None
    try:
        for relative, text in files.items():
            path = temp / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        shutil.copyfile(SCHEMA_FILE, temp / SCHEMA_NAME)
        temp.chmod(0o755)
        os.rename(temp, target)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        raise CliError(f"cannot create {target}: {exc.strerror or exc}", 1) from None
