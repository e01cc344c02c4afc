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

from coldcase_game.story import yamlsafe
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
    FORMAT_VERSION,
    NO_EFFECTS,
    Character,
    Choice,
    Condition,
    Effects,
    Flag,
    Paragraph,
    Pos,
    Scene,
    Story,
    TrustChange,
)
from coldcase_game.story.yamlsafe import YMap, YNode, YScalar, YSeq, clean_text

IDENT = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")
INTEGER = re.compile(r"^(0|[1-9][0-9]{0,8})\Z")
TRUST_CHANGE = re.compile(r"^(%?)([+-])(0|[1-9][0-9]{0,8})\Z")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_new_pos = partial(
    tuple.__new__, Pos
)  # Pos((file, line, col)) without the named tuple's Python-level __new__
BOOLEANS = {"true": True, "false": False}
MANIFEST = "story.yaml"

MANIFEST_KEYS = ("format", "title", "summary", "author", "start", "characters", "flags")
CHARACTER_KEYS = ("name", "trust", "about")
SCENE_FILE_KEYS = ("scenes",)
SCENE_KEYS = ("title", "text", "on_enter", "choices", "ending")
CHOICE_KEYS = ("text", "goto", "id", "if", "locked", "once", "do")
EFFECT_KEYS = ("trust", "set", "clear")
PARAGRAPH_KEYS = ("if", "text")
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
) -> LoadResult:
    """Load and check a story folder, returning the story (None on errors) and all diagnostics.

    With a `cache` (see story/cache.py), files and scene files unchanged since the last load
    with that cache are not read or built again; the result is the same."""
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
        return _read(root, files, out, use_libyaml, with_warnings, cache)
    finally:
        if collecting:
            gc.enable()


def _read(
    root: Path,
    files: list[Path],
    out: Collector,
    use_libyaml: bool,
    with_warnings: bool,
    cache: LoadCache | None = None,
) -> LoadResult:
    manifest_path = root / MANIFEST
    builder = _Builder(root, out, use_libyaml, cache)
    manifest = builder.read(manifest_path)
    documents = [builder.read(p) for p in files]
    story = builder.build(manifest, documents)
    if story is not None and with_warnings:
        from coldcase_game.story.checks import graph_warnings

        graph_warnings(story, builder.reads, out)
    shown = [builder.display(manifest_path)] + [builder.display(p) for p in files]
    if out.has_errors:
        return LoadResult(None, sorted(out.items), shown)
    return LoadResult(story, sorted(out.items), shown)


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
        self.reads: dict[str, list[tuple[str, Pos]]] = {"set": [], "read": []}
        self.texts: dict[str, str] = {}  # display path -> decoded text
        # expression source -> (Expr, flags read) or ExprError
        self.compiled: dict[str, tuple[Expr, tuple[str, ...]] | ExprError] = {}
        # set when a scene file could not be read (bad YAML, not a mapping, no `scenes:`):
        # an unknown scene may then be one of its scenes, so E104 is not reported
        self.some_scenes_unread = False

    # --- files ---------------------------------------------------------------------
    def display(self, path: Path) -> str:
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive on Windows
            return str(path)
        return str(path) if rel.startswith("..") else rel

    def read(self, path: Path) -> tuple[str, YNode | None]:
        shown = self.display(path)
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(self.root.resolve()):
                self.out.error(shown, 1, 1, "E013", "symbolic link points outside the story folder")
                return shown, None
            data = None if self.cache is None else self.cache.overlay_bytes(path)  # an unsaved buffer
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

    def text(self, file: str, node: YNode, what: str, *, allow_empty: bool = False) -> str | None:
        if not isinstance(node, YScalar):
            self.err(file, node, "E103", f"{what} must be text, not {_kind(node)}")
            return None
        value = node.value
        # The file's raw text is already clean; only a double-quoted escape ("\x07") can
        # bring a control character back, so only quoted text is cleaned again.
        if node.quoted:
            value = clean_text(value)
        elif "\t" in value:
            value = value.expandtabs(4)
        value = value.strip()
        if not value and not allow_empty:
            self.err(file, node, "E117", f"{what} is empty")
            return None
        return value

    def integer(self, file: str, node: YNode, what: str) -> int | None:
        if not isinstance(node, YScalar) or node.quoted or not INTEGER.match(node.value):
            shown = f"'{node.value}'" if isinstance(node, YScalar) else _kind(node)
            self.err(file, node, "E103", f"{what} must be a whole number like 40, not {shown}")
            return None
        return int(node.value)

    def boolean(self, file: str, node: YNode, what: str) -> bool | None:
        if isinstance(node, YScalar) and not node.quoted and node.value.lower() in BOOLEANS:
            return BOOLEANS[node.value.lower()]
        shown = f"'{node.value}'" if isinstance(node, YScalar) else _kind(node)
        self.err(file, node, "E103", f"{what} must be true or false, not {shown}")
        return None

    def ident(self, file: str, node: YScalar, what: str) -> bool:
        if IDENT.match(node.value):
            return True
        self.err(
            file,
            node,
            "E109",
            f"{what} '{node.value[:70]}' is not a valid id: "
            "use lowercase letters, digits and _, starting with a letter",
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
        title = self.text(mfile, items["title"][1], "title") if "title" in items else None
        summary = (
            self.text(mfile, items["summary"][1], "summary", allow_empty=True) if "summary" in items else ""
        )
        author = self.text(mfile, items["author"][1], "author", allow_empty=True) if "author" in items else ""

        characters = self.characters(mfile, items.get("characters"))
        flags = self.flags(mfile, items.get("flags"))

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
                "the story has no scenes: add scene files (*.yaml with a 'scenes:' mapping) to the folder",
            )

        names = Names(frozenset(characters), frozenset(flags), frozenset(seen))
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

        if self.out.has_errors or title is None or start is None:
            return None
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
        )

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
            if self.ident(file, knode, f"{what} id"):
                yield key, knode, vnode

    def characters(self, file: str, entry: tuple[YScalar, YNode] | None) -> dict[str, Character]:
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
            out[cid] = Character(cid, name or cid, trust, about or "", self.pos(file, knode))
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
        items = node.items
        title = self.text(file, items["title"][1], "title") if "title" in items else None
        paragraphs = self.paragraphs(file, items["text"][1], names) if "text" in items else ()
        on_enter = (
            self.effects(file, items["on_enter"][1], names, "on_enter") if "on_enter" in items else NO_EFFECTS
        )
        ending = None
        if "ending" in items:
            ending = self.text(file, items["ending"][1], "ending")
        choices: tuple[Choice, ...] = ()
        if "choices" in items:
            cknode, cnode = items["choices"]
            if "ending" in items:
                self.err(
                    file, cknode, "E112", f"scene '{sid}' is an ending ('{ending}') and cannot have choices"
                )
            else:
                choices = self.choices(file, sid, cnode, names)
        elif "ending" not in items:
            self.err(
                file,
                knode,
                "E113",
                f"scene '{sid}' has no choices and is not an ending: add 'choices:' or 'ending: <title>'",
            )
        return Scene(sid, title, paragraphs, on_enter, choices, ending, self.pos(file, knode))

    def paragraphs(self, file: str, node: YNode, names: Names) -> tuple[Paragraph, ...]:
        out: list[Paragraph] = []
        if isinstance(node, YScalar):
            text = self.text(file, node, "text")
            return tuple(Paragraph(p, None, self.pos(file, node)) for p in _split(text)) if text else ()
        if not isinstance(node, YSeq):
            self.err(file, node, "E103", "text must be text or a list of paragraphs")
            return ()
        if not node.items:
            self.err(file, node, "E117", "text is an empty list")
        for item in node.items:
            if isinstance(item, YScalar):
                text = self.text(file, item, "paragraph")
                out.extend(Paragraph(p, None, self.pos(file, item)) for p in _split(text or ""))
            elif isinstance(item, YMap):
                self.keys(file, item, PARAGRAPH_KEYS, ("if", "text"), "a conditional paragraph")
                cond = self.condition(file, item.items["if"][1], names) if "if" in item.items else None
                text = self.text(file, item.items["text"][1], "paragraph") if "text" in item.items else None
                if text:
                    out.extend(Paragraph(p, cond, self.pos(file, item)) for p in _split(text))
            else:
                self.err(file, item, "E103", "a paragraph must be text, or a mapping with 'if' and 'text'")
        return tuple(out)

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
            if text is None or goto is None or cid is None:
                continue
            out.append(Choice(cid, text, goto, cond, locked, once, effects, self.pos(file, item)))
        return tuple(out)

    def condition(self, file: str, node: YNode, names: Names) -> Condition | None:
        if not isinstance(node, YScalar):
            self.err(file, node, "E103", f"if must be an expression written as text, not {_kind(node)}")
            return None
        source = node.value
        try:
            cached = self.compiled.get(source)
            if cached is None:
                try:
                    compiled = compile_expr(source, names)
                    cached = (compiled, tuple(name for kind, name in names_in(compiled) if kind == "flag"))
                except ExprError as exc:
                    cached = exc
                self.compiled[source] = cached
            if isinstance(cached, ExprError):
                raise cached
            expr, flags_read = cached
        except ExprError as exc:
            line, col = yamlsafe.place_in_scalar(self.texts.get(file, ""), node, min(exc.offset, len(source)))
            code = "E304" if len(source) > 256 else exc.code
            self.out.error(file, line, col, code, f"if: {exc.message}")
            return None
        pos = self.pos(file, node)
        if flags_read:
            reads = self.reads["read"]
            for name in flags_read:
                reads.append((name, pos))
        return Condition(source, expr, pos)

    def effects(self, file: str, node: YNode, names: Names, what: str) -> Effects:
        if not isinstance(node, YMap):
            self.err(
                file, node, "E103", f"{what} must be a mapping with trust, set or clear, not {_kind(node)}"
            )
            return NO_EFFECTS
        self.keys(file, node, EFFECT_KEYS, (), what)
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
        set_ = self.flag_list(file, node.items.get("set"), names, "set")
        clear = self.flag_list(file, node.items.get("clear"), names, "clear")
        return Effects(tuple(trust), set_, clear)

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
                    f"{what}: unknown flag '{item.value}'{did_you_mean(item.value, names.flags)}",
                )
                continue
            if what == "set":
                self.reads["set"].append((item.value, self.pos(file, item)))
            out.append(item.value)
        return tuple(out)


def _split(text: str) -> list[str]:
    """A text block with blank lines holds several paragraphs; single line breaks inside a
    paragraph are joined with a space (as in Markdown), so front ends can wrap to any width."""
    if text.isprintable():  # one line, no breaks of any kind: the usual paragraph
        text = text.strip()
        return [text] if text else []
    parts = [" ".join(line.strip() for line in p.splitlines()) for p in _BLANK_LINE.split(text)]
    return [p.strip() for p in parts if p.strip()]


def _kind(node: YNode) -> str:
    if isinstance(node, YMap):
        return "a mapping"
    if isinstance(node, YSeq):
        return "a list"
    return f"text '{node.value[:40]}'" if node.value else "nothing"
