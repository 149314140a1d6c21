"""Validation: our own reference checks, then openapi-spec-validator, as findings.

openapi-spec-validator raises (instead of reporting) on a `$ref` that points nowhere, and
leaves its semantic errors without a location; this adapter checks refs first and
recovers a JSON pointer from the semantic messages it knows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from openapi_spec_validator import (
    OpenAPIV2SpecValidator,
    OpenAPIV30SpecValidator,
    OpenAPIV31SpecValidator,
)

from .index import Index
from .model import Finding, Severity
from .pointer import join, resolve, split
from .versions import SpecVersion

_VALIDATORS: dict[str, Any] = {
    "2.0": OpenAPIV2SpecValidator,
    "3.0": OpenAPIV30SpecValidator,
    "3.1": OpenAPIV31SpecValidator,
}
# Semantic errors name the operation in words; these recover its pointer.
_OP_IN_PATH = re.compile(r"for '(?P<method>[a-z]+)'(?: operation)? in '(?P<path>/[^']*)'")

Locate = Callable[[str], "tuple[int, int] | None"]


def check_refs(doc: Any, index: Index) -> list[Finding]:
    """Every local `$ref` must resolve; non-local refs are refused by the loader's policy."""
    findings: list[Finding] = []
    cache: dict[str, bool] = {}
    for site in index.ref_sites:
        ref = site.ref
        if not ref.startswith("#"):
            findings.append(
                Finding(
                    rule="unresolved-ref",
                    severity=Severity.ERROR,
                    message=f"$ref {ref!r} is not a local reference (external refs are refused)",
                    pointer=site.pointer,
                )
            )
            continue
        ok = cache.get(ref)
        if ok is None:
            try:
                ok = resolve(doc, split(ref))[0]
            except ValueError:
                ok = False
            cache[ref] = ok
        if not ok:
            findings.append(
                Finding(
                    rule="unresolved-ref",
                    severity=Severity.ERROR,
                    message=f"{_ref_kind(site.pointer)} {ref!r} points to nothing",
                    pointer=site.pointer,
                )
            )
    return findings


def _ref_kind(pointer: str) -> str:
    return "operationRef" if pointer.endswith("/operationRef") else "$ref"


def validate_document(doc: Any, version: SpecVersion, index: Index) -> list[Finding]:
    """Validate a document; all problems as findings (empty list = valid).

    Structural problems found while indexing come first; openapi-spec-validator runs only
    when every ref resolves (it would stop at the first unresolvable one).
    """
    blocking = [f for f in index.findings if f.rule == "invalid-structure"]
    blocking += check_refs(doc, index)
    if blocking:
        others = [f for f in index.findings if f.severity is Severity.ERROR]
        return _dedupe(blocking + others)
    findings: list[Finding] = []
    validator = _VALIDATORS[version.family](doc)
    try:
        for error in validator.iter_errors():
            findings.append(_finding(error))
    except RecursionError:
        findings.append(
            Finding(
                rule="invalid-spec",
                severity=Severity.ERROR,
                message="validation gave up: the document nests too deeply",
                pointer="#",
            )
        )
    except Exception as exc:  # a third-party crash must become a finding, not exit 3
        findings.append(
            Finding(
                rule="invalid-spec",
                severity=Severity.ERROR,
                message=(
                    "openapi-spec-validator could not check this document "
                    f"({type(exc).__name__}: {str(exc)[:200]})"
                ),
                pointer="#",
            )
        )
    return _dedupe(findings)


def _finding(error: Any) -> Finding:
    path = getattr(error, "absolute_path", None) or getattr(error, "path", None) or []
    pointer = join(str(p) for p in path)
    message = str(getattr(error, "message", error))
    if pointer == "#":
        m = _OP_IN_PATH.search(message)
        if m:
            pointer = join(("paths", m.group("path"), m.group("method")))
    rule = "duplicate-operation-id" if "is not unique" in message else "invalid-spec"
    if len(message) > 400:
        message = message[:397] + "..."
    return Finding(rule=rule, severity=Severity.ERROR, message=message, pointer=pointer)


def _dedupe(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str | None, str]] = set()
    result = []
    for f in findings:
        key = (f.rule, f.pointer, f.message)
        if key not in seen:
            seen.add(key)
            result.append(f)
    return result


def locate_findings(
    findings: list[Finding], file: str | None, locate: Locate | None
) -> list[Finding]:
    """Attach file, line and column to findings that have a pointer."""
    result = []
    for f in findings:
        line = col = None
        if locate is not None and f.pointer:
            where = locate(f.pointer)
            if where:
                line, col = where
        result.append(Finding(f.rule, f.severity, f.message, file or f.file, f.pointer, line, col))
    return result
