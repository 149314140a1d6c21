"""One pass over a document: operations, components, and the reference graph.

The document is cut into *units*, each keyed by its JSON pointer: every operation
(`#/paths/~1a/get`), the rest of every path item (`#/paths/~1a`), every component
(`#/definitions/A`, `#/components/schemas/A`), and the rest of the document (`#`).
For each unit the pass records the components it references (by `$ref`, discriminator
mapping or link `operationRef`) and the security schemes it names. Pruning and matching
work on this index and never walk the document again.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
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
# so a property called `default` or `example` is still walked. Public, as are ENTRY,
# EXAMPLE and is_data: refs (places, bundle) walks a document by the same rules.
NAME_MAPS = frozenset(
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


_NONE: frozenset[str] = frozenset()


@dataclass(slots=True)
class Unit:
    """What one unit references.

    Most units reference no security scheme, and path items usually nothing at all, so
    both sets start as one shared empty frozenset and become sets on the first `add_*`
    (tens of thousands of empty sets would cost megabytes on a large spec).
    """

    refs: AbstractSet[str] = _NONE
    security: AbstractSet[str] = _NONE

    def add_refs(self, keys: AbstractSet[str]) -> None:
        """Record component keys this unit references."""
        if keys:
            self.refs = self.refs | keys if self.refs else set(keys)

    def add_security(self, names: AbstractSet[str]) -> None:
        """Record security scheme names this unit's requirements name."""
        if names:
            self.security = self.security | names if self.security else set(names)


@dataclass(slots=True)
class RefSite:
    """One `$ref` (or ref-like value) and where it stands."""

    pointer: str
    ref: str
    unit: str
    mapping: bool = False
    """A discriminator mapping value (`pointer` is `.../mapping/<name>/$ref`): validators
    do not follow mappings, so one that points nowhere is a warning, not an error."""


def mapping_is_ref(value: str) -> bool:
    """True when a discriminator mapping value is a reference rather than a schema name.

    OpenAPI allows both. A component name matches `^[a-zA-Z0-9._-]+$`, so a value with
    `#` or `/` can only be a reference (`#/components/schemas/Dog`, `dog.yaml#/Dog`,
    `models/dog.yaml`); any other value names a schema (`Dog`, and also `dog.yaml`, which
    is a legal component name).
    """
    return "#" in value or "/" in value


def mapping_ref(value: str) -> str:
    """The `$ref` a discriminator mapping value stands for (a name → its schema's ref)."""
    return value if mapping_is_ref(value) else f"#/components/schemas/{_escape(value)}"


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
    _component_keys: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)
    """Cache of `component_key` per distinct ref string (a few hundred for thousands of refs)."""


def component_key(ref: str, version: SpecVersion) -> str | None:
    """Map a local ref to the component it lands in (`#/definitions/A/properties/b` → A)."""
    if not ref.startswith("#/"):
        return None
    if "%" not in ref and "~" not in ref:
        # the common case, without splitting and re-joining: tokens need no (un)escaping
        for section in version.facts.component_sections:
            prefix = "#/" + "/".join(section) + "/"
            if ref.startswith(prefix):
                return prefix + ref[len(prefix) :].split("/", 1)[0]
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
        section_pointer = join(section)
        for name, value in container.items():
            pointer = f"{section_pointer}/{_escape(name)}"
            idx.components[pointer] = kind
            idx.units[pointer] = Unit()
            # an Example Object's `value` is data, also when it is a component
            entry = EXAMPLE if kind == "examples" else ENTRY
            _walk(idx, value, pointer, pointer, v3, parent_key=entry)
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
            idx.units[ROOT].add_security(requirement_names(value))
            continue
        if key.startswith("x-"):
            continue
        _walk(idx, value, join((key,)), ROOT, v3, parent_key=key)
    if v3 and isinstance(doc.get("components"), dict):
        known = {s[1] for s in sections} | {"securitySchemes"}
        for key, value in doc["components"].items():
            if key not in known and not key.startswith("x-"):
                _walk(idx, value, join(("components", key)), ROOT, v3, parent_key=key)

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
            op_pointer = f"{item_pointer}/{key}"
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
            entries = []  # one walk for the whole operation
            for op_key, op_value in value.items():
                if op_key == "security":
                    unit.add_security(requirement_names(op_value))
                elif isinstance(op_value, (dict, list)) and not (
                    (op_key in _MAYBE_DATA or op_key[:1] == "x")
                    and is_data(op_key, op_value, ENTRY, v3)
                ):
                    entries.append((op_value, f"{op_pointer}/{_escape(op_key)}", op_key))
            entries.reverse()  # popped in document order, as one walk per member would be
            _walk_all(idx, entries, op_pointer, v3)
        elif key == "$ref":
            found: set[str] = set()
            _record_ref(idx, value, item_pointer, item_pointer, found)
            idx.units[item_pointer].add_refs(found)
        elif not is_data(key, value, ENTRY, v3):
            where = f"{item_pointer}/{_escape(key)}"
            _walk(idx, value, where, item_pointer, v3, parent_key=key)


_METHODS = frozenset(HTTP_METHODS)
# Keys for which `is_data` may answer True (besides `x-` extensions): a cheap pre-check.
_MAYBE_DATA = _DATA_KEYS | {"examples", "value"}
ENTRY = "<entry>"
"""Marker key for a value that sits under a user-chosen name (it is never a name map)."""
EXAMPLE = "<example>"
"""Marker key for an OpenAPI 3 Example Object (its `value` is data)."""
# Parent keys under which an object may hold more than a `$ref` (see `_special`).
_SPECIAL_PARENTS = _METHODS | {"discriminator"}


def _walk(idx: Index, node: Any, where: str, unit: str, v3: bool, parent_key: str) -> None:
    """Record refs below node (at pointer `where`, under the key `parent_key`)."""
    _walk_all(idx, [(node, where, parent_key)], unit, v3)


def _walk_all(idx: Index, stack: list[tuple[Any, str, str]], unit: str, v3: bool) -> None:
    """Record refs below each (node, pointer, parent key) of `stack`, last first.

    Iterative, so deep documents cannot overflow the interpreter's stack. This is the hot
    loop of every command: pointers are built as strings on the way down (one
    concatenation per container, never a token tuple per node), and `_record_ref` caches
    what each distinct ref string means.
    """
    push, pop = stack.append, stack.pop
    refs: set[str] = set()  # added to the unit at the end
    while stack:
        value, where, key_above = pop()
        if isinstance(value, dict):
            if key_above in NAME_MAPS or (v3 and key_above == "examples"):
                child_key = EXAMPLE if key_above == "examples" else ENTRY
                responses = key_above == "responses"
                for key, child in value.items():
                    if responses and key.startswith("x-"):
                        continue  # an extension of the Responses Object, not a response
                    if isinstance(child, (dict, list)):
                        escaped = _escape(key) if "~" in key or "/" in key else key
                        push((child, f"{where}/{escaped}", child_key))
                continue
            ref = value.get("$ref")
            if ref is not None:
                _record_ref(idx, ref, where, unit, refs)
            if key_above == ENTRY:
                if "operationRef" in value:
                    _special(idx, value, where, unit, key_above)
            elif key_above in _SPECIAL_PARENTS:
                _special(idx, value, where, unit, key_above)
            for key, child in value.items():
                if not isinstance(child, (dict, list)):
                    continue
                if (key in _MAYBE_DATA or key[:1] == "x") and is_data(key, child, key_above, v3):
                    continue
                if "~" in key or "/" in key:
                    push((child, f"{where}/{_escape(key)}", key))
                else:
                    push((child, f"{where}/{key}", key))
        elif isinstance(value, list):
            item_key = key_above + "[]"
            for i, child in enumerate(value):
                if isinstance(child, (dict, list)):
                    push((child, f"{where}/{i}", item_key))
    idx.units[unit].add_refs(refs)


def _special(idx: Index, value: dict[str, Any], where: str, unit: str, key_above: str) -> None:
    """What an object means beyond its `$ref`, by the key it stands under."""
    info = idx.units[unit]
    if key_above in _METHODS:
        if "security" in value:
            # an operation inside a callback: the schemes it names stay in use
            info.add_security(requirement_names(value["security"]))
    elif key_above == "discriminator":
        mapping = value.get("mapping")
        if isinstance(mapping, dict):
            for name, target in mapping.items():
                if isinstance(target, str):
                    found: set[str] = set()
                    pointer = f"{where}/mapping/{_escape(name)}"
                    _record_ref(idx, mapping_ref(target), pointer, unit, found, mapping=True)
                    info.add_refs(found)
    else:  # ENTRY: a named object (a link may point at an operation)
        op_ref = value.get("operationRef")
        if isinstance(op_ref, str) and op_ref.startswith("#"):
            idx.ref_sites.append(RefSite(f"{where}/operationRef", op_ref, unit))


def _escape(token: str) -> str:
    """`pointer.escape` for a str token, without a copy when there is nothing to escape."""
    if "~" in token or "/" in token:
        return token.replace("~", "~0").replace("/", "~1")
    return token


def is_data(key: str, child: Any, key_above: str, v3: bool) -> bool:
    """True for members whose content is example/default data, not spec structure."""
    if key in _DATA_KEYS or key.startswith("x-"):
        return True
    if key == "examples":
        # 2.0 response examples and 3.1 schema `examples` arrays are data; a 3.x
        # `examples` map holds Example Objects (which may be refs).
        return not (v3 and isinstance(child, dict))
    return key_above == EXAMPLE and key == "value"


def _record_ref(
    idx: Index, ref: Any, where: str, unit: str, refs: set[str], *, mapping: bool = False
) -> None:
    """Record the ref held by the object at pointer `where`, which belongs to `unit`."""
    pointer = where + "/$ref"
    if not isinstance(ref, str):
        idx.findings.append(_structural(pointer, "$ref must be a string"))
        return
    idx.ref_sites.append(RefSite(pointer, ref, unit, mapping))
    keys = idx._component_keys
    if ref in keys:
        key = keys[ref]
    else:
        key = keys[ref] = component_key(ref, idx.version)
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
