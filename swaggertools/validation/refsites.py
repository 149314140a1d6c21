"""Every `$ref` must resolve: refs that point nowhere, into themselves, or to a missing file.

`check_ref_sites` reports what no validator reports with a pointer: refs whose target is
not there (`unresolved-ref`, an error; for a discriminator mapping value
`unresolved-mapping`, a warning) and refs that only lead to other refs (a cycle).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from swaggertools.index import Index, RefSite, mapping_is_ref
from swaggertools.model import Finding, Severity
from swaggertools.pointer import get as get_in
from swaggertools.pointer import join, resolve, split
from swaggertools.refs import MissingTarget

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

    Refs to other files were bundled or refused by the `$ref` policy (`refs`) before this
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
