"""openapi-spec-validator's checks beyond the JSON Schema, on plain dicts, in one pass.

Each check mirrors upstream functions (openapi-spec-validator 0.7 to 0.9,
`openapi_spec_validator/validation/keywords.py`):

- tag names are unique — `TagsValidator.__call__`;
- operationIds are unique across the document — `OperationValidator.__call__`;
- every `{name}` of a path template is declared as an `in: path` parameter (of the
  operation or its path item) and every declared path parameter is in the template; a
  template `string.Formatter` cannot parse is an error (upstream crashes on it) —
  `OperationValidator.__call__`, `_get_path_param_names`, `_get_path_params_from_url`;
- no two parameters of one list share `name` and `in` — `ParametersValidator.__call__`;
- Swagger 2.0: a parameter's `default` conforms to the parameter read as an OAS 3.0
  schema — `OpenAPIV2ParameterValidator.__call__`;
- Schema Objects are entered from parameter `schema`, 2.0 response `schema`, 3.x response
  `content.*.schema` and every `components.schemas` entry — `ParameterValidator`,
  `OpenAPIV2ResponseValidator`, `OpenAPIV3ResponseValidator`, `ContentValidator`,
  `MediaTypeValidator`, `ComponentsValidator`, `SchemasValidator`;
- a Schema Object is an object or a boolean — `SchemaValidator.__call__`;
- an entered Schema Object conforms to the draft-04 meta-schema (2.0, 3.0) or to its
  JSON Schema dialect (3.1: its `$schema`, else `jsonSchemaDialect`, else the OAS base
  dialect; an unknown dialect is an error), `pattern`s being valid regexes —
  `SchemaValidator._validate_schema_meta`, `OpenAPIV30SchemaValidator`,
  `OpenAPIV31SchemaValidator._get_schema_checker` (done by the caller's `meta_check`);
- from there, through `allOf`, `anyOf`, `oneOf`, `not`, `items` and `properties`: a
  schema with `allOf` that was entered directly lists in `required` only properties that
  it or its `allOf` parts define — `SchemaValidator.__call__`, `_collect_properties`;
- every `default` met on the way conforms to its schema (not checked for `null` with
  `nullable: true`) — `SchemaValidator.__call__`, `OpenAPIV30ValueValidator`,
  `OpenAPIV31ValueValidator` (see `values`).

`$ref`s are followed wherever upstream follows them (jsonschema-path resolves them on
access), and each schema is visited once, identified as upstream does by object identity,
in upstream's order (tags, paths in document order, then components), so that even the
order-dependent `required` check agrees. The walk touches each node it reads once: it
never re-walks a shared schema per operation. Every finding carries the JSON pointer of
the node it is about (the ref target when reached through a `$ref`).

Upstream reads more than it checks: request bodies, headers, callbacks, parameter
`content` and examples are not checked by it, and therefore not here either.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from typing import Any

from swaggertools.model import HTTP_METHODS, Finding, Severity
from swaggertools.pointer import join, resolve, split
from swaggertools.versions import Family

from .values import DefaultChecker, problem_pointer

MetaCheck = Callable[[Any, str], "list[Finding]"]
"""Checks one Schema Object against its meta-schema: (schema, pointer) → findings."""

_MAX_REF_HOPS = 64
_FORMATTER = string.Formatter()


class SemanticWalk:
    """One walk over a document; `findings` holds what it found."""

    def __init__(self, doc: dict[str, Any], family: Family, meta_check: MetaCheck) -> None:
        self.doc = doc
        self.family = family
        self.meta_check = meta_check
        self.defaults = DefaultChecker(doc, family)
        self.findings: list[Finding] = []
        self._visited: set[int] = set()
        self._meta_checked: set[int] = set()
        self._operation_ids: set[Any] = set()
        self._unhashable_ids: list[Any] = []  # upstream compares with ==; keep that for odd values
        self._chains: dict[str, tuple[Any, str, str | None]] = {}
        self._parameters_done: set[int] = set()
        self.order_dependent = False
        """True when a schema's `required` check was skipped (first met inside another
        schema, see `_schema`) but would fail if that schema were met first as an entry:
        then the findings of a document with fewer routes to it could differ."""

    def run(self) -> list[Finding]:
        """Check the whole document (RootValidator)."""
        doc = self.doc
        if "tags" in doc:
            self._tags(doc["tags"])
        paths, where = self._deref(doc.get("paths"), "#/paths")
        if isinstance(paths, dict):
            for url, item in paths.items():
                self._path(str(url), item, join(("paths", url)))
        components, where = self._deref(doc.get("components"), "#/components")
        if isinstance(components, dict) and "schemas" in components:
            schemas, at = self._deref(components["schemas"], where + "/schemas")
            if isinstance(schemas, dict):
                for name, schema in schemas.items():
                    self._schema(schema, f"{at}/{_esc(name)}")
        return self.findings

    # -- references ---------------------------------------------------------------------

    def _deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow `$ref` chains as jsonschema-path does (siblings of `$ref` are ignored)."""
        if not isinstance(node, dict) or "$ref" not in node:  # the common case, kept cheap
            return node, pointer
        ref = node["$ref"]
        if not isinstance(ref, str):
            return node, pointer
        hit = self._chains.get(ref)
        if hit is None:
            hit = self._chains[ref] = self._follow(ref)
        target, where, problem = hit
        if problem is not None:
            self._error(pointer, problem)
            return None, pointer
        return target, where

    def _follow(self, ref: str) -> tuple[Any, str, str | None]:
        """Where a chain of refs ends: (value, its pointer, problem or None)."""
        seen: list[str] = []
        while True:
            if len(seen) > _MAX_REF_HOPS or ref in seen or not ref.startswith("#"):
                return None, ref, f"$ref {ref!r} cannot be resolved (circular or not local)"
            seen.append(ref)
            try:
                found, node = resolve(self.doc, split(ref))
            except ValueError:
                found, node = False, None
            if not found:
                return None, ref, f"$ref {ref!r} points to nothing"
            following = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(following, str):
                return node, ref, None
            ref = following

    # -- tags, paths, operations, parameters, responses ------------------------------

    def _tags(self, tags: Any) -> None:
        seen: set[Any] = set()
        for i, tag in enumerate(tags if isinstance(tags, list) else ()):
            tag, _ = self._deref(tag, f"#/tags/{i}")
            name = tag.get("name") if isinstance(tag, dict) else None
            if not _hashable(name):
                continue
            if name in seen:
                self._error(f"#/tags/{i}/name", f"Duplicate tag name {name!r}")
            seen.add(name)

    def _path(self, url: str, item: Any, pointer: str) -> None:
        item, pointer = self._deref(item, pointer)
        if not isinstance(item, dict):
            return
        path_names = None
        if "parameters" in item:
            params, params_at = self._deref(item["parameters"], pointer + "/parameters")
            path_names = self._parameters(params, params_at)
        try:
            template: set[str] | str = {f for _, f, _, _ in _FORMATTER.parse(url) if f}
        except ValueError as exc:  # upstream raises here, once per operation
            template = f"path template {url!r} cannot be parsed: {exc}"
        for method, operation in item.items():
            if method in HTTP_METHODS:
                where = f"{pointer}/{method}"
                self._operation(url, method, operation, where, path_names, template)

    def _operation(
        self,
        url: str,
        method: str,
        op: Any,
        pointer: str,
        path_names: list[str] | None,
        template: set[str] | str,
    ) -> None:
        op, pointer = self._deref(op, pointer)
        if not isinstance(op, dict):
            return
        if "operationId" in op:
            op_id = op["operationId"]
            hashable = _hashable(op_id)
            seen = self._operation_ids if hashable else self._unhashable_ids
            if op_id is not None and op_id in seen:
                self._error(
                    pointer + "/operationId",
                    f"Operation ID {op_id!r} for {method!r} in {url!r} is not unique",
                    rule="duplicate-operation-id",
                )
            if hashable:
                self._operation_ids.add(op_id)
            else:
                self._unhashable_ids.append(op_id)
        if "responses" in op:
            self._responses(op["responses"], pointer + "/responses")
        declared: list[str] = []
        if "parameters" in op:
            params, params_at = self._deref(op["parameters"], pointer + "/parameters")
            declared += self._parameters(params, params_at)
        if path_names is not None:
            declared += path_names
        if isinstance(template, str):
            self._error(pointer, template)
            return
        known = set(declared)
        for name in sorted(template - known):
            self._error(
                pointer,
                f"Path parameter {name!r} for {method!r} operation in {url!r} was not resolved "
                "(it is in the path template but not declared as an 'in: path' parameter)",
            )
        for name in sorted(known - template):
            self._error(
                pointer,
                f"Path parameter {name!r} for {method!r} operation in {url!r} was not resolved "
                "(it is declared 'in: path' but not in the path template)",
            )

    def _parameters(self, params: Any, pointer: str) -> list[str]:
        """Check a parameter list; returns the names of its `in: path` parameters."""
        seen: set[tuple[Any, Any]] = set()
        path_names = []
        for i, param in enumerate(params if isinstance(params, list) else ()):
            param, at = self._deref(param, f"{pointer}/{i}")
            if not isinstance(param, dict):
                continue
            if id(param) not in self._parameters_done:  # shared ones give the same findings
                self._parameters_done.add(id(param))
                self._parameter(param, at)
            name, where = param.get("name"), param.get("in")
            if where == "path" and isinstance(name, str):
                path_names.append(name)
            if not (_hashable(name) and _hashable(where)):
                continue
            if (name, where) in seen:
                self._error(f"{pointer}/{i}", f"Duplicate parameter {name!r}")
            seen.add((name, where))
        return path_names

    def _parameter(self, param: dict[str, Any], pointer: str) -> None:
        if "schema" in param:
            self._schema(param["schema"], pointer + "/schema")
        if self.family == "2.0" and "default" in param:
            self._default(param, param["default"], pointer + "/default")

    def _responses(self, responses: Any, pointer: str) -> None:
        responses, pointer = self._deref(responses, pointer)
        if not isinstance(responses, dict):
            return
        for code, response in responses.items():
            response, at = self._deref(response, f"{pointer}/{_esc(code)}")
            if not isinstance(response, dict):
                continue
            if self.family == "2.0":
                if "schema" in response:
                    self._schema(response["schema"], at + "/schema")
            elif "content" in response:
                content, content_at = self._deref(response["content"], at + "/content")
                for media, media_type in content.items() if isinstance(content, dict) else ():
                    media_type, media_at = self._deref(media_type, f"{content_at}/{_esc(media)}")
                    if isinstance(media_type, dict) and "schema" in media_type:
                        self._schema(media_type["schema"], media_at + "/schema")

    # -- schemas ------------------------------------------------------------------

    def _schema(
        self, node: Any, pointer: str, *, entry: bool = True, require_properties: bool = True
    ) -> None:
        """SchemaValidator.__call__ (iterative: deep schemas cannot overflow the stack)."""
        value, _ = self._deref(node, pointer)
        if id(value) in self._visited and (not entry or id(value) in self._meta_checked):
            return  # a shared schema, already checked: the common case for `$ref`s
        stack: list[tuple[Any, str, bool, bool]] = [(node, pointer, entry, require_properties)]
        while stack:
            node, pointer, entry, require = stack.pop()
            if isinstance(node, dict) and "$ref" in node:
                value, pointer = self._deref(node, pointer)
                if value is None:
                    continue  # already reported by _deref
            else:
                value = node  # what _deref gives a node without `$ref`
            if not isinstance(value, (dict, bool)):
                self._error(pointer, f"{value!r} is not of type 'object', 'boolean'")
                continue
            identity = id(value)
            if entry and identity not in self._meta_checked:
                self._meta_checked.add(identity)
                problems = self.meta_check(value, pointer)
                if problems:
                    self.findings += problems
                    continue
            if identity in self._visited:
                continue
            self._visited.add(identity)
            if not isinstance(value, dict):
                continue
            children: list[tuple[Any, str, bool, bool]] = []
            nested: set[str] = set()
            for keyword in ("allOf", "anyOf", "oneOf"):
                parts = value.get(keyword)
                for i, part in enumerate(parts if isinstance(parts, list) else ()):
                    children.append((part, f"{pointer}/{keyword}/{i}", False, False))
                    if keyword == "allOf":
                        nested |= self._collect_properties(part, f"{pointer}/allOf/{i}")
            for keyword in ("not", "items"):
                if keyword in value:
                    children.append((value[keyword], f"{pointer}/{keyword}", False, False))
            properties = value.get("properties")
            if isinstance(properties, dict):
                for name, prop in properties.items():
                    children.append((prop, f"{pointer}/properties/{_esc(name)}", False, False))
            if "allOf" in value:
                if require:
                    self._required_defined(value, pointer, nested)
                elif not self.order_dependent and _missing_required(value, nested):
                    self.order_dependent = True
            if "default" in value and (
                value["default"] is not None or value.get("nullable", False) is not True
            ):
                self._default(value, value["default"], pointer + "/default")
            # upstream descends depth-first in this order; the stack pops the last first
            stack.extend(reversed(children))

    def _required_defined(self, schema: dict[str, Any], pointer: str, nested: set[str]) -> None:
        missing = _missing_required(schema, nested)
        if missing:
            self._error(
                pointer + "/required",
                f"Required list has not defined properties: {missing} "
                "(not in 'properties' nor in the 'allOf' parts)",
            )

    def _collect_properties(self, node: Any, pointer: str) -> set[str]:
        """Property names defined by a schema or its combinators (_collect_properties)."""
        names: set[str] = set()
        seen: set[int] = set()
        stack = [(node, pointer)]
        while stack:
            value, at = self._deref(*stack.pop())
            if not isinstance(value, dict) or id(value) in seen:
                continue
            seen.add(id(value))
            properties = value.get("properties")
            if isinstance(properties, dict):
                names.update(str(k) for k in properties)
            for keyword in ("allOf", "anyOf", "oneOf"):
                parts = value.get(keyword)
                for i, part in enumerate(parts if isinstance(parts, list) else ()):
                    stack.append((part, f"{at}/{keyword}/{i}"))
            for keyword in ("items", "not"):
                if keyword in value:
                    stack.append((value[keyword], f"{at}/{keyword}"))
        return names

    def _default(self, schema: dict[str, Any], value: Any, pointer: str) -> None:
        ref = value.get("$ref") if isinstance(value, dict) else None
        if isinstance(ref, str):
            # Upstream reads the default through jsonschema-path, which resolves a `$ref`
            # there too, so the target is what gets checked. A non-local one is data the
            # `$ref` policy left alone; full mode's resolver (refs.NO_FETCH_HANDLERS) reads
            # it as an empty document, in which only the empty fragment exists.
            if ref.startswith("#"):
                value, _ = self._deref(value, pointer)
                if value is None:
                    return  # the ref did not resolve: reported by _deref
            elif ref.partition("#")[2]:
                self._error(pointer, f"$ref {ref!r} cannot be resolved (nothing is fetched)")
                return
            else:
                value = {}
        for problem in self.defaults.check(schema, value):
            self._error(problem_pointer(pointer, problem), f"default value: {problem.message}")

    def _error(self, pointer: str, message: str, rule: str = "invalid-spec") -> None:
        self.findings.append(Finding(rule, Severity.ERROR, message, pointer=pointer))


def _missing_required(schema: dict[str, Any], nested: set[str]) -> list[Any]:
    """`required` names neither `properties` nor the `allOf` parts (`nested`) define."""
    required = schema.get("required") or []
    properties = schema.get("properties") or {}
    if not isinstance(required, list) or not isinstance(properties, dict):
        return []
    return sorted({r for r in required if _hashable(r)} - set(properties) - nested, key=str)


def _esc(token: Any) -> str:
    text = str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def _hashable(value: Any) -> bool:
    if isinstance(value, str):
        return True
    try:
        hash(value)
    except TypeError:
        return False
    return True
