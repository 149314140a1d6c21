"""Data-driven end-to-end cases: one folder per case under `tests/cases/`.

A case folder holds:

- `input.json`, `input.yaml` or `input.yml`: the spec to clean (bytes as committed);
- `rules.yaml` (optional): passed as `--rules rules.yaml`; without it the shipped rule set
  applies;
- `case.yaml`: `description`, `args` (extra CLI arguments), `exit_code`, optional
  `stderr_contains` (for failing runs) and `expect_report` (see `REPORT_VIEWS`);
- `expected/`: the exact spec files the run writes (byte for byte). No `expected/` folder
  means the run writes no spec file.

The runner copies the input (and rules) into a temporary folder and runs the installed
command there: `swaggertools clean <input> --output-dir out --quiet [--rules rules.yaml]
<args>`. Set `SWAGGERTOOLS_UPDATE_GOLDEN=1` to rewrite the `expected/` folders from the
current output (then read the diff: golden files must be right, not merely current).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openapi_spec_validator
import pytest
import yaml
from typer.testing import CliRunner

from swaggertools.cli import app

CASES = Path(__file__).parent / "cases"
UPDATE_GOLDEN = os.environ.get("SWAGGERTOOLS_UPDATE_GOLDEN") == "1"
REPORT_SUFFIXES = (".report.json", ".report.md")
CASE_KEYS = {"description", "args", "exit_code", "stderr_contains", "expect_report"}


def _op_label(op: dict[str, Any]) -> str:
    return op["operationId"] or f"{op['method']} {op['path']}"


def _pruned(record: dict[str, Any]) -> list[str]:
    """[pointer, cause], plus the name when the pointer does not end with it (tags)."""
    item = [record["pointer"], record["cause"]]
    if record["name"] and not record["pointer"].endswith("/" + record["name"]):
        item.append(record["name"])
    return item


def _unique(values: list[Any]) -> list[Any]:
    return list(dict.fromkeys(values))


# expect_report key -> how to read that view from the JSON report.
REPORT_VIEWS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "removed_operation_ids": lambda r: [_op_label(o) for o in r["removed_operations"]],
    "strategies": lambda r: _unique([o["strategy"] for o in r["removed_operations"]]),
    "removed_paths": lambda r: r["removed_paths"],
    "unmatched_rules": lambda r: [u["target"] for u in r["unmatched_rules"]],
    "ambiguous_rules": lambda r: [
        {
            "target": a["target"],
            "strategy": a["strategy"],
            "candidates": [_op_label(c) for c in a["candidates"]],
            "removed": a["removed"],
        }
        for a in r["ambiguous_rules"]
    ],
    "pruned": lambda r: [_pruned(p) for p in r["pruned"]],
    "security": lambda r: [
        {k: v for k, v in variant.items() if k != "file"} for variant in r["security"]["variants"]
    ],
    "outputs_valid": lambda r: r["summary"]["outputs_valid"],
    "input_valid": lambda r: r["summary"]["input_valid"],
    "findings": lambda r: [[f["severity"], f["rule"]] for f in r["findings"]],
}
# expect_report keys compared as a subset of the report's dict of the same name.
SUBSET_VIEWS = ("input", "options", "summary")


def _case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "case.yaml").is_file())


def _load_case(case: Path) -> dict[str, Any]:
    meta = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(meta, dict), f"{case.name}/case.yaml must be a mapping"
    unknown = set(meta) - CASE_KEYS
    assert not unknown, f"{case.name}/case.yaml: unknown keys {sorted(unknown)}"
    known = set(REPORT_VIEWS) | set(SUBSET_VIEWS)
    unknown = set(meta.get("expect_report") or {}) - known
    assert not unknown, f"{case.name}/case.yaml: unknown expect_report keys {sorted(unknown)}"
    assert isinstance(meta.get("exit_code"), int), f"{case.name}: exit_code is required"
    return meta


def _input_of(case: Path) -> Path:
    inputs = [p for p in case.iterdir() if p.is_file() and p.stem == "input"]
    assert len(inputs) == 1, f"{case.name}: expected exactly one input.* file, found {inputs}"
    return inputs[0]


def _diff(name: str, actual: bytes, expected: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        actual.decode("utf-8", "replace").splitlines(),
        f"expected/{name}",
        f"actual/{name}",
        lineterm="",
    )
    return "\n".join(list(lines)[:80])


def _update_golden(case: Path, specs: dict[str, bytes]) -> None:
    folder = case / "expected"
    if folder.exists():
        shutil.rmtree(folder)
    if specs:
        folder.mkdir()
        for name, data in specs.items():
            (folder / name).write_bytes(data)


def _parse(name: str, data: bytes) -> Any:
    if name.endswith(".json"):
        return json.loads(data)
    return yaml.safe_load(data)


def _check_report(case: Path, meta: dict[str, Any], report: dict[str, Any]) -> None:
    expect = meta.get("expect_report") or {}
    for key, wanted in expect.items():
        if key in SUBSET_VIEWS:
            actual = {k: report[key].get(k, "<missing>") for k in wanted}
        else:
            actual = REPORT_VIEWS[key](report)
        assert actual == wanted, f"{case.name}: report {key}: {actual!r} != {wanted!r}"


def _check_idempotent(out: Path, spec_names: list[str], args: list[str], tmp: Path) -> None:
    """`clean --auth none` with the same rules and options on an output changes nothing."""
    runner = CliRunner()
    for name in spec_names:
        again = tmp / f"again-{name}"
        result = runner.invoke(
            app,
            [
                "clean",
                str(out / name),
                "--output-dir",
                str(again),
                "--quiet",
                *args,
                "--auth",
                "none",
            ],
        )
        assert result.exit_code in (0, 1), (name, result.output, result.exception)
        written = [p for p in again.iterdir() if not p.name.endswith(REPORT_SUFFIXES)]
        assert len(written) == 1, written
        assert written[0].read_bytes() == (out / name).read_bytes(), (
            f"clean is not idempotent on {name}:\n"
            + _diff(name, written[0].read_bytes(), (out / name).read_bytes())
        )


@pytest.mark.parametrize("case", _case_dirs(), ids=lambda p: p.name)
def test_case(case: Path, tmp_path: Path, run_cli: Callable[..., Any]) -> None:
    meta = _load_case(case)
    source = _input_of(case)
    work = tmp_path / "work"
    work.mkdir()
    shutil.copyfile(source, work / source.name)
    extra: list[str] = []
    if (case / "rules.yaml").is_file():
        shutil.copyfile(case / "rules.yaml", work / "rules.yaml")
        extra = ["--rules", "rules.yaml"]
    args = [str(a) for a in meta.get("args") or []]

    proc = run_cli("clean", source.name, "--output-dir", "out", "--quiet", *extra, *args, cwd=work)

    assert proc.returncode == meta["exit_code"], (proc.returncode, proc.stdout, proc.stderr)
    assert (work / source.name).read_bytes() == source.read_bytes(), "the input was modified"
    out = work / "out"
    produced = {p.name: p.read_bytes() for p in sorted(out.iterdir())} if out.is_dir() else {}
    specs = {n: b for n, b in produced.items() if not n.endswith(REPORT_SUFFIXES)}

    if meta.get("stderr_contains"):
        assert meta["stderr_contains"] in proc.stderr, proc.stderr
    if meta["exit_code"] == 2:
        lines = proc.stderr.splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith("swaggertools: error: "), proc.stderr
        assert produced == {}, f"a failing run wrote {sorted(produced)}"

    if UPDATE_GOLDEN:
        _update_golden(case, specs)
    expected_dir = case / "expected"
    expected = (
        {p.name: p.read_bytes() for p in sorted(expected_dir.iterdir())}
        if expected_dir.is_dir()
        else {}
    )
    assert sorted(specs) == sorted(expected), "output files differ from expected/"
    for name, data in specs.items():
        assert data == expected[name], f"{case.name}: {name} differs:\n" + _diff(
            name, data, expected[name]
        )

    if meta["exit_code"] == 2:
        return
    report_path = out / f"{source.stem}.report.json"
    if not specs:  # an output did not validate: nothing at all is written
        assert produced == {}, sorted(produced)
        assert not meta.get("expect_report"), "no report is written when nothing is written"
        return
    report = json.loads(report_path.read_bytes())
    assert report["summary"]["exit_code"] == proc.returncode
    listed = {Path(o["path"]).name: o["sha256"] for o in report["outputs"]}
    assert listed == {n: hashlib.sha256(b).hexdigest() for n, b in specs.items()}
    _check_report(case, meta, report)
    for name, data in specs.items():  # an independent check of the validity claim
        openapi_spec_validator.validate(_parse(name, data))
    rules = ["--rules", str(work / "rules.yaml")] if extra else []
    _check_idempotent(out, sorted(specs), [*rules, *args], tmp_path)
