"""Reading a spec for documentation: local `$ref`s, component names, anchors.

Swagger 2.0 and OpenAPI 3.0/3.1 are read as they are; nothing is converted. Only local
refs (`#/...`) are followed: `clean` and `--as-is` both bundle file refs into the
document first (the `$ref` policy of every command).
"""

from __future__ import annotations

import re
from typing import Any

from swaggertools.pointer import escape, join, resolve, split
from swaggertools.versions import SpecVersion

_SPACE = re.compile(r"\s")


def html_id(text: str) -> str:
    """A value usable as an HTML `id` (no whitespace: HTML forbids it in ids)."""
    return _SPACE.sub("-", text) if _SPACE.search(text) else text


def slug(text: str) -> str:
    """A file-name-safe lower-case slug (`Core AttrSet` → `core-attrset`); may be ''."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


class SpecReader:
    """One document with the facts of its version, and a cache of resolved refs."""

    def __init__(self, doc: dict[str, Any], version: SpecVersion) -> None:
        self.doc = doc
        self.version = version
        self.v2 = version.family == "2.0"
        self.schema_section = "#/definitions/" if self.v2 else "#/components/schemas/"
        self._cache: dict[str, Any] = {}
        self._normal: dict[str, str | None] = {}
        self._components: dict[str, str | None] = {}
        self.known: set[str] = set()
        """Pointers of the schema components (refs to anything else are not linked)."""

    def deref(self, node: Any, depth: int = 0) -> Any:
        """Follow `$ref` chains (parameters, responses, request bodies) to the object."""
        if type(node) is not dict or "$ref" not in node:
            return node  # most objects are not refs (200,000 calls at 20,000 operations)
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and depth < 20:
            ref = node["$ref"]
            if ref not in self._cache:
                found = None
                if ref.startswith("#"):
                    try:
                        ok, value = resolve(self.doc, split(ref))
                    except ValueError:
                        ok, value = False, None
                    found = value if ok else None
                self._cache[ref] = found
            node = self._cache[ref]
            depth += 1
        return node

    def normal_ref(self, ref: str) -> str | None:
        """A local ref as a normalised pointer (`#/definitions/A%20B` → `#/definitions/A B`)."""
        if ref not in self._normal:
            result: str | None = None
            if ref.startswith("#/"):
                try:
                    result = join(split(ref))
                except ValueError:
                    result = None
            self._normal[ref] = result
        return self._normal[ref]

    def schema_component(self, pointer: str) -> str | None:
        """`#/definitions/A/properties/b` → `#/definitions/A` (None outside the schemas)."""
        if pointer in self._components:  # asked again for each operation using a ref
            return self._components[pointer]
        found = None
        if pointer.startswith(self.schema_section):
            rest = pointer[len(self.schema_section) :]
            found = self.schema_section + rest.split("/", 1)[0]
        self._components[pointer] = found
        return found

    def schema_name(self, pointer: str) -> str:
        """How a schema pointer is shown: `A`, or `A/properties/b` for a deep ref."""
        if pointer.startswith(self.schema_section):
            return _unescape_tail(pointer[len(self.schema_section) :])
        return pointer

    def schemas(self) -> list[tuple[str, str, Any]]:
        """(name, pointer, schema) of every reusable schema, in document order."""
        if self.v2:
            container = self.doc.get("definitions")
        else:
            components = self.doc.get("components")
            container = components.get("schemas") if isinstance(components, dict) else None
        if not isinstance(container, dict):
            return []
        return [(name, self.schema_section + escape(name), s) for name, s in container.items()]


def schema_anchor(name_tail: str) -> str:
    """The `id` of a schema (or of a node inside one) on a schema page."""
    return html_id("schema-" + name_tail)


def _unescape_tail(tail: str) -> str:
    return "/".join(t.replace("~1", "/").replace("~0", "~") for t in tail.split("/"))
