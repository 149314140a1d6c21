"""Whether an output's body is the input's (or another output's): validation can build on it.

`validate.validate_outputs` validates only what can differ when these hold; the proofs
are in the docstrings of `same_semantic_body` and `derived_body`.
"""

from __future__ import annotations

from typing import Any

from swaggertools.pointer import get as get_in
from swaggertools.versions import SpecVersion


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
