"""Schema comparison: resolved, cycle-safe, each (old, new, direction) pair once.

`SchemaDiff.compare` yields *facts* (what differs, where, on which property path); the
request and response families turn facts into change kinds, because whether a fact
breaks a caller depends on the direction (a removed enum value breaks a request, an
added one may break a response reader).

- `$ref`s are followed (so a component renamed with the same content is no change);
  `allOf` parts are merged into one view of properties and required names.
- A pair of schemas is identified by the pointers where the two schemas stand, plus the
  direction; its facts are cached, so a shared schema is compared once however many
  operations reach it, and its facts carry the shared schema's pointers (the caller
  reports each once with every affected operation).
- A pair met again while it is being compared (a recursive or mutually recursive
  schema) counts as equal at that point, so the walk always ends.
- 2.0 `x-nullable` and 3.0 `nullable` are the same; a 3.1 type list with `"null"` is a
  nullable type.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from swaggertools.pointer import escape, split

from .model import Node
from .resolve import Resolver

What = Literal[
    "type",
    "enum-removed",
    "enum-added",
    "required-added",
    "required-removed",
    "property-removed",
    "nullable-added",
    "tightened",
]

_UPPER = ("maxLength", "maximum", "maxItems", "maxProperties")
_LOWER = ("minLength", "minimum", "minItems", "minProperties")
_MAX_ALLOF_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Fact:
    """One difference between two schemas."""

    what: What
    old_pointer: str
    new_pointer: str
    fields: tuple[str, ...]
    """Property path from the compared root (`lines`, `[]`, `qty`)."""
    detail: str
    """What changed, worded for the message (`integer → string`, `'b'`)."""


@dataclass
class _View:
    """A schema with its `allOf` parts merged: what the comparison reads."""

    pointer: str
    types: frozenset[str] = frozenset()
    format: str | None = None
    nullable: bool = False
    enum: list[Any] | None = None
    properties: dict[str, Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: Node | None = None
    additional: Node | None = None
    limits: dict[str, Any] = field(default_factory=dict)
    pattern: str | None = None
    alternatives: dict[str, list[Node]] = field(default_factory=dict)


class SchemaDiff:
    """Compares schemas of OLD (`old`) with schemas of NEW (`new`), caching every pair."""

    def __init__(self, old: Resolver, new: Resolver) -> None:
        self.old = old
        self.new = new
        self._cache: dict[tuple[str, str, str], tuple[Fact, ...]] = {}
        self._active: set[tuple[str, str, str]] = set()
        self.compared = 0
        """Pairs actually compared (not cache hits): the cache's effect, for tests."""

    def compare(self, old: Node, new: Node, direction: str) -> tuple[Fact, ...]:
        """Facts of the pair, from the cache when this pair was compared before."""
        o = self.old.follow(old)
        n = self.new.follow(new)
        key = (o.pointer, n.pointer, direction)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._active:
            return ()  # a cycle: the outer comparison of this pair reports its facts
        self._active.add(key)
        try:
            facts = tuple(self._compare(o, n, direction))
        finally:
            self._active.discard(key)
        self._cache[key] = facts
        self.compared += 1
        return facts

    def _compare(self, o: Node, n: Node, direction: str) -> Iterable[Fact]:
        if not isinstance(o.value, dict) or not isinstance(n.value, dict):
            if o.value != n.value and not (_is_ref(o.value) and _is_ref(n.value)):
                yield Fact("type", o.pointer, n.pointer, (), f"{_show(o.value)} → {_show(n.value)}")
            return
        ov = _view(self.old, o)
        nv = _view(self.new, n)
        yield from _scalars(ov, nv, direction)
        yield from self._properties(ov, nv, direction)
        if ov.items is not None and nv.items is not None:
            yield from _nested(self.compare(ov.items, nv.items, direction), "[]")
        if ov.additional is not None and nv.additional is not None:
            yield from _nested(self.compare(ov.additional, nv.additional, direction), "*")
        for word, olds in ov.alternatives.items():
            for a, b in zip(olds, nv.alternatives.get(word, []), strict=False):
                yield from self.compare(a, b, direction)

    def _properties(self, ov: _View, nv: _View, direction: str) -> Iterable[Fact]:
        for name, old_prop in ov.properties.items():
            new_prop = nv.properties.get(name)
            if new_prop is None:
                yield Fact("property-removed", old_prop.pointer, nv.pointer, (name,), repr(name))
                continue
            yield from _nested(self.compare(old_prop, new_prop, direction), name)
        if direction == "request":
            for name in sorted(nv.required - ov.required):
                where = nv.properties.get(name)
                at = where.pointer if where is not None else f"{nv.pointer}/required"
                yield Fact("required-added", ov.pointer, at, (name,), repr(name))
        else:
            for name in sorted(ov.required - nv.required):
                if name in nv.properties:
                    at = nv.properties[name].pointer
                    yield Fact(
                        "required-removed", ov.properties[name].pointer, at, (name,), repr(name)
                    )


def _nested(facts: Iterable[Fact], name: str) -> Iterable[Fact]:
    for fact in facts:
        yield Fact(fact.what, fact.old_pointer, fact.new_pointer, (name, *fact.fields), fact.detail)


def _scalars(ov: _View, nv: _View, direction: str) -> Iterable[Fact]:
    """Type, format, nullability, enum and limits of one pair (no recursion)."""
    old_type = (ov.types, ov.format)
    new_type = (nv.types, nv.format)
    if ov.types and nv.types and old_type != new_type:
        yield Fact("type", ov.pointer, nv.pointer, (), f"{_type(ov)} → {_type(nv)}")
    if direction == "response" and nv.nullable and not ov.nullable:
        yield Fact("nullable-added", ov.pointer, nv.pointer, (), "nullable")
    if direction == "request" and ov.nullable and not nv.nullable:
        yield Fact("tightened", ov.pointer, nv.pointer, (), "no longer nullable")
    yield from _enum(ov, nv, direction)
    if direction == "request":
        yield from _tightened(ov, nv)


def _enum(ov: _View, nv: _View, direction: str) -> Iterable[Fact]:
    if nv.enum is None:
        return
    if ov.enum is None:
        if direction == "request":
            yield Fact("tightened", ov.pointer, nv.pointer, (), "now limited to an enum")
        return
    old_values = [_key(v) for v in ov.enum]
    new_values = [_key(v) for v in nv.enum]
    if direction == "request":
        gone = [v for v, k in zip(ov.enum, old_values, strict=True) if k not in new_values]
        for value in gone:
            yield Fact("enum-removed", ov.pointer, nv.pointer, (), _show(value))
    else:
        extra = [v for v, k in zip(nv.enum, new_values, strict=True) if k not in old_values]
        for value in extra:
            yield Fact("enum-added", ov.pointer, nv.pointer, (), _show(value))


def _tightened(ov: _View, nv: _View) -> Iterable[Fact]:
    for name in _UPPER:
        new: Any = nv.limits.get(name)
        old: Any = ov.limits.get(name)
        if _number(new) and (old is None or (_number(old) and new < old)):
            yield Fact("tightened", ov.pointer, nv.pointer, (), f"{name} {_show(old)} → {new}")
    for name in _LOWER:
        new = nv.limits.get(name)
        old = ov.limits.get(name)
        if _number(new) and new > 0 and (old is None or (_number(old) and new > old)):
            yield Fact("tightened", ov.pointer, nv.pointer, (), f"{name} {_show(old)} → {new}")
    if nv.pattern is not None and nv.pattern != ov.pattern:
        yield Fact(
            "tightened", ov.pointer, nv.pointer, (), f"pattern {_show(ov.pattern)} → {nv.pattern!r}"
        )


def _view(resolver: Resolver, node: Node) -> _View:
    view = _View(node.pointer)
    _merge(resolver, node, view, set(), 0)
    return view


def _merge(resolver: Resolver, node: Node, view: _View, seen: set[str], depth: int) -> None:
    """Add `node` (and its `allOf` parts, refs followed) to `view`."""
    node = resolver.follow(node)
    schema = node.value
    if not isinstance(schema, dict) or node.pointer in seen or depth > _MAX_ALLOF_DEPTH:
        return
    seen.add(node.pointer)
    at = node.pointer
    types = schema.get("type")
    if isinstance(types, str):
        view.types = frozenset({types})
    elif isinstance(types, list):
        names = {t for t in types if isinstance(t, str)}
        if "null" in names:
            view.nullable = True
        view.types = frozenset(names - {"null"})
    if isinstance(schema.get("format"), str):
        view.format = schema["format"]
    if schema.get("nullable") is True or schema.get("x-nullable") is True:
        view.nullable = True
    if isinstance(schema.get("enum"), list):
        view.enum = [v for v in schema["enum"] if v is not None] if view.enum is None else view.enum
        if None in schema["enum"]:
            view.nullable = True
    props = schema.get("properties")
    if isinstance(props, dict):
        for name, value in props.items():
            view.properties.setdefault(str(name), Node(value, f"{at}/properties/{escape(name)}"))
    required = schema.get("required")
    if isinstance(required, list):
        view.required.update(r for r in required if isinstance(r, str))
    if "items" in schema and isinstance(schema["items"], dict):
        view.items = Node(schema["items"], f"{at}/items")
    if isinstance(schema.get("additionalProperties"), dict):
        view.additional = Node(schema["additionalProperties"], f"{at}/additionalProperties")
    for name in (*_UPPER, *_LOWER):
        if name in schema:
            view.limits.setdefault(name, schema[name])
    if isinstance(schema.get("pattern"), str):
        view.pattern = schema["pattern"]
    for word in ("oneOf", "anyOf"):
        parts = schema.get(word)
        if isinstance(parts, list):
            view.alternatives[word] = [Node(p, f"{at}/{word}/{i}") for i, p in enumerate(parts)]
    parts = schema.get("allOf")
    if isinstance(parts, list):
        for i, part in enumerate(parts):
            _merge(resolver, Node(part, f"{at}/allOf/{i}"), view, seen, depth + 1)


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and "$ref" in value


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _type(view: _View) -> str:
    text = "|".join(sorted(view.types))
    return f"{text}/{view.format}" if view.format else text


def _key(value: Any) -> str:
    """A hashable, type-aware form of an enum value (`1` and `"1"` differ, `1` and `True` too)."""
    return f"{type(value).__name__}:{value!r}"


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return repr(value)
    return str(value)


_SECTIONS = (
    ("definitions",),
    ("components", "schemas"),
    ("parameters",),
    ("components", "parameters"),
    ("responses",),
    ("components", "responses"),
    ("components", "requestBodies"),
)


def describe(pointer: str, fields: tuple[str, ...], prefix: str) -> str:
    """Where a schema fact lies, worded the same whichever operation reached it.

    Inside a component: `ShiftInfo.lines[].qty` (from the pointer, so a shared schema's
    change reads the same for every operation); elsewhere: `prefix` and the field path.
    """
    try:
        tokens = split(pointer)
    except ValueError:
        tokens = []
    for section in _SECTIONS:
        n = len(section)
        if len(tokens) > n and tuple(tokens[:n]) == section:
            return _component_label(tokens[n:])
    if not fields:
        return prefix
    return f"{prefix} field {'.'.join(fields).replace('.[]', '[]')}"


def _component_label(tokens: list[str]) -> str:
    text = tokens[0]
    rest = tokens[1:]
    i = 0
    while i < len(rest):
        token = rest[i]
        if token == "properties" and i + 1 < len(rest):
            text += f".{rest[i + 1]}"
            i += 2
            continue
        if token == "items":
            text += "[]"
        elif token == "additionalProperties":
            text += "{}"
        elif token in ("allOf", "oneOf", "anyOf") and i + 1 < len(rest):
            i += 2
            continue
        i += 1
    return text
