"""How `coldcase saves` runs: the table of saved games."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table
from rich.text import Text

from coldcase_game.session.errors import SaveError
from coldcase_game.session.location import save_folder
from coldcase_game.session.saves import SaveInfo, SaveStore, bundled_story_resolver
from coldcase_game.story.model import Story


def _scene_name(info: SaveInfo, stories: dict[str, Story | None]) -> str:
    """The scene's title when the save's story is bundled and still has that scene, else its id."""
    if info.ending:
        return f"ending: {info.ending}"
    if info.story_id not in stories:
        try:
            stories[info.story_id] = bundled_story_resolver(info.story_id)
        except SaveError:
            stories[info.story_id] = None
    story = stories[info.story_id]
    scene = story.scenes.get(info.scene) if story else None
    return scene.title if scene and scene.title else info.scene


def run(args: argparse.Namespace) -> int:
    where = save_folder(args.saves)
    store = SaveStore(where.path)
    infos = store.list()
    console = Console(highlight=False, emoji=False)
    if not infos:
        console.print(Text(f"No saves in {store.folder} ({where.describe()})."), soft_wrap=True)
        return 0
    console.print(Text(f"Saves in {store.folder}"), soft_wrap=True)  # a path is never broken mid-way
    table = Table()
    for column, justify in (
        ("Slot", "left"),
        ("Story", "left"),
        ("Scene", "left"),
        ("Steps", "right"),
        ("Saved", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    stories: dict[str, Story | None] = {}
    for info in infos:
        slot = info.slot + (f" ({info.label})" if info.label else "")
        if info.problem:
            table.add_row(
                Text(slot),
                Text("?"),
                Text(f"cannot be loaded: {info.problem}", style="red"),
                Text(""),
                Text(""),
            )
            continue
        table.add_row(
            Text(slot),
            Text(info.story_title),
            Text(_scene_name(info, stories)),
            Text(str(info.steps)),
            Text(info.updated_text()),
        )
    console.print(table)
    console.print(Text(f"The save folder is {where.describe()}."))
    return 0
