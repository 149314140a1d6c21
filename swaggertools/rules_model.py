"""The records of a rule set: rules, rule sets, and what a rule matched.

Kept apart from loading (`rules`) and matching (`rules_match`) so both import them
without importing each other; `swaggertools.rules` re-exports every public name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .model import IdentifyStrategy, Operation

TargetKind = Literal["method", "operationId", "path", "tag"]
Status = Literal["matched", "unmatched", "ambiguous"]

REASON_NO_ENDPOINT = "no-web-endpoint"
REASON_REPLACED = "replaced"
STRATEGY_ORDER: tuple[str, ...] = ("operationId", "extension", "path")
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
