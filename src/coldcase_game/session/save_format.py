"""The save file format (documented in docs/saves.md): encode, and decode untrusted bytes.

An envelope `{"format", "schema", "checksum", "content"}`; the checksum is the
SHA-256 of the canonical JSON of format, schema and content together, so any
edit to any of them is caught. Decoding checks, in order: size and nesting
(safe_json), the format name, the schema (newer refused, older migrated), the
checksum, then every field's type and shape. It raises only JsonRefused-style
reason phrases through `SaveFormatError`; the caller adds the file name.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from coldcase_game.engine import GameState
from coldcase_game.session.safe_json import JsonRefused, parse_json

_T = TypeVar("_T")

FORMAT = "coldcase-save"
SCHEMA = 2  # 2: the state's snapshot holds the variables (format 2), the story its folder
MAX_STEPS = 100_000
MAX_TEXT = 200
MAX_LABEL = 80
MIN_YEAR, MAX_YEAR = 1970, 9998
MAX_FOLDER = 4096


MAX_VAR = 1_000_000  # a variable's value is within its bounds, which are at most this large


def _schema_1_to_2(content: dict[str, object]) -> dict[str, object]:
    """Schema 1 had no variables (a game of a format-1 story has none) and no `story.folder`,
    where the story was loaded from ("" when unknown)."""
    out = dict(content)
    state, story = content.get("state"), content.get("story")
    # Anything not of the expected shape is left as it is: the shape check that follows names it.
    if isinstance(state, dict) and "vars" not in state:
        out["state"] = {**state, "vars": {}}
    if isinstance(story, dict) and "folder" not in story:
        out["story"] = {**story, "folder": ""}
    return out


# Migrations from older schemas: MIGRATIONS[n] turns a schema-n content dict into schema n+1.
# A migration runs after the checksum (of the file as written) has been verified.
# saves/examples/ holds real schema-1 files, replayed by the test suite through this chain.
MIGRATIONS: dict[int, Callable[[dict[str, object]], dict[str, object]]] = {1: _schema_1_to_2}

_IDENT = re.compile(r"[a-z][a-z0-9_]{0,63}")
_CHECKSUM = re.compile(r"sha256:[0-9a-f]{64}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class SaveFormatError(ValueError):
    """A reason phrase: "has been altered or damaged: ...", "is not a Cold Case save", ..."""


@dataclass(frozen=True)
class Snapshot:
    """The state at the end of the log, as saved (for listing without the story, and for comparing)."""

    scene: str
    trust: tuple[tuple[str, int], ...]
    flags: tuple[str, ...]
    taken: tuple[tuple[str, str], ...]
    visits: tuple[tuple[str, int], ...]
    journal: tuple[str, ...]
    vars: tuple[tuple[str, int], ...] = ()

    @classmethod
    def of(cls, state: GameState) -> Snapshot:
        return cls(
            scene=state.scene,
            trust=tuple(state.trust),
            flags=tuple(sorted(state.flags)),
            taken=tuple(sorted(state.taken)),
            visits=tuple(state.visits),
            journal=tuple(state.journal),
            vars=tuple(state.vars),
        )


@dataclass(frozen=True)
class SaveData:
    app_version: str
    story_id: str
    story_title: str
    story_digest: str
    scene_digests: dict[str, str]
    created: datetime
    updated: datetime
    label: str
    log: tuple[tuple[str, str], ...]
    snapshot: Snapshot
    ending: str | None
    story_folder: str = ""  # a hint: the absolute folder the story was loaded from; "" for bundled


# --- encoding ----------------------------------------------------------------------------


def _canonical(schema: int, content: dict[str, object]) -> bytes:
    body = {"format": FORMAT, "schema": schema, "content": content}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def checksum(schema: int, content: dict[str, object]) -> str:
    return "sha256:" + hashlib.sha256(_canonical(schema, content)).hexdigest()


def _time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def content_of(data: SaveData) -> dict[str, Any]:  # JSON-ready values of several shapes
    snap = data.snapshot
    return {
        "app_version": data.app_version,
        "story": {
            "id": data.story_id,
            "title": data.story_title,
            "digest": data.story_digest,
            "scenes": dict(data.scene_digests),
            "folder": data.story_folder,
        },
        "created": _time(data.created),
        "updated": _time(data.updated),
        "label": data.label,
        "log": [[scene, choice] for scene, choice in data.log],
        "state": {
            "scene": snap.scene,
            "trust": dict(snap.trust),
            "flags": list(snap.flags),
            "taken": [[s, c] for s, c in snap.taken],
            "visits": dict(snap.visits),
            "journal": list(snap.journal),
            "vars": dict(snap.vars),
        },
        "ending": data.ending,
    }


def encode(data: SaveData) -> bytes:
    """The file's bytes: indented, one log step per line, so a person can read it."""
    content = content_of(data)
    fields = []
    for key, value in content.items():
        if key == "log":
            steps = ",\n      ".join(json.dumps(step, ensure_ascii=False) for step in value)
            shown = f"[\n      {steps}\n    ]" if value else "[]"
        else:
            shown = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        fields.append(f"    {json.dumps(key)}: {shown}")
    body = ",\n".join(fields)
    text = (
        "{\n"
        f'  "format": "{FORMAT}",\n'
        f'  "schema": {SCHEMA},\n'
        f'  "checksum": "{checksum(SCHEMA, content)}",\n'
        f'  "content": {{\n{body}\n  }}\n'
        "}\n"
    )
    return text.encode("utf-8")


# --- decoding ----------------------------------------------------------------------------


class _Shape:
    """Checks one field's type and shape, naming the field when it is wrong."""

    @staticmethod
    def fail(where: str, wanted: str) -> SaveFormatError:
        return SaveFormatError(f"has a bad field '{where}': expected {wanted}")

    @classmethod
    def obj(cls, value: object, where: str, keys: tuple[str, ...]) -> dict[str, object]:
        if not isinstance(value, dict):
            raise cls.fail(where, "an object")
        missing = [k for k in keys if k not in value]
        if missing:
            raise SaveFormatError(f"is missing the field '{where}.{missing[0]}'")
        extra = [k for k in value if k not in keys]
        if extra:
            raise SaveFormatError(f"has an unknown field '{where}.{extra[0][:40]}'")
        return value

    @classmethod
    def text(cls, value: object, where: str, limit: int = MAX_TEXT) -> str:
        if not isinstance(value, str) or len(value) > limit or _CONTROL.search(value):
            raise cls.fail(where, f"text of at most {limit} characters without control characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise cls.fail(where, "valid text (it holds a lone surrogate)") from None
        return value

    @classmethod
    def ident(cls, value: object, where: str) -> str:
        if not isinstance(value, str) or not _IDENT.fullmatch(value):
            raise cls.fail(where, "an identifier (a-z, 0-9, _; at most 64 characters)")
        return value

    @classmethod
    def integer(cls, value: object, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise cls.fail(where, f"a whole number from {low} to {high}")
        return value

    @classmethod
    def array(cls, value: object, where: str, limit: int) -> list[object]:
        if not isinstance(value, list) or len(value) > limit:
            raise cls.fail(where, f"a list of at most {limit} items")
        return value

    @classmethod
    def pair(cls, value: object, where: str) -> tuple[str, str]:
        if not isinstance(value, list) or len(value) != 2:
            raise cls.fail(where, "a pair [scene id, choice id]")
        return cls.ident(value[0], f"{where}[0]"), cls.ident(value[1], f"{where}[1]")

    @classmethod
    def mapping(cls, value: object, where: str, convert: Callable[[object, str], _T]) -> dict[str, _T]:
        if not isinstance(value, dict) or len(value) > MAX_STEPS:
            raise cls.fail(where, "an object")
        return {cls.ident(k, f"{where} key"): convert(v, f"{where}.{k}") for k, v in value.items()}

    @classmethod
    def time(cls, value: object, where: str) -> datetime:
        text = cls.text(value, where, 40)
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            parsed = (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)
        except (ValueError, OverflowError):
            raise cls.fail(where, "a date and time like 2025-01-31T18:00:00Z") from None
        if not MIN_YEAR <= parsed.year <= MAX_YEAR:  # shown in local time, a date at the end of the
            # calendar would overflow it (year 1 west of UTC, year 9999 east of it)
            raise cls.fail(where, f"a date and time from the years {MIN_YEAR} to {MAX_YEAR}")
        return parsed


def _decode_content(content: dict[str, object]) -> SaveData:
    S = _Shape
    c = S.obj(
        content, "content", ("app_version", "story", "created", "updated", "label", "log", "state", "ending")
    )
    story = S.obj(c["story"], "story", ("id", "title", "digest", "scenes", "folder"))
    state = S.obj(c["state"], "state", ("scene", "trust", "flags", "taken", "visits", "journal", "vars"))
    log = S.array(c["log"], "log", MAX_STEPS)
    ending = c["ending"]
    return SaveData(
        app_version=S.text(c["app_version"], "app_version", 40),
        story_id=S.ident(story["id"], "story.id"),
        story_title=S.text(story["title"], "story.title"),
        story_digest=S.text(story["digest"], "story.digest", 100),
        scene_digests=S.mapping(story["scenes"], "story.scenes", lambda v, w: S.text(v, w, 100)),
        created=S.time(c["created"], "created"),
        updated=S.time(c["updated"], "updated"),
        label=S.text(c["label"], "label", MAX_LABEL),
        log=tuple(S.pair(step, f"log[{i}]") for i, step in enumerate(log)),
        snapshot=Snapshot(
            scene=S.ident(state["scene"], "state.scene"),
            trust=tuple(
                S.mapping(state["trust"], "state.trust", lambda v, w: S.integer(v, w, 0, 100)).items()
            ),
            flags=tuple(
                S.ident(f, "state.flags[]") for f in S.array(state["flags"], "state.flags", MAX_STEPS)
            ),
            taken=tuple(
                S.pair(p, "state.taken[]") for p in S.array(state["taken"], "state.taken", MAX_STEPS)
            ),
            visits=tuple(
                S.mapping(
                    state["visits"], "state.visits", lambda v, w: S.integer(v, w, 1, MAX_STEPS + 1)
                ).items()
            ),
            journal=tuple(
                S.ident(f, "state.journal[]") for f in S.array(state["journal"], "state.journal", MAX_STEPS)
            ),
            vars=tuple(
                S.mapping(
                    state["vars"], "state.vars", lambda v, w: S.integer(v, w, -MAX_VAR, MAX_VAR)
                ).items()
            ),
        ),
        ending=None if ending is None else S.text(ending, "ending"),
        story_folder=S.text(story["folder"], "story.folder", MAX_FOLDER),
    )


def decode(raw: bytes) -> SaveData:
    """Check and decode a save file's bytes. Raises SaveFormatError with a reason phrase."""
    try:
        doc = parse_json(raw)
    except JsonRefused as exc:
        raise SaveFormatError(str(exc)) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise SaveFormatError('is not a Cold Case save (no "format": "coldcase-save" field)')
    schema = doc.get("schema")
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise SaveFormatError("has a bad field 'schema': expected a whole number from 1")
    if schema > SCHEMA:
        raise SaveFormatError(
            f"was written by a newer Cold Case (save schema {schema}; this version reads up to {SCHEMA}):"
            " update the game to load it"
        )
    _Shape.obj(doc, "save", ("format", "schema", "checksum", "content"))
    stated = doc["checksum"]
    if not isinstance(stated, str) or not _CHECKSUM.fullmatch(stated):
        raise SaveFormatError("has a bad field 'checksum': expected sha256: and 64 hex digits")
    content = doc["content"]
    if not isinstance(content, dict):
        raise _Shape.fail("content", "an object")
    if checksum(schema, content) != stated:
        raise SaveFormatError("has been altered or damaged: its checksum does not match its content")
    for version in range(schema, SCHEMA):
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            raise SaveFormatError(
                f"uses save schema {schema}, which this version of Cold Case can no longer read"
            )
        content = migrate(content)
    return _decode_content(content)
