r"""The official OpenAPI JSON Schemas, compiled once per process with jsonschema-rs.

The schema files are read from the installed packages that openapi-spec-validator itself
uses (`openapi_spec_validator/resources/schemas/…`, `jsonschema_specifications`,
`openapi_schema_validator/schemas`), located without importing them: importing
openapi-spec-validator alone costs about 0.3 s. Each compiled validator is built lazily
and cached.

openapi-spec-validator's reference behaviour is the pure-Python `jsonschema` backend, and
three of its habits are reproduced here so that both agree on every document:

- `format` is not asserted (jsonschema validates formats only when given a checker, and
  openapi-spec-validator gives none for the document schema); the meta-schema checks of
  Schema Objects assert only `regex`, with Python's `re`, as `openapi_schema_validator` does.
- jsonschema-rs ships its own copies of the draft-04 and 2020-12 meta-schemas, and its
  draft-04 copy drops `uniqueItems`/`minItems` from `enum`; the exact copies from
  `jsonschema_specifications` are registered under private URIs and every reference to
  them is rewritten, so those rules hold as upstream has them.
- Python's `\d` matches every Unicode decimal digit and `$` also matches before a final
  newline; the OpenAPI schemas' patterns are rewritten to say so in ECMA-262 syntax.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import jsonschema_rs

from swaggertools.versions import Family

OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"

# Public meta-schema URIs → where the exact copies are registered instead.
_PRIVATE = "https://swaggertools.invalid/"
_PUBLIC_PREFIXES = (
    "http://json-schema.org/",
    "https://json-schema.org/",
    "https://spec.openapis.org/",
)

_DOC_SCHEMAS: dict[Family, str] = {
    "2.0": "resources/schemas/v2.0/schema.json",
    "3.0": "resources/schemas/v3.0/schema.json",
    "3.1": "resources/schemas/v3.1/schema.json",
}


class SchemaFilesMissing(RuntimeError):
    """The official schema files are not where the installed packages keep them."""


def _package_dir(name: str) -> Path:
    spec = find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SchemaFilesMissing(f"package {name} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SchemaFilesMissing(f"cannot read {path}: {exc}") from exc


def _privatize_uri(uri: str) -> str:
    for prefix in _PUBLIC_PREFIXES:
        if uri.startswith(prefix):
            return _PRIVATE + uri[len(prefix.split("//", 1)[0]) + 2 :]
    return uri


_DIGIT = re.compile(r"(?<!\\)((?:\\\\)*)\\d")


def _python_pattern(pattern: str) -> str:
    """An ECMA-262 pattern that matches what Python's `re.search(pattern)` matches."""
    pattern = _DIGIT.sub(r"\1\\p{Nd}", pattern)
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + "\\n?$"
    return pattern


def _rewrite(node: Any, *, patterns: bool) -> Any:
    """Copy a schema: refs and ids to the private copies; optionally Python-style patterns."""
    if isinstance(node, list):
        return [_rewrite(item, patterns=patterns) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$ref", "$id", "id", "$dynamicRef") and isinstance(value, str):
            out[key] = _privatize_uri(value)
        elif patterns and key == "pattern" and isinstance(value, str):
            out[key] = _python_pattern(value)
        elif patterns and key == "patternProperties" and isinstance(value, dict):
            out[key] = {
                _python_pattern(k): _rewrite(v, patterns=patterns) for k, v in value.items()
            }
        else:
            out[key] = _rewrite(value, patterns=patterns)
    return out


@cache
def _registry() -> jsonschema_rs.Registry:
    """Exact meta-schemas (draft-04, 2020-12 and its vocabularies, OAS 3.1 dialect)."""
    specs = _package_dir("jsonschema_specifications") / "schemas"
    oas = _package_dir("openapi_schema_validator") / "schemas" / "oas3.1"
    files = [
        specs / "draft4" / "metaschema.json",
        specs / "draft202012" / "metaschema.json",
        *sorted((specs / "draft202012" / "vocabularies").iterdir()),
        oas / "metaschema.json",
        *sorted((oas / "vocabularies").iterdir()),
    ]
    resources = []
    for path in files:
        contents = _read(path)
        uri = contents.get("$id") or contents.get("id")
        if isinstance(uri, str):
            resources.append((_privatize_uri(uri).rstrip("#"), _rewrite(contents, patterns=False)))
    return jsonschema_rs.Registry(resources)


# The meta-schemas name these formats; upstream's format checkers assert only `regex`.
_META_FORMATS = ("uri", "uri-reference", "iri", "iri-reference", "uri-template")


def _always(_value: str) -> bool:
    return True


def is_valid_regex(pattern: str) -> bool:
    """The `regex` format as openapi_schema_validator checks it (ECMA via `regress`, else re)."""
    try:
        from regress import Regex, RegressError  # type: ignore[import-not-found]
    except ImportError:
        try:
            re.compile(pattern)
        except (re.error, OverflowError, RecursionError):
            return False
        return True
    try:
        Regex(pattern)
    except RegressError:
        return False
    return True


def _compile(schema: Any, *, assert_regex: bool) -> jsonschema_rs.Validator:
    formats: dict[str, Any] | None = None
    if assert_regex:
        formats = {name: _always for name in _META_FORMATS}
        formats["regex"] = is_valid_regex
    return jsonschema_rs.validator_for(
        schema,
        registry=_registry(),
        validate_formats=assert_regex,
        formats=formats,
        ignore_unknown_formats=True,
    )


@cache
def document_schema(family: Family) -> Any:
    """The official schema of a spec version, as shipped with openapi-spec-validator."""
    return _read(_package_dir("openapi_spec_validator") / _DOC_SCHEMAS[family])


@cache
def document_validator(family: Family) -> jsonschema_rs.Validator:
    """Compiled validator of whole documents of one spec version."""
    return _compile(_rewrite(document_schema(family), patterns=True), assert_regex=False)


@cache
def draft4_meta_validator() -> jsonschema_rs.Validator:
    """Schema Objects of 2.0/3.0 against the draft-04 meta-schema (as OAS30Validator does)."""
    return _compile(
        {
            "$schema": "http://json-schema.org/draft-04/schema#",
            "$ref": _privatize_uri("http://json-schema.org/draft-04/schema#"),
        },
        assert_regex=True,
    )


@cache
def oas31_meta_validator() -> jsonschema_rs.Validator:
    """Schema Objects of 3.1 against the OAS 3.1 base dialect meta-schema."""
    return _compile(
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": _privatize_uri(OAS31_DIALECT),
        },
        assert_regex=True,
    )
