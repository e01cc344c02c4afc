"""Fault injection: the disk fails at write, fsync, link or replace. The previous save stays intact."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.saves.conftest import TO_VAULT, play

from coldcase_game.session.plain_saves import PlainSaves
from coldcase_game.session.saves import SaveError, SaveStore
from coldcase_game.story.model import Story


def failing(
    real: Callable[..., object], code: int, when: Callable[..., bool] = lambda *a: True
) -> Callable[..., object]:
    """`real`, except that calls matching `when` raise OSError(code)."""

    def fake(*args: Any, **kwargs: Any) -> object:
        if when(*args):
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return fake


@pytest.fixture
def before(store: SaveStore, vault: Story) -> bytes:
    store.save("game", play(vault, TO_VAULT[:2]))
    store.save("game", play(vault, TO_VAULT[:3]))  # now there is a backup too
    return (store.folder / "game.json").read_bytes()


def leftovers(store: SaveStore) -> list[str]:
    return sorted(p.name for p in store.folder.iterdir() if p.name.endswith(".tmp"))


def is_slot(name: str) -> Callable[..., bool]:
    return lambda src, dst, *rest: Path(dst).name == name


@pytest.mark.parametrize(
    ("call", "code", "when", "reason"),
    [
        ("write", errno.ENOSPC, None, "the disk is full"),
        ("write", errno.EIO, None, "an input/output error (the disk may be failing)"),
        ("fsync", errno.ENOSPC, None, "the disk is full"),
        ("fsync", errno.EIO, None, "an input/output error (the disk may be failing)"),
        ("replace", errno.EIO, is_slot("game.json"), "an input/output error (the disk may be failing)"),
        ("replace", errno.ENOSPC, is_slot("game.json.bak"), "the disk is full"),
        ("link", errno.EIO, None, "an input/output error (the disk may be failing)"),
        ("open", errno.EROFS, None, "the disk is read-only"),
    ],
    ids=[
        "write-ENOSPC",
        "write-EIO",
        "fsync-ENOSPC",
        "fsync-EIO",
        "replace-EIO",
        "backup-replace-ENOSPC",
        "link-EIO",
        "open-EROFS",
    ],
)
def test_a_failing_disk_leaves_the_previous_save(
    store: SaveStore,
    vault: Story,
    before: bytes,
    monkeypatch: pytest.MonkeyPatch,
    call: str,
    code: int,
    when: Callable[..., bool] | None,
    reason: str,
) -> None:
    if call == "open":
        when = lambda path, flags, *rest: bool(flags & os.O_CREAT)  # noqa: E731
    monkeypatch.setattr(os, call, failing(getattr(os, call), code, when or (lambda *a: True)))
    with pytest.raises(SaveError) as caught:
        store.save("game", play(vault, TO_VAULT))
    monkeypatch.undo()
    path = store.folder / "game.json"
    assert caught.value.message == (
        f"could not write the save 'game' to {path}: {reason}; the previous version is unchanged"
    )
    assert path.read_bytes() == before
    assert store.load("game", vault).session.steps == 3
    assert leftovers(store) == []


def test_a_failing_folder_fsync_says_the_save_may_not_be_durable(
    store: SaveStore, vault: Story, before: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = os.fsync
    calls: list[int] = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the first is the file, the second the folder
            raise OSError(errno.EIO, "I/O error")
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(SaveError) as caught:
        store.save("game", play(vault, TO_VAULT))
    monkeypatch.undo()
    path = store.folder / "game.json"
    assert caught.value.message == (
        f"the save 'game' was written to {path} but may not survive a power cut:"
        " an input/output error (the disk may be failing)"
    )
    assert store.load("game", vault).session.steps == 4  # the new version is in place and whole


def test_without_hard_links_the_backup_is_copied(
    store: SaveStore, vault: Story, before: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "link", failing(os.link, errno.EPERM))
    store.save("game", play(vault, TO_VAULT))
    assert (store.folder / "game.json.bak").read_bytes() == before
    assert store.load("game", vault).session.steps == 4
    assert leftovers(store) == []


def test_a_save_folder_that_is_a_file(tmp_path: Path, vault: Story) -> None:
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    store = SaveStore(tmp_path / "file" / "saves")
    with pytest.raises(SaveError) as caught:
        store.save("game", play(vault, ["hall"]))
    assert caught.value.message == (
        f"could not create the save folder {tmp_path / 'file' / 'saves'}: part of the path is not a folder"
    )


def test_plain_mode_reports_a_failing_autosave_once(
    store: SaveStore, vault: Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    saves = PlainSaves(store, vault)
    session = play(vault, ["hall"])
    monkeypatch.setattr(os, "write", failing(os.write, errno.ENOSPC))
    first = saves.autosave(session)
    assert first is not None
    assert first.startswith("Autosave failed: could not write the save 'autosave'")
    assert "the disk is full" in first
    assert saves.autosave(session) is None  # not repeated after every choice
    monkeypatch.undo()
    assert saves.autosave(session) is None
    assert store.load("autosave", vault).session.steps == 1
    monkeypatch.setattr(os, "write", failing(os.write, errno.ENOSPC))
    assert saves.autosave(session) is not None  # a new failure after a success is reported again


def test_stale_temp_files_are_cleaned_up(store: SaveStore, vault: Story, before: bytes) -> None:
    dead = store.folder / ".game.json.999999999.0123abcd.tmp"  # no such pid
    dead.write_bytes(b"half a save")
    mine = store.folder / f".game.json.{os.getpid()}.0123abcd.tmp"  # a live writer: left alone
    mine.write_bytes(b"in flight")
    old = store.folder / f".game.json.{os.getpid()}.fedcba98.tmp"
    old.write_bytes(b"ancient")
    os.utime(old, (0, 0))  # older than an hour: stale even though the pid is alive
    SaveStore(store.folder)
    assert leftovers(store) == [mine.name]
