"""Rule sets: loading and checking rule files, and matching exclusions to operations.

A rule set is a YAML file (see `rules/schema.json`) with a header and an `exclude:` list.
Each exclusion names one target:

- `method`: an MES Stateless API method name (`FactMES.API.Core.AttrSet.Add`), found
  among operations by the rule set's `identify` strategy (see `match`);
- `operationId`: an operationId, exact and case-sensitive;
- `path`: a path template, case-insensitive (MES endpoints are), optionally with `methods`;
- `tag`: every operation carrying the tag, case-insensitive.

String targets may be shell-style globs (`*`, `?`, `[...]`); user regular expressions are
never accepted, so matching cannot backtrack catastrophically.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import LoadError, RuleSetError
from .load import MAX_INPUT_BYTES, Loaded, load_path
from .pointer import join

# The records and the matcher live in sibling modules (a `rules/` package would collide
# with the shipped rule files, which the wheel installs as `swaggertools/rules/`); their
# public names are re-exported so `from swaggertools.rules import ...` stays the one entry.
from .rules_match import (
    MES_MODULES,
    Matcher,
    identify_method_name,
    match_all,
    mes_method_name,
    method_keys,
)
from .rules_model import (
    REASON_NO_ENDPOINT,
    REASON_REPLACED,
    STRATEGY_ORDER,
    Rule,
    RuleMatch,
    RuleSet,
    Status,
    TargetKind,
)
from .schemacheck import schema_errors

if TYPE_CHECKING:  # imported where rule files are checked: it costs ~40 ms at start-up
    import jsonschema

__all__ = [
    "MES_MODULES",
    "REASON_NO_ENDPOINT",
    "REASON_REPLACED",
    "STRATEGY_ORDER",
    "Matcher",
    "Rule",
    "RuleMatch",
    "RuleSet",
    "Status",
    "TargetKind",
    "check_file",
    "check_loaded",
    "check_ruleset",
    "explain_schema_error",
    "identify_method_name",
    "load_ruleset",
    "match_all",
    "mes_method_name",
    "method_keys",
    "resolve_ruleset_path",
    "rules_dir",
    "shipped_rulesets",
]

# ---------------------------------------------------------------- shipped rule sets


def rules_dir() -> Path:
    """Folder holding the shipped rule sets (inside the wheel, or the repo's `rules/`)."""
    packaged = Path(str(resources.files("swaggertools"))) / "rules"
    if (packaged / "schema.json").is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def shipped_rulesets() -> list[Path]:
    """Paths of the shipped rule-set files, sorted by name."""
    return sorted(p for p in rules_dir().glob("*.yaml"))


def resolve_ruleset_path(spec: str) -> Path:
    """A path to a rule file, or the name of a shipped rule set."""
    candidate = Path(spec)
    if candidate.suffix.lower() in (".yaml", ".yml", ".json") or candidate.exists():
        return candidate
    shipped = {p.stem: p for p in shipped_rulesets()}
    if spec in shipped:
        return shipped[spec]
    names = ", ".join(sorted(shipped)) or "none"
    raise RuleSetError(f"no rule file or shipped rule set named {spec!r} (shipped: {names})")


# ---------------------------------------------------------------- loading and checking


def check_ruleset(loaded: Loaded) -> list[RuleSetError]:
    """Check a parsed rule file against the schema; every problem with file and line."""
    errors: list[RuleSetError] = []
    for error in schema_errors(rules_dir() / "schema.json", loaded.doc):
        for pointer, message in explain_schema_error(error):
            line, column = loaded.locator.line_col(pointer)
            errors.append(
                RuleSetError(
                    message, file=loaded.source.path, line=line, column=column, pointer=pointer
                )
            )
    errors.sort(key=lambda e: (e.line or 0, e.column or 0, e.message))
    return errors


def explain_schema_error(error: jsonschema.ValidationError) -> list[tuple[str, str]]:
    """Turn a schema error into (pointer, message) pairs a person can act on."""
    path = [str(p) for p in error.absolute_path]
    here = join(path)
    field = f"'{path[-1]}'" if path and not path[-1].isdigit() else "entry"
    instance = error.instance
    kind = error.validator
    if kind == "additionalProperties" and isinstance(instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        allowed = sorted(schema.get("properties", {}))
        extra = [k for k in instance if k not in allowed]
        return [
            (join([*path, k]), f"unknown key {k!r} (allowed here: {', '.join(allowed)})")
            for k in extra
        ]
    if kind == "required":
        missing = re.match(r"'([^']+)'", error.message)
        name = missing.group(1) if missing else error.message
        return [(here, f"missing required key {name!r}")]
    if kind == "oneOf" and isinstance(instance, dict):
        targets = [k for k in ("method", "operationId", "path", "tag") if k in instance]
        if not targets:
            return [(here, "exclusion needs one target: method, operationId, path or tag")]
        return [
            (
                join([*path, targets[1]]),
                f"exclusion has more than one target ({', '.join(targets)}): "
                "use one entry per target",
            )
        ]
    if kind == "type":
        got = _json_type(instance)
        hint = " (quote it)" if error.validator_value == "string" else ""
        wanted = str(error.validator_value)
        article = "an" if wanted[:1] in "aeiou" else "a"
        return [(here, f"{field} must be {article} {wanted}, not {got}{hint}")]
    if kind == "enum":
        options = ", ".join(str(v) for v in error.validator_value)  # type: ignore[union-attr]
        return [(here, f"{field} is {instance!r}; expected one of: {options}")]
    if kind == "pattern":
        return [(here, f"{field} value {instance!r} is not of the expected form")]
    if kind == "dependentRequired":
        return [(join([*path, "methods"]), "'methods' is only allowed together with 'path'")]
    if kind in ("minLength", "minItems"):
        return [(here, f"{field} must not be empty")]
    if kind == "uniqueItems":
        return [(here, f"{field} lists a value twice")]
    return [(here, error.message)]


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "a string"


def _replacement_errors(loaded: Loaded) -> list[RuleSetError]:
    """`reason: replaced` without `replacement` (the schema's if/then, with a clear message)."""
    errors = []
    doc = loaded.doc
    entries = doc.get("exclude") if isinstance(doc, dict) else None
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if (
            isinstance(entry, dict)
            and entry.get("reason") == REASON_REPLACED
            and "replacement" not in entry
        ):
            pointer = join(["exclude", i, "reason"])
            line, column = loaded.locator.line_col(pointer)
            errors.append(
                RuleSetError(
                    "reason 'replaced' needs a 'replacement' (the endpoint to use instead)",
                    file=loaded.source.path,
                    line=line,
                    column=column,
                    pointer=pointer,
                )
            )
    return errors


def check_file(path: str | Path) -> list[RuleSetError]:
    """Load and check a rule file; returns all problems (empty when it is fine)."""
    try:
        loaded = load_path(path)
    except LoadError as exc:
        return [RuleSetError(exc.message, file=exc.file, line=exc.line, column=exc.column)]
    return check_loaded(loaded)


def check_loaded(loaded: Loaded) -> list[RuleSetError]:
    """Check a parsed rule file: the schema, then the `replaced` → `replacement` rule."""
    # jsonschema reports the if/then as a bare missing 'replacement'; ours says why.
    errors = [e for e in check_ruleset(loaded) if e.message != "missing required key 'replacement'"]
    errors += _replacement_errors(loaded)
    errors.sort(key=lambda e: (e.line or 0, e.column or 0, e.message))
    return errors


def load_ruleset(spec: str | Path, *, max_bytes: int = MAX_INPUT_BYTES) -> RuleSet:
    """Load a rule set by path or shipped name; raises RuleSetError on the first problem."""
    path = resolve_ruleset_path(str(spec))
    try:
        loaded = load_path(path, max_bytes=max_bytes)
    except LoadError as exc:
        raise RuleSetError(exc.message, file=exc.file, line=exc.line, column=exc.column) from None
    errors = check_loaded(loaded)
    if errors:
        first = errors[0]
        if len(errors) > 1:
            first.message += (
                f" (and {len(errors) - 1} more problem(s): see 'swaggertools rules check')"
            )
        raise first
    shipped = path.resolve().parent == rules_dir().resolve()
    return _build(loaded, f"shipped:{path.name}" if shipped else loaded.source.path)


def _build(loaded: Loaded, file: str) -> RuleSet:
    doc = loaded.doc
    name = doc["name"]
    rules = []
    for i, entry in enumerate(doc["exclude"]):
        kind: TargetKind = next(k for k in ("method", "operationId", "path", "tag") if k in entry)
        pointer = join(["exclude", i])
        rules.append(
            Rule(
                id=entry.get("id") or f"{name}#{i + 1}",
                ruleset=name,
                kind=kind,
                target=entry[kind],
                methods=tuple(entry["methods"]) if "methods" in entry else None,
                reason=entry["reason"],
                replacement=entry.get("replacement"),
                note=entry.get("note"),
                file=file,
                pointer=pointer,
                line=loaded.locator.line_col(pointer)[0],
            )
        )
    return RuleSet(
        name=name,
        version=doc["version"],
        description=doc.get("description"),
        source=doc.get("source"),
        mes_release=doc.get("mes_release"),
        complete=doc.get("complete"),
        identify=doc.get("identify", "auto"),
        file=file,
        sha256=loaded.source.sha256,
        rules=tuple(rules),
    )
