"""The human summary of a clean run, printed by `clean` and by `worktasks` (its kit cleans).

A module of its own so neither command imports the other.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from swaggertools.console import Console
from swaggertools.destination import describe
from swaggertools.pipeline import CleanResult
from swaggertools.report import security_sentences

_MAX_LISTED = 10
"""Mapping findings and unmatched rules listed before `… N more in the report`."""


def summary(result: CleanResult, out: Console) -> None:
    """What was removed, pruned, unmatched and validated, and what was written."""
    report = result.report.as_dict()
    s: dict[str, Any] = report["summary"]
    inp: dict[str, Any] = report["input"]
    out.print(
        f"{inp['path']}: {inp['spec_version']}, {s['operations_in']} operations → "
        f"{s['operations_out']} ({s['removed_operations']} removed, {s['pruned']} pruned)",
    )
    removed: list[dict[str, Any]] = report["removed_operations"]
    for r in removed:
        why = r["reason"] + (f"; use {r['replacement']}" if r["replacement"] else "")
        out.print(
            f"  removed {r['method']} {r['path']} ({r['operationId']}): {why} "
            f"[{r['rule']}, by {r['strategy']}]",
        )
    pruned: list[dict[str, Any]] = report["pruned"]
    if pruned:
        counts = Counter((p["kind"], p["cause"]) for p in pruned)
        parts = [f"{n} {kind} ({cause})" for (kind, cause), n in sorted(counts.items())]
        out.print("  pruned: " + ", ".join(parts))
    for variant, sentence in security_sentences(report["security"]):
        out.print(f"  security{f' ({variant})' if variant else ''}: {sentence}")
    for f in report["findings"]:
        if f["rule"] == "input-note":  # e.g. which files' $refs were bundled
            out.print(f"  note: {_where(f)}: {f['message']}")
    mappings = [f for f in report["findings"] if f["rule"] == "unresolved-mapping"]
    if mappings:
        out.print(f"{len(mappings)} discriminator mapping value(s) point to nothing:")
    for f in mappings[:_MAX_LISTED]:
        out.print(f"  warning: {_where(f)}: {f['pointer']}: {f['message']}")
    if len(mappings) > _MAX_LISTED:
        out.print(f"  … {len(mappings) - _MAX_LISTED} more in the report")
    unmatched: list[dict[str, Any]] = report["unmatched_rules"]
    if unmatched:
        out.print(f"{len(unmatched)} rule(s) matched nothing:")
    for u in unmatched[:_MAX_LISTED]:
        out.print(
            f"  unmatched: {u['rule']} {u['kind']} {u['target']} ({u['file']}:{u['line']})",
        )
    if len(unmatched) > _MAX_LISTED:
        out.print(f"  … {len(unmatched) - _MAX_LISTED} more in the report")
    for a in report["ambiguous_rules"]:
        out.print(
            f"  ambiguous: {a['rule']} {a['target']} matched {len(a['candidates'])} operations"
            + (" (removed)" if a["removed"] else " (nothing removed; --allow-ambiguous)"),
        )
    validation: dict[str, Any] = report["validation"]
    states = [f"input {'valid' if validation['input']['valid'] else 'INVALID'}"]
    states += [
        f"{o['variant']} {'valid' if o['valid'] else 'INVALID'}" for o in validation["outputs"]
    ]
    out.print("validation: " + ", ".join(states))
    for f in report["findings"]:
        if f["severity"] == "error":
            out.print(f"  {_where(f)}: {f['pointer']}: {f['message']}")
    if result.ok:
        for art in result.artifacts:
            out.print(f"wrote {describe(art.path)}")
        if not any(art.kind.startswith("report") for art in result.artifacts):
            out.print("reports not written: the output is not a regular file (use --output-dir)")
    else:
        out.print("nothing written: an output did not validate")


def _where(finding: dict[str, Any]) -> str:
    """`file:line:col` of a report finding record, or just its file."""
    if finding["line"]:
        return f"{finding['file']}:{finding['line']}:{finding['column']}"
    return f"{finding['file']}"
