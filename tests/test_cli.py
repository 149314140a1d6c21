"""Subprocess tests of the installed `swaggertools` command: options, files, exit codes."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import swaggertools
from swaggertools.rules import shipped_rulesets

AUTHORITY = "https://aim.example.test/identitymanager"
REPORT_KEYS = [
    "report_format",
    "tool",
    "input",
    "options",
    "rule_sets",
    "rules",
    "removed_operations",
    "removed_paths",
    "unmatched_rules",
    "ambiguous_rules",
    "pruned",
    "security",
    "validation",
    "outputs",
    "findings",
    "summary",
    "timings_ms",
]

SPEC_V2: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "MES", "version": "1.0"},
    "paths": {
        "/api/Core/AttrSet/Add": {
            "post": {
                "operationId": "Core_AttrSet_Add",
                "tags": ["AttrSet"],
                "parameters": [
                    {"in": "body", "name": "body", "schema": {"$ref": "#/definitions/AttrSet"}}
                ],
                "responses": {"200": {"description": "OK"}},
            }
        },
        "/api/Core/Ent": {
            "get": {
                "operationId": "Core_Ent_GetAll",
                "tags": ["Ent"],
                "responses": {
                    "200": {"description": "OK", "schema": {"$ref": "#/definitions/Ent"}}
                },
            }
        },
    },
    "definitions": {
        "AttrSet": {"type": "object", "properties": {"id": {"type": "integer"}}},
        "Ent": {"type": "object", "properties": {"ent_id": {"type": "integer"}}},
    },
    "tags": [{"name": "AttrSet"}, {"name": "Ent"}],
}

SPEC_V3_YAML = """\
openapi: 3.0.3
info:
  title: MES
  version: '1.0'
paths:
  /api/v1/attrsets:
    post:
      operationId: createAttrSet
      x-mes-method: FactMES.API.Core.AttrSet.Add
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/AttrSet'}
      responses:
        '200': {description: OK}
  /api/v1/ents:
    get:
      operationId: listEnts
      x-mes-method: FactMES.API.Core.Ent.GetAll
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Ent'}
components:
  schemas:
    AttrSet: {type: object}
    Ent:
      type: object
      properties:
        flag: {type: string, enum: ['on', 'off']}
"""

RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


def _write_json(path: Path, doc: Any) -> Path:
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below folder (relative name -> bytes)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return _write_json(tmp_path / "mes.json", SPEC_V2)


@pytest.fixture
def spec_yaml(tmp_path: Path) -> Path:
    path = tmp_path / "mes.yaml"
    path.write_text(SPEC_V3_YAML, encoding="utf-8")
    return path


# ---------------------------------------------------------------- version and help


def test_version(run_cli: RunCli) -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"swaggertools {swaggertools.__version__}"
    assert proc.stderr == ""


def test_python_dash_m_version(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "swaggertools", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"swaggertools {swaggertools.__version__}"


@pytest.mark.parametrize(
    "command",
    [[], ["clean"], ["validate"], ["rules"], ["rules", "list"], ["rules", "check"]],
    ids=lambda c: " ".join(c) or "root",
)
def test_help_mentions_examples(run_cli: RunCli, command: list[str]) -> None:
    proc = run_cli(*command, "--help")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    heading = [i for i, line in enumerate(lines) if re.fullmatch(r"\s*Examples?:\s*", line)]
    assert heading, proc.stdout
    # Each example is shown whole, on its own line (not re-wrapped into a paragraph).
    examples = []
    for line in lines[heading[0] + 1 :]:
        if line and not line[0].isspace():
            break  # the next section (Arguments:, Options:, Commands:)
        if line.strip():
            examples.append(line.strip())
    assert examples, proc.stdout
    for example in examples:
        assert example.startswith("swaggertools "), proc.stdout


def test_no_arguments_shows_help(run_cli: RunCli) -> None:
    proc = run_cli()
    assert "Usage:" in proc.stdout + proc.stderr
    assert proc.returncode == 2  # click: a usage error, with the help


# ---------------------------------------------------------------- clean: files and report


def test_clean_default_writes_two_specs_and_reports(run_cli: RunCli, spec: Path) -> None:
    proc = run_cli("clean", spec.name, "--authority", AUTHORITY, "--output-dir", "out")
    assert proc.returncode == 0, proc.stderr
    out = spec.parent / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "mes.report.json",
        "mes.report.md",
        "mes.service.json",
        "mes.user.json",
    ]
    report = json.loads((out / "mes.report.json").read_text(encoding="utf-8"))
    assert list(report) == REPORT_KEYS
    assert report["report_format"] == 1
    assert report["tool"] == {"name": "swaggertools", "version": swaggertools.__version__}
    assert report["options"]["auth"] == "both"
    assert [o["variant"] for o in report["outputs"]] == ["user", "service"]
    for output in report["outputs"]:
        assert output["sha256"] == _sha(Path(spec.parent, output["path"]))
    assert [o["operationId"] for o in report["removed_operations"]] == ["Core_AttrSet_Add"]
    assert report["summary"]["exit_code"] == 0
    user = json.loads((out / "mes.user.json").read_text(encoding="utf-8"))
    service = json.loads((out / "mes.service.json").read_text(encoding="utf-8"))
    assert list(user["securityDefinitions"]) == ["aimUserToken"]
    assert list(service["securityDefinitions"]) == ["aimServiceToken"]
    assert "/api/Core/AttrSet/Add" not in user["paths"]
    assert "AttrSet" not in user["definitions"]
    markdown = (out / "mes.report.md").read_text(encoding="utf-8")
    assert "Core_AttrSet_Add" in markdown
    # The summary on stdout names what was written.
    for name in ("mes.user.json", "mes.service.json", "mes.report.json", "mes.report.md"):
        assert name in proc.stdout


def test_clean_default_output_dir(run_cli: RunCli, spec: Path) -> None:
    proc = run_cli("clean", spec.name, "--auth", "none", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    folder = spec.parent / "swaggertools-out"
    assert sorted(p.name for p in folder.iterdir()) == [
        "mes.clean.json",
        "mes.report.json",
        "mes.report.md",
    ]


def test_clean_output_file_and_format(run_cli: RunCli, spec: Path) -> None:
    proc = run_cli(
        "clean", spec.name, "--auth", "service", "--authority", AUTHORITY,
        "--output", "sub/api.yaml", "--format", "yaml", "--quiet",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    sub = spec.parent / "sub"
    assert sorted(p.name for p in sub.iterdir()) == ["api.report.json", "api.report.md", "api.yaml"]
    text = (sub / "api.yaml").read_text(encoding="utf-8")
    assert text.startswith("swagger: '2.0'\n")
    assert "aimServiceToken" in text


def test_auth_without_authority_is_a_usage_error(
    run_cli: RunCli, spec: Path, assert_one_line_error: Callable[..., str]
) -> None:
    proc = run_cli("clean", spec.name, "--output-dir", "out")
    line = assert_one_line_error(proc)
    assert "--authority" in line
    assert not (spec.parent / "out").exists()


@pytest.mark.parametrize(
    "authority",
    ["sms.plant.local/identitymanager", "ftp://sms/identitymanager", "https://sms/?a=1"],
)
def test_bad_authority(
    run_cli: RunCli, spec: Path, authority: str, assert_one_line_error: Callable[..., str]
) -> None:
    proc = run_cli("clean", spec.name, "--authority", authority, "--output-dir", "out")
    assert "--authority" in assert_one_line_error(proc)
    assert not (spec.parent / "out").exists()


def test_output_with_auth_both_is_a_usage_error(
    run_cli: RunCli, spec: Path, assert_one_line_error: Callable[..., str]
) -> None:
    proc = run_cli("clean", spec.name, "--authority", AUTHORITY, "--output", "x.json")
    line = assert_one_line_error(proc)
    assert "--output" in line
    assert not (spec.parent / "x.json").exists()
    assert not (spec.parent / "swaggertools-out").exists()


@pytest.mark.parametrize(
    ("option", "value"), [("--auth", "token"), ("--format", "xml"), ("--identify", "magic")]
)
def test_bad_choice_is_a_usage_error(
    run_cli: RunCli,
    spec: Path,
    option: str,
    value: str,
    assert_one_line_error: Callable[..., str],
) -> None:
    proc = run_cli("clean", spec.name, option, value, "--output-dir", "out")
    line = assert_one_line_error(proc)
    assert f"{option}: {value!r} is not one of" in line
    assert not (spec.parent / "out").exists()


# ---------------------------------------------------------------- the input is sacred


def test_output_equal_to_input_is_refused(
    run_cli: RunCli, spec: Path, assert_one_line_error: Callable[..., str]
) -> None:
    before = spec.read_bytes()
    proc = run_cli("clean", spec.name, "--auth", "none", "--output", spec.name)
    line = assert_one_line_error(proc)
    assert "--in-place" in line
    assert spec.read_bytes() == before
    # Also through another spelling of the same path.
    proc = run_cli("clean", spec.name, "--auth", "none", "--output", f"./{spec.name}")
    assert_one_line_error(proc)
    assert spec.read_bytes() == before
    assert not (spec.parent / "swaggertools-out").exists()


def test_in_place_overwrites_only_when_asked(run_cli: RunCli, spec: Path) -> None:
    before = spec.read_bytes()
    proc = run_cli("clean", spec.name, "--auth", "none", "--output", "copy.json", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert spec.read_bytes() == before
    cleaned = (spec.parent / "copy.json").read_bytes()
    assert cleaned != before

    proc = run_cli("clean", spec.name, "--auth", "none", "--in-place", "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert spec.read_bytes() == cleaned
    assert sorted(p.name for p in (spec.parent / "swaggertools-out").iterdir()) == [
        "mes.report.json",
        "mes.report.md",
    ]


def test_in_place_with_auth_both_is_refused(
    run_cli: RunCli, spec: Path, assert_one_line_error: Callable[..., str]
) -> None:
    before = spec.read_bytes()
    proc = run_cli("clean", spec.name, "--authority", AUTHORITY, "--in-place")
    assert "--in-place" in assert_one_line_error(proc)
    assert spec.read_bytes() == before


# ---------------------------------------------------------------- bad inputs

BAD_INPUTS: dict[str, tuple[str, bytes, str]] = {
    # id: (file name, content, expected text in the message)
    "json-syntax": (
        "bad.json",
        b'{\n  "swagger": "2.0",\n  "info": {"title": "x",, "version": "1"},\n  "paths": {}\n}\n',
        r"bad\.json:3:\d+: invalid JSON",
    ),
    "json-duplicate-key": (
        "dup.json",
        b'{\n  "swagger": "2.0",\n  "info": {"title": "x", "version": "1"},\n'
        b'  "paths": {},\n  "paths": {}\n}\n',
        r"dup\.json:5:\d+: duplicate key 'paths'",
    ),
    "not-a-spec": ("data.json", b'{"hello": "world"}\n', r"not a Swagger/OpenAPI document"),
    "top-level-list": ("list.json", b"[1, 2]\n", r"not a Swagger/OpenAPI document"),
    "swagger-version": (
        "old.json",
        b'{"swagger": "1.2", "info": {"title": "x", "version": "1"}, "paths": {}}\n',
        r"old\.json.*unsupported swagger version '1\.2'",
    ),
    "openapi-version": (
        "new.yaml",
        b"openapi: 4.0.0\ninfo: {title: x, version: '1'}\npaths: {}\n",
        r"new\.yaml.*unsupported openapi version '4\.0\.0'",
    ),
    "yaml-duplicate-key": (
        "dup.yaml",
        b"openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths: {}\ninfo: {}\n",
        r"dup\.yaml:6:1: duplicate key 'info' \(first at line 2\)",
    ),
    "yaml-syntax": (
        "broken.yaml",
        b"openapi: 3.0.3\ninfo: {title: x\npaths: {}\n",
        r"broken\.yaml:\d+:\d+: invalid YAML",
    ),
    "empty": ("empty.json", b"", r"empty\.json: file is empty"),
    "binary": ("blob.json", b"\x00\x01\x02\xff\xfe\x00", r"blob\.json"),
    "external-ref": (
        "ext.json",
        b'{"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {"/a": {"get": '
        b'{"responses": {"200": {"description": "ok", "schema": '
        b'{"$ref": "https://evil.example/x.json"}}}}}}}\n',
        r"ext\.json.*not a local reference",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_error(
    run_cli: RunCli, tmp_path: Path, case: str, assert_one_line_error: Callable[..., str]
) -> None:
    name, content, pattern = BAD_INPUTS[case]
    (tmp_path / name).write_bytes(content)
    proc = run_cli("clean", name, "--auth", "none", "--output-dir", "out")
    line = assert_one_line_error(proc)
    assert re.search(pattern, line), line
    assert not (tmp_path / "out").exists()
    assert proc.stdout == ""


def test_messages_are_printed_exactly_as_written(run_cli: RunCli, tmp_path: Path) -> None:
    # user text (paths, names) must never be read as markup or emoji codes
    spec = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a/:smile:/[bold]b[/bold]": {"get": {"responses": {"200": {}}}}},
    }
    (tmp_path / "x:thumbs_up:.json").write_text(json.dumps(spec), encoding="utf-8")
    proc = run_cli("validate", "x:thumbs_up:.json")
    assert proc.returncode == 1
    assert "/paths/~1a~1:smile:~1[bold]b[~1bold]/get/responses/200" in proc.stdout
    assert "x:thumbs_up:.json: INVALID" in proc.stdout
    assert "\U0001f604" not in proc.stdout.encode("unicode_escape").decode()


@pytest.mark.parametrize("what", ["missing", "directory"])
def test_unreadable_input(
    run_cli: RunCli, tmp_path: Path, what: str, assert_one_line_error: Callable[..., str]
) -> None:
    if what == "directory":
        (tmp_path / "spec.json").mkdir()
    line = assert_one_line_error(run_cli("clean", "spec.json", "--auth", "none", "-d", "out"))
    assert line.startswith("swaggertools: error: spec.json: ")
    assert not (tmp_path / "out").exists()


def test_failing_runs_leave_existing_outputs_alone(
    run_cli: RunCli, tmp_path: Path, spec: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("mes.user.json", "mes.service.json", "mes.report.json", "mes.report.md"):
        (out / name).write_bytes(b"previous run: " + name.encode() + b"\n")
    before = _snapshot(out)

    # A usage error, an input error and a policy (security conflict) error.
    assert run_cli("clean", "mes.json", "-d", "out").returncode == 2
    spec.write_text('{"swagger": "2.0", "paths": {,}}', encoding="utf-8")
    assert run_cli("clean", "mes.json", "--authority", AUTHORITY, "-d", "out").returncode == 2
    conflict = dict(
        SPEC_V2,
        securityDefinitions={"aimUserToken": {"type": "basic"}},
        security=[{"aimUserToken": []}],
    )
    _write_json(spec, conflict)
    proc = run_cli("clean", "mes.json", "--authority", AUTHORITY, "-d", "out")
    assert proc.returncode == 2
    assert "--replace-security" in proc.stderr
    assert _snapshot(out) == before


def test_invalid_output_writes_nothing(run_cli: RunCli, tmp_path: Path) -> None:
    """Removing a link's operationRef target would leave it dangling: nothing is written."""
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "x", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "getA",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "links": {"toB": {"operationRef": "#/paths/~1b/get"}},
                        }
                    },
                }
            },
            "/b": {"get": {"operationId": "getB", "responses": {"200": {"description": "ok"}}}},
        },
    }
    _write_json(tmp_path / "link.json", doc)
    (tmp_path / "rules.yaml").write_text(
        'name: t\nversion: "1"\nexclude:\n  - operationId: getB\n    reason: test\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    out.mkdir()
    (out / "link.clean.json").write_bytes(b"old\n")
    (out / "link.report.json").write_bytes(b"old report\n")
    proc = run_cli("clean", "link.json", "--auth", "none", "-r", "rules.yaml", "-d", "out")
    assert proc.returncode == 1
    assert "nothing written" in proc.stdout
    assert "points to nothing" in proc.stdout
    assert _snapshot(out) == {"link.clean.json": b"old\n", "link.report.json": b"old report\n"}


# ---------------------------------------------------------------- rule files

BAD_RULES = """\
name: site rules
version: 2026
exclude:
  - method: FactMES.API.Core.AttrSet.Add
    reasn: no-web-endpoint
  - operationId: a
    path: /b
    reason: two targets
  - method: FactMES.API.Prod.Item.Update
    reason: replaced
"""


def test_bad_rule_file_in_clean(
    run_cli: RunCli, spec: Path, assert_one_line_error: Callable[..., str]
) -> None:
    rules = spec.parent / "site.yaml"
    rules.write_text(
        'name: site\nversion: "1"\nexclude:\n'
        "  - method: FactMES.API.Core.AttrSet.Add\n    reason: no-web-endpoint\n"
        "    comment: not a known key\n",
        encoding="utf-8",
    )
    proc = run_cli("clean", spec.name, "--auth", "none", "--rules", "site.yaml", "-d", "out")
    line = assert_one_line_error(proc)
    assert re.search(r"site\.yaml:6:\d+: unknown key 'comment'", line), line
    assert not (spec.parent / "out").exists()

    # Several problems: the first is named, and the others are counted.
    rules.write_text(BAD_RULES, encoding="utf-8")
    proc = run_cli("clean", spec.name, "--auth", "none", "--rules", "site.yaml", "-d", "out")
    line = assert_one_line_error(proc)
    assert re.search(r"site\.yaml:1:\d+: .*'name'.*5 more problem.*rules check", line), line
    assert not (spec.parent / "out").exists()


def test_unknown_rule_set_name(
    run_cli: RunCli, spec: Path, assert_one_line_error: Callable[..., str]
) -> None:
    proc = run_cli("clean", spec.name, "--auth", "none", "--rules", "no-such-set", "-d", "out")
    line = assert_one_line_error(proc)
    assert "no-such-set" in line
    assert "mes-model-driven-7.0" in line


def test_rules_list(run_cli: RunCli) -> None:
    proc = run_cli("rules", "list")
    assert proc.returncode == 0, proc.stderr
    row = next(line for line in proc.stdout.splitlines() if "mes-model-driven-7.0" in line)
    assert re.search(r"\b42\b", row), proc.stdout
    assert "2026.1" in row
    assert len(shipped_rulesets()) >= 1


def test_rules_check_ok(run_cli: RunCli, tmp_path: Path) -> None:
    shipped = next(p for p in shipped_rulesets() if p.stem == "mes-model-driven-7.0")
    site = tmp_path / "site.yaml"
    site.write_text(
        'name: site\nversion: "1"\nexclude:\n  - tag: Legacy\n    reason: old\n', encoding="utf-8"
    )
    proc = run_cli("rules", "check", shipped, site)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert "ok (mes-model-driven-7.0 2026.1, 42 rules)" in proc.stdout
    assert "site.yaml: ok (site 1, 1 rules)" in proc.stdout


def test_rules_check_lists_every_problem(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BAD_RULES, encoding="utf-8")
    (tmp_path / "good.yaml").write_text('name: good\nversion: "1"\nexclude: []\n', encoding="utf-8")
    proc = run_cli("rules", "check", "bad.yaml", "good.yaml")
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert all(line.startswith("swaggertools: error: bad.yaml:") for line in lines), lines
    text = proc.stderr
    assert re.search(r"bad\.yaml:1:\d+: .*'name'", text), text  # pattern
    assert re.search(r"bad\.yaml:2:\d+: 'version' must be a string", text), text
    assert re.search(r"bad\.yaml:4:\d+: missing required key 'reason'", text), text
    assert re.search(r"bad\.yaml:5:\d+: unknown key 'reasn'", text), text
    assert re.search(r"bad\.yaml:\d+:\d+: exclusion has more than one target", text), text
    assert re.search(r"bad\.yaml:10:\d+: reason 'replaced' needs a 'replacement'", text), text
    assert len(lines) == 6, lines
    # The good file is still checked and reported.
    assert "good.yaml: ok (good 1, 0 rules)" in proc.stdout


def test_rules_check_unreadable(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "dup.yaml").write_text(
        'name: a\nname: b\nversion: "1"\nexclude: []\n', encoding="utf-8"
    )
    proc = run_cli("rules", "check", "missing.yaml", "dup.yaml")
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("swaggertools: error: missing.yaml: ")
    assert lines[1].startswith("swaggertools: error: dup.yaml:2:1: duplicate key 'name'")


# ---------------------------------------------------------------- validate

INVALID_V2 = """\
{
  "swagger": "2.0",
  "info": {"title": "x", "version": "1"},
  "paths": {
    "/a": {
      "get": {
        "operationId": "getA"
      }
    }
  }
}
"""

INVALID_V3 = """\
openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
"""


def test_validate_valid(run_cli: RunCli, spec: Path, spec_yaml: Path) -> None:
    proc = run_cli("validate", spec.name, spec_yaml.name)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "mes.json: valid (2.0)" in proc.stdout
    assert "mes.yaml: valid (3.0.3)" in proc.stdout


def test_validate_reports_every_file(run_cli: RunCli, tmp_path: Path, spec: Path) -> None:
    (tmp_path / "bad2.json").write_text(INVALID_V2, encoding="utf-8")
    (tmp_path / "bad3.yaml").write_text(INVALID_V3, encoding="utf-8")
    proc = run_cli("validate", "bad2.json", spec.name, "bad3.yaml")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert re.search(r"^bad2\.json: INVALID \(2\.0, \d+ errors?\)$", out, re.MULTILINE), out
    assert re.search(r"^mes\.json: valid \(2\.0\)$", out, re.MULTILINE), out
    assert re.search(r"^bad3\.yaml: INVALID \(3\.0\.3, 1 errors?\)$", out, re.MULTILINE), out
    # Every error names the file, line and column and the JSON pointer.
    assert re.search(
        r"^bad2\.json:6:\d+: error: #/paths/~1a/get: ['\"]responses['\"] is a required property",
        out,
        re.MULTILINE,
    ), out
    assert re.search(
        r"^bad3\.yaml:11:\d+: error: #/paths/~1a/get/responses/200/content/application~1json/"
        r"schema/\$ref: \$ref '#/components/schemas/Missing' points to nothing",
        out,
        re.MULTILINE,
    ), out
    assert proc.stderr == ""


def test_validate_unreadable_file_is_exit_2(run_cli: RunCli, tmp_path: Path, spec: Path) -> None:
    (tmp_path / "bad2.json").write_text(INVALID_V2, encoding="utf-8")
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    proc = run_cli("validate", "missing.json", "bad2.json", "broken.json", spec.name)
    assert proc.returncode == 2
    errors = proc.stderr.splitlines()
    assert len(errors) == 2, errors
    assert errors[0].startswith("swaggertools: error: missing.json: ")
    assert errors[1].startswith("swaggertools: error: broken.json:1:2: invalid JSON")
    # The readable files are still validated and reported.
    assert "bad2.json: INVALID" in proc.stdout
    assert "mes.json: valid (2.0)" in proc.stdout


# ---------------------------------------------------------------- determinism and idempotence


def _run_twice(run_cli: RunCli, workdir: Path, *args: str) -> list[dict[str, bytes]]:
    results = []
    for _ in range(2):
        proc = run_cli(*args, cwd=workdir)
        assert proc.returncode == 0, proc.stderr
        results.append(_snapshot(workdir / "out"))
        for path in (workdir / "out").iterdir():
            path.unlink()
    return results


@pytest.mark.parametrize("fixture", ["spec", "spec_yaml"])
def test_determinism(run_cli: RunCli, request: pytest.FixtureRequest, fixture: str) -> None:
    source: Path = request.getfixturevalue(fixture)
    first, second = _run_twice(
        run_cli, source.parent, "clean", source.name, "--authority", AUTHORITY, "-d", "out", "-q"
    )
    assert sorted(first) == sorted(second)
    assert len(first) == 4
    for name in first:
        if name.endswith(".report.json"):
            a, b = json.loads(first[name]), json.loads(second[name])
            assert a.pop("timings_ms").keys() == b.pop("timings_ms").keys()
            assert a == b
        elif name.endswith(".report.md"):
            # The Markdown report ends with the timings; everything before them is equal.
            a, _, _ = first[name].partition(b"## Timings")
            b, _, _ = second[name].partition(b"## Timings")
            assert a == b
        else:
            assert first[name] == second[name], name


@pytest.mark.parametrize(
    ("fixture", "args", "output"),
    [
        ("spec", ["--auth", "user", "--authority", AUTHORITY], "mes.user.json"),
        ("spec", ["--auth", "combined", "--authority", AUTHORITY], "mes.clean.json"),
        ("spec", ["--auth", "none"], "mes.clean.json"),
        ("spec_yaml", ["--auth", "service", "--authority", AUTHORITY], "mes.service.yaml"),
        ("spec_yaml", ["--auth", "none"], "mes.clean.yaml"),
    ],
)
def test_idempotence(
    run_cli: RunCli,
    request: pytest.FixtureRequest,
    fixture: str,
    args: list[str],
    output: str,
) -> None:
    source: Path = request.getfixturevalue(fixture)
    work = source.parent
    proc = run_cli("clean", source.name, *args, "-d", "first", "-q")
    assert proc.returncode == 0, proc.stderr
    first = work / "first" / output
    assert first.read_bytes() != source.read_bytes()
    proc = run_cli("clean", f"first/{output}", "--auth", "none", "-d", "second", "-q")
    assert proc.returncode == 0, proc.stderr
    stem = first.name.rsplit(".", 1)[0]  # mes.user.json -> mes.user.clean.json
    again = work / "second" / f"{stem}.clean{first.suffix}"
    assert again.read_bytes() == first.read_bytes()
    report = json.loads((work / "second" / f"{stem}.report.json").read_text(encoding="utf-8"))
    assert report["removed_operations"] == []
    assert report["pruned"] == []


# ---------------------------------------------------------------- output format and conflicts


def test_output_name_sets_the_format(run_cli: RunCli, spec: Path) -> None:
    """`-o api.yaml` on a JSON input writes YAML (the name asks for it); --format still wins."""
    proc = run_cli("clean", spec.name, "--auth", "none", "-o", "api.yaml", "-q")
    assert proc.returncode == 0, proc.stderr
    assert (spec.parent / "api.yaml").read_text(encoding="utf-8").startswith("swagger: '2.0'\n")
    proc = run_cli("clean", spec.name, "--auth", "none", "-o", "x.yaml", "--format", "json", "-q")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((spec.parent / "x.yaml").read_text(encoding="utf-8"))["swagger"] == "2.0"


def test_conflicting_scheme_names_file_and_line_even_if_unreferenced(
    run_cli: RunCli, tmp_path: Path, assert_one_line_error: Callable[..., str]
) -> None:
    """A same-named scheme with another definition collides even when pruning would drop it."""
    doc = json.loads(json.dumps(SPEC_V2))
    doc["securityDefinitions"] = {"aimUserToken": {"type": "basic"}}
    path = tmp_path / "conflict.json"
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    proc = run_cli("clean", path.name, "--auth", "user", "--authority", AUTHORITY, "-d", "out")
    line = assert_one_line_error(proc, 2)
    expected_line = next(
        i for i, text in enumerate(path.read_text().splitlines(), 1) if '"aimUserToken"' in text
    )
    assert line.startswith(f"swaggertools: error: conflict.json:{expected_line}:")
    assert "security scheme 'aimUserToken' already exists with a different definition" in line
    assert "--replace-security" in line
    assert not (tmp_path / "out").exists()
    proc = run_cli(
        "clean", path.name, "--auth", "user", "--authority", AUTHORITY, "-d", "out",
        "--replace-security", "-q",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    written = json.loads((tmp_path / "out" / "conflict.user.json").read_text())
    assert written["securityDefinitions"]["aimUserToken"]["flow"] == "accessCode"


def test_summary_says_what_was_removed_pruned_unmatched_and_validated(
    run_cli: RunCli, spec: Path
) -> None:
    proc = run_cli("clean", spec.name, "--auth", "user", "--authority", AUTHORITY, "-d", "out")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "mes.json: 2.0, 2 operations → 1 (1 removed, 2 pruned)"
    assert lines[1] == (
        "  removed POST /api/Core/AttrSet/Add (Core_AttrSet_Add): no-web-endpoint "
        "[mes-model-driven-7.0#1, by operationId]"
    )
    assert lines[2] == "  pruned: 1 definitions (orphaned-by-removal), 1 tags (orphaned-by-removal)"
    assert lines[3] == "41 rule(s) matched nothing:"
    assert "… 31 more in the report" in proc.stdout
    assert "validation: input valid, user valid" in lines
    assert lines[-3:] == [
        "wrote out/mes.user.json",
        "wrote out/mes.report.json",
        "wrote out/mes.report.md",
    ]


# ---------------------------------------------------------------- YAML merge keys

MERGED_YAML = """\
openapi: 3.0.3
info: {title: Merges, version: "1"}
x-defaults:
  error: &error
    description: failed
    content:
      application/json:
        schema: {$ref: "#/components/schemas/Error"}
  paged: &paged
    name: page
    in: query
    schema: {type: integer}
paths:
  /items:
    get:
      operationId: listItems
      tags: [Items]
      parameters:
        - <<: *paged
          description: page to show
      responses:
        "200": {<<: *error, description: the items}
        default: *error
components:
  schemas:
    Named: &named
      type: object
      properties:
        name: {type: string}
    Stamped: &stamped
      type: object
      description: stamped
      properties:
        at: {type: string, format: date-time}
    Item:
      <<: [*named, *stamped]
      required: [name]
    Error:
      <<: *named
"""
"""Three merges: one mapping in a block, one in a flow mapping, a list; and plain aliases."""

EXPANDED_YAML = """\
openapi: 3.0.3
info: {title: Merges, version: "1"}
x-defaults:
  error:
    description: failed
    content:
      application/json:
        schema: {$ref: "#/components/schemas/Error"}
  paged:
    name: page
    in: query
    schema: {type: integer}
paths:
  /items:
    get:
      operationId: listItems
      tags: [Items]
      parameters:
        - name: page
          in: query
          schema: {type: integer}
          description: page to show
      responses:
        "200":
          description: the items
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
        default:
          description: failed
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Error"}
components:
  schemas:
    Named:
      type: object
      properties:
        name: {type: string}
    Stamped:
      type: object
      description: stamped
      properties:
        at: {type: string, format: date-time}
    Item:
      type: object
      properties:
        name: {type: string}
      description: stamped
      required: [name]
    Error:
      type: object
      properties:
        name: {type: string}
"""
"""MERGED_YAML expanded by hand: written keys win, the earlier mapping of a list wins."""


def test_clean_and_lint_accept_yaml_merge_keys(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "merged.yaml").write_text(MERGED_YAML, encoding="utf-8")
    (tmp_path / "expanded.yaml").write_text(EXPANDED_YAML, encoding="utf-8")
    outputs = {}
    for name in ("merged", "expanded"):
        proc = run_cli("clean", f"{name}.yaml", "--authority", AUTHORITY, "-d", name)
        assert proc.returncode == 0, proc.stderr
        outputs[name] = {
            kind: (tmp_path / name / f"{name}.{kind}.yaml").read_text(encoding="utf-8")
            for kind in ("user", "service")
        }
    assert outputs["merged"] == outputs["expanded"]
    assert "<<" not in outputs["merged"]["user"]
    assert "name: page\n        in: query\n" in outputs["merged"]["user"]

    # each merge is a note at its own line: in clean's summary and report, and from lint
    expected = [
        ("#/paths/~1items/get/parameters/0/<<", 19, 11),
        ("#/paths/~1items/get/responses/200/<<", 22, 17),
        ("#/components/schemas/Item/<<", 36, 7),
        ("#/components/schemas/Error/<<", 39, 7),
    ]
    report = json.loads((tmp_path / "merged" / "merged.report.json").read_text("utf-8"))
    notes = [f for f in report["findings"] if f["rule"] == "input-note"]
    assert [(f["pointer"], f["line"], f["column"]) for f in notes] == expected
    assert [f["message"] for f in notes] == [
        f"YAML merge key << expanded: {n} merged into this mapping (keys written in it win)"
        for n in ("3 keys", "1 key", "3 keys", "2 keys")
    ]
    proc = run_cli("clean", "merged.yaml", "--authority", AUTHORITY, "-d", "again")
    # the summary names the place of each merge, as the report does
    assert "  note: merged.yaml:19:11: YAML merge key << expanded: 3 keys merged" in proc.stdout
    assert "  note: merged.yaml:39:7: YAML merge key << expanded: 2 keys merged" in proc.stdout
    expanded_report = json.loads(
        (tmp_path / "expanded" / "expanded.report.json").read_text("utf-8")
    )
    assert [f for f in expanded_report["findings"] if f["rule"] == "input-note"] == []

    proc = run_cli("lint", "merged.yaml", "--no-config", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    lint_notes = [f for f in findings if f["rule"] == "input-note"]
    assert [(f["pointer"], f["line"], f["column"]) for f in lint_notes] == expected
    proc = run_cli("lint", "merged.yaml", "--no-config", "--select", "input-note")
    assert "merged.yaml:22:17: warning input-note: YAML merge key << expanded" in proc.stdout
