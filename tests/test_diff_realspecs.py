"""`swaggertools diff` on two real releases of one public API: Kubernetes 1.12 -> 1.13.

Both Swagger 2.0 files come from the pinned kubernetes-client 9.0.0 npm package
(tests/realspecs/manifest.json, fetched by `make testdata`). The changes asserted here were
checked by hand against the two files (see the note in CHANGELOG/README's diff section):

- 1.13 adds 23 operations and removes none; no operation is renamed or moved. The 23 are
  the new alpha group auditregistration.k8s.io (AuditSink, 11) and VolumeAttachment in
  storage.k8s.io/v1 (GA in 1.13, 12; its v1beta1 form stays);
- `WebhookClientConfig.caBundle` stops being required: a response property made optional,
  reported once for the 10 operations whose response holds a mutating or validating
  webhook configuration (list, create, read, replace, patch of each; delete returns a
  Status and watch a WatchEvent, so they are rightly not listed);
- what the diff must stay quiet about: 71 DELETE operations whose `DeleteOptions` body went
  from required to optional (a relaxation), and `PersistentVolumeSpec.glusterfs` moving to
  the new `GlusterfsPersistentVolumeSource`, which only adds an optional property.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import RunCli, assert_no_traceback, require_realspec

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "tests" / "realspecs" / "manifest.json").read_text("utf-8"))
CACHE = ROOT / MANIFEST["cache"]
OLD = CACHE / "kubernetes-1.12.swagger.json"
NEW = CACHE / "kubernetes-1.13.swagger.json"
SCHEMA = json.loads((ROOT / "swaggertools" / "schemas" / "diff.schema.json").read_text("utf-8"))
WEBHOOK = "#/definitions/io.k8s.api.admissionregistration.v1beta1.WebhookClientConfig"


@pytest.fixture(scope="module")
def report(swaggertools_cli: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The JSON report of the installed command on 1.12 -> 1.13 (stdout and -o agree)."""
    for path in (OLD, NEW):
        require_realspec(path)
    out = tmp_path_factory.mktemp("k8s") / "diff.json"
    proc = subprocess.run(
        [swaggertools_cli, "diff", str(OLD), str(NEW), "-f", "json", "-o", f"json:{out}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert_no_traceback(proc)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == ""
    doc: dict[str, Any] = json.loads(proc.stdout)
    assert json.loads(out.read_text("utf-8")) == doc
    return doc


def test_the_report_validates_against_the_shipped_schema(report: dict[str, Any]) -> None:
    jsonschema.validate(report, SCHEMA)
    assert report["old"]["spec_version"] == report["new"]["spec_version"] == "2.0"
    assert (report["old"]["operations"], report["new"]["operations"]) == (991, 1014)
    # the caBundle change is an error: the run fails, with exit 1 and not 2 or 3
    assert report["summary"]["exit_code"] == 1


def test_audit_sinks_and_v1_volume_attachments_are_added_and_nothing_removed(
    report: dict[str, Any],
) -> None:
    added = report["operations"]["added"]
    groups = Counter(op["path"].split("/")[2] for op in added)
    assert groups == {"auditregistration.k8s.io": 11, "storage.k8s.io": 12}
    assert all(
        op["path"].startswith("/apis/storage.k8s.io/v1/") for op in added if "stor" in op["path"]
    )
    assert {
        "method": "post",
        "path": "/apis/auditregistration.k8s.io/v1alpha1/auditsinks",
        "operationId": "createAuditregistrationV1alpha1AuditSink",
    } in added
    assert report["operations"]["removed"] == []
    assert report["operations"]["renamed"] == []


def test_ca_bundle_made_optional_is_one_change_for_the_webhook_operations(
    report: dict[str, Any],
) -> None:
    kinds = Counter(c["id"] for c in report["changes"])
    assert kinds == {"operation-added": 23, "response-property-made-optional": 1}
    change = next(c for c in report["changes"] if c["id"] == "response-property-made-optional")
    assert change["old_pointer"] == f"{WEBHOOK}/properties/caBundle"
    assert change["level"] == "error"
    ids = {op["operationId"] for op in change["operations"]}
    assert len(ids) == len(change["operations"]) == 10
    assert "readAdmissionregistrationV1beta1MutatingWebhookConfiguration" in ids
    assert "listAdmissionregistrationV1beta1ValidatingWebhookConfiguration" in ids
    assert all(op_id.endswith("WebhookConfiguration") for op_id in ids)
    assert not any(op_id.startswith(("delete", "watch")) for op_id in ids)


def test_relaxations_are_not_reported(report: dict[str, Any]) -> None:
    # DeleteOptions bodies made optional and glusterfs' widened schema: nothing breaks
    pointers = [c["old_pointer"] or "" for c in report["changes"]]
    assert not any("DeleteOptions" in p or "glusterfs" in p.lower() for p in pointers)
    assert not any(c["id"].startswith(("parameter-", "request-")) for c in report["changes"])


def test_same_files_same_bytes(run_cli: RunCli, report: dict[str, Any]) -> None:
    first = run_cli("diff", OLD, NEW, "-f", "sarif", timeout=300)
    second = run_cli("diff", OLD, NEW, "-f", "sarif", timeout=300)
    assert first.returncode == second.returncode == 1
    assert first.stdout == second.stdout
    results = json.loads(first.stdout)["runs"][0]["results"]
    assert len(results) == 24
