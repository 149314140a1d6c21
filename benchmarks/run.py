"""Whole-process benchmark of swaggertools against a plain `json.load` + `json.dump`.

For each size and format (MES-shaped specs from `generate.py`) and each tool, this runs
the two baseline processes and the tool in turn (baselines, tool, baselines, tool, ...)
after a warm-up, so that every tool run has baseline runs next to it and the ratios pair up
under the same machine load. Each run is a whole process; its CPU time (user + system) and
peak RSS come from `os.wait4`, its wall time from the clock.

- baselines: `python -c` that `json.load`s the spec and `json.dump`s it into a file, once
  without indent and once with `indent=2` (the targets hold against both). For the YAML
  rows the baselines read the JSON form of the same document (there is no stdlib YAML), so
  YAML ratios include the cost of YAML itself.
- clean: `swaggertools clean FILE --auth both --authority URL` (two validated outputs
  and the report, written to a temporary folder); its report's `timings_ms` are collected.
- lint: `swaggertools lint FILE` (skipped with a note where the command does not exist).
- docs: `swaggertools docs FILE --auth both --authority URL -d DIR -q` (the HTML site of the
  cleaned API, into a fresh folder each run: the previous run's site is removed first,
  outside the measurement).
- validate: `swaggertools validate FILE`.
- openapi-spec-validator: its `validate()` on the parsed file (stdlib json / libyaml).
- prance: `prance.BaseParser(FILE)` (its default backend, openapi-spec-validator).

Prints medians, ratios and PASS/FAIL for the targets of the performance issue, and writes
`latest.json` and `latest.md` into `--out` (the README quotes the Markdown).

Usage: `python benchmarks/run.py [--sizes 2000,5000,20000] [--runs 5] [--warmup 1]
[--formats json,yaml] [--tools clean,lint,...] [--quick] [--out benchmarks/results]`.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import diffpairs  # noqa: E402
import docs_browser  # noqa: E402
import generate  # noqa: E402 - benchmarks/ is not a package

AUTHORITY = "https://aim.example/identitymanager"
DOCS_PEERS: tuple[str, ...] = ("redocly", "widdershins")
"""Other documentation generators measured next to `docs` on the same files (Redocly CLI
`build-docs --inlineBundle`, widdershins), from `benchmarks/node` (`docs_peer_tools`;
skipped with a note when they are not installed); `docs_section` shows them beside `docs`."""
NODE_BIN = HERE / "node" / "node_modules" / ".bin"
ALL_TOOLS = (
    "clean",
    "lint",
    "validate",
    "diff",
    "diff-3.0",
    "docs",
    "openapi-spec-validator",
    "prance",
    *DOCS_PEERS,
)
SWAGGERTOOLS_TOOLS = ("clean", "lint", "validate", "diff", "diff-3.0")
"""What --quick runs by default (docs builds a whole site: ask for it with --tools)."""
DIFF_TOOLS = {"diff": "2.0", "diff-3.0": "3.0"}
"""Diff rows and what NEW is: the next 2.0 release (planted changes), or OLD as 3.0."""
TIMEOUT_S = 1800.0

BASELINE_CODE = """\
import json, sys
with open(sys.argv[1], encoding="utf-8") as fh:
    doc = json.load(fh)
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    json.dump(doc, fh, indent=int(sys.argv[3]) if sys.argv[3:] else None)
"""
# diff rows: both files loaded (and both kept, as a diff must), then both dumped
PAIR_BASELINE_CODE = """\
import json, sys
docs = []
for path in sys.argv[1:3]:
    with open(path, encoding="utf-8") as fh:
        docs.append(json.load(fh))
for i, doc in enumerate(docs):
    with open(sys.argv[3] + str(i), "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=int(sys.argv[4]) if sys.argv[4:] else None)
"""
BASELINES = {"no indent": (), "indent=2": ("2",)}
"""The baselines by name: extra arguments of BASELINE_CODE (its indent)."""
OSV_CODE = """\
import json, sys
import yaml
from openapi_spec_validator import validate
path = sys.argv[1]
with open(path, encoding="utf-8") as fh:
    if path.endswith(".json"):
        spec = json.load(fh)
    else:
        spec = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
validate(spec)
"""
PRANCE_CODE = """\
import sys
import prance
prance.BaseParser(sys.argv[1])
"""


# ------------------------------------------------------------------ measuring one process


@dataclass(frozen=True)
class Sample:
    """One finished process."""

    cpu_s: float
    wall_s: float
    rss_mb: float
    exit_code: int


def _rss_mb(ru_maxrss: int) -> float:
    # Linux reports kilobytes, macOS bytes.
    return ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru_maxrss / 1024


def measure(argv: Sequence[str], *, cwd: Path, log: Path, timeout: float = TIMEOUT_S) -> Sample:
    """Run argv to completion; CPU and peak RSS of that child alone, from `os.wait4`."""
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        killer = threading.Timer(timeout, proc.kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return Sample(
        cpu_s=usage.ru_utime + usage.ru_stime,
        wall_s=wall,
        rss_mb=_rss_mb(usage.ru_maxrss),
        exit_code=proc.returncode,
    )


# ------------------------------------------------------------------ the tools


@dataclass(frozen=True)
class Tool:
    """A command under test: how to call it on a spec, and which exit codes mean it ran."""

    name: str
    argv: Callable[[generate.SpecFiles, Path], list[str]]
    """(spec files, scratch folder) → the command line."""
    ok_codes: tuple[int, ...]
    external: bool = False
    prepare: Callable[[Path], None] | None = None
    """Run before each measured process, unmeasured (e.g. remove the previous output)."""


def find_swaggertools() -> str:
    """The console script next to the running interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "swaggertools"
    if beside.is_file():
        return str(beside)
    found = shutil.which("swaggertools")
    if found is None:
        raise SystemExit("run.py: the swaggertools command is not installed (pip install -e .)")
    return found


def byte_compile(swaggertools: str) -> str | None:
    """Byte-compile the installed package, as `pip install` does for a regular install.

    An editable install is never compiled, and where PYTHONDONTWRITEBYTECODE is set (as on
    these machines) every run would compile the package's sources again, ~60 ms of CPU
    that no installed copy pays. Returns a note for the results, or None.
    """
    python = Path(swaggertools).parent / "python"
    interpreter = str(python) if python.is_file() else sys.executable
    where = subprocess.run(
        [
            interpreter,
            "-c",
            "import os, swaggertools; print(os.path.dirname(swaggertools.__file__))",
        ],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if not where:
        return None
    subprocess.run([interpreter, "-m", "compileall", "-q", where], check=True)
    return "The swaggertools package was byte-compiled before measuring, as `pip install` does."


def tools(swaggertools: str) -> dict[str, Tool]:
    """Every tool the benchmark knows, by name."""
    python = sys.executable
    return {
        "clean": Tool(
            "clean",
            lambda f, scratch: [
                swaggertools,
                "clean",
                str(f.spec),
                "--auth",
                "both",
                "--authority",
                AUTHORITY,
                "--output-dir",
                str(scratch / "out"),
                "--quiet",
            ],
            ok_codes=(0,),
        ),
        "docs": Tool(
            "docs",
            lambda f, scratch: [
                swaggertools,
                "docs",
                str(f.spec),
                "--auth",
                "both",
                "--authority",
                AUTHORITY,
                "--output-dir",
                str(scratch / "site"),
                "--quiet",
            ],
            ok_codes=(0,),
            prepare=lambda scratch: shutil.rmtree(scratch / "site", ignore_errors=True),
        ),
        # lint exits 1 on its findings (the MES file has the excluded methods in it)
        "lint": Tool("lint", lambda f, _: [swaggertools, "lint", str(f.spec)], ok_codes=(0, 1)),
        "validate": Tool(
            "validate", lambda f, _: [swaggertools, "validate", str(f.spec)], ok_codes=(0,)
        ),
        # diff exits 1 on the planted changes; OLD against its 3.0 conversion exits 0
        "diff": Tool("diff", lambda f, _: [swaggertools, "diff", str(f.spec), str(f.other)], (1,)),
        "diff-3.0": Tool(
            "diff-3.0", lambda f, _: [swaggertools, "diff", str(f.spec), str(f.other)], (0,)
        ),
        "openapi-spec-validator": Tool(
            "openapi-spec-validator",
            lambda f, _: [python, "-c", OSV_CODE, str(f.spec)],
            ok_codes=(0,),
            external=True,
        ),
        "prance": Tool(
            "prance",
            lambda f, _: [python, "-c", PRANCE_CODE, str(f.spec)],
            ok_codes=(0,),
            external=True,
        ),
    }


def baseline_argv(files: generate.SpecFiles, scratch: Path, name: str) -> list[str]:
    """A stdlib baseline (see BASELINES): json.load + json.dump of the JSON form of the spec
    (of both files of a release pair for the diff rows)."""
    out = str(scratch / "bl.json")
    if files.other is not None:
        return [
            sys.executable,
            "-c",
            PAIR_BASELINE_CODE,
            str(files.baseline),
            str(files.other),
            out,
            *BASELINES[name],
        ]
    return [sys.executable, "-c", BASELINE_CODE, str(files.baseline), out, *BASELINES[name]]


def docs_peer_tools() -> dict[str, Tool]:
    """Redocly CLI and widdershins, pinned in benchmarks/node (`npm ci --prefix benchmarks/node`).

    Redocly's telemetry is switched off (REDOCLY_TELEMETRY=off; its build-docs has no flag
    for it); `env` execs the tool, so os.wait4 still measures the tool's own process.
    """
    quiet = ["env", "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true"]
    return {
        "redocly": Tool(
            "redocly",
            lambda f, scratch: [
                *quiet,
                str(NODE_BIN / "redocly"),
                "build-docs",
                str(f.spec),
                "--inlineBundle",
                "-o",
                str(scratch / "redoc.html"),
            ],
            ok_codes=(0,),
            external=True,
        ),
        "widdershins": Tool(
            "widdershins",
            lambda f, scratch: [
                str(NODE_BIN / "widdershins"),
                str(f.spec),
                "-o",
                str(scratch / "widdershins.md"),
            ],
            ok_codes=(0,),
            external=True,
        ),
    }


def command_exists(swaggertools: str, command: str) -> bool:
    """True when `swaggertools COMMAND --help` works (lint may not exist yet)."""
    proc = subprocess.run(
        [swaggertools, command, "--help"], capture_output=True, text=True, check=False
    )
    return proc.returncode == 0


def validate_modes(swaggertools: str) -> str:
    """What `validate --help` offers: `fast|full` once the fast path exists."""
    proc = subprocess.run(
        [swaggertools, "validate", "--help"], capture_output=True, text=True, check=False
    )
    return "fast|full" if "--validate" in proc.stdout else "openapi-spec-validator only"


# ------------------------------------------------------------------ one row of results


@dataclass
class Row:
    """One tool on one file: medians over the measured runs, and ratios to the baseline."""

    size: int
    format: str
    tool: str
    file_mb: float
    runs: int = 0
    cpu_s: float | None = None
    wall_s: float | None = None
    rss_mb: float | None = None
    baseline_cpu_s: float | None = None
    """Median CPU of the `indent=2` baseline."""
    baseline_rss_mb: float | None = None
    baseline_noindent_cpu_s: float | None = None
    """Median CPU of the baseline without indent."""
    cpu_ratio: float | None = None
    """Median over runs of tool CPU / the CPU of the `indent=2` baseline run of its round."""
    cpu_ratio_noindent: float | None = None
    """The same against the baseline without indent."""
    rss_ratio: float | None = None
    """Median tool peak RSS / median `indent=2` baseline peak RSS."""
    exit_code: int | None = None
    stages_ms: dict[str, float] = field(default_factory=dict)
    """Median per-stage timings from the clean report (`timings_ms`), wall clock."""
    note: str | None = None


def _median(values: Sequence[float]) -> float:
    return round(statistics.median(values), 3)


def bench_tool(
    tool: Tool,
    files: generate.SpecFiles,
    *,
    runs: int,
    warmup: int,
    timeout: float,
    progress: Callable[[str], None],
) -> Row:
    """Warm up, then `runs` rounds of (baselines, tool); the medians and per-round ratios."""
    row = Row(files.size, files.format, tool.name, round(files.spec.stat().st_size / 1e6, 1))
    rounds: list[tuple[dict[str, Sample], Sample]] = []
    stages: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="swaggertools-bench-") as tmp:
        scratch = Path(tmp)
        for i in range(warmup + runs):
            bases = {
                name: measure(
                    baseline_argv(files, scratch, name), cwd=scratch, log=scratch / "bl.log"
                )
                for name in BASELINES
            }
            if tool.prepare is not None:
                tool.prepare(scratch)
            got = measure(tool.argv(files, scratch), cwd=scratch, log=scratch / "tool.log")
            label = "warm-up" if i < warmup else f"run {i - warmup + 1}/{runs}"
            progress(
                f"  {tool.name} {files.size} {files.format} {label}: "
                f"{got.cpu_s:.2f} s CPU (baselines "
                + ", ".join(f"{name} {b.cpu_s:.2f} s" for name, b in bases.items())
                + f"), exit {got.exit_code}"
            )
            if got.exit_code not in tool.ok_codes:
                tail = (scratch / "tool.log").read_text(encoding="utf-8", errors="replace")
                row.exit_code = got.exit_code
                row.note = f"exit {got.exit_code}: {tail.strip()[-300:]}"
                return row
            if i < warmup:
                continue
            rounds.append((bases, got))
            for stage, ms in _report_timings(scratch / "out").items():
                stages.setdefault(stage, []).append(ms)
    tool_samples = [t for _, t in rounds]
    indented = [b["indent=2"] for b, _ in rounds]
    compact = [b["no indent"] for b, _ in rounds]
    row.runs = len(rounds)
    row.exit_code = tool_samples[-1].exit_code
    row.cpu_s = _median([s.cpu_s for s in tool_samples])
    row.wall_s = _median([s.wall_s for s in tool_samples])
    row.rss_mb = _median([s.rss_mb for s in tool_samples])
    row.baseline_cpu_s = _median([s.cpu_s for s in indented])
    row.baseline_rss_mb = _median([s.rss_mb for s in indented])
    row.baseline_noindent_cpu_s = _median([s.cpu_s for s in compact])
    row.cpu_ratio = _ratio(tool_samples, indented)
    row.cpu_ratio_noindent = _ratio(tool_samples, compact)
    row.rss_ratio = round(row.rss_mb / row.baseline_rss_mb, 3)
    row.stages_ms = {stage: round(statistics.median(v), 1) for stage, v in stages.items()}
    return row


def _ratio(tool: Sequence[Sample], base: Sequence[Sample]) -> float:
    """Median over rounds of tool CPU / baseline CPU of the same round."""
    return _median([t.cpu_s / b.cpu_s for t, b in zip(tool, base, strict=True)])


def _report_timings(out_dir: Path) -> dict[str, float]:
    reports = sorted(out_dir.glob("*.report.json")) if out_dir.is_dir() else []
    if not reports:
        return {}
    data = json.loads(reports[0].read_text(encoding="utf-8"))
    timings: dict[str, float] = data.get("timings_ms", {})
    return timings


# ------------------------------------------------------------------ targets


@dataclass(frozen=True)
class Target:
    """One target of the performance issue, checked on the Swagger 2.0 JSON rows."""

    name: str
    description: str
    limit: float
    value: float | None
    """None when the benchmark did not measure what the target needs."""

    @property
    def status(self) -> str:
        """PASS, FAIL or NOT MEASURED."""
        if self.value is None:
            return "NOT MEASURED"
        return "PASS" if self.value <= self.limit else "FAIL"


def _find(rows: Sequence[Row], tool: str, size: int, fmt: str = "json") -> Row | None:
    for row in rows:
        if (row.tool, row.size, row.format) == (tool, size, fmt) and row.cpu_s is not None:
            return row
    return None


def _worst_ratio(row: Row | None) -> float | None:
    """The larger of a row's two CPU ratios (the targets hold against either baseline)."""
    if row is None or row.cpu_ratio is None or row.cpu_ratio_noindent is None:
        return None
    return max(row.cpu_ratio, row.cpu_ratio_noindent)


def growth(rows: Sequence[Row], tool: str = "clean") -> dict[str, float] | None:
    """CPU at 20,000 ops / CPU at 5,000 ops (JSON), of the tool and of both baselines."""
    small, large = _find(rows, tool, 5000), _find(rows, tool, 20000)
    if small is None or large is None:
        return None
    pairs = {
        tool: (small.cpu_s, large.cpu_s),
        "no indent": (small.baseline_noindent_cpu_s, large.baseline_noindent_cpu_s),
        "indent=2": (small.baseline_cpu_s, large.baseline_cpu_s),
    }
    if any(not a or not b for a, b in pairs.values()):
        return None
    return {name: round(b / a, 3) for name, (a, b) in pairs.items() if a and b}


def browser_targets(browser: dict[str, Any] | None) -> list[Target]:
    """The docs site's browser targets (only when `--browser` measured them).

    DOMContentLoaded is the slowest page of the every-page run (all pages of the 20,000-op
    site, not a sample); search is the slowest query, the cold first query included.
    """
    if not browser:
        return []
    ours = browser["ours"]
    every = ours.get("every_page") or {}
    return [
        Target(
            "docs-browser-dcl",
            f"docs site of {browser['spec']} in headless Chromium: slowest DOMContentLoaded "
            f"of every page ({every.get('pages', 'sampled')} pages), ms",
            300.0,
            every.get("dcl_ms_max", ours["dcl_ms_max"]),
        ),
        Target(
            "docs-browser-page-bytes",
            "docs site: the largest page, MB",
            1.0,
            round(ours["largest_page_bytes"] / 1e6, 3),
        ),
        Target(
            "docs-browser-search",
            "docs site: slowest search answer (cold first query included), ms",
            100.0,
            ours["search_ms_max"],
        ),
    ]


def targets(rows: Sequence[Row]) -> list[Target]:
    """The issue's targets, from the measured rows."""
    clean5, lint5 = _find(rows, "clean", 5000), _find(rows, "lint", 5000)
    clean20 = _find(rows, "clean", 20000)
    grown = growth(rows)
    diff5, diff20 = _find(rows, "diff", 5000), _find(rows, "diff", 20000)
    conv20 = _find(rows, "diff-3.0", 20000)
    diff_scaling = None
    if diff5 and diff20 and diff5.cpu_s and diff20.cpu_s:
        diff_scaling = round(diff20.cpu_s / diff5.cpu_s, 3)
    docs5, docs20 = _find(rows, "docs", 5000), _find(rows, "docs", 20000)
    docs_scaling = None
    if docs5 and docs20 and docs5.cpu_s and docs20.cpu_s:
        docs_scaling = round(docs20.cpu_s / docs5.cpu_s, 3)
    return [
        Target(
            "clean-cpu-5k",
            "clean --auth both, 5,000 ops (Swagger 2.0 JSON): whole-process CPU / baseline "
            "(the larger of the two ratios)",
            3.0,
            _worst_ratio(clean5),
        ),
        Target(
            "lint-cpu-5k",
            "lint, 5,000 ops (Swagger 2.0 JSON): whole-process CPU / baseline "
            "(the larger of the two ratios)",
            2.0,
            _worst_ratio(lint5),
        ),
        Target(
            "clean-cpu-20k",
            "clean --auth both, 20,000 ops (JSON): whole-process CPU / baseline "
            "(the larger of the two ratios)",
            3.0,
            _worst_ratio(clean20),
        ),
        Target(
            "scaling-20k-5k",
            "clean --auth both: CPU at 20,000 ops / CPU at 5,000 ops (JSON)",
            4.5,
            grown["clean"] if grown else None,
        ),
        Target(
            "rss-20k",
            "clean --auth both, 20,000 ops (JSON): peak RSS / baseline's peak RSS",
            2.5,
            clean20.rss_ratio if clean20 else None,
        ),
        Target(
            "diff-cpu-20k",
            "diff of a 20,000-op 2.0 release pair: CPU / baseline (load + dump both; the larger "
            "of the two ratios)",
            4.0,
            _worst_ratio(diff20),
        ),
        Target(
            "diff-3.0-cpu-20k",
            "diff of a 20,000-op 2.0 file and its 3.0 conversion: CPU / baseline (the larger "
            "of the two ratios)",
            4.0,
            _worst_ratio(conv20),
        ),
        Target(
            "diff-rss-20k",
            "diff of a 20,000-op 2.0 release pair: peak RSS / baseline's peak RSS",
            3.0,
            diff20.rss_ratio if diff20 else None,
        ),
        Target(
            "diff-scaling-20k-5k",
            "diff: CPU at 20,000 ops / CPU at 5,000 ops (release pairs)",
            4.5,
            diff_scaling,
        ),
        Target(
            "docs-cpu-20k",
            "docs --auth both (HTML site), 20,000 ops (Swagger 2.0 JSON): CPU / baseline "
            "(the larger of the two ratios)",
            4.0,
            _worst_ratio(docs20),
        ),
        Target(
            "docs-rss-20k",
            "docs --auth both, 20,000 ops (JSON): peak RSS / baseline's peak RSS",
            3.0,
            docs20.rss_ratio if docs20 else None,
        ),
        Target(
            "docs-scaling-20k-5k",
            "docs --auth both: CPU at 20,000 ops / CPU at 5,000 ops (JSON)",
            4.5,
            docs_scaling,
        ),
    ]


# ------------------------------------------------------------------ machine and rendering


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "os": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else [],
    }


def _fmt(value: float | None, digits: int = 2, suffix: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def render_markdown(result: dict[str, Any]) -> str:
    """The Markdown table the README quotes."""
    m = result["machine"]
    lines = [
        f"Measured {result['date']} on {m['cpu']}, {m['cores']} cores, "
        f"Python {m['python']}, {m['os']} (swaggertools {result['swaggertools']}, "
        f"validator: {result['validate_modes']}; {result['options']['runs']} runs after "
        f"{result['options']['warmup']} warm-up, medians).",
        "",
        "| ops | format | tool | CPU s | x baseline, no indent | x baseline, indent=2 "
        "| wall s | peak RSS MB | x baseline RSS |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["rows"]:
        if row["cpu_s"] is None:
            lines.append(
                f"| {row['size']} | {row['format']} | {row['tool']} | — | — | — | — | — | — |"
                + (f" {row['note']}" if row["note"] else "")
            )
            continue
        lines.append(
            f"| {row['size']} | {row['format']} | {row['tool']} | {_fmt(row['cpu_s'])} | "
            f"{_fmt(row['cpu_ratio_noindent'], 2, 'x')} | {_fmt(row['cpu_ratio'], 2, 'x')} | "
            f"{_fmt(row['wall_s'])} | {_fmt(row['rss_mb'], 0)} | {_fmt(row['rss_ratio'], 1, 'x')} |"
        )
    lines += [
        "",
        "Baselines: `json.load` + `json.dump` (without indent, and with `indent=2`) of the same "
        "document in a fresh `python` (for YAML rows, of its JSON form); each tool run is "
        "divided by the baseline runs of its round. Baseline medians per file:",
        "",
        "| ops | format | CPU s, no indent | CPU s, indent=2 | peak RSS MB |",
        "|---:|---|---:|---:|---:|",
    ]
    seen: set[tuple[int, str]] = set()
    for row in result["rows"]:
        key = (row["size"], row["format"])
        if key in seen or row["baseline_cpu_s"] is None:
            continue
        seen.add(key)
        lines.append(
            f"| {row['size']} | {row['format']} | {_fmt(row['baseline_noindent_cpu_s'])} | "
            f"{_fmt(row['baseline_cpu_s'])} | {_fmt(row['baseline_rss_mb'], 0)} |"
        )
    grown = result.get("growth")
    if grown:
        lines += [
            "",
            "CPU at 20,000 ops / CPU at 5,000 ops (JSON): "
            + ", ".join(f"{name} {value:.2f}" for name, value in grown.items())
            + " (a tool that grows faster than the baselines shows here and in its 20,000-ops "
            "ratio).",
        ]
    lines += ["", "| target | limit | measured | result |", "|---|---:|---:|---|"]
    for t in result["targets"]:
        lines.append(
            f"| {t['description']} | ≤ {t['limit']} | {_fmt(t['value'])} | {t['status']} |"
        )
    lines += docs_section(result["rows"])
    if result.get("browser"):
        lines += docs_browser.markdown(result["browser"])
    stage_rows = [r for r in result["rows"] if r["stages_ms"]]
    if stage_rows:
        names = list(dict.fromkeys(s for r in stage_rows for s in r["stages_ms"]))
        lines += [
            "",
            "Stages of `clean --auth both` (median ms, wall clock, from the report's "
            "`timings_ms`; the rest of the CPU time is start-up, report and writing):",
            "",
            "| ops | format | " + " | ".join(names) + " |",
            "|---:|---|" + "---:|" * len(names),
        ]
        for r in stage_rows:
            cells = " | ".join(_fmt(r["stages_ms"].get(n), 0) for n in names)
            lines.append(f"| {r['size']} | {r['format']} | {cells} |")
    if result["notes"]:
        lines += ["", *[f"- {note}" for note in result["notes"]]]
    return "\n".join(lines) + "\n"


def docs_section(rows: Sequence[dict[str, Any]]) -> list[str]:
    """`docs` and the other documentation generators (`DOCS_PEERS`) side by side."""
    names = ("docs", *DOCS_PEERS)
    picked = [r for r in rows if r["tool"] in names and r["format"] == "json"]
    if not picked:
        return []
    lines = [
        "",
        "Documentation generators on the same Swagger 2.0 JSON files (whole process; "
        f"peers: {', '.join(DOCS_PEERS) or 'none measured yet'}):",
        "",
        "| ops | generator | CPU s | x baseline | wall s | peak RSS MB | x baseline RSS |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(picked, key=lambda r: (r["size"], names.index(r["tool"]))):
        lines.append(
            f"| {r['size']} | {r['tool']} | {_fmt(r['cpu_s'])} | {_fmt(r['cpu_ratio'], 1, 'x')} | "
            f"{_fmt(r['wall_s'])} | {_fmt(r['rss_mb'], 0)} | {_fmt(r['rss_ratio'], 1, 'x')} |"
        )
    return lines


def print_summary(result: dict[str, Any]) -> None:
    """The table and the targets on stdout."""
    print()
    print(render_markdown(result))
    for t in result["targets"]:
        print(f"{t['status']:>12}  {t['name']}: {_fmt(t['value'])} (limit {t['limit']})")


# ------------------------------------------------------------------ main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help="operation counts (default 2000,5000,20000)")
    parser.add_argument("--formats", default="json,yaml", help="json (Swagger 2.0), yaml (3.0)")
    parser.add_argument("--tools", default=",".join(ALL_TOOLS), help="comma-separated tools")
    parser.add_argument("--runs", type=int, help="measured runs per tool (default 5)")
    parser.add_argument("--warmup", type=int, help="unmeasured runs first (default 1)")
    parser.add_argument(
        "--external-runs",
        type=int,
        help="runs for openapi-spec-validator and prance, which take minutes at 20,000 "
        "operations (default: as --runs)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 1 run, no warm-up, 2,000 ops and only swaggertools' commands "
        "unless --sizes/--tools say otherwise",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results", help="results folder")
    parser.add_argument("--cache", type=Path, default=generate.DEFAULT_CACHE, help="spec cache")
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S, help="seconds per process")
    parser.add_argument("--swaggertools", help="the swaggertools command (default: installed)")
    parser.add_argument(
        "--browser",
        action="store_true",
        help="also open the docs site (and Redocly's page) of the largest Swagger 2.0 file "
        "in headless Chromium: DOMContentLoaded per page type, page bytes, search time",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 1 if args.runs is None else args.runs
        args.warmup = 0 if args.warmup is None else args.warmup
        args.sizes = args.sizes or "2000"
        if args.tools == ",".join(ALL_TOOLS):
            args.tools = ",".join(SWAGGERTOOLS_TOOLS)
    args.runs = 5 if args.runs is None else args.runs
    args.warmup = 1 if args.warmup is None else args.warmup
    args.sizes = args.sizes or ",".join(map(str, generate.DEFAULT_SIZES))
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    unknown = set(args.tools.split(",")) - set(ALL_TOOLS)
    if unknown:
        parser.error(f"unknown tools: {', '.join(sorted(unknown))} (known: {', '.join(ALL_TOOLS)})")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; exit 0 when every measured target passes, 1 otherwise."""
    args = parse_args(argv)
    swaggertools = args.swaggertools or find_swaggertools()
    known = {**tools(swaggertools), **docs_peer_tools()}
    selected = [known[name] for name in args.tools.split(",")]
    notes: list[str] = []
    peers = [t.name for t in selected if t.name in DOCS_PEERS]
    missing = [name for name in peers if not (NODE_BIN / name).is_file()]
    if missing:
        selected = [t for t in selected if t.name not in missing]
        notes.append(
            f"{', '.join(missing)} not installed (npm ci --prefix benchmarks/node): skipped."
        )
    compiled = byte_compile(swaggertools)
    if compiled:
        notes.append(compiled)
    if any(t.name == "lint" for t in selected) and not command_exists(swaggertools, "lint"):
        selected = [t for t in selected if t.name != "lint"]
        notes.append("`swaggertools lint` does not exist in this version: lint was skipped.")
    if "yaml" in args.formats.split(","):
        notes.append(
            "YAML rows: the baseline is stdlib json over the JSON form of the same document, "
            "so their ratios include the cost of YAML parsing and writing."
        )
    rows: list[Row] = []

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    for size in generate.parse_sizes(args.sizes):
        for fmt in args.formats.split(","):
            files = generate.ensure(size, fmt, args.cache)
            progress(f"{files.spec.name} ({files.spec.stat().st_size / 1e6:.1f} MB)")
            for tool in selected:
                if tool.name in DIFF_TOOLS:
                    continue
                if tool.name in DOCS_PEERS and fmt != "json":
                    continue  # the peers are compared on the Swagger 2.0 JSON files
                runs = args.external_runs if tool.external and args.external_runs else args.runs
                rows.append(
                    bench_tool(
                        tool,
                        files,
                        runs=runs,
                        warmup=args.warmup,
                        timeout=args.timeout,
                        progress=progress,
                    )
                )

    for size in generate.parse_sizes(args.sizes):
        if size < diffpairs.MIN_OPERATIONS:
            continue
        for tool in (t for t in selected if t.name in DIFF_TOOLS):
            files = generate.ensure_pair(size, DIFF_TOOLS[tool.name], args.cache)
            progress(f"{files.spec.name} vs {files.other.name if files.other else ''}")
            rows.append(
                bench_tool(
                    tool,
                    files,
                    runs=args.runs,
                    warmup=args.warmup,
                    timeout=args.timeout,
                    progress=progress,
                )
            )

    browser = None
    if args.browser:
        largest = max(generate.parse_sizes(args.sizes))
        spec = generate.ensure(largest, "json", args.cache).spec
        progress(f"browser: {spec.name}")
        browser = docs_browser.measure(spec, swaggertools, runs=3, all_pages=True)
        if browser is None:
            notes.append("--browser: chromium or playwright missing, not measured.")
    checked = targets(rows) + browser_targets(browser)
    version = subprocess.run(
        [swaggertools, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    result: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "swaggertools": version.removeprefix("swaggertools ") or "unknown",
        "validate_modes": validate_modes(swaggertools),
        "options": {
            "sizes": generate.parse_sizes(args.sizes),
            "formats": args.formats.split(","),
            "tools": [t.name for t in selected],
            "runs": args.runs,
            "external_runs": args.external_runs or args.runs,
            "warmup": args.warmup,
        },
        "rows": [asdict(r) for r in rows],
        "growth": growth(rows),
        "targets": [{**asdict(t), "status": t.status} for t in checked],
        "notes": notes,
        "browser": browser,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "latest.md").write_text(render_markdown(result), encoding="utf-8")
    print_summary(result)
    print(f"\nwrote {args.out / 'latest.json'} and {args.out / 'latest.md'}")
    return 1 if any(t.status == "FAIL" for t in checked) else 0


if __name__ == "__main__":
    sys.exit(main())
