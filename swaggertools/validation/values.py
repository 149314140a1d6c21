"""`default` values checked against their schemas, exactly as openapi-spec-validator does.

Upstream validates each `default` it meets with `openapi_schema_validator`'s
`OAS30Validator` (Swagger 2.0 and OpenAPI 3.0, with the OAS 3.0 format checker) or
`OAS31Validator` (3.1), resolving `$ref`s against the whole document. Those validators
carry OpenAPI's own semantics (`nullable`, `discriminator`, `int32`/`byte`/… formats,
read/write-only), so they are used here as well, instead of a re-implementation that could
drift: the module is imported only when a document has a default to check, and results are
cached by schema content, so a file with thousands of identical parameters pays once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from swaggertools.pointer import join
from swaggertools.versions import Family


@dataclass
class DefaultProblem:
    """One way a default value fails its schema (path below the value, message)."""

    path: tuple[str, ...]
    message: str


@dataclass
class DefaultChecker:
    """Checks defaults of one document; one instance per validation run."""

    doc: Any
    family: Family
    _by_content: dict[bytes, list[DefaultProblem]] = field(default_factory=dict)
    _resolver: Any = None
    _validator_cls: Any = None
    _format_checker: Any = None

    def check(self, schema: Any, value: Any) -> list[DefaultProblem]:
        """Problems of `value` under `schema` (empty when it conforms)."""
        key = _content_key(schema, value)
        if key is not None and key in self._by_content:
            return self._by_content[key]
        try:
            problems = list(self._iter(schema, value))
        except RecursionError:
            problems = [DefaultProblem((), "could not be checked: the schema nests too deeply")]
        except Exception as exc:  # upstream raises on these too; the verdict must match
            problems = [
                DefaultProblem((), f"could not be checked ({type(exc).__name__}: {str(exc)[:200]})")
            ]
        if key is not None:
            self._by_content[key] = problems
        return problems

    def _iter(self, schema: Any, value: Any) -> Iterator[DefaultProblem]:
        if self._validator_cls is None:
            self._setup()
        validator = self._validator_cls(
            schema, _resolver=self._resolver, format_checker=self._format_checker
        )
        for error in validator.iter_errors(value):
            yield DefaultProblem(tuple(str(p) for p in error.absolute_path), error.message)

    def _setup(self) -> None:
        # Imported here: openapi_schema_validator (with jsonschema) costs ~0.2 s to import.
        from openapi_schema_validator import (
            OAS30Validator,
            OAS31Validator,
            oas30_format_checker,
            oas31_format_checker,
        )
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012

        if self.family == "3.1":
            self._validator_cls, self._format_checker = OAS31Validator, oas31_format_checker
        else:
            self._validator_cls, self._format_checker = OAS30Validator, oas30_format_checker
        # The same resolver jsonschema-path gives upstream: the document at base URI "".
        registry: Any = Registry().with_resource("", DRAFT202012.create_resource(self.doc))
        self._resolver = registry.resolver(base_uri="")


def _content_key(schema: Any, value: Any) -> bytes | None:
    """A cache key for (schema, value) when the result cannot depend on the document."""
    try:
        key = orjson.dumps([schema, value], option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None
    return None if b'"$ref"' in key or b'"$dynamicRef"' in key else key


def problem_pointer(value_pointer: str, problem: DefaultProblem) -> str:
    """Pointer of the offending part of a default value."""
    return value_pointer + join(problem.path)[1:]
