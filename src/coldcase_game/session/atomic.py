"""Durable file writes and careful reads.

`write_atomic`: a temporary file in the same folder, write, fsync, keep the
old file as a backup (a hard link, so the slot file itself is never missing),
`os.replace`, fsync the folder. At every instant the target holds either the
whole old content or the whole new content.

`read_regular`: opens without following a symlink and without blocking on a
FIFO, and refuses anything that is not a regular file or is too large.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import time
from pathlib import Path

from coldcase_game.session.errors import SaveError

STALE_AGE = 3600.0  # seconds: a temp file this old is stale even if its pid is alive (pids get reused)
_TEMP = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]{1,10})\.[0-9a-f]{8}\.tmp")

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EIO: "an input/output error (the disk may be failing)",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "part of the path is not a folder",
    errno.ENAMETOOLONG: "the path is too long",
}


def reason(exc: OSError) -> str:
    """A short, plain reason for an OS error."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno != errno.EINVAL:  # some file systems cannot fsync a folder; nothing more to do there
            raise
    finally:
        os.close(fd)


def _check_target(path: Path, what: str) -> None:
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise SaveError(f"{path} is a symbolic link, which is left alone: {what} was not written")
    if not stat.S_ISREG(st.st_mode):
        raise SaveError(f"{path} is a folder or another special file: {what} was not written")


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _keep_backup(path: Path, backup: Path) -> None:
    """Make `backup` a copy of the current `path` (if any), atomically."""
    link = _temp_name(backup)
    try:
        os.link(path, link)
    except FileNotFoundError:
        return  # first save of this slot: nothing to keep
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        _copy_durably(path, link)  # file systems without hard links
    try:
        os.replace(link, backup)
    except OSError:
        _unlink_quietly(link)
        raise


def _copy_durably(source: Path, target: Path) -> None:
    data = source.read_bytes()
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def write_atomic(path: Path, data: bytes, *, backup: Path | None = None, what: str = "the save") -> None:
    """Replace `path` with `data` durably. On failure raise SaveError; `path` is then unchanged."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"could not create the save folder {folder}: {reason(exc)}") from None
    _check_target(path, what)
    temp = _temp_name(path)
    replaced = False
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if backup is not None:
            _keep_backup(path, backup)
        os.replace(temp, path)
        replaced = True
        fsync_folder(folder)
    except OSError as exc:
        if not replaced:
            _unlink_quietly(temp)
            raise SaveError(
                f"could not write {what} to {path}: {reason(exc)}; the previous version is unchanged"
            ) from None
        raise SaveError(
            f"{what} was written to {path} but may not survive a power cut: {reason(exc)}"
        ) from None


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; SaveError otherwise."""
    flags = (
        os.O_RDONLY
        | getattr(os, "O_NOFOLLOW", 0)
        | getattr(os, "O_NONBLOCK", 0)
        | getattr(os, "O_CLOEXEC", 0)
    )
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise SaveError(f"there is no save file {path}") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SaveError(
                f"{path} is a symbolic link; saves are plain files, so it is not opened"
            ) from None
        raise SaveError(f"could not open {path}: {reason(exc)}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise SaveError(f"{path} is a folder, not a save file")
        if not stat.S_ISREG(st.st_mode):
            raise SaveError(f"{path} is a special file, not a save file")
        if st.st_size > limit:
            raise SaveError(f"{path} is too large to be a save ({st.st_size} bytes; the limit is {limit})")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise SaveError(f"{path} is too large to be a save (more than {limit} bytes)")
        return data
    except OSError as exc:
        raise SaveError(f"could not read {path}: {reason(exc)}") from None
    finally:
        os.close(fd)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return pid > 0
    return True


def clean_stale_temps(folder: Path, now: float | None = None) -> list[Path]:
    """Remove temp files left by a crashed writer (dead pid, or older than an hour). Returns what went."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP.fullmatch(entry.name)
        if not match:
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        pid = int(match["pid"])
        if stat.S_ISREG(st.st_mode) and (now - st.st_mtime > STALE_AGE or not _pid_alive(pid)):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed
