"""What `read_story` may keep between loads of the same story, for tools that load it again and
again (the language server reloads it on every keystroke).

A `LoadCache` holds, per file, the bytes last read with their decoded text, parsed nodes and
diagnostics, and, per scene file, the scenes built from those nodes with their diagnostics and
flag uses, valid while the names they were checked against are the same. A load with a cache
gives exactly what a load without one gives (tests/core/test_load_cache.py holds it to that);
it only skips the work for files that did not change. `overlay` holds texts that stand in for
files on disk: an editor's unsaved buffers.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from coldcase_game.story.diagnostics import Diagnostic
from coldcase_game.story.model import Pos, Scene
from coldcase_game.story.yamlsafe import YNode


@dataclass(slots=True)
class CachedFile:
    data: bytes
    text: str | None
    node: YNode | None
    diagnostics: list[Diagnostic]


@dataclass(slots=True)
class CachedScenes:
    node: object  # the file's top node these scenes were built from (compared by identity)
    key: object  # what else they depend on: the names checked against, and so on
    scenes: list[Scene]
    digests: dict[str, str]
    diagnostics: list[Diagnostic]
    reads: dict[str, list[tuple[str, Pos]]]


@dataclass
class LoadCache:
    overlay: dict[str, str] = field(default_factory=dict)  # absolute path -> text standing in for the file
    files: dict[str, CachedFile] = field(default_factory=dict)  # display path -> last read
    scenes: dict[str, CachedScenes] = field(default_factory=dict)  # display path -> scenes built

    def overlay_bytes(self, path: os.PathLike[str] | str) -> bytes | None:
        if not self.overlay:
            return None
        text = self.overlay.get(os.path.abspath(path))
        return None if text is None else text.encode("utf-8", "surrogatepass")

    def file(self, shown: str, data: bytes) -> CachedFile | None:
        found = self.files.get(shown)
        return found if found is not None and found.data == data else None

    def built(self, shown: str, node: object, key: object) -> CachedScenes | None:
        found = self.scenes.get(shown)
        if found is None or found.node is not node or found.key != key:
            return None
        return found
