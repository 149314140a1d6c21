"""Removal of operations and transitive pruning of what they leave orphaned.

Works copy-on-write: the input document is never mutated; containers on the way to a
change are shallow-copied, everything else is shared with the input.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from .index import Index, requirement_names
from .model import HTTP_METHODS
from .pointer import get as get_in
from .pointer import join, split

Cause = Literal[
    "orphaned-by-removal",
    "already-unused",
    "unreferenced-security-scheme",
]


@dataclass(frozen=True)
class Pruned:
    """One thing pruned from the document, and why."""

    pointer: str
    kind: str
    cause: Cause
    name: str | None = None
    """The tag's or scheme's name, where the pointer alone does not say it."""


@dataclass(frozen=True)
class PruneResult:
    """The document after removal and pruning, with what was taken out."""

    doc: dict[str, Any]
    removed_paths: tuple[str, ...]
    pruned: tuple[Pruned, ...]
    removed_units: frozenset[str]
    """Pointers of every index unit the document no longer has (removed operations, emptied
    path items, pruned components), plus those of the pruned tags and security schemes."""


def reachable(index: Index, roots: Iterable[str]) -> set[str]:
    """Components reachable from the given units, following refs and discriminators."""
    # A schema with a discriminator implies its subtypes: those that allOf-reference it.
    children: dict[str, set[str]] = {}
    for child, parents in index.allof_parents.items():
        for parent in parents:
            if parent in index.discriminated:
                children.setdefault(parent, set()).add(child)
    seen: set[str] = set()
    components, units = index.components, index.units
    stack = list(roots)
    while stack:
        unit = stack.pop()
        info = units.get(unit)
        for targets in (info.refs if info else (), children.get(unit, ())):
            for target in targets:
                if target not in seen and target in components:
                    seen.add(target)
                    stack.append(target)
    return seen


def live_units(index: Index, removed: Collection[str], emptied: Collection[str]) -> list[str]:
    """Units that are not components and not removed: the roots of reachability.

    `emptied` are the path items `removed` leaves without operations (they go too).
    """
    components = index.components
    return [
        unit
        for unit in index.units
        if unit not in components and unit not in removed and unit not in emptied
    ]


def _emptied_path_items(index: Index, removed: Collection[str]) -> set[str]:
    remaining: dict[str, int] = {}
    for op in index.operations:
        item = op.pointer.rsplit("/", 1)[0]  # an operation's pointer is its item's + method
        remaining[item] = remaining.get(item, 0) + (op.pointer not in removed)
    return {item for item, count in remaining.items() if count == 0}


def remove_and_prune(doc: dict[str, Any], index: Index, removed: Collection[str]) -> PruneResult:
    """Remove operations (by pointer), empty path items, unreachable components and tags."""
    removed = set(removed)
    emptied = _emptied_path_items(index, removed) if removed else set()
    live = live_units(index, removed, emptied)
    used_after = reachable(index, live)
    used_before = reachable(index, live_units(index, (), ())) if removed else used_after

    out = dict(doc)
    pruned: list[Pruned] = []

    if removed and isinstance(doc.get("paths"), dict):
        # per path, the methods removed from it (pointers are only compared, never built)
        gone: dict[str, set[str]] = {}
        for op in index.operations:
            if op.pointer in removed:
                gone.setdefault(op.path, set()).add(op.method)
        new_paths: dict[str, Any] = {}
        for path, item in doc["paths"].items():
            methods = gone.get(path)
            if methods is not None and isinstance(item, dict):
                if join(("paths", path)) in emptied:
                    continue
                item = {k: v for k, v in item.items() if k not in methods}
            new_paths[path] = item
        out["paths"] = new_paths

    # Components: grouped by container so each container is copied once.
    doomed: dict[tuple[str, ...], set[str]] = {}
    for pointer, kind in index.components.items():
        if pointer in used_after:
            continue
        tokens = split(pointer)
        doomed.setdefault(tuple(tokens[:-1]), set()).add(tokens[-1])
        cause: Cause = "orphaned-by-removal" if pointer in used_before else "already-unused"
        pruned.append(Pruned(pointer, kind, cause, tokens[-1]))
    for container, names in doomed.items():
        _drop_keys(out, container, names)

    security_names: set[str] = set()
    for unit in live:
        security_names |= index.units[unit].security
    container = index.version.facts.security_container
    unused_schemes = [n for n in index.security_schemes if n not in security_names]
    if unused_schemes:
        _drop_keys(out, container, set(unused_schemes))
        pruned += [
            Pruned(join((*container, n)), container[-1], "unreferenced-security-scheme", n)
            for n in unused_schemes
        ]

    pruned += _prune_tags(out, index, removed)
    return PruneResult(
        out,
        tuple(split(p)[1] for p in sorted(emptied)),
        tuple(pruned),
        frozenset((*removed, *emptied, *(p.pointer for p in pruned))),
    )


def drop_unreferenced_schemes(
    doc: dict[str, Any], container: tuple[str, ...], memo: dict[Any, Any] | None = None
) -> list[Pruned]:
    """Drop security schemes no requirement names any more (after security was replaced).

    `memo` (shared by the variants of one run) keeps the names the `paths` object's
    operations use, so variants that share `paths` scan it once.
    """
    schemes = get_in(doc, container)
    if not isinstance(schemes, dict):
        return []
    paths = doc.get("paths")
    key = ("paths-security", id(paths))
    if memo is None or key not in memo:
        used: set[str] = set()
        for item in paths.values() if isinstance(paths, dict) else ():
            used |= _path_item_security(item)
        if memo is None:
            memo = {}
        memo[key] = (paths, used)  # the entry keeps `paths` alive, so its id stays its own
    names = requirement_names(doc.get("security")) | memo[key][1]
    unused = [n for n in schemes if n not in names]
    if unused:
        _drop_keys(doc, container, set(unused))
    return [
        Pruned(join((*container, n)), container[-1], "unreferenced-security-scheme", n)
        for n in unused
    ]


def _path_item_security(item: Any) -> set[str]:
    """Scheme names the operations of a path item name, callbacks included."""
    names: set[str] = set()
    if not isinstance(item, dict):
        return names
    for method, op in item.items():
        if method in HTTP_METHODS and isinstance(op, dict):
            if "security" in op:
                names |= requirement_names(op["security"])
            callbacks = op.get("callbacks")
            for callback in callbacks.values() if isinstance(callbacks, dict) else ():
                for inner in callback.values() if isinstance(callback, dict) else ():
                    names |= _path_item_security(inner)
    return names


def _prune_tags(out: dict[str, Any], index: Index, removed: set[str]) -> list[Pruned]:
    """Drop top-level tags that no remaining operation carries."""
    tags = out.get("tags")
    if not isinstance(tags, list):
        return []
    used = {t for op in index.operations if op.pointer not in removed for t in op.tags}
    used_before = {t for op in index.operations for t in op.tags}
    kept, pruned = [], []
    for i, tag in enumerate(tags):
        name = tag.get("name") if isinstance(tag, dict) else None
        if not isinstance(name, str) or name in used:
            kept.append(tag)
            continue
        cause: Cause = "orphaned-by-removal" if name in used_before else "already-unused"
        pruned.append(Pruned(join(("tags", str(i))), "tags", cause, name))
    if pruned:
        out["tags"] = kept
    return pruned


def _drop_keys(doc: dict[str, Any], container: tuple[str, ...], names: set[str]) -> None:
    """Remove names from the container at `container`, copying the path to it."""
    node: dict[str, Any] = doc
    for token in container[:-1]:
        child = node.get(token)
        if not isinstance(child, dict):
            return
        child = dict(child)
        node[token] = child
        node = child
    last = container[-1]
    target = node.get(last)
    if isinstance(target, dict):
        node[last] = {k: v for k, v in target.items() if k not in names}
