"""Where bundled `$ref` targets go, what they are called, and where refs stand in a copy."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from swaggertools.index import ENTRY, EXAMPLE, NAME_MAPS, is_data, mapping_is_ref
from swaggertools.pointer import unescape
from swaggertools.versions import SpecVersion

NAME_UNSAFE_RE = re.compile(r"[^A-Za-z0-9._-]+")
V3_KINDS = {"headers", "examples", "links", "callbacks", "requestBodies"}


def section_for(
    position: tuple[str, ...], version: SpecVersion, mapping: bool
) -> tuple[str, ...] | None:
    """Where a bundled target goes, from where its ref stands (None: inline a path item)."""
    v2 = version.facts.is_v2
    schemas = ("definitions",) if v2 else ("components", "schemas")
    if mapping:
        return schemas
    path_item = len(position) == 2 and position[0] in ("paths", "webhooks")
    if path_item or (len(position) >= 3 and position[-3] == "callbacks"):
        return ("components", "pathItems") if version.family == "3.1" else None
    sections = {s[-1]: s for s in version.facts.component_sections}
    if len(position) == 2 and v2 and position[0] in sections:
        return sections[position[0]]
    if len(position) == 3 and not v2 and position[0] == "components":
        return sections.get(position[1], schemas)
    parent = position[-2] if len(position) >= 2 else ""
    above = position[-3] if len(position) >= 3 else ""
    if above == "properties":  # a schema property may be called `parameters` or `headers`
        return schemas
    if parent in ("parameters", "responses"):
        return sections[parent]
    if not v2 and parent in V3_KINDS and parent in sections:
        return sections[parent]
    if not v2 and position[-1:] == ("requestBody",):
        return sections["requestBodies"]
    return schemas


def pointer_tokens(pointer: str) -> tuple[str, ...]:
    """Tokens of an index pointer (`#/a/b~1c`): unlike a ref's fragment, never %-encoded."""
    return tuple(unescape(t) for t in pointer[2:].split("/")) if pointer.startswith("#/") else ()


def file_stem(location: str) -> str:
    """The file name of a location without its extensions (`pet` for `a/pet.v1.yaml`)."""
    name = urlsplit(location).path.rsplit("/", 1)[-1] if "://" in location else location
    name = os.path.basename(name)
    return name.split(".", 1)[0] or "ref"


def safe_name(name: str) -> str:
    """A component name OpenAPI 3 accepts (`^[a-zA-Z0-9._-]+$`)."""
    return NAME_UNSAFE_RE.sub("_", name) or "ref"


def ref_holders(
    node: Any, key_above: str, v3: bool
) -> Iterator[tuple[tuple[str, ...], dict[str, Any], str, str, bool]]:
    """Each ref in node: (position, holder, key, ref, is a discriminator mapping).

    The same walk as the index: data (`example`, `default`, `x-`...) is skipped, and
    the keys of name maps (`properties`, `responses`...) are names, never keywords.
    """
    stack: list[tuple[Any, tuple[str, ...], str]] = [(node, (), key_above)]
    while stack:
        value, where, above = stack.pop()
        if isinstance(value, list):
            for i in reversed(range(len(value))):
                if isinstance(value[i], (dict, list)):
                    stack.append((value[i], (*where, str(i)), above + "[]"))
            continue
        if not isinstance(value, dict):
            continue
        children: list[tuple[Any, tuple[str, ...], str]] = []
        if above in NAME_MAPS or (v3 and above == "examples"):
            child_key = EXAMPLE if above == "examples" else ENTRY
            for key, child in value.items():
                if above == "responses" and key.startswith("x-"):
                    continue
                if isinstance(child, (dict, list)):
                    children.append((child, (*where, key), child_key))
        else:
            ref = value.get("$ref")
            if isinstance(ref, str):
                yield where, value, "$ref", ref, False
            mapping = value.get("mapping")
            if above == "discriminator" and isinstance(mapping, dict):
                for name, target in mapping.items():
                    if isinstance(target, str) and mapping_is_ref(target):
                        yield (*where, "mapping", name), mapping, name, target, True
            for key, child in value.items():
                if isinstance(child, (dict, list)) and not is_data(key, child, above, v3):
                    children.append((child, (*where, key), key))
        stack.extend(reversed(children))
