"""Markdown rendering of the report (for pull requests, tickets and archives)."""

from __future__ import annotations

from typing import Any

from .sentences import security_sentences


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _table(headers: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


# Over 80 lines on purpose: the sections follow one another in the order the document
# shows them, which reads best as one sequence.
def render(report: dict[str, Any]) -> str:
    """Render the JSON report as Markdown."""
    inp = report["input"]
    summary = report["summary"]
    out: list[str] = [f"# swaggertools report: {inp['path']}", ""]
    out += [
        f"- Input: `{inp['path']}` ({inp['spec_version']}, {inp['format']}, "
        f"{inp['operations']} operations), sha256 `{inp['sha256']}`",
        f"- API: {_cell(inp['title'])} {_cell(inp['api_version'])}",
        f"- Result: **{summary['result']}** (exit code {summary['exit_code']}): "
        f"{summary['removed_operations']} operations removed, "
        f"{summary['pruned']} items pruned, {summary['unmatched_rules']} rules unmatched, "
        f"{summary['ambiguous_rules']} ambiguous",
        "",
        "## Rule sets",
        "",
    ]
    out += _table(
        ["name", "version", "MES release", "rules", "complete", "source"],
        [
            [r["name"], r["version"], r["mes_release"], r["rules"], r["complete"], r["source"]]
            for r in report["rule_sets"]
        ],
    )
    out += ["", f"## Removed operations ({len(report['removed_operations'])})", ""]
    if report["removed_operations"]:
        out += _table(
            [
                "method",
                "path",
                "operationId",
                "MES method",
                "rule",
                "matched by",
                "reason",
                "replacement",
            ],
            [
                [
                    r["method"],
                    f"`{r['path']}`",
                    r["operationId"],
                    r["mes_method"],
                    r["rule"],
                    r["strategy"],
                    r["reason"],
                    r["replacement"],
                ]
                for r in report["removed_operations"]
            ],
        )
    else:
        out.append("None.")
    out += ["", f"## Rules that matched nothing ({len(report['unmatched_rules'])})", ""]
    if report["unmatched_rules"]:
        out += _table(
            ["rule", "target", "reason", "where"],
            [
                [r["rule"], f"{r['kind']} `{r['target']}`", r["reason"], f"{r['file']}:{r['line']}"]
                for r in report["unmatched_rules"]
            ],
        )
    else:
        out.append("None.")
    out += ["", f"## Ambiguous rules ({len(report['ambiguous_rules'])})", ""]
    if report["ambiguous_rules"]:
        out += _table(
            ["rule", "target", "matched by", "candidates", "removed"],
            [
                [
                    r["rule"],
                    f"`{r['target']}`",
                    r["strategy"],
                    "; ".join(f"{c['method']} {c['path']}" for c in r["candidates"]),
                    r["removed"],
                ]
                for r in report["ambiguous_rules"]
            ],
        )
    else:
        out.append("None.")
    out += ["", f"## Pruned ({len(report['pruned'])})", ""]
    if report["pruned"]:
        out += _table(
            ["pointer", "kind", "name", "cause"],
            [[f"`{p['pointer']}`", p["kind"], p["name"], p["cause"]] for p in report["pruned"]],
        )
    else:
        out.append("None.")
    sec = report["security"]
    out += ["", "## Security", ""]
    out.append(f"- Mode: `{sec['mode']}`; authority: {_cell(sec['authority'])}")
    for variant in sec["variants"]:
        out.append(
            f"- `{variant['variant']}`: schemes {', '.join(variant['schemes']) or 'none'}; "
            f"401/500 responses added: {variant['auth_error_responses_added']}; "
            f"operation-level overrides: {len(variant['operation_overrides'])}"
            + (" (replaced)" if variant["overrides_replaced"] else " (left alone)")
        )
    for variant_name, sentence in security_sentences(sec):
        which = f" (`{variant_name}`)" if variant_name else ""
        out.append(f"- The input's own security{which}: {_cell(sentence)}")
    val = report["validation"]
    out += ["", "## Validation", ""]
    rows = [["input", val["input"]["valid"], len(val["input"]["errors"])]]
    rows += [[o["variant"], o["valid"], len(o["errors"])] for o in val["outputs"]]
    out += _table(["document", "valid", "errors"], rows)
    if report["findings"]:
        out += ["", "## Findings", ""]
        out += _table(
            ["severity", "rule", "where", "message"],
            [
                [
                    f["severity"],
                    f["rule"],
                    f"{f['file'] or ''}:{f['line'] or ''} `{f['pointer'] or ''}`",
                    f["message"],
                ]
                for f in report["findings"]
            ],
        )
    out += ["", "## Outputs", ""]
    if report["outputs"]:
        out += _table(
            ["variant", "path", "operations", "sha256"],
            [
                [o["variant"], f"`{o['path']}`", o["operations"], f"`{o['sha256']}`"]
                for o in report["outputs"]
            ],
        )
    else:
        out.append("None written.")
    out += ["", "## Timings (ms)", ""]
    out += _table(list(report["timings_ms"]), [list(report["timings_ms"].values())])
    return "\n".join(out) + "\n"
