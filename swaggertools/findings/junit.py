"""JUnit XML for Jenkins (junit plugin) and Azure Pipelines (PublishTestResults, JUnit).

    <testsuites name="swaggertools lint" tests= failures= errors=>
      <testsuite name="{file}" tests= failures= errors= skipped=>
        <testcase classname="swaggertools.{file}" name="{check id}">
          <failure message="2 findings" type="warning">12:5: warning: message (#/pointer)
          ...</failure>
          <system-out>info findings</system-out>
        </testcase>

One testsuite per file, one testcase per enabled check. Every finding at severity error or
warning fails its check's testcase, whatever `--fail-on` says: the test report shows what
was found, the exit code says whether it fails the build. The failure's `type` is the
highest severity among them. Info findings never fail a testcase; they are listed in its
`<system-out>`. A file that could not be loaded has one testcase `load` with an `<error>`,
and its checks are `<skipped>` (as is a check that did not run on a file for another reason).
A finding whose rule is not an enabled check gets a testcase of its own.

In `classname`, the dots of the file name become `_`: Jenkins reads the part after the last
dot as the class name, and `api/mes.json` would be listed as a class `json` in a package
`swaggertools.api/mes`. The testsuite keeps the real path.

Characters XML 1.0 cannot carry (control characters other than tab and newline, lone
surrogates) are removed; no timestamps or durations are written.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from swaggertools.findings.model import LOAD_ERROR, FileResult, LintRun
from swaggertools.model import Finding, Severity

from .common import plural, where

# What XML 1.0 allows is [^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]; that
# class takes Python 5 ms to compile (a table of 65,536 entries, built in Python) on every
# lint run, whatever the format. Its complement, written out, compiles in a twentieth of it.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LOAD_TESTCASE = "load"


def _xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 forbids (ElementTree would write them as is)."""
    return _NOT_XML.sub("", text)


def _element(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _xml_text(v) for k, v in attrs.items()})


def _describe(finding: Finding) -> str:
    """`12:5: warning: message (#/pointer)`, leaving out what is unknown."""
    parts = [f"{where(finding)}:"] if finding.line is not None else []
    parts.append(f"{finding.severity.value}: {finding.message}")
    if finding.pointer:
        parts.append(f"({finding.pointer})")
    return " ".join(parts)


def _classname(result: FileResult) -> str:
    return "swaggertools." + result.path.replace("\\", "/").replace(".", "_")


class _Counts:
    def __init__(self) -> None:
        self.tests = self.failures = self.errors = self.skipped = 0

    def add(self, other: _Counts) -> None:
        self.tests += other.tests
        self.failures += other.failures
        self.errors += other.errors
        self.skipped += other.skipped

    def attrs(self, *, skipped: bool = True) -> dict[str, str]:
        # Jenkins' schema knows no `skipped` on <testsuites>; it sums the suites' instead.
        counts = {"tests": self.tests, "failures": self.failures, "errors": self.errors}
        if skipped:
            counts["skipped"] = self.skipped
        return {key: str(value) for key, value in counts.items()}


def _testcase(
    suite: ET.Element, counts: _Counts, result: FileResult, name: str, findings: list[Finding]
) -> None:
    case = _element(suite, "testcase", classname=_classname(result), name=name)
    counts.tests += 1
    failing = [f for f in findings if f.severity is not Severity.INFO]
    if failing:
        worst = max(failing, key=lambda f: f.severity.rank).severity
        failure = _element(
            case, "failure", message=plural(len(failing), "finding"), type=worst.value
        )
        failure.text = _xml_text("\n".join(_describe(f) for f in failing))
        counts.failures += 1
    informational = [f for f in findings if f.severity is Severity.INFO]
    if informational:
        out = _element(case, "system-out")
        out.text = _xml_text("\n".join(_describe(f) for f in informational))


def _suite(run: LintRun, result: FileResult) -> tuple[ET.Element, _Counts]:
    suite = ET.Element("testsuite", {"name": _xml_text(result.path)})
    counts = _Counts()
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.rule != LOAD_ERROR:
            by_rule.setdefault(finding.rule, []).append(finding)
    if result.error is not None:
        case = _element(suite, "testcase", classname=_classname(result), name=LOAD_TESTCASE)
        error = _element(case, "error", message=result.error.message, type=LOAD_ERROR)
        error.text = _xml_text(_describe(result.error))
        counts.tests += 1
        counts.errors += 1
    ran = set(result.checks)
    for check in run.checks:
        if check.id in ran:
            _testcase(suite, counts, result, check.id, by_rule.pop(check.id, []))
        else:
            case = _element(suite, "testcase", classname=_classname(result), name=check.id)
            reason = "file not loaded" if result.error else "check did not run on this file"
            _element(case, "skipped", message=reason)
            counts.tests += 1
            counts.skipped += 1
    # Checks that ran but are not in run.checks, then rules that are no check at all.
    enabled = {check.id for check in run.checks}
    for rule in [c for c in result.checks if c not in enabled]:
        _testcase(suite, counts, result, rule, by_rule.pop(rule, []))
    for rule in sorted(by_rule):
        _testcase(suite, counts, result, rule, by_rule[rule])
    for key, value in counts.attrs().items():
        suite.set(key, value)
    return suite, counts


def render(run: LintRun, *, color: bool = False) -> str:
    """Render the run as a JUnit XML document (UTF-8 declared); `color` is ignored."""
    root = ET.Element("testsuites", {"name": f"swaggertools {run.command}"})
    total = _Counts()
    for result in run.files:
        suite, counts = _suite(run, result)
        root.append(suite)
        total.add(counts)
    for key, value in total.attrs(skipped=False).items():
        root.set(key, value)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
