"""Release pairs for `swaggertools diff`: an MES spec, its next release, and the oracle.

`release_pair(n)` builds OLD with `generate.fixtures.build_spec("2.0", n)` (plus a few
additions a later change needs, such as an enum or a deprecation), copies it to NEW and
plants one change of each kind at a known operation of the synthetic `Class00NN`
classes. The oracle lists every planted change as (change id, the operations it affects),
so a test can check that the diff finds exactly these and nothing else. `EXTRA_RULES`
is a rule file whose drift the pair plants (with the shipped rules' own drift).

`to_openapi3(doc)` converts a generated Swagger 2.0 document to OpenAPI 3.0.3 the way
swagger2openapi does for this shape (body → requestBody, produces → content,
definitions → components/schemas, host + basePath → servers), for the "2.0 against its
own 3.0 conversion shows no change" check and benchmark row.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import generate

MIN_OPERATIONS = 500
EXTRA_RULES = {
    "name": "diff-pair-extra",
    "version": "1",
    "identify": "auto",
    "exclude": [
        {"operationId": "{mod11}_Class0011_GetAll", "reason": "no-web-endpoint"},
        {"method": "FactMES.API.*.Class0012.*", "reason": "no-web-endpoint"},
        {"method": "FactMES.API.*.Class0013.Delete*", "reason": "no-web-endpoint"},
    ],
}

Oracle = Counter[tuple[str, frozenset[str]]]


class _Spec:
    """Finds the generated operations by class and method name."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.doc = doc

    def path(self, cls: str, method: str) -> str:
        suffix = f"/{cls}/{method}"
        return next(p for p in self.doc["paths"] if p.endswith(suffix))

    def op(self, cls: str, method: str) -> dict[str, Any]:
        item = self.doc["paths"][self.path(cls, method)]
        return next(iter(item.values()))  # type: ignore[no-any-return]

    def label(self, cls: str, method: str) -> str:
        path = self.path(cls, method)
        http, op = next(iter(self.doc["paths"][path].items()))
        return f"{http.upper()} {path} ({op['operationId']})"

    def module(self, cls: str) -> str:
        return self.path(cls, "GetAll").split("/")[-3]


def _old(n: int) -> dict[str, Any]:
    doc = generate.fixtures.build_spec("2.0", n)
    s = _Spec(doc)
    s.op("Class0000", "Update")["deprecated"] = True
    s.op("Class0001", "GetAll")["parameters"].append(
        {"name": "filter", "in": "query", "required": False, "type": "string"}
    )
    s.op("Class0001", "Delete")["parameters"].append(
        {"name": "force", "in": "query", "required": False, "type": "boolean"}
    )
    for param in s.op("Class0001", "Add")["parameters"]:
        if param.get("in") == "body":
            param["required"] = False
    s.op("Class0001", "Update")["consumes"] = ["application/json", "application/xml"]
    defs = doc["definitions"]
    defs["Class0003UpdateRequest"]["properties"]["mode"] = {
        "type": "string",
        "enum": ["A", "B", "C"],
    }
    defs["Class0004UpdateRequest"]["properties"]["note"] = {"type": "string", "maxLength": 80}
    defs["Class0009"]["properties"]["state"] = {"type": "string", "enum": ["New", "Done"]}
    doc["securityDefinitions"] = {
        "aimUserToken": {
            "type": "oauth2",
            "flow": "accessCode",
            "authorizationUrl": "https://aim.example/identitymanager/connect/authorize",
            "tokenUrl": "https://aim.example/identitymanager/connect/token",
            "scopes": {"mes.read": "Read MES data"},
        }
    }
    doc["security"] = [{"aimUserToken": []}]
    return doc


def release_pair(n: int = MIN_OPERATIONS) -> tuple[dict[str, Any], dict[str, Any], Oracle]:
    """(OLD, NEW, oracle) for `n` operations (at least `MIN_OPERATIONS`)."""
    if n < MIN_OPERATIONS:
        raise ValueError(f"a release pair needs at least {MIN_OPERATIONS} operations")
    old = _old(n)
    new = copy.deepcopy(old)
    o, s = _Spec(old), _Spec(new)
    oracle: Oracle = Counter()

    def expect(change_id: str, *labels: str) -> None:
        oracle[(change_id, frozenset(labels))] += 1

    _plant_operations(new, o, s, expect)
    _plant_parameters(o, s, expect)
    _plant_bodies(new, o, s, expect)
    _plant_responses(new, o, s, expect)
    _plant_document(new, s, expect)
    _plant_drift(new, o, s, expect)
    # ErrorInfo is shared by every operation's 400 response: one change, many operations.
    del new["definitions"]["ErrorInfo"]["properties"]["details"]
    expect("response-property-removed", *_labels_with_400(new))
    return old, new, oracle


def _plant_operations(new: dict[str, Any], o: _Spec, s: _Spec, expect: Any) -> None:
    paths = new["paths"]
    expect("operation-removed", o.label("Class0000", "Add"))
    del paths[s.path("Class0000", "Add")]
    expect("operation-removed-after-deprecation", o.label("Class0000", "Update"))
    del paths[s.path("Class0000", "Update")]
    s.op("Class0000", "UpdateSpecific")["deprecated"] = True
    expect("operation-deprecated", s.label("Class0000", "UpdateSpecific"))
    moved = s.path("Class0000", "Delete")
    paths["/api/v2" + moved.removeprefix("/api")] = paths.pop(moved)
    expect("operation-moved", s.label("Class0000", "Delete"))
    s.op("Class0000", "DeleteAll")["operationId"] = "class0000RemoveAll"
    expect("operation-id-changed", s.label("Class0000", "DeleteAll"))
    s.op("Class0000", "GetAll")["tags"] = ["Class0000Queries"]
    expect("operation-tag-changed", s.label("Class0000", "GetAll"))
    mod = s.module("Class0000")
    renamed = s.path("Class0000", "GetByKey")
    item = paths.pop(renamed)
    new_id = f"FactMES_API_{mod}_Class0000_GetByKey"
    new_path = f"/api/v2/FactMES.API.{mod}.Class0000.GetByKey"
    item["get"]["operationId"] = new_id
    paths[new_path] = item
    expect("operation-renamed", f"GET {new_path} ({new_id})")


def _plant_parameters(o: _Spec, s: _Spec, expect: Any) -> None:
    s.op("Class0001", "GetByKey")["parameters"].append(
        {"name": "site", "in": "query", "required": True, "type": "string"}
    )
    expect("parameter-added-required", s.label("Class0001", "GetByKey"))
    s.op("Class0001", "GetAll")["parameters"][-1]["required"] = True
    expect("parameter-made-required", s.label("Class0001", "GetAll"))
    s.op("Class0001", "Delete")["parameters"].pop()
    expect("parameter-removed", s.label("Class0001", "Delete"))
    _param(s, "Class0002", "id").update(type="string", format="uuid")
    expect("parameter-type-changed", s.label("Class0002", "GetByKey"))
    _param(s, "Class0003", "id")["in"] = "header"
    expect("parameter-moved", s.label("Class0003", "GetByKey"))
    _param(s, "Class0004", "id")["name"] = "key"
    expect("parameter-renamed", s.label("Class0004", "GetByKey"))
    del o


def _param(s: _Spec, cls: str, name: str) -> dict[str, Any]:
    params = s.op(cls, "GetByKey")["parameters"]
    return next(p for p in params if p.get("name") == name)  # type: ignore[no-any-return]


def _plant_bodies(new: dict[str, Any], o: _Spec, s: _Spec, expect: Any) -> None:
    defs = new["definitions"]
    for param in s.op("Class0001", "Add")["parameters"]:
        if param.get("in") == "body":
            param["required"] = True
    expect("request-body-made-required", s.label("Class0001", "Add"))
    s.op("Class0001", "Update")["consumes"] = ["application/json"]
    expect("request-content-type-removed", s.label("Class0001", "Update"))
    request = defs["Class0001UpdateSpecificRequest"]
    request["properties"]["site"] = {"type": "string"}
    request["required"] = [*request.get("required", []), "site"]
    expect("request-property-required-added", s.label("Class0001", "UpdateSpecific"))
    defs["Class0002UpdateRequest"]["properties"]["key"] = {"type": "string"}
    expect("request-property-type-changed", s.label("Class0002", "Update"))
    defs["Class0003UpdateRequest"]["properties"]["mode"]["enum"] = ["A", "B"]
    expect("request-enum-value-removed", s.label("Class0003", "Update"))
    defs["Class0004UpdateRequest"]["properties"]["note"]["maxLength"] = 40
    expect("request-constraint-tightened", s.label("Class0004", "Update"))
    del o


def _plant_responses(new: dict[str, Any], o: _Spec, s: _Spec, expect: Any) -> None:
    defs = new["definitions"]
    del s.op("Class0005", "Delete")["responses"]["400"]
    expect("response-status-removed", s.label("Class0005", "Delete"))
    readers = [s.label("Class0005", m) for m in ("GetByKey", "GetAll")]
    writers = [s.label("Class0005", m) for m in ("Add", "Update")]
    del defs["Class0005"]["properties"]["description"]
    expect("response-property-removed", *readers)
    expect("request-property-removed", *writers)
    # dropped, not emptied: `required: []` is invalid in both 2.0 and 3.0 (minItems 1), and
    # the peer diff tools refuse an invalid NEW file
    del defs["Class0006"]["required"]
    expect(
        "response-property-made-optional",
        *[s.label("Class0006", m) for m in ("GetByKey", "GetAll")],
    )
    defs["Class0007"]["properties"]["description"]["x-nullable"] = True
    expect(
        "response-property-made-nullable",
        *[s.label("Class0007", m) for m in ("GetByKey", "GetAll")],
    )
    defs["Class0008"]["properties"]["class0008Name"] = {"type": "integer"}
    expect(
        "response-property-type-changed", *[s.label("Class0008", m) for m in ("GetByKey", "GetAll")]
    )
    expect("request-property-type-changed", *[s.label("Class0008", m) for m in ("Add", "Update")])
    defs["Class0009"]["properties"]["state"]["enum"] = ["New", "Running", "Done"]
    expect("response-enum-value-added", *[s.label("Class0009", m) for m in ("GetByKey", "GetAll")])
    del o


def _plant_document(new: dict[str, Any], s: _Spec, expect: Any) -> None:
    new["basePath"] = "/mesmw/v2"
    expect("server-base-path-changed")
    new["securityDefinitions"]["aimUserToken"]["scopes"]["mes.write"] = "Write MES data"
    expect("security-scope-added")
    new["securityDefinitions"]["aimServiceToken"] = {
        "type": "oauth2",
        "flow": "application",
        "tokenUrl": "https://aim.example/identitymanager/connect/token",
        "scopes": {},
    }
    expect("security-scheme-added")
    s.op("Class0010", "GetAll")["security"] = [{"aimUserToken": ["mes.write"]}]
    expect("operation-security-changed", s.label("Class0010", "GetAll"))


def _plant_drift(new: dict[str, Any], o: _Spec, s: _Spec, expect: Any) -> None:
    # shipped rules: MES gave Core.AttrSet.Update a web endpoint's worth of removal
    gone = next(p for p in new["paths"] if p == "/api/Core/AttrSet/Update")
    label = f"POST {gone} (Core_AttrSet_Update)"
    del new["paths"][gone]
    expect("operation-removed", label)
    expect("rule-unmatched-now", label)
    # extra rules: an operationId rule escaped by a rename at the same path
    s.op("Class0011", "GetAll")["operationId"] = "class0011List"
    expect("operation-id-changed", s.label("Class0011", "GetAll"))
    expect("rule-escaped", s.label("Class0011", "GetAll"))
    # a glob that now catches a new method
    mod = s.module("Class0012")
    copy_path = f"/api/{mod}/Class0012/Copy"
    new["paths"][copy_path] = {
        "post": {
            "tags": ["Class0012"],
            "operationId": f"{mod}_Class0012_Copy",
            "responses": {"200": {"description": "OK"}},
        }
    }
    copy_label = f"POST {copy_path} ({mod}_Class0012_Copy)"
    expect("operation-added", copy_label)
    expect("rule-matches-more", copy_label)
    # a glob that matches fewer because an operation it matched was removed
    removed = o.label("Class0013", "DeleteAll")
    del new["paths"][s.path("Class0013", "DeleteAll")]
    expect("operation-removed", removed)
    expect("rule-matches-fewer", removed)


def _labels_with_400(doc: dict[str, Any]) -> Iterator[str]:
    for path, item in doc["paths"].items():
        for http, op in item.items():
            if "400" in op.get("responses", {}):
                yield f"{http.upper()} {path} ({op['operationId']})"


def extra_rules(doc: dict[str, Any]) -> dict[str, Any]:
    """`EXTRA_RULES` with the module of Class0011 filled in."""
    rules = copy.deepcopy(EXTRA_RULES)
    mod = _Spec(doc).module("Class0011")
    rules["exclude"][0]["operationId"] = rules["exclude"][0]["operationId"].format(mod11=mod)
    return rules


# ------------------------------------------------------------------ 2.0 → 3.0.3


def _refs(value: Any) -> Any:
    """Rewrite 2.0 refs to their 3.0 places."""
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            if key == "$ref" and isinstance(child, str):
                child = (
                    child.replace("#/definitions/", "#/components/schemas/")
                    .replace("#/parameters/", "#/components/parameters/")
                    .replace("#/responses/", "#/components/responses/")
                )
            elif key == "x-nullable":
                key = "nullable"
            out[key] = _refs(child)
        return out
    if isinstance(value, list):
        return [_refs(v) for v in value]
    return value


_SCHEMA_KEYS = ("type", "format", "items", "enum", "default", "maxLength", "minLength", "pattern")


def _param3(param: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in param:
        return param
    out = {k: v for k, v in param.items() if k not in _SCHEMA_KEYS}
    out["schema"] = {k: param[k] for k in _SCHEMA_KEYS if k in param}
    return out


def _response3(response: dict[str, Any], produces: list[str]) -> dict[str, Any]:
    if "$ref" in response:
        return response
    out = {k: v for k, v in response.items() if k != "schema"}
    if "schema" in response:
        out["content"] = {m: {"schema": response["schema"]} for m in produces}
    return out


def _operation3(op: dict[str, Any], consumes: list[str], produces: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    media_in = op.get("consumes", consumes)
    media_out = op.get("produces", produces)
    for key, value in op.items():
        if key in ("consumes", "produces"):
            continue
        if key == "parameters":
            params = [p for p in value if p.get("in") != "body"]
            out["parameters"] = [_param3(p) for p in params]
            for body in (p for p in value if p.get("in") == "body"):
                out["requestBody"] = {
                    "required": body.get("required", False),
                    "content": {m: {"schema": body["schema"]} for m in media_in},
                }
        elif key == "responses":
            out["responses"] = {s: _response3(r, media_out) for s, r in value.items()}
        else:
            out[key] = value
    return out


def to_openapi3(doc: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI 3.0.3 form of a generated Swagger 2.0 document (see the module doc)."""
    doc = _refs(doc)
    consumes = doc.get("consumes", ["application/json"])
    produces = doc.get("produces", ["application/json"])
    scheme = (doc.get("schemes") or ["https"])[0]
    out: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": doc["info"],
        "servers": [{"url": f"{scheme}://{doc['host']}{doc.get('basePath', '')}"}],
    }
    if "tags" in doc:
        out["tags"] = doc["tags"]
    out["paths"] = {
        path: {m: _operation3(op, consumes, produces) for m, op in item.items()}
        for path, item in doc["paths"].items()
    }
    components: dict[str, Any] = {"schemas": doc.get("definitions", {})}
    components["parameters"] = {k: _param3(v) for k, v in doc.get("parameters", {}).items()}
    components["responses"] = {
        k: _response3(v, produces) for k, v in doc.get("responses", {}).items()
    }
    if "securityDefinitions" in doc:
        components["securitySchemes"] = {
            name: _scheme3(s) for name, s in doc["securityDefinitions"].items()
        }
    out["components"] = components
    if "security" in doc:
        out["security"] = doc["security"]
    return out


def _scheme3(scheme: dict[str, Any]) -> dict[str, Any]:
    if scheme.get("type") != "oauth2":
        return scheme
    flow = {"accessCode": "authorizationCode", "application": "clientCredentials"}.get(
        scheme["flow"], scheme["flow"]
    )
    body = {k: scheme[k] for k in ("authorizationUrl", "tokenUrl", "scopes") if k in scheme}
    return {"type": "oauth2", "flows": {flow: body}}


def dump(doc: dict[str, Any]) -> str:
    """JSON text as the fixtures write it."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
