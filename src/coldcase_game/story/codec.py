"""A versioned JSON codec for the story model, for the compile cache (story/disk_cache.py).

No pickle, no marshal, no eval: a story becomes plain JSON values and is rebuilt from them by
calling the model's own constructors. The codec is generic: it is driven by each class's
`dataclasses.fields` and type hints, over a registry of the model's classes (every dataclass
of story/model.py, story/expr.py and story/diagnostics.py, and `Pos`), so a field added to the
model is stored without a change here. A type the codec does not know (a callable, say) is a
`CodecError` when the codec is built, which the round-trip test (tests/core/test_codec.py)
reports at once.

The form, for a value of each kind of type hint:

* `str`, `int`, `bool`, `float`, `None`, `Literal[...]`: the JSON value itself.
* `tuple[X, ...]`, `frozenset[X]`: a list; `dict[str, X]`: an object (key order is kept).
* a model dataclass: a list of its fields' values, in field order; where the hint is a union,
  `[class name, field, ...]`, so the decoder knows which class it is.
* a class none of whose fields holds a position (the expression nodes): shared. Each one is
  stored once, in the payload's `shared` list (children before their parents), and stands as its
  index there wherever it is used. The loader shares an expression's nodes between the
  conditions with the same source, and the decoded story shares them the same way.
* `Pos`: one integer packing (file, line, col), the file as an index into the payload's `table`
  of path strings; `[file, line, col]` if a line or column is too large to pack.
* the fields that hold a path (`Story.root`, `Story.files`, `Diagnostic.file`): an index into
  `table` too. The paths shown depend on the current folder; storing each once lets the cache
  hand them back as the current folder shows them (`relocate`).

Decoding checks every value against its type hint: a list of the wrong length, a string where
an int belongs, an unknown class name, an index out of range, a literal outside its set: all
are `CodecError`, never a half-built story.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import sys
import types
import typing
from collections.abc import Callable, Iterable
from operator import attrgetter, itemgetter
from typing import Any, Literal

from coldcase_game.story import diagnostics as _diagnostics
from coldcase_game.story import expr as _expr
from coldcase_game.story import model as _model
from coldcase_game.story.diagnostics import Diagnostic
from coldcase_game.story.model import Pos, Story

CODEC_VERSION = 1  # raise when the encoded form changes in a way the fingerprint does not see

_MODULES = (_model, _expr, _diagnostics)
# fields that hold a path as shown to the user (see the module docstring)
PATH_FIELDS: dict[type, frozenset[str]] = {
    Story: frozenset({"root", "files"}),
    Diagnostic: frozenset({"file"}),
}
_BITS = 22  # bits for a line and for a column in a packed Pos
_MASK = (1 << _BITS) - 1
_SHIFT = 2 * _BITS
_new_pos: Callable[[tuple[str, int, int]], Pos] = functools.partial(tuple.__new__, Pos)

Json = Any  # a value json.loads gives or json.dumps takes
Encode = Callable[[Any], Json]
Decode = Callable[[Json], Any]


class CodecError(ValueError):
    """A value does not fit the model (on decoding), or a type the codec cannot store."""


def _registry() -> dict[str, type]:
    found: dict[str, type] = {"Pos": Pos}
    for module in _MODULES:
        found.update(
            (name, value)
            for name, value in vars(module).items()
            if isinstance(value, type)
            and dataclasses.is_dataclass(value)
            and value.__module__ == module.__name__
        )
    return found


REGISTRY: dict[str, type] = _registry()
_HINTS: dict[type, list[tuple[str, Any]]] = {}


def _fields(cls: type) -> list[tuple[str, Any]]:
    """(name, type hint) of each field `cls(...)` takes, in order; path fields marked."""
    found = _HINTS.get(cls)
    if found is None:
        module = sys.modules[cls.__module__]
        try:
            hints = typing.get_type_hints(cls, vars(module))
        except (NameError, TypeError) as exc:
            raise CodecError(f"cannot read the type hints of {cls.__name__}: {exc}") from None
        paths = PATH_FIELDS.get(cls, frozenset())
        found = []
        for f in dataclasses.fields(cls):
            if not f.init:
                continue  # computed by the class itself
            hint = hints[f.name]
            if f.name in paths:
                hint = _PathTuple if typing.get_origin(hint) is tuple else _Path
            found.append((f.name, hint))
        _HINTS[cls] = found
    return found


class _Path:
    """Marks a field holding a path shown to the user (stored in the table)."""


class _PathTuple:
    """Marks a tuple of such paths."""


def fingerprint() -> str:
    """A digest of the codec's version and every registered class's fields and their types: a
    cache entry written by a model with other fields is not read."""
    parts = [f"codec {CODEC_VERSION}"]
    for name in sorted(REGISTRY):
        cls = REGISTRY[name]
        if cls is Pos:
            parts.append(f"Pos {Pos._fields}")
            continue
        parts.append(name + "(" + ", ".join(f"{n}: {_hint_name(h)}" for n, h in _fields(cls)) + ")")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _hint_name(hint: Any) -> str:
    return hint.__name__ if isinstance(hint, type) else repr(hint)


_INTERNED: dict[type, bool] = {}


def _interned(cls: type) -> bool:
    found = _INTERNED.get(cls)
    if found is None:
        found = _INTERNED[cls] = _position_free(cls)
    return found


def _position_free(cls: type, seen: frozenset[type] = frozenset()) -> bool:
    """Whether instances of `cls` are stored once and referred to by index: no field of it
    holds a position, at any depth (so equal ones may be shared)."""
    if cls is Pos or cls in PATH_FIELDS:
        return False
    if cls in seen:
        return True
    for _, hint in _fields(cls):
        for leaf in _leaves(hint):
            if leaf is Pos or leaf in (_Path, _PathTuple):
                return False
            if leaf in REGISTRY.values() and not _position_free(leaf, seen | {cls}):
                return False
    return True


def _leaves(hint: Any) -> Iterable[Any]:
    args = typing.get_args(hint)
    if not args or typing.get_origin(hint) is Literal:
        yield hint
        return
    for arg in args:
        if arg is not Ellipsis:
            yield from _leaves(arg)


_SCALARS: tuple[type, ...] = (str, int, bool, float, type(None))


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


class Encoder:
    """Encodes one payload: a story and diagnostics sharing one path table and shared list."""

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self.table: list[str] = []
        self._table_index: dict[str, int] = {}
        self.shared: list[Json] = []
        self._shared_index: dict[int, int] = {}  # id(node) -> index in shared
        self._keep: list[object] = []  # the shared nodes, alive while their ids are in use
        self._memo: dict[Any, Encode] = {}
        for path in paths:
            self.path(path)

    def path(self, value: str) -> int:
        found = self._table_index.get(value)
        if found is None:
            found = self._table_index[value] = len(self.table)
            self.table.append(value)
        return found

    def encode(self, value: Any, hint: Any) -> Json:
        return self.encoder(hint)(value)

    def encoder(self, hint: Any) -> Encode:
        found = self._memo.get(hint)
        if found is None:
            later: list[Encode] = []
            self._memo[hint] = lambda v: later[0](v)  # for a recursive type, until it is built
            found = self._build(hint)
            later.append(found)
            self._memo[hint] = found
        return found

    def _build(self, hint: Any) -> Encode:
        if hint in _SCALARS or typing.get_origin(hint) is Literal:
            return _same
        if hint is _Path:
            return self.path
        if hint is _PathTuple:
            return lambda v: [self.path(p) for p in v]
        if hint is Pos:
            return self._pos
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (tuple, frozenset, list) and (origin is not tuple or args[1:] == (Ellipsis,)):
            item = self.encoder(args[0])
            if item is _same:
                return list
            return lambda v: list(map(item, v)) if v else []
        if origin is tuple:  # a fixed-length tuple
            items = [self.encoder(a) for a in args]
            return lambda v: [e(x) for e, x in zip(items, v, strict=True)]
        if origin is dict:
            if args[0] is not str:
                raise CodecError(f"only dict[str, ...] can be stored, not {hint!r}")
            value = self.encoder(args[1])
            if value is _same:
                return dict
            return lambda v: {k: value(x) for k, x in v.items()}
        if _is_union(hint):
            return self._union(hint)
        if isinstance(hint, type) and hint in REGISTRY.values():
            return self._class(hint, tagged=False)
        raise CodecError(f"the cache codec cannot store a value of type {_hint_name(hint)}")

    def _union(self, hint: Any) -> Encode:
        members = typing.get_args(hint)
        _check_union(hint)
        inner = _optional(hint)
        if inner is not None:
            some = self.encoder(inner)
            return lambda v: None if v is None else some(v)
        by_type: dict[type, Encode] = {}
        for m in members:
            if isinstance(m, type) and m in REGISTRY.values() and m is not Pos:
                by_type[m] = self._class(m, tagged=True)
            elif m in _SCALARS:
                by_type[m] = _same
            elif m is Pos:
                by_type[m] = self._pos
        containers = [m for m in members if typing.get_origin(m) in (tuple, frozenset, dict, list)]
        container = self.encoder(containers[0]) if containers else None

        def encode(v: Any) -> Json:
            found = by_type.get(type(v))
            if found is not None:
                return found(v)
            if container is not None:
                return container(v)
            raise CodecError(f"a {type(v).__name__} where {hint!r} belongs")

        return encode

    def _class(self, cls: type, *, tagged: bool) -> Encode:
        names = [n for n, _ in _fields(cls)]
        encoders = [self.encoder(h) for _, h in _fields(cls)]
        get = attrgetter(*names) if len(names) > 1 else (lambda v: (getattr(v, names[0]),))
        plain = all(e is _same for e in encoders)
        if _interned(cls):
            tag = cls.__name__
            shared, index, keep = self.shared, self._shared_index, self._keep

            def intern(v: Any) -> int:
                found = index.get(id(v))
                if found is None:
                    values = get(v)
                    fields = list(values) if plain else [e(x) for e, x in zip(encoders, values, strict=True)]
                    found = index[id(v)] = len(shared)
                    shared.append([tag, *fields])
                    keep.append(v)
                return found

            return intern
        if tagged:
            tag = cls.__name__
            if plain:
                return lambda v: [tag, *get(v)]
            return lambda v: [tag, *[e(x) for e, x in zip(encoders, get(v), strict=True)]]
        if plain:
            return lambda v: list(get(v))
        # only the fields that need it are converted; positions are packed here, without a call
        positions = [i for i, (_, h) in enumerate(_fields(cls)) if h is Pos]
        convert = [(i, e) for i, e in enumerate(encoders) if e is not _same and i not in positions]
        table_index, path = self._table_index, self.path

        def encode(v: Any) -> Json:
            out = list(get(v))
            for i in positions:
                file, line, col = out[i]
                f = table_index.get(file)
                if f is None:
                    f = path(file)
                if 0 <= line <= _MASK and 0 <= col <= _MASK:
                    out[i] = (f << _SHIFT) | (line << _BITS) | col
                else:
                    out[i] = [f, line, col]
            for i, e in convert:
                out[i] = e(out[i])
            return out

        return encode

    def _pos(self, pos: Pos) -> Json:
        f = self.path(pos[0])
        line, col = pos[1], pos[2]
        if 0 <= line <= _MASK and 0 <= col <= _MASK:
            return (f << (2 * _BITS)) | (line << _BITS) | col
        return [f, line, col]


def _optional(hint: Any) -> Any:
    """X, for `X | None` where X is a model class, a container or a position (not a scalar,
    nor a union): stored as X is, or null."""
    members = [m for m in typing.get_args(hint) if m is not type(None)]
    if len(members) != len(typing.get_args(hint)) - 1 or len(members) != 1:
        return None
    (inner,) = members
    if inner in _SCALARS or _string_literal(inner) is not None:
        return None
    return inner


def _same(v: Json) -> Json:
    return v


def _check_union(hint: Any) -> None:
    """Refuse a union whose members the JSON form could not tell apart."""
    members = typing.get_args(hint)
    classes = [m for m in members if isinstance(m, type) and m in REGISTRY.values() and m is not Pos]
    interned = [m for m in classes if _interned(m)]
    lists = [m for m in classes if not _interned(m)]
    containers = [m for m in members if typing.get_origin(m) in (tuple, frozenset, list)]
    ints = int in members or bool in members or Pos in members
    if (interned and ints) or (Pos in members and (int in members or interned)):
        raise CodecError(f"cannot store the union {hint!r}: its members would not be told apart")
    if (lists and containers) or len(containers) > 1 or (Pos in members and (lists or containers)):
        raise CodecError(f"cannot store the union {hint!r}: its members would not be told apart")
    others = [m for m in members if m not in classes and m not in containers and m not in _SCALARS]
    others = [m for m in others if m is not Pos and typing.get_origin(m) is not dict]
    if others:
        raise CodecError(f"the cache codec cannot store {_hint_name(others[0])} (in {hint!r})")


def _bad(what: str) -> CodecError:
    return CodecError(what)


class Decoder:
    """Decodes one payload, given its path table (as the current folder shows the paths) and
    its shared list (decoded first, in order)."""

    def __init__(self, table: Json, shared: Json) -> None:
        if type(table) is not list or not all(type(p) is str for p in table):
            raise CodecError("the path table is not a list of strings")
        if type(shared) is not list:
            raise CodecError("the shared list is not a list")
        self.table: list[str] = table
        self.shared: list[Any] = []
        self._memo: dict[Any, Decode] = {}
        for entry in shared:
            if type(entry) is not list or not entry or type(entry[0]) is not str:
                raise CodecError("a shared entry is not [class, ...]")
            cls = REGISTRY.get(entry[0])
            if cls is None or cls is Pos or not _interned(cls):
                raise CodecError(f"a shared entry of an unknown class {entry[0]!r}")
            self.shared.append(self._fields_of(cls)(entry[1:]))

    def decode(self, value: Json, hint: Any) -> Any:
        try:
            return self.decoder(hint)(value)
        except CodecError:
            raise
        except (TypeError, ValueError, IndexError, KeyError, AttributeError, RecursionError) as exc:
            raise CodecError(f"{type(exc).__name__}: {exc}") from None

    def decoder(self, hint: Any) -> Decode:
        found = self._memo.get(hint)
        if found is None:
            later: list[Decode] = []
            self._memo[hint] = lambda v: later[0](v)
            found = self._build(hint)
            later.append(found)
            self._memo[hint] = found
        return found

    def _build(self, hint: Any) -> Decode:
        if hint in _SCALARS:
            return _exact(hint)
        if typing.get_origin(hint) is Literal:
            allowed = typing.get_args(hint)

            def literal(v: Json) -> Any:
                if v not in allowed or not any(type(v) is type(a) for a in allowed):
                    raise _bad(f"{v!r} is not one of {allowed!r}")
                return v

            return literal
        if hint is _Path:
            return self._path
        if hint is _PathTuple:
            path = self._path
            return lambda v: tuple([path(p) for p in _list(v)])
        if hint is Pos:
            return self._pos
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (tuple, frozenset, list) and (origin is not tuple or args[1:] == (Ellipsis,)):
            item = self.decoder(args[0])
            make: Callable[[Iterable[Any]], Any] = tuple if origin is tuple else origin

            def sequence(v: Json) -> Any:
                if type(v) is not list:
                    raise _bad(f"a {type(v).__name__} where a list belongs")
                return make(map(item, v))

            return sequence
        if origin is tuple:
            items = [self.decoder(a) for a in args]

            def fixed(v: Json) -> Any:
                if type(v) is not list or len(v) != len(items):
                    raise _bad(f"expected a list of {len(items)}")
                return tuple([d(x) for d, x in zip(items, v, strict=True)])

            return fixed
        if origin is dict:
            value = self.decoder(args[1])

            def mapping(v: Json) -> Any:
                if type(v) is not dict:
                    raise _bad("expected an object")
                return {k: value(x) for k, x in v.items()}

            return mapping
        if _is_union(hint):
            return self._union(hint)
        if isinstance(hint, type) and hint in REGISTRY.values():
            if _interned(hint):
                return self._ref((hint,))
            return self._fields_of(hint)
        raise CodecError(f"the cache codec cannot read a value of type {_hint_name(hint)}")

    def _union(self, hint: Any) -> Decode:
        members = typing.get_args(hint)
        _check_union(hint)
        inner = _optional(hint)
        if inner is not None:
            some = self.decoder(inner)
            return lambda v: None if v is None else some(v)
        scalars = frozenset(m for m in members if m in _SCALARS)
        classes = [m for m in members if isinstance(m, type) and m in REGISTRY.values() and m is not Pos]
        interned = tuple(m for m in classes if _interned(m))
        tagged = {m.__name__: self._fields_of(m) for m in classes if not _interned(m)}
        ref = self._ref(interned) if interned else None
        containers = [m for m in members if typing.get_origin(m) in (tuple, frozenset, list)]
        container = self.decoder(containers[0]) if containers else None
        dicts = [m for m in members if typing.get_origin(m) is dict]
        mapping = self.decoder(dicts[0]) if dicts else None
        pos = self._pos if Pos in members else None

        def decode(v: Json) -> Any:
            t = type(v)
            if t in scalars:
                return v
            if t is int and ref is not None:
                return ref(v)
            if t is int and pos is not None:
                return pos(v)
            if t is list:
                if tagged and v and type(v[0]) is str:
                    found = tagged.get(v[0])
                    if found is None:
                        raise _bad(f"unknown class {v[0]!r} where {hint!r} belongs")
                    return found(v[1:])
                if container is not None:
                    return container(v)
                if pos is not None:
                    return pos(v)
            if t is dict and mapping is not None:
                return mapping(v)
            raise _bad(f"a {t.__name__} where {hint!r} belongs")

        return decode

    def _ref(self, classes: tuple[type, ...]) -> Decode:
        shared = self.shared

        def ref(v: Json) -> Any:
            if type(v) is not int or not 0 <= v < len(shared):
                raise _bad("a shared reference out of range")
            found = shared[v]
            if type(found) not in classes:
                raise _bad(f"a shared {type(found).__name__} where {classes[0].__name__} belongs")
            return found

        return ref

    def _fields_of(self, cls: type) -> Decode:
        """Decode `[field, ...]` (a list the decoder may reuse) into `cls(...)`."""
        key = ("fields", cls)
        found = self._memo.get(key)
        if found is not None:
            return found
        later: list[Decode] = []
        self._memo[key] = lambda v: later[0](v)
        fields = _fields(cls)
        n = len(fields)
        single: list[int] = []  # fields of one exact JSON type (str, int, bool): checked at once
        single_types: list[type] = []
        several: list[tuple[int, frozenset[type]]] = []  # fields of a few (str | None)
        literals: list[tuple[int, frozenset[str]]] = []  # Literal["a", "b"]
        positions: list[int] = []
        tuples: list[tuple[int, Decode]] = []  # tuple[X, ...]: decoded item by item
        optionals: list[tuple[int, Decode]] = []  # X | None
        convert: list[tuple[int, Decode]] = []  # the rest: decoded
        for i, (_, hint) in enumerate(fields):
            exact = _exact_types(hint)
            values = _string_literal(hint)
            if exact is not None and len(exact) == 1:
                single.append(i)
                single_types.extend(exact)
            elif exact is not None:
                several.append((i, exact))
            elif values is not None:
                literals.append((i, values))
            elif hint is Pos:
                positions.append(i)
            elif _tuple_of(hint) is not None:
                tuples.append((i, self.decoder(_tuple_of(hint))))
            elif _optional(hint) is not None:
                optionals.append((i, self.decoder(_optional(hint))))
            else:
                convert.append((i, self.decoder(hint)))
        pick = _getter(single)
        expected = tuple(single_types)
        table = self.table
        pos_list = self._pos

        def build(v: Json) -> Any:
            if type(v) is not list or len(v) != n:
                raise _bad(f"{cls.__name__} expects {n} fields")
            if tuple(map(type, pick(v))) != expected:
                raise _bad(f"{cls.__name__}: a field of the wrong type")
            for i, allowed in several:
                if type(v[i]) not in allowed:
                    raise _bad(f"{cls.__name__}.{fields[i][0]}: a {type(v[i]).__name__}")
            for i, values in literals:
                if type(v[i]) is not str or v[i] not in values:
                    raise _bad(f"{cls.__name__}.{fields[i][0]}: {v[i]!r} is not one of {sorted(values)}")
            for i in positions:
                p = v[i]
                if type(p) is int and p >= 0:
                    v[i] = _new_pos((table[p >> _SHIFT], (p >> _BITS) & _MASK, p & _MASK))
                else:
                    v[i] = pos_list(p)
            for i, d in tuples:
                x = v[i]
                if x:
                    if type(x) is not list:
                        raise _bad(f"{cls.__name__}.{fields[i][0]}: a {type(x).__name__}")
                    v[i] = tuple(map(d, x))
                elif x == []:
                    v[i] = ()
                else:
                    raise _bad(f"{cls.__name__}.{fields[i][0]}: a {type(x).__name__}")
            for i, d in optionals:
                x = v[i]
                if x is not None:
                    v[i] = d(x)
            for i, d in convert:
                v[i] = d(v[i])
            return cls(*v)

        later.append(build)
        self._memo[key] = build
        return build

    def _path(self, v: Json) -> str:
        if type(v) is not int or v < 0:
            raise _bad("a path reference is not an index")
        return self.table[v]

    def _pos(self, v: Json) -> Pos:
        table = self.table
        if type(v) is int and v >= 0:
            return _new_pos((table[v >> _SHIFT], (v >> _BITS) & _MASK, v & _MASK))
        if type(v) is list and len(v) == 3 and all(type(x) is int and x >= 0 for x in v):
            return _new_pos((table[v[0]], v[1], v[2]))
        raise _bad("a position is not an int or [file, line, col]")


def _exact(t: Any) -> Decode:
    def exact(v: Json) -> Any:
        if type(v) is not t:
            raise _bad(f"a {type(v).__name__} where {t.__name__} belongs")
        return v

    return exact


def _exact_types(hint: Any) -> frozenset[type] | None:
    """The JSON types a field of this hint may hold, if checking the type is all its decoding needs."""
    if hint in _SCALARS:
        return frozenset({hint})
    if _is_union(hint) and all(m in _SCALARS for m in typing.get_args(hint)):
        return frozenset(typing.get_args(hint))
    return None


def _string_literal(hint: Any) -> frozenset[str] | None:
    if typing.get_origin(hint) is Literal and all(type(a) is str for a in typing.get_args(hint)):
        return frozenset(typing.get_args(hint))
    return None


def _tuple_of(hint: Any) -> Any:
    """X, for `tuple[X, ...]`."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


def _getter(indices: list[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    if len(indices) > 1:
        return itemgetter(*indices)
    if len(indices) == 1:
        i = indices[0]
        return lambda v: (v[i],)
    return lambda v: ()


def _list(v: Json) -> list[Any]:
    if type(v) is not list:
        raise _bad(f"a {type(v).__name__} where a list belongs")
    return v
