"""The six `swaggertools lint` output formats, rendered from hand-made LintRun records."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from swaggertools.findings import github, junit, markdown, sarif
from swaggertools.findings.model import CheckInfo, FileResult, LintRun
from swaggertools.lint.formats import FORMATS, json_, render, text
from swaggertools.lint.model import LINT_FORMATS
from swaggertools.model import Finding, Severity
from tests.conftest import pyproject

SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
LINT_SCHEMA = Path(__file__).resolve().parents[2] / "swaggertools/schemas/lint.schema.json"
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
JUNIT_XSD_SHA256 = "a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6"

SPEC = "api/mes swagger.json"
CLEAN = "api/clean.yaml"
BROKEN = "broken.json"
UNICODE = "spécs/Überblick.yaml"
HELP = "https://example.invalid/checks.md"
HOMEPAGE = pyproject()["project"]["urls"]["Homepage"]

CHECKS = [
    CheckInfo(
        "missing-security",
        Severity.WARNING,
        "An operation has no security requirement.",
        "An operation that no security requirement covers.\n\nFailing::\n\n    get: {}\n\n"
        "Passing: a security requirement.",
        f"{HELP}#missing-security",
    ),
    CheckInfo(
        "unmatched-rule",
        Severity.WARNING,
        "A rule matched no operation.",
        "A rule of the rule sets matched nothing.",
        f"{HELP}#unmatched-rule",
    ),
    CheckInfo(
        "untagged-operation",
        Severity.INFO,
        "An operation has no tags.",
        "",
        f"{HELP}#untagged-operation",
    ),
]
IDS = tuple(c.id for c in CHECKS)
NASTY = 'a|b `c` <b>x</b> & @octocat *y* [z](u) 100% a:b,c "q"\nsecond\r\nthird \x1b[31mred\x00'


def _spec_findings() -> list[Finding]:
    return [
        Finding("missing-security", Severity.WARNING, "GET /a has no security", SPEC,
                "#/paths/~1a/get", 12, 5),
        Finding("missing-security", Severity.ERROR, NASTY, SPEC, "#/paths/~1a|b/get", None, None),
        Finding("untagged-operation", Severity.INFO, "GET /a has no tags", SPEC,
                "#/paths/~1a/get", 12, None),
        Finding("input-note", Severity.WARNING, "read swagger: 2.0 as \"2.0\"", SPEC,
                "#/swagger", 1, 1),
    ]  # fmt: skip


def make_run(root: Path) -> LintRun:
    """Several files: findings with and without line/column, a clean file, a load error,
    a unicode path and message, and text that needs escaping in every format."""
    load = Finding(
        "load-error", Severity.ERROR, "invalid JSON: Expecting value", BROKEN, None, 3, 1
    )
    uni = Finding("untagged-operation", Severity.INFO, "Vorgang »Prüfen« ✓ 日本", UNICODE,
                  "#/paths/~1prüfen/get", 7, 3)  # fmt: skip
    files = [
        FileResult(SPEC, _spec_findings(), IDS, 2, None, "2.0", 4),
        FileResult(CLEAN, [], IDS, 0, None, "3.0.3", 1),
        FileResult(BROKEN, [load], (), 0, load, None, 0),
        FileResult(UNICODE, [uni], IDS, 0, None, "3.1.0", 1),
    ]
    return LintRun(files, CHECKS, "error", 2, "0.1.0", root)


def empty_run(root: Path) -> LintRun:
    return LintRun([], CHECKS, "warning", 0, "0.1.0", root)


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The run's root, also the working folder (paths are given relative to it)."""
    folder = tmp_path / "repo"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def run(root: Path) -> LintRun:
    return make_run(root)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- every format -------------------------------------------------------------------------


def test_every_format_is_registered() -> None:
    assert tuple(FORMATS) == LINT_FORMATS


@pytest.mark.parametrize("fmt", LINT_FORMATS)
@pytest.mark.parametrize("which", ["full", "empty"])
def test_output_is_deterministic_ends_with_newline_and_has_no_absolute_path(
    fmt: Any, which: str, root: Path
) -> None:
    make = make_run if which == "full" else empty_run
    first = render(make(root), fmt)
    again = render(make(root), fmt)
    assert first == again
    assert first.endswith("\n")
    assert str(root) not in first
    assert root.as_uri() not in first


@pytest.mark.parametrize("fmt", [f for f in LINT_FORMATS if f != "text"])
def test_only_text_uses_color(fmt: Any, run: LintRun) -> None:
    assert render(run, fmt, color=True) == render(run, fmt, color=False)
    assert "\x1b" not in render(run, fmt, color=True)


# --- text ---------------------------------------------------------------------------------


def test_text_groups_by_file_with_locations_and_summary(run: LintRun) -> None:
    assert text.render(run).splitlines() == [
        "api/mes swagger.json:12:5: warning missing-security: GET /a has no security",
        "api/mes swagger.json: #/paths/~1a|b/get: error missing-security: "
        'a|b `c` <b>x</b> & @octocat *y* [z](u) 100% a:b,c "q"\\nsecond\\r\\nthird '
        "\\x1b[31mred\\x00",
        "api/mes swagger.json:12: info untagged-operation: GET /a has no tags",
        'api/mes swagger.json:1:1: warning input-note: read swagger: 2.0 as "2.0"',
        "api/clean.yaml: no findings (3 checks)",
        "broken.json:3:1: error load-error: invalid JSON: Expecting value",
        "spécs/Überblick.yaml:7:3: info untagged-operation: Vorgang »Prüfen« ✓ 日本",
        "",
        "4 files, 2 errors, 2 warnings, 2 info, 2 suppressed (fail-on error: error)",
    ]


def test_text_color_only_adds_escape_codes(run: LintRun) -> None:
    colored = text.render(run, color=True)
    assert "\x1b[1;31merror\x1b[0m" in colored
    assert "\x1b[33mwarning\x1b[0m" in colored
    assert re.sub(r"\x1b\[[0-9;]*m", "", colored) == text.render(run)


def test_text_summary_of_an_empty_passing_run(root: Path) -> None:
    assert text.render(empty_run(root)) == (
        "0 files, 0 errors, 0 warnings, 0 info (fail-on warning: passed)\n"
    )


def test_text_without_line_or_pointer_names_only_the_file(root: Path) -> None:
    finding = Finding("load-error", Severity.ERROR, "unreadable", "x.json")
    result = FileResult("x.json", [finding], (), 0, finding)
    out = text.render(LintRun([result], CHECKS, "never", 2, "0.1.0", root))
    assert out.splitlines()[0] == "x.json: error load-error: unreadable"
    assert out.splitlines()[-1].endswith("(fail-on never: error)")


# --- json ---------------------------------------------------------------------------------


def _lint_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(LINT_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize("which", ["full", "empty"])
def test_json_validates_against_the_published_schema(which: str, root: Path) -> None:
    run = make_run(root) if which == "full" else empty_run(root)
    doc = json.loads(json_.render(run))
    errors = sorted(_lint_validator().iter_errors(doc), key=str)
    assert not errors, [e.message for e in errors]


def test_json_content(run: LintRun) -> None:
    doc = json.loads(json_.render(run))
    assert doc["format_version"] == 1
    assert doc["tool"] == {"name": "swaggertools", "version": "0.1.0"}
    assert (doc["fail_on"], doc["exit_code"], doc["result"]) == ("error", 2, "error")
    assert doc["summary"] == {
        "files": 4,
        "files_with_findings": 3,
        "files_not_loaded": 1,
        "findings": 6,
        "error": 2,
        "warning": 2,
        "info": 2,
        "suppressed": 2,
    }
    assert [c["id"] for c in doc["checks"]] == list(IDS)
    spec, clean, broken, _ = doc["files"]
    assert spec["findings"] == [f.as_record() for f in run.files[0].findings]
    assert spec["findings"][1]["message"] == NASTY
    assert (spec["suppressed"], spec["spec_version"], spec["operations"]) == (2, "2.0", 4)
    assert clean["findings"] == []
    assert clean["error"] is None
    assert broken["checks"] == []
    assert broken["error"]["rule"] == "load-error"


def test_json_keeps_unicode_readable(run: LintRun) -> None:
    assert "Vorgang »Prüfen« ✓ 日本" in json_.render(run)


def test_json_schema_rejects_a_wrong_record(run: LintRun) -> None:
    doc = json.loads(json_.render(run))
    doc["files"][0]["findings"][0]["line"] = 0
    assert not _lint_validator().is_valid(doc)


# --- sarif --------------------------------------------------------------------------------


# What github/codeql-action's upload checks besides the schema: it rejects a log whose
# `uri` values are not absolute URIs or whose `uri-reference` values are not RFC 3986
# references ("does not conform to the uri format"). jsonschema needs extra packages to
# check these formats, so the tests bring their own.
SARIF_FORMATS = jsonschema.FormatChecker(formats=())
_RFC3986 = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*")


@SARIF_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(
        re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:", value[: value.find(":") + 1])
        and _RFC3986.fullmatch(value)
    )


@SARIF_FORMATS.checks("uri-reference")
def _is_uri_reference(value: object) -> bool:
    if not isinstance(value, str):
        return True
    first_segment = value.split("/", 1)[0]
    scheme_like = re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:.*", first_segment)
    return bool(_RFC3986.fullmatch(value)) and (":" not in first_segment or bool(scheme_like))


def _sarif_validator() -> jsonschema.protocols.Validator:
    path = SCHEMAS / "sarif-schema-2.1.0.json"
    assert _sha256(path) == SARIF_SCHEMA_SHA256, "tests/schemas/README.md names the copy"
    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    assert cls is jsonschema.Draft4Validator
    return cls(schema, format_checker=SARIF_FORMATS)


def _sarif(run: LintRun) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(sarif.render(run))
    errors = sorted(_sarif_validator().iter_errors(log), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return log


@pytest.mark.parametrize("which", ["full", "empty"])
def test_sarif_validates_against_the_official_schema(which: str, root: Path) -> None:
    log = _sarif(make_run(root) if which == "full" else empty_run(root))
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(log["runs"]) == 1


def test_sarif_driver_describes_every_check_and_every_other_rule(run: LintRun) -> None:
    driver = _sarif(run)["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("swaggertools", "0.1.0")
    assert driver["informationUri"] == HOMEPAGE
    ids = [r["id"] for r in driver["rules"]]
    assert ids == [*IDS, "input-note", "load-error"]
    first = driver["rules"][0]
    assert first["name"] == "MissingSecurity"
    assert first["shortDescription"]["text"] == CHECKS[0].summary
    assert first["fullDescription"]["text"] == "An operation that no security requirement covers."
    assert first["helpUri"] == f"{HELP}#missing-security"
    load = driver["rules"][-1]
    assert load["helpUri"] == f"{HOMEPAGE}/blob/main/docs/checks.md#load-error"
    assert load["shortDescription"]["text"] == "The file could not be linted."
    assert "Failing:\n" in first["help"]["markdown"]
    assert "Failing::" not in first["help"]["markdown"]
    assert first["help"]["text"].startswith(CHECKS[0].explain)
    levels = {r["id"]: r["defaultConfiguration"]["level"] for r in driver["rules"]}
    assert levels == {
        "missing-security": "warning",
        "unmatched-rule": "warning",
        "untagged-operation": "note",
        "input-note": "warning",
        "load-error": "error",
    }


def test_sarif_results_locations_and_levels(run: LintRun) -> None:
    sarif_run = _sarif(run)["runs"][0]
    rules = sarif_run["tool"]["driver"]["rules"]
    results = sarif_run["results"]
    assert len(results) == len(run.findings())
    for result, finding in zip(results, run.findings(), strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule
        assert (
            result["level"]
            == {"error": "error", "warning": "warning", "info": "note"}[finding.severity.value]
        )
        assert len(result["locations"]) == 1
        artifact = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert sarif_run["artifacts"][artifact["index"]]["location"]["uri"] == artifact["uri"]
        assert re.fullmatch(r"[A-Za-z0-9._~/%-]+", artifact["uri"]), artifact["uri"]
    located, unlocated = results[0], results[1]
    assert located["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 12,
        "startColumn": 5,
    }
    # no line: the whole file, as line 1 (a location without a region is a SARIF2017 warning)
    assert unlocated["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert unlocated["message"]["text"] == f"{NASTY} (at #/paths/~1a|b/get)"
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {"startLine": 12}
    uris = [a["location"]["uri"] for a in sarif_run["artifacts"]]
    assert uris == [
        "api/mes%20swagger.json",
        "api/clean.yaml",
        "broken.json",
        "sp%C3%A9cs/%C3%9Cberblick.yaml",
    ]
    assert set(sarif_run["originalUriBaseIds"]) == {"%SRCROOT%"}
    assert sarif_run["columnKind"] == "unicodeCodePoints"


def test_sarif_load_error_is_a_result_and_a_notification(run: LintRun) -> None:
    sarif_run = _sarif(run)["runs"][0]
    [load] = [r for r in sarif_run["results"] if r["ruleId"] == "load-error"]
    assert load["level"] == "error"
    [invocation] = sarif_run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    [note] = invocation["toolExecutionNotifications"]
    assert note["descriptor"]["id"] == "load-error"
    assert note["message"]["text"] == "invalid JSON: Expecting value"


def _fingerprints(run: LintRun) -> list[str]:
    return [r["partialFingerprints"]["swaggertools/v1"] for r in _sarif(run)["runs"][0]["results"]]


def test_sarif_fingerprints_survive_line_shifts_but_not_other_changes(root: Path) -> None:
    def one(finding: Finding) -> LintRun:
        return LintRun([FileResult(SPEC, [finding], IDS)], CHECKS, "error", 0, "1", root)

    base = Finding("missing-security", Severity.WARNING, "m", SPEC, "#/paths/~1a/get", 12, 5)
    moved = Finding("missing-security", Severity.WARNING, "m", SPEC, "#/paths/~1a/get", 40, 1)
    other = Finding("missing-security", Severity.WARNING, "n", SPEC, "#/paths/~1a/get", 12, 5)
    assert _fingerprints(one(base)) == _fingerprints(one(moved))
    assert _fingerprints(one(base)) != _fingerprints(one(other))
    twice = LintRun([FileResult(SPEC, [base, moved], IDS)], CHECKS, "error", 0, "1", root)
    first, second = _fingerprints(twice)
    assert first != second
    assert first.endswith(":1")
    assert second.endswith(":2")


def test_sarif_file_outside_the_root_gets_an_absolute_uri(tmp_path: Path, root: Path) -> None:
    outside = tmp_path / "elsewhere" / "x.json"
    finding = Finding("missing-security", Severity.WARNING, "m", str(outside), None, 1, 1)
    log = _sarif(LintRun([FileResult(str(outside), [finding], IDS)], CHECKS, "error", 0, "1", root))
    artifact = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert artifact["artifactLocation"]["uri"] == outside.as_uri()
    assert "uriBaseId" not in artifact["artifactLocation"]


def test_sarif_passing_run_has_no_results_but_lists_the_files(root: Path) -> None:
    clean = LintRun([FileResult(CLEAN, [], IDS)], CHECKS, "error", 0, "1", root)
    sarif_run = _sarif(clean)["runs"][0]
    assert sarif_run["results"] == []
    assert sarif_run["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]
    assert [a["location"]["uri"] for a in sarif_run["artifacts"]] == ["api/clean.yaml"]


# --- junit --------------------------------------------------------------------------------


def _junit(run: LintRun) -> ET.Element:
    document = junit.render(run)
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(document.encode("utf-8"))  # strict: raises on malformed XML
    assert root.tag == "testsuites"
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        counted = {
            "tests": len(cases),
            "failures": sum(1 for c in cases if c.find("failure") is not None),
            "errors": sum(1 for c in cases if c.find("error") is not None),
            "skipped": sum(1 for c in cases if c.find("skipped") is not None),
        }
        assert {k: int(suite.get(k, "-1")) for k in counted} == counted, suite.get("name")
        for key in totals:
            totals[key] += counted[key]
        for case in cases:
            assert case.get("classname", "").startswith("swaggertools.")
            assert case.get("name")
            assert case.get("time") is None
    assert {k: int(root.get(k, "-1")) for k in totals} == totals
    return root


def test_junit_structure_jenkins_and_azure_read(run: LintRun) -> None:
    root = _junit(run)
    assert root.get("name") == "swaggertools lint"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert list(suites) == [SPEC, CLEAN, BROKEN, UNICODE]
    spec = {c.get("name"): c for c in suites[SPEC].findall("testcase")}
    assert list(spec) == [*IDS, "input-note"]
    assert spec["missing-security"].get("classname") == "swaggertools.api/mes swagger_json"
    failure = spec["missing-security"].find("failure")
    assert failure is not None
    assert (failure.get("message"), failure.get("type")) == ("2 findings", "error")
    lines = (failure.text or "").splitlines()
    assert lines[0] == "12:5: warning: GET /a has no security (#/paths/~1a/get)"
    assert lines[1].startswith("error: a|b `c` <b>x</b> & @octocat")
    assert spec["unmatched-rule"].find("failure") is None
    untagged = spec["untagged-operation"]
    assert untagged.find("failure") is None
    out = untagged.find("system-out")
    assert out is not None
    assert out.text == "12: info: GET /a has no tags (#/paths/~1a/get)"
    input_note = spec["input-note"].find("failure")
    assert input_note is not None
    assert input_note.get("message") == "1 finding"


def test_junit_load_error_and_skipped_checks(run: LintRun) -> None:
    suites = {s.get("name"): s for s in _junit(run).findall("testsuite")}
    cases = suites[BROKEN].findall("testcase")
    assert [c.get("name") for c in cases] == ["load", *IDS]
    error = cases[0].find("error")
    assert error is not None
    assert error.get("type") == "load-error"
    assert error.get("message") == "invalid JSON: Expecting value"
    assert all(c.find("skipped") is not None for c in cases[1:])
    assert suites[BROKEN].get("errors") == "1"
    assert suites[BROKEN].get("skipped") == "3"
    assert suites[CLEAN].get("failures") == "0"
    assert suites[CLEAN].get("tests") == "3"


def test_junit_escapes_and_strips_what_xml_cannot_carry(run: LintRun) -> None:
    document = junit.render(run)
    assert "\x1b" not in document
    assert "\x00" not in document
    assert "&lt;b&gt;x&lt;/b&gt; &amp; @octocat" in document
    root = _junit(run)
    message = root.find("testsuite/testcase[@name='missing-security']/failure")
    assert message is not None
    assert "third [31mred" in (message.text or "")
    assert "Vorgang »Prüfen« ✓ 日本" in ET.tostring(root, encoding="unicode")


def test_junit_empty_run(root: Path) -> None:
    tree = _junit(empty_run(root))
    assert tree.findall("testsuite") == []
    assert tree.get("tests") == "0"


@pytest.mark.parametrize("which", ["full", "empty"])
def test_junit_validates_against_the_jenkins_xsd(which: str, root: Path) -> None:
    etree = pytest.importorskip("lxml.etree")
    path = SCHEMAS / "jenkins-junit-10.xsd"
    assert _sha256(path) == JUNIT_XSD_SHA256, "tests/schemas/README.md names the copy"
    schema = etree.XMLSchema(etree.parse(str(path)))
    run = make_run(root) if which == "full" else empty_run(root)
    document = etree.fromstring(junit.render(run).encode("utf-8"))
    assert schema.validate(document), schema.error_log


# --- github -------------------------------------------------------------------------------


def test_github_annotations(run: LintRun) -> None:
    assert github.render(run).splitlines() == [
        "::warning file=api/mes swagger.json,line=12,col=5,title=missing-security::"
        "GET /a has no security",
        "::error file=api/mes swagger.json,title=missing-security::"
        'a|b `c` <b>x</b> & @octocat *y* [z](u) 100%25 a:b,c "q"%0Asecond%0D%0Athird '
        "\\x1b[31mred\\x00 (at #/paths/~1a|b/get)",
        "::notice file=api/mes swagger.json,line=12,title=untagged-operation::GET /a has no tags",
        "::warning file=api/mes swagger.json,line=1,col=1,title=input-note::"
        'read swagger: 2.0 as "2.0"',
        "::error file=broken.json,line=3,col=1,title=load-error::invalid JSON: Expecting value",
        "::notice file=spécs/Überblick.yaml,line=7,col=3,title=untagged-operation::"
        "Vorgang »Prüfen« ✓ 日本",
        "swaggertools lint: 4 files, 2 errors, 2 warnings, 2 info, 2 suppressed "
        "(fail-on error: error)",
    ]


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x:y,z", "x:y,z", "x%3Ay%2Cz"),
        ("%0A", "%250A", "%250A"),
        ("::error::", "::error::", "%3A%3Aerror%3A%3A"),
    ],
)
def test_github_escaping_follows_the_toolkit(raw: str, data: str, prop: str) -> None:
    assert github.escape_data(raw) == data
    assert github.escape_property(raw) == prop


def test_github_paths_are_relative_to_the_root_with_forward_slashes(
    root: Path, tmp_path: Path
) -> None:
    absolute = str(root / "api" / "x,y:z.json")
    finding = Finding("missing-security", Severity.WARNING, "m", absolute, None, 2, None)
    out = github.render(
        LintRun([FileResult(absolute, [finding], IDS)], CHECKS, "warning", 1, "1", root)
    )
    assert out.splitlines()[0] == (
        "::warning file=api/x%2Cy%3Az.json,line=2,title=missing-security::m"
    )


def test_github_step_summary_is_the_markdown(run: LintRun) -> None:
    assert github.step_summary(run) == markdown.render(run)


# --- markdown -----------------------------------------------------------------------------


def test_markdown_heading_counts_and_tables(run: LintRun) -> None:
    out = markdown.render(run)
    lines = out.splitlines()
    assert lines[0] == "## swaggertools lint: ⛔ error"
    assert lines[2] == (
        "4 files, 2 errors, 2 warnings, 2 info, 2 suppressed · fail-on `error` · exit code 2"
    )
    assert "### `api/mes swagger.json` — 1 error, 2 warnings, 1 info" in lines
    assert lines.count("| Severity | Check | Location | Message |") == 3
    assert "| warning | `missing-security` | 12:5 `#/paths/~1a/get` | GET /a has no security |" in (
        lines
    )
    assert "| error | `load-error` | 3:1 | invalid JSON: Expecting value |" in lines
    assert lines[-1] == "No findings: `api/clean.yaml`"


def test_markdown_escapes_cells(run: LintRun) -> None:
    [row] = [line for line in markdown.render(run).splitlines() if "octocat" in line]
    assert row == (
        "| error | `missing-security` | `#/paths/~1a\\|b/get` | "
        "a\\|b \\`c\\` \\<b\\>x\\</b\\> \\& @&#8203;octocat \\*y\\* \\[z\\](u) 100% a:b,c "
        '"q"<br>second<br>third \\\\x1b\\[31mred\\\\x00 |'
    )
    # Splitting on unescaped pipes gives exactly the four columns.
    assert len(re.split(r"(?<!\\)\|", row)) == 6


def test_markdown_caps_long_tables(root: Path) -> None:
    findings = [
        Finding("missing-security", Severity.WARNING, f"m{i}", SPEC, None, i + 1, None)
        for i in range(205)
    ]
    out = markdown.render(LintRun([FileResult(SPEC, findings, IDS)], CHECKS, "error", 0, "1", root))
    rows = [line for line in out.splitlines() if line.startswith("| warning |")]
    assert len(rows) == markdown.MAX_ROWS == 200
    assert "… and 5 more" in out
    small = markdown.render(
        LintRun([FileResult(SPEC, findings, IDS)], CHECKS, "error", 0, "1", root), max_rows=3
    )
    assert "… and 202 more" in small


def test_markdown_code_spans_hold_backticks() -> None:
    assert markdown.code("a`b") == "``a`b``"
    assert markdown.code("`x`|y") == "`` `x`\\|y ``"
    assert markdown.code("`x`", in_table=False) == "`` `x` ``"


def test_markdown_passing_run(root: Path) -> None:
    clean = LintRun([FileResult(CLEAN, [], IDS)], CHECKS, "error", 0, "1", root)
    assert markdown.render(clean) == (
        "## swaggertools lint: ✅ passed\n\n"
        "1 file, 0 errors, 0 warnings, 0 info · fail-on `error` · exit code 0\n\n"
        "No findings: `api/clean.yaml`\n"
    )


def test_markdown_stays_under_the_github_comment_limit(root: Path) -> None:
    files = [
        FileResult(
            f"specs/file{n}.json",
            [
                Finding("missing-security", Severity.WARNING, f"message {i} " * 5,
                        f"specs/file{n}.json", f"#/paths/~1x{i}/get", i + 1, 3)
                for i in range(200)
            ],
            IDS,
        )
        for n in range(50)
    ] + [FileResult(f"clean/c{n}.yaml", [], IDS) for n in range(3000)]  # fmt: skip
    out = markdown.render(LintRun(files, CHECKS, "error", 1, "1", root))
    assert len(out) <= 65_536
    assert out.count("| Severity | Check | Location | Message |") >= 2
    lines = out.splitlines()
    assert re.fullmatch(r"… and \d+ more files with findings, not shown .*", lines[-3])
    assert lines[-1] == "No findings in 3000 other files."
    # Every table that was started has at least one row.
    assert "|---|---|---|---|\n\n" not in out


def test_markdown_renders_as_written_with_a_gfm_parser(run: LintRun) -> None:
    from markdown_it import MarkdownIt  # the dev extra's CommonMark parser

    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown.render(run))
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.DOTALL)
    assert all(row.count("<td>") == 4 or row.count("<th>") == 4 for row in rows)
    assert "<td><code>#/paths/~1a|b/get</code></td>" in html
    assert (
        "<td>a|b `c` &lt;b&gt;x&lt;/b&gt; &amp; @\u200boctocat *y* [z](u) 100% a:b,c "
        "&quot;q&quot;<br>second<br>third \\x1b[31mred\\x00</td>"
    ) in html
    assert "<strong>" not in html
    assert "<em>" not in html
    assert "<a " not in html


def test_sarif_format_checks_catch_what_upload_sarif_rejects() -> None:
    assert SARIF_FORMATS.conforms("https://x.invalid/a#b", "uri")
    assert not SARIF_FORMATS.conforms("docs/checks.md#x", "uri")
    assert not SARIF_FORMATS.conforms("https://x.invalid/a b", "uri")
    assert SARIF_FORMATS.conforms("api/mes%20swagger.json", "uri-reference")
    assert not SARIF_FORMATS.conforms("api/mes swagger.json", "uri-reference")
    assert not SARIF_FORMATS.conforms("Dockerfile (nginx:1.23)", "uri-reference")


def test_sarif_relative_help_uri_points_into_the_project_repository(root: Path) -> None:
    relative = CheckInfo("missing-security", Severity.WARNING, "s", "e", "docs/checks.md#x")
    clean = LintRun(
        [FileResult(CLEAN, [], ("missing-security",))], [relative], "error", 0, "1", root
    )
    [rule] = _sarif(clean)["runs"][0]["tool"]["driver"]["rules"]
    url = f"{HOMEPAGE}/blob/main/docs/checks.md#x"
    assert rule["helpUri"] == url
    assert rule["help"]["text"].endswith(f"Documentation: {url}")
    assert rule["help"]["markdown"].endswith(f"[Documentation]({url})")


def test_sarif_help_links_land_on_a_section_of_the_generated_check_reference(
    root: Path,
) -> None:
    from swaggertools.lint.checks import CHECKS, reference_markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "checks.md"
    assert docs.read_text(encoding="utf-8") == reference_markdown(), "run `make docs`"
    infos = [c.info() for c in CHECKS.values()]
    load = Finding("load-error", Severity.ERROR, "no such file", BROKEN, None, None, None)
    run = LintRun([FileResult(BROKEN, [load], (), 0, load)], infos, "error", 2, "1", root)
    rules = _sarif(run)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [*CHECKS, "load-error"]
    headings = set(re.findall(r"^## (\S+)$", docs.read_text(encoding="utf-8"), re.MULTILINE))
    for rule in rules:
        page, anchor = rule["helpUri"].split("#")
        assert page == f"{HOMEPAGE}/blob/main/docs/checks.md"
        assert anchor in headings


def test_sarif_without_a_home_page_keeps_relative_help_out_of_help_uri() -> None:
    # An uninstalled source tree has no metadata, so no home page to resolve against.
    relative = CheckInfo("missing-security", Severity.WARNING, "s", "e", "docs/checks.md#x")
    rule = sarif._descriptor(relative, None)
    assert "helpUri" not in rule
    assert rule["help"]["text"].endswith("Documentation: docs/checks.md#x")
    assert rule["help"]["markdown"].endswith("Documentation: `docs/checks.md#x`")
    assert "helpUri" not in sarif._extra_descriptor("load-error", Severity.ERROR, None)
    elsewhere = sarif._descriptor(relative, "https://gitlab.example.invalid/a/b")
    assert "helpUri" not in elsewhere


def test_sarif_special_characters_in_paths_are_percent_encoded(root: Path) -> None:
    name = "a b/c:d#e?f%g[h]ü.json"
    finding = Finding("missing-security", Severity.WARNING, "m", name, None, 1, 1)
    log = _sarif(LintRun([FileResult(name, [finding], IDS)], CHECKS, "error", 0, "1", root))
    [artifact] = log["runs"][0]["artifacts"]
    assert artifact["location"]["uri"] == "a%20b/c%3Ad%23e%3Ff%25g%5Bh%5D%C3%BC.json"
