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
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from .index import Index, build_index
from .model import Finding, Severity, ValidationMode, dedupe_findings
from .pointer import get as get_in
from .pointer import join, resolve, split
from .refs import NO_FETCH_HANDLERS
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


def check_refs(doc: Any, index: Index) -> list[Finding]:
    """Every local `$ref` must resolve, and to something other than refs to itself.

    Non-local refs are bundled or refused by the `$ref` policy (refs.py) before this runs.
    Rules: `unresolved-ref` (points to nothing), `circular-ref` (a chain of refs that only
    leads back to itself, e.g. `A: {$ref: '#/definitions/A'}`; a recursive schema, which
    has content besides its refs, is fine).
    """
    findings: list[Finding] = []
    cache: dict[str, tuple[bool, list[str] | None]] = {}
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
        outcome = cache.get(ref)
        if outcome is None:
            outcome = cache[ref] = _follow(doc, ref)
        found, loop = outcome
        if not found:
            findings.append(
                Finding(
                    rule="unresolved-ref",
                    severity=Severity.ERROR,
                    message=f"{_ref_kind(site.pointer)} {ref!r} points to nothing",
                    pointer=site.pointer,
                )
            )
        elif loop is not None and not site.pointer.endswith("/operationRef"):
            findings.append(
                Finding(
                    rule="circular-ref",
                    severity=Severity.ERROR,
                    message=f"$ref {ref!r} never reaches a value: {' → '.join(loop)} "
                    "(refs that lead only to each other)",
                    pointer=site.pointer,
                )
            )
    return findings


def _target(doc: Any, ref: str) -> tuple[bool, Any]:
    try:
        return resolve(doc, split(ref))
    except ValueError:
        return False, None


def _follow(doc: Any, ref: str) -> tuple[bool, list[str] | None]:
    """Whether ref resolves, and the loop of refs when it only leads to refs to itself."""
    found, node = _target(doc, ref)
    if not found:
        return False, None
    chain = [ref]
    # a target that is itself only a `$ref` is followed; a chain that comes back is a loop
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        following = node["$ref"]
        if following in chain:
            return True, [*chain[chain.index(following) :], following]
        if not following.startswith("#"):
            break
        chain.append(following)
        found, node = _target(doc, following)
        if not found:
            break  # reported at the site of the ref that points nowhere
    return True, None


def _ref_kind(pointer: str) -> str:
    return "operationRef" if pointer.endswith("/operationRef") else "$ref"


def validate_document(
    doc: Any, version: SpecVersion, index: Index, mode: ValidationMode = "fast"
) -> list[Finding]:
    """Validate a document; all problems as findings (empty list = valid).

    Structural problems found while indexing come first; the validator runs only when
    every ref resolves (openapi-spec-validator would stop at the first unresolvable one,
    and the fast path follows refs).
    """
    blocking = _blocking(doc, index)
    if blocking is not None:
        return blocking
    mode, _ = resolve_mode(mode)
    if mode == "fast":
        from .validation.fast import validate_fast

        return validate_fast(doc, version)
    return _validate_full(doc, version)


def _blocking(doc: Any, index: Index) -> list[Finding] | None:
    blocking = [f for f in index.findings if f.rule == "invalid-structure"]
    blocking += check_refs(doc, index)
    if not blocking:
        return None
    others = [f for f in index.findings if f.severity is Severity.ERROR]
    return dedupe_findings(blocking + others)


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


@dataclass
class OutputValidation:
    """Validation of one output document."""

    findings: list[Finding]
    operations: int
    shortcut: bool = False
    """True when the semantic checks were taken over from an equivalent earlier variant."""


def validate_outputs(
    documents: Mapping[str, dict[str, Any]],
    version: SpecVersion,
    *,
    method_extension: str,
    mode: ValidationMode = "fast",
) -> dict[str, OutputValidation]:
    """Validate the output variants of one run, doing the common work once.

    The variants of `clean --auth both` come from one pruned document through
    `security.secure`, which changes only the root `security`, the security-scheme
    container, operation `security` and description-only 401/500 responses. The first
    variant is validated in full. A later one (fast mode) is checked against the whole
    JSON Schema again — jsonschema-rs needs ~10 ms for a 5 MB document — but takes the
    index, the `$ref` checks and the semantic findings over from the first, after
    `same_semantic_body` has verified that everything those read is the same objects.
    See `same_semantic_body` for why that is equivalent to validating it on its own.
    """
    mode, _ = resolve_mode(mode)
    results: dict[str, OutputValidation] = {}
    first: tuple[dict[str, Any], Index, list[Finding]] | None = None
    for variant, doc in documents.items():
        if mode == "fast" and first is not None and same_semantic_body(first[0], doc, version):
            from .validation.fast import validate_fast

            _, base_index, semantic = first
            blocking = _blocking(doc, base_index)
            findings = blocking if blocking is not None else validate_fast(doc, version, semantic)
            results[variant] = OutputValidation(findings, len(base_index.operations), True)
            continue
        index = build_index(doc, version, method_extension=method_extension)
        blocking = _blocking(doc, index)
        if mode == "fast" and blocking is None:
            from .validation.fast import check_semantics, validate_fast

            semantic = check_semantics(doc, version)
            findings = validate_fast(doc, version, semantic)
            first = first or (doc, index, semantic)
        else:
            findings = validate_document(doc, version, index, mode)
        results[variant] = OutputValidation(findings, len(index.operations))
    return results


def same_semantic_body(base: dict[str, Any], other: dict[str, Any], version: SpecVersion) -> bool:
    """True when `other` differs from `base` only where validation results cannot differ.

    Why this is enough for equal findings (besides the JSON Schema check, which is redone):

    - The semantic checks (validation/semantic.py) read `tags`, `paths` → path items →
      `parameters` and operations (`operationId`, `parameters`, `responses` → `schema` or
      `content`), the Schema Objects reachable from those through `$ref` (into
      `definitions`/`parameters`/`responses` or `components`), `components.schemas` and
      `jsonSchemaDialect`. They never read `security`, security schemes, or a response
      that has neither `schema` nor `content`.
    - Below, every member the checks read must be the *same object* in both documents
      (copy-on-write shares them), except: the root `security`, the security-scheme
      container, an operation's `security`, and responses that are description-only in
      whichever document has them. Same objects give the same findings, at the same
      pointers, and identity-based de-duplication sees the same identities.
    - `$ref`s: every ref site lies in a shared member (refs inside the security parts make
      this return False), so they resolve alike; the ref targets are in shared members too.

    Anything else — a changed schema, a new operation, a ref in a security scheme — makes
    this return False, and the variant is validated on its own.
    """
    container = version.facts.security_container
    top = container[0]
    if list(base) != list(other) or _has_ref(other.get("security")):
        return False
    if _has_ref(get_in(other, container)):
        return False
    for key, value in other.items():
        if key in ("security", "paths", top):
            continue
        if value is not base[key]:
            return False
    if len(container) == 2:  # components: all but securitySchemes shared
        mine, theirs = base.get(top), other.get(top)
        if not (isinstance(mine, dict) and isinstance(theirs, dict)) or list(mine) != list(theirs):
            return False
        if any(v is not mine[k] for k, v in theirs.items() if k != container[1]):
            return False
    return _same_paths(base.get("paths"), other.get("paths"))


def _same_paths(base: Any, other: Any) -> bool:
    if base is other:
        return True
    if not (isinstance(base, dict) and isinstance(other, dict)) or list(base) != list(other):
        return False
    for path, item in other.items():
        mine = base[path]
        if item is mine:
            continue
        if not (isinstance(item, dict) and isinstance(mine, dict)) or list(item) != list(mine):
            return False
        for key, value in item.items():
            if value is mine[key]:
                continue
            if key not in _OPERATION_KEYS or not _same_operation(mine[key], value):
                return False
    return True


_OPERATION_KEYS = frozenset(("get", "put", "post", "delete", "options", "head", "patch", "trace"))


def _same_operation(base: Any, other: Any) -> bool:
    if not (isinstance(base, dict) and isinstance(other, dict)):
        return False
    keys = set(base) | set(other)
    for key in keys - {"security"}:
        if key not in base or key not in other:
            return False
        if key == "responses":
            if not _same_responses(base[key], other[key]):
                return False
        elif base[key] is not other[key]:
            return False
    return not _has_ref(other.get("security"))


def _same_responses(base: Any, other: Any) -> bool:
    if base is other:
        return True
    if not (isinstance(base, dict) and isinstance(other, dict)):
        return False
    for code in set(base) | set(other):
        mine, theirs = base.get(code), other.get(code)
        if mine is theirs and code in base and code in other:
            continue
        # only description-only responses (what secure() adds) may differ
        if not all(_description_only(r) for r in (mine, theirs) if r is not None):
            return False
    return True


def _description_only(response: Any) -> bool:
    return isinstance(response, dict) and set(response) <= {"description"}


def _has_ref(node: Any) -> bool:
    """True when a `$ref` key appears anywhere below node (used on small parts only)."""
    stack = [node]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "$ref" in value:
                return True
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False
