"""Refs whose target is not there: findings (refs.MissingTarget → validate), in process.

The same cases through the installed CLI are in tests/test_refs_cli.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from swaggertools.errors import LoadError, RefError
from swaggertools.index import build_index, mapping_is_ref, mapping_ref
from swaggertools.model import Finding, Severity
from swaggertools.pipeline import Opened, open_spec, validate_file
from swaggertools.refs import MissingTarget, RefPolicy
from swaggertools.validate import check_refs, validate_document, validate_outputs
from swaggertools.versions import SpecVersion, detect

V2: dict[str, Any] = {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}
V30: dict[str, Any] = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}
GONE = "points to a file that does not exist"


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _open(path: Path) -> Opened:
    return open_spec(path, ref_policy=RefPolicy())


def _located(findings: list[Finding]) -> list[tuple[str, str | None, str | None, int | None]]:
    return [(f.rule, f.file, f.pointer, f.line) for f in findings]


def _refs(path: Path) -> list[Finding]:
    """validate_file's findings without the bundling notes, in file and line order."""
    found = [f for f in validate_file(path).findings if f.rule != "input-note"]
    return sorted(found, key=lambda f: (f.file or "", f.line or 0, f.column or 0))


# ---------------------------------------------------------------- $ref: unresolved-ref


def test_missing_file_used_twice_is_one_finding_per_site(tmp_path: Path) -> None:
    spec = _write(
        tmp_path / "spec.yaml",
        'swagger: "2.0"\n'
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      responses:\n"
        "        '200': {description: ok, schema: {$ref: 'models/pet.yaml#/Pet'}}\n"
        "definitions:\n"
        "  Pets:\n"
        "    type: array\n"
        "    items: {$ref: 'models/pet.yaml#/Pet'}\n",
    )
    opened = _open(spec)
    # left as written where they stand; nothing was bundled
    assert opened.loaded.doc["definitions"]["Pets"]["items"] == {"$ref": "models/pet.yaml#/Pet"}
    assert "Pet" not in opened.loaded.doc["definitions"]
    first = "#/paths/~1a/get/responses/200/schema/$ref"
    second = "#/definitions/Pets/items/$ref"
    assert sorted(opened.missing) == sorted([first, second])
    assert opened.missing[second] == MissingTarget(
        ref="models/pet.yaml#/Pet",
        reason=f"{GONE}: models/pet.yaml",
        file=str(spec),
        pointer=second,
        line=None,
        column=None,
        site=second,
        mapping=False,
        in_spec=True,
    )
    assert not validate_file(spec).valid
    message = f"$ref 'models/pet.yaml#/Pet' {GONE}: models/pet.yaml"
    assert [
        (f.rule, f.severity, f.file, f.pointer, f.line, f.column, f.message) for f in _refs(spec)
    ] == [
        ("unresolved-ref", Severity.ERROR, str(spec), first, 7, 43, message),
        ("unresolved-ref", Severity.ERROR, str(spec), second, 11, 13, message),
    ]


def test_missing_fragment_of_an_existing_file(tmp_path: Path) -> None:
    _write(tmp_path / "pet.yaml", "Pet: {type: string}\n")
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump({**V2, "definitions": {"A": {"$ref": "pet.yaml#/Nope"}}}, sort_keys=False),
    )
    [finding] = validate_file(spec).findings
    assert (finding.rule, finding.pointer) == ("unresolved-ref", "#/definitions/A/$ref")
    assert finding.message == (
        f"$ref 'pet.yaml#/Nope' points to nothing: {tmp_path}/pet.yaml has no #/Nope"
    )


def test_missing_file_inside_a_bundled_file_is_reported_there(tmp_path: Path) -> None:
    """The ref is written in models/pet.yaml: its file, pointer and line are the location."""
    pet = _write(
        tmp_path / "models" / "pet.yaml",
        "Pet:\n  type: object\n  properties:\n    owner: {$ref: 'owner.yaml#/Owner'}\n",
    )
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump(
            {**V2, "definitions": {"A": {"$ref": "models/pet.yaml#/Pet"}}}, sort_keys=False
        ),
    )
    opened = _open(spec)
    bundled = opened.loaded.doc["definitions"]["Pet"]
    assert bundled["properties"]["owner"] == {"$ref": "owner.yaml#/Owner"}  # as written
    site = "#/definitions/Pet/properties/owner/$ref"
    assert opened.missing[site].file == str(pet)
    assert opened.missing[site].pointer == "#/Pet/properties/owner/$ref"
    assert (opened.missing[site].line, opened.missing[site].column) == (4, 13)
    [finding] = _refs(spec)
    assert (finding.rule, finding.file, finding.pointer, finding.line, finding.column) == (
        "unresolved-ref",
        str(pet),
        "#/Pet/properties/owner/$ref",
        4,
        13,
    )
    # relative to models/, where the ref is written
    assert finding.message == f"$ref 'owner.yaml#/Owner' {GONE}: owner.yaml"


def test_same_missing_ref_in_two_bundled_files_is_two_findings(tmp_path: Path) -> None:
    for name in ("a", "b"):
        _write(tmp_path / f"{name}.yaml", "X:\n  properties:\n    o: {$ref: 'gone.yaml#/O'}\n")
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump(
            {**V2, "definitions": {"A": {"$ref": "a.yaml#/X"}, "B": {"$ref": "b.yaml#/X"}}},
            sort_keys=False,
        ),
    )
    assert _located(_refs(spec)) == [
        ("unresolved-ref", str(tmp_path / "a.yaml"), "#/X/properties/o/$ref", 3),
        ("unresolved-ref", str(tmp_path / "b.yaml"), "#/X/properties/o/$ref", 3),
    ]


def test_a_broken_file_that_exists_still_stops_the_run(tmp_path: Path) -> None:
    _write(tmp_path / "pet.yaml", "Pet: [\n")
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump({**V2, "definitions": {"A": {"$ref": "pet.yaml#/Pet"}}}, sort_keys=False),
    )
    with pytest.raises(LoadError):
        _open(spec)


def test_refused_refs_are_checked_before_missing_ones_are_recorded(tmp_path: Path) -> None:
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump(
            {
                **V2,
                "definitions": {
                    "A": {"$ref": "gone.yaml#/A"},
                    "B": {"$ref": "../outside.yaml#/B"},
                },
            },
            sort_keys=False,
        ),
    )
    with pytest.raises(RefError) as info:
        _open(spec)
    assert "leads outside the spec's folder" in info.value.one_line()


def test_outputs_report_a_missing_ref_at_its_site(tmp_path: Path) -> None:
    """An output holds the bundled copy: its finding is at the copy, not in models/pet.yaml."""
    _write(tmp_path / "pet.yaml", "Pet:\n  properties:\n    o: {$ref: 'gone.yaml#/O'}\n")
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump({**V2, "definitions": {"A": {"$ref": "pet.yaml#/Pet"}}}, sort_keys=False),
    )
    opened = _open(spec)
    checked = validate_outputs(
        {"none": opened.loaded.doc},
        opened.version,
        method_extension="x-mes-method",
        missing=opened.missing,
    )
    assert [(f.rule, f.file, f.pointer, f.message) for f in checked["none"].findings] == [
        (
            "unresolved-ref",
            None,
            "#/definitions/Pet/properties/o/$ref",
            f"$ref 'gone.yaml#/O' {GONE}: gone.yaml",
        )
    ]


# ---------------------------------------------------------------- mappings: unresolved-mapping


def _pet_with_mapping(mapping: dict[str, str], **schemas: Any) -> dict[str, Any]:
    pet = {
        "type": "object",
        "properties": {"kind": {"type": "string"}},
        "discriminator": {"propertyName": "kind", "mapping": mapping},
    }
    return {**V30, "components": {"schemas": {"Pet": pet, **schemas}}}


MAPPING = "#/components/schemas/Pet/discriminator/mapping"


def test_unresolvable_mapping_values_are_warnings_kept_as_written(tmp_path: Path) -> None:
    mapping = {
        "file": "models/dog.yaml#/Dog",  # no models/ folder at all
        "whole": "models/cat.yaml",  # a `/`: a reference, not a schema name
        "local": "#/components/schemas/Nope",
        "name": "Kat",  # a schema name that names nothing
        "fine": "Dog",
    }
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump(_pet_with_mapping(mapping, Dog={"type": "object"}), sort_keys=False),
    )
    opened = _open(spec)
    assert opened.loaded.doc["components"]["schemas"]["Pet"]["discriminator"]["mapping"] == mapping
    result = validate_file(spec)
    assert result.valid
    assert [(f.rule, f.severity, f.pointer, f.message) for f in result.findings] == [
        (
            "unresolved-mapping",
            Severity.WARNING,
            f"{MAPPING}/file",
            f"discriminator mapping 'file': 'models/dog.yaml#/Dog' {GONE}: models/dog.yaml "
            "(kept as written)",
        ),
        (
            "unresolved-mapping",
            Severity.WARNING,
            f"{MAPPING}/whole",
            f"discriminator mapping 'whole': 'models/cat.yaml' {GONE}: models/cat.yaml "
            "(kept as written)",
        ),
        (
            "unresolved-mapping",
            Severity.WARNING,
            f"{MAPPING}/local",
            "discriminator mapping 'local': '#/components/schemas/Nope' points to nothing "
            "(kept as written)",
        ),
        (
            "unresolved-mapping",
            Severity.WARNING,
            f"{MAPPING}/name",
            "discriminator mapping 'name': 'Kat' names no schema "
            "(#/components/schemas/Kat points to nothing) (kept as written)",
        ),
    ]
    assert all(f.line is not None for f in result.findings)


def test_mapping_value_with_a_slash_is_a_file_ref_and_is_bundled(tmp_path: Path) -> None:
    _write(tmp_path / "models" / "dog.yaml", "type: object\n")
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump(_pet_with_mapping({"dog": "models/dog.yaml"}), sort_keys=False),
    )
    opened = _open(spec)
    schemas = opened.loaded.doc["components"]["schemas"]
    assert schemas["Pet"]["discriminator"]["mapping"] == {"dog": "#/components/schemas/dog"}
    assert schemas["dog"] == {"type": "object"}
    assert validate_file(spec).valid
    assert _refs(spec) == []


def test_missing_mapping_inside_a_bundled_file_is_reported_there(tmp_path: Path) -> None:
    pets = _write(
        tmp_path / "pets.yaml",
        "Pet:\n"
        "  type: object\n"
        "  discriminator:\n"
        "    propertyName: kind\n"
        "    mapping: {dog: 'dogs.yaml#/Dog'}\n",
    )
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump(
            {**V30, "components": {"schemas": {"A": {"$ref": "pets.yaml#/Pet"}}}},
            sort_keys=False,
        ),
    )
    assert validate_file(spec).valid
    assert [(f.rule, f.file, f.pointer, f.line, f.column) for f in _refs(spec)] == [
        ("unresolved-mapping", str(pets), "#/Pet/discriminator/mapping/dog", 5, 15)
    ]
    opened = _open(spec)
    mapping = opened.loaded.doc["components"]["schemas"]["Pet"]["discriminator"]["mapping"]
    assert mapping == {"dog": "dogs.yaml#/Dog"}


def test_a_refused_mapping_value_stays_a_policy_error_at_the_value(tmp_path: Path) -> None:
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump(_pet_with_mapping({"dog": "https://127.0.0.1:9/dog.json"}), sort_keys=False),
    )
    with pytest.raises(RefError) as info:
        _open(spec)
    assert info.value.pointer is None
    assert f" at {MAPPING}/dog is not a local reference" in info.value.one_line()


def test_mapping_warnings_do_not_stop_validation(tmp_path: Path) -> None:
    """The validator still runs (and finds the real error) next to a mapping warning."""
    doc = _pet_with_mapping({"dog": "#/nope"})
    doc["paths"] = {"/a": {"get": {"responses": {}}}}  # responses must not be empty
    spec = _write(tmp_path / "spec.yaml", yaml.safe_dump(doc, sort_keys=False))
    rules = {f.rule for f in validate_file(spec).findings}
    assert rules == {"unresolved-mapping", "invalid-spec"}


@pytest.mark.parametrize(
    ("value", "is_ref", "ref"),
    [
        ("Dog", False, "#/components/schemas/Dog"),
        ("dog.yaml", False, "#/components/schemas/dog.yaml"),
        ("models/dog.yaml", True, "models/dog.yaml"),
        ("dog.yaml#/Dog", True, "dog.yaml#/Dog"),
        ("#/components/schemas/Dog", True, "#/components/schemas/Dog"),
    ],
)
def test_mapping_value_name_or_ref(value: str, is_ref: bool, ref: str) -> None:
    assert mapping_is_ref(value) is is_ref
    assert mapping_ref(value) == ref


def test_without_the_policy_an_external_mapping_is_still_a_warning() -> None:
    """A document that did not go through open_spec (library use): no reason known."""
    doc = _pet_with_mapping({"dog": "dogs.yaml#/Dog"})
    version = detect(doc)
    assert isinstance(version, SpecVersion)
    index = build_index(doc, version, method_extension="x")
    [finding] = check_refs(doc, index)
    assert (finding.rule, finding.severity, finding.pointer) == (
        "unresolved-mapping",
        Severity.WARNING,
        f"{MAPPING}/dog",
    )
    assert "is not a local reference" in finding.message
    assert not [f for f in validate_document(doc, version, index) if f.severity is Severity.ERROR]


def test_local_ref_that_its_bundled_file_lacks_is_reported_there(tmp_path: Path) -> None:
    """`#/Owner` in pet.yaml means pet.yaml's Owner, even when the spec has one."""
    pet = _write(tmp_path / "pet.yaml", "Pet:\n  properties:\n    o: {$ref: '#/Owner'}\n")
    spec = _write(
        tmp_path / "spec.yaml",
        yaml.safe_dump(
            {**V2, "definitions": {"A": {"$ref": "pet.yaml#/Pet"}}, "Owner": {"type": "object"}},
            sort_keys=False,
        ),
    )
    assert not validate_file(spec).valid
    [finding] = _refs(spec)
    assert (finding.rule, finding.file, finding.pointer, finding.line) == (
        "unresolved-ref",
        str(pet),
        "#/Pet/properties/o/$ref",
        3,
    )
    assert finding.message == f"$ref '#/Owner' points to nothing: {pet} has no #/Owner"
