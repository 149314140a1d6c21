"""Read an opened spec (2.0 or 3.x) into the comparison model (see `model`)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from swaggertools.opening import Opened
from swaggertools.pointer import escape

from .model import Body, Node, Op, OpRef, Param, Requirement, Response, Scheme, SpecModel
from .resolve import Resolver

_TEMPLATE = re.compile(r"\{[^}/]*\}")
_JSON = "application/json"
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The keywords a 2.0 non-body parameter shares with a schema.
_PARAM_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "x-nullable",
)
_FLOW_NAMES = {"accessCode": "authorizationCode", "application": "clientCredentials"}


def normalise_path(path: str) -> str:
    """`/API/Items/{key}/` → `/api/items/{}`: the path part of layer-1 matching."""
    stripped = path.rstrip("/") or "/"
    return _TEMPLATE.sub("{}", stripped).lower()


def read_model(opened: Opened, path: str) -> SpecModel:
    """The comparison model of one opened spec (never fails on odd shapes: skips them)."""
    doc = opened.loaded.doc
    v2 = opened.version.facts.is_v2
    resolver = Resolver(doc)
    global_security = _requirements(doc.get("security"))
    consumes = _media(doc.get("consumes")) if v2 else ()
    produces = _media(doc.get("produces")) if v2 else ()
    ops: list[Op] = []
    paths = doc.get("paths")
    for operation in opened.index.operations:
        item = paths.get(operation.path) if isinstance(paths, dict) else None
        raw = item.get(operation.method) if isinstance(item, dict) else None
        if not isinstance(raw, dict) or not isinstance(item, dict):
            continue
        item_node = resolver.follow(Node(item, f"#/paths/{escape(operation.path)}"))
        shared = item_node.value.get("parameters") if isinstance(item_node.value, dict) else None
        node = Node(raw, operation.pointer)
        if v2:
            params, body = _params_v2(resolver, node, shared, item_node.pointer, consumes)
            responses = _responses_v2(resolver, node, produces)
        else:
            params = _params_v3(resolver, node, shared, item_node.pointer)
            body = _body_v3(resolver, node)
            responses = _responses_v3(resolver, node)
        own_security = raw.get("security")
        ops.append(
            Op(
                operation=operation,
                ref=OpRef(operation.method, operation.path, operation.operation_id),
                pointer=operation.pointer,
                key=(operation.method, normalise_path(operation.path)),
                tags=operation.tags,
                deprecated=raw.get("deprecated") is True,
                mes_method=operation.mes_method,
                params=params,
                body=body,
                responses=responses,
                security=global_security if own_security is None else _requirements(own_security),
                security_pointer=f"{operation.pointer}/security"
                if own_security is not None
                else "#/security",
            )
        )
    servers, servers_pointer = _servers(doc, v2)
    return SpecModel(
        path=path,
        family=opened.version.family,
        declared=opened.version.declared,
        sha256=opened.loaded.source.sha256,
        ops=ops,
        servers=servers,
        servers_pointer=servers_pointer,
        schemes=_schemes(doc, v2),
        doc=doc,
    )


def _media(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(dict.fromkeys(v.lower() for v in value if isinstance(v, str)))
    return ()


def _param_list(
    resolver: Resolver, shared: Any, shared_at: str, own: Any, own_at: str
) -> list[Node]:
    """Path-item then operation parameters, refs followed; the operation's win by (in, name)."""
    found: dict[tuple[str, str], Node] = {}
    for values, at in ((shared, f"{shared_at}/parameters"), (own, f"{own_at}/parameters")):
        if not isinstance(values, list):
            continue
        for i, value in enumerate(values):
            node = resolver.follow(Node(value, f"{at}/{i}"))
            param = node.value
            # a parameter without a name or location is invalid (validate reports it)
            # and no caller can send it: there is nothing to compare
            if isinstance(param, dict) and _is_str(param.get("name"), param.get("in")):
                found[(param["in"], param["name"])] = node
    return list(found.values())


def _is_str(*values: Any) -> bool:
    return all(isinstance(v, str) for v in values)


def _params_v2(
    resolver: Resolver, op: Node, shared: Any, shared_at: str, consumes: tuple[str, ...]
) -> tuple[dict[tuple[str, str], Param], Body | None]:
    raw = op.value
    params: dict[tuple[str, str], Param] = {}
    body: Body | None = None
    form: list[Node] = []
    media = _media(raw["consumes"]) if "consumes" in raw else consumes
    for node in _param_list(resolver, shared, shared_at, raw.get("parameters"), op.pointer):
        p = node.value
        where = p.get("in")
        if where == "body":
            schema = p.get("schema")
            target = Node(schema, f"{node.pointer}/schema") if schema is not None else None
            body = Body(
                required=p.get("required") is True,
                content={m: target for m in (media or (_JSON,))},
                pointer=node.pointer,
            )
        elif where == "formData":
            form.append(node)
        else:
            schema = {k: p[k] for k in _PARAM_SCHEMA_KEYS if k in p}
            params[(str(where), p["name"].lower())] = _param(node, Node(schema, node.pointer))
    if form and body is None:
        body = _form_body(form, media, op.pointer)
    return params, body


def _form_body(form: list[Node], media: tuple[str, ...], op_pointer: str) -> Body:
    """`formData` parameters as one object schema, under the form media types consumed."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for node in form:
        p = node.value
        properties[p["name"]] = {k: p[k] for k in _PARAM_SCHEMA_KEYS if k in p}
        if p.get("required") is True:
            required.append(p["name"])
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    types = tuple(m for m in media if m in _FORM_TYPES) or (_FORM_TYPES[0],)
    target = Node(schema, f"{op_pointer}/parameters")
    return Body(
        required=bool(required),
        content={m: target for m in types},
        pointer=f"{op_pointer}/parameters",
    )


def _param(node: Node, schema: Node) -> Param:
    p = node.value
    return Param(
        name=p["name"],
        location=str(p.get("in")),
        required=p.get("required") is True,
        schema=schema,
        pointer=node.pointer,
        deprecated=p.get("deprecated") is True,
    )


def _params_v3(
    resolver: Resolver, op: Node, shared: Any, shared_at: str
) -> dict[tuple[str, str], Param]:
    params: dict[tuple[str, str], Param] = {}
    for node in _param_list(resolver, shared, shared_at, op.value.get("parameters"), op.pointer):
        p = node.value
        schema = p.get("schema")
        if schema is None and isinstance(p.get("content"), dict):
            # a parameter with `content` has exactly one media type holding its schema
            for media, value in p["content"].items():
                if isinstance(value, dict) and "schema" in value:
                    at = f"{node.pointer}/content/{escape(media)}/schema"
                    schema_node = Node(value["schema"], at)
                    break
            else:
                schema_node = Node({}, node.pointer)
        else:
            schema_node = Node(schema if schema is not None else {}, f"{node.pointer}/schema")
        params[(str(p.get("in")), p["name"].lower())] = _param(node, schema_node)
    return params


def _content(value: Any, at: str) -> dict[str, Node | None]:
    content: dict[str, Node | None] = {}
    if isinstance(value, dict):
        for media, entry in value.items():
            schema = entry.get("schema") if isinstance(entry, dict) else None
            where = f"{at}/{escape(media)}/schema"
            content[str(media).lower()] = Node(schema, where) if schema is not None else None
    return content


def _body_v3(resolver: Resolver, op: Node) -> Body | None:
    raw = op.value.get("requestBody")
    if raw is None:
        return None
    node = resolver.follow(Node(raw, f"{op.pointer}/requestBody"))
    if not isinstance(node.value, dict):
        return None
    return Body(
        required=node.value.get("required") is True,
        content=_content(node.value.get("content"), f"{node.pointer}/content"),
        pointer=node.pointer,
    )


def _responses_v2(resolver: Resolver, op: Node, produces: tuple[str, ...]) -> dict[str, Response]:
    raw = op.value
    media = _media(raw["produces"]) if "produces" in raw else produces
    out: dict[str, Response] = {}
    responses = raw.get("responses")
    if not isinstance(responses, dict):
        return out
    for status, value in responses.items():
        if str(status).startswith("x-"):
            continue
        node = resolver.follow(Node(value, f"{op.pointer}/responses/{escape(status)}"))
        schema = node.value.get("schema") if isinstance(node.value, dict) else None
        content: dict[str, Node | None] = {}
        if schema is not None:
            target = Node(schema, f"{node.pointer}/schema")
            content = {m: target for m in (media or (_JSON,))}
        out[str(status)] = Response(str(status), content, node.pointer)
    return out


def _responses_v3(resolver: Resolver, op: Node) -> dict[str, Response]:
    out: dict[str, Response] = {}
    responses = op.value.get("responses")
    if not isinstance(responses, dict):
        return out
    for status, value in responses.items():
        if str(status).startswith("x-"):
            continue
        node = resolver.follow(Node(value, f"{op.pointer}/responses/{escape(status)}"))
        content = node.value.get("content") if isinstance(node.value, dict) else None
        out[str(status)] = Response(
            str(status), _content(content, f"{node.pointer}/content"), node.pointer
        )
    return out


def _requirements(value: Any) -> frozenset[Requirement] | None:
    if not isinstance(value, list):
        return None
    found: set[Requirement] = set()
    for requirement in value:
        if isinstance(requirement, dict):
            found.add(
                frozenset(
                    (str(name), frozenset(s for s in scopes if isinstance(s, str)))
                    for name, scopes in requirement.items()
                    if isinstance(scopes, list)
                )
            )
    return frozenset(found)


def _servers(doc: dict[str, Any], v2: bool) -> tuple[tuple[str, ...], str]:
    if v2:
        host: str = doc["host"] if isinstance(doc.get("host"), str) else ""
        base: str = doc["basePath"] if isinstance(doc.get("basePath"), str) else ""
        schemes = [s for s in doc.get("schemes") or [] if isinstance(s, str)] or ["https"]
        base = "/" + base.strip("/") if base.strip("/") else ""
        if not host:
            return ((base or "/"),), "#/basePath" if "basePath" in doc else "#"
        pointer = "#/host" if "host" in doc else "#"
        return tuple(f"{s.lower()}://{host.lower()}{base}" for s in schemes), pointer
    servers = doc.get("servers")
    urls: list[str] = []
    for server in servers if isinstance(servers, list) else []:
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            urls.append(_server_url(server))
    return tuple(urls) or ("/",), "#/servers" if "servers" in doc else "#"


def _server_url(server: dict[str, Any]) -> str:
    """The URL with its variables' defaults filled in, scheme and host lower-cased."""
    url: str = server["url"]
    variables = server.get("variables")
    if isinstance(variables, dict):
        for name, var in variables.items():
            if isinstance(var, dict) and isinstance(var.get("default"), str):
                url = url.replace("{" + str(name) + "}", var["default"])
    parts = urlsplit(url)
    path = "/" + parts.path.strip("/") if parts.path.strip("/") else ""
    if parts.scheme and parts.netloc:
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"
    return path or "/"


def _schemes(doc: dict[str, Any], v2: bool) -> dict[str, Scheme]:
    container = doc.get("securityDefinitions") if v2 else None
    at = "#/securityDefinitions"
    if not v2:
        components = doc.get("components")
        container = components.get("securitySchemes") if isinstance(components, dict) else None
        at = "#/components/securitySchemes"
    out: dict[str, Scheme] = {}
    if not isinstance(container, dict):
        return out
    for name, raw in container.items():
        if isinstance(raw, dict):
            out[str(name)] = _scheme(raw, f"{at}/{escape(name)}", v2)
    return out


def _scheme(raw: dict[str, Any], pointer: str, v2: bool) -> Scheme:
    kind = str(raw.get("type"))
    detail: list[tuple[str, str]] = []
    scopes: dict[str, frozenset[str]] = {}
    if kind == "basic":  # 2.0 basic is 3.x http/basic
        kind = "http:basic"
    elif kind == "http":
        kind = f"http:{str(raw.get('scheme', '')).lower()}"
    elif kind == "apiKey":
        detail = [("in", str(raw.get("in"))), ("name", str(raw.get("name")))]
    elif kind == "oauth2":
        flows: dict[str, Any] = {}
        if v2:
            flow = _FLOW_NAMES.get(str(raw.get("flow")), str(raw.get("flow")))
            flows[flow] = raw
        elif isinstance(raw.get("flows"), dict):
            flows = {str(k): v for k, v in raw["flows"].items() if isinstance(v, dict)}
        for flow, body in sorted(flows.items()):
            names = body.get("scopes")
            scopes[flow] = (
                frozenset(str(s) for s in names) if isinstance(names, dict) else frozenset()
            )
            for url in ("authorizationUrl", "tokenUrl"):
                if isinstance(body.get(url), str):
                    detail.append((f"{flow}.{url}", body[url]))
    return Scheme(kind, tuple(detail), scopes, pointer)
