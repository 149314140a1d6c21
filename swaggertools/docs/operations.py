"""One operation of the spec as an `OperationView`, for Swagger 2.0 and OpenAPI 3.x alike.

2.0 keeps its shape: `in: body` becomes the request body (with `consumes`), `formData`
parameters stay parameters, `produces` is shown with the responses. Shared parameters
and responses (`$ref`) are resolved and shown in place; schemas are linked, not inlined.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar, cast

from swaggertools.model import HTTP_METHODS, IdentifyStrategy, Operation
from swaggertools.pointer import escape
from swaggertools.rules import identify_method_name

from .model import Body, OperationView, Param, Response, Security, TypePart
from .schematree import TreeBuilder, _is_tree
from .text import plain_text

METHODS = frozenset(HTTP_METHODS)
T = TypeVar("T")


def iter_operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(path, method, operation, path item) for every operation, in document order."""
    paths = doc.get("paths")
    found = []
    if isinstance(paths, dict):
        for path, item in paths.items():
            if not isinstance(item, dict):
                continue
            for method, op in item.items():
                if method in METHODS and isinstance(op, dict):
                    found.append((path, method, op, item))
    return found


class OperationBuilder:
    """Builds views of operations; the tree builder reports the schemas each one uses."""

    def __init__(
        self,
        trees: TreeBuilder,
        *,
        identify: IdentifyStrategy,
        method_extension: str,
    ) -> None:
        self.trees = trees
        self.reader = trees.reader
        self.identify = identify
        self.method_extension = method_extension
        doc = self.reader.doc
        self.consumes = _strings(doc.get("consumes"))
        self.produces = _strings(doc.get("produces"))
        self.global_security = doc.get("security")
        self.shared: dict[tuple[str, str], str] = {}
        """(status, description) → anchor of the common response (see `Content`)."""
        self._memo: dict[tuple[int, str], tuple[Any, list[str]]] = {}
        self._plain: dict[tuple[str, str], Response] = {}
        """(status, description) → the view of a description-only response."""
        self.shared_views: set[int] = set()
        """ids of the views built once and shared (the memo keeps them alive)."""

    def _cached(self, raw: dict[str, Any], key: str, make: Callable[[], T]) -> T:
        """One view per spec object: `$ref`'d parameters and responses are built once.

        The schemas a view links to are recorded again for every operation that uses it
        ("used by" lists). The document outlives the builder, so `id(raw)` is stable.
        """
        found = self._memo.get((id(raw), key))
        if found is not None:
            for pointer in found[1]:
                self.trees.on_ref(pointer)
            return cast(T, found[0])
        outer, self.trees.capture = self.trees.capture, []
        try:
            value = make()
            refs = self.trees.capture
        finally:
            self.trees.capture = outer
        self._memo[(id(raw), key)] = (value, refs)
        self.shared_views.add(id(value))
        return value

    def mes_method(self, path: str, method: str, op: dict[str, Any]) -> str | None:
        """The MES method name, identified as the rules identify it (`rules`)."""
        ext = op.get(self.method_extension)
        operation_id = op.get("operationId")
        probe = Operation(
            path=path,
            method=method,
            operation_id=operation_id if isinstance(operation_id, str) else None,
            tags=(),
            pointer="",
            mes_method=ext if isinstance(ext, str) else None,
        )
        return identify_method_name(probe, self.identify)

    def build(
        self, anchor: str, path: str, method: str, op: dict[str, Any], item: dict[str, Any]
    ) -> OperationView:
        """The view of one operation."""
        v2 = self.reader.v2
        params, body = self._parameters(op, item)
        if not v2:
            body = self._request_body(op.get("requestBody"))
        description = op.get("description")
        operation_id = op.get("operationId")
        summary = op.get("summary")
        tags = op.get("tags")
        security = op.get("security", self.global_security)
        return OperationView(
            anchor=anchor,
            method=method,
            path=path,
            operation_id=operation_id if isinstance(operation_id, str) else None,
            summary=str(summary) if isinstance(summary, str) else "",
            description=self.trees.describe(description) if isinstance(description, str) else None,
            mes_method=self.mes_method(path, method, op),
            deprecated=op.get("deprecated") is True,
            tags=[t for t in tags if isinstance(t, str)] if isinstance(tags, list) else [],
            params=params,
            body=body,
            responses=self._responses(op),
            security=_security(security) if isinstance(security, list) else None,
            extensions=_extensions(op),
            consumes=_strings(op.get("consumes")) or self.consumes if v2 else [],
            produces=_strings(op.get("produces")) or self.produces if v2 else [],
            pointer=f"#/paths/{escape(path)}/{method}",
        )

    def _parameters(
        self, op: dict[str, Any], item: dict[str, Any]
    ) -> tuple[list[Param], Body | None]:
        merged: dict[tuple[str, str], tuple[dict[str, Any], bool]] = {}
        for source in (item.get("parameters"), op.get("parameters")):
            if isinstance(source, list):
                for raw in source:
                    param = self.reader.deref(raw)
                    if isinstance(param, dict):
                        key = (plain_text(param.get("name")), plain_text(param.get("in")))
                        merged[key] = (param, param is not raw)
        params: list[Param] = []
        body: Body | None = None
        for (name, location), (param, shared) in merged.items():
            if location == "body":
                schema = param.get("schema")
                body = Body(
                    content_types=list(_strings(op.get("consumes")) or self.consumes),
                    schema=self.trees.node("", schema) if schema is not None else None,
                    description=self._md(param.get("description")),
                    required=param.get("required") is True,
                    name=name,
                )
                continue
            if shared:  # a `$ref`'d parameter: one view for all its operations
                params.append(self._cached(param, "", partial(self._param, name, location, param)))
            else:
                params.append(self._param(name, location, param))
        return params, body

    def _param(self, name: str, location: str, param: dict[str, Any]) -> Param:
        schema = param.get("schema") if "schema" in param else param
        type_parts: list[TypePart] = (
            self.trees.type_label(schema) if isinstance(schema, dict) else [TypePart("any")]
        )
        if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            type_parts = [self.trees.ref_part(schema["$ref"])]
        fmt = schema.get("format") if isinstance(schema, dict) else None
        if isinstance(fmt, str):
            type_parts = [*type_parts, TypePart(f" ({fmt})")]
        enum = schema.get("enum") if isinstance(schema, dict) else None
        default = schema.get("default", None) if isinstance(schema, dict) else None
        tree = None
        if isinstance(schema, dict) and "schema" in param and _is_tree(schema):
            tree = self.trees.node("", schema)
        return Param(
            name=name,
            location=location,
            type=type_parts,
            required=param.get("required") is True,
            default=_json(default) if isinstance(schema, dict) and "default" in schema else "",
            enum=[_json(v) for v in enum] if isinstance(enum, list) else [],
            description=self._md(param.get("description")),
            deprecated=param.get("deprecated") is True,
            schema=tree,
        )

    def _request_body(self, raw: Any) -> Body | None:
        body = self.reader.deref(raw)
        if not isinstance(body, dict):
            return None
        types, schema = self._content(body.get("content"))
        return Body(
            content_types=types,
            schema=schema,
            description=self._md(body.get("description")),
            required=body.get("required") is True,
        )

    def _content(self, content: Any) -> tuple[list[str], Any]:
        """Content types, and the schema tree of the first type that has a schema."""
        if not isinstance(content, dict):
            return [], None
        types = [str(t) for t in content]
        for media in content.values():
            if isinstance(media, dict) and "schema" in media:
                return types, self.trees.node("", media["schema"])
        return types, None

    def _responses(self, op: dict[str, Any]) -> list[Response]:
        responses = op.get("responses")
        if not isinstance(responses, dict):
            return []
        result = []
        for status, raw in responses.items():
            response = self.reader.deref(raw)
            if not isinstance(response, dict):
                continue
            code = str(status)
            if len(response) == 1 and isinstance(response.get("description"), str):
                result.append(self._description_only(code, response["description"]))
            elif response is raw:
                result.append(self._response(code, response))
            else:  # a `$ref`'d response: one view for all its operations
                result.append(self._cached(response, code, partial(self._response, code, response)))
        return result

    def _description_only(self, code: str, text: str) -> Response:
        """A response that is only a description (`200: OK`, AIM's 401 and 500).

        Most operations give such responses word for word, so there is one view per
        (status, text), shared like a `$ref`'d response (and so rendered once).
        """
        key = (code, text)
        view = self._plain.get(key)
        if view is None:
            anchor = self.shared.get(key)
            view = (
                Response(code, None, None, shared=anchor)
                if anchor is not None
                else Response(code, self._md(text), None)
            )
            self._plain[key] = view
            self.shared_views.add(id(view))
        return view

    def _response(self, status: str, response: dict[str, Any]) -> Response:
        body: Body | None = None
        if self.reader.v2:
            if "schema" in response:
                body = Body([], self.trees.node("", response["schema"]))
        else:
            types, schema = self._content(response.get("content"))
            if types or schema is not None:
                body = Body(types, schema)
        raw_headers = response.get("headers")
        headers = []
        if isinstance(raw_headers, dict):
            for name, raw in raw_headers.items():
                header = self.reader.deref(raw)
                if isinstance(header, dict):
                    headers.append(self._param(str(name), "header", header))
        return Response(status, self._md(response.get("description")), body, headers)

    def _md(self, value: Any) -> Any:
        return self.trees.describe(value) if isinstance(value, str) and value else None


def _security(requirements: list[Any]) -> list[Security]:
    result = []
    for requirement in requirements:
        if isinstance(requirement, dict):
            result.append(
                Security(
                    [
                        (str(name), [str(s) for s in scopes] if isinstance(scopes, list) else [])
                        for name, scopes in requirement.items()
                    ]
                )
            )
    return result


def _extensions(op: dict[str, Any]) -> list[tuple[str, str]]:
    """The operation's `x-` keys and their values as JSON text (most operations have none)."""
    return [(k, _json(v)) for k, v in op.items() if isinstance(k, str) and k[:2] == "x-"]


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _json(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return plain_text(value)
