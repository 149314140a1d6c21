"""Matching a rule set's exclusions to a document's operations, and MES method names.

`Matcher` indexes one document's operations by every identification shape (operationId,
the method extension, path segments) so that each rule is a look-up; `method_keys`,
`mes_method_name` and `identify_method_name` name the MES method an operation stands for.
`swaggertools.rules` re-exports the public names.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cached_property

from .model import IdentifyStrategy, Operation
from .rules_model import STRATEGY_ORDER, Rule, RuleMatch, RuleSet, Status

_PREFIX = "factmes.api."
_SEPARATORS = re.compile(r"[._\-]")


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
