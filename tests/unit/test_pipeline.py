"""The wiring module: stage order, progress, output naming, library use without writing."""

import json
from pathlib import Path

import pytest

from swaggertools import CleanOptions, clean
from swaggertools.errors import LoadError, UsageError
from swaggertools.pipeline import load_spec, output_paths

SPEC = {
    "swagger": "2.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/api/Core/AttrSet/Add": {
            "post": {"operationId": "Core_AttrSet_Add", "responses": {"200": {"description": "ok"}}}
        },
        "/api/Core/Ent/GetAll": {
            "get": {"operationId": "Core_Ent_GetAll", "responses": {"200": {"description": "ok"}}}
        },
    },
}
STAGES = [
    "load",
    "index",
    "validate_input",
    "select",
    "prune",
    "secure",
    "validate_outputs",
    "emit",
]


def _spec(tmp_path: Path, name: str = "mes.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(SPEC), encoding="utf-8")
    return path


def test_progress_reports_every_stage_in_order_and_timings_match(tmp_path: Path) -> None:
    seen: list[str] = []
    result = clean(
        _spec(tmp_path),
        CleanOptions(authority="https://aim/identitymanager"),
        output_dir=tmp_path / "out",
        progress=seen.append,
    )
    assert seen == STAGES
    assert list(result.report.timings_ms) == STAGES
    assert all(v >= 0 for v in result.report.timings_ms.values())


def test_clean_writes_nothing_until_asked(tmp_path: Path) -> None:
    result = clean(
        _spec(tmp_path), CleanOptions(authority="https://aim/identitymanager"),
        output_dir=tmp_path / "out",
    )  # fmt: skip
    assert result.ok
    assert not (tmp_path / "out").exists()
    assert [a.path.name for a in result.artifacts] == [
        "mes.user.json", "mes.service.json", "mes.report.json", "mes.report.md",
    ]  # fmt: skip
    assert list(result.documents) == ["user", "service"]
    assert "/api/Core/AttrSet/Add" not in result.documents["user"]["paths"]
    result.write()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "mes.report.json", "mes.report.md", "mes.service.json", "mes.user.json",
    ]  # fmt: skip


def test_skipping_input_validation(tmp_path: Path) -> None:
    result = clean(_spec(tmp_path), CleanOptions(auth="none", validate_input=False))
    assert "validate_input" not in result.report.timings_ms
    assert result.report.validation["input"] == {"checked": False, "valid": True, "errors": []}


@pytest.mark.parametrize(
    ("name", "variants", "fmt", "expected"),
    [
        ("mes.json", ("user", "service"), "json", ["o/mes.user.json", "o/mes.service.json"]),
        ("mes.v2.json", ("clean",), "json", ["o/mes.v2.clean.json"]),
        ("api.yml", ("clean",), "yaml", ["o/api.clean.yml"]),
        ("api.yml", ("clean",), "json", ["o/api.clean.json"]),
        ("api.json", ("user",), "yaml", ["o/api.user.yaml"]),
        ("noext", ("clean",), "json", ["o/noext.clean.json"]),
    ],
)
def test_output_names(name: str, variants: tuple[str, ...], fmt: str, expected: list[str]) -> None:
    paths, stem = output_paths(
        Path(name),
        variants,
        fmt,
        output_dir=Path("o"),
        output=None,
        in_place=False,  # type: ignore[arg-type]
    )
    assert [str(p) for p in paths.values()] == expected
    assert stem == Path("o") / name.rsplit(".", 1)[0]


def test_output_and_in_place_need_one_file_modes() -> None:
    with pytest.raises(UsageError, match="--auth both writes two"):
        output_paths(Path("a.json"), ("user", "service"), "json", output_dir=None,
                     output=Path("x.json"), in_place=False)  # fmt: skip
    with pytest.raises(UsageError, match="either --output or --in-place"):
        output_paths(Path("a.json"), ("clean",), "json", output_dir=None,
                     output=Path("x.json"), in_place=True)  # fmt: skip


def test_output_reports_go_beside_the_output_file() -> None:
    paths, stem = output_paths(
        Path("a.json"), ("clean",), "json", output_dir=None, output=Path("dist/api.json"),
        in_place=False,
    )  # fmt: skip
    assert paths == {"clean": Path("dist/api.json")}
    assert stem == Path("dist/api")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2]", "a.json:1:1: top level is a list, not an object"),
        ('{"a": 1}', "a.json:1:1: neither 'swagger' nor 'openapi' at the top level"),
        ('{\n  "swagger": "3.0"\n}', "a.json:2:3: unsupported swagger version '3.0'"),
    ],
)
def test_not_a_spec_errors_have_a_location(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "a.json").write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_spec(tmp_path / "a.json")
    assert caught.value.one_line().replace(str(tmp_path) + "/", "").startswith(message)
