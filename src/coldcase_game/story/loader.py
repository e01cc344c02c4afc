"""Build a `Story` from a story folder: `story.yaml` plus every `**/*.yaml` scene file.

Every problem becomes a located `Diagnostic`; `load_story` raises `StoryError`
with all of them when there is any error. `read_story` returns the story (or
None) together with every diagnostic, for `coldcase check`.
"""

from __future__ import annotations

import gc
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from coldcase_game.story import inline, prose_checks, yamlsafe
from coldcase_game.story.cache import CachedFile, CachedScenes, LoadCache
from coldcase_game.story.diagnostics import Collector, Diagnostic, StoryError
from coldcase_game.story.expr import (
    Expr,
    ExprError,
    Names,
    closest,
    compile_expr,
    did_you_mean,
    names_in,
    suggestion,
)
from coldcase_game.story.model import (
    FORMAT_2,
    FORMAT_VERSION,
    NO_EFFECTS,
    NOWHERE,
    Character,
    Choice,
    Condition,
    EffectBlock,
    Effects,
    Flag,
    Inline,
    Paragraph,
    Piece,
    Pos,
    Scene,
    Story,
    Term,
    TrustChange,
    Var,
    VarChange,
    Variant,
)
from coldcase_game.story.yamlsafe import YMap, YNode, YScalar, YSeq, clean_text

if TYPE_CHECKING:
    from coldcase_game.story import disk_cache

IDENT = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")
INTEGER = re.compile(r"^(0|[1-9][0-9]{0,8})\Z")
TRUST_CHANGE = re.compile(r"^(%?)([+-])(0|[1-9][0-9]{0,8})\Z")
SIGNED = re.compile(r"^-?(0|[1-9][0-9]{0,8})\Z")
VAR_CHANGE = re.compile(r"^([+-]|=-?)(0|[1-9][0-9]{0,8})\Z")
MAX_VAR = 1_000_000  # the largest magnitude of a variable's bounds (an expression's literals are as large)
MAX_VAR_SPAN = 1_000  # at most this many steps between a variable's min and max
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_new_pos = partial(
    tuple.__new__, Pos
)  # Pos((file, line, col)) without the named tuple's Python-level __new__
BOOLEANS = {"true": True, "false": False}
MANIFEST = "story.yaml"

MANIFEST_KEYS = ("format", "title", "summary", "author", "start", "characters", "flags", "vars", "terms")
CHARACTER_KEYS = ("name", "trust", "about", "introduced_by")
SCENE_FILE_KEYS = ("scenes",)
SCENE_KEYS = ("title", "text", "on_enter", "choices", "ending", "next")
CHOICE_KEYS = ("text", "goto", "id", "if", "locked", "once", "do", "then")
EFFECT_KEYS = ("trust", "vars", "set", "clear")
EFFECT_BLOCK_KEYS = ("if", *EFFECT_KEYS)  # format 2: a block of a `do:`/`on_enter:` list
PARAGRAPH_KEYS = ("if", "text", "sequence", "cycle")
VAR_KEYS = ("start", "min", "max", "name")
# keys that only format 2 knows: a format-1 story using one is told it needs `format: 2`
FORMAT_2_KEYS = frozenset({"vars", "terms", "introduced_by", "then", "sequence", "cycle", "next"})
# words of a character's name that are not terms of their own (the docs list them)
NAME_WORDS_NOT_TERMS = frozenset(
    [
        "The",
        "A",
        "An",
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Sir",
        "Dame",
        "Lady",
        "Lord",
        "Madam",
        "Madame",
        "Monsieur",
        "Herr",
        "Frau",
        "Professor",
        "Prof",
        "Captain",
        "Capt",
        "Colonel",
        "Col",
        "General",
        "Gen",
        "Major",
        "Lieutenant",
        "Lt",
        "Sergeant",
        "Sgt",
        "Officer",
        "Agent",
        "Inspector",
        "Detective",
        "Father",
        "Mother",
        "Sister",
        "Brother",
        "Uncle",
        "Aunt",
        "Saint",
        "St",
        "Comrade",
        "Old",
        "Young",
        "Of",
        "Van",
        "Von",
        "De",
        "Del",
        "La",
        "Le",
    ]
)
# text values that are ids: a comment after them is a comment
_NOT_PROSE = frozenset(("goto", "start", "introduced_by", "next"))
_KEY_SETS: dict[tuple[str, ...], frozenset[str]] = {}  # each tuple of allowed or required keys, as a set


def _key_set(keys: tuple[str, ...]) -> frozenset[str]:
    found = _KEY_SETS.get(keys)
    if found is None:
        found = _KEY_SETS[keys] = frozenset(keys)
    return found


@dataclass
class LoadResult:
    story: Story | None
    diagnostics: list[Diagnostic]
    files: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "warning"]


def load_story(path: str | os.PathLike[str], *, use_libyaml: bool = True) -> Story:
    """Load a story folder; raise StoryError listing every error. Warnings are kept on the error too."""
    result = read_story(path, use_libyaml=use_libyaml, with_warnings=False)
    if result.story is None:
        raise StoryError(result.diagnostics)
    return result.story


def read_story(
    path: str | os.PathLike[str],
    *,
    use_libyaml: bool = True,
    with_warnings: bool = True,
    cache: LoadCache | None = None,
    use_disk_cache: bool = True,
) -> LoadResult:
    """Load and check a story folder, returning the story (None on errors) and all diagnostics.

    With a `cache` (see story/cache.py), files and scene files unchanged since the last load
    with that cache are not read or built again; the result is the same. Without one, the
    compile cache (story/disk_cache.py) is used unless `use_disk_cache` is false: a story whose
    files are unchanged since it was last loaded is read from there, with the same result."""
    out = Collector()
    root = Path(path)
    shown_root = str(path)
    if not root.exists():
        out.error(shown_root, 1, 1, "E013", "no such folder")
        return LoadResult(None, out.items)
    if root.is_file():
        if root.name == MANIFEST:
            root = root.parent
        else:
            out.error(shown_root, 1, 1, "E013", f"expected a story folder (with {MANIFEST}), not a file")
            return LoadResult(None, out.items)
    manifest_path = root / MANIFEST
    if not manifest_path.is_file():
        out.error(str(manifest_path), 1, 1, "E013", f"no {MANIFEST} manifest in this folder")
        return LoadResult(None, out.items)

    files = _scene_files(root)
    # Loading allocates many small objects and frees none of them: the cyclic garbage
    # collector would only rescan them over and over.
    collecting = gc.isenabled()
    gc.disable()
    try:
        entry = None
        if cache is None and use_libyaml and use_disk_cache:
            # the compile cache (story/disk_cache.py): the same files were loaded before
            from coldcase_game.story import disk_cache

            entry = disk_cache.open_entry(root, [manifest_path, *files], _display)
            hit = None if entry is None else entry.load(with_warnings)
            if hit is not None:
                shown = [_display(manifest_path)] + [_display(p) for p in files]
                return LoadResult(None if _has_errors(hit.diagnostics) else hit.story, hit.diagnostics, shown)
        return _read(root, files, out, use_libyaml, with_warnings, cache, entry)
    finally:
        if collecting:
            gc.enable()


def _has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in diagnostics)


def _read(
    root: Path,
    files: list[Path],
    out: Collector,
    use_libyaml: bool,
    with_warnings: bool,
    cache: LoadCache | None = None,
    entry: disk_cache.Entry | None = None,
) -> LoadResult:
    manifest_path = root / MANIFEST
    builder = _Builder(root, out, use_libyaml, cache)
    if entry is not None:
        builder.prefetched = entry.data  # the bytes read for the cache key: not read again
    manifest = builder.read(manifest_path)
    documents = [builder.read(p) for p in files]
    story = builder.build(manifest, documents)
    loaded = len(out.items)
    if story is not None and with_warnings:
        from coldcase_game.story.checks import graph_warnings, route_warnings
        from coldcase_game.story.condition_checks import constant_condition_warnings

        graph_warnings(story, builder.reads, out)
        route_warnings(story, builder.reads, out)
        constant_condition_warnings(story, out)
    shown = [builder.display(manifest_path)] + [builder.display(p) for p in files]
    result = LoadResult(None if out.has_errors else story, sorted(out.items), shown)
    # E118 names the .yml files it skipped, which the cache key does not cover
    if entry is not None and not any(d.code == "E118" for d in out.items):
        checks = sorted(out.items[loaded:]) if with_warnings else None
        entry.save(result.story, sorted(out.items[:loaded]), checks)
    return result


def _display(path: Path) -> str:
    """A file's path as diagnostics show it: relative to the current folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _scene_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.endswith(".yaml") and not name.startswith("."):
                p = Path(dirpath) / name
                if p.parent == root and name == MANIFEST:
                    continue
                found.append(p)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


scene_files = _scene_files  # the scene files of a story folder, in load order (the manifest aside)


def _skipped_yml(root: Path) -> str:
    """For E118: the `.yml` files that were skipped (scene files end in `.yaml`), if any."""
    found = sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.yml")
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    if not found:
        return ""
    shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
    return f"; skipped {shown}: scene files must end in .yaml"


def _story_id(root: Path) -> str:
    name = root.resolve().name
    if IDENT.match(name):
        return name
    slug = re.sub(r"[^a-z0-9_]+", "_", name.lower()).strip("_")
    if not slug or not slug[0].isalpha():
        slug = "story_" + slug
    return slug[:64]


class _Builder:
    def __init__(self, root: Path, out: Collector, use_libyaml: bool, cache: LoadCache | None = None) -> None:
        self.root = root
        self.out = out
        self.use_libyaml = use_libyaml
        self.cache = cache
        self.hasher = hashlib.sha256()
        # (kind, name) -> list of Pos where it is read / set, filled while building
        # ("chosen": `<scene>.<choice>` read by a `chosen.<scene>.<choice>`, format 2)
        self.reads: dict[str, list[tuple[str, Pos]]] = {"set": [], "read": [], "chosen": []}
        self.texts: dict[str, str] = {}  # display path -> decoded text
        # expression source -> (Expr, flags read, choices read) or ExprError
        self.compiled: dict[str, tuple[Expr, tuple[str, ...], tuple[str, ...]] | ExprError] = {}
        # set when a scene file could not be read (bad YAML, not a mapping, no `scenes:`):
        # an unknown scene may then be one of its scenes, so E104 is not reported
        self.some_scenes_unread = False
        self.fmt = 1  # the story's format, once the manifest is read
        self.vars: dict[str, Var] = {}
        self.broken_vars: set[str] = set()  # declared, but with an error reported
        self.prefetched: dict[Path, bytes] = {}  # bytes already read, by path

    # --- files ---------------------------------------------------------------------
    def display(self, path: Path) -> str:
        return _display(path)

    def read(self, path: Path) -> tuple[str, YNode | None]:
        shown = self.display(path)
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(self.root.resolve()):
                self.out.error(shown, 1, 1, "E013", "symbolic link points outside the story folder")
                return shown, None
            data = None if self.cache is None else self.cache.overlay_bytes(path)  # an unsaved buffer
            if data is None and self.prefetched:
                data = self.prefetched.get(path)
            size = path.stat().st_size if data is None else len(data)
            if size > yamlsafe.MAX_BYTES:
                self.out.error(
                    shown, 1, 1, "E004", f"file is {size / 1048576:.1f} MiB; scene files may be at most 2 MiB"
                )
                return shown, None
            if data is None:
                data = path.read_bytes()
        except OSError as exc:
            self.out.error(shown, 1, 1, "E013", f"cannot read file: {exc.strerror or exc}")
            return shown, None
        self.hasher.update(path.relative_to(self.root).as_posix().encode() + b"\0" + data + b"\0")
        cached = None if self.cache is None else self.cache.file(shown, data)
        if cached is not None:  # the same bytes as last time: the same text, nodes and diagnostics
            self.out.items.extend(cached.diagnostics)
            text, node = cached.text, cached.node
        else:
            mark = len(self.out.items)
            text = yamlsafe.decode(data, shown, self.out)
            node = None
            if text is not None:
                node = yamlsafe.parse(text, shown, self.out, use_libyaml=self.use_libyaml)
            if self.cache is not None:
                self.cache.files[shown] = CachedFile(data, text, node, self.out.items[mark:])
        if text is None:
            return shown, None
        self.texts[shown] = text
        if node is None and not self.out.has_errors:
            self.out.error(shown, 1, 1, "E012", "file is empty; expected a mapping")
        elif node is not None and not isinstance(node, YMap):
            self.out.error(
                shown,
                node.line,
                node.col,
                "E012",
                f"the top level must be a mapping of keys, not {_kind(node)}",
            )
            return shown, None
        return shown, node

    # --- reporting helpers -----------------------------------------------------------
    def err(self, file: str, node: YNode | YScalar, code: str, message: str) -> None:
        self.out.error(file, node.line, node.col, code, message)

    def keys(
        self, file: str, node: YMap, allowed: tuple[str, ...], required: tuple[str, ...], what: str
    ) -> None:
        present = node.items.keys()
        if present <= _key_set(allowed) and present >= _key_set(required):
            return  # the usual case, answered without a loop in Python
        meant: set[str] = set()  # keys that a misspelt key most likely stands for
        for key, (knode, _) in node.items.items():
            if key not in allowed:
                match = closest(key, allowed)
                self.err(file, knode, "E101", f"unknown key '{key}' in {what}{suggestion(match)}")
                if match:
                    meant.add(match)
        for key in required:
            if key not in node.items and key not in meant:  # `gotoo:` is one mistake, not two
                self.err(file, node, "E102", f"{what} is missing required key '{key}'")

    def format_2(self, file: str, node: YMap) -> bool:
        """In a format-1 story, one error for each format-2 key of `node`. True when all is well."""
        if self.fmt >= FORMAT_2 or node.items.keys().isdisjoint(FORMAT_2_KEYS):
            return True
        for key, (knode, _) in node.items.items():
            if key in FORMAT_2_KEYS:
                self.err(
                    file, knode, "E119", f"'{key}' needs 'format: 2' in story.yaml (this story is format 1)"
                )
        return False

    def format_2_key(self, file: str, node: YMap, key: str) -> bool:
        """Whether `key` is present and may be read (in a format-1 story it was reported by format_2)."""
        return key in node.items and self.fmt >= FORMAT_2

    def text(self, file: str, node: YNode, what: str, *, allow_empty: bool = False) -> str | None:
        if not isinstance(node, YScalar):
            hint = prose_checks.flow_hint(self.texts.get(file, ""), node)
            self.err(file, node, "E103", f"{what} must be text, not {_kind(node)}{hint}")
            return None
        value = node.value
        if not node.quoted and value and what not in _NOT_PROSE:
            self.comment_cut(file, node, what)
        # The file's raw text is already clean; only a double-quoted escape ("\x07") can
        # bring a control character back, so only quoted text is cleaned again.
        if node.quoted:
            value = clean_text(value)
        elif "\t" in value:
            value = value.expandtabs(4)
        value = value.strip()
        if not value and not allow_empty:
            hint = prose_checks.empty_hint(self.texts.get(file, ""), node)
            self.err(file, node, "E117", f"{what} is empty{hint}")
            return None
        return value

    def comment_cut(self, file: str, node: YScalar, what: str) -> None:
        """W305: prose cut short by ` #`, which YAML reads as a comment."""
        source = self.texts.get(file, "")
        at = prose_checks.comment_cut(source, node)
        if at is not None:
            line, col = prose_checks.line_col(source, at)
            message = prose_checks.comment_message(what, source, node, at)
            self.out.warning(file, line, col, "W305", message)

    def integer(self, file: str, node: YNode, what: str) -> int | None:
        if not isinstance(node, YScalar) or node.quoted or not INTEGER.match(node.value):
            shown = _quoted(node.value) if isinstance(node, YScalar) else _kind(node)
            self.err(file, node, "E103", f"{what} must be a whole number like 40, not {shown}")
            return None
        return int(node.value)

    def boolean(self, file: str, node: YNode, what: str) -> bool | None:
        if isinstance(node, YScalar) and not node.quoted and node.value.lower() in BOOLEANS:
            return BOOLEANS[node.value.lower()]
        shown = _quoted(node.value) if isinstance(node, YScalar) else _kind(node)
        self.err(file, node, "E103", f"{what} must be true or false, not {shown}")
        return None

    def ident(self, file: str, node: YScalar, what: str) -> bool:
        if IDENT.match(node.value):
            return True
        self.err(
            file,
            node,
            "E109",
            f"{what} '{node.value[:70]}' is not a valid id: {prose_checks.id_advice(node.value)}",
        )
        return False

    def pos(self, file: str, node: YNode | YScalar) -> Pos:
        return _new_pos((file, node.line, node.col))

    # --- the story -----------------------------------------------------------------
    def build(
        self, manifest: tuple[str, YNode | None], documents: list[tuple[str, YNode | None]]
    ) -> Story | None:
        mfile, mnode = manifest
        if not isinstance(mnode, YMap):
            return None
        self.keys(mfile, mnode, MANIFEST_KEYS, ("format", "title", "start"), "the manifest")
        items = mnode.items

        fmt = FORMAT_VERSION
        if "format" in items:
            knode, vnode = items["format"]
            value = self.integer(mfile, vnode, "format")
            if value is not None and value > FORMAT_VERSION:
                self.err(
                    mfile,
                    vnode,
                    "E115",
                    f"format {value} is newer than this version of Cold Case supports "
                    f"(format {FORMAT_VERSION}); upgrade coldcase",
                )
                return None
            if value is not None and value < 1:
                self.err(mfile, vnode, "E115", f"format {value} does not exist; use format: {FORMAT_VERSION}")
            fmt = value or FORMAT_VERSION
        self.fmt = fmt
        self.format_2(mfile, mnode)
        title = self.text(mfile, items["title"][1], "title") if "title" in items else None
        summary = (
            self.text(mfile, items["summary"][1], "summary", allow_empty=True) if "summary" in items else ""
        )
        author = self.text(mfile, items["author"][1], "author", allow_empty=True) if "author" in items else ""

        flags = self.flags(mfile, items.get("flags"))
        characters = self.characters(mfile, items.get("characters"), flags)
        variables = (
            self.variables(mfile, items.get("vars")) if self.format_2_key(mfile, mnode, "vars") else {}
        )
        if fmt >= FORMAT_2:
            for vid in self.one_namespace(mfile, mnode):  # a clash keeps the name's first meaning
                variables.pop(vid, None)
                self.broken_vars.discard(vid)
        self.vars = variables
        terms = (
            self.terms(mfile, items.get("terms"), flags) if self.format_2_key(mfile, mnode, "terms") else {}
        )
        terms = _with_character_terms(terms, characters, flags)

        # scenes: first pass collects ids so that gotos and expressions can be resolved
        scene_nodes: list[tuple[str, YScalar, YNode]] = []
        seen: dict[str, tuple[str, YScalar]] = {}
        for file, node in documents:
            if not isinstance(node, YMap):
                self.some_scenes_unread = True
                continue
            self.keys(file, node, SCENE_FILE_KEYS, ("scenes",), "a scene file")
            if "scenes" not in node.items:
                self.some_scenes_unread = True
                continue
            scenes_node = node.items["scenes"][1]
            if not isinstance(scenes_node, YMap):
                self.err(
                    file,
                    scenes_node,
                    "E103",
                    f"scenes must be a mapping of scene ids to scenes, not {_kind(scenes_node)}",
                )
                self.some_scenes_unread = True
                continue
            for sid, (knode, vnode) in scenes_node.items.items():
                self.ident(file, knode, "scene id")  # reported once; the scene still counts for gotos
                if sid in seen:
                    ofile, onode = seen[sid]
                    self.err(
                        file,
                        knode,
                        "E107",
                        f"duplicate scene id '{sid}': first defined at {ofile}:{onode.line}:{onode.col}",
                    )
                    continue
                seen[sid] = (file, knode)
                scene_nodes.append((file, knode, vnode))

        if not seen and not self.out.has_errors:
            self.out.error(
                mfile,
                1,
                1,
                "E118",
                "the story has no scenes: add scene files (*.yaml with a 'scenes:' mapping) to the folder"
                + _skipped_yml(self.root),
            )

        # a variable whose declaration is wrong still resolves, so its uses are not errors too
        known_vars = frozenset(variables) | frozenset(self.broken_vars)
        choice_ids = _choice_ids(scene_nodes) if fmt >= FORMAT_2 else ()
        names = Names(frozenset(characters), frozenset(flags), frozenset(seen), known_vars, fmt, choice_ids)
        scenes: dict[str, Scene] = {}
        digests: dict[str, str] = {}
        tops = dict(documents)
        at = 0
        while at < len(scene_nodes):  # one scene file at a time (its scenes are consecutive)
            file = scene_nodes[at][0]
            end = at
            while end < len(scene_nodes) and scene_nodes[end][0] == file:
                end += 1
            self.scene_file(file, tops.get(file), scene_nodes[at:end], names, scenes, digests)
            at = end

        start = None
        if "start" in items:
            snode = items["start"][1]
            start = self.text(mfile, snode, "start")
            if start is not None and start not in seen and seen and not self.some_scenes_unread:
                self.err(mfile, snode, "E104", f"start: unknown scene '{start}'{did_you_mean(start, seen)}")

        self.next_cycles(scenes)
        if self.out.has_errors or title is None or start is None:
            return None
        chosen_read = frozenset(tuple(name.split(".", 1)) for name, _ in self.reads["chosen"])
        return Story(
            id=_story_id(self.root),
            title=title,
            start=start,
            characters=characters,
            flags=flags,
            scenes=scenes,
            summary=summary or "",
            author=author or "",
            format=fmt,
            root=str(self.root),
            files=tuple(d[0] for d in documents),
            scene_digests=digests,
            digest=self.hasher.hexdigest(),
            vars=variables,
            terms=terms,
            chosen_read=frozenset((sid, cid) for sid, cid in chosen_read),
        )

    def next_cycles(self, scenes: dict[str, Scene]) -> None:
        """E129: a `next` chain that comes back to a scene already in it, reported once, at the
        `next` that closes it, naming the chain's scenes in order."""
        done: set[str] = set()
        for sid in scenes:
            chain: list[str] = []
            at: str | None = sid
            while at is not None and at not in done and at in scenes:
                if at in chain:
                    loop = chain[chain.index(at) :]
                    last = scenes[loop[-1]]
                    self.out.error(
                        last.next_pos.file,
                        last.next_pos.line,
                        last.next_pos.col,
                        "E129",
                        f"next: this chain never stops: {' -> '.join((*loop, at))}; "
                        "give one of its scenes choices or an ending instead of 'next'",
                    )
                    break
                chain.append(at)
                at = scenes[at].next
            done.update(chain)

    def scene_file(
        self,
        file: str,
        top: YNode | None,
        nodes: list[tuple[str, YScalar, YNode]],
        names: Names,
        scenes: dict[str, Scene],
        digests: dict[str, str],
    ) -> None:
        """Build the scenes of one file (or take them from the cache, when neither the file's
        nodes nor what they are checked against changed since they were built).

        The key must hold everything `scene()` reads besides the file's own nodes and text: the
        names, whether some scene file was unread, the file's scene ids (a duplicate elsewhere
        drops one). Builder state that `scene()` comes to read belongs in it too."""
        # format 2's variables (on its builder): `=N` changes are checked against their bounds
        variables = tuple(getattr(self, "vars", {}).items())
        key = (names, self.some_scenes_unread, tuple(n[1].value for n in nodes), variables)
        hit = None if self.cache is None else self.cache.built(file, top, key)
        if hit is not None:
            for done in hit.scenes:
                scenes[done.id] = done
            digests.update(hit.digests)
            self.out.items.extend(hit.diagnostics)
            for kind, uses in hit.reads.items():
                self.reads[kind].extend(uses)
            return
        mark = len(self.out.items)
        marks = {kind: len(uses) for kind, uses in self.reads.items()}
        built: list[Scene] = []
        own: dict[str, str] = {}
        for _, knode, vnode in nodes:
            scene = self.scene(file, knode, vnode, names)
            if scene is not None:
                built.append(scene)
                scenes[scene.id] = scene
                # the scene's own source text: moving a scene or editing another leaves it unchanged
                source = self.texts.get(file, "")
                span = source[vnode.start : vnode.end] if isinstance(vnode, YMap) and vnode.end else ""
                own[scene.id] = hashlib.sha256(span.encode("utf-8", "replace")).hexdigest()
        digests.update(own)
        if self.cache is not None:
            reads = {kind: uses[marks[kind] :] for kind, uses in self.reads.items()}
            self.cache.scenes[file] = CachedScenes(top, key, built, own, self.out.items[mark:], reads)

    def id_map(
        self, file: str, entry: tuple[YScalar, YNode] | None, what: str, expected: str
    ) -> Iterator[tuple[str, YScalar, YNode]]:
        """The (id, key node, value node) entries of `characters:` or `flags:`, valid ids only."""
        if entry is None:
            return
        node = entry[1]
        if isinstance(node, YScalar) and node.value == "":
            return
        if not isinstance(node, YMap):
            self.err(file, node, "E103", f"{what}s must be a mapping of {expected}, not {_kind(node)}")
            return
        for key, (knode, vnode) in node.items.items():
            # an invalid id is reported once, here, and still yielded: its uses then say nothing
            # more (the story does not load until it is renamed)
            self.ident(file, knode, f"{what} id")
            yield key, knode, vnode

    def characters(
        self, file: str, entry: tuple[YScalar, YNode] | None, flags: dict[str, Flag]
    ) -> dict[str, Character]:
        out: dict[str, Character] = {}
        for cid, knode, vnode in self.id_map(file, entry, "character", "ids to characters"):
            if not isinstance(vnode, YMap):
                self.err(
                    file,
                    vnode,
                    "E103",
                    f"character '{cid}' must be a mapping with at least 'name', not {_kind(vnode)}",
                )
                continue
            self.keys(file, vnode, CHARACTER_KEYS, ("name",), f"character '{cid}'")
            name = self.text(file, vnode.items["name"][1], "name") if "name" in vnode.items else None
            trust = 50
            if "trust" in vnode.items:
                tnode = vnode.items["trust"][1]
                value = self.integer(file, tnode, f"trust of '{cid}'")
                if value is not None and not 0 <= value <= 100:
                    self.err(file, tnode, "E110", f"trust of '{cid}' must be between 0 and 100, not {value}")
                elif value is not None:
                    trust = value
            about = (
                self.text(file, vnode.items["about"][1], "about", allow_empty=True)
                if "about" in vnode.items
                else ""
            )
            introduced_by = None
            self.format_2(file, vnode)
            if self.format_2_key(file, vnode, "introduced_by"):
                inode = vnode.items["introduced_by"][1]
                introduced_by = self.text(file, inode, "introduced_by")
                if introduced_by is not None and introduced_by not in flags:
                    self.err(
                        file,
                        inode,
                        "E106",
                        f"introduced_by: unknown flag '{introduced_by}'{did_you_mean(introduced_by, flags)}",
                    )
                    introduced_by = None
                elif introduced_by is not None:
                    self.reads["read"].append((introduced_by, self.pos(file, inode)))
            out[cid] = Character(cid, name or cid, trust, about or "", self.pos(file, knode), introduced_by)
        return out

    def variables(self, file: str, entry: tuple[YScalar, YNode] | None) -> dict[str, Var]:
        out: dict[str, Var] = {}
        for vid, knode, vnode in self.id_map(file, entry, "variable", "ids to {min, max}"):
            if not isinstance(vnode, YMap):
                self.err(
                    file,
                    vnode,
                    "E103",
                    f"variable '{vid}' must be a mapping like {{min: 0, max: 5}}, not {_kind(vnode)}",
                )
                continue
            self.broken_vars.add(vid)  # until it is known to be right
            self.keys(file, vnode, VAR_KEYS, ("min", "max"), f"variable '{vid}'")
            it = vnode.items
            bounds: dict[str, int | None] = {}
            for key in ("min", "max", "start"):
                if key in it:
                    bounds[key] = self.signed(file, it[key][1], f"{key} of variable '{vid}'")
            lo, hi = bounds.get("min"), bounds.get("max")
            if lo is None or hi is None:
                continue
            if lo > hi:
                self.err(file, it["max"][1], "E110", f"variable '{vid}': max {hi} is less than min {lo}")
                continue
            if hi - lo > MAX_VAR_SPAN:
                self.err(
                    file,
                    it["max"][1],
                    "E110",
                    f"variable '{vid}' spans {hi - lo + 1} values; at most {MAX_VAR_SPAN + 1} are allowed "
                    "(min to max at most 1000 apart)",
                )
                continue
            first = bounds.get("start")
            if "start" in it:
                if first is None:
                    continue
                if not lo <= first <= hi:
                    self.err(
                        file,
                        it["start"][1],
                        "E110",
                        f"start of variable '{vid}' must be between its min {lo} and max {hi}, not {first}",
                    )
                    continue
            else:
                first = 0 if lo <= 0 <= hi else lo
            name = self.text(file, it["name"][1], f"name of variable '{vid}'") if "name" in it else None
            if name is None and "name" in it:
                continue
            self.broken_vars.discard(vid)
            out[vid] = Var(vid, first, lo, hi, name, self.pos(file, knode))
        return out

    def signed(self, file: str, node: YNode, what: str) -> int | None:
        if not isinstance(node, YScalar) or node.quoted or not SIGNED.match(node.value):
            shown = _quoted(node.value) if isinstance(node, YScalar) else _kind(node)
            self.err(file, node, "E103", f"{what} must be a whole number like 5 or -3, not {shown}")
            return None
        value = int(node.value)
        if abs(value) > MAX_VAR:
            self.err(file, node, "E110", f"{what} {value} is out of range: at most {MAX_VAR:,} either way")
            return None
        return value

    def one_namespace(self, file: str, mnode: YMap) -> set[str]:
        """Format 2: character, flag and variable ids share one namespace; a name used twice is
        an error naming both places. Returns the variable ids that clash."""
        clashes: set[str] = set()
        seen: dict[str, tuple[str, YScalar]] = {}
        for section, what in (("characters", "character"), ("flags", "flag"), ("vars", "variable")):
            entry = mnode.items.get(section)
            if entry is None or not isinstance(entry[1], YMap):
                continue
            for key, (knode, _) in entry[1].items.items():
                if key in seen:
                    kind, first = seen[key]
                    self.err(
                        file,
                        knode,
                        "E120",
                        f"'{key}' is both a {kind} (line {first.line}, column {first.col}) and a {what}: "
                        "characters, flags and variables share one namespace in format 2",
                    )
                    if what == "variable":
                        clashes.add(key)
                else:
                    seen[key] = (what, knode)
        return clashes

    def terms(
        self, file: str, entry: tuple[YScalar, YNode] | None, flags: dict[str, Flag]
    ) -> dict[str, Term]:
        out: dict[str, Term] = {}
        if entry is None:
            return out
        node = entry[1]
        if isinstance(node, YScalar) and node.value == "":
            return out
        if not isinstance(node, YMap):
            self.err(
                file,
                node,
                "E103",
                f"terms must be a mapping of words to the flags that introduce them, not {_kind(node)}",
            )
            return out
        for text, (knode, vnode) in node.items.items():
            word = " ".join(text.split())
            if not re.search(r"\w", word):
                self.err(file, knode, "E117", f"term '{text[:40]}' has no letters or digits to match")
                continue
            found: list[str] = []
            items = vnode.items if isinstance(vnode, YSeq) else [vnode]
            if isinstance(vnode, YSeq) and not vnode.items:
                self.err(file, vnode, "E117", f"term '{word}' has an empty list of flags")
            for item in items:
                if not isinstance(item, YScalar):
                    self.err(file, item, "E103", f"term '{word}' lists flag ids, not {_kind(item)}")
                    continue
                if item.value not in flags:
                    self.err(
                        file,
                        item,
                        "E106",
                        f"term '{word}': unknown flag {_quoted(item.value)}{did_you_mean(item.value, flags)}",
                    )
                    continue
                self.reads["read"].append((item.value, self.pos(file, item)))
                found.append(item.value)
            if found:
                out[word] = Term(word, tuple(found), self.pos(file, knode))
        return out

    def flags(self, file: str, entry: tuple[YScalar, YNode] | None) -> dict[str, Flag]:
        out: dict[str, Flag] = {}
        for fid, knode, vnode in self.id_map(file, entry, "flag", "flag ids to journal text"):
            text = self.text(file, vnode, f"the journal text of flag '{fid}'", allow_empty=True)
            out[fid] = Flag(fid, text or "", self.pos(file, knode))
        return out

    # --- scenes ----------------------------------------------------------------------
    def scene(self, file: str, knode: YScalar, node: YNode, names: Names) -> Scene | None:
        sid = knode.value
        if not isinstance(node, YMap):
            self.err(file, node, "E103", f"scene '{sid}' must be a mapping with 'text', not {_kind(node)}")
            return None
        self.keys(file, node, SCENE_KEYS, ("text",), f"scene '{sid}'")
        self.format_2(file, node)
        items = node.items
        title = self.text(file, items["title"][1], "title") if "title" in items else None
        paragraphs = self.paragraphs(file, items["text"][1], names) if "text" in items else ()
        on_enter = (
            self.effects(file, items["on_enter"][1], names, "on_enter") if "on_enter" in items else NO_EFFECTS
        )
        ending = None
        ending_pos = self.pos(file, knode)
        if "ending" in items:
            ending = self.text(file, items["ending"][1], "ending")
            ending_pos = self.pos(file, items["ending"][1])
        choices: tuple[Choice, ...] = ()
        flow_on, next_pos = self.next(file, sid, node, names)
        flows = self.format_2_key(file, node, "next")  # in format 1, E119 said it all
        if flows:
            for key in ("choices", "ending"):
                if key in items:
                    self.err(
                        file,
                        items[key][0],
                        "E128",
                        f"scene '{sid}' flows on with 'next' and cannot have '{key}' too: "
                        f"remove '{key}', or 'next'",
                    )
        elif "choices" in items:
            cknode, cnode = items["choices"]
            if "ending" in items:
                self.err(
                    file, cknode, "E112", f"scene '{sid}' is an ending ('{ending}') and cannot have choices"
                )
            else:
                choices = self.choices(file, sid, cnode, names)
        elif "ending" not in items and "next" not in items:  # format 1's `next`: E119 only
            self.err(
                file,
                knode,
                "E113",
                f"scene '{sid}' has no choices and is not an ending: add 'choices:' or 'ending: <title>'",
            )
        if flows:
            ending = None
        pos = self.pos(file, knode)
        return Scene(sid, title, paragraphs, on_enter, choices, ending, pos, ending_pos, flow_on, next_pos)

    def next(self, file: str, sid: str, node: YMap, names: Names) -> tuple[str | None, Pos]:
        """Format 2's `next: SCENE` (the scene entered at once), with where it is written."""
        if not self.format_2_key(file, node, "next"):
            return None, NOWHERE
        nnode = node.items["next"][1]
        target = self.text(file, nnode, "next")
        pos = self.pos(file, nnode)
        if target is None:
            return None, pos
        if target not in names.scenes:
            if not self.some_scenes_unread:
                self.err(
                    file, nnode, "E104", f"next: unknown scene '{target}'{did_you_mean(target, names.scenes)}"
                )
            return None, pos
        return target, pos

    def paragraphs(self, file: str, node: YNode, names: Names, what: str = "text") -> tuple[Paragraph, ...]:
        out: list[Paragraph] = []
        if isinstance(node, YScalar):
            text = self.text(file, node, what)
            if not text:
                return ()
            pos = self.pos(file, node)
            return tuple(
                Paragraph(t, None, pos, inline=i) for t, i in self.inline(file, node, names, _split(text))
            )
        if not isinstance(node, YSeq):
            hint = prose_checks.flow_hint(self.texts.get(file, ""), node)
            self.err(file, node, "E103", f"{what} must be text or a list of paragraphs{hint}")
            return ()
        if not node.items:
            self.err(file, node, "E117", f"{what} is an empty list")
        for item in node.items:
            if isinstance(item, YScalar):
                text = self.text(file, item, "paragraph")
                pos = self.pos(file, item)
                split = self.inline(file, item, names, _split(text or ""))
                out.extend(Paragraph(t, None, pos, inline=i) for t, i in split)
            elif isinstance(item, YMap):
                self.format_2(file, item)
                it = item.items
                kinds = [k for k in ("sequence", "cycle") if self.format_2_key(file, item, k)]
                if not kinds:
                    # `sequense:` is one mistake (E101), not a paragraph missing 'if' and 'text' too
                    meant_alt = self.fmt >= FORMAT_2 and any(
                        k not in PARAGRAPH_KEYS and closest(k, ("sequence", "cycle")) for k in it
                    )
                    format_1_alt = self.fmt < FORMAT_2 and not it.keys().isdisjoint(("sequence", "cycle"))
                    required = () if meant_alt or format_1_alt else ("if", "text")
                    self.keys(file, item, PARAGRAPH_KEYS, required, "a conditional paragraph")
                    cond = self.condition(file, it["if"][1], names) if "if" in it else None
                    text = self.text(file, it["text"][1], "paragraph") if "text" in it else None
                    if text:
                        pos = self.pos(file, item)
                        split = self.inline(file, it["text"][1], names, _split(text))
                        out.extend(Paragraph(t, cond, pos, inline=i) for t, i in split)
                    continue
                self.keys(file, item, PARAGRAPH_KEYS, (), "a sequence or cycle")
                if len(kinds) > 1 or "text" in it:
                    both = " and ".join(f"'{k}'" for k in ("text", *kinds) if k in it)
                    self.err(
                        file,
                        item,
                        "E103",
                        f"a text entry has one of 'text', 'sequence' or 'cycle', not {both}: "
                        "make them separate entries of the list",
                    )
                    continue
                kind: Literal["sequence", "cycle"] = "sequence" if kinds[0] == "sequence" else "cycle"
                cond = self.condition(file, it["if"][1], names) if "if" in it else None
                variants = self.variants(file, it[kind][1], kind, names)
                if variants:
                    first = next((v.paragraphs[0] for v in variants if v.paragraphs), "")
                    out.append(Paragraph(first, cond, self.pos(file, item), kind, variants))
            else:
                self.err(file, item, "E103", "a paragraph must be text, or a mapping with 'if' and 'text'")
        return tuple(out)

    def variants(self, file: str, node: YNode, kind: str, names: Names) -> tuple[Variant, ...]:
        if not isinstance(node, YSeq):
            self.err(
                file, node, "E103", f"{kind} must be a list of texts, one for each visit, not {_kind(node)}"
            )
            return ()
        if not node.items:
            self.err(file, node, "E117", f"{kind} is an empty list")
            return ()
        out: list[Variant] = []
        for item in node.items:
            if not isinstance(item, YScalar):
                self.err(
                    file,
                    item,
                    "E103",
                    f'an item of a {kind} is text ("" for nothing), not {_kind(item)}',
                )
                continue
            text = self.text(file, item, f"an item of a {kind}", allow_empty=True)
            split = self.inline(file, item, names, _split(text or ""))
            pieces = tuple(i for _, i in split)
            out.append(
                Variant(tuple(t for t, _ in split), self.pos(file, item), pieces if any(pieces) else ())
            )
        return tuple(out) if len(out) == len(node.items) else ()

    def choices(self, file: str, sid: str, node: YNode, names: Names) -> tuple[Choice, ...]:
        if not isinstance(node, YSeq):
            self.err(file, node, "E103", f"choices must be a list, not {_kind(node)}")
            return ()
        if not node.items:
            self.err(file, node, "E113", f"scene '{sid}' has an empty choice list and is not an ending")
        out: list[Choice] = []
        ids: dict[str, YNode] = {}
        for item in node.items:
            if not isinstance(item, YMap):
                self.err(
                    file,
                    item,
                    "E103",
                    f"a choice must be a mapping with 'text' and 'goto', not {_kind(item)}",
                )
                continue
            self.keys(file, item, CHOICE_KEYS, ("text", "goto"), "a choice")
            self.format_2(file, item)
            it = item.items
            text = self.text(file, it["text"][1], "choice text") if "text" in it else None
            goto = None
            if "goto" in it:
                gnode = it["goto"][1]
                goto = self.text(file, gnode, "goto")
                if goto is not None and goto not in names.scenes:
                    # a scene file that could not be read may hold it: its own error says why
                    if not self.some_scenes_unread:
                        self.err(
                            file,
                            gnode,
                            "E104",
                            f"goto: unknown scene '{goto}'{did_you_mean(goto, names.scenes)}",
                        )
                    goto = None
            cid = goto
            id_node: YNode = it["goto"][1] if "goto" in it else item
            if "id" in it:
                id_node = it["id"][1]
                if isinstance(id_node, YScalar) and self.ident(file, id_node, "choice id"):
                    cid = id_node.value
                elif not isinstance(id_node, YScalar):
                    self.err(file, id_node, "E103", "id must be text")
                    cid = None
                else:
                    cid = None
            if cid is not None:
                if cid in ids:
                    first = ids[cid]
                    hint = " (give one of them an 'id:')" if "id" not in it else ""
                    self.err(
                        file,
                        id_node,
                        "E108",
                        f"duplicate choice id '{cid}' in scene '{sid}' (first at line {first.line}){hint}",
                    )
                else:
                    ids[cid] = id_node
            cond = self.condition(file, it["if"][1], names) if "if" in it else None
            locked = None
            if "locked" in it:
                lknode, lnode = it["locked"]
                locked = self.text(file, lnode, "locked")
                if "if" not in it:
                    self.err(
                        file,
                        lknode,
                        "E114",
                        "'locked' needs an 'if': a choice is only locked while its condition fails",
                    )
            once = False
            if "once" in it:
                once = bool(self.boolean(file, it["once"][1], "once"))
            effects = self.effects(file, it["do"][1], names, "do") if "do" in it else NO_EFFECTS
            then: tuple[Paragraph, ...] = ()
            if self.format_2_key(file, item, "then"):
                then = self.paragraphs(file, it["then"][1], names, "then")
            if text is None or goto is None or cid is None:
                continue
            text_pos = self.pos(file, it["text"][1])
            locked_pos = self.pos(file, it["locked"][1]) if "locked" in it else text_pos
            [(text, text_inline)] = self.inline(file, it["text"][1], names, [text])
            locked_inline = None
            if locked is not None:
                [(locked, locked_inline)] = self.inline(file, it["locked"][1], names, [locked])
            out.append(
                Choice(
                    cid,
                    text,
                    goto,
                    cond,
                    locked,
                    once,
                    effects,
                    self.pos(file, item),
                    then,
                    text_pos,
                    locked_pos,
                    text_inline,
                    locked_inline,
                )
            )
        return tuple(out)

    def condition(self, file: str, node: YNode, names: Names) -> Condition | None:
        if not isinstance(node, YScalar):
            self.err(file, node, "E103", f"if must be an expression written as text, not {_kind(node)}")
            return None
        return self.compile_condition(file, node, names, node.value, 0, "if")

    def compile_condition(
        self, file: str, node: YScalar, names: Names, source: str, base: int, label: str
    ) -> Condition | None:
        """The condition `source`, written at offset `base` of the scalar `node`'s value (0 for an
        `if:`, further on for an inline `{if}`), compiled, its flags counted as read."""
        try:
            cached = self.compiled.get(source)
            if cached is None:
                try:
                    compiled = compile_expr(source, names)
                    read = names_in(compiled)
                    cached = (
                        compiled,
                        tuple(name for kind, name in read if kind == "flag"),
                        tuple(name for kind, name in read if kind == "chosen"),
                    )
                except ExprError as exc:
                    cached = exc
                self.compiled[source] = cached
            if isinstance(cached, ExprError):
                raise cached
            expr, flags_read, chosen_read = cached
        except ExprError as exc:
            at = base + min(exc.offset, len(source))
            line, col = yamlsafe.place_in_scalar(self.texts.get(file, ""), node, at)
            code = "E304" if len(source) > 256 else exc.code
            self.out.error(file, line, col, code, f"{label}: {exc.message}")
            return None
        if base:
            line, col = yamlsafe.place_in_scalar(self.texts.get(file, ""), node, base)
            pos = Pos(file, line, col)
        else:
            pos = self.pos(file, node)
        if flags_read:
            reads = self.reads["read"]
            for name in flags_read:
                reads.append((name, pos))
        for name in chosen_read:
            self.reads["chosen"].append((name, pos))
        return Condition(source, expr, pos)

    def inline(
        self, file: str, node: YNode, names: Names, texts: list[str]
    ) -> list[tuple[str, Inline | None]]:
        """Format 2: each paragraph of a text scalar with its inline pieces (None when it has
        none). Problems are reported at the column of the piece: the scalar's value as written is
        scanned, and `place_in_scalar` finds the place in the file (exact for plain and block
        scalars and for quoted ones without escapes; a quoted scalar with an escape or a doubled
        quote before the piece gets the scalar's own start). Then each paragraph, as shown (lines
        joined), is scanned again for its parts, and given the pieces' conditions in order."""
        if self.fmt < FORMAT_2 or not isinstance(node, YScalar) or not any(map(inline.has_pieces, texts)):
            return [(t, None) for t in texts]
        source = self.texts.get(file, "")
        raw = inline.scan(node.value)
        if isinstance(raw, inline.InlineError):
            line, col = yamlsafe.place_in_scalar(source, node, raw.offset)
            self.out.error(file, line, col, raw.code, raw.message)
            return [(t, None) for t in texts]
        models: list[Piece] = []
        for rp in raw:
            if isinstance(rp, str):
                continue
            line, col = yamlsafe.place_in_scalar(source, node, rp.offset)
            cond = None
            if rp.kind == "if":
                cond = self.compile_condition(file, node, names, rp.expr, rp.expr_offset, "{if}")
                if cond is None:
                    return [(t, None) for t in texts]
            models.append(Piece(rp.kind, rp.parts, cond, Pos(file, line, col)))
        out: list[tuple[str, Inline | None]] = []
        given = iter(models)
        for text in texts:
            scanned = inline.scan(text) if inline.has_pieces(text) else (text,)
            if isinstance(scanned, inline.InlineError):  # not after the whole text scanned clean
                self.out.error(file, node.line, node.col, scanned.code, scanned.message)
                return [(t, None) for t in texts]
            pieces: list[str | Piece] = []
            for part in scanned:
                if isinstance(part, str):
                    pieces.append(part)
                    continue
                model = next(given, None)
                if model is None:  # cannot be: the same pieces, in the same order
                    model = Piece(part.kind, part.parts, None, self.pos(file, node))
                pieces.append(Piece(part.kind, part.parts, model.cond, model.pos))
            if all(isinstance(p, str) for p in pieces):  # only doubled braces: plain text
                out.append(("".join(p for p in pieces if isinstance(p, str)), None))
            else:
                out.append((text, tuple(pieces)))
        return out

    def effects(self, file: str, node: YNode, names: Names, what: str) -> Effects:
        if isinstance(node, YSeq):
            return self.effect_blocks(file, node, names, what)
        if not isinstance(node, YMap):
            two = " (or, in format 2, a list of such mappings)" if self.fmt >= FORMAT_2 else ""
            self.err(
                file,
                node,
                "E103",
                f"{what} must be a mapping with trust, set or clear{two}, not {_kind(node)}",
            )
            return NO_EFFECTS
        return self.effect_mapping(file, node, names, what, EFFECT_KEYS)

    def effect_blocks(self, file: str, node: YSeq, names: Names, what: str) -> Effects:
        """Format 2: `do:`/`on_enter:` as a list of blocks, each a mapping of effects with an
        optional `if`."""
        if self.fmt < FORMAT_2:
            self.err(
                file,
                node,
                "E119",
                f"a list of effect blocks under '{what}' needs 'format: 2' in story.yaml "
                "(this story is format 1); write one mapping",
            )
            return NO_EFFECTS
        if not node.items:
            self.err(file, node, "E117", f"{what} is an empty list")
            return NO_EFFECTS
        blocks: list[EffectBlock] = []
        for item in node.items:
            if not isinstance(item, YMap):
                self.err(
                    file,
                    item,
                    "E130",
                    f"a block of '{what}' must be a mapping of effects with an optional 'if' "
                    f"(like '- if: teacup' then 'set: [drugged]' under it), not {_kind(item)}",
                )
                continue
            cond = self.condition(file, item.items["if"][1], names) if "if" in item.items else None
            effects = self.effect_mapping(file, item, names, f"a block of '{what}'", EFFECT_BLOCK_KEYS)
            blocks.append(EffectBlock(cond, effects, self.pos(file, item)))
        return Effects(blocks=tuple(blocks))

    def effect_mapping(
        self, file: str, node: YMap, names: Names, what: str, allowed: tuple[str, ...]
    ) -> Effects:
        self.keys(file, node, allowed, (), what)
        self.format_2(file, node)
        trust: list[TrustChange] = []
        if "trust" in node.items:
            tnode = node.items["trust"][1]
            if not isinstance(tnode, YMap):
                self.err(
                    file,
                    tnode,
                    "E103",
                    f"trust must be a mapping like {{character: +10}}, not {_kind(tnode)}",
                )
            else:
                for ck, cv in tnode.items.values():
                    change = self.trust_change(file, ck, cv, names)
                    if change is not None:
                        trust.append(change)
        changes: list[VarChange] = []
        if self.format_2_key(file, node, "vars"):
            vnode = node.items["vars"][1]
            if not isinstance(vnode, YMap):
                self.err(
                    file, vnode, "E103", f"vars must be a mapping like {{evidence: +1}}, not {_kind(vnode)}"
                )
            else:
                for vk, vv in vnode.items.values():
                    vchange = self.var_change(file, vk, vv)
                    if vchange is not None:
                        changes.append(vchange)
        set_ = self.flag_list(file, node.items.get("set"), names, "set")
        clear = self.flag_list(file, node.items.get("clear"), names, "clear")
        return Effects(tuple(trust), set_, clear, tuple(changes))

    def var_change(self, file: str, knode: YScalar, vnode: YNode) -> VarChange | None:
        vid = knode.value
        var = self.vars.get(vid)
        if var is None and vid not in self.broken_vars:
            self.err(file, knode, "E121", f"vars: unknown variable '{vid}'{did_you_mean(vid, self.vars)}")
        if not isinstance(vnode, YScalar):
            self.err(
                file, vnode, "E103", f"a variable change must be text like +1, -2 or =0, not {_kind(vnode)}"
            )
            return None
        raw = vnode.value.strip()
        m = VAR_CHANGE.match(raw)
        if m is None:
            if SIGNED.match(raw):
                hint = (
                    f"write +{raw}, -{raw} or ={raw}" if not raw.startswith("-") else f"write {raw} or ={raw}"
                )
                self.err(file, vnode, "E122", f"a variable change needs a sign or '=': {hint}")
            else:
                self.err(
                    file, vnode, "E122", f"variable change '{raw[:40]}' must look like +1, -2, =0 or =-3"
                )
            return None
        if var is None:
            return None
        op, digits = m.groups()
        amount = int(digits)
        if op == "=-" or op == "-":
            amount = -amount
        if op.startswith("="):
            if not var.min <= amount <= var.max:
                self.err(
                    file,
                    vnode,
                    "E110",
                    f"={amount} is outside the range of variable '{vid}' ({var.min} to {var.max})",
                )
                return None
            return VarChange(vid, "set", amount, self.pos(file, vnode))
        if amount > MAX_VAR:
            self.err(file, vnode, "E110", f"variable change {raw} is out of range: at most {MAX_VAR:,}")
            return None
        return VarChange(vid, "add", amount, self.pos(file, vnode))

    def trust_change(self, file: str, knode: YScalar, vnode: YNode, names: Names) -> TrustChange | None:
        cid = knode.value
        ok = True
        if cid not in names.characters:
            self.err(
                file, knode, "E105", f"trust: unknown character '{cid}'{did_you_mean(cid, names.characters)}"
            )
            ok = False
        if not isinstance(vnode, YScalar):
            self.err(
                file, vnode, "E103", f"trust change must be text like +10, -5 or %+20, not {_kind(vnode)}"
            )
            return None
        raw = vnode.value.strip()
        m = TRUST_CHANGE.match(raw)
        if m is None:
            if INTEGER.match(raw):
                self.err(file, vnode, "E111", f"trust change needs a sign: write +{raw} or -{raw}")
            else:
                self.err(
                    file, vnode, "E111", f"trust change '{raw[:40]}' must look like +10, -5, %+20 or %-20"
                )
            return None
        fair, sign, digits = m.groups()
        amount = int(digits)
        if amount > 100:
            kind = "fairmath percentage" if fair else "trust change"
            self.err(file, vnode, "E110", f"{kind} {raw} is out of range: at most 100")
            return None
        if not ok:
            return None
        return TrustChange(
            cid, "fair" if fair else "add", amount if sign == "+" else -amount, self.pos(file, vnode)
        )

    def flag_list(
        self, file: str, entry: tuple[YScalar, YNode] | None, names: Names, what: str
    ) -> tuple[str, ...]:
        if entry is None:
            return ()
        node = entry[1]
        items: list[YScalar] = []
        if isinstance(node, YScalar):
            items = [node]
        elif isinstance(node, YSeq):
            for item in node.items:
                if isinstance(item, YScalar):
                    items.append(item)
                else:
                    self.err(file, item, "E103", f"{what} lists flag ids, not {_kind(item)}")
        else:
            self.err(file, node, "E103", f"{what} must be a list of flag ids, not {_kind(node)}")
        out: list[str] = []
        for item in items:
            if item.value not in names.flags:
                self.err(
                    file,
                    item,
                    "E106",
                    f"{what}: unknown flag {_quoted(item.value)}{did_you_mean(item.value, names.flags)}",
                )
                continue
            if what == "set":
                self.reads["set"].append((item.value, self.pos(file, item)))
            out.append(item.value)
        return tuple(out)


def _choice_ids(scene_nodes: list[tuple[str, YScalar, YNode]]) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each scene's choice ids as written (an `id:`, else the `goto`), for `chosen.<scene>.<choice>`:
    read before the scenes are built, so a condition may name a choice of a later scene."""
    out: list[tuple[str, frozenset[str]]] = []
    for _, knode, vnode in scene_nodes:
        ids: set[str] = set()
        cnode = vnode.items.get("choices") if isinstance(vnode, YMap) else None
        if cnode is not None and isinstance(cnode[1], YSeq):
            for item in cnode[1].items:
                if not isinstance(item, YMap):
                    continue
                key = item.items.get("id") or item.items.get("goto")
                if key is not None and isinstance(key[1], YScalar):
                    ids.add(key[1].value.strip())
        out.append((knode.value, frozenset(ids)))
    return tuple(out)


def _split(text: str) -> list[str]:
    """A text block with blank lines holds several paragraphs; single line breaks inside a
    paragraph are joined with a space (as in Markdown), so front ends can wrap to any width."""
    if text.isprintable():  # one line, no breaks of any kind: the usual paragraph
        text = text.strip()
        return [text] if text else []
    parts = [" ".join(line.strip() for line in p.splitlines()) for p in _BLANK_LINE.split(text)]
    return [p.strip() for p in parts if p.strip()]


QUOTE_LIMIT = 40


def _quoted(value: str) -> str:
    """A value from the file, quoted in a message: a long one is cut, with its length said, so
    the diagnostic stays one readable line (a 5,000-digit trust is not printed whole)."""
    if len(value) <= QUOTE_LIMIT:
        return f"'{value}'"
    return f"'{value[:QUOTE_LIMIT]}…' ({len(value):,} characters)"


def _kind(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    return f"text '{node.value[:40]}'" if node.value else "nothing"


def name_terms(name: str) -> list[str]:
    """The terms a character's name adds: the whole name and each capitalised word of it,
    leaving out articles and titles (NAME_WORDS_NOT_TERMS)."""
    words = [w.strip(".,;:!?\"'()") for w in name.split()]
    out = [" ".join(name.split())]
    for w in words:
        if len(w) > 1 and w[0].isupper() and w not in NAME_WORDS_NOT_TERMS and w not in out:
            out.append(w)
    return out


def _with_character_terms(
    terms: dict[str, Term], characters: dict[str, Character], flags: dict[str, Flag]
) -> dict[str, Term]:
    """`terms` and the terms of each character with `introduced_by`: a word shared with a character
    the player knows from the start (no `introduced_by`) is no term, and a term met in two ways is
    introduced by any of their flags."""
    known = {w for c in characters.values() if c.introduced_by is None for w in name_terms(c.name)}
    out = dict(terms)
    for c in characters.values():
        if c.introduced_by is None or c.introduced_by not in flags:
            continue
        for word in name_terms(c.name):
            if word in known:
                continue
            found = out.get(word)
            if found is None:
                out[word] = Term(word, (c.introduced_by,), c.pos, c.id)
            elif c.introduced_by not in found.flags:
                out[word] = Term(word, (*found.flags, c.introduced_by), found.pos, found.character)
    return out
