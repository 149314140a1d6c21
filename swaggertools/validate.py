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

from .index import Index, RefSite, build_index, mapping_is_ref
from .model import Finding, Severity, ValidationMode, dedupe_findings
from .pointer import get as get_in
from .pointer import join, resolve, split
from .refs import NO_FETCH_HANDLERS, MissingTarget
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


UNRESOLVED_MAPPING = "unresolved-mapping"
"""Rule id of a discriminator mapping value that points to nothing (a warning)."""

Missing = Mapping[str, MissingTarget]
"""`pipeline.Opened.missing`: refs whose target is not there, by ref site."""


def check_refs(doc: Any, index: Index, missing: Missing | None = None) -> list[Finding]:
    """Every `$ref` of the index must resolve (see `check_ref_sites`)."""
    return check_ref_sites(doc, index.ref_sites, missing)


def check_ref_sites(
    doc: Any, sites: Sequence[RefSite], missing: Missing | None = None, *, at_sites: bool = False
) -> list[Finding]:
    """Every `$ref` must resolve, and to something other than refs to itself.

    Refs to other files were bundled or refused by the `$ref` policy (refs.py) before this
    runs; the ones still here lead to a file or fragment that does not exist, which
    `missing` explains. Rules:

    - `unresolved-ref` (error): a `$ref` or link `operationRef` that points to nothing: a
      local pointer, a file that does not exist, a fragment its file lacks. A ref in a
      bundled file is reported at its own file, pointer and line; with `at_sites` (an
      output document, where the bundled copy stands) at its site in `doc`.
    - `unresolved-mapping` (warning): the same for a discriminator mapping value. Neither
      validator follows mappings, so the document stays valid and the value is kept as
      written.
    - `circular-ref` (error): a chain of refs that only leads back to itself, e.g.
      `A: {$ref: '#/definitions/A'}`; a recursive schema, which has content besides its
      refs, is fine.
    """
    cache: dict[str, tuple[bool, list[str] | None]] = {}
    # Thousands of sites share a few hundred refs: when every distinct ref is fine, so is
    # every site, and the per-site pass below (which words the findings) is skipped.
    for ref in {site.ref for site in sites} if not missing else ("",):
        if not ref.startswith("#"):
            break
        cache[ref] = _follow(doc, ref)
        if cache[ref] != (True, None):
            break
    else:
        return []
    findings: list[Finding] = []
    for site in sites:
        ref = site.ref
        target = missing.get(site.pointer) if missing else None
        # A ref left as written is reported for its own file even when it is local
        # (`#/X` of a bundled file): in this document it could name something else.
        if target is not None or not ref.startswith("#"):
            findings.append(_not_bundled(doc, site, target, at_sites))
            continue
        outcome = cache.get(ref)
        if outcome is None:
            outcome = cache[ref] = _follow(doc, ref)
        found, loop = outcome
        if not found and site.mapping:
            findings.append(_mapping_finding(doc, site, "points to nothing"))
        elif not found:
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


def _not_bundled(doc: Any, site: RefSite, target: MissingTarget | None, at_sites: bool) -> Finding:
    """The finding for a ref to another file that is still in the document."""
    if target is None:  # a document that did not go through the `$ref` policy
        if site.mapping:
            return _mapping_finding(doc, site, "is not a local reference")
        return Finding(
            rule="unresolved-ref",
            severity=Severity.ERROR,
            message=f"$ref {site.ref!r} is not a local reference (external refs are refused)",
            pointer=site.pointer,
        )
    if site.mapping:
        finding = _mapping_finding(doc, site, target.reason)
    else:
        finding = Finding(
            rule="unresolved-ref",
            severity=Severity.ERROR,
            message=f"$ref {site.ref!r} {target.reason}",
            pointer=site.pointer,
        )
    if at_sites or target.in_spec:
        return finding
    # in a bundled file: where the ref is written, not where its copy landed
    return Finding(
        finding.rule,
        finding.severity,
        finding.message,
        target.file,
        target.pointer,
        target.line,
        target.column,
    )


def _mapping_finding(doc: Any, site: RefSite, reason: str) -> Finding:
    """`unresolved-mapping` at the mapping value (`site.pointer` without its `/$ref`)."""
    tokens = split(site.pointer)[:-1]
    name = tokens[-1] if tokens else ""
    written = get_in(doc, tokens)
    value = written if isinstance(written, str) else site.ref
    if not mapping_is_ref(value):
        reason = f"names no schema ({site.ref} {reason})"
    return Finding(
        rule=UNRESOLVED_MAPPING,
        severity=Severity.WARNING,
        message=f"discriminator mapping {name!r}: {value!r} {reason} (kept as written)",
        pointer=join(tokens),
    )


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
    return _body_within(base, other, version, subset=False)


def derived_body(base: dict[str, Any], other: dict[str, Any], version: SpecVersion) -> bool:
    """True when `other` is `base` with members taken out, as `same_semantic_body` allows.

    Like `same_semantic_body`, except that `other` may lack members of `base`: path items,
    operations of a path item, entries of component containers, top-level `tags` entries
    (the rest in order). What pruning leaves is exactly that. Why a `base` that has a
    `Basis` (no finding, walk order irrelevant) then gives `other` no semantic finding:

    - every check is local to what it reads — a tag list, an operation with its path
      item's parameters, a parameter, a schema — except duplicate tag names and
      operationIds, which a subset cannot create, and the `required` check of a schema
      with `allOf`, which runs only where a schema is first met as an entry; the `Basis`
      exists only when that check passes for every such schema wherever it is met;
    - everything `other` reads is the same object `base` has (refs resolve to the same
      targets: the ref sites are `Basis.ref_sites`, checked in `other` before use), so
      the walk over `other` meets a subset of the schemas and values the walk over
      `base` met, by a subset of its routes, and each gives the findings it gave there:
      none.
    """
    return _body_within(base, other, version, subset=True)


def _body_within(
    base: dict[str, Any], other: dict[str, Any], version: SpecVersion, *, subset: bool
) -> bool:
    container = version.facts.security_container
    top = container[0]
    if _has_ref(other.get("security")) or _has_ref(get_in(other, container)):
        return False
    if not _same_keys(base, other, subset, ignore={"security", top}):
        return False
    entry_maps = {s[0] for s in version.facts.component_sections if len(s) == 1}
    for key, value in other.items():
        if key in ("security", "paths", top):
            continue
        mine = base[key]
        if value is mine:
            continue
        if not subset:
            return False
        if key == "tags":
            if not _subsequence(mine, value):
                return False
        elif key not in entry_maps or not _entries_within(mine, value):
            return False
    if len(container) == 2 and not _components_within(
        base.get(top), other.get(top), container[1], subset
    ):
        return False
    if "paths" not in other:
        return subset or "paths" not in base
    return _same_paths(base.get("paths"), other["paths"], subset)


def _components_within(base: Any, other: Any, schemes: str, subset: bool) -> bool:
    """OpenAPI 3 `components`: all but `schemes` the same objects (or, subset, fewer)."""
    if base is None and other is None:
        return True
    if not (isinstance(base, dict) and isinstance(other, dict)):
        return False
    if not _same_keys(base, other, subset, ignore={schemes}):
        return False
    return all(
        k == schemes or v is base[k] or (subset and _entries_within(base[k], v))
        for k, v in other.items()
    )


def _same_keys(base: dict[str, Any], other: dict[str, Any], subset: bool, ignore: set[str]) -> bool:
    """Equal key lists, or (subset) `other`'s keys all in `base`, `ignore`d ones aside."""
    if not subset:
        if not ignore:  # path items, once per path of a large spec: no filtered copies
            return list(base) == list(other)
        return [k for k in base if k not in ignore] == [k for k in other if k not in ignore]
    return all(k in base or k in ignore for k in other)


def _entries_within(base: Any, other: Any) -> bool:
    """Every entry of the map `other` is the same object under the same name in `base`."""
    if not (isinstance(base, dict) and isinstance(other, dict)):
        return False
    missing = object()
    return all(base.get(k, missing) is v for k, v in other.items())


def _subsequence(base: Any, other: Any) -> bool:
    """`other`'s items are some of `base`'s (the same objects), in `base`'s order."""
    if not (isinstance(base, list) and isinstance(other, list)):
        return False
    rest = iter(base)
    return all(any(item is mine for mine in rest) for item in other)


def _same_paths(base: Any, other: Any, subset: bool = False) -> bool:
    if base is other:
        return True
    if not (isinstance(base, dict) and isinstance(other, dict)):
        return False
    if not _same_keys(base, other, subset, ignore=set()):
        return False
    for path, item in other.items():
        mine = base[path]
        if item is mine:
            continue
        if not (isinstance(item, dict) and isinstance(mine, dict)):
            return False
        if not _same_keys(mine, item, subset, ignore=set()):
            return False
        for key, value in item.items():
            if value is mine[key]:
                continue
            if key not in _OPERATION_KEYS or not _same_operation(mine[key], value):
                return False
    return True


_OPERATION_KEYS = frozenset(("get", "put", "post", "delete", "options", "head", "patch", "trace"))


_MISSING = object()


def _same_operation(base: Any, other: Any) -> bool:
    # runs once per operation of a large spec: no key sets are built
    if not (isinstance(base, dict) and isinstance(other, dict)):
        return False
    for key, value in other.items():
        if key == "security":
            continue
        mine = base.get(key, _MISSING)
        if value is mine:
            continue
        if key != "responses" or mine is _MISSING or not _same_responses(mine, value):
            return False
    if any(key not in other for key in base if key != "security"):
        return False
    return not _has_ref(other.get("security"))


def _same_responses(base: Any, other: Any) -> bool:
    if base is other:
        return True
    if not (isinstance(base, dict) and isinstance(other, dict)):
        return False
    # only description-only responses (what secure() adds) may differ
    for code, theirs in other.items():
        mine = base.get(code, _MISSING)
        if theirs is mine:
            continue
        if not _description_only(theirs) or (mine is not _MISSING and not _description_only(mine)):
            return False
    return all(code in other or _description_only(mine) for code, mine in base.items())


def _description_only(response: Any) -> bool:
    return isinstance(response, dict) and (
        not response or (len(response) == 1 and "description" in response)
    )


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
