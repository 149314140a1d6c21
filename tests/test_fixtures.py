"""The sample MES specs in `fixtures/`: cleaning them matches the generator's oracles.

`fixtures/generate.py` builds `mes-swagger.json` (Swagger 2.0, operationIds such as
`Core_AttrSet_Add`) and `mes-openapi.yaml` (OpenAPI 3.0, `x-mes-method` extensions) and,
from its own construction tables, what cleaning them with the shipped rules must remove,
prune and keep (`*.expected.json`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openapi_spec_validator
import pytest
import yaml

from swaggertools.pointer import resolve, split

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
AUTHORITY = "https://aim.example.test/identitymanager"
# fixture file -> (oracle, spec version given to the generator, identification strategy)
SPECS: dict[str, tuple[str, str, str]] = {
    "mes-swagger.json": ("mes-swagger.expected.json", "2.0", "operationId"),
    "mes-openapi.yaml": ("mes-openapi.expected.json", "3.0", "extension"),
}


@dataclass
class Cleaned:
    """One `clean` run of a fixture: the process, its report, outputs and the oracle."""

    name: str
    proc: subprocess.CompletedProcess[str]
    report: dict[str, Any]
    outputs: dict[str, Any]
    oracle: dict[str, Any]
    strategy: str
    out: Path


def _parse(path: Path) -> Any:
    data = path.read_bytes()
    return json.loads(data) if path.suffix == ".json" else yaml.safe_load(data)


@pytest.fixture(scope="module", params=sorted(SPECS))
def cleaned(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    swaggertools_cli: str,
) -> Cleaned:
    name: str = request.param
    oracle_name, _, strategy = SPECS[name]
    source = FIXTURES / name
    assert source.is_file(), f"missing fixture {source}: run python fixtures/generate.py"
    work = tmp_path_factory.mktemp("fixture")
    proc = subprocess.run(
        [swaggertools_cli, "clean", str(source), "--authority", AUTHORITY, "-d", "out", "-q"],
        cwd=work,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    stem = source.name.rsplit(".", 1)[0]
    out = work / "out"
    report_path = out / f"{stem}.report.json"
    report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    outputs = {
        variant: _parse(out / f"{stem}.{variant}{source.suffix}") for variant in ("user", "service")
    }
    oracle = json.loads((FIXTURES / oracle_name).read_text(encoding="utf-8"))
    return Cleaned(name, proc, report, outputs, oracle, strategy, out)


def test_clean_succeeds(cleaned: Cleaned) -> None:
    proc = cleaned.proc
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert cleaned.report["summary"]["result"] == "ok"


def test_removed_operations_match_oracle(cleaned: Cleaned) -> None:
    removed = cleaned.report["removed_operations"]
    assert sorted(op["operationId"] for op in removed) == cleaned.oracle["removed_operation_ids"]
    assert sorted(cleaned.report["removed_paths"]) == cleaned.oracle["removed_paths"]
    for doc in cleaned.outputs.values():
        for path in cleaned.oracle["removed_paths"]:
            assert path not in doc["paths"]
        ids = {
            op.get("operationId")
            for item in doc["paths"].values()
            for op in item.values()
            if isinstance(op, dict)
        }
        assert not ids & set(cleaned.oracle["removed_operation_ids"])


def test_every_shipped_rule_matched_by_the_expected_strategy(cleaned: Cleaned) -> None:
    report = cleaned.report
    assert report["unmatched_rules"] == []
    assert report["ambiguous_rules"] == []
    assert {rule["status"] for rule in report["rules"]} == {"matched"}
    assert len(report["rules"]) == report["rule_sets"][0]["rules"] == 42
    assert {op["strategy"] for op in report["removed_operations"]} == {cleaned.strategy}


def test_pruned_components_match_oracle(cleaned: Cleaned) -> None:
    pruned = cleaned.report["pruned"]

    def pointers(cause: str) -> list[str]:
        return sorted(p["pointer"] for p in pruned if p["cause"] == cause and p["kind"] != "tags")

    assert pointers("orphaned-by-removal") == cleaned.oracle["pruned_orphaned_by_removal"]
    assert pointers("already-unused") == cleaned.oracle["pruned_already_unused"]
    assert (
        sorted(p["name"] for p in pruned if p["kind"] == "tags") == cleaned.oracle["removed_tags"]
    )
    assert {p["cause"] for p in pruned if p["kind"] == "tags"} == {"orphaned-by-removal"}
    # Nothing else was pruned (no security scheme existed in the input).
    other = [p for p in pruned if p["cause"] not in ("orphaned-by-removal", "already-unused")]
    assert other == []
    gone = [*cleaned.oracle["pruned_orphaned_by_removal"], *cleaned.oracle["pruned_already_unused"]]
    for doc in cleaned.outputs.values():
        for pointer in gone:
            assert not resolve(doc, split(pointer))[0], pointer
        tags = {t["name"] for t in doc.get("tags", [])}
        assert not tags & set(cleaned.oracle["removed_tags"])


def test_shared_components_are_kept(cleaned: Cleaned) -> None:
    assert cleaned.oracle["kept_shared"]
    for doc in cleaned.outputs.values():
        for pointer in cleaned.oracle["kept_shared"]:
            assert resolve(doc, split(pointer))[0], pointer


def test_outputs_are_valid(cleaned: Cleaned) -> None:
    assert cleaned.report["summary"]["outputs_valid"] is True
    for variant, doc in cleaned.outputs.items():
        openapi_spec_validator.validate(doc)  # raises on the first error
        scheme = {"user": "aimUserToken", "service": "aimServiceToken"}[variant]
        assert doc["security"] == [{scheme: []}]
    operations_out = cleaned.report["summary"]["operations_out"]
    assert operations_out == 320 - len(cleaned.oracle["removed_operation_ids"])


def _generate(args: list[str]) -> None:
    subprocess.run(
        [sys.executable, str(FIXTURES / "generate.py"), *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", sorted(SPECS))
def test_generator_is_deterministic(name: str, tmp_path: Path) -> None:
    oracle_name, version, _ = SPECS[name]
    output, oracle = tmp_path / name, tmp_path / oracle_name
    _generate(["--version", version, "--output", str(output), "--expected", str(oracle)])
    for file in (name, oracle_name):
        assert (tmp_path / file).read_bytes() == (FIXTURES / file).read_bytes(), (
            f"fixtures/{file} is not what fixtures/generate.py writes: regenerate it"
        )


def test_cleaning_an_output_again_changes_nothing(
    cleaned: Cleaned, swaggertools_cli: str, tmp_path: Path
) -> None:
    """`clean --auth none` on each cleaned fixture output gives the same bytes back."""
    stem = cleaned.name.rsplit(".", 1)[0]
    suffix = Path(cleaned.name).suffix
    for variant in ("user", "service"):
        first = cleaned.out / f"{stem}.{variant}{suffix}"
        proc = subprocess.run(
            [swaggertools_cli, "clean", str(first), "--auth", "none", "-d", str(tmp_path), "-q"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr
        again = tmp_path / f"{stem}.{variant}.clean{suffix}"
        assert again.read_bytes() == first.read_bytes()
        report = json.loads((tmp_path / f"{stem}.{variant}.report.json").read_text())
        assert report["removed_operations"] == []
        assert report["pruned"] == []
        assert len(report["unmatched_rules"]) == 42
