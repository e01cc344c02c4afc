"""The stories that ship inside the package, and resolving a story argument."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class StoryInfo:
    id: str
    title: str
    summary: str
    path: Path


def bundled_root() -> Path:
    """`coldcase_game/scenes` in an installed wheel; the repository's `scenes/` in a source checkout."""
    inside = _PACKAGE / "scenes"
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / "scenes"


def story_dirs(root: Path | None = None) -> list[Path]:
    root = root or bundled_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if (p / "story.yaml").is_file())


# The three cases first, in the anthology's order; any other story after them by id.
ORDER = ("clarke", "persson", "askarov")

# Bundled examples for authors to read and copy, not cases to play from the title screen. They are
# bundled stories all the same: `coldcase check` (with no story) checks them, and
# `coldcase play ink_style` or `coldcase new --from ink_style` finds them by id.
EXAMPLES = frozenset({"ink_style"})


def bundled_stories() -> list[StoryInfo]:
    """Title and summary of every bundled story the title screen lists (the examples left out),
    read from the manifests alone."""
    infos = [_info(p) for p in story_dirs() if p.name not in EXAMPLES]
    rank = {sid: i for i, sid in enumerate(ORDER)}
    return sorted(infos, key=lambda i: (rank.get(i.id, len(ORDER)), i.id))


def _info(path: Path) -> StoryInfo:
    cached = _cached_info(path)
    if cached is not None:
        return cached
    from coldcase_game.story import yamlsafe
    from coldcase_game.story.diagnostics import Collector

    title, summary = path.name, ""
    out = Collector()
    try:
        text = yamlsafe.decode((path / "story.yaml").read_bytes(), str(path), out)
        node = yamlsafe.parse(text, str(path), out) if text is not None else None
    except OSError:
        node = None
    if isinstance(node, yamlsafe.YMap):
        t = node.items.get("title")
        s = node.items.get("summary")
        if t and isinstance(t[1], yamlsafe.YScalar):
            title = yamlsafe.clean_text(t[1].value).strip() or title
        if s and isinstance(s[1], yamlsafe.YScalar):
            summary = " ".join(yamlsafe.clean_text(s[1].value).split())
    return StoryInfo(path.name, title, summary, path)


def _cached_info(path: Path) -> StoryInfo | None:
    """Title and summary from the compile cache, when it holds this story as its files are now
    (the title screen then reads no YAML)."""
    from coldcase_game.story import disk_cache
    from coldcase_game.story.loader import MANIFEST, scene_files

    meta = disk_cache.story_meta(path, [path / MANIFEST, *scene_files(path)])
    if meta is None:
        return None
    title, summary = meta
    return StoryInfo(path.name, title or path.name, summary, path)


def resolve_story(arg: str) -> Path:
    """A bundled story id, or a path to a story folder (or its story.yaml)."""
    candidate = Path(arg)
    if candidate.exists():
        return candidate
    for path in story_dirs():
        if path.name == arg:
            return path
    raise FileNotFoundError(arg)
