"""Schemas as trees the templates can show: properties, items, compositions, refs.

A `$ref` is never expanded: it becomes a link to the schema page (deep refs such as
`#/definitions/A/properties/b` link to that node). Inline schemas are expanded as nested
nodes, up to `MAX_DEPTH` levels (a document is a finite tree, but it may be a deep one).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from swaggertools.pointer import escape

from .model import SchemaNode, TypePart
from .spec import SpecReader, schema_anchor
from .text import Describe, markdown_html, plain_text

MAX_DEPTH = 24
_COMPOSITIONS = ("allOf", "oneOf", "anyOf")
_FACT_KEYS = (
    "format",
    "nullable",
    "readOnly",
    "writeOnly",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "const",
)

_SHOWN_FACTS = frozenset((*_FACT_KEYS, "default", "enum", "example"))
"""Every key `_describe` shows as a fact (one set test skips nodes that have none)."""

RefSink = Callable[[str], None]
"""Called with the normalised pointer of every schema a tree links to."""


class TreeBuilder:
    """Builds `SchemaNode`s for one document; reports every ref it links to `on_ref`."""

    def __init__(
        self, reader: SpecReader, on_ref: RefSink, describe: Describe = markdown_html
    ) -> None:
        self.reader = reader
        self.on_ref = on_ref
        self.describe = describe
        """Renders descriptions for the output format (see `build.Content`)."""
        self._parts: dict[str, tuple[set[str], TypePart, str | None]] = {}
        """`$ref` string → (the known set it was made with, its part, its pointer)."""
        self.capture: list[str] | None = None
        """When a list: every pointer reported to `on_ref` is also appended to it."""

    def node(
        self, label: str, schema: Any, *, anchor: str | None = None, depth: int = 0
    ) -> SchemaNode:
        """The node for one schema object (any value: hostile documents are not checked)."""
        if not isinstance(schema, dict):
            return SchemaNode(label, [TypePart("any" if schema is True else plain_text(schema))])
        ref = schema.get("$ref")
        if isinstance(ref, str):
            node = SchemaNode(label, [self.ref_part(ref)], anchor=anchor)
            self._describe(node, schema)
            return node
        node = SchemaNode(label, self.type_label(schema), anchor=anchor)
        self._describe(node, schema)
        if depth >= MAX_DEPTH:
            node.facts.append(("nesting", f"deeper than {MAX_DEPTH} levels: not shown"))
            return node
        self._children(node, schema, anchor, depth)
        return node

    def ref_part(self, ref: str) -> TypePart:
        """A link to the schema a `$ref` names (plain text when it is not a local ref)."""
        known = self.reader.known
        cached = self._parts.get(ref)
        if cached is None or cached[0] is not known:
            # one part per ref string (TypePart is frozen: every use can share it); the
            # set of known schemas is part of the key, as it decides what is linked
            pointer = self.reader.normal_ref(ref)
            if pointer is None or self.reader.schema_component(pointer) not in known:
                cached = (known, TypePart(ref), None)
            else:
                cached = (known, TypePart(self.reader.schema_name(pointer), pointer), pointer)
            self._parts[ref] = cached
        _, part, target = cached
        if target is not None:
            self.on_ref(target)
            if self.capture is not None:
                self.capture.append(target)
        return part

    def type_label(self, schema: dict[str, Any]) -> list[TypePart]:
        """`string`, `array of [Item]`, `map of string`, `object` … for a schema object."""
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = " | ".join(plain_text(k) for k in kind)
        if kind == "array" or (kind is None and "items" in schema):
            items = schema.get("items")
            if isinstance(items, dict) and isinstance(items.get("$ref"), str):
                return [TypePart("array of "), self.ref_part(items["$ref"])]
            if isinstance(items, dict) and not _is_tree(items):
                return [TypePart("array of "), *self.type_label(items)]
            return [TypePart("array")]
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not schema.get("properties"):
            if isinstance(extra.get("$ref"), str):
                return [TypePart("map of "), self.ref_part(extra["$ref"])]
            if not _is_tree(extra):
                return [TypePart("map of "), *self.type_label(extra)]
        if kind is None:
            if any(k in schema for k in _COMPOSITIONS):
                return [TypePart(next(k for k in _COMPOSITIONS if k in schema))]
            kind = "object" if "properties" in schema else "any"
        return [TypePart(plain_text(kind))]

    def _describe(self, node: SchemaNode, schema: dict[str, Any]) -> None:
        description = schema.get("description")
        if isinstance(description, str) and description:
            node.description = self.describe(description)
        if schema.get("deprecated") is True:
            node.deprecated = True
        if _SHOWN_FACTS.isdisjoint(schema):
            return  # most nodes: a type and a description (60,000 nodes at 20,000 ops)
        facts = node.facts
        for key in _FACT_KEYS:
            if key in schema:
                facts.append((key, _json_text(schema[key])))
        if "default" in schema:
            facts.append(("default", _json_text(schema["default"])))
        enum = schema.get("enum")
        if isinstance(enum, list):
            facts.append(("enum", ", ".join(_json_text(v) for v in enum)))
        if "example" in schema:
            facts.append(("example", _json_text(schema["example"])))

    def _children(
        self, node: SchemaNode, schema: dict[str, Any], anchor: str | None, depth: int
    ) -> None:
        required = schema.get("required")
        required_names = set(required) if isinstance(required, list) else set()
        properties = schema.get("properties")
        if isinstance(properties, dict):
            # the prefix once per object, then one escaped name per property
            prefix = None if anchor is None else anchor + "/properties/"
            for name, sub in properties.items():
                child = self.node(
                    name,
                    sub,
                    anchor=None if prefix is None else prefix + escape(name),
                    depth=depth + 1,
                )
                child.required = name in required_names
                node.children.append(child)
        for key in ("items", "additionalProperties"):
            sub = schema.get(key)
            if isinstance(sub, dict) and _is_tree(sub):
                node.children.append(self.node(key, sub, anchor=_sub(anchor, key), depth=depth + 1))
        for kind in _COMPOSITIONS:
            members = schema.get(kind)
            if isinstance(members, list):
                node.kind = kind
                for i, member in enumerate(members):
                    node.children.append(
                        self.node(
                            f"{kind} {i + 1}", member, anchor=_sub(anchor, kind, i), depth=depth + 1
                        )
                    )
                break
        self._discriminator(node, schema)

    def _discriminator(self, node: SchemaNode, schema: dict[str, Any]) -> None:
        value = schema.get("discriminator")
        if isinstance(value, str):  # Swagger 2.0: the property name
            node.discriminator = value
        elif isinstance(value, dict) and isinstance(value.get("propertyName"), str):
            node.discriminator = value["propertyName"]
            mapping = value.get("mapping")
            if isinstance(mapping, dict):
                for key, target in mapping.items():
                    if isinstance(target, str):
                        ref = (
                            target
                            if target.startswith("#")
                            else self.reader.schema_section + target
                        )
                        node.mapping.append((str(key), self.ref_part(ref)))


def _is_tree(schema: dict[str, Any]) -> bool:
    """True when an inline schema has parts worth showing as children."""
    return any(k in schema for k in ("properties", "items", *_COMPOSITIONS)) or isinstance(
        schema.get("additionalProperties"), dict
    )


def _sub(anchor: str | None, *tokens: str | int) -> str | None:
    if anchor is None:
        return None
    return anchor + "".join("/" + escape(t) for t in tokens)


def _json_text(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        return json.dumps(value, ensure_ascii=False, sort_keys=False)
    except (TypeError, ValueError):
        return plain_text(value)


def component_anchor(reader: SpecReader, pointer: str) -> str:
    """The `id` of a schema component or a node inside it (from its normalised pointer)."""
    return schema_anchor(pointer[len(reader.schema_section) :])
