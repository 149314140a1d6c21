"""The model the docs writers render (`swaggertools.docs.build.Content`), on small documents.

Recursion, deep refs, compositions, discriminators, Swagger 2.0 body/formData, OpenAPI 3
request bodies, tags, hostile descriptions, page splitting and the description renderer.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swaggertools.docs.build import Content, RunFacts
from swaggertools.docs.html_site import write_html
from swaggertools.docs.layout import Limits, paginate
from swaggertools.docs.model import SchemaNode, SchemaView
from swaggertools.docs.text import _PLAIN, commonmark_html, markdown_html, parser
from swaggertools.versions import detect


def content(doc: dict[str, Any]) -> Content:
    version = detect(doc)
    assert not isinstance(version, str), version
    return Content(doc, version, RunFacts("t.json", "0" * 64, [], "test", "the file as given"))


def v2(paths: dict[str, Any], definitions: dict[str, Any] | None = None, **extra: Any) -> Any:
    return {
        "swagger": "2.0",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "definitions": definitions or {},
        **extra,
    }


def get_op(**op: Any) -> dict[str, Any]:
    return {"get": {"responses": {"200": {"description": "OK"}}, **op}}


def schema(c: Content, name: str) -> SchemaView:
    return next(s for s in c.schemas if s.name == name)


def child(node: SchemaNode, label: str) -> SchemaNode:
    return next(n for n in node.children if n.label == label)


def all_views(c: Content) -> dict[str, Any]:
    return {v.anchor: v for g in c.groups for v in c.operations(g)}


# ------------------------------------------------------------------ schemas


def test_self_recursion_is_marked_and_linked_not_expanded() -> None:
    c = content(
        v2(
            {},
            {
                "Node": {
                    "type": "object",
                    "properties": {
                        "next": {"$ref": "#/definitions/Node"},
                        "id": {"type": "string"},
                    },
                }
            },
        )
    )
    node = schema(c, "Node")
    assert node.recursive
    nxt = child(node.root, "next")
    assert [(p.text, p.target, p.recursive) for p in nxt.type] == [
        ("Node", "#/definitions/Node", True)
    ]
    assert nxt.children == []  # a link, never the schema again
    assert child(node.root, "id").type[0].recursive is False


def test_mutual_recursion_marks_both_and_not_a_bystander() -> None:
    c = content(
        v2(
            {},
            {
                "A": {"properties": {"b": {"$ref": "#/definitions/B"}}},
                "B": {"properties": {"a": {"type": "array", "items": {"$ref": "#/definitions/A"}}}},
                "C": {"properties": {"a": {"$ref": "#/definitions/A"}}},
            },
        )
    )
    assert schema(c, "A").recursive
    assert schema(c, "B").recursive
    assert not schema(c, "C").recursive
    items = child(schema(c, "B").root, "a").type
    assert [p.text for p in items] == ["array of ", "A"]
    assert items[1].recursive
    assert child(schema(c, "C").root, "a").type[0].recursive is False
    assert c.schema_referrers["#/definitions/A"] == ["#/definitions/B", "#/definitions/C"]


def test_deep_ref_links_to_the_node_on_the_schema_page(tmp_path: Path) -> None:
    deep = {"$ref": "#/definitions/A/properties/b"}
    doc = v2(
        {"/x": get_op(responses={"200": {"description": "OK", "schema": deep}})},
        {"A": {"properties": {"b": {"type": "object", "properties": {"c": {"type": "string"}}}}}},
    )
    c = content(doc)
    view = all_views(c)["get-x"]
    part = view.responses[0].body.schema.type[0]
    assert (part.text, part.target) == ("A/properties/b", "#/definitions/A/properties/b")
    assert c.node_components["schema-A/properties/b"] == "#/definitions/A"
    assert c.schema_users["#/definitions/A"] == {"get-x": None}
    write_html(c, tmp_path, Limits())
    page = (tmp_path / "tag-default.html").read_text(encoding="utf-8")
    assert 'href="schemas.html#schema-A/properties/b"' in page
    assert 'id="schema-A/properties/b"' in (tmp_path / "schemas.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", ["allOf", "oneOf", "anyOf"])
def test_compositions_are_shown_as_such(kind: str) -> None:
    c = content(
        v2(
            {},
            {
                "Base": {"type": "object"},
                "X": {
                    kind: [
                        {"$ref": "#/definitions/Base"},
                        {"properties": {"y": {"type": "integer"}}},
                    ]
                },
            },
        )
    )
    root = schema(c, "X").root
    assert root.kind == kind
    assert [n.label for n in root.children] == [f"{kind} 1", f"{kind} 2"]
    assert root.children[0].type[0].target == "#/definitions/Base"
    assert child(root.children[1], "y").anchor == f"schema-X/{kind}/1/properties/y"


def test_discriminator_2_0_name_and_3_mapping() -> None:
    c2 = content(
        v2({}, {"Pet": {"discriminator": "kind", "properties": {"kind": {"type": "string"}}}})
    )
    assert schema(c2, "Pet").root.discriminator == "kind"
    c3 = content(
        {
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": {
                "schemas": {
                    "Cat": {"type": "object"},
                    "Pet": {
                        "oneOf": [{"$ref": "#/components/schemas/Cat"}],
                        "discriminator": {
                            "propertyName": "kind",
                            "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
                        },
                    },
                }
            },
        }
    )
    pet = schema(c3, "Pet").root
    assert pet.discriminator == "kind"
    assert [(k, p.text, p.target) for k, p in pet.mapping] == [
        ("cat", "Cat", "#/components/schemas/Cat"),
        ("dog", "#/components/schemas/Dog", None),  # no such schema: shown, not linked
    ]


# ------------------------------------------------------------------ operations


def test_swagger_2_body_and_form_data_parameters() -> None:
    doc = v2(
        {
            "/a": {
                "post": {
                    "consumes": ["application/xml"],
                    "parameters": [
                        {
                            "name": "payload",
                            "in": "body",
                            "required": True,
                            "schema": {"$ref": "#/definitions/P"},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "type": "string",
                            "enum": ["x", "y"],
                            "default": "x",
                        },
                    ],
                    "responses": {"200": {"description": "OK"}},
                },
                "put": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [
                        {"name": "file", "in": "formData", "type": "file", "required": True},
                        {"name": "note", "in": "formData", "type": "string"},
                    ],
                    "responses": {"200": {"description": "OK"}},
                },
            }
        },
        {"P": {"type": "object"}},
        consumes=["application/json"],
    )
    views = all_views(content(doc))
    post = views["post-a"]
    assert post.body is not None
    assert (post.body.name, post.body.required, post.body.content_types) == (
        "payload",
        True,
        ["application/xml"],
    )
    assert post.body.schema.type[0].target == "#/definitions/P"
    assert [(p.name, p.location, p.enum, p.default) for p in post.params] == [
        ("q", "query", ["x", "y"], "x")
    ]
    put = views["put-a"]
    assert put.body is None
    assert [(p.name, p.location, p.required, p.type[0].text) for p in put.params] == [
        ("file", "formData", True, "file"),
        ("note", "formData", False, "string"),
    ]
    assert put.consumes == ["multipart/form-data"]


def test_openapi_3_request_body_with_several_content_types() -> None:
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {
                "post": {
                    "requestBody": {
                        "required": True,
                        "description": "The *thing*.",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/P"}},
                            "application/xml": {"schema": {"$ref": "#/components/schemas/P"}},
                            "text/plain": {},
                        },
                    },
                    "responses": {"204": {"description": "Done"}},
                }
            }
        },
        "components": {"schemas": {"P": {"type": "object"}}},
    }
    body = all_views(content(doc))["post-a"].body
    assert body is not None
    assert body.content_types == ["application/json", "application/xml", "text/plain"]
    assert body.required
    assert str(body.description) == "<p>The <em>thing</em>.</p>\n"
    assert body.schema.type[0].target == "#/components/schemas/P"


def test_empty_declared_tag_and_operation_with_several_tags(tmp_path: Path) -> None:
    doc = v2(
        {"/a": get_op(operationId="both", tags=["One", "Two"]), "/b": get_op(operationId="plain")},
        tags=[{"name": "Empty", "description": "Nothing here."}, {"name": "Two"}],
    )
    c = content(doc)
    groups = {g.name: g.operations for g in c.groups}
    assert list(groups) == ["Empty", "Two", "One", "default"]  # declared first, in order
    assert groups["Empty"] == []
    assert groups["One"] == groups["Two"] == [("/a", "get")]
    assert groups["default"] == [("/b", "get")]
    summary = write_html(c, tmp_path, Limits())
    assert summary.operations == 2  # counted once although shown on two pages
    assert not (tmp_path / "tag-empty.html").exists()
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<li>Empty <span class=\"count\">0</span></li>", index)
    for page in ("tag-one.html", "tag-two.html"):
        assert 'id="both"' in (tmp_path / page).read_text(encoding="utf-8")


def test_shared_ref_parameters_record_their_schema_users_for_every_operation() -> None:
    doc = v2(
        {
            f"/p{i}": get_op(operationId=f"op{i}", parameters=[{"$ref": "#/parameters/f"}])
            for i in range(3)
        },
        {"F": {"type": "object"}},
        parameters={"f": {"name": "f", "in": "body", "schema": {"$ref": "#/definitions/F"}}},
    )
    c = content(doc)
    all_views(c)
    assert list(c.schema_users["#/definitions/F"]) == ["op0", "op1", "op2"]


def test_long_repeated_description_only_responses_are_shared() -> None:
    text = "Unauthorized: the AIM access token is missing, invalid or expired, sign in again."
    paths = {
        f"/p{i}": get_op(
            operationId=f"op{i}",
            responses={"200": {"description": "OK"}, "401": {"description": text}},
        )
        for i in range(3)
    }
    c = content(v2(paths))
    (shared,) = c.shared_responses
    assert (shared.anchor, shared.status, shared.phrase, shared.uses) == (
        "resp-401",
        "401",
        "Unauthorized",
        3,
    )
    response = all_views(c)["op1"].responses[1]
    assert (response.shared, response.description) == ("resp-401", None)
    assert all_views(c)["op1"].responses[0].description == "<p>OK</p>\n"


# ------------------------------------------------------------------ hostile text

HOSTILE = [
    "<script>window.pwned = 1</script>",
    '<p onerror="alert(1)">x</p>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<img src=x onerror=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body { display: none }</style>",
    "[x](javascript:alert(1))",
    "[y](data:text/html;base64,PHNjcmlwdD4=)",
    '<div style="background:url(x)" id="st-main" class="op">z</div>',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_descriptions_are_sanitised(text: str) -> None:
    html = str(markdown_html(text)).lower()
    for bad in (
        "<script",
        "onerror",
        "javascript:",
        "data:",
        "<img",
        "<iframe",
        "<style",
        "style=",
        "id=",
        "class=",
    ):
        assert bad not in html, (bad, html)


def test_hostile_text_everywhere_in_a_site_is_escaped(tmp_path: Path) -> None:
    evil = '<img src=x onerror="alert(1)">'
    doc = v2(
        {
            "/a": get_op(
                operationId="op" + evil,
                summary=evil,
                description="ok " + evil,
                tags=[evil],
                parameters=[{"name": evil, "in": "query", "type": "string", "description": evil}],
            )
        },
        {evil: {"type": "object", "description": evil, "properties": {evil: {"type": "string"}}}},
    )
    doc["info"]["title"] = evil
    write_html(content(doc), tmp_path, Limits())
    for page in tmp_path.glob("*.html"):
        assert "<img" not in page.read_text(encoding="utf-8"), page.name


# ------------------------------------------------------------------ pages


def test_paginate_splits_at_elements_or_bytes_whichever_first() -> None:
    limits = Limits(bytes=100, elements=10)
    assert paginate([(30, 2)] * 5, limits) == [0, 0, 0, 1, 1]  # bytes: 3 fit in 100
    assert paginate([(1, 4)] * 5, limits) == [0, 0, 1, 1, 2]  # elements: 2 fit in 10
    assert paginate([(500, 1), (1, 1)], limits) == [0, 1]  # too large: a page of its own
    assert paginate([(30, 2)] * 3, limits, frame=(50, 0)) == [0, 1, 2]


def test_site_pages_split_with_small_limits(tmp_path: Path) -> None:
    paths = {f"/p{i}": get_op(operationId=f"op{i}", tags=["Big"]) for i in range(40)}
    defs = {f"S{i}": {"type": "object", "properties": {"a": {"type": "string"}}} for i in range(40)}
    c = content(v2(paths, defs))
    limits = Limits(bytes=12_000, elements=400)
    summary = write_html(c, tmp_path, limits)
    tag_pages = sorted(p for p in summary.pages if p.startswith("tag-big"))
    schema_pages = [p for p in summary.pages if p.startswith("schemas")]
    assert len(tag_pages) > 2
    assert len(schema_pages) > 1
    seen = []
    for name in tag_pages:
        html = (tmp_path / name).read_text(encoding="utf-8")
        seen += re.findall(r'<section class="op" id="(op\d+)"', html)
        assert html.count("<") - html.count("</") <= limits.elements + 200
    assert sorted(seen) == sorted(f"op{i}" for i in range(40))
    first = (tmp_path / "tag-big.html").read_text(encoding="utf-8")
    assert 'aria-label="Parts of this group"' in first
    assert 'href="tag-big-p2.html"' in first


# ------------------------------------------------------------------ the plain-text shortcut


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abcXYZ019 ,.;:'\"()/?%=@-*_#>&<\n")),
        min_size=1,
        max_size=40,
    )
)
def test_plain_text_shortcut_equals_markdown_it(text: str) -> None:
    rendered = str(markdown_html(text))
    assert rendered == commonmark_html(text)  # the shortcut changes nothing
    if _PLAIN.match(text) and "  " not in text:  # and it is markdown-it's paragraph
        assert rendered == parser().render(text).replace("&quot;", '"')
