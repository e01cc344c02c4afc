"""`coldcase lsp`: the language server, over stdio, with pygls.

Diagnostics are every `coldcase check` diagnostic, refreshed on each change from the buffers as
typed (only the changed file is parsed and built again: story/cache.py); on save (and when a story
is first opened) explore runs in a worker thread, bounded, and its findings join the diagnostics
as warnings at the scene they concern. Definition, references, rename, hover, completion and
document symbols read the index of names (index.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from coldcase_game import __version__
from coldcase_game.lsp import complete
from coldcase_game.lsp.index import MANIFEST, Declared, Kind, Occurrence
from coldcase_game.lsp.positions import UTF16, Lines
from coldcase_game.lsp.project import (
    EXPLORE_MAX_STATES,
    EXPLORE_SECONDS,
    EXPLORE_TOO_BIG,
    ExploreNote,
    Project,
    explore_command,
    limit_note,
    notes_from_report,
    story_root,
)
from coldcase_game.story.loader import IDENT

log = logging.getLogger(__name__)

_KEYWORDS = ("and", "or", "not", "true", "false")
_SEVERITY = {"error": lsp.DiagnosticSeverity.Error, "warning": lsp.DiagnosticSeverity.Warning}


class ColdcaseServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("coldcase", __version__)
        self.projects: dict[str, Project] = {}
        self.roots: dict[str, str | None] = {}  # file -> its story folder
        self.published: dict[str, list[lsp.Diagnostic]] = {}
        self.explore_max_states = EXPLORE_MAX_STATES
        self.explore_seconds = EXPLORE_SECONDS
        self.exploring: dict[str, asyncio.subprocess.Process] = {}  # story folder -> its exploration
        self.explore_again: set[str] = set()  # ... saved again meanwhile

    # --- places ------------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        found = self.workspace.position_encoding if self.protocol._workspace is not None else None
        return str(found.value if isinstance(found, lsp.PositionEncodingKind) else found or UTF16)

    def lines(self, project: Project, path: str) -> Lines:
        return Lines(project.text_of(path), self.encoding)

    def range_of(self, lines: Lines, line: int, col: int, length: int) -> lsp.Range:
        start = lines.to_lsp(line, col)
        end = lines.to_lsp(line, col + length)
        return lsp.Range(lsp.Position(*start), lsp.Position(*end))

    def location(self, project: Project, occ: Occurrence) -> lsp.Location:
        lines = self.lines(project, occ.file)
        return lsp.Location(
            from_fs_path(occ.file) or occ.file, self.range_of(lines, occ.line, occ.col, occ.length)
        )

    def project_for(self, uri: str) -> tuple[Project, str] | None:
        path = to_fs_path(uri)
        if path is None:
            return None
        path = os.path.abspath(path)
        if path not in self.roots:
            self.roots[path] = story_root(path)
        root = self.roots[path]
        if root is None:
            return None
        project = self.projects.get(root)
        if project is None:
            project = self.projects[root] = Project(root)
        return project, path

    # --- diagnostics ---------------------------------------------------------------------
    def refresh(self, project: Project, *, also: set[str] | None = None) -> None:
        changed = project.reload() | (also or set())
        self.publish(project, changed)

    def publish(self, project: Project, paths: set[str]) -> None:
        notes = project.note_places()
        for path in sorted(paths | set(notes)):
            lines = self.lines(project, path)
            items: list[lsp.Diagnostic] = []
            for d in project.diagnostics.get(path, []):
                index, first, last = lines.span(d.line, d.col, expression=d.code.startswith("E3"))
                items.append(
                    lsp.Diagnostic(
                        range=lsp.Range(
                            lsp.Position(index, lines.lsp_col(index, first)),
                            lsp.Position(index, lines.lsp_col(index, last)),
                        ),
                        message=d.message,
                        severity=_SEVERITY[d.severity],
                        code=d.code,
                        source="coldcase check",
                    )
                )
            for note, line, col, length in notes.get(path, []):
                items.append(
                    lsp.Diagnostic(
                        range=self.range_of(lines, line, col, length),
                        message=note.message,
                        severity=lsp.DiagnosticSeverity.Warning
                        if note.severity == "warning"
                        else lsp.DiagnosticSeverity.Information,
                        code=note.code,
                        source="coldcase explore",
                    )
                )
            if self.published.get(path) == items:
                continue
            self.published[path] = items
            uri = from_fs_path(path) or path
            self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=items))

    async def explore(self, project: Project) -> None:
        """Explore the story as saved, in a process of its own, one per story at a time: a save
        during an exploration stops it and starts again. The findings are published when it ends."""
        root = project.root
        running = self.exploring.get(root)
        if running is not None:
            self.explore_again.add(root)
            with contextlib.suppress(ProcessLookupError):
                running.kill()  # stale: the story it is searching has been saved again
            return
        while True:
            self.explore_again.discard(root)
            notes = await self._explore_once(project)
            if root in self.explore_again:
                continue
            if notes is not None:
                before = set(project.note_places())
                project.notes = notes
                self.publish(project, before)
            return

    async def _explore_once(self, project: Project) -> list[ExploreNote] | None:
        story = project.story
        if story is None:
            return []  # a story with errors cannot be explored: the errors come first
        proc = await asyncio.create_subprocess_exec(
            *explore_command(project.root, self.explore_max_states),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        self.exploring[project.root] = proc
        try:
            out, _ = await asyncio.wait_for(proc.communicate(), self.explore_seconds)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await proc.wait()
            return [limit_note(story.start, f"took longer than {self.explore_seconds:.0f} s")]
        finally:
            self.exploring.pop(project.root, None)
        if proc.returncode == EXPLORE_TOO_BIG:
            n = self.explore_max_states
            return [limit_note(story.start, f"stopped after {n:,} state{'' if n == 1 else 's'}")]
        if proc.returncode not in (0, 1):
            return None  # stopped, or the story on disk has errors: keep what was shown
        try:
            report = json.loads(out)
        except ValueError:
            log.warning("coldcase explore --json printed something that is not JSON")
            return None
        return notes_from_report(report, story.start)

    def stop_explorations(self) -> None:
        for proc in self.exploring.values():
            with contextlib.suppress(ProcessLookupError):
                proc.kill()


server = ColdcaseServer()


# --- documents -------------------------------------------------------------------------------


@server.feature(lsp.INITIALIZE)
def _initialize(ls: ColdcaseServer, params: lsp.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict):
        bound = options.get("exploreMaxStates")
        if isinstance(bound, int) and bound >= 0:
            ls.explore_max_states = bound
        seconds = options.get("exploreSeconds")
        if isinstance(seconds, (int, float)) and seconds > 0:
            ls.explore_seconds = float(seconds)


@server.feature(lsp.SHUTDOWN)
def _shutdown(ls: ColdcaseServer, params: None) -> None:
    ls.stop_explorations()


@server.feature(lsp.INITIALIZED)
async def _initialized(ls: ColdcaseServer, params: lsp.InitializedParams) -> None:
    """Ask the editor to tell of story files changed outside it (a checkout, a new file), if it can."""
    caps = ls.client_capabilities.workspace
    watched = caps.did_change_watched_files if caps is not None else None
    if watched is None or not watched.dynamic_registration:
        return
    watchers = [lsp.FileSystemWatcher(glob_pattern=pattern) for pattern in ("**/*.yaml",)]
    await ls.client_register_capability_async(
        lsp.RegistrationParams(
            registrations=[
                lsp.Registration(
                    id="coldcase-story-files",
                    method=lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                    register_options=lsp.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
                )
            ]
        )
    )


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
async def _did_open(ls: ColdcaseServer, params: lsp.DidOpenTextDocumentParams) -> None:
    found = ls.project_for(params.text_document.uri)
    if found is None:
        return
    project, path = found
    first = project.result is None
    project.set_buffer(path, params.text_document.text)
    ls.refresh(project, also={path})
    if first and ls.explore_max_states:
        await ls.explore(project)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def _did_change(ls: ColdcaseServer, params: lsp.DidChangeTextDocumentParams) -> None:
    found = ls.project_for(params.text_document.uri)
    if found is None:
        return
    project, path = found
    project.set_buffer(path, ls.workspace.get_text_document(params.text_document.uri).source)
    ls.refresh(project, also={path})


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE, lsp.SaveOptions(include_text=False))
async def _did_save(ls: ColdcaseServer, params: lsp.DidSaveTextDocumentParams) -> None:
    found = ls.project_for(params.text_document.uri)
    if found is None:
        return
    project, _ = found
    ls.refresh(project)
    if ls.explore_max_states:
        await ls.explore(project)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def _did_close(ls: ColdcaseServer, params: lsp.DidCloseTextDocumentParams) -> None:
    found = ls.project_for(params.text_document.uri)
    if found is None:
        return
    project, path = found
    project.set_buffer(path, None)
    ls.refresh(project)


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def _watched(ls: ColdcaseServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    """Files changed on disk (a checkout, another program): check their stories again."""
    roots = set()
    for change in params.changes:
        path = to_fs_path(change.uri)
        if path is not None:
            ls.roots.pop(os.path.abspath(path), None)  # a story.yaml may have come or gone
        found = ls.project_for(change.uri)
        if found is not None:
            roots.add(found[0].root)
    for root in roots:
        ls.refresh(ls.projects[root])


# --- names -------------------------------------------------------------------------------------


def _occurrence(ls: ColdcaseServer, uri: str, position: lsp.Position) -> tuple[Project, Occurrence] | None:
    found = ls.project_for(uri)
    if found is None:
        return None
    project, path = found
    line, col = ls.lines(project, path).from_lsp(position.line, position.character)
    occ = project.index.at(path, line, col)
    return (project, occ) if occ is not None else None


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def _definition(ls: ColdcaseServer, params: lsp.DefinitionParams) -> list[lsp.Location] | None:
    found = _occurrence(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    project, occ = found
    decls = project.index.declarations(project.index.resolve(occ), occ.name)
    return [ls.location(project, d) for d in decls] or None


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def _references(ls: ColdcaseServer, params: lsp.ReferenceParams) -> list[lsp.Location] | None:
    found = _occurrence(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    project, occ = found
    uses = project.index.uses(
        project.index.resolve(occ), occ.name, with_declaration=params.context.include_declaration
    )
    return [ls.location(project, o) for o in uses]


def _hover_text(kind: Kind, name: str, info: Declared | None) -> str:
    if info is None:
        return f"unknown {kind} `{name}`"
    if kind == "scene":
        heading = info.title or name.replace("_", " ").capitalize()
        parts = [f"**{heading}** (scene `{name}`)"]
        if info.text:
            parts.append(info.text)
        if info.ending:
            parts.append(f"Ending: *{info.ending}*")
        return "\n\n".join(parts)
    if kind == "flag":
        if info.text:
            return f"flag `{name}`, a clue. Journal: {info.text}"
        return f"flag `{name}` (no journal text)"
    if kind == "character":
        trust = f"starting trust {info.trust}" if info.trust is not None else "starting trust not a number"
        parts = [f"**{info.title}** (character `{name}`), {trust}"]
        if info.detail:
            parts.append(info.detail)
        if info.text:
            parts.append(info.text)
        return "\n\n".join(parts)
    shown = f", shown as **{info.title}**" if info.title else ", hidden from the player"
    return f"variable `{name}`: {info.detail}{shown}"


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def _hover(ls: ColdcaseServer, params: lsp.HoverParams) -> lsp.Hover | None:
    found = _occurrence(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    project, occ = found
    kind = project.index.resolve(occ)
    lines = ls.lines(project, occ.file)
    return lsp.Hover(
        contents=lsp.MarkupContent(
            kind=lsp.MarkupKind.Markdown,
            value=_hover_text(kind, occ.name, project.index.info(kind, occ.name)),
        ),
        range=ls.range_of(lines, occ.line, occ.col, occ.length),
    )


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def _prepare_rename(ls: ColdcaseServer, params: lsp.PrepareRenameParams) -> lsp.Range | None:
    found = _occurrence(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    project, occ = found
    if not project.index.declarations(project.index.resolve(occ), occ.name):
        return None  # an unknown name: nothing to rename (check says so)
    return ls.range_of(ls.lines(project, occ.file), occ.line, occ.col, occ.length)


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def _rename(ls: ColdcaseServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
    found = _occurrence(ls, params.text_document.uri, params.position)
    if found is None:
        return None
    project, occ = found
    kind = project.index.resolve(occ)
    new = params.new_name
    if not IDENT.match(new):
        raise JsonRpcInvalidParams(
            f"'{new}' is not a valid id: use lowercase letters, digits and _, starting with a letter"
        )
    if not project.index.declarations(kind, occ.name):
        raise JsonRpcInvalidParams(f"{kind} '{occ.name}' is not declared, so there is nothing to rename")
    clash_kinds: tuple[Kind, ...] = ("scene",) if kind == "scene" else ("flag", "character", "var")
    for other in clash_kinds:
        taken = project.index.declarations(other, new)
        if taken:
            t = taken[0]
            raise JsonRpcInvalidParams(
                f"there is already a {other} '{new}' ({os.path.relpath(t.file, project.root)}:{t.line})"
            )
    changes: dict[str, list[lsp.TextEdit]] = {}
    for use in project.index.uses(kind, occ.name):
        uri = from_fs_path(use.file) or use.file
        lines = ls.lines(project, use.file)
        changes.setdefault(uri, []).append(
            lsp.TextEdit(range=ls.range_of(lines, use.line, use.col, use.length), new_text=new)
        )
    return lsp.WorkspaceEdit(changes=changes)


# --- completion, symbols --------------------------------------------------------------------------


def _items(project: Project, kind: Kind, prefix: str = "") -> list[lsp.CompletionItem]:
    out = []
    for name, info in project.index.declared(kind).items():
        if kind == "scene":
            detail = info.title or (f"ending: {info.ending}" if info.ending else "")
            item_kind = lsp.CompletionItemKind.Module
        elif kind == "flag":
            detail = info.text or "flag"
            item_kind = lsp.CompletionItemKind.Constant
        elif kind == "character":
            detail = f"{info.title}, trust {info.trust}" if info.trust is not None else info.title
            item_kind = lsp.CompletionItemKind.Class
        else:
            detail = f"variable {info.detail}"
            item_kind = lsp.CompletionItemKind.Variable
        out.append(
            lsp.CompletionItem(
                label=name, kind=item_kind, detail=detail, filter_text=name, sort_text=prefix + name
            )
        )
    return out


@server.feature(lsp.TEXT_DOCUMENT_COMPLETION, lsp.CompletionOptions(trigger_characters=[".", " ", ":"]))
def _completion(ls: ColdcaseServer, params: lsp.CompletionParams) -> lsp.CompletionList | None:
    found = ls.project_for(params.text_document.uri)
    if found is None:
        return None
    project, path = found
    lines = ls.lines(project, path)
    line, col = lines.from_lsp(params.position.line, params.position.character)
    ctx = complete.context(
        lines.lines,
        line - 1,
        col - 1,
        manifest=os.path.basename(path) == MANIFEST,
        fmt=project.index.format,
    )
    items: list[lsp.CompletionItem] = []
    if ctx.want == "keys":
        items = [
            lsp.CompletionItem(label=k, kind=lsp.CompletionItemKind.Property, insert_text=f"{k}: ")
            for k in ctx.keys
        ]
    elif ctx.want in ("scene", "flag", "character", "var"):
        items = _items(project, ctx.want)
    elif ctx.want == "expression":
        if ctx.prefix == "trust.":
            items = _items(project, "character")
        elif ctx.prefix in ("visits.", "chosen."):
            items = _items(project, "scene")
        elif ctx.prefix.startswith("chosen."):  # chosen.SCENE.: that scene's choices
            scene = project.index.info("scene", ctx.prefix.split(".")[1])
            items = [
                lsp.CompletionItem(label=c, kind=lsp.CompletionItemKind.EnumMember, detail="choice")
                for c in (scene.choices if scene else ())
            ]
        elif ctx.prefix:
            items = []  # a member of something that has none
        else:
            items = _items(project, "flag") + _items(project, "var")
            items += [
                lsp.CompletionItem(
                    label="trust.", kind=lsp.CompletionItemKind.Module, detail="trust.<character>"
                ),
                lsp.CompletionItem(
                    label="visits.", kind=lsp.CompletionItemKind.Module, detail="visits.<scene>"
                ),
            ]
            if project.index.format >= 2:
                items.append(
                    lsp.CompletionItem(
                        label="chosen.", kind=lsp.CompletionItemKind.Module, detail="chosen.<scene>.<choice>"
                    )
                )
            items += [lsp.CompletionItem(label=k, kind=lsp.CompletionItemKind.Keyword) for k in _KEYWORDS]
    return lsp.CompletionList(is_incomplete=False, items=items)


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def _symbols(ls: ColdcaseServer, params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol] | None:
    found = ls.project_for(params.text_document.uri)
    if found is None:
        return None
    project, path = found
    lines = ls.lines(project, path)
    out: list[lsp.DocumentSymbol] = []
    for occ, info in project.index.scenes_of(path):
        name_range = ls.range_of(lines, occ.line, occ.col, occ.length)
        last = max(info.end_line, occ.line)
        whole = lsp.Range(
            lsp.Position(occ.line - 1, 0),
            lsp.Position(last - 1, lines.lsp_col(last - 1, len(lines.line(last - 1)))),
        )
        detail = info.title or ""
        if info.ending:
            detail = f"{detail} (ending: {info.ending})" if detail else f"ending: {info.ending}"
        out.append(
            lsp.DocumentSymbol(
                name=occ.name,
                detail=detail,
                kind=lsp.SymbolKind.Class,
                range=whole,
                selection_range=name_range,
            )
        )
    if os.path.basename(path) == MANIFEST:
        kinds = {
            "character": lsp.SymbolKind.Object,
            "flag": lsp.SymbolKind.Boolean,
            "var": lsp.SymbolKind.Variable,
        }
        index = project.index.files.get(path)
        for occ in index.occurrences if index else []:
            if occ.declaration and occ.kind in kinds:
                r = ls.range_of(lines, occ.line, occ.col, occ.length)
                out.append(
                    lsp.DocumentSymbol(
                        name=occ.name, detail=occ.kind, kind=kinds[occ.kind], range=r, selection_range=r
                    )
                )
    return out


def main() -> int:
    logging.basicConfig(level=logging.WARNING, format="coldcase lsp: %(message)s")
    server.start_io()
    return 0
