"""Following local `$ref`s, cycle-safe and cached per ref string."""

from __future__ import annotations

from typing import Any

from swaggertools.pointer import resolve, split

from .model import Node

_MAX_HOPS = 64


class Resolver:
    """Follows `$ref` chains inside one document (bundled refs are local after opening)."""

    def __init__(self, doc: Any) -> None:
        self._doc = doc
        self._targets: dict[str, Node | None] = {}

    def target(self, ref: str) -> Node | None:
        """The node a local ref points at, or None when it is not local or not found."""
        if ref in self._targets:
            return self._targets[ref]
        found: Node | None = None
        if ref.startswith("#"):
            try:
                ok, value = resolve(self._doc, split(ref))
            except ValueError:
                ok, value = False, None
            if ok:
                found = Node(value, ref if ref != "#" else "#")
        self._targets[ref] = found
        return found

    def follow(self, node: Node) -> Node:
        """The node after following its `$ref` chain; a broken or cyclic chain stops where it is."""
        current = node
        seen: set[str] = set()
        for _ in range(_MAX_HOPS):
            value = current.value
            if not isinstance(value, dict):
                return current
            ref = value.get("$ref")
            if not isinstance(ref, str) or ref in seen:
                return current
            seen.add(ref)
            target = self.target(ref)
            if target is None:
                return current
            current = target
        return current
