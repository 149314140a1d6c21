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
- Pairs that reach each other (a recursive or mutually recursive schema) are compared
  once each and their facts gathered when the whole cycle is known, so the walk always
  ends and every operation reaching the cycle, through any member, gets all its facts.
- 2.0 `x-nullable` and 3.0 `nullable` are the same; a 3.1 type list with `"null"` is a
  nullable type; 2.0 `type: file` is 3.x `type: string, format: binary`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from swaggertools.pointer import escape, split

from .bounds import is_number, numeric_tightened
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

_UPPER = ("maxLength", "maxItems", "maxProperties")
_LOWER = ("minLength", "minItems", "minProperties")
_NUMERIC = ("maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "multipleOf")
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


_Child = tuple[str | None, tuple[str, str, str], Node, Node]
"""A nested pair met while comparing a pair: field label (None: no label), key, nodes."""
_Entry = Fact | tuple[str | None, tuple[str, str, str]]
"""One step of a pair's comparison: its own fact, or a nested pair (label, key)."""


class SchemaDiff:
    """Compares schemas of OLD (`old`) with schemas of NEW (`new`), caching every pair.

    Each pair is compared once into its *local* result: its own facts and the nested
    pairs it reaches (properties, items, ...), in order. A pair's full facts are its
    local facts plus its nested pairs' full facts, prefixed with the field. Pairs that
    reach each other (a recursive schema) form a strongly connected component, found by
    Tarjan's walk; the full facts of every member are computed once the whole component
    is known, so they do not depend on which member an operation reached first.
    """

    def __init__(self, old: Resolver, new: Resolver) -> None:
        self.old = old
        self.new = new
        self._full: dict[tuple[str, str, str], tuple[Fact, ...]] = {}
        self._local: dict[tuple[str, str, str], list[_Entry]] = {}
        self._index: dict[tuple[str, str, str], int] = {}
        self._low: dict[tuple[str, str, str], int] = {}
        self._stack: list[tuple[str, str, str]] = []
        self._on_stack: set[tuple[str, str, str]] = set()
        self.compared = 0
        """Pairs actually compared (not cache hits): the cache's effect, for tests."""

    def compare(self, old: Node, new: Node, direction: str) -> tuple[Fact, ...]:
        """Facts of the pair, from the cache when this pair was compared before."""
        o = self.old.follow(old)
        n = self.new.follow(new)
        key = (o.pointer, n.pointer, direction)
        cached = self._full.get(key)
        if cached is None:
            self._visit(key, o, n)
            cached = self._full[key]
        return cached

    def _visit(self, root: tuple[str, str, str], o: Node, n: Node) -> None:
        """Tarjan's walk from `root`: every pair it completes gets its full facts.

        Iterative (a stack of pairs being compared) so that a chain of thousands of
        schemas, each referencing the next, does not exhaust Python's recursion limit.
        """
        entries: dict[tuple[str, str, str], list[_Entry]] = {}
        work = [(root, iter(self._start(root, o, n, entries)))]
        while work:
            key, items = work[-1]
            deeper = False
            for item in items:
                if isinstance(item, Fact):
                    entries[key].append(item)
                    continue
                label, child, co, cn = item
                entries[key].append((label, child))
                if child in self._full:
                    continue
                if child not in self._index:
                    work.append((child, iter(self._start(child, co, cn, entries))))
                    deeper = True
                    break
                if child in self._on_stack:
                    self._low[key] = min(self._low[key], self._index[child])
            if deeper:
                continue
            work.pop()
            self._local[key] = entries.pop(key)
            self.compared += 1
            if work:
                parent = work[-1][0]
                self._low[parent] = min(self._low[parent], self._low[key])
            if self._low[key] == self._index[key]:
                self._finish(key)

    def _start(
        self,
        key: tuple[str, str, str],
        o: Node,
        n: Node,
        entries: dict[tuple[str, str, str], list[_Entry]],
    ) -> Iterable[Fact | _Child]:
        self._index[key] = self._low[key] = len(self._index)
        self._stack.append(key)
        self._on_stack.add(key)
        entries[key] = []
        return self._compare(o, n, key[2])

    def _finish(self, key: tuple[str, str, str]) -> None:
        """`key` is the root of a component: pop it and give every member its full facts."""
        members: list[tuple[str, str, str]] = []
        while True:
            member = self._stack.pop()
            self._on_stack.discard(member)
            members.append(member)
            if member == key:
                break
        group = set(members)
        for member in members:
            self._full[member] = self._closure(member, group)
        for member in members:
            del self._local[member]  # the full facts are all that is read from now on

    def _closure(
        self, start: tuple[str, str, str], group: set[tuple[str, str, str]]
    ) -> tuple[Fact, ...]:
        """Full facts of `start`, whose component is `group` (completed pairs outside it).

        A fact reached along several paths (round a cycle, or two properties of one
        shared schema) is kept once, with the field path of the first, shortest, one
        (breadth first); the change collector would keep only that one anyway.
        """
        out: list[Fact] = []
        seen_facts: set[tuple[str, str, str, str]] = set()
        seen = {start}
        queue: list[tuple[tuple[str, str, str], tuple[str, ...]]] = [(start, ())]
        for key, prefix in queue:
            for entry in self._local[key]:
                if isinstance(entry, Fact):
                    found: Iterable[Fact] = (entry,)
                    at = prefix
                else:
                    label, child = entry
                    at = (*prefix, label) if label is not None else prefix
                    if child in group:
                        if child not in seen:
                            seen.add(child)
                            queue.append((child, at))
                        continue
                    found = self._full[child]
                for fact in found:
                    ident = (fact.what, fact.old_pointer, fact.new_pointer, fact.detail)
                    if ident not in seen_facts:
                        seen_facts.add(ident)
                        out.append(_prefixed(fact, at))
        return tuple(out)

    def _compare(self, o: Node, n: Node, direction: str) -> Iterable[Fact | _Child]:
        if not isinstance(o.value, dict) or not isinstance(n.value, dict):
            if o.value != n.value and not (_is_ref(o.value) and _is_ref(n.value)):
                yield Fact("type", o.pointer, n.pointer, (), f"{_show(o.value)} → {_show(n.value)}")
            return
        ov = _view(self.old, o)
        nv = _view(self.new, n)
        yield from _scalars(ov, nv, direction)
        yield from self._properties(ov, nv, direction)
        if ov.items is not None and nv.items is not None:
            yield self._child("[]", ov.items, nv.items, direction)
        if ov.additional is not None and nv.additional is not None:
            yield self._child("*", ov.additional, nv.additional, direction)
        for word, olds in ov.alternatives.items():
            for a, b in zip(olds, nv.alternatives.get(word, []), strict=False):
                yield self._child(None, a, b, direction)

    def _child(self, label: str | None, old: Node, new: Node, direction: str) -> _Child:
        o = self.old.follow(old)
        n = self.new.follow(new)
        return (label, (o.pointer, n.pointer, direction), o, n)

    def _properties(self, ov: _View, nv: _View, direction: str) -> Iterable[Fact | _Child]:
        for name, old_prop in ov.properties.items():
            new_prop = nv.properties.get(name)
            if new_prop is None:
                yield Fact("property-removed", old_prop.pointer, nv.pointer, (name,), repr(name))
                continue
            yield self._child(name, old_prop, new_prop, direction)
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


def _prefixed(fact: Fact, prefix: tuple[str, ...]) -> Fact:
    if not prefix:
        return fact
    return Fact(fact.what, fact.old_pointer, fact.new_pointer, (*prefix, *fact.fields), fact.detail)


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
        if is_number(new) and (old is None or (is_number(old) and new < old)):
            yield Fact("tightened", ov.pointer, nv.pointer, (), f"{name} {_show(old)} → {new}")
    for name in _LOWER:
        new = nv.limits.get(name)
        old = ov.limits.get(name)
        if is_number(new) and new > 0 and (old is None or (is_number(old) and new > old)):
            yield Fact("tightened", ov.pointer, nv.pointer, (), f"{name} {_show(old)} → {new}")
    for detail in numeric_tightened(ov.limits, nv.limits):
        yield Fact("tightened", ov.pointer, nv.pointer, (), detail)
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
    if types == "file":
        # 2.0's `type: file` (a formData upload, a file response) is what 3.x spells
        # `type: string, format: binary`: a 2.0 -> 3.0 move is no change
        view.types, view.format = frozenset({"string"}), "binary"
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
    for name in (*_UPPER, *_LOWER, *_NUMERIC):
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
