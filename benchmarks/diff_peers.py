"""`swaggertools diff` next to other OpenAPI diff tools, on the same OpenAPI 3.0 release pair.

The pair is `diffpairs.release_pair(n)` with both OLD and NEW converted to OpenAPI 3.0.3
(`diffpairs.to_openapi3`), so the peers, which refuse or skim Swagger 2.0, read it too; the
planted changes are the oracle. Each file pair is diffed in two variants:

- `as-generated`: the MES-shaped pair as is, with its recursive schemas (`EntNode`,
  `ShiftPatternNode` <-> `ShiftPatternLink`);
- `acyclic`: the same pair with each `$ref` from one schema of a cycle to another replaced
  by `{"type": "object"}`, identically in OLD and NEW (so no change is added), for the
  tools that stop on a circular `$ref`.

Peers, pinned in benchmarks/node (`npm ci --prefix benchmarks/node`):

- `openapi-diff` (Atlassian), `openapi-diff OLD NEW`: JSON on stdout after one line of text.
- `@pb33f/openapi-changes` is not run: its npm package ships no binary, its postinstall
  script downloads one from the project's GitHub releases, which this machine cannot reach.

Every process is measured as `run.py` measures external tools (CPU and peak RSS from
`os.wait4`, alternating with the stdlib pair baseline). The findings of the last run of
each tool are kept, counted by kind and matched against the planted changes
(`compare.md`). Results go to `--out` (default benchmarks/results/diff-peers/): `latest.json`,
`latest.md`, and the raw outputs (`*.out`, not committed) in `--out`/raw.

Usage: `python benchmarks/diff_peers.py [--sizes 500,2000,5000,20000] [--runs 3] [--peer-runs 1]
[--timeout 3600] [--tools swaggertools,openapi-diff] [--variants as-generated,acyclic]`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import diff_findings  # noqa: E402
import diffpairs  # noqa: E402
import generate  # noqa: E402 - benchmarks/ is not a package
import run  # noqa: E402

VARIANTS = ("as-generated", "acyclic")
TOOLS = ("swaggertools", "openapi-diff")
NOT_RUN = {
    "@pb33f/openapi-changes 0.0.67": "its npm package holds only a postinstall script that "
    "downloads the Go binary from the project's GitHub releases; only package registries are "
    "reachable here, so it cannot be installed (no binary ships inside any npm package)"
}


# ------------------------------------------------------------------ the pair


def cut_cycles(doc: dict[str, Any]) -> dict[str, Any]:
    """`doc` with every `$ref` between two schemas of a cycle replaced by a plain object."""
    schemas: dict[str, Any] = doc["components"]["schemas"]
    prefix = "#/components/schemas/"
    graph = {name: set(_refs(schema, prefix)) for name, schema in schemas.items()}
    cyclic = {name for name in graph if _reaches(graph, name, name)}

    def cut(value: Any) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref")
            if isinstance(ref, str) and ref.removeprefix(prefix) in cyclic:
                return {"type": "object"}
            return {k: cut(v) for k, v in value.items()}
        if isinstance(value, list):
            return [cut(v) for v in value]
        return value

    out = dict(doc)
    out["components"] = {**doc["components"], "schemas": dict(schemas)}
    for name in sorted(cyclic):
        out["components"]["schemas"][name] = cut(schemas[name])
    return out


def _refs(value: Any, prefix: str) -> list[str]:
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix):
                found.append(ref.removeprefix(prefix))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen: set[str] = set()
    stack = list(graph.get(start, ()))
    while stack:
        name = stack.pop()
        if name == goal:
            return True
        if name not in seen:
            seen.add(name)
            stack.extend(graph.get(name, ()))
    return False


@dataclass(frozen=True)
class Pair:
    """The files of one size and variant, and the oracle."""

    size: int
    variant: str
    old: Path
    new: Path
    oracle: diffpairs.Oracle


def pairs(size: int, variants: Sequence[str], cache: Path) -> list[Pair]:
    """The OpenAPI 3.0 pairs of `size` operations (written once into the cache)."""
    folder = cache / generate.generator_hash()
    folder.mkdir(parents=True, exist_ok=True)
    old, new, oracle = diffpairs.release_pair(size)
    docs = {"as-generated": (diffpairs.to_openapi3(old), diffpairs.to_openapi3(new))}
    docs["acyclic"] = (cut_cycles(docs["as-generated"][0]), cut_cycles(docs["as-generated"][1]))
    out = []
    for variant in variants:
        paths = []
        for label, doc in zip(("old", "new"), docs[variant], strict=True):
            path = folder / f"diff3-{variant}-{label}-{size}.json"
            if not path.is_file():
                path.write_text(diffpairs.dump(doc), encoding="utf-8")
            paths.append(path)
        out.append(Pair(size, variant, paths[0], paths[1], oracle))
    return out


# ------------------------------------------------------------------ measuring


def argv(tool: str, pair: Pair, swaggertools: str, report: Path) -> list[str]:
    """The command line of `tool` on `pair` (ours writes its JSON report to `report`)."""
    if tool == "swaggertools":
        # the same call as run.py's `diff` row (shipped rules), plus the JSON report
        return [swaggertools, "diff", str(pair.old), str(pair.new), "-o", f"json:{report}"]
    return [str(run.NODE_BIN / "openapi-diff"), str(pair.old), str(pair.new)]


@dataclass
class Result:
    """One tool on one pair: medians over the runs, ratios to the paired baseline, findings."""

    size: int
    variant: str
    tool: str
    runs: int = 0
    exit_code: int | None = None
    finished: bool = False
    cpu_s: float | None = None
    wall_s: float | None = None
    rss_mb: float | None = None
    baseline_cpu_s: float | None = None
    baseline_rss_mb: float | None = None
    cpu_ratio: float | None = None
    rss_ratio: float | None = None
    error: str | None = None
    findings: dict[str, Any] = field(default_factory=dict)


def bench(
    tool: str,
    pair: Pair,
    *,
    swaggertools: str,
    runs: int,
    timeout: float,
    raw: Path,
    progress: Callable[[str], None],
) -> Result:
    """`runs` pairs of (baseline, tool); the output of the last run is kept and read."""
    result = Result(pair.size, pair.variant, tool)
    files = generate.SpecFiles(pair.size, "json", pair.old, pair.old, other=pair.new)
    samples: list[tuple[run.Sample, run.Sample]] = []
    out = raw / f"{tool}-{pair.variant}-{pair.size}.out"
    report = raw / f"{tool}-{pair.variant}-{pair.size}.json"
    with tempfile.TemporaryDirectory(prefix="swaggertools-peers-") as tmp:
        scratch = Path(tmp)
        for i in range(runs):
            base = run.measure(run.baseline_argv(files, scratch), cwd=scratch, log=scratch / "bl")
            got = run.measure(
                argv(tool, pair, swaggertools, report), cwd=scratch, log=out, timeout=timeout
            )
            progress(
                f"  {tool} {pair.variant} {pair.size} run {i + 1}/{runs}: {got.cpu_s:.1f} s CPU, "
                f"{got.rss_mb:.0f} MB, exit {got.exit_code} (baseline {base.cpu_s:.1f} s)"
            )
            samples.append((base, got))
            result.exit_code = got.exit_code
            if got.exit_code not in (0, 1):
                break
    result.runs = len(samples)
    result.cpu_s = _median([t.cpu_s for _, t in samples])
    result.wall_s = _median([t.wall_s for _, t in samples])
    result.rss_mb = _median([t.rss_mb for _, t in samples])
    result.baseline_cpu_s = _median([b.cpu_s for b, _ in samples])
    result.baseline_rss_mb = _median([b.rss_mb for b, _ in samples])
    result.cpu_ratio = _median([t.cpu_s / b.cpu_s for b, t in samples])
    result.rss_ratio = round(result.rss_mb / result.baseline_rss_mb, 2)
    read_findings(result, out, report, pair.oracle, timed_out=samples[-1][1].wall_s >= timeout)
    return result


def read_findings(
    result: Result, out: Path, report: Path, oracle: diffpairs.Oracle, *, timed_out: bool
) -> None:
    """Fill `result.findings` from the kept output, or `result.error` when there is none."""
    text = out.read_text(encoding="utf-8", errors="replace")
    result.finished, result.error, result.findings = False, None, {}
    try:
        if result.tool == "swaggertools":
            result.findings = diff_findings.ours(json.loads(report.read_text("utf-8")), oracle)
        else:
            result.findings = diff_findings.openapi_diff(diff_findings.peer_json(text), oracle)
        result.finished = True
    except (OSError, ValueError) as error:
        # the tool's own first line says why (its error dump may hold JSON-like text)
        result.error = _first_line(text) if result.exit_code not in (0, None) else str(error)
        if "JavaScript heap out of memory" in text:
            result.error = f"out of memory: node's default heap limit, exit {result.exit_code}"
    if timed_out:
        result.error = "killed at the timeout"
        result.finished = False


def rerender(out_dir: Path) -> None:
    """Read the findings again from `out_dir`/raw and rewrite latest.json and latest.md
    (after a change to the comparison; nothing is measured)."""
    doc = json.loads((out_dir / "latest.json").read_text("utf-8"))
    oracles: dict[int, diffpairs.Oracle] = {}
    for row in doc["results"]:
        result = Result(**row)
        if result.size not in oracles:
            oracles[result.size] = diffpairs.release_pair(result.size)[2]
        stem = out_dir / "raw" / f"{result.tool}-{result.variant}-{result.size}"
        timed_out = result.exit_code == -9 and (result.wall_s or 0) >= doc["options"]["timeout_s"]
        read_findings(
            result,
            stem.with_suffix(".out"),
            stem.with_suffix(".json"),
            oracles[result.size],
            timed_out=timed_out,
        )
        row.update(asdict(result))
    (out_dir / "latest.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    (out_dir / "latest.md").write_text(diff_findings.render_markdown(doc), encoding="utf-8")


def _first_line(text: str) -> str:
    text = re.sub(r"/\S*?swaggertools-peers-[^/]+/", "", text)  # the scratch folder
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else "(no output)"


def _median(values: Sequence[float]) -> float:
    return round(statistics.median(values), 3)


# ------------------------------------------------------------------ main


def parse_args(args: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="500,2000,5000,20000", help="operation counts")
    parser.add_argument("--runs", type=int, default=3, help="measured runs of swaggertools")
    parser.add_argument("--peer-runs", type=int, default=1, help="measured runs of each peer")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per process")
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--out", type=Path, default=HERE / "results" / "diff-peers")
    parser.add_argument("--cache", type=Path, default=generate.DEFAULT_CACHE)
    parser.add_argument("--swaggertools", help="the swaggertools command (default: installed)")
    parser.add_argument(
        "--rerender",
        action="store_true",
        help="measure nothing: read the kept outputs again and rewrite latest.json/.md",
    )
    parsed = parser.parse_args(args)
    for name, known in (("tools", TOOLS), ("variants", VARIANTS)):
        unknown = set(getattr(parsed, name).split(",")) - set(known)
        if unknown:
            parser.error(f"unknown {name}: {', '.join(sorted(unknown))}")
    return parsed


def main(args: Sequence[str] | None = None) -> int:
    """Measure, compare, write latest.json and latest.md."""
    opts = parse_args(args)
    if opts.rerender:
        rerender(opts.out)
        return 0
    swaggertools = opts.swaggertools or run.find_swaggertools()
    run.byte_compile(swaggertools)
    tools = opts.tools.split(",")
    notes = [f"{name} was not run: {why}." for name, why in NOT_RUN.items()]
    if "openapi-diff" in tools and not (run.NODE_BIN / "openapi-diff").is_file():
        tools.remove("openapi-diff")
        notes.append("openapi-diff is not installed (npm ci --prefix benchmarks/node): skipped.")
    raw = opts.out / "raw"
    raw.mkdir(parents=True, exist_ok=True)

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results: list[Result] = []
    for size in generate.parse_sizes(opts.sizes):
        for pair in pairs(size, opts.variants.split(","), opts.cache):
            progress(f"{pair.old.name} vs {pair.new.name}")
            for tool in tools:
                runs = opts.runs if tool == "swaggertools" else opts.peer_runs
                results.append(
                    bench(
                        tool,
                        pair,
                        swaggertools=swaggertools,
                        runs=runs,
                        timeout=opts.timeout,
                        raw=raw,
                        progress=progress,
                    )
                )
    version = subprocess.run(
        [swaggertools, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    peers = json.loads((HERE / "node" / "package.json").read_text("utf-8"))["dependencies"]
    doc = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": run.machine(),
        "swaggertools": version.removeprefix("swaggertools "),
        "peers": {name: peers[name] for name in ("openapi-diff",) if name in peers},
        "options": {"runs": opts.runs, "peer_runs": opts.peer_runs, "timeout_s": opts.timeout},
        "results": [asdict(r) for r in results],
        "notes": notes,
    }
    (opts.out / "latest.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    markdown = diff_findings.render_markdown(doc)
    (opts.out / "latest.md").write_text(markdown, encoding="utf-8")
    print(markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
