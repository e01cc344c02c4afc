"""The compile cache: a story loaded once is kept, built, in the user's cache folder.

A later load of the same files (`coldcase check`, `coldcase play`, the title screen) reads the
entry instead of parsing YAML: PyYAML is not even imported. An entry is one JSON file per story
folder, `<cache>/stories/<digest of the folder's path>.json`, holding

1. a header line: the key it was built for (the digest of the story's files, names and bytes, as
   `Story.digest` has it; the folder's name, which is the story's id; the version of Cold Case, a
   digest of the loader's own source and of the model's fields) and a checksum of the rest;
2. a line with the story's id, title and summary (the title screen reads only these);
3. the payload (story/codec.py): the story, or none when it has errors, and every diagnostic
   `coldcase check` prints, so a warm check prints what a cold one does.

An entry is never trusted blindly: one whose key or checksum does not match, or that is not
JSON, not of the codec's shape, not a regular file, or unreadable is ignored, and the story is
read from its files (and the entry written again). Entries are written to a temporary file and
renamed into place, so a reader sees a whole entry or none, and two writers leave one of theirs.
The folder is safe to delete at any time.

`COLDCASE_CACHE_DIR=DIR` puts the cache in DIR; `COLDCASE_NO_CACHE=1` (or `coldcase check
--no-cache`) neither reads nor writes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coldcase_game.story.diagnostics import Diagnostic
from coldcase_game.story.model import FORMAT_VERSION, Story

ENV_DIR = "COLDCASE_CACHE_DIR"
ENV_OFF = "COLDCASE_NO_CACHE"
MAX_ENTRY = 512 * 1024 * 1024  # an entry larger than this is not read
MAX_FILE = 2 * 1024 * 1024  # as yamlsafe.MAX_BYTES: a larger scene file is an error, never cached
MAGIC = "coldcase-compile-cache"
STALE_TEMP = 3600.0  # seconds: a temporary file this old was left by a writer that died
STALE_ENTRY = 60 * 86400.0  # seconds: an entry not written for this long is removed

_code_key: str | None = None


def enabled() -> bool:
    return os.environ.get(ENV_OFF, "") in ("", "0")


def cache_dir() -> Path:
    """`$COLDCASE_CACHE_DIR`, else the user's cache folder for Cold Case (platformdirs)."""
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env)
    from platformdirs import user_cache_path

    return user_cache_path("coldcase", appauthor=False)


def code_key() -> str:
    """What else an entry depends on: the version, the loader's source, the model's fields."""
    global _code_key
    if _code_key is None:
        from coldcase_game import __version__
        from coldcase_game.story.codec import fingerprint

        digest = hashlib.sha256(f"{__version__}\0{FORMAT_VERSION}\0{fingerprint()}\0".encode())
        here = Path(__file__).parent
        for source in sorted(here.glob("*.py")):
            with contextlib.suppress(OSError):
                digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        _code_key = digest.hexdigest()[:32]
    return _code_key


@dataclass
class Hit:
    story: Story | None
    diagnostics: list[Diagnostic]  # sorted, as read_story returns them


class Entry:
    """The cache entry for one story folder whose files were just read (`data`)."""

    def __init__(
        self,
        root: Path,
        paths: list[Path],
        data: dict[Path, bytes],
        digest: str,
        display: Callable[[Path], str],
    ) -> None:
        self.root = root
        self.paths = paths  # the manifest, then the scene files, in load order
        self.data = data
        self.digest = digest
        self.folder = root.resolve().name
        self.file = (
            cache_dir()
            / "stories"
            / (hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:32] + ".json")
        )
        # the paths as shown now: the root as given, then each file
        self.displays = [str(root), *(display(p) for p in paths)]
        self.key = {"digest": digest, "folder": self.folder, "code": code_key()}

    # --- reading ---------------------------------------------------------------------
    def _read_raw(self) -> bytes | None:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(self.file, flags | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_ENTRY:
                return None
            chunks = []
            while True:
                chunk = os.read(fd, 1 << 24)
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(fd)

    def _lines(self) -> tuple[dict[str, Any], bytes] | None:
        """The header and what follows it, when the header's key and checksum match."""
        raw = self._read_raw()
        if raw is None:
            return None
        head, newline, rest = raw.partition(b"\n")
        if not newline:
            return None
        try:
            header = json.loads(head)
        except ValueError:
            return None
        if (
            not isinstance(header, dict)
            or header.get("magic") != MAGIC
            or header.get("key") != self.key
            or header.get("sha256") != hashlib.sha256(rest).hexdigest()
            or not isinstance(header.get("checked"), bool)
        ):
            return None
        return header, rest

    def meta(self) -> tuple[str, str] | None:
        """The story's title and summary, when the entry matches and the story loads."""
        found = self._lines()
        if found is None:
            return None
        line = found[1].partition(b"\n")[0]
        try:
            meta = json.loads(line)
        except ValueError:
            return None
        if not isinstance(meta, dict):
            return None
        title, summary = meta.get("title"), meta.get("summary")
        if not isinstance(title, str) or not isinstance(summary, str):
            return None
        return title, summary

    def load(self, with_warnings: bool) -> Hit | None:
        """The stored result, or None when there is none that matches these files."""
        found = self._lines()
        if found is None:
            return None
        header, rest = found
        if with_warnings and not header["checked"]:
            return None  # stored by a load that did not run the checks
        payload_bytes = rest.partition(b"\n")[2]
        try:
            payload = json.loads(payload_bytes)
            return self._decode(payload, with_warnings)
        except Exception:  # any fault in a stored entry means: read the files instead
            return None

    def _decode(self, payload: Any, with_warnings: bool) -> Hit | None:
        from coldcase_game.story.codec import CodecError, Decoder

        if not isinstance(payload, dict):
            return None
        table, then = payload["table"], payload["displays"]
        if type(then) is not list or len(then) != len(self.displays) or type(table) is not list:
            return None
        diagnostics_form = tuple[Diagnostic, ...]
        if then != self.displays:
            # shown from another folder, or the story given another way: the same files, shown
            # with other paths. A message that quotes an old path is not rewritten: read again.
            old = dict(zip(then, self.displays, strict=True))
            for key in ("diagnostics", "checks"):
                for d in payload[key] or ():
                    if type(d) is list and any(type(m) is str and any(p in m for p in then) for m in d):
                        return None
            table = [old.get(p, p) if type(p) is str else p for p in table]
        decoder = Decoder(table, payload["shared"])
        story = decoder.decode(payload["story"], Story | None)
        found = list(decoder.decode(payload["diagnostics"], diagnostics_form))
        if with_warnings:
            if payload["checks"] is None:
                return None
            found.extend(decoder.decode(payload["checks"], diagnostics_form))
        if story is not None and (story.digest != self.digest or story.root != str(self.root)):
            raise CodecError("the stored story is not of these files")
        return Hit(story, sorted(found))

    # --- writing ---------------------------------------------------------------------
    def save(self, story: Story | None, loaded: list[Diagnostic], checks: list[Diagnostic] | None) -> None:
        """Store a load's result; quietly nothing when it cannot be written (a read-only folder)."""
        from coldcase_game.story.codec import CodecError, Encoder

        try:
            encoder = Encoder(self.displays)
            body = {
                "story": encoder.encode(story, Story | None),
                "diagnostics": encoder.encode(loaded, tuple[Diagnostic, ...]),
                "checks": None if checks is None else encoder.encode(checks, tuple[Diagnostic, ...]),
            }
        except (CodecError, TypeError, ValueError, AttributeError) as exc:
            _warn_once(
                f"coldcase: the compile cache cannot store this story ({exc}); it is read from its files"
            )
            return
        payload = {"table": encoder.table, "displays": self.displays, "shared": encoder.shared, **body}
        meta = {
            "id": story.id if story else None,
            "title": story.title if story else None,
            "summary": " ".join(story.summary.split()) if story else None,
        }
        rest = (
            json.dumps(meta, ensure_ascii=False).encode()
            + b"\n"
            + json.dumps(payload, ensure_ascii=False, separators=(",", ":"), check_circular=False).encode(
                "utf-8", "surrogatepass"
            )
        )
        header = {
            "magic": MAGIC,
            "key": self.key,
            "checked": checks is not None,
            "sha256": hashlib.sha256(rest).hexdigest(),
        }
        _write(self.file, json.dumps(header).encode() + b"\n" + rest)


_warned = False


def _warn_once(message: str) -> None:
    global _warned
    if not _warned:
        _warned = True
        import sys

        print(message, file=sys.stderr)


def _write(path: Path, data: bytes) -> None:
    """Write `path` whole or not at all: a temporary file, renamed over it. Never raises."""
    folder = path.parent
    temp = folder / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _tidy(folder)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temp, path)  # a folder in its place refuses this: the entry is not written
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _tidy(folder: Path) -> None:
    """Remove temporary files that a writer killed mid-write left behind (over an hour old),
    and entries not written for STALE_ENTRY (stories long deleted or moved, as a rule; one still
    in use is only read from its files once more)."""
    now = time.time()
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name.startswith(".") and name.endswith(".tmp"):
                age = STALE_TEMP
            elif name.endswith(".json"):
                age = STALE_ENTRY
            else:
                continue
            with contextlib.suppress(OSError):
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(st.st_mode) and now - st.st_mtime > age:
                    os.unlink(entry.path)


def open_entry(root: Path, paths: list[Path], display: Callable[[Path], str]) -> Entry | None:
    """Read the story's files and make their entry; None when the cache is off, or when a file
    is one the loader reports (unreadable, too large, a link out of the folder): its diagnostic
    depends on more than the bytes, so that load is never cached."""
    if not enabled():
        return None
    data: dict[Path, bytes] = {}
    hasher = hashlib.sha256()
    inside = root.resolve()
    for path in paths:
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                return None
            content = path.read_bytes()
        except OSError:
            return None
        if len(content) > MAX_FILE:
            return None
        data[path] = content
        hasher.update(path.relative_to(root).as_posix().encode() + b"\0" + content + b"\0")
    return Entry(root, paths, data, hasher.hexdigest(), display)


def story_meta(root: Path, paths: list[Path]) -> tuple[str, str] | None:
    """The title and summary of the story in `root` (its files: `paths`), from its entry."""
    entry = open_entry(root, paths, str)
    return None if entry is None else entry.meta()
