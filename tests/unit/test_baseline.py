"""Unit tests for lint baselines: fingerprints, reading, filtering and writing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from swaggertools.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, SwaggertoolsError, UsageError
from swaggertools.findings.model import LOAD_ERROR
from swaggertools.lint.baseline import BASELINE_FORMAT, Baseline, fingerprint, write_baseline
from swaggertools.lint.engine import LintOptions, lint
from swaggertools.model import Finding, Severity

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
OK = {"description": "OK"}

SPEC: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/a": {"get": {"responses": {"200": OK}}},
        "/b": {"get": {"operationId": "B", "responses": {"200": OK}}},
    },
    "definitions": {"Spare": {"type": "object"}},
}


def write_spec(path: Path, doc: dict[str, Any] = SPEC) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


def accept(specs: list[Path], baseline: Path, **options: Any) -> None:
    lint(specs, LintOptions(baseline=str(baseline), write_baseline=True, **options))


def check(specs: list[Path], baseline: Path, **options: Any) -> Any:
    return lint(specs, LintOptions(baseline=str(baseline), **options))


# ---------------------------------------------------------------- fingerprints


def test_fingerprint_ignores_location_and_file_but_not_rule_pointer_message() -> None:
    base = Finding("untagged-operation", Severity.WARNING, "A has no tag", "a.json", "#/p", 3, 5)
    moved = Finding("untagged-operation", Severity.WARNING, "A has no tag", "b.json", "#/p", 9, 1)
    assert fingerprint(base) == fingerprint(moved)
    assert len(fingerprint(base)) == 32
    others = [
        Finding("missing-operation-id", Severity.WARNING, "A has no tag", "a.json", "#/p", 3, 5),
        Finding("untagged-operation", Severity.WARNING, "B has no tag", "a.json", "#/p", 3, 5),
        Finding("untagged-operation", Severity.WARNING, "A has no tag", "a.json", "#/q", 3, 5),
        Finding("untagged-operation", Severity.WARNING, "A has no tag", "a.json", None, 3, 5),
    ]
    assert len({fingerprint(f) for f in [base, *others]}) == 5


# ---------------------------------------------------------------- round trip


def test_round_trip_hides_every_finding(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "api" / "mes.json")
    baseline = tmp_path / "lint-baseline.json"
    before = lint([spec], LintOptions(fail_on="warning"))
    count = len(before.findings())
    assert count >= 4
    assert before.exit_code == EXIT_FINDINGS

    accept([spec], baseline)
    after = check([spec], baseline, fail_on="warning")
    assert after.findings() == []
    assert after.files[0].suppressed == count
    assert after.exit_code == EXIT_OK


def test_round_trip_on_both_fixtures(tmp_path: Path) -> None:
    specs = [
        Path(shutil.copy(FIXTURES / "mes-swagger.json", tmp_path / "mes-swagger.json")),
        Path(shutil.copy(FIXTURES / "mes-openapi.yaml", tmp_path / "mes-openapi.yaml")),
    ]
    baseline = tmp_path / "baseline.json"
    before = lint(specs)
    assert before.exit_code == EXIT_FINDINGS
    accept(specs, baseline)
    after = check(specs, baseline)
    assert after.exit_code == EXIT_OK
    assert after.findings() == []
    assert [r.suppressed for r in after.files] == [len(r.findings) for r in before.files]
    assert all(r.suppressed >= 42 for r in after.files)


def test_new_finding_still_shows(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "mes.json")
    baseline = tmp_path / "baseline.json"
    accept([spec], baseline)
    accepted = json.loads(baseline.read_text(encoding="utf-8"))["files"]["mes.json"]

    changed = json.loads(json.dumps(SPEC))
    changed["paths"]["/c"] = {"get": {"operationId": "B", "tags": ["x"], "responses": {"200": OK}}}
    write_spec(spec, changed)
    run = check([spec], baseline)
    assert [(f.rule, f.pointer, f.message) for f in run.findings()] == [
        (
            "duplicate-operation-id",
            "#/paths/~1c/get/operationId",
            "operationId 'B' is also used by GET /b",
        )
    ]
    assert run.files[0].suppressed == len(accepted)
    assert run.exit_code == EXIT_FINDINGS


def test_duplicated_finding_beyond_the_baseline_count_shows(tmp_path: Path) -> None:
    finding = Finding("invalid-spec", Severity.ERROR, "bad value", "s.json", "#/paths", 4, 3)
    other = Finding("untagged-operation", Severity.WARNING, "A has no tag", "s.json", "#/a", 9, 1)
    baseline = tmp_path / "baseline.json"
    write_baseline(baseline, [(str(tmp_path / "s.json"), [finding, finding, other])])
    entries = json.loads(baseline.read_text(encoding="utf-8"))["files"]["s.json"]
    assert [e["fingerprint"] for e in entries].count(fingerprint(finding)) == 2

    loaded = Baseline.read(baseline)
    kept, hidden = loaded.filter(str(tmp_path / "s.json"), [finding, finding, finding, other])
    assert (kept, hidden) == ([finding], 3)
    kept, hidden = loaded.filter(str(tmp_path / "s.json"), [finding])
    assert (kept, hidden) == ([], 1)


def test_fingerprints_stable_when_lines_shift(tmp_path: Path) -> None:
    json_spec = write_spec(tmp_path / "mes.json")
    yaml_spec = Path(shutil.copy(FIXTURES / "mes-openapi.yaml", tmp_path / "mes-openapi.yaml"))
    baseline = tmp_path / "baseline.json"
    before = lint([json_spec, yaml_spec])
    accept([json_spec, yaml_spec], baseline)

    json_spec.write_text("\n\n\n\n\n" + json_spec.read_text(encoding="utf-8"), encoding="utf-8")
    yaml_text = yaml_spec.read_text(encoding="utf-8")
    yaml_spec.write_text("# shifted\n" * 7 + yaml_text, encoding="utf-8")
    shifted = lint([json_spec, yaml_spec])
    # The lines did move …
    old_lines = [f.line for f in before.findings() if f.line is not None]
    new_lines = [f.line for f in shifted.findings() if f.line is not None]
    assert len(old_lines) == len(new_lines)
    assert all(new > old for old, new in zip(old_lines, new_lines, strict=True))
    # … and the baseline still accepts every finding.
    after = check([json_spec, yaml_spec], baseline)
    assert after.findings() == []
    assert [r.suppressed for r in after.files] == [len(r.findings) for r in before.files]


# ---------------------------------------------------------------- paths


def test_paths_relative_to_the_baseline_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = write_spec(tmp_path / "api" / "v1" / "mes.json")
    baseline = tmp_path / "ci" / "lint-baseline.json"
    monkeypatch.chdir(tmp_path)
    accept([Path("api/v1/mes.json")], Path("ci/lint-baseline.json"))
    doc = json.loads(baseline.read_text(encoding="utf-8"))
    assert list(doc["files"]) == ["../api/v1/mes.json"]

    # The same file named from another working directory, absolutely or relatively.
    monkeypatch.chdir(tmp_path / "api")
    for name in (str(spec), "v1/mes.json"):
        run = check([Path(name)], baseline)
        assert run.findings() == [], name
        assert run.files[0].suppressed == len(doc["files"]["../api/v1/mes.json"])


def test_baseline_entries_are_per_file(tmp_path: Path) -> None:
    first = write_spec(tmp_path / "a.json")
    second = write_spec(tmp_path / "b.json")
    baseline = tmp_path / "baseline.json"
    accept([first], baseline)
    run = check([first, second], baseline)
    assert run.files[0].findings == []
    assert run.files[1].suppressed == 0
    assert len(run.files[1].findings) == run.files[0].suppressed


# ---------------------------------------------------------------- bad baselines


@pytest.mark.parametrize(
    "content",
    [
        json.dumps(SPEC),
        '{"baseline_format": 2, "files": {}}',
        '{"baseline_format": 1, "files": []}',
        "[1, 2]",
        "just some text\n",
    ],
    ids=["spec", "future-format", "files-not-mapping", "list", "text"],
)
def test_not_a_baseline_is_a_usage_error_naming_the_file(tmp_path: Path, content: str) -> None:
    path = tmp_path / "not-a-baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        Baseline.read(path)
    assert caught.value.file == str(path)
    assert "not a swaggertools baseline" in caught.value.message
    assert str(path) in caught.value.one_line()


def test_unparsable_baseline_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"baseline_format": 1,\n "files": {', encoding="utf-8")
    with pytest.raises(SwaggertoolsError) as caught:
        Baseline.read(path)
    assert caught.value.file == str(path)
    assert caught.value.line == 2


def test_missing_baseline_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "baseline.json"
    with pytest.raises(UsageError) as caught:
        Baseline.read(path)
    assert caught.value.file == str(path)
    assert "baseline file not found" in caught.value.message
    assert "--write-baseline" in caught.value.message
    spec = write_spec(tmp_path / "mes.json")
    with pytest.raises(UsageError, match="baseline file not found"):
        check([spec], path)


def test_write_baseline_needs_a_file(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "mes.json")
    with pytest.raises(UsageError, match="--write-baseline needs --baseline"):
        lint([spec], LintOptions(write_baseline=True))


# ---------------------------------------------------------------- load errors


def test_load_errors_are_never_baselined(tmp_path: Path) -> None:
    good = write_spec(tmp_path / "good.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"swagger": "2.0",', encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    written = lint([good, bad], LintOptions(baseline=str(baseline), write_baseline=True))
    assert written.exit_code == EXIT_ERROR
    doc = json.loads(baseline.read_text(encoding="utf-8"))
    assert doc["files"]["bad.json"] == []
    assert all(e["rule"] != LOAD_ERROR for entries in doc["files"].values() for e in entries)

    run = check([good, bad], baseline)
    assert run.exit_code == EXIT_ERROR
    assert [f.rule for f in run.files[1].findings] == [LOAD_ERROR]
    assert run.files[1].suppressed == 0

    # Even a hand-made baseline that lists a load error's fingerprint does not hide it.
    error = run.files[1].findings[0]
    write_baseline(baseline, [])
    doc = json.loads(baseline.read_text(encoding="utf-8"))
    doc["files"]["bad.json"] = [{"fingerprint": fingerprint(error)}]
    baseline.write_text(json.dumps(doc), encoding="utf-8")
    again = check([bad], baseline)
    assert [f.rule for f in again.findings()] == [LOAD_ERROR]
    assert again.exit_code == EXIT_ERROR


# ---------------------------------------------------------------- writing


def test_written_baseline_content(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "mes.json")
    baseline = tmp_path / "baseline.json"
    run = lint([spec])
    accept([spec], baseline)
    doc = json.loads(baseline.read_text(encoding="utf-8"))
    assert doc["baseline_format"] == BASELINE_FORMAT
    assert doc["tool"] == "swaggertools"
    entries = doc["files"]["mes.json"]
    assert len(entries) == len(run.findings())
    for entry, finding in zip(
        entries,
        sorted(run.findings(), key=lambda f: (f.rule, f.pointer or "", f.message)),
        strict=True,
    ):
        assert entry == {
            "rule": finding.rule,
            "pointer": finding.pointer,
            "message": finding.message,
            "fingerprint": fingerprint(finding),
        }
    # No line numbers: they would make every edit above a finding look like a new finding.
    assert all(set(entry) == {"rule", "pointer", "message", "fingerprint"} for entry in entries)


def test_output_is_deterministic_and_sorted(tmp_path: Path) -> None:
    a = write_spec(tmp_path / "a.json")
    z = write_spec(tmp_path / "sub" / "z.json")
    m = write_spec(tmp_path / "m.json")
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    accept([z, m, a], first)
    accept([a, z, m], second)
    assert first.read_bytes() == second.read_bytes()
    accept([z, m, a], second)
    assert first.read_bytes() == second.read_bytes()

    data = first.read_bytes()
    assert data.endswith(b"\n")
    assert b"\r" not in data
    doc = json.loads(data)
    assert list(doc["files"]) == ["a.json", "m.json", "sub/z.json"]
    for entries in doc["files"].values():
        keys = [(e["rule"], e["pointer"] or "", e["message"]) for e in entries]
        assert keys == sorted(keys)


def test_written_atomically_no_temp_files(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "api" / "mes.json")
    folder = tmp_path / "ci"
    baseline = folder / "baseline.json"
    accept([spec], baseline)  # creates the folder
    accept([spec], baseline)  # replaces the file
    assert sorted(os.listdir(folder)) == ["baseline.json"]

    # A target that cannot be written leaves no temporary file behind either.
    blocked = folder / "dir.json"
    blocked.mkdir()
    with pytest.raises(SwaggertoolsError):
        accept([spec], blocked)
    assert sorted(os.listdir(folder)) == ["baseline.json", "dir.json"]
    assert os.listdir(blocked) == []


def test_write_baseline_does_not_filter_and_keeps_the_exit_code(tmp_path: Path) -> None:
    spec = write_spec(tmp_path / "mes.json")
    baseline = tmp_path / "baseline.json"
    accept([spec], baseline)
    run = lint([spec], LintOptions(baseline=str(baseline), write_baseline=True))
    assert run.files[0].suppressed == 0
    assert run.findings() == lint([spec]).findings()
