"""`clean` on both bundled samples writes what it wrote before the layout change, byte for byte.

Golden files (tests/clean_golden/) hold, per sample, the terminal output and the JSON and
Markdown reports of `swaggertools clean SAMPLE --authority URL -d out`. The reports carry
the sha256 of every spec written, so they pin the outputs too. Only the timings differ
between two runs: they are set to 0 in both the golden files and the run before comparing.
The lint formats have their own golden files (tests/lint_golden/, test_lint_cli.py).
Set `SWAGGERTOOLS_UPDATE_GOLDEN=1` to rewrite them (then read the diff).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import RunCli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "clean_golden"
AUTHORITY = "https://aim.example.test/identitymanager"
UPDATE = os.environ.get("SWAGGERTOOLS_UPDATE_GOLDEN") == "1"
# the last table of the Markdown report: its one row holds the timings
_MD_TIMINGS = re.compile(r"(## Timings \(ms\)\n\n[^\n]*\n[^\n]*\n)([^\n]*)\n\Z")


def _without_timings_json(text: str) -> str:
    report = json.loads(text)
    assert report["timings_ms"], "the report has timings"
    zeroed = {stage: 0.0 for stage in report["timings_ms"]}
    # the report is written with indent 2 and these keys last: replace the block in place
    block = json.dumps({"timings_ms": report["timings_ms"]}, indent=2)[2:-2]
    new = json.dumps({"timings_ms": zeroed}, indent=2)[2:-2]
    assert block in text
    return text.replace(block, new)


def _without_timings_md(text: str) -> str:
    match = _MD_TIMINGS.search(text)
    assert match, "the Markdown report ends with its timings"
    cells = match.group(2).strip("|").split("|")
    return text[: match.start(2)] + "|" + "|".join(" 0 " for _ in cells) + "|\n"


def _check(actual: str, golden: Path) -> None:
    if UPDATE:
        golden.write_text(actual, encoding="utf-8", newline="")
    assert actual == golden.read_text(encoding="utf-8"), f"differs from {golden}"


@pytest.mark.parametrize("sample", ["mes-swagger.json", "mes-openapi.yaml"])
def test_clean_writes_the_golden_outputs(run_cli: RunCli, tmp_path: Path, sample: str) -> None:
    shutil.copyfile(FIXTURES / sample, tmp_path / sample)
    proc = run_cli("clean", sample, "--authority", AUTHORITY, "-d", "out")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    stem = sample.rsplit(".", 1)[0]
    out = tmp_path / "out"
    written = sorted(p.name for p in out.iterdir())
    suffix = "." + sample.rsplit(".", 1)[1]
    assert written == sorted(
        [
            f"{stem}.report.json",
            f"{stem}.report.md",
            *(f"{stem}.{v}{suffix}" for v in ("service", "user")),
        ]
    )
    report_json = (out / f"{stem}.report.json").read_text(encoding="utf-8")
    report = json.loads(report_json)
    # the reports pin the spec files: their sha256 are in `outputs`
    for record in report["outputs"]:
        data = (tmp_path / record["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == record["sha256"]
    _check(proc.stdout, GOLDEN / f"{sample}.stdout")
    _check(_without_timings_json(report_json), GOLDEN / f"{stem}.report.json")
    md = (out / f"{stem}.report.md").read_text(encoding="utf-8")
    _check(_without_timings_md(md), GOLDEN / f"{stem}.report.md")
