"""The diff against generated MES release pairs whose planted changes are the oracle."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from swaggertools.diff.engine import DiffOptions, diff

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import diffpairs


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("pair")
    old, new, oracle = diffpairs.release_pair(diffpairs.MIN_OPERATIONS)
    (folder / "old.json").write_text(diffpairs.dump(old), encoding="utf-8")
    (folder / "new.json").write_text(diffpairs.dump(new), encoding="utf-8")
    (folder / "old3.json").write_text(diffpairs.dump(diffpairs.to_openapi3(old)), encoding="utf-8")
    (folder / "new3.yaml").write_text(
        yaml.safe_dump(diffpairs.to_openapi3(new), sort_keys=False), encoding="utf-8"
    )
    (folder / "extra.yaml").write_text(yaml.safe_dump(diffpairs.extra_rules(old)), "utf-8")
    return {"dir": folder, "oracle": oracle, "old": old}


def _found(result: Any) -> Counter[tuple[str, frozenset[str]]]:
    return Counter((c.id, frozenset(op.label() for op in c.operations)) for c in result.changes)


def _options(pair: dict[str, Any]) -> DiffOptions:
    return DiffOptions(rules=("mes-model-driven-7.0", str(pair["dir"] / "extra.yaml")))


def test_finds_exactly_the_planted_changes(pair: dict[str, Any]) -> None:
    d = pair["dir"]
    result = diff(d / "old.json", d / "new.json", _options(pair))
    assert _found(result) == pair["oracle"]
    assert result.exit_code == 1


def test_every_kind_but_a_few_is_planted(pair: dict[str, Any]) -> None:
    from swaggertools.diff.kinds import KINDS

    planted = {change_id for change_id, _ in pair["oracle"]}
    not_planted = set(KINDS) - planted
    # covered by the unit tests of each kind instead (tests/unit/test_diff_kinds.py)
    assert not_planted <= {
        "duplicate-operation-key",
        "request-body-removed",
        "response-content-type-removed",
        "security-scheme-removed",
        "security-scheme-changed",
        "security-scope-removed",
        "server-host-changed",
        "parameter-added-optional",
    }


def test_2_0_against_its_own_3_0_conversion_is_no_change(pair: dict[str, Any]) -> None:
    d = pair["dir"]
    result = diff(d / "old.json", d / "old3.json", _options(pair))
    assert result.changes == []
    assert result.renamed == []
    assert result.added == []
    assert result.removed == []
    assert all(r.status in ("unchanged", "unmatched") for r in result.rules)


def test_the_same_changes_when_new_moved_to_3_0(pair: dict[str, Any]) -> None:
    d = pair["dir"]
    result = diff(d / "old.json", d / "new3.yaml", _options(pair))
    assert _found(result) == pair["oracle"]


def test_a_shared_schema_change_is_reported_once(pair: dict[str, Any]) -> None:
    d = pair["dir"]
    result = diff(d / "old.json", d / "new.json", _options(pair))
    shared = [
        c for c in result.changes if c.old_pointer == "#/definitions/ErrorInfo/properties/details"
    ]
    assert len(shared) == 1
    assert len(shared[0].operations) > 400
    # compared once per schema pair, not once per operation
    assert result.stats["schema_pairs_compared"] < 4 * result.stats["pairs"]


def test_renames_say_which_layer_matched(pair: dict[str, Any]) -> None:
    d = pair["dir"]
    result = diff(d / "old.json", d / "new.json", _options(pair))
    by = {(p.new.ref.path.split("/")[-1], p.by) for p in result.renamed}
    assert any(p.endswith("Class0000.GetByKey") and b == "mes-method" for p, b in by)
    assert ("Delete", "operationId") in by
    assert ("DeleteAll", "path") in by


def test_rule_drift_statuses(pair: dict[str, Any]) -> None:
    d = pair["dir"]
    result = diff(d / "old.json", d / "new.json", _options(pair))
    statuses = {r.target: r for r in result.rules if r.status != "unchanged"}
    escaped = next(r for r in statuses.values() if r.status == "escaped")
    assert [op.operation_id for op in escaped.operations] == ["class0011List"]
    more = next(r for r in statuses.values() if r.status == "matches-more")
    assert [op.path.split("/")[-1] for op in more.operations] == ["Copy"]
    fewer = next(r for r in statuses.values() if r.status == "matches-fewer")
    assert [op.path.split("/")[-1] for op in fewer.operations] == ["DeleteAll"]
    gone = statuses["method FactMES.API.Core.AttrSet.Update"]
    assert gone.status == "unmatched-now"
