"""Hypothesis strategies: valid Swagger 2.0 / OpenAPI 3.0 / 3.1 specs and rule sets for them.

Specs are built as plain dicts: paths with path parameters, operations with unique
operationIds (some MES-shaped, `Core_Item_Add`, so that `method` rules can reach them) and
tags, schemas that refer to each other (recursion and mutual recursion included), shared
parameters and responses, security schemes with top-level and operation-level requirements.
Rule sets target the spec's own operationIds, paths, tags and MES method names, globs over
them, and names that match nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

Version = str
AUTHORITY = "https://aim.example.test/identitymanager"

SCHEMA_NAMES = ("Item", "Order", "User", "Node", "Link", "Error_Info", "Page.Result", "Unit-X")
V2_ONLY_NAMES = ("Ünit", "A/B~C")
"""Swagger 2.0 definition names are free text (refs escape `/` and `~`); 3.x names are not."""
SEGMENTS = ("api", "v1", "Core", "Item", "Order", "items", "ünïcode", "a-b", "x.y", "GetAll")
PARAMS = ("id", "key", "name")
METHODS = ("get", "post", "put", "delete", "patch")
TAGS = ("Items", "Orders", "Ünicode", "Admin")
MES_CLASSES = ("Item", "Order", "AttrSet", "Shift")
MES_METHODS = ("Add", "Get", "GetAll", "Delete", "Update")
SCHEME_NAMES = ("apiKeyAuth", "basicAuth", "oauth")

# printable text without surrogates or control characters (what a spec's prose looks like)
PROSE = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\ufeff\x85"
    ),
    max_size=30,
)
WORDY = st.builds(lambda a, b: a + b, st.sampled_from(("MES ", "Plant ", "Ünï ", "x")), PROSE)
"""Prose that is never empty or blank."""


@dataclass(frozen=True)
class SpecCase:
    """A generated spec and what rules can aim at."""

    version: Version
    doc: dict[str, Any]
    operation_ids: tuple[str, ...]
    paths: tuple[str, ...]
    tags: tuple[str, ...]


def _ref(version: Version, section: str, name: str) -> dict[str, str]:
    escaped = name.replace("~", "~0").replace("/", "~1")
    if version == "2.0":
        return {"$ref": f"#/{section}/{escaped}"}
    v3 = {"definitions": "schemas", "parameters": "parameters", "responses": "responses"}
    return {"$ref": f"#/components/{v3[section]}/{escaped}"}


@st.composite
def _schema(draw: st.DrawFn, version: Version, names: tuple[str, ...]) -> dict[str, Any]:
    """An object/array/allOf schema whose refs may point at any name (itself included)."""

    def prop() -> st.SearchStrategy[dict[str, Any]]:
        primitive = st.sampled_from(
            [
                {"type": "string"},
                {"type": "string", "format": "date-time"},
                {"type": "integer", "format": "int32"},
                {"type": "number"},
                {"type": "boolean"},
                {"type": "string", "enum": ["on", "off", "1.10"]},
            ]
        )
        ref = st.sampled_from(names).map(lambda n: _ref(version, "definitions", n))
        array = ref.map(lambda r: {"type": "array", "items": r})
        return st.one_of(primitive, ref, array)

    properties = draw(
        st.dictionaries(
            st.sampled_from(("id", "name", "children", "parent", "value", "default", "ünï")),
            prop(),
            max_size=4,
        )
    )
    shape = draw(st.sampled_from(("object", "array", "allOf")))
    description = draw(st.one_of(st.none(), PROSE))
    if shape == "array":
        schema: dict[str, Any] = {
            "type": "array",
            "items": _ref(version, "definitions", draw(st.sampled_from(names))),
        }
    elif shape == "allOf":
        schema = {
            "allOf": [
                _ref(version, "definitions", draw(st.sampled_from(names))),
                {"type": "object", "properties": properties},
            ]
        }
    else:
        schema = {"type": "object", "properties": properties}
        if properties and draw(st.booleans()):
            schema["required"] = sorted(properties)[:1]
    if description is not None:
        schema["description"] = description
    return schema


def _security_scheme(version: Version, name: str) -> dict[str, Any]:
    if name == "apiKeyAuth":
        return {"type": "apiKey", "in": "header", "name": "X-Key"}
    if name == "basicAuth":
        return {"type": "basic"} if version == "2.0" else {"type": "http", "scheme": "basic"}
    url = "https://login.example.test/authorize"
    if version == "2.0":
        return {
            "type": "oauth2",
            "flow": "implicit",
            "authorizationUrl": url,
            "scopes": {"read": "r"},
        }
    return {
        "type": "oauth2",
        "flows": {"implicit": {"authorizationUrl": url, "scopes": {"read": "r"}}},
    }


def _requirement(name: str) -> dict[str, list[str]]:
    return {name: ["read"] if name == "oauth" else []}


@st.composite
def _operation(
    draw: st.DrawFn,
    version: Version,
    op_id: str,
    path_params: list[str],
    schema_names: tuple[str, ...],
    schemes: tuple[str, ...],
    shared: bool,
) -> dict[str, Any]:
    op: dict[str, Any] = {"operationId": op_id}
    tags = draw(st.lists(st.sampled_from(TAGS), unique=True, max_size=2))
    if tags:
        op["tags"] = tags
    summary = draw(st.one_of(st.none(), PROSE))
    if summary is not None:
        op["summary"] = summary
    params: list[dict[str, Any]] = []
    for p in path_params:
        if version == "2.0":
            params.append({"name": p, "in": "path", "required": True, "type": "string"})
        else:
            params.append({"name": p, "in": "path", "required": True, "schema": {"type": "string"}})
    if draw(st.booleans()):
        if version == "2.0":
            params.append({"name": "q", "in": "query", "type": "integer"})
        else:
            params.append({"name": "q", "in": "query", "schema": {"type": "integer"}})
    if shared and draw(st.booleans()):
        params.append(_ref(version, "parameters", "TransId"))
    if params:
        op["parameters"] = params
    ok: dict[str, Any] = {"description": "ok"}
    target = draw(st.one_of(st.none(), st.sampled_from(schema_names)))
    if target is not None:
        schema = _ref(version, "definitions", target)
        if version == "2.0":
            ok["schema"] = schema
        else:
            ok["content"] = {"application/json": {"schema": schema}}
    responses: dict[str, Any] = {"200": ok}
    if shared and draw(st.booleans()):
        responses["404"] = _ref(version, "responses", "NotFound")
    op["responses"] = responses
    if schemes and draw(st.booleans()):
        op["security"] = [_requirement(draw(st.sampled_from(schemes)))]
    return op


@st.composite
def specs(draw: st.DrawFn, version: Version | None = None) -> SpecCase:
    """A valid spec (`version` "2.0", "3.0" or "3.1"; drawn when None)."""
    version = version or draw(st.sampled_from(("2.0", "3.0", "3.1")))
    pool = SCHEMA_NAMES + (V2_ONLY_NAMES if version == "2.0" else ())
    schema_names = tuple(draw(st.lists(st.sampled_from(pool), unique=True, min_size=1, max_size=5)))
    schemas = {name: draw(_schema(version, schema_names)) for name in schema_names}
    shared = draw(st.booleans())
    schemes = tuple(draw(st.lists(st.sampled_from(SCHEME_NAMES), unique=True, max_size=2)))

    templates = draw(
        st.lists(
            st.tuples(
                st.lists(st.sampled_from(SEGMENTS), min_size=1, max_size=3),
                st.one_of(st.none(), st.sampled_from(PARAMS)),
            ).map(lambda t: ("/" + "/".join(t[0]) + (f"/{{{t[1]}}}" if t[1] else ""), t[1])),
            min_size=1,
            max_size=5,
            # /a/{id} and /a/{key} are the same template
            unique_by=lambda t: re.sub(r"\{[^}]*\}", "{}", t[0].lower()),
        )
    )
    n_ops = sum(1 for _ in templates) * 3
    mes_ids = [f"Core_{c}_{m}" for c in MES_CLASSES for m in MES_METHODS]
    id_pool = draw(st.permutations(mes_ids + [f"op{i}" for i in range(n_ops)]))
    paths: dict[str, Any] = {}
    operation_ids: list[str] = []
    for path, param in templates:
        methods = draw(st.lists(st.sampled_from(METHODS), unique=True, min_size=1, max_size=3))
        item: dict[str, Any] = {}
        for method in methods:
            op_id = id_pool[len(operation_ids)]
            operation_ids.append(op_id)
            item[method] = draw(
                _operation(version, op_id, [param] if param else [], schema_names, schemes, shared)
            )
        paths[path] = item

    used_tags = sorted(
        {t for item in paths.values() for op in item.values() for t in op.get("tags", [])}
    )
    info: dict[str, Any] = {
        "title": draw(WORDY),
        "version": "1.0",
    }
    doc: dict[str, Any] = {}
    if version == "2.0":
        doc["swagger"] = "2.0"
        doc["info"] = info
        doc["paths"] = paths
        doc["definitions"] = schemas
        if shared:
            doc["parameters"] = {"TransId": {"name": "trans_id", "in": "header", "type": "string"}}
            doc["responses"] = {"NotFound": {"description": "not found"}}
        if schemes:
            doc["securityDefinitions"] = {s: _security_scheme(version, s) for s in schemes}
    else:
        doc["openapi"] = "3.0.3" if version == "3.0" else "3.1.0"
        doc["info"] = info
        doc["paths"] = paths
        components: dict[str, Any] = {"schemas": schemas}
        if shared:
            components["parameters"] = {
                "TransId": {"name": "trans_id", "in": "header", "schema": {"type": "string"}}
            }
            components["responses"] = {"NotFound": {"description": "not found"}}
        if schemes:
            components["securitySchemes"] = {s: _security_scheme(version, s) for s in schemes}
        doc["components"] = components
    if schemes and draw(st.booleans()):
        doc["security"] = [_requirement(draw(st.sampled_from(schemes)))]
    if used_tags:
        doc["tags"] = [{"name": t, "description": f"{t} operations"} for t in used_tags]
    return SpecCase(version, doc, tuple(operation_ids), tuple(paths), tuple(used_tags))


@st.composite
def rule_sets(draw: st.DrawFn, case: SpecCase) -> dict[str, Any]:
    """A rule set aimed at the spec's own names, globs over them, and names that miss."""
    mes = [
        "FactMES.API." + op_id.replace("_", ".")
        for op_id in case.operation_ids
        if op_id.startswith("Core_")
    ]
    targets = st.one_of(
        st.sampled_from(case.operation_ids).map(lambda v: {"operationId": v}),
        st.sampled_from(case.paths).map(lambda v: {"path": v}),
        st.tuples(
            st.sampled_from(case.paths),
            st.lists(st.sampled_from(METHODS), min_size=1, max_size=2, unique=True),
        ).map(lambda t: {"path": t[0], "methods": t[1]}),
        st.sampled_from(TAGS).map(lambda v: {"tag": v}),
        st.sampled_from(mes or ["FactMES.API.Core.Nothing.Here"]).map(lambda v: {"method": v}),
        st.sampled_from(("Core_*", "op?", "*Get*", "[a-o]*")).map(lambda v: {"operationId": v}),
        st.sampled_from(("/api/*", "/*ünïcode*", "/v1/*/items")).map(lambda v: {"path": v}),
        st.sampled_from(("FactMES.API.Core.*.Get*", "Core.Item.*")).map(lambda v: {"method": v}),
        st.sampled_from(("missingOp", "/no/such/path")).map(
            lambda v: {"path": v} if v.startswith("/") else {"operationId": v}
        ),
    )
    reasons = st.one_of(
        st.just({"reason": "no-web-endpoint"}),
        st.just({"reason": "replaced", "replacement": "api/v3/Item"}),
        WORDY.map(lambda s: {"reason": s}),
    )
    entries = draw(
        st.lists(st.tuples(targets, reasons).map(lambda t: {**t[0], **t[1]}), max_size=6)
    )
    return {"name": "random", "version": "1", "identify": "auto", "exclude": entries}
