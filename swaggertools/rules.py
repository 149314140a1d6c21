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

import fnmatch
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .errors import LoadError, RuleSetError
from .load import MAX_INPUT_BYTES, Loaded, load_path
from .model import IdentifyStrategy, Operation
from .pointer import join
from .schemacheck import schema_errors

if TYPE_CHECKING:  # imported where rule files are checked: it costs ~40 ms at start-up
    import jsonschema

TargetKind = Literal["method", "operationId", "path", "tag"]
Status = Literal["matched", "unmatched", "ambiguous"]

REASON_NO_ENDPOINT = "no-web-endpoint"
REASON_REPLACED = "replaced"
STRATEGY_ORDER: tuple[str, ...] = ("operationId", "extension", "path")
_PREFIX = "factmes.api."
_SEPARATORS = re.compile(r"[._\-]")
_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True)
class Rule:
    """One exclusion entry of a rule set."""

    id: str
    ruleset: str
    kind: TargetKind
    target: str
    methods: tuple[str, ...] | None
    reason: str
    replacement: str | None
    note: str | None
    file: str
    pointer: str
    line: int | None

    @property
    def is_glob(self) -> bool:
        """True when the target uses glob characters."""
        return any(c in _GLOB_CHARS for c in self.target)

    def describe(self) -> str:
        """Short human form, e.g. `method FactMES.API.Core.AttrSet.Add`."""
        text = f"{self.kind} {self.target}"
        if self.methods:
            text += f" [{', '.join(self.methods)}]"
        return text


@dataclass(frozen=True)
class RuleSet:
    """A loaded and checked rule file."""

    name: str
    version: str
    description: str | None
    source: str | None
    mes_release: str | None
    complete: bool | None
    identify: IdentifyStrategy
    file: str
    sha256: str
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleMatch:
    """What one rule found in one document."""

    rule: Rule
    status: Status
    strategy: str | None
    operations: tuple[Operation, ...]


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


# ---------------------------------------------------------------- matching


def _norm_id(text: str) -> str:
    """OperationId form: separators dropped, lower case (`Core_AttrSet_Add` → coreattrsetadd)."""
    return _SEPARATORS.sub("", text).lower()


def _norm_glob(pattern: str) -> str:
    """`_norm_id` for a glob: separators inside `[...]` (as in `[A-M]`) are kept."""
    out: list[str] = []
    depth = 0
    for ch in pattern:
        if ch == "[":
            depth = 1
        elif ch == "]":
            depth = 0
        elif depth == 0 and _SEPARATORS.match(ch):
            continue
        out.append(ch)
    return "".join(out).lower()


def _dotted(text: str) -> str:
    """MES method name without the `FactMES.API.` prefix, lower case, dot-separated."""
    lowered = text.lower()
    return lowered[len(_PREFIX) :] if lowered.startswith(_PREFIX) else lowered


class Matcher:
    """Index of one document's operations by every identification shape.

    Built once per document; each rule is then a dictionary look-up (or one scan for globs).
    The path-segment tables, the most expensive, are built on first use: with
    `identify: auto` they are needed only when some method rule is not found by
    operationId or extension.
    """

    def __init__(self, operations: Sequence[Operation]) -> None:
        self.operations = list(operations)
        self.by_id: dict[str, list[Operation]] = defaultdict(list)
        self.by_norm_id: dict[str, list[Operation]] = defaultdict(list)
        self.by_extension: dict[str, list[Operation]] = defaultdict(list)
        for op in self.operations:
            if op.operation_id is not None:
                self.by_id[op.operation_id].append(op)
                self.by_norm_id[_norm_id(op.operation_id)].append(op)
            if op.mes_method is not None:
                self.by_extension[_dotted(op.mes_method)].append(op)

    @cached_property
    def path_names(self) -> dict[tuple[str, str], tuple[str, ...]]:
        """Operation key → the method names its path can stand for."""
        return {op.key: _path_names(op.path) for op in self.operations}

    @cached_property
    def by_path_name(self) -> dict[str, list[Operation]]:
        """Method name → operations whose path can stand for it."""
        table: dict[str, list[Operation]] = defaultdict(list)
        for op in self.operations:
            for name in self.path_names[op.key]:
                table[name].append(op)
        return table

    def match(self, rule: Rule, identify: IdentifyStrategy) -> RuleMatch:
        """Find the operations a rule targets; `identify` applies to `method` targets."""
        if rule.kind == "method":
            strategies = STRATEGY_ORDER if identify == "auto" else (identify,)
            for strategy in strategies:
                found, label = self._by_method(rule, strategy)
                if found:
                    return _result(rule, label, found, single=not rule.is_glob)
            return RuleMatch(rule, "unmatched", None, ())
        found = self._by_target(rule)
        if not found:
            return RuleMatch(rule, "unmatched", None, ())
        single = rule.kind == "operationId" and not rule.is_glob
        return _result(rule, rule.kind, found, single=single)

    def _by_method(self, rule: Rule, strategy: str) -> tuple[list[Operation], str]:
        target = rule.target
        dotted = _dotted(target)
        if strategy == "operationId":
            if rule.is_glob:
                return self._scan_ids([dotted, _PREFIX + dotted]), "operationId"
            forms = [_norm_id(dotted), _norm_id(_PREFIX + dotted)]
            found = _union(self.by_norm_id.get(f, []) for f in forms)
            if found:
                return found, "operationId"
            parts = dotted.split(".")
            if len(parts) >= 3:
                short = _norm_id(".".join(parts[-2:]))
                return list(self.by_norm_id.get(short, [])), "operationId (short form)"
            return [], "operationId"
        if strategy == "extension":
            if rule.is_glob:
                return [
                    op
                    for key, ops in self.by_extension.items()
                    if fnmatch.fnmatchcase(key, dotted)
                    for op in ops
                ], "extension"
            return list(self.by_extension.get(dotted, [])), "extension"
        if rule.is_glob:
            return [
                op
                for op in self.operations
                if any(fnmatch.fnmatchcase(n, dotted) for n in self.path_names[op.key])
            ], "path"
        return list(self.by_path_name.get(dotted, [])), "path"

    def _scan_ids(self, dotted_globs: list[str]) -> list[Operation]:
        """Glob over operationIds, keeping segment boundaries where an id has them.

        In `Core_ShiftPattern_Add` the separators stand for the dots of the method name,
        so `Core.ShiftPattern.*` must not reach `Core_ShiftPatternEntLink_AddMany`; only
        ids without separators (`coreShiftPatternAdd`) are matched separator-free.
        """
        norm_globs = [_norm_glob(g) for g in dotted_globs]
        found = []
        for op in self.operations:
            if op.operation_id is None:
                continue
            if _SEPARATORS.search(op.operation_id):
                key = _SEPARATORS.sub(".", op.operation_id).lower()
                globs = dotted_globs
            else:
                key, globs = op.operation_id.lower(), norm_globs
            if any(fnmatch.fnmatchcase(key, g) for g in globs):
                found.append(op)
        return found

    def _by_target(self, rule: Rule) -> list[Operation]:
        target = rule.target
        if rule.kind == "operationId":
            if not rule.is_glob:
                return list(self.by_id.get(target, []))
            return [
                op
                for op in self.operations
                if op.operation_id is not None and fnmatch.fnmatchcase(op.operation_id, target)
            ]
        if rule.kind == "path":
            want = _norm_path(target)
            methods = set(rule.methods) if rule.methods else None
            return [
                op
                for op in self.operations
                if (methods is None or op.method in methods)
                and fnmatch.fnmatchcase(_norm_path(op.path), want)
            ]
        want = target.lower()
        return [
            op
            for op in self.operations
            if any(fnmatch.fnmatchcase(t.lower(), want) for t in op.tags)
        ]


def _result(rule: Rule, strategy: str, found: list[Operation], *, single: bool) -> RuleMatch:
    unique = tuple(dict.fromkeys(found))
    status: Status = "ambiguous" if single and len(unique) > 1 else "matched"
    return RuleMatch(rule, status, strategy, unique)


def _union(groups: Iterable[list[Operation]]) -> list[Operation]:
    return list(dict.fromkeys(op for group in groups for op in group))


def _norm_path(path: str) -> str:
    stripped = path.rstrip("/") or "/"
    return stripped.lower()


def _path_names(path: str) -> tuple[str, ...]:
    """Method names a path can stand for: `/api/Core/AttrSet/Add` → `core.attrset.add`."""
    segments = [s for s in path.lower().split("/") if s]
    names: list[str] = []
    if segments:
        last = segments[-1]
        if "." in last:
            names.append(_dotted(last))
        if len(segments) >= 3:
            names.append(".".join(segments[-3:]))
    return tuple(dict.fromkeys(names))


def method_keys(op: Operation) -> tuple[tuple[str, str], ...]:
    """The MES method names an operation can stand for, as `Matcher` identifies it.

    (strategy, key) pairs in the matcher's order (operationId, extension, path); each key
    is the name in `_norm_id` form without the `FactMES.API.` prefix, so two operations
    with the same key are the same MES method to a `method` rule. `diff` matches
    operations across releases with these keys.
    """
    keys: list[tuple[str, str]] = []
    if op.operation_id is not None:
        norm = _norm_id(op.operation_id)
        keys.append(("operationId", norm.removeprefix(_norm_id(_PREFIX))))
    if op.mes_method is not None:
        keys.append(("extension", _norm_id(_dotted(op.mes_method))))
    keys += [("path", _norm_id(name)) for name in _path_names(op.path)]
    return tuple(keys)


def mes_method_name(op: Operation, match: RuleMatch) -> str | None:
    """The MES method an operation removed by a `method` rule stands for, when knowable.

    From the extension, the rule's own (non-glob) name, or, for glob rules, the operationId
    segments (`Core_Shift_Add`) or path segments (`/api/Core/Shift/Add`) that matched.
    camelCase operationIds cannot be split reliably and give None.
    """
    if op.mes_method is not None:
        return op.mes_method
    rule = match.rule
    if rule.kind != "method":
        return None
    if not rule.is_glob:
        return rule.target
    return _name_from_parts(_name_parts(op, match.strategy or ""))


def _name_parts(op: Operation, strategy: str) -> list[str]:
    """The segments of the operationId (`Core_Shift_Add`) or path that name the method."""
    if strategy == "operationId" and op.operation_id and _SEPARATORS.search(op.operation_id):
        return _SEPARATORS.split(op.operation_id)
    if strategy == "path":
        segments = [s for s in op.path.split("/") if s]
        last = segments[-1] if segments else ""
        return last.split(".") if "." in last else segments[-3:]
    return []


def _name_from_parts(parts: list[str]) -> str | None:
    if [p.lower() for p in parts[:2]] == ["factmes", "api"]:
        parts = parts[2:]
    return "FactMES.API." + ".".join(parts) if len(parts) == 3 else None


MES_MODULES = frozenset({"core", "enprod", "labor", "prod", "quality", "util"})
"""The Stateless API's modules (lower case): `FactMES.API.<Module>.<Class>.<Method>`."""


def identify_method_name(op: Operation, identify: IdentifyStrategy) -> str | None:
    """The MES method an operation stands for, found the way `method` rules find it.

    The strategies are tried in the rules' order (`auto`: operationId, extension, path).
    The extension's value is taken as written; from operationId and path segments a name
    is only read when its module is one of the Stateless API's (so `V3_QmSpec_Post` or
    `/api/v3/entity` do not pass for methods), and a `method` rule naming the result would
    match the operation by that strategy.
    """
    strategies = STRATEGY_ORDER if identify == "auto" else (identify,)
    for strategy in strategies:
        if strategy == "extension":
            if op.mes_method is not None:
                return op.mes_method
            continue
        name = _name_from_parts(_name_parts(op, strategy))
        if name is not None and name.split(".")[2].lower() in MES_MODULES:
            return name
    return None


def match_all(
    operations: Sequence[Operation],
    rulesets: Sequence[RuleSet],
    identify: IdentifyStrategy | None,
) -> list[RuleMatch]:
    """Match every rule of every rule set; `identify` (when set) overrides the rule sets'."""
    matcher = Matcher(operations)
    return [
        matcher.match(rule, identify or ruleset.identify)
        for ruleset in rulesets
        for rule in ruleset.rules
    ]
