"""Unit tests for swaggertools.index: operations, units, refs and findings from one walk."""

from __future__ import annotations

from typing import Any

from swaggertools.index import ROOT, Index, build_index, component_key
from swaggertools.model import Operation, Severity
from swaggertools.versions import SpecVersion, detect


def _index(doc: dict[str, Any], ext: str = "x-mes-method") -> Index:
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    return build_index(doc, version, method_extension=ext)


def _v2(**parts: Any) -> dict[str, Any]:
    return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, **parts}


def _v3(**parts: Any) -> dict[str, Any]:
    return {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, **parts}


OK = {"200": {"description": "OK"}}


def test_operations_with_ids_tags_and_extension() -> None:
    doc = _v2(
        paths={
            "/api/Core/AttrSet/Add": {
                "post": {
                    "operationId": "Core_AttrSet_Add",
                    "tags": ["Core", 7, "AttrSet"],
                    "x-mes-method": "FactMES.API.Core.AttrSet.Add",
                    "responses": OK,
                },
                "get": {"responses": OK, "operationId": 12, "tags": "notalist"},
                "summary": "not an operation",
                "x-thing": {"get": {}},
            }
        }
    )
    idx = _index(doc)
    assert idx.operations == [
        Operation(
            path="/api/Core/AttrSet/Add",
            method="post",
            operation_id="Core_AttrSet_Add",
            tags=("Core", "AttrSet"),
            pointer="#/paths/~1api~1Core~1AttrSet~1Add/post",
            mes_method="FactMES.API.Core.AttrSet.Add",
        ),
        Operation(
            path="/api/Core/AttrSet/Add",
            method="get",
            operation_id=None,
            tags=(),
            pointer="#/paths/~1api~1Core~1AttrSet~1Add/get",
            mes_method=None,
        ),
    ]
    assert [op.pointer for op in idx.operations] == [
        "#/paths/~1api~1Core~1AttrSet~1Add/post",
        "#/paths/~1api~1Core~1AttrSet~1Add/get",
    ]
    assert idx.findings == []


def test_custom_method_extension_name() -> None:
    doc = _v2(paths={"/a": {"get": {"x-mes-method": "A.B", "x-method": "C.D", "responses": OK}}})
    assert _index(doc, ext="x-method").operations[0].mes_method == "C.D"


def test_units_and_refs_v2() -> None:
    doc = _v2(
        paths={
            "/a": {
                "parameters": [{"$ref": "#/parameters/Common"}],
                "get": {
                    "parameters": [
                        {"in": "body", "name": "b", "schema": {"$ref": "#/definitions/A"}}
                    ],
                    "responses": {"200": {"$ref": "#/responses/Ok"}},
                    "security": [{"oauth": []}, {"key": [], "oauth": ["s"]}],
                },
            }
        },
        definitions={
            "A": {"properties": {"b": {"$ref": "#/definitions/B/properties/inner"}}},
            "B": {"properties": {"inner": {"type": "string"}}},
            "Lonely": {"type": "string"},
        },
        parameters={"Common": {"in": "query", "name": "q", "type": "string"}},
        responses={"Ok": {"description": "ok", "schema": {"$ref": "#/definitions/Lonely"}}},
        securityDefinitions={"oauth": {"type": "oauth2"}, "key": {"type": "apiKey"}},
        security=[{"oauth": []}],
    )
    idx = _index(doc)
    assert idx.components == {
        "#/definitions/A": "definitions",
        "#/definitions/B": "definitions",
        "#/definitions/Lonely": "definitions",
        "#/parameters/Common": "parameters",
        "#/responses/Ok": "responses",
    }
    assert idx.units["#/paths/~1a/get"].refs == {"#/definitions/A", "#/responses/Ok"}
    assert idx.units["#/paths/~1a/get"].security == {"oauth", "key"}
    assert idx.units["#/paths/~1a"].refs == {"#/parameters/Common"}
    # a ref into a sub-pointer of a component counts as a ref to the component
    assert idx.units["#/definitions/A"].refs == {"#/definitions/B"}
    assert idx.units["#/definitions/B"].refs == set()
    assert idx.units["#/responses/Ok"].refs == {"#/definitions/Lonely"}
    assert idx.units[ROOT].security == {"oauth"}
    assert idx.units[ROOT].refs == set()
    assert idx.security_schemes == ["oauth", "key"]
    sites = {(s.pointer, s.ref, s.unit) for s in idx.ref_sites}
    assert (
        "#/definitions/A/properties/b/$ref",
        "#/definitions/B/properties/inner",
        "#/definitions/A",
    ) in sites
    assert ("#/paths/~1a/get/parameters/0/schema/$ref", "#/definitions/A", "#/paths/~1a/get") in (
        sites
    )
    assert ("#/paths/~1a/parameters/0/$ref", "#/parameters/Common", "#/paths/~1a") in sites
    assert len(sites) == 5


def test_path_item_ref_and_path_level_parameters_v3() -> None:
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/shared": {"$ref": "#/components/pathItems/Shared"},
            "/b": {
                "parameters": [{"$ref": "#/components/parameters/Id"}],
                "get": {"responses": {"200": {"description": "ok"}}},
            },
        },
        "components": {
            "pathItems": {"Shared": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "parameters": {"Id": {"name": "id", "in": "path", "required": True}},
        },
    }
    idx = _index(doc)
    assert idx.units["#/paths/~1shared"].refs == {"#/components/pathItems/Shared"}
    assert idx.units["#/paths/~1b"].refs == {"#/components/parameters/Id"}
    assert idx.units["#/paths/~1b/get"].refs == set()
    assert [op.pointer for op in idx.operations] == ["#/paths/~1b/get"]


def test_data_keys_are_not_refs_but_properties_named_like_them_are() -> None:
    doc = _v3(
        paths={
            "/a": {
                "get": {
                    "x-sample": {"$ref": "#/components/schemas/FromExtension"},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Holder"},
                                    "example": {"$ref": "#/components/schemas/FromExample"},
                                    "examples": {
                                        "one": {
                                            "value": {"$ref": "#/components/schemas/FromValue"}
                                        },
                                        "two": {"$ref": "#/components/examples/Two"},
                                    },
                                }
                            },
                        }
                    },
                }
            }
        },
        components={
            "schemas": {
                "Holder": {
                    "type": "object",
                    "default": {"$ref": "#/components/schemas/FromDefault"},
                    "enum": [{"$ref": "#/components/schemas/FromEnum"}],
                    "x-extra": {"$ref": "#/components/schemas/FromXExtra"},
                    "properties": {
                        "default": {"$ref": "#/components/schemas/DefaultProp"},
                        "properties": {"$ref": "#/components/schemas/PropertiesProp"},
                        "example": {"$ref": "#/components/schemas/ExampleProp"},
                        "enum": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/EnumProp"},
                        },
                    },
                },
                "DefaultProp": {"type": "string"},
                "PropertiesProp": {"type": "string"},
                "ExampleProp": {"type": "string"},
                "EnumProp": {"type": "string"},
                "FromDefault": {},
                "FromEnum": {},
                "FromXExtra": {},
                "FromExample": {},
                "FromValue": {},
                "FromExtension": {},
            },
            "examples": {"Two": {"value": {"$ref": "#/components/schemas/FromValue"}}},
        },
    )
    idx = _index(doc)
    assert idx.units["#/components/schemas/Holder"].refs == {
        "#/components/schemas/DefaultProp",
        "#/components/schemas/PropertiesProp",
        "#/components/schemas/ExampleProp",
        "#/components/schemas/EnumProp",
    }
    assert idx.units["#/paths/~1a/get"].refs == {
        "#/components/schemas/Holder",
        "#/components/examples/Two",
    }
    assert idx.units["#/components/examples/Two"].refs == set()
    all_refs = {s.ref for s in idx.ref_sites}
    for data_ref in ("FromDefault", "FromEnum", "FromXExtra", "FromExample", "FromValue"):
        assert f"#/components/schemas/{data_ref}" not in all_refs
    assert "#/components/schemas/FromExtension" not in all_refs


def test_default_response_and_x_named_property_walked_response_extension_not() -> None:
    doc = _v2(
        paths={
            "/a": {
                "get": {
                    "responses": {
                        "default": {"$ref": "#/responses/Error"},
                        "x-note": {"$ref": "#/responses/NotReally"},
                    }
                }
            }
        },
        definitions={
            "Holder": {"properties": {"x-custom": {"$ref": "#/definitions/Custom"}}},
            "Custom": {"type": "string"},
        },
        responses={"Error": {"description": "e"}, "NotReally": {"description": "n"}},
    )
    idx = _index(doc)
    # `x-` keys of a Responses Object are extensions (data), not responses
    assert idx.units["#/paths/~1a/get"].refs == {"#/responses/Error"}
    assert "#/responses/NotReally" not in {s.ref for s in idx.ref_sites}
    assert idx.units["#/definitions/Holder"].refs == {"#/definitions/Custom"}


def test_v2_response_examples_are_data() -> None:
    doc = _v2(
        paths={
            "/a": {
                "get": {
                    "responses": {
                        "200": {
                            "description": "ok",
                            "examples": {"application/json": {"$ref": "#/definitions/X"}},
                        }
                    }
                }
            }
        },
        definitions={"X": {"type": "string"}},
    )
    idx = _index(doc)
    assert idx.units["#/paths/~1a/get"].refs == set()
    assert idx.ref_sites == []


def test_discriminator_mapping_full_ref_and_bare_name() -> None:
    doc = _v3(
        paths={},
        components={
            "schemas": {
                "Pet": {
                    "type": "object",
                    "discriminator": {
                        "propertyName": "kind",
                        "mapping": {
                            "cat": "#/components/schemas/Cat",
                            "dog": "Dog",
                        },
                    },
                },
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object"}]},
                "Dog": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
            }
        },
    )
    idx = _index(doc)
    assert idx.units["#/components/schemas/Pet"].refs == {
        "#/components/schemas/Cat",
        "#/components/schemas/Dog",
    }
    assert idx.discriminated == {"#/components/schemas/Pet"}
    assert idx.allof_parents == {
        "#/components/schemas/Cat": {"#/components/schemas/Pet"},
        "#/components/schemas/Dog": {"#/components/schemas/Pet"},
    }
    sites = {s.pointer: s.ref for s in idx.ref_sites}
    assert sites["#/components/schemas/Pet/discriminator/mapping/dog/$ref"] == (
        "#/components/schemas/Dog"
    )
    assert sites["#/components/schemas/Pet/discriminator/mapping/cat/$ref"] == (
        "#/components/schemas/Cat"
    )


def test_v2_discriminator_string_is_not_a_ref() -> None:
    doc = _v2(
        paths={},
        definitions={
            "Pet": {"discriminator": "kind", "properties": {"kind": {"type": "string"}}},
            "Cat": {"allOf": [{"$ref": "#/definitions/Pet"}]},
        },
    )
    idx = _index(doc)
    assert idx.discriminated == {"#/definitions/Pet"}
    assert idx.units["#/definitions/Pet"].refs == set()
    assert idx.allof_parents == {"#/definitions/Cat": {"#/definitions/Pet"}}


def test_callbacks_and_links_v3() -> None:
    doc = _v3(
        paths={
            "/a": {
                "post": {
                    "operationId": "a",
                    "callbacks": {
                        "onDone": {
                            "{$request.body#/url}": {
                                "post": {
                                    "requestBody": {"$ref": "#/components/requestBodies/Done"},
                                    "responses": {"200": {"description": "ok"}},
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "ok",
                            "links": {
                                "next": {"$ref": "#/components/links/Next"},
                                "self": {"operationRef": "#/paths/~1a/post"},
                            },
                        }
                    },
                }
            }
        },
        components={
            "requestBodies": {"Done": {"content": {}}},
            "links": {"Next": {"operationId": "a"}},
        },
    )
    idx = _index(doc)
    assert idx.units["#/paths/~1a/post"].refs == {
        "#/components/requestBodies/Done",
        "#/components/links/Next",
    }
    op_refs = [s for s in idx.ref_sites if s.ref == "#/paths/~1a/post"]
    assert [s.pointer for s in op_refs] == [
        "#/paths/~1a/post/responses/200/links/self/operationRef"
    ]
    # callback operations are not top-level operations
    assert [op.pointer for op in idx.operations] == ["#/paths/~1a/post"]


def test_external_and_non_component_refs_are_sites_but_not_edges() -> None:
    doc = _v2(
        paths={
            "/a": {
                "get": {
                    "responses": {
                        "200": {"description": "ok", "schema": {"$ref": "other.json#/X"}},
                        "201": {"description": "ok", "schema": {"$ref": "#/info"}},
                    }
                }
            }
        }
    )
    idx = _index(doc)
    assert idx.units["#/paths/~1a/get"].refs == set()
    assert sorted(s.ref for s in idx.ref_sites) == ["#/info", "other.json#/X"]


def test_component_key() -> None:
    v2 = detect({"swagger": "2.0"})
    v3 = detect({"openapi": "3.0.0"})
    assert isinstance(v2, SpecVersion)
    assert isinstance(v3, SpecVersion)
    assert component_key("#/definitions/A/properties/b", v2) == "#/definitions/A"
    assert component_key("#/definitions/A~1B", v2) == "#/definitions/A~1B"
    assert component_key("#/definitions", v2) is None
    assert component_key("#/components/schemas/A", v2) is None
    assert component_key("#/components/schemas/A/items", v3) == "#/components/schemas/A"
    assert component_key("other.json#/definitions/A", v2) is None
    assert component_key("#/paths/~1a", v3) is None


def test_duplicate_operation_id_finding() -> None:
    doc = _v2(
        paths={
            "/a": {"get": {"operationId": "same", "responses": OK}},
            "/b": {
                "post": {"operationId": "same", "responses": OK},
                "put": {"operationId": "other", "responses": OK},
            },
        }
    )
    idx = _index(doc)
    assert len(idx.findings) == 1
    finding = idx.findings[0]
    assert finding.rule == "duplicate-operation-id"
    assert finding.severity is Severity.ERROR
    assert finding.pointer == "#/paths/~1b/post/operationId"
    assert finding.message == "operationId 'same' is also used by GET /a"


def test_path_item_list_is_structural_finding() -> None:
    doc = _v2(
        paths={
            "/bad": [{"get": {}}],
            "/worse": {"get": ["not", "an", "operation"]},
            "/good": {"get": {"operationId": "g", "responses": OK}},
        }
    )
    idx = _index(doc)
    assert [(f.rule, f.pointer, f.message) for f in idx.findings] == [
        ("invalid-structure", "#/paths/~1bad", "a path item must be an object"),
        ("invalid-structure", "#/paths/~1worse/get", "an operation must be an object"),
    ]
    assert [op.operation_id for op in idx.operations] == ["g"]
    assert "#/paths/~1bad" in idx.units
    assert "#/paths/~1worse/get" in idx.units


def test_structural_findings_for_bad_containers() -> None:
    doc = _v2(paths=["x"], definitions=["y"])
    idx = _index(doc)
    assert [(f.pointer, f.message) for f in idx.findings] == [
        ("#/definitions", "'definitions' must be an object"),
        ("#/paths", "'paths' must be an object"),
    ]
    assert idx.operations == []


def test_non_string_ref_is_structural() -> None:
    doc = _v2(paths={"/a": {"get": {"responses": {"200": {"$ref": 5}}}}})
    idx = _index(doc)
    assert [(f.rule, f.pointer, f.message) for f in idx.findings] == [
        ("invalid-structure", "#/paths/~1a/get/responses/200/$ref", "$ref must be a string")
    ]


def test_top_level_and_unknown_component_refs_belong_to_root() -> None:
    doc = _v3(
        paths={},
        components={
            "schemas": {"A": {}, "B": {}},
            "x-vendor": {"$ref": "#/components/schemas/B"},
            "custom": {"thing": {"$ref": "#/components/schemas/A"}},
        },
        **{"x-top": {"$ref": "#/components/schemas/B"}},
    )
    idx = _index(doc)
    assert idx.units[ROOT].refs == {"#/components/schemas/A"}


def test_deep_document_does_not_overflow() -> None:
    node: dict[str, Any] = {"$ref": "#/definitions/Leaf"}
    for _ in range(5000):
        node = {"items": node}
    doc = _v2(paths={}, definitions={"Deep": node, "Leaf": {"type": "string"}})
    idx = _index(doc)
    assert idx.units["#/definitions/Deep"].refs == {"#/definitions/Leaf"}
