"""One pass over a document: operations, components, and the reference graph.

The document is cut into *units*, each keyed by its JSON pointer: every operation
(`#/paths/~1a/get`), the rest of every path item (`#/paths/~1a`), every component
(`#/definitions/A`, `#/components/schemas/A`), and the rest of the document (`#`).
For each unit the pass records the components it references (by `$ref`, discriminator
mapping or link `operationRef`) and the security schemes it names. Pruning and matching
work on this index and never walk the document again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .model import HTTP_METHODS, Finding, Operation, Severity
from .pointer import get as get_in
from .pointer import join, split
from .versions import SpecVersion

ROOT = "#"

# Keys whose values are data, never references (`$ref` inside an example is text).
_DATA_KEYS = frozenset({"example", "default", "enum", "const"})
# Keys whose values are maps from user-chosen names to objects: their keys are names,
# so a property called `default` or `example` is still walked.
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "definitions",
        "$defs",
        "dependentSchemas",
        "responses",
        "parameters",
        "headers",
        "content",
        "encoding",
        "callbacks",
        "links",
        "schemas",
        "requestBodies",
        "securitySchemes",
        "securityDefinitions",
        "variables",
        "pathItems",
        "webhooks",
        "paths",
        "mapping",
        "scopes",
    }
)


@dataclass
class Unit:
    """What one unit references."""

    refs: set[str] = field(default_factory=set)
    security: set[str] = field(default_factory=set)


@dataclass
class RefSite:
    """One `$ref` (or ref-like value) and where it stands."""

    pointer: str
    ref: str
    unit: str


@dataclass
class Index:
    """Everything later stages need to know about a document, from one walk."""

    version: SpecVersion
    operations: list[Operation]
    units: dict[str, Unit]
    components: dict[str, str]
    """Component pointer → kind (e.g. `definitions`, `schemas`), in document order."""
    security_schemes: list[str]
    ref_sites: list[RefSite]
    discriminated: set[str]
    """Schema components that declare a discriminator."""
    allof_parents: dict[str, set[str]]
    """Schema component → components it names in its top-level `allOf`."""
    findings: list[Finding]


def component_key(ref: str, version: SpecVersion) -> str | None:
    """Map a local ref to the component it lands in (`#/definitions/A/properties/b` → A)."""
    if not ref.startswith("#/"):
        return None
    try:
        tokens = split(ref)
    except ValueError:
        return None
    for section in version.facts.component_sections:
        n = len(section)
        if len(tokens) > n and tuple(tokens[:n]) == section:
            return join(tokens[: n + 1])
    return None


def build_index(doc: dict[str, Any], version: SpecVersion, *, method_extension: str) -> Index:
    """Walk the document once and build its index."""
    idx = Index(
        version=version,
        operations=[],
        units={ROOT: Unit()},
        components={},
        security_schemes=[],
        ref_sites=[],
        discriminated=set(),
        allof_parents={},
        findings=[],
    )
    sections = {section: section[-1] for section in version.facts.component_sections}
    v3 = not version.facts.is_v2

    # Components first, so that refs can be checked against them.
    for section, kind in sections.items():
        container = get_in(doc, section)
        if container is None:
            continue
        if not isinstance(container, dict):
            idx.findings.append(_structural(join(section), f"'{kind}' must be an object"))
            continue
        for name, value in container.items():
            pointer = join((*section, name))
            idx.components[pointer] = kind
            idx.units[pointer] = Unit()
            # an Example Object's `value` is data, also when it is a component
            entry = _EXAMPLE if kind == "examples" else _ENTRY
            _walk(idx, value, (*section, name), pointer, v3, parent_key=entry)
            if kind in ("definitions", "schemas") and isinstance(value, dict):
                _schema_facts(idx, pointer, value, version)

    container = get_in(doc, version.facts.security_container)
    if isinstance(container, dict):
        idx.security_schemes = [str(k) for k in container]

    paths = doc.get("paths")
    if isinstance(paths, dict):
        for path, item in paths.items():
            if not path.startswith("x-"):  # extensions of the Paths Object
                _index_path_item(idx, path, item, method_extension, v3)
    elif paths is not None:
        idx.findings.append(_structural("#/paths", "'paths' must be an object"))

    skip = {"paths", version.facts.security_container[0]}
    if v3:
        skip.add("components")
    else:
        skip.update(s[0] for s in sections)
    for key, value in doc.items():
        if key in skip:
            continue
        if key == "security":
            idx.units[ROOT].security.update(requirement_names(value))
            continue
        if key.startswith("x-"):
            continue
        _walk(idx, value, (key,), ROOT, v3, parent_key=key)
    if v3 and isinstance(doc.get("components"), dict):
        known = {s[1] for s in sections} | {"securitySchemes"}
        for key, value in doc["components"].items():
            if key not in known and not key.startswith("x-"):
                _walk(idx, value, ("components", key), ROOT, v3, parent_key=key)

    _check_operation_ids(idx)
    return idx


def _index_path_item(idx: Index, path: str, item: Any, ext: str, v3: bool) -> None:
    item_pointer = join(("paths", path))
    idx.units[item_pointer] = Unit()
    if not isinstance(item, dict):
        idx.findings.append(_structural(item_pointer, "a path item must be an object"))
        return
    for key, value in item.items():
        if key in HTTP_METHODS:
            op_pointer = join(("paths", path, key))
            if not isinstance(value, dict):
                idx.units[op_pointer] = Unit()
                idx.findings.append(_structural(op_pointer, "an operation must be an object"))
                continue
            tags = value.get("tags")
            op_id = value.get("operationId")
            mes = value.get(ext)
            idx.operations.append(
                Operation(
                    path=path,
                    method=key,
                    operation_id=op_id if isinstance(op_id, str) else None,
                    tags=tuple(t for t in tags if isinstance(t, str))
                    if isinstance(tags, list)
                    else (),
                    pointer=op_pointer,
                    mes_method=mes if isinstance(mes, str) else None,
                )
            )
            unit = Unit()
            idx.units[op_pointer] = unit
            for op_key, op_value in value.items():
                if op_key == "security":
                    unit.security.update(requirement_names(op_value))
                elif not _is_data(op_key, op_value, _ENTRY, v3):
                    _walk(idx, op_value, ("paths", path, key, op_key), op_pointer, v3, op_key)
        elif key == "$ref":
            _record_ref(
                idx, value, ("paths", path), item_pointer, idx.units[item_pointer].refs, idx.version
            )
        elif not _is_data(key, value, _ENTRY, v3):
            _walk(idx, value, ("paths", path, key), item_pointer, v3, parent_key=key)


_ENTRY = "<entry>"
"""Marker key for a value that sits under a user-chosen name (it is never a name map)."""
_EXAMPLE = "<example>"
"""Marker key for an OpenAPI 3 Example Object (its `value` is data)."""


def _walk(
    idx: Index, node: Any, tokens: tuple[str, ...], unit: str, v3: bool, parent_key: str
) -> None:
    """Record refs below node; iterative, so deep documents cannot overflow the stack."""
    stack: list[tuple[Any, tuple[str, ...], str]] = [(node, tokens, parent_key)]
    refs = idx.units[unit].refs
    version = idx.version
    while stack:
        value, where, key_above = stack.pop()
        if isinstance(value, list):
            for i, child in enumerate(value):
                if isinstance(child, (dict, list)):
                    stack.append((child, (*where, str(i)), key_above + "[]"))
            continue
        if not isinstance(value, dict):
            continue
        names = key_above in _NAME_MAPS or (v3 and key_above == "examples")
        if names:
            child_key = _EXAMPLE if key_above == "examples" else _ENTRY
            for key, child in value.items():
                if key_above == "responses" and key.startswith("x-"):
                    continue  # an extension of the Responses Object, not a response
                if isinstance(child, (dict, list)):
                    stack.append((child, (*where, key), child_key))
            continue
        ref = value.get("$ref")
        if ref is not None:
            _record_ref(idx, ref, where, unit, refs, version)
        if key_above in HTTP_METHODS and "security" in value:
            # an operation inside a callback: the schemes it names stay in use
            idx.units[unit].security.update(requirement_names(value["security"]))
        mapping = value.get("mapping")
        if key_above == "discriminator" and isinstance(mapping, dict):
            for name, target in mapping.items():
                if isinstance(target, str):
                    full = target if "#" in target else f"#/components/schemas/{target}"
                    _record_ref(idx, full, (*where, "mapping", name), unit, refs, version)
        op_ref = value.get("operationRef")
        if key_above == _ENTRY and isinstance(op_ref, str) and op_ref.startswith("#"):
            idx.ref_sites.append(RefSite(join((*where, "operationRef")), op_ref, unit))
        for key, child in value.items():
            if not isinstance(child, (dict, list)) or _is_data(key, child, key_above, v3):
                continue
            stack.append((child, (*where, key), key))


def _is_data(key: str, child: Any, key_above: str, v3: bool) -> bool:
    """True for members whose content is example/default data, not spec structure."""
    if key in _DATA_KEYS or key.startswith("x-"):
        return True
    if key == "examples":
        # 2.0 response examples and 3.1 schema `examples` arrays are data; a 3.x
        # `examples` map holds Example Objects (which may be refs).
        return not (v3 and isinstance(child, dict))
    return key_above == _EXAMPLE and key == "value"


def _record_ref(
    idx: Index, ref: Any, where: tuple[str, ...], unit: str, refs: set[str], version: SpecVersion
) -> None:
    pointer = join((*where, "$ref"))
    if not isinstance(ref, str):
        idx.findings.append(_structural(pointer, "$ref must be a string"))
        return
    idx.ref_sites.append(RefSite(pointer, ref, unit))
    key = component_key(ref, version)
    if key is not None:
        refs.add(key)


def _schema_facts(idx: Index, pointer: str, schema: dict[str, Any], version: SpecVersion) -> None:
    if "discriminator" in schema:
        idx.discriminated.add(pointer)
    all_of = schema.get("allOf")
    if isinstance(all_of, list):
        parents = {
            key
            for part in all_of
            if isinstance(part, dict)
            and isinstance(part.get("$ref"), str)
            and (key := component_key(part["$ref"], version)) is not None
        }
        if parents:
            idx.allof_parents[pointer] = parents


def requirement_names(value: Any) -> set[str]:
    """Scheme names a security requirement list names."""
    names: set[str] = set()
    if isinstance(value, list):
        for requirement in value:
            if isinstance(requirement, dict):
                names.update(str(k) for k in requirement)
    return names


def _check_operation_ids(idx: Index) -> None:
    seen: dict[str, Operation] = {}
    for op in idx.operations:
        if op.operation_id is None:
            continue
        first = seen.setdefault(op.operation_id, op)
        if first is not op:
            idx.findings.append(
                Finding(
                    rule="duplicate-operation-id",
                    severity=Severity.ERROR,
                    message=(
                        f"operationId {op.operation_id!r} is also used by "
                        f"{first.method.upper()} {first.path}"
                    ),
                    pointer=join(("paths", op.path, op.method, "operationId")),
                )
            )


def _structural(pointer: str, message: str) -> Finding:
    return Finding(
        rule="invalid-structure", severity=Severity.ERROR, message=message, pointer=pointer
    )
