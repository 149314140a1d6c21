"""Unit tests for swaggertools.prune: removal and transitive pruning, copy-on-write."""

from __future__ import annotations

import copy
from typing import Any

from swaggertools.index import Index, build_index
from swaggertools.prune import Pruned, PruneResult, drop_unreferenced_schemes, remove_and_prune
from swaggertools.versions import SpecVersion, detect


def _index(doc: dict[str, Any]) -> Index:
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    return build_index(doc, version, method_extension="x-mes-method")


def _run(doc: dict[str, Any], *removed: str) -> PruneResult:
    before = copy.deepcopy(doc)
    result = remove_and_prune(doc, _index(doc), set(removed))
    assert doc == before, "the input document was mutated"
    return result


def _causes(result: PruneResult) -> dict[str, str]:
    return {p.pointer: p.cause for p in result.pruned}


def _ok(ref: str | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok"}
    if ref:
        response["schema"] = {"$ref": ref}
    return {"200": response}


def _v2(paths: dict[str, Any], definitions: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "definitions": definitions,
        **more,
    }


def _v3(paths: dict[str, Any], schemas: dict[str, Any], **components: Any) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas, **components},
    }


def _json_ok(ref: str) -> dict[str, Any]:
    return {
        "200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": ref}}},
        }
    }


def test_remove_operation_keeps_siblings() -> None:
    doc = _v2(
        {
            "/a": {
                "get": {"operationId": "a_get", "responses": _ok("#/definitions/A")},
                "post": {"operationId": "a_post", "responses": _ok("#/definitions/B")},
                "parameters": [{"name": "q", "in": "query", "type": "string"}],
            },
            "/b": {"get": {"operationId": "b_get", "responses": _ok()}},
        },
        {"A": {"type": "string"}, "B": {"type": "string"}},
    )
    result = _run(doc, "#/paths/~1a/post")
    assert list(result.doc["paths"]) == ["/a", "/b"]
    assert list(result.doc["paths"]["/a"]) == ["get", "parameters"]
    assert result.doc["paths"]["/a"]["get"] is doc["paths"]["/a"]["get"]
    assert result.doc["paths"]["/b"] is doc["paths"]["/b"]
    assert result.removed_paths == ()
    assert result.doc["definitions"] == {"A": {"type": "string"}}
    assert result.pruned == (Pruned("#/definitions/B", "definitions", "orphaned-by-removal", "B"),)


def test_emptied_path_item_removed() -> None:
    doc = _v2(
        {
            "/gone": {
                "get": {"operationId": "g1", "responses": _ok()},
                "delete": {"operationId": "g2", "responses": _ok()},
                "parameters": [{"$ref": "#/parameters/P"}],
            },
            "/stay": {"get": {"operationId": "s", "responses": _ok()}},
        },
        {},
        parameters={"P": {"name": "p", "in": "query", "type": "string"}},
    )
    result = _run(doc, "#/paths/~1gone/get", "#/paths/~1gone/delete")
    assert list(result.doc["paths"]) == ["/stay"]
    assert result.removed_paths == ("/gone",)
    # the path-level parameter's component went with the emptied path item
    assert result.doc["parameters"] == {}
    assert _causes(result) == {"#/parameters/P": "orphaned-by-removal"}
    assert result.removed_units == {
        "#/paths/~1gone/get",
        "#/paths/~1gone/delete",
        "#/paths/~1gone",
        "#/parameters/P",
    }


def test_transitive_orphans_pruned_and_causes() -> None:
    doc = _v2(
        {
            "/a": {"get": {"operationId": "a", "responses": _ok("#/definitions/A")}},
            "/b": {"get": {"operationId": "b", "responses": _ok("#/definitions/Shared")}},
        },
        {
            "A": {"properties": {"b": {"$ref": "#/definitions/B"}}},
            "B": {"items": {"$ref": "#/definitions/C"}, "type": "array"},
            "C": {"properties": {"s": {"$ref": "#/definitions/Shared"}}},
            "Shared": {"type": "string"},
            "Unused": {"properties": {"x": {"$ref": "#/definitions/UnusedChild"}}},
            "UnusedChild": {"type": "string"},
        },
    )
    result = _run(doc, "#/paths/~1a/get")
    assert list(result.doc["definitions"]) == ["Shared"]
    assert _causes(result) == {
        "#/definitions/A": "orphaned-by-removal",
        "#/definitions/B": "orphaned-by-removal",
        "#/definitions/C": "orphaned-by-removal",
        "#/definitions/Unused": "already-unused",
        "#/definitions/UnusedChild": "already-unused",
    }
    assert {p.name for p in result.pruned} == {"A", "B", "C", "Unused", "UnusedChild"}


def test_no_removal_prunes_only_already_unused() -> None:
    doc = _v2(
        {"/a": {"get": {"operationId": "a", "responses": _ok("#/definitions/A")}}},
        {"A": {"type": "string"}, "Unused": {"type": "string"}},
    )
    result = _run(doc)
    assert result.doc["paths"] is doc["paths"]
    assert list(result.doc["definitions"]) == ["A"]
    assert result.pruned == (
        Pruned("#/definitions/Unused", "definitions", "already-unused", "Unused"),
    )


def test_sub_pointer_ref_keeps_target() -> None:
    doc = _v2(
        {
            "/a": {
                "get": {
                    "operationId": "a",
                    "responses": _ok("#/definitions/Big/properties/inner"),
                }
            }
        },
        {
            "Big": {"properties": {"inner": {"$ref": "#/definitions/Inner"}}},
            "Inner": {"type": "string"},
        },
    )
    result = _run(doc)
    assert list(result.doc["definitions"]) == ["Big", "Inner"]
    assert result.pruned == ()


def test_recursive_schemas_kept_when_used_pruned_when_orphaned() -> None:
    definitions = {
        "Node": {
            "properties": {"children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}}
        },
        "Ping": {"properties": {"pong": {"$ref": "#/definitions/Pong"}}},
        "Pong": {"properties": {"ping": {"$ref": "#/definitions/Ping"}}},
    }
    doc = _v2(
        {
            "/tree": {"get": {"operationId": "tree", "responses": _ok("#/definitions/Node")}},
            "/ping": {"get": {"operationId": "ping", "responses": _ok("#/definitions/Ping")}},
        },
        definitions,
    )
    kept = _run(doc)
    assert list(kept.doc["definitions"]) == ["Node", "Ping", "Pong"]
    assert kept.pruned == ()

    removed = _run(doc, "#/paths/~1tree/get", "#/paths/~1ping/get")
    assert removed.doc["definitions"] == {}
    assert removed.doc["paths"] == {}
    assert removed.removed_paths == ("/ping", "/tree")
    assert _causes(removed) == {
        "#/definitions/Node": "orphaned-by-removal",
        "#/definitions/Ping": "orphaned-by-removal",
        "#/definitions/Pong": "orphaned-by-removal",
    }


def test_unreferenced_cycle_is_already_unused() -> None:
    doc = _v2(
        {"/a": {"get": {"operationId": "a", "responses": _ok()}}},
        {
            "X": {"properties": {"y": {"$ref": "#/definitions/Y"}}},
            "Y": {"properties": {"x": {"$ref": "#/definitions/X"}}},
        },
    )
    result = _run(doc)
    assert _causes(result) == {
        "#/definitions/X": "already-unused",
        "#/definitions/Y": "already-unused",
    }


def test_discriminator_mapping_keeps_mapped_schemas() -> None:
    doc = _v3(
        {
            "/pets": {
                "get": {"operationId": "pets", "responses": _json_ok("#/components/schemas/Pet")}
            }
        },
        {
            "Pet": {
                "type": "object",
                "properties": {"kind": {"type": "string"}},
                "discriminator": {
                    "propertyName": "kind",
                    "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
                },
            },
            "Cat": {
                "type": "object",
                "properties": {"claws": {"$ref": "#/components/schemas/Claws"}},
            },
            "Dog": {"type": "object"},
            "Claws": {"type": "integer"},
            "Fish": {"type": "object"},
        },
    )
    result = _run(doc)
    assert list(result.doc["components"]["schemas"]) == ["Pet", "Cat", "Dog", "Claws"]
    assert _causes(result) == {"#/components/schemas/Fish": "already-unused"}


def test_discriminator_parent_keeps_allof_subtypes() -> None:
    doc = _v2(
        {"/pets": {"get": {"operationId": "pets", "responses": _ok("#/definitions/Pet")}}},
        {
            "Pet": {
                "type": "object",
                "discriminator": "kind",
                "properties": {"kind": {"type": "string"}},
            },
            "Cat": {
                "allOf": [
                    {"$ref": "#/definitions/Pet"},
                    {"properties": {"t": {"$ref": "#/definitions/Toy"}}},
                ]
            },
            "Toy": {"type": "string"},
            "Plain": {"type": "object"},
            "NotASubtype": {"allOf": [{"$ref": "#/definitions/Plain"}]},
        },
    )
    result = _run(doc)
    assert list(result.doc["definitions"]) == ["Pet", "Cat", "Toy"]
    assert _causes(result) == {
        "#/definitions/Plain": "already-unused",
        "#/definitions/NotASubtype": "already-unused",
    }
    # once the only user of Pet goes, Pet and its subtypes go too
    gone = _run(doc, "#/paths/~1pets/get")
    assert gone.doc["definitions"] == {}
    assert _causes(gone)["#/definitions/Cat"] == "orphaned-by-removal"
    assert _causes(gone)["#/definitions/Toy"] == "orphaned-by-removal"


def test_callbacks_and_links_refs_in_v3() -> None:
    doc = _v3(
        {
            "/hook": {
                "post": {
                    "operationId": "hook",
                    "callbacks": {"done": {"$ref": "#/components/callbacks/Done"}},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "links": {"next": {"$ref": "#/components/links/Next"}},
                        }
                    },
                }
            },
            "/other": {
                "get": {"operationId": "other", "responses": {"200": {"description": "ok"}}}
            },
        },
        {"Event": {"type": "object"}, "LinkParam": {"type": "string"}},
        callbacks={
            "Done": {
                "{$request.body#/url}": {
                    "post": {
                        "requestBody": {
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Event"}
                                }
                            }
                        },
                        "responses": {"200": {"description": "ok"}},
                    }
                }
            }
        },
        links={"Next": {"operationId": "other", "parameters": {"x": "$response.body#/x"}}},
    )
    kept = _run(doc)
    assert kept.pruned == (
        Pruned("#/components/schemas/LinkParam", "schemas", "already-unused", "LinkParam"),
    )
    gone = _run(doc, "#/paths/~1hook/post")
    assert gone.doc["components"]["callbacks"] == {}
    assert gone.doc["components"]["links"] == {}
    assert gone.doc["components"]["schemas"] == {}
    assert _causes(gone) == {
        "#/components/schemas/Event": "orphaned-by-removal",
        "#/components/schemas/LinkParam": "already-unused",
        "#/components/links/Next": "orphaned-by-removal",
        "#/components/callbacks/Done": "orphaned-by-removal",
    }


def test_unused_tags_pruned() -> None:
    doc = _v2(
        {
            "/a": {"get": {"operationId": "a", "tags": ["Alpha", "Shared"], "responses": _ok()}},
            "/b": {"get": {"operationId": "b", "tags": ["Shared"], "responses": _ok()}},
        },
        {},
        tags=[{"name": "Alpha"}, {"name": "Shared"}, {"name": "Never"}, "odd"],
    )
    result = _run(doc, "#/paths/~1a/get")
    assert result.doc["tags"] == [{"name": "Shared"}, "odd"]
    tag_pruned = [p for p in result.pruned if p.kind == "tags"]
    assert tag_pruned == [
        Pruned("#/tags/0", "tags", "orphaned-by-removal", "Alpha"),
        Pruned("#/tags/2", "tags", "already-unused", "Never"),
    ]


def test_security_schemes_by_name() -> None:
    doc = _v2(
        {
            "/a": {"get": {"operationId": "a", "responses": _ok(), "security": [{"opOnly": []}]}},
            "/b": {"get": {"operationId": "b", "responses": _ok()}},
        },
        {},
        securityDefinitions={
            "global": {"type": "basic"},
            "opOnly": {"type": "apiKey", "name": "k", "in": "header"},
            "nobody": {"type": "basic"},
        },
        security=[{"global": []}],
    )
    kept = _run(doc)
    assert list(kept.doc["securityDefinitions"]) == ["global", "opOnly"]
    assert [(p.pointer, p.cause, p.name) for p in kept.pruned] == [
        ("#/securityDefinitions/nobody", "unreferenced-security-scheme", "nobody")
    ]
    gone = _run(doc, "#/paths/~1a/get")
    assert list(gone.doc["securityDefinitions"]) == ["global"]
    assert sorted(p.name for p in gone.pruned if p.kind == "securityDefinitions") == [
        "nobody",
        "opOnly",
    ]


def test_v3_security_schemes() -> None:
    doc = _v3(
        {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok"}}}}},
        {},
        securitySchemes={
            "used": {"type": "http", "scheme": "bearer"},
            "unused": {"type": "http", "scheme": "basic"},
        },
    )
    doc["security"] = [{"used": []}]
    result = _run(doc)
    assert list(result.doc["components"]["securitySchemes"]) == ["used"]
    assert result.pruned == (
        Pruned(
            "#/components/securitySchemes/unused",
            "securitySchemes",
            "unreferenced-security-scheme",
            "unused",
        ),
    )


def test_input_not_mutated_and_untouched_parts_shared() -> None:
    doc = _v2(
        {
            "/a": {"get": {"operationId": "a", "responses": _ok("#/definitions/A")}},
            "/b": {"get": {"operationId": "b", "responses": _ok("#/definitions/B")}},
        },
        {"A": {"type": "string"}, "B": {"type": "string"}},
        tags=[{"name": "x"}],
        securityDefinitions={"s": {"type": "basic"}},
    )
    snapshot = copy.deepcopy(doc)
    result = remove_and_prune(doc, _index(doc), {"#/paths/~1a/get"})
    assert doc == snapshot
    assert result.doc is not doc
    assert result.doc["info"] is doc["info"]
    assert result.doc["definitions"]["B"] is doc["definitions"]["B"]
    assert "A" in doc["definitions"]
    assert "/a" in doc["paths"]
    assert doc["tags"] == [{"name": "x"}]
    assert doc["securityDefinitions"] == {"s": {"type": "basic"}}


def test_drop_unreferenced_schemes() -> None:
    doc = {
        "openapi": "3.0.3",
        "security": [{"a": []}],
        "paths": {"/x": {"get": {"security": [{"b": []}]}, "parameters": []}},
        "components": {"securitySchemes": {"a": {}, "b": {}, "c": {}}},
    }
    pruned = drop_unreferenced_schemes(doc, ("components", "securitySchemes"))
    assert pruned == [
        Pruned(
            "#/components/securitySchemes/c", "securitySchemes", "unreferenced-security-scheme", "c"
        )
    ]
    assert list(doc["components"]["securitySchemes"]) == ["a", "b"]
    assert drop_unreferenced_schemes({"swagger": "2.0"}, ("securityDefinitions",)) == []


def test_scheme_named_only_in_a_callback_operation_is_kept(
    callback_spec: dict[str, Any],
) -> None:
    doc = callback_spec
    doc["components"]["securitySchemes"]["unused"] = {
        "type": "apiKey",
        "in": "header",
        "name": "X-Unused",
    }
    version = detect(doc)
    assert not isinstance(version, str)
    result = remove_and_prune(doc, build_index(doc, version, method_extension="x-mes-method"), ())
    assert list(result.doc["components"]["securitySchemes"]) == ["hookKey"]
    assert [(p.pointer, p.cause) for p in result.pruned] == [
        ("#/components/securitySchemes/unused", "unreferenced-security-scheme")
    ]
