"""What each diff tool found on a release pair, against the planted changes (the oracle).

`ours` reads `swaggertools diff` JSON, `openapi_diff` the Atlassian tool's JSON. Both give
counts by kind, the status of each planted change (`found`, `partly`, `missed`, or
`removed + added` for a moved or renamed operation reported as two unrelated changes) and
the findings no planted change explains (candidates for "they find something we do not",
to be read by hand). `render_markdown` writes the comparison for diff_peers.py.

openapi-diff checks paths and methods, request and response body schemas (as "scope"
widened or narrowed), status codes, response headers and `x-` properties; not parameters,
security, servers, operationId, tags or deprecation. A planted change counts as found by it
when a finding lies in the same area (request body, responses, path/method) of each
operation the change affects.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

import diffpairs

HTTP = "get|put|post|delete|patch|head|options|trace"
_LOCATION = re.compile(rf"^paths\.(/.*?)(?:\.({HTTP})(?:\.(.*))?)?$")
_CLASSES = ("breakingDifferences", "nonBreakingDifferences", "unclassifiedDifferences")
Op = tuple[str, str]
"""(METHOD, path)."""


def _op(label: str) -> Op:
    method, path = label.split(" ")[:2]
    return method, path


def _area(change_id: str) -> str:
    """Where a planted change shows in a spec: path, operation, parameter, request, ..."""
    if change_id in ("operation-moved", "operation-renamed"):
        return "moved"
    if change_id.startswith(("operation-removed", "operation-added")):
        return "path"
    if change_id.startswith("operation-"):
        return "operation"
    if change_id.startswith("parameter-"):
        return "parameter"
    if change_id.startswith("request-"):
        return "request"
    if change_id.startswith("response-"):
        return "response"
    return "document"


def _status_code(change_id: str, ops: int) -> str:
    """The response a planted response change is in: the generator plants the shared
    ErrorInfo change and the removed status in 400 responses, the others in 200."""
    return "400" if change_id == "response-status-removed" or ops > 100 else "200"


def _old_path(change_id: str, path: str) -> str:
    """The OLD path of a planted move or rename (see diffpairs._plant_operations)."""
    if change_id == "operation-moved":
        return "/api" + path.removeprefix("/api/v2")
    parts = path.rsplit("/", 1)[-1].split(".")  # FactMES.API.MOD.CLASS.METHOD
    return "/api/" + "/".join(parts[2:])


def api_oracle(oracle: diffpairs.Oracle) -> list[tuple[str, list[str]]]:
    """The planted API changes (rule drift left out: no peer has rules), sorted."""
    return sorted(
        (change_id, sorted(labels))
        for (change_id, labels) in oracle
        if not change_id.startswith("rule-")
    )


# ------------------------------------------------------------------ swaggertools


def _label(op: dict[str, Any]) -> str:
    return f"{op['method'].upper()} {op['path']} ({op['operationId']})"


def ours(doc: dict[str, Any], oracle: diffpairs.Oracle) -> dict[str, Any]:
    """Counts by change id, planted changes found, and changes the oracle does not list."""
    found = Counter(
        (c["id"], frozenset(_label(op) for op in c["operations"])) for c in doc["changes"]
    )
    planted = {
        f"{change_id} {' '.join(labels[:1])}": "found"
        if found[(change_id, frozenset(labels))]
        else "missed"
        for change_id, labels in api_oracle(oracle)
    }
    extra = found - oracle
    return {
        "total": len(doc["changes"]),
        "by_kind": dict(sorted(Counter(c["id"] for c in doc["changes"]).items())),
        "by_level": dict(sorted(Counter(c["level"] for c in doc["changes"]).items())),
        "operation_mentions": sum(max(1, len(c["operations"])) for c in doc["changes"]),
        "planted": planted,
        "unexplained": sorted(f"{cid} {sorted(labels)[:2]}" for cid, labels in extra),
    }


# ------------------------------------------------------------------ openapi-diff


def peer_json(text: str) -> dict[str, Any]:
    """The JSON object in openapi-diff's output (a line of text comes before it)."""
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON in the output")
    value, _ = json.JSONDecoder().raw_decode(text[start:])
    if not isinstance(value, dict) or "breakingDifferences" not in value:
        raise ValueError("not openapi-diff's result")
    return value


def _places(finding: dict[str, Any]) -> set[tuple[str | None, str, str]]:
    """(METHOD or None, path, area) of each location a finding names."""
    out: set[tuple[str | None, str, str]] = set()
    details = finding.get("sourceSpecEntityDetails", []) + finding.get(
        "destinationSpecEntityDetails", []
    )
    for detail in details:
        match = _LOCATION.match(detail.get("location", ""))
        if match is None:
            out.add((None, "", "document"))
            continue
        path, method, rest = match.groups()
        if method is None:
            area = "path"
        elif rest is None:
            area = "path"  # method.add / method.remove
        elif rest.startswith("requestBody"):
            area = "request"
        elif rest.startswith("responses"):
            area = "response:" + rest.split(".")[1]
        elif rest.startswith("parameters"):
            area = "parameter"
        else:
            area = "operation"
        out.add((method.upper() if method else None, path, area))
    return out


def _covers(places: set[tuple[str | None, str, str]], op: Op, area: str) -> bool:
    return any(p == op[1] and a == area and m in (None, op[0]) for m, p, a in places)


def openapi_diff(doc: dict[str, Any], oracle: diffpairs.Oracle) -> dict[str, Any]:
    """Counts by code and class, planted changes found, and findings no plant explains."""
    findings = [(cls, f) for cls in _CLASSES for f in doc.get(cls, [])]
    places = [_places(f) for _, f in findings]
    explained = [False] * len(findings)
    planted: dict[str, str] = {}
    for change_id, labels in api_oracle(oracle):
        area = _area(change_id)
        if area == "response":
            area += ":" + _status_code(change_id, len(labels))
        ops = [_op(label) for label in labels]
        hits = [_hits(places, op, area, change_id) for op in ops] if ops else [[]]
        for index in (i for hit in hits for i in hit):
            explained[index] = True
        covered = sum(1 for hit in hits if hit)
        if area == "moved":
            status = "removed + added" if covered == len(ops) else "missed"
        else:
            status = "found" if ops and covered == len(ops) else "partly" if covered else "missed"
        codes = sorted({findings[i][1]["code"] for hit in hits for i in hit})
        if codes and area != "moved":
            status += f" ({', '.join(codes)})"
        planted[f"{change_id} {' '.join(labels[:1])}"] = status
    unexplained = Counter(
        f"{f['code']} {_where(p)}"
        for (_, f), p, seen in zip(findings, places, explained, strict=True)
        if not seen
    )
    return {
        "total": len(findings),
        "by_kind": dict(sorted(Counter(f["code"] for _, f in findings).items())),
        "by_level": {cls: len(doc.get(cls, [])) for cls in _CLASSES},
        "operation_mentions": len(findings),
        "planted": planted,
        "unexplained": sorted(
            f"{text} (x{n})" if n > 1 else text for text, n in unexplained.items()
        ),
    }


def _hits(places: list[set[Any]], op: Op, area: str, change_id: str) -> list[int]:
    if area != "moved":
        return [i for i, p in enumerate(places) if _covers(p, op, area)]
    removed = [
        i for i, p in enumerate(places) if _covers(p, (op[0], _old_path(change_id, op[1])), "path")
    ]
    added = [i for i, p in enumerate(places) if _covers(p, op, "path")]
    return removed + added if removed and added else []


def _where(places: Iterable[tuple[str | None, str, str]]) -> str:
    first = sorted(places, key=str)[:1]
    if not first:
        return "(no location)"
    method, path, area = first[0]
    return f"{method or ''} {path} [{area}]".strip()


# ------------------------------------------------------------------ the report


def _fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "-" if value is None else f"{value:.{digits}f}{suffix}"


def render_markdown(doc: dict[str, Any]) -> str:
    """latest.md: time and memory, findings by kind, planted changes found or missed."""
    results = doc["results"]
    lines = [
        "# swaggertools diff next to other OpenAPI diff tools",
        "",
        f"{doc['date']}, swaggertools {doc['swaggertools']}, peers "
        + ", ".join(f"{k} {v}" for k, v in doc["peers"].items())
        + f"; {doc['machine'].get('cpu', '')} ({doc['machine'].get('cores', '?')} cores). "
        "OpenAPI 3.0.3 release pairs from benchmarks/diffpairs.py (OLD and NEW converted); "
        "`acyclic` = the same pair with the recursive schemas' cycles cut in both files.",
        "",
        "| ops | variant | tool | finished | CPU s | x baseline | wall s | peak RSS MB "
        "| x baseline RSS | findings |",
        "|---:|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        done = "yes" if r["finished"] else f"no: {r['error']}"
        lines.append(
            f"| {r['size']} | {r['variant']} | {r['tool']} | {done} | {_fmt(r['cpu_s'])} | "
            f"{_fmt(r['cpu_ratio'], 1, 'x')} | {_fmt(r['wall_s'])} | {_fmt(r['rss_mb'], 0)} | "
            f"{_fmt(r['rss_ratio'], 1, 'x')} | {r['findings'].get('total', '-')} |"
        )
    lines += _by_kind(results) + _planted(results) + _unexplained(results)
    lines += ["", *[f"- {note}" for note in doc["notes"]]]
    return "\n".join(lines) + "\n"


def _by_kind(results: list[dict[str, Any]]) -> list[str]:
    lines = ["", "## Findings by kind", ""]
    for r in (r for r in results if r["finished"]):
        kinds = ", ".join(f"{k} {n}" for k, n in r["findings"]["by_kind"].items())
        lines.append(f"- {r['tool']}, {r['size']} ops, {r['variant']}: {kinds}")
    return lines


def _planted(results: list[dict[str, Any]]) -> list[str]:
    done = [r for r in results if r["finished"]]
    if not done:
        return []
    columns = [f"{r['tool']} {r['size']} {r['variant']}" for r in done]
    keys = sorted({k for r in done for k in r["findings"]["planted"]})
    lines = [
        "",
        "## Planted API changes (rule drift left out: no peer reads rules)",
        "",
        "| planted change (first operation) | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for key in keys:
        cells = " | ".join(r["findings"]["planted"].get(key, "-") for r in done)
        lines.append(f"| {key.split(' ')[0]} {' '.join(key.split(' ')[1:3])} | {cells} |")
    totals = " | ".join(
        f"{sum(v != 'missed' for v in r['findings']['planted'].values())}"
        f"/{len(r['findings']['planted'])}"
        for r in done
    )
    lines.append(f"| **found (any status but missed)** | {totals} |")
    return lines


def _unexplained(results: list[dict[str, Any]]) -> list[str]:
    lines = ["", "## Findings no planted change explains", ""]
    for r in (r for r in results if r["finished"]):
        extra = r["findings"]["unexplained"]
        lines.append(f"- {r['tool']}, {r['size']} ops, {r['variant']}: {len(extra)}")
        lines += [f"  - {text}" for text in extra[:15]]
        if len(extra) > 15:
            lines.append(f"  - ... {len(extra) - 15} more")
    return lines
