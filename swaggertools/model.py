"""Frozen value types shared by every stage: operations, findings, options."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TypedDict

from .load import MAX_INPUT_BYTES

JSON = Any
"""A JSON-compatible value: dict, list, str, int, float, bool or None."""

HTTP_METHODS: tuple[str, ...] = (
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
)

AuthMode = Literal["user", "service", "both", "combined", "none"]
IdentifyStrategy = Literal["auto", "operationId", "extension", "path"]
OutputFormat = Literal["json", "yaml"]
ValidationMode = Literal["fast", "full"]
"""`fast`: jsonschema-rs + semantic checks (default); `full`: openapi-spec-validator."""


class Severity(str, enum.Enum):
    """How serious a finding is; ordered error > warning > info."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Numeric rank for comparisons (higher is more serious)."""
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class FindingRecord(TypedDict):
    """A finding as every JSON output writes it (`Finding.as_record()`)."""

    rule: str
    severity: str
    """`error`, `warning` or `info`."""
    message: str
    file: str | None
    pointer: str | None
    line: int | None
    column: int | None


@dataclass(frozen=True)
class Finding:
    """One observation about a document, with its location.

    `rule` is the check id (e.g. `invalid-spec`, `unmatched-rule`); `pointer` is an RFC 6901
    JSON pointer written in URI-fragment style (`#/paths/~1a/get`).
    """

    rule: str
    severity: Severity
    message: str
    file: str | None = None
    pointer: str | None = None
    line: int | None = None
    column: int | None = None

    def as_record(self) -> FindingRecord:
        """Return a JSON-compatible dict (the one shape every renderer uses)."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "pointer": self.pointer,
            "line": self.line,
            "column": self.column,
        }


def dedupe_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in their order, without repeats of the same rule, file, pointer and message."""
    seen: set[tuple[str, str | None, str | None, str]] = set()
    result = []
    for finding in findings:
        key = (finding.rule, finding.file, finding.pointer, finding.message)
        if key not in seen:
            seen.add(key)
            result.append(finding)
    return result


@dataclass(frozen=True)
class Operation:
    """One operation of the input document (path + HTTP method)."""

    path: str
    method: str
    operation_id: str | None
    tags: tuple[str, ...]
    pointer: str
    mes_method: str | None = None
    """Value of the method-name vendor extension, when present."""

    @property
    def key(self) -> tuple[str, str]:
        """Identity of the operation: (path, method)."""
        return (self.path, self.method)


@dataclass(frozen=True)
class CleanOptions:
    """Everything `clean` needs besides the input; filled once by the CLI or by callers."""

    rules: tuple[str, ...] = ("mes-model-driven-7.0",)
    identify: IdentifyStrategy | None = None
    """Override of the rule sets' own `identify`; None keeps each rule set's choice."""
    method_extension: str = "x-mes-method"
    allow_ambiguous: bool = False
    auth: AuthMode = "both"
    authority: str | None = None
    replace_security: bool = False
    document_auth_errors: bool = True
    strict: bool = False
    output_format: OutputFormat | None = None
    validate_input: bool = True
    in_memory: bool = False
    """Only the documents are wanted (`docs`): the outputs are neither validated nor
    serialised, and no report files are made (`CleanResult.artifacts` stays empty)."""
    validation: ValidationMode = "fast"
    """Which validator checks input and outputs (`--validate`)."""
    max_input_bytes: int = MAX_INPUT_BYTES
    """Largest spec or rule file accepted, checked before parsing (`--max-input-size`)."""
    allow_remote: tuple[str, ...] = ()
    """Hosts remote `$ref`s may be fetched from (`host`, `host:port`, `http://host:port`)."""
    ref_root: str | None = None
    """Folder that file `$ref`s must stay in (default: the spec's own folder)."""
    extra: dict[str, JSON] = field(default_factory=dict)
