"""Rule drift: each rule's matches in OLD and NEW, and what changed between them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from swaggertools.model import IdentifyStrategy
from swaggertools.rules import RuleSet, match_all

from .context import Context
from .kinds.drift import RuleEscaped, RuleMatchesFewer, RuleMatchesMore, RuleUnmatchedNow
from .match import Matching
from .model import Op, OpRef

DriftStatus = Literal[
    "unchanged",
    "unmatched",
    "matches-now",
    "unmatched-now",
    "matches-more",
    "matches-fewer",
    "escaped",
]


@dataclass(frozen=True)
class RuleDrift:
    """One rule in OLD and NEW."""

    rule: str
    """The rule's id (`mes-model-driven-7.0#3`, or the id its entry gives)."""
    target: str
    """What the rule names (`method FactMES.API.Core.AttrSet.Add`)."""
    old_matches: tuple[OpRef, ...]
    new_matches: tuple[OpRef, ...]
    status: DriftStatus
    """The first status that applies (escaped, unmatched-now, matches-more, matches-fewer)."""
    operations: tuple[OpRef, ...]
    """What the status is about: escaped operations (NEW identity), newly matched, or lost."""
    also: tuple[tuple[DriftStatus, tuple[OpRef, ...]], ...] = ()
    """Further statuses that apply too (a rename escaped and a glob catching more), each
    with what it is about."""

    @property
    def statuses(self) -> tuple[tuple[DriftStatus, tuple[OpRef, ...]], ...]:
        """Every status that applies, the first one first, each with its operations."""
        return ((self.status, self.operations), *self.also)

    def status_label(self) -> str:
        """`escaped`, or `escaped+matches-more` when several apply (text and markdown)."""
        return "+".join(status for status, _ in self.statuses)

    def as_record(self) -> dict[str, object]:
        """The JSON contract's rule entry: counts and lists of matches, every status."""
        return {
            "rule": self.rule,
            "target": self.target,
            "old_matches": len(self.old_matches),
            "new_matches": len(self.new_matches),
            "old_operations": [op.as_record() for op in self.old_matches],
            "new_operations": [op.as_record() for op in self.new_matches],
            "status": self.status,
            "operations": [op.as_record() for op in self.operations],
            "statuses": [
                {"status": status, "operations": [op.as_record() for op in ops]}
                for status, ops in self.statuses
            ],
        }


def rule_drift(
    ctx: Context,
    matching: Matching,
    rulesets: Sequence[RuleSet],
    identify: IdentifyStrategy | None,
) -> list[RuleDrift]:
    """Match every rule in both files, report drift as changes, return one entry per rule."""
    old_ops = {op.pointer: op for op in ctx.old.ops}
    new_ops = {op.pointer: op for op in ctx.new.ops}
    old_matches = match_all([op.operation for op in ctx.old.ops], rulesets, identify)
    new_matches = match_all([op.operation for op in ctx.new.ops], rulesets, identify)
    counterpart = {p.old.pointer: p.new for p in matching.pairs}
    result = []
    for before, after in zip(old_matches, new_matches, strict=True):
        olds = [old_ops[o.pointer] for o in before.operations if o.pointer in old_ops]
        news = [new_ops[o.pointer] for o in after.operations if o.pointer in new_ops]
        now = {op.pointer for op in news}
        escaped_pairs = [
            (o, counterpart[o.pointer])
            for o in olds
            if o.pointer in counterpart and counterpart[o.pointer].pointer not in now
        ]
        escaped = [n for _, n in escaped_pairs]
        followed = {counterpart[o.pointer].pointer for o in olds if o.pointer in counterpart}
        more = [n for n in news if n.pointer not in followed]
        lost = [o for o in olds if o.pointer not in counterpart]
        found = _statuses(olds, news, escaped, more, lost)
        rule = before.rule
        label = f"rule {rule.id} ({rule.describe()})"
        for status, about in found:
            _report(ctx, label, status, about, olds, escaped_pairs)
        refs = [(status, tuple(op.ref for op in about)) for status, about in found]
        result.append(
            RuleDrift(
                rule=rule.id,
                target=rule.describe(),
                old_matches=tuple(o.ref for o in olds),
                new_matches=tuple(n.ref for n in news),
                status=refs[0][0],
                operations=refs[0][1],
                also=tuple(refs[1:]),
            )
        )
    return result


def _statuses(
    olds: list[Op], news: list[Op], escaped: list[Op], more: list[Op], lost: list[Op]
) -> list[tuple[DriftStatus, list[Op]]]:
    """Every status that applies, in report order (never empty)."""
    if not olds:  # nothing to escape, lose or stop matching
        return [("matches-now", news)] if news else [("unmatched", [])]
    found: list[tuple[DriftStatus, list[Op]]] = []
    if escaped:
        found.append(("escaped", escaped))
    if not news:
        if lost:  # escaped alone says why a renamed operation is no longer matched
            found.append(("unmatched-now", olds))
    elif more:
        found.append(("matches-more", more))
    if lost and news:
        found.append(("matches-fewer", lost))
    return found or [("unchanged", [])]


def _report(
    ctx: Context,
    label: str,
    status: DriftStatus,
    about: list[Op],
    olds: list[Op],
    escaped: list[tuple[Op, Op]],
) -> None:
    add = ctx.changes.add
    if status == "escaped":
        for old, new in escaped:
            message = (
                f"{label} matched {old.ref.label()} in OLD but not its NEW identity "
                f"{new.ref.label()}: clean would keep it"
            )
            add(RuleEscaped, message, old=old.pointer, new=new.pointer, op=new.ref)
    elif status == "unmatched-now":
        message = f"{label} matched {len(olds)} operation(s) in OLD and matches nothing in NEW"
        add(RuleUnmatchedNow, message, old=olds[0].pointer, new=None, op=olds[0].ref)
    elif status in ("matches-more", "matches-now"):
        names = ", ".join(op.ref.label() for op in about)
        message = f"{label} now also matches: {names}"
        add(RuleMatchesMore, message, old=None, new=about[0].pointer, op=about[0].ref)
    elif status == "matches-fewer":
        names = ", ".join(op.ref.label() for op in about)
        message = f"{label} no longer matches removed operation(s): {names}"
        add(RuleMatchesFewer, message, old=about[0].pointer, new=None, op=about[0].ref)
