"""Save slots: `SaveStore` saves, autosaves, lists, loads (through `replay`) and deletes.

The file format is in save_format.py and docs/saves.md; durable writes in
atomic.py; slot names in slots.py. Loading always rebuilds the game by
replaying the choice log against the current story with `session.game.replay`:
the saved snapshot is only compared with the result, never trusted as state.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from coldcase_game import __version__
from coldcase_game.session.atomic import clean_stale_temps, read_regular, reason, write_atomic
from coldcase_game.session.errors import SaveError
from coldcase_game.session.game import Divergence, LogEntry, Session, replay
from coldcase_game.session.progress import Progress
from coldcase_game.session.save_format import (
    MAX_FOLDER,
    MAX_LABEL,
    SaveData,
    SaveFormatError,
    Snapshot,
    decode,
    encode,
)
from coldcase_game.session.slots import (
    AUTOSAVE,
    BACKUP_SUFFIX,
    SUFFIX,
    backup_file,
    shown_name,
    slot_file,
    validate_slot,
)
from coldcase_game.session.snapshot_diff import changed_scenes, snapshot_differences
from coldcase_game.story.model import Story

__all__ = [
    "AUTOSAVE",
    "LoadResult",
    "SaveError",
    "SaveInfo",
    "SaveStore",
    "StorySource",
    "bundled_story_resolver",
    "validate_slot",
]

MAX_BYTES = 8 * 1024 * 1024
MAX_NAMED = 8  # changed scenes named in a report
MAX_PATH = 1024  # characters in the path of a save file given instead of a slot name
_CONTROL = "".join(map(chr, [*range(32), *range(127, 160)]))

StorySource = Story | Callable[[str], Story] | None


@dataclass(frozen=True)
class SaveInfo:
    """One save as listed: read from the file alone, without the story."""

    slot: str
    path: Path
    story_id: str = ""
    story_title: str = ""
    scene: str = ""
    steps: int = 0
    created: datetime | None = None
    updated: datetime | None = None
    label: str = ""
    ending: str | None = None
    problem: str | None = None  # why the file cannot be loaded; None when it reads cleanly
    story_folder: str = ""  # where the story was played from ("" for a bundled story)

    @property
    def is_autosave(self) -> bool:
        return self.slot == AUTOSAVE

    def updated_text(self) -> str:
        return self.updated.astimezone().strftime("%Y-%m-%d %H:%M") if self.updated else ""

    @classmethod
    def of(cls, slot: str, path: Path, data: SaveData) -> SaveInfo:
        return cls(
            slot=slot,
            path=path,
            story_id=data.story_id,
            story_title=data.story_title,
            scene=data.snapshot.scene,
            steps=len(data.log),
            created=data.created,
            updated=data.updated,
            label=data.label,
            ending=data.ending,
            story_folder=data.story_folder,
        )


@dataclass(frozen=True)
class LoadResult:
    session: Session  # replayed as far as the log fits
    divergence: Divergence | None
    info: SaveInfo
    changed: tuple[str, ...] = ()  # scenes on the game's path that changed or went since the save
    differences: tuple[str, ...] = ()  # how the replayed state differs from the saved snapshot
    story_changed: bool = True  # False when the story is the very one the save was made with

    @property
    def clean(self) -> bool:
        return self.divergence is None and not self.differences

    def report(self) -> list[str]:
        """Plain lines for the player: what no longer fits, and what changed."""
        lines: list[str] = []
        d = self.divergence
        if d is not None:
            if self.story_changed:
                lines.append(f"The story has changed since this save: {d}.")
            else:  # the same story: the file is what changed
                lines.append(
                    f"This save does not fit its story, which has not changed (was the file edited?): {d}."
                )
            fits = d.step - 1
            lines.append(
                f"The save fits up to step {fits} of {self.info.steps}; going on from there"
                f" drops the last {self.info.steps - fits} step{'s' if self.info.steps - fits != 1 else ''}."
            )
        elif self.differences and self.story_changed:
            lines.append("The choices still fit the story, but the game now ends differently:")
        elif self.differences:
            lines.append(
                "The choices fit the story, but not the end state the save records (was the file edited?):"
            )
        lines.extend(self.differences)
        if self.changed:
            shown = ", ".join(f"'{s}'" for s in self.changed[:MAX_NAMED])
            more = f" and {len(self.changed) - MAX_NAMED} more" if len(self.changed) > MAX_NAMED else ""
            lines.append(f"Scenes changed since the save: {shown}{more}.")
        return lines


def bundled_story_resolver(story_id: str) -> Story:
    """Load the bundled story with this id (never a folder of that name in the current directory)."""
    from coldcase_game.story.bundled import story_dirs
    from coldcase_game.story.diagnostics import StoryError
    from coldcase_game.story.loader import load_story

    path = next((p for p in story_dirs() if p.name == story_id), None)
    if path is None:
        raise SaveError(
            f"this save is for the story '{story_id}', which is not one of the bundled stories; "
            "give its folder with --story DIR"
        )
    try:
        return load_story(path)
    except StoryError as exc:
        raise SaveError(f"the story '{story_id}' of this save does not load: {exc}") from None


def story_folder_hint(story: Story) -> str:
    """The folder to remember in a save: absolute, and "" for a bundled story (found by its id)."""
    if not story.root:
        return ""
    from coldcase_game.story.bundled import story_dirs

    folder = Path(story.root).resolve()
    if any(folder == bundled.resolve() for bundled in story_dirs()):
        return ""
    return str(folder)


def _story_in_folder(folder: Path, story_id: str) -> tuple[Story | None, str]:
    """The story in the remembered folder if it is still there with the same id, else why not."""
    from coldcase_game.story.diagnostics import StoryError
    from coldcase_game.story.loader import load_story

    if folder.name != story_id or not (folder / "story.yaml").is_file():
        return None, f"{folder} no longer holds the story '{story_id}'"
    try:
        return load_story(folder), ""
    except StoryError as exc:
        count = len(exc.errors)
        return None, (
            f"the story in {folder} has {count} error{'s' if count != 1 else ''}; "
            f"run 'coldcase check {folder}'"
        )


def _story_for(data: SaveData, stories: StorySource, where: str) -> Story:
    """The story to replay a save against: the one given; else the resolver's (by default the
    bundled story with the save's id); else the one in the folder the save remembers, when that
    folder still holds a story with that id."""
    if isinstance(stories, Story):
        if stories.id != data.story_id:
            raise SaveError(f"{where} is a save of the story '{data.story_id}', not of '{stories.id}'")
        return stories
    try:
        story = (stories or bundled_story_resolver)(data.story_id)
    except SaveError:
        if not data.story_folder:
            raise
        hinted, why_not = _story_in_folder(Path(data.story_folder), data.story_id)
        if hinted is not None:
            return hinted
        raise SaveError(
            f"{where} is a save of the story '{data.story_id}', played from {data.story_folder}, "
            f"but {why_not}; give the story's folder with --story DIR"
        ) from None
    if story.id != data.story_id:
        raise SaveError(f"{where} is a save of the story '{data.story_id}', not of '{story.id}'")
    return story


def _clean_text(text: str, limit: int) -> str:
    return " ".join(text.translate({ord(c): " " for c in _CONTROL}).split())[:limit]


def _storable_folder(folder: str) -> str:
    """The hint as the save format accepts it; a path it cannot hold (too long, control
    characters, undecodable bytes) is not remembered, and the story is then found by its id."""
    if len(folder) > MAX_FOLDER or any(c in _CONTROL or "\ud800" <= c <= "\udfff" for c in folder):
        return ""
    return folder


class SaveStore:
    """The save folder: one JSON file per slot, `<slot>.json`, previous version in `<slot>.json.bak`."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)
        self.progress = Progress(self.folder)
        clean_stale_temps(self.folder)

    # --- writing ---------------------------------------------------------------------
    def save(self, slot: str, session: Session, label: str | None = None) -> SaveInfo:
        """Save `session` in `slot` (never 'autosave'). SaveError on a bad name or label, or I/O failure."""
        return self._write(validate_slot(slot, allow_autosave=False), session, label)

    def autosave(self, session: Session) -> SaveInfo:
        """Save into the autosave slot; record the ending if the game is over."""
        info = self._write(AUTOSAVE, session, None)
        if session.is_over and session.ending is not None:
            self.progress.record_ending(session.story.id, session.ending)
        return info

    def _write(self, slot: str, session: Session, label: str | None) -> SaveInfo:
        label = label or ""
        if len(label) > MAX_LABEL or any(c in _CONTROL or "\ud800" <= c <= "\udfff" for c in label):
            raise SaveError(
                f"a save label is at most {MAX_LABEL} characters of text, without control characters"
            )
        path = slot_file(self.folder, slot)
        story = session.story
        now = datetime.now(UTC).replace(microsecond=0)
        data = SaveData(
            app_version=__version__,
            story_id=story.id,
            story_title=_clean_text(story.title, 200),
            story_digest=story.digest,
            scene_digests=dict(story.scene_digests),
            created=self._created(path, story.id, session.log) or now,
            updated=now,
            label=label,
            log=session.log,
            snapshot=Snapshot.of(session.state),
            ending=None if session.ending is None else _clean_text(session.ending, 200),
            story_folder=_storable_folder(story_folder_hint(story)),
        )
        write_atomic(path, encode(data), backup=backup_file(self.folder, slot), what=f"the save '{slot}'")
        return SaveInfo.of(slot, path, data)

    def _created(self, path: Path, story_id: str, log: tuple[LogEntry, ...]) -> datetime | None:
        """Keep the creation time when overwriting the same game (one log extends the other)."""
        try:
            old = decode(read_regular(path, MAX_BYTES))
        except (SaveError, SaveFormatError):
            return None
        shorter = min(len(old.log), len(log))
        if old.story_id == story_id and old.log[:shorter] == log[:shorter]:
            return old.created
        return None

    def delete(self, slot: str) -> None:
        """Remove a slot and its backup (the UI asks for confirmation first)."""
        slot = validate_slot(slot)
        path = slot_file(self.folder, slot)
        if not path.is_file() or path.is_symlink():
            raise SaveError(f"there is no save named '{slot}'")
        try:
            path.unlink()
            backup_file(self.folder, slot).unlink(missing_ok=True)
        except OSError as exc:
            raise SaveError(f"could not delete the save '{slot}': {reason(exc)}") from None

    # --- reading ---------------------------------------------------------------------
    def _locate(self, slot_or_path: str) -> tuple[str, Path]:
        try:
            slot = validate_slot(slot_or_path)
        except SaveError:
            if (
                os.sep in slot_or_path
                or "/" in slot_or_path
                or slot_or_path.endswith((SUFFIX, BACKUP_SUFFIX))
            ):
                if len(slot_or_path) > MAX_PATH or not slot_or_path.isprintable():
                    # a zero byte would make the OS call raise; a control character or a page of
                    # text would end up raw, or whole, in the message
                    raise SaveError(
                        f"there is no save file '{shown_name(slot_or_path)}': a save's path is at most"
                        f" {MAX_PATH} characters, without control characters"
                    ) from None
                path = Path(slot_or_path)
                return path.name.removesuffix(BACKUP_SUFFIX).removesuffix(SUFFIX), path
            raise
        return slot, slot_file(self.folder, slot)

    def _read(self, path: Path) -> SaveData:
        try:
            return decode(read_regular(path, MAX_BYTES))
        except SaveFormatError as exc:
            message = f"{path} {exc}"
        backup = path.with_name(path.name + ".bak") if path.name.endswith(SUFFIX) else None
        if backup is not None and backup.is_file():
            try:
                decode(read_regular(backup, MAX_BYTES))
                message += f"; the previous version can still be loaded from {backup}"
            except (SaveError, SaveFormatError):
                pass
        raise SaveError(message)

    def exists(self, slot: str) -> bool:
        return slot_file(self.folder, validate_slot(slot)).exists()

    def info(self, slot: str) -> SaveInfo | None:
        """The slot's listing, None if it does not exist; a damaged file has `problem` set."""
        slot, path = self._locate(slot)
        if not os.path.lexists(path):
            return None
        try:
            return SaveInfo.of(slot, path, self._read(path))
        except SaveError as exc:
            return SaveInfo(slot=slot, path=path, problem=exc.message)

    def list(self) -> list[SaveInfo]:
        """Every slot in the folder, newest first (damaged ones last, with `problem` set)."""
        try:
            names = sorted(e.name for e in os.scandir(self.folder) if e.name.endswith(SUFFIX))
        except OSError:
            return []
        infos = []
        for name in names:
            stem = name[: -len(SUFFIX)]
            try:
                if validate_slot(stem) != stem:
                    continue
            except SaveError:
                continue
            info = self.info(stem)
            if info is not None:
                infos.append(info)

        def stamp(i: SaveInfo) -> float:
            return i.updated.timestamp() if i.updated else float("-inf")

        return sorted(infos, key=lambda i: (i.problem is not None, -stamp(i), i.slot))

    def suggest_slot(self, session: Session) -> str:
        base = session.story.id.replace("_", "-")[:28].rstrip("-") or "save"
        n = 1
        while slot_file(self.folder, f"{base}-{n}").exists():
            n += 1
        return f"{base}-{n}"

    def load(self, slot_or_path: str, stories: StorySource = None) -> LoadResult:
        """Read, check and replay a save. SaveError (one line) for anything that stops it."""
        slot, path = self._locate(slot_or_path)
        if path == slot_file(self.folder, slot) and not os.path.lexists(path):
            raise SaveError(f"there is no save named '{slot}' in {self.folder}")
        data = self._read(path)
        story = _story_for(data, stories, str(path))
        session, divergence = replay(story, data.log)
        return LoadResult(
            session=session,
            divergence=divergence,
            info=SaveInfo.of(slot, path, data),
            changed=changed_scenes(data, story),
            differences=() if divergence else snapshot_differences(data.snapshot, session.state, story),
            story_changed=data.story_digest != story.digest,
        )
