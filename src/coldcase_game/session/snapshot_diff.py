"""What changed between a save and the current story: scenes, and the end state."""

from __future__ import annotations

from coldcase_game.engine import GameState
from coldcase_game.session.save_format import SaveData, Snapshot
from coldcase_game.story.model import Story

MAX_LINES = 6


def changed_scenes(data: SaveData, story: Story) -> tuple[str, ...]:
    """Scenes the saved game passed through whose digest changed (or that are gone) since the save."""
    if not data.scene_digests or not story.scene_digests or data.story_digest == story.digest:
        return ()
    # the visits add the scenes a `next` chain passed through (format 2), which the log never names
    path = dict.fromkeys(
        [scene for scene, _ in data.log]
        + [data.snapshot.scene]
        + [scene for scene, _ in data.snapshot.visits]
    )
    return tuple(
        scene
        for scene in path
        if scene in data.scene_digests and data.scene_digests[scene] != story.scene_digests.get(scene)
    )


def _once(taken: tuple[tuple[str, str], ...], story: Story) -> set[tuple[str, str]]:
    """The `once` choices among `taken`. The state also records (format 2) the choices some
    `chosen.<scene>.<choice>` reads: a story that starts reading one makes no difference to the
    game a save replays, so a save made before it does not differ for that."""
    out = set()
    for scene_id, choice_id in taken:
        scene = story.scenes.get(scene_id)
        choice = scene.choice(choice_id) if scene is not None else None
        if choice is None or choice.once:
            out.add((scene_id, choice_id))
    return out


def _names(items: object) -> str:
    return ", ".join(f"'{x}'" for x in sorted(items))  # type: ignore[call-overload]


def snapshot_differences(saved: Snapshot, state: GameState, story: Story) -> tuple[str, ...]:
    """One line per way the replayed state differs from the saved snapshot (at most MAX_LINES)."""
    now = Snapshot.of(state)
    lines: list[str] = []
    if now.scene != saved.scene:
        lines.append(f"the game is now in scene '{now.scene}'; the save was in '{saved.scene}'")
    old_trust, new_trust = dict(saved.trust), dict(now.trust)
    for cid in dict.fromkeys([*new_trust, *old_trust]):
        if old_trust.get(cid) != new_trust.get(cid):
            name = story.characters[cid].name if cid in story.characters else cid
            before = old_trust.get(cid, "none")
            after = new_trust.get(cid, "none")
            lines.append(f"trust of {name} is now {after}; the save had {before}")
    gained, lost = set(now.flags) - set(saved.flags), set(saved.flags) - set(now.flags)
    if gained:
        lines.append(f"flags now set that the save did not have: {_names(gained)}")
    if lost:
        lines.append(f"flags the save had that are no longer set: {_names(lost)}")
    if now.journal != saved.journal and not gained and not lost:
        lines.append("the journal lists its clues in a different order than the save")
    if _once(now.taken, story) != _once(saved.taken, story):
        lines.append("the one-time choices already taken differ from the save")
    if now.visits != saved.visits:
        lines.append("the scene visit counts differ from the save")
    old_vars, new_vars = dict(saved.vars), dict(now.vars)
    for vid in dict.fromkeys([*new_vars, *old_vars]):
        if old_vars.get(vid) != new_vars.get(vid):
            var = story.vars.get(vid)
            label = var.name if var is not None and var.name else vid
            before = old_vars.get(vid, "none")
            after = new_vars.get(vid, "none")
            lines.append(f"variable {label} is now {after}; the save had {before}")
    if len(lines) > MAX_LINES:
        lines[MAX_LINES - 1 :] = [f"and {len(lines) - MAX_LINES + 1} more differences"]
    return tuple(lines)
