"""What a diff produced: the one record set every output format renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .change import Change
from .consumers import Impact
from .drift import RuleDrift
from .ignore import IgnoreEntry
from .match import Duplicate, Pair
from .model import LEVEL_RANK, OpRef

FORMAT_VERSION = 1
FailOn = Literal["error", "warning", "info", "never"]
FailScope = Literal["all", "used"]
DiffFormat = Literal["text", "markdown", "html", "json", "junit", "github", "sarif"]
DIFF_FORMATS: tuple[DiffFormat, ...] = (
    "text",
    "markdown",
    "html",
    "json",
    "junit",
    "github",
    "sarif",
)


@dataclass(frozen=True)
class Side:
    """One of the two files: path, digest, spec version and operation count."""

    path: str
    sha256: str
    spec_version: str
    operations: int

    def as_record(self) -> dict[str, Any]:
        """The JSON contract's `old` / `new`."""
        return {
            "path": self.path,
            "sha256": self.sha256,
            "spec_version": self.spec_version,
            "operations": self.operations,
        }


@dataclass
class DiffResult:
    """Everything one `swaggertools diff` found, and the verdict."""

    old: Side
    new: Side
    added: list[OpRef]
    removed: list[OpRef]
    renamed: list[Pair]
    """Matched pairs whose method, path or operationId differ."""
    duplicates: list[Duplicate]
    changes: list[Change]
    """After levels, ignores and consumers: used first, then by level, operation, id."""
    ignored: list[tuple[Change, IgnoreEntry]]
    stale_ignores: list[IgnoreEntry]
    rules: list[RuleDrift]
    consumers: list[Impact] | None
    """None when no consumers file was given."""
    fail_on: FailOn
    fail_scope: FailScope
    exit_code: int
    tool_version: str
    root: Path
    """Folder SARIF and GitHub paths are relative to."""
    stats: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Changes per level."""
        counts = {"error": 0, "warning": 0, "info": 0}
        for change in self.changes:
            counts[change.level] += 1
        return counts

    def failing(self) -> list[Change]:
        """The changes at or above `--fail-on` (within `--fail-scope`)."""
        if self.fail_on == "never":
            return []
        threshold = LEVEL_RANK[self.fail_on]
        return [
            c
            for c in self.changes
            if LEVEL_RANK[c.level] >= threshold and (self.fail_scope == "all" or c.used)
        ]
