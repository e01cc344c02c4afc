"""Whole-story warnings: scenes unreachable from `start`, flags set but never read or read but never set."""

from __future__ import annotations

from collections import deque

from coldcase_game.story.diagnostics import Collector
from coldcase_game.story.model import Pos, Story


def reachable_scenes(story: Story) -> set[str]:
    """Scenes reachable from `start` in the scene graph (conditions ignored)."""
    seen = {story.start}
    queue = deque([story.start])
    while queue:
        scene = story.scenes[queue.popleft()]
        for choice in scene.choices:
            if choice.goto not in seen:
                seen.add(choice.goto)
                queue.append(choice.goto)
    return seen


def graph_warnings(story: Story, uses: dict[str, list[tuple[str, Pos]]], out: Collector) -> None:
    reachable = reachable_scenes(story)
    for scene in story.scenes.values():
        if scene.id not in reachable:
            p = scene.pos
            out.warning(
                p.file,
                p.line,
                p.col,
                "W101",
                f"scene '{scene.id}' is unreachable from start scene '{story.start}'",
            )

    first_set: dict[str, Pos] = {}
    for name, pos in uses["set"]:
        first_set.setdefault(name, pos)
    first_read: dict[str, Pos] = {}
    for name, pos in uses["read"]:
        first_read.setdefault(name, pos)
    for flag in story.flags.values():
        if flag.id in first_set and flag.id not in first_read:
            if flag.is_clue:
                continue  # a clue is read by the player in the journal: setting it is the point
            p = first_set[flag.id]
            out.warning(p.file, p.line, p.col, "W102", f"flag '{flag.id}' is set but never read by any 'if'")
        elif flag.id in first_read and flag.id not in first_set:
            p = first_read[flag.id]
            out.warning(
                p.file,
                p.line,
                p.col,
                "W103",
                f"flag '{flag.id}' is read but never set, so it is always false",
            )
        elif flag.id not in first_read and flag.id not in first_set:
            p = flag.pos
            out.warning(p.file, p.line, p.col, "W104", f"flag '{flag.id}' is declared but never set or read")
