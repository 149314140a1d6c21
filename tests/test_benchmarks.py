"""Smoke test: `benchmarks/run.py --quick` works end to end on a tiny spec.

Nothing is timed here (timings belong to the benchmark, not to the test suite); this only
proves that the script generates its inputs, runs every command as a process, pairs it
with the baseline and writes its JSON and Markdown results.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZE = 110  # the fixture generator's smallest spec is 105 operations


def test_quick_benchmark_run_writes_results(tmp_path: Path) -> None:
    out, cache = tmp_path / "results", tmp_path / "cache"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "run.py"),
            "--quick",
            "--sizes",
            str(SIZE),
            "--formats",
            "json,yaml",
            "--out",
            str(out),
            "--cache",
            str(cache),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    # no target can be measured at this size, so none can fail
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "NOT MEASURED" in proc.stdout

    result = json.loads((out / "latest.json").read_text(encoding="utf-8"))
    assert result["machine"]["cores"] >= 1
    assert result["options"]["runs"] == 1
    assert result["options"]["warmup"] == 0
    rows = {(r["tool"], r["format"]): r for r in result["rows"]}
    tools = {"clean", "validate"} | ({"lint"} if ("lint", "json") in rows else set())
    assert {t for t, _ in rows} == tools
    for fmt in ("json", "yaml"):
        for tool in tools:
            row = rows[(tool, fmt)]
            assert row["size"] == SIZE
            assert row["runs"] == 1
            assert row["note"] is None, row["note"]
            assert row["cpu_s"] > 0
            assert row["baseline_cpu_s"] > 0
            assert row["rss_mb"] > 0
            assert row["cpu_ratio"] > 0
            assert row["baseline_noindent_cpu_s"] > 0
            assert row["cpu_ratio_noindent"] > 0
        # the clean report's per-stage timings are collected
        assert {"load", "index", "prune", "emit"} <= set(rows[("clean", fmt)]["stages_ms"])
    # 2,000 ops only: none of the targets (5k/20k) is measured, diff's and docs' included (the
    # diff rows need a release pair of at least 500 operations)
    assert [t["name"] for t in result["targets"]][5:] == [
        "diff-cpu-20k",
        "diff-3.0-cpu-20k",
        "diff-rss-20k",
        "diff-scaling-20k-5k",
        "docs-cpu-20k",
        "docs-rss-20k",
        "docs-scaling-20k-5k",
    ]
    assert [t["status"] for t in result["targets"]] == ["NOT MEASURED"] * 12

    markdown = (out / "latest.md").read_text(encoding="utf-8")
    assert markdown.startswith("Measured ")
    assert f"| {SIZE} | json | clean |" in markdown
    assert f"| {SIZE} | yaml | validate |" in markdown
    assert "| target | limit | measured | result |" in markdown
    assert "x baseline, no indent | x baseline, indent=2" in markdown
    # the generated inputs went to the cache given, not into the repository
    assert list(cache.glob("*/mes-swagger-110.json"))
    assert list(cache.glob("*/mes-openapi-110.yaml"))
