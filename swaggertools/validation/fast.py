"""The fast validator: official JSON Schema (jsonschema-rs) + upstream's semantic checks.

`validate_fast` reports what openapi-spec-validator reports, as findings with JSON pointers:
the document against the official OpenAPI JSON Schema of its version (compiled once per
process, see `schemas`), then the semantic checks upstream makes beyond it (see
`semantic`). A differential test (`tests/test_differential.py`) runs both on every fixture,
the hostile corpus, generated invalid mutations and real public specs, and requires the
same valid/invalid verdict for each.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs

from swaggertools.model import Finding, Severity, dedupe_findings
from swaggertools.pointer import join
from swaggertools.versions import Family, SpecVersion

from . import schemas
from .semantic import SemanticWalk

_MAX_MESSAGE = 400
_OAS31_ALIASES = {schemas.OAS31_DIALECT, schemas.OAS31_DIALECT + "#"}


def validate_fast(
    doc: dict[str, Any], version: SpecVersion, semantic: list[Finding] | None = None
) -> list[Finding]:
    """All problems of a document as findings (empty list = valid).

    `semantic`: the findings of `check_semantics` for this document, when the caller has
    them already (from an equivalent document: see `validate.same_semantic_body`).
    """
    findings = schema_findings(schemas.document_validator(version.family), doc, "#")
    findings += check_semantics(doc, version) if semantic is None else semantic
    return dedupe_findings(findings)


def check_semantics(doc: dict[str, Any], version: SpecVersion) -> list[Finding]:
    """openapi-spec-validator's checks beyond the JSON Schema (see `semantic`)."""
    return run_semantics(doc, version)[0]


def run_semantics(doc: dict[str, Any], version: SpecVersion) -> tuple[list[Finding], bool]:
    """`check_semantics`, and whether its findings depend on the order shared schemas were met.

    The second value is `SemanticWalk.order_dependent`: False means that a document which
    reaches a subset of these schemas, by a subset of these routes, cannot have findings
    this one does not have (see `validate.derived_body`).
    """
    family = version.family
    walk = SemanticWalk(doc, family, _meta_check_for(family, doc))
    return dedupe_findings(walk.run()), walk.order_dependent


def schema_findings(validator: jsonschema_rs.Validator, instance: Any, base: str) -> list[Finding]:
    """Every error of `instance`, anyOf/oneOf failures collapsed to the likeliest branch."""
    findings = []
    for error in validator.iter_errors(instance):
        for path, message in _collapse(error):
            findings.append(
                Finding(
                    rule="invalid-spec",
                    severity=Severity.ERROR,
                    message=_shorten(message),
                    pointer=base + join(str(p) for p in path)[1:],
                )
            )
    return findings


def _collapse(error: jsonschema_rs.ValidationError) -> list[tuple[list[str | int], str]]:
    """Errors to report for one error; an anyOf/oneOf failure is replaced by its best branch.

    The best branch is the one that failed deepest in the instance (it matched the shape
    and broke further down), ignoring the "is a Reference Object" alternative when the value
    has no `$ref`. When no single branch stands out, the combinator's own message is kept.
    """
    kind = error.kind
    here = list(error.instance_path)
    if not isinstance(
        kind,
        (jsonschema_rs.ValidationErrorKind.AnyOf, jsonschema_rs.ValidationErrorKind.OneOfNotValid),
    ):
        return [(here, error.message)]
    branches = [[item for sub in branch for item in _collapse(sub)] for branch in kind.context]
    instance = error.instance
    if not (isinstance(instance, dict) and "$ref" in instance):
        branches = [b for b in branches if not _only_wants_ref(b, here)] or branches
    if len(branches) == 1 and branches[0]:
        return branches[0]
    depths = [max((len(path) for path, _ in b), default=-1) for b in branches]
    deepest = max(depths, default=-1)
    winners = [b for b, d in zip(branches, depths, strict=True) if d == deepest]
    if deepest > len(here) and len(winners) == 1:
        return winners[0]
    return [(here, error.message)]


def _only_wants_ref(branch: list[tuple[list[str | int], str]], here: list[str | int]) -> bool:
    return bool(branch) and all(
        path == here and message == '"$ref" is a required property' for path, message in branch
    )


def _shorten(message: str) -> str:
    """Messages quote the failing value; keep a large one readable."""
    if len(message) <= _MAX_MESSAGE:
        return message
    return message[:200] + " … " + message[-(_MAX_MESSAGE - 203) :]


def _meta_check_for(family: Family, doc: dict[str, Any]) -> Any:
    if family != "3.1":
        validator = schemas.draft4_meta_validator()

        def draft4(schema: Any, pointer: str) -> list[Finding]:
            return schema_findings(validator, schema, pointer)

        return draft4

    default = doc.get("jsonSchemaDialect", schemas.OAS31_DIALECT)

    def oas31(schema: Any, pointer: str) -> list[Finding]:
        dialect = schema.get("$schema", default) if isinstance(schema, dict) else default
        if dialect in _OAS31_ALIASES:
            return schema_findings(schemas.oas31_meta_validator(), schema, pointer)
        return _other_dialect(dialect, schema, pointer)

    return oas31


def _other_dialect(dialect: Any, schema: Any, pointer: str) -> list[Finding]:
    """A 3.1 schema in another JSON Schema dialect: checked the way upstream does, in Python.

    Rare enough (an explicit `$schema` or `jsonSchemaDialect`) that the import is worth
    avoiding on the common path.
    """
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for
    from openapi_schema_validator import oas31_format_checker

    def problem(message: str) -> list[Finding]:
        return [Finding("invalid-spec", Severity.ERROR, message, pointer=pointer)]

    if not isinstance(dialect, str):
        return problem(f"Unknown JSON Schema dialect: {dialect!r}")
    cls: Any = validator_for({"$schema": dialect}, default=None)  # type: ignore[arg-type]
    if cls is None:
        return problem(f"Unknown JSON Schema dialect: {dialect!r}")
    try:
        cls.check_schema(schema, format_checker=oas31_format_checker)
    except SchemaError as error:
        where = pointer + join(str(p) for p in error.absolute_path)[1:]
        return [Finding("invalid-spec", Severity.ERROR, _shorten(error.message), pointer=where)]
    return []
