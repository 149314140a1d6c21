"""What every check sees about one file, computed once per file (never per check)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from swaggertools.index import Index
from swaggertools.load import Loaded
from swaggertools.model import Finding, ValidationMode, dedupe_findings
from swaggertools.refs import MissingTarget
from swaggertools.rules import RuleMatch
from swaggertools.validate import validate_document
from swaggertools.versions import SpecVersion


@dataclass(frozen=True)
class Elsewhere:
    """A hit in another file than the linted one (a file the spec bundles), located there."""

    file: str
    pointer: str | None
    message: str
    line: int | None = None
    column: int | None = None


Hit = tuple["str | None", str] | Elsewhere
"""What a check yields: (JSON pointer or None, message) in the linted file, or `Elsewhere`."""


@dataclass
class LintContext:
    """One loaded, indexed file with its rule matches; validation runs on first use."""

    path: str
    loaded: Loaded
    version: SpecVersion
    index: Index
    matches: list[RuleMatch] = field(default_factory=list)
    validation_mode: ValidationMode = "fast"
    missing: Mapping[str, MissingTarget] = field(default_factory=dict)
    """Refs the `$ref` policy left as written because their target is not there."""

    @property
    def doc(self) -> Any:
        """The parsed document (never modified by lint)."""
        return self.loaded.doc

    @cached_property
    def validation(self) -> list[Finding]:
        """Validation and indexing findings, without location (shared by several checks)."""
        found = validate_document(
            self.doc, self.version, self.index, self.validation_mode, self.missing
        )
        return dedupe_findings(found + self.index.findings)

    def validation_hits(self, *rules: str) -> Iterator[Hit]:
        """The validation findings with one of the given rule ids, as hits."""
        for finding in self.validation:
            if finding.rule not in rules:
                continue
            if finding.file is not None:  # a ref in a bundled file
                yield Elsewhere(
                    finding.file, finding.pointer, finding.message, finding.line, finding.column
                )
            else:
                yield finding.pointer, finding.message
