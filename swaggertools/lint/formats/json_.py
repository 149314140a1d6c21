"""Machine-readable output, described by `swaggertools/schemas/lint.schema.json`.

`format_version` changes only when a key is removed or changes meaning; new keys may be
added within a version. Findings have the one record shape of `Finding.as_record()`.
Paths are as given on the command line; nothing depends on the clock.
"""

from __future__ import annotations

from typing import Any

from swaggertools.findings.common import dump_json, suppressed, verdict
from swaggertools.findings.model import FileResult, LintRun

FORMAT_VERSION = 1


def _file(result: FileResult) -> dict[str, Any]:
    return {
        "path": result.path,
        "spec_version": result.spec_version,
        "operations": result.operations,
        "checks": list(result.checks),
        "suppressed": result.suppressed,
        "error": result.error.as_record() if result.error else None,
        "findings": [f.as_record() for f in result.findings],
    }


def as_dict(run: LintRun) -> dict[str, Any]:
    """The run as the JSON document (before serialisation)."""
    counts = run.counts()
    return {
        "format_version": FORMAT_VERSION,
        "tool": {"name": "swaggertools", "version": run.tool_version},
        "fail_on": run.fail_on,
        "exit_code": run.exit_code,
        "result": verdict(run),
        "summary": {
            "files": len(run.files),
            "files_with_findings": sum(1 for r in run.files if r.findings),
            "files_not_loaded": sum(1 for r in run.files if r.error),
            "findings": sum(counts.values()),
            "error": counts["error"],
            "warning": counts["warning"],
            "info": counts["info"],
            "suppressed": suppressed(run),
        },
        "checks": [
            {
                "id": c.id,
                "severity": c.severity.value,
                "summary": c.summary,
                "help_uri": c.help_uri,
            }
            for c in run.checks
        ],
        "files": [_file(r) for r in run.files],
    }


def render(run: LintRun, *, color: bool = False) -> str:
    """Render the run as indented JSON (UTF-8 text, not ASCII-escaped); `color` is ignored."""
    return dump_json(as_dict(run))
