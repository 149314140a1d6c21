"""Validation: our own reference checks, then the spec validator, as findings.

Two validators, chosen by `mode`:

- `fast` (default): `validation.fast` — the official OpenAPI JSON Schema compiled with
  jsonschema-rs plus openapi-spec-validator's semantic checks, reimplemented in one walk;
  a differential test holds it to the same verdicts as `full`.
- `full`: openapi-spec-validator itself. openapi-spec-validator raises (instead of
  reporting) on a `$ref` that points nowhere, and leaves its semantic errors without a
  location; this adapter checks refs first and recovers a JSON pointer from the semantic
  messages it knows.

Both are imported only when used: openapi-spec-validator alone takes about 0.3 s to import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from .index import Index, RefSite, build_index
from .model import Finding, Severity, ValidationMode, dedupe_findings
from .pointer import join
from .refs import NO_FETCH_HANDLERS
from .validation.refsites import UNRESOLVED_MAPPING, Missing, check_ref_sites, check_refs
from .validation.samebody import derived_body, same_semantic_body
from .versions import SpecVersion

VALIDATOR_NAMES: dict[ValidationMode, str] = {
    "fast": "swaggertools-fast (jsonschema-rs + semantic checks)",
    "full": "openapi-spec-validator",
}


@cache
def _full_validators() -> dict[str, Any]:
    """openapi-spec-validator's validator per version family, imported on first use."""
    from openapi_spec_validator import (
        OpenAPIV2SpecValidator,
        OpenAPIV30SpecValidator,
        OpenAPIV31SpecValidator,
    )

    # openapi-spec-validator dereferences `$ref` inside `default` values (data, not
    # references) and would read `file:` URLs and fetch `http:` ones for them: its resolver
    # may not touch anything outside the document.
    # Its document schema check also switches to jsonschema-rs whenever that is importable
    # (it is, for the fast path), and that backend asserts `format` (e-mail, URI, …) where
    # the default pure-Python backend does not; `full` keeps the reference behaviour.
    schema_validators = _python_schema_backend()

    class _V2(OpenAPIV2SpecValidator):
        resolver_handlers = NO_FETCH_HANDLERS  # type: ignore[assignment]  # any Mapping works

    class _V30(OpenAPIV30SpecValidator):
        resolver_handlers = NO_FETCH_HANDLERS  # type: ignore[assignment]  # any Mapping works

    class _V31(OpenAPIV31SpecValidator):
        resolver_handlers = NO_FETCH_HANDLERS  # type: ignore[assignment]  # any Mapping works

    classes: dict[str, Any] = {"2.0": _V2, "3.0": _V30, "3.1": _V31}
    for family, schema_validator in schema_validators.items():
        classes[family].schema_validator = schema_validator
    return classes


def _python_schema_backend() -> dict[str, Any]:
    """Document-schema validators on the pure-Python jsonschema backend (0.9+ API)."""
    try:
        from openapi_spec_validator.schemas import schema_v2, schema_v30, schema_v31
        from openapi_spec_validator.schemas.backend.jsonschema import create_validator
    except ImportError:  # before 0.9 there is no other backend
        return {}
    return {
        "2.0": create_validator(dict(schema_v2)),
        "3.0": create_validator(dict(schema_v30)),
        "3.1": create_validator(dict(schema_v31)),
    }


def resolve_mode(mode: ValidationMode) -> tuple[ValidationMode, str | None]:
    """The mode that can run here, and a note when `fast` had to fall back to `full`."""
    if mode == "fast":
        try:
            import_module(".validation.fast", __package__)  # needs jsonschema-rs
        except ImportError as exc:
            return "full", (
                f"fast validation is unavailable ({exc}); validated with openapi-spec-validator"
            )
    return mode, None


# Semantic errors name the operation in words; these recover its pointer.
_OP_IN_PATH = re.compile(r"for '(?P<method>[a-z]+)'(?: operation)? in '(?P<path>/[^']*)'")

Locate = Callable[[str], "tuple[int, int] | None"]


def validate_document(
    doc: Any,
    version: SpecVersion,
    index: Index,
    mode: ValidationMode = "fast",
    missing: Missing | None = None,
) -> list[Finding]:
    """Validate a document; all problems as findings (no error-level finding = valid).

    Structural problems found while indexing come first; the validator runs only when
    every ref resolves (openapi-spec-validator would stop at the first unresolvable one,
    and the fast path follows refs). A discriminator mapping value that points to nothing
    is a warning and does not stop it (neither validator follows mappings). `missing`:
    the refs the `$ref` policy left as written (`pipeline.Opened.missing`).
    """
    return validate_input(doc, version, index, mode, missing)[0]


@dataclass(frozen=True)
class Basis:
    """What validating an input proved, for the outputs `clean` derives from it.

    There is one only when the input validated in fast mode without a single finding and
    its semantic findings do not depend on the order schemas were met
    (`validation.fast.run_semantics`). `validate_outputs` then takes an output's `$ref`
    sites and semantic result from here instead of indexing and walking it again, after
    `derived_body` has checked the output against `doc`.
    """

    doc: dict[str, Any]
    ref_sites: Sequence[RefSite]
    """The input's ref sites; after `without`, those of the units still in the output."""
    operations: int

    def without(self, units: Collection[str], operations: int) -> Basis | None:
        """The basis for the document left after removing `units` and `operations` of them.

        Units are what the index cuts the document into (operations, path items,
        components; see `index`), so a ref site survives exactly when its unit does. Top
        `tags` entries are not units and pruning one shifts the positions after it: a ref
        site there (never valid in a Tag Object anyway) means no basis.
        """
        units = set(units)
        sites = [site for site in self.ref_sites if site.unit not in units]
        if any(site.pointer.startswith("#/tags/") for site in sites):
            return None
        return Basis(self.doc, sites, self.operations - operations)


def validate_input(
    doc: Any,
    version: SpecVersion,
    index: Index,
    mode: ValidationMode = "fast",
    missing: Missing | None = None,
) -> tuple[list[Finding], Basis | None]:
    """`validate_document`, plus the `Basis` its outputs may build on (or None)."""
    blocking, warnings = _blocking(doc, index.findings, index.ref_sites, missing)
    if blocking is not None:
        return blocking + warnings, None
    mode, _ = resolve_mode(mode)
    if mode != "fast":
        return _validate_full(doc, version) + warnings, None
    from .validation.fast import run_semantics, validate_fast

    semantic, order_dependent = run_semantics(doc, version)
    findings = validate_fast(doc, version, semantic)
    if findings or order_dependent or index.findings or not isinstance(doc, dict):
        return findings + warnings, None
    return warnings, Basis(doc, index.ref_sites, len(index.operations))


def _blocking(
    doc: Any,
    structural: Sequence[Finding],
    sites: Sequence[RefSite],
    missing: Missing | None = None,
    *,
    at_sites: bool = False,
) -> tuple[list[Finding] | None, list[Finding]]:
    """The findings that stop validation (None: there are none), and the ref warnings."""
    refs = check_ref_sites(doc, sites, missing, at_sites=at_sites)
    warnings = [f for f in refs if f.severity is not Severity.ERROR]
    blocking = [f for f in structural if f.rule == "invalid-structure"]
    blocking += [f for f in refs if f.severity is Severity.ERROR]
    if not blocking:
        return None, warnings
    others = [f for f in structural if f.severity is Severity.ERROR]
    return dedupe_findings(blocking + others), warnings


def _validate_full(doc: Any, version: SpecVersion) -> list[Finding]:
    findings: list[Finding] = []
    validator = _full_validators()[version.family](doc)
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
    return dedupe_findings(findings)


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


def locate_findings(
    findings: list[Finding], file: str | None, locate: Locate | None
) -> list[Finding]:
    """Attach file, line and column to findings that have a pointer.

    A finding that already names its file (a ref in a bundled file) keeps its location.
    """
    result = []
    for f in findings:
        if f.file is not None:
            result.append(f)
            continue
        line = col = None
        if locate is not None and f.pointer:
            where = locate(f.pointer)
            if where:
                line, col = where
        result.append(Finding(f.rule, f.severity, f.message, file, f.pointer, line, col))
    return result


@dataclass
class OutputValidation:
    """Validation of one output document."""

    findings: list[Finding]
    operations: int
    shortcut: bool = False
    """True when the `$ref` sites and semantic checks were taken over, from an equivalent
    earlier variant or from the input's `Basis`."""


@dataclass(frozen=True)
class _Known:
    """What validating one document (or a `Basis`) lends to an equivalent document."""

    doc: dict[str, Any]
    structural: Sequence[Finding]
    ref_sites: Sequence[RefSite]
    operations: int
    semantic: list[Finding]


def validate_outputs(
    documents: Mapping[str, dict[str, Any]],
    version: SpecVersion,
    *,
    method_extension: str,
    mode: ValidationMode = "fast",
    basis: Basis | None = None,
    missing: Missing | None = None,
) -> dict[str, OutputValidation]:
    """Validate the output variants of one run, doing the common work once.

    Every output is checked against the whole JSON Schema of its version (jsonschema-rs
    needs ~15 ms for a 5 MB document) and gets its `$ref`s resolved in it. In fast mode
    the rest — indexing it and the semantic walk — is taken over when that is provably
    equivalent:

    - from `basis` (a valid input) when `derived_body` holds: the output reads, for the
      semantic checks, a subset of what the input reads, so it has no semantic finding
      either (see `derived_body`);
    - else, for a later variant, from the first one when `same_semantic_body` holds: the
      variants of `clean --auth both` come from one pruned document through
      `security.secure`, which changes only the root `security`, the security-scheme
      container, operation `security` and description-only 401/500 responses.

    A `$ref` that does not resolve in a shortcut output sends it down the full path, so
    that its findings come from its own index. `missing` (the input's refs left as
    written) words the findings of such refs, at their sites in the output. Discriminator
    mapping warnings are not repeated here: they are reported once, on the input.
    """
    mode, _ = resolve_mode(mode)
    results: dict[str, OutputValidation] = {}
    first: _Known | None = None
    for variant, doc in documents.items():
        if mode == "fast":
            from .validation.fast import validate_fast

            known = None
            if first is not None and same_semantic_body(first.doc, doc, version):
                known = first
            elif basis is not None and derived_body(basis.doc, doc, version):
                known = _Known(basis.doc, (), basis.ref_sites, basis.operations, [])
            if known is not None and _unblocked(doc, known.structural, known.ref_sites, missing):
                findings = validate_fast(doc, version, known.semantic)
                results[variant] = OutputValidation(findings, known.operations, True)
                first = first or _Known(doc, (), known.ref_sites, known.operations, [])
                continue
        index = build_index(doc, version, method_extension=method_extension)
        blocking, _ = _blocking(doc, index.findings, index.ref_sites, missing, at_sites=True)
        if blocking is not None:
            findings = blocking
        elif mode == "fast":
            from .validation.fast import check_semantics, validate_fast

            semantic = check_semantics(doc, version)
            findings = validate_fast(doc, version, semantic)
            if first is None:
                first = _Known(
                    doc, index.findings, index.ref_sites, len(index.operations), semantic
                )
        else:
            findings = _validate_full(doc, version)
        results[variant] = OutputValidation(findings, len(index.operations))
    return results


def _unblocked(
    doc: Any, structural: Sequence[Finding], sites: Sequence[RefSite], missing: Missing | None
) -> bool:
    return _blocking(doc, structural, sites, missing, at_sites=True)[0] is None


__all__ = [
    "UNRESOLVED_MAPPING",
    "VALIDATOR_NAMES",
    "Basis",
    "Locate",
    "Missing",
    "OutputValidation",
    "check_ref_sites",
    "check_refs",
    "derived_body",
    "locate_findings",
    "resolve_mode",
    "same_semantic_body",
    "validate_document",
    "validate_input",
    "validate_outputs",
]
