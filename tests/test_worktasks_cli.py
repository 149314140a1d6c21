"""`swaggertools worktasks` through the installed command: kits, refusals, atomicity."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import RunCli, assert_one_line_error

ROOT = Path(__file__).resolve().parent.parent
XSD = etree.XMLSchema(etree.parse(str(ROOT / "swaggertools/schemas/WebAPITypes.xsd")))
AUTHORITY = "https://sms.plant.local/identitymanager"
GOOD = {
    "--base-address": "https://mes.plant.local/mesmw/",
    "--publish-url": "https://web.plant.local/specs/",
    "--authority": AUTHORITY,
}


def _args(spec: Path | str, target: Path | str, **override: str | None) -> list[str]:
    values = {**GOOD, **{"--" + k.replace("_", "-"): v for k, v in override.items()}}
    args = [str(spec), "-d", str(target), "--no-config"]
    for key, value in values.items():
        if value is not None:
            args += [key, value]
    return args


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    copy = tmp_path / "in" / "mes-swagger.json"
    copy.parent.mkdir()
    shutil.copy(ROOT / "fixtures/mes-swagger.json", copy)
    return copy


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize(
    ("fixture", "ext"), [("mes-swagger.json", "json"), ("mes-openapi.yaml", "yaml")]
)
def test_kit_for_each_fixture(run_cli: RunCli, tmp_path: Path, fixture: str, ext: str) -> None:
    source = ROOT / "fixtures" / fixture
    proc = run_cli("worktasks", *_args(source, tmp_path / "kit"))
    assert proc.returncode == 0, proc.stderr
    stem = fixture.rsplit(".", 1)[0]
    kit = tmp_path / "kit"
    assert sorted(p.name for p in kit.iterdir()) == sorted(
        [
            f"{stem}.user.{ext}",
            f"{stem}.service.{ext}",
            f"{stem}.report.json",
            f"{stem}.report.md",
            "WebAPITypes.xml",
            "IMPORT.md",
            "import.html",
            "import.css",
            "kit.json",
        ]
    )
    # the specs are exactly what `clean --auth both` writes
    clean = run_cli("clean", source, "--authority", AUTHORITY, "-d", tmp_path / "clean", "-q")
    assert clean.returncode == 0, clean.stderr
    for mode in ("user", "service"):
        name = f"{stem}.{mode}.{ext}"
        assert (kit / name).read_bytes() == (tmp_path / "clean" / name).read_bytes()
    root = etree.fromstring((kit / "WebAPITypes.xml").read_bytes())
    XSD.assertValid(root)
    assert [t.findtext("SwaggerConfiguration") for t in root] == [
        f"https://web.plant.local/specs/{stem}.user.{ext}",
        f"https://web.plant.local/specs/{stem}.service.{ext}",
    ]
    assert [t.get("Name") for t in root] == [
        "AVEVA-MES-Web-API-model-driven-sample-User",
        "AVEVA-MES-Web-API-model-driven-sample-Service",
    ]
    sheet = (kit / "IMPORT.md").read_text(encoding="utf-8")
    assert ('mimeType="application/yaml"' in sheet) == (ext == "yaml")
    assert f"kit: {kit}" in proc.stdout
    assert "wrote" in proc.stdout


def test_unchanged_input_gives_byte_identical_files(
    run_cli: RunCli, spec: Path, tmp_path: Path
) -> None:
    kit = tmp_path / "kit"
    assert run_cli("worktasks", *_args(spec, kit)).returncode == 0
    first = _snapshot(kit)
    assert run_cli("worktasks", *_args(spec, kit)).returncode == 0
    second = _snapshot(kit)
    assert first.keys() == second.keys()
    differ = sorted(n for n in first if first[n] != second[n])
    assert set(differ) <= {"mes-swagger.report.json", "mes-swagger.report.md"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "kit"]  # nothing left beside


BAD_OPTIONS = [
    ({"base_address": "http://mes.plant.local/mesmw/"}, "--base-address must be https"),
    ({"base_address": "https://mes.plant.local/mesmw"}, "--base-address must end with '/'"),
    ({"base_address": "mes.plant.local/mesmw/"}, "--base-address must be an absolute URL"),
    ({"base_address": "https://mes.plant.local/mesmw/?a=1"}, "must not have a query"),
    ({"publish_url": "ftp://web.plant.local/specs/"}, "--publish-url must be an absolute http(s)"),
    ({"publish_url": "/specs/"}, "--publish-url must be an absolute URL"),
    ({"authority": "https://sms.plant.local"}, "--authority does not look like an AIM URL"),
    ({"authority": "http://sms.plant.local/identitymanager"}, "does not look like an AIM URL"),
    ({"authority": None}, "--authority is required"),
    ({"name": "user=***"}, "is empty once reduced"),
    ({"name": "bogus"}, "--name takes MODE=NAME"),
    ({"xml_auth_mode": "Bearer"}, "--xml-auth-mode: 'Bearer' is not one of"),
]


@pytest.mark.parametrize(("override", "message"), BAD_OPTIONS, ids=[m for _, m in BAD_OPTIONS])
def test_bad_option_gets_its_message_and_nothing_is_written(
    run_cli: RunCli, spec: Path, tmp_path: Path, override: dict[str, str | None], message: str
) -> None:
    proc = run_cli("worktasks", *_args(spec, tmp_path / "kit", **override))
    line = assert_one_line_error(proc, 2)
    assert message in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_names_must_differ(run_cli: RunCli, spec: Path, tmp_path: Path) -> None:
    args = [*_args(spec, tmp_path / "kit"), "--name", "user=MES", "--name", "service=mes"]
    line = assert_one_line_error(run_cli("worktasks", *args), 2)
    assert "the user and service names must differ" in line
    assert not (tmp_path / "kit").exists()


def test_http_base_address_with_allow_http(run_cli: RunCli, spec: Path, tmp_path: Path) -> None:
    args = _args(spec, tmp_path / "kit", base_address="http://mes.test/mesmw/")
    proc = run_cli("worktasks", *args, "--allow-http", "--name", "user=T User", "-q")
    assert proc.returncode == 0, proc.stderr
    kit = json.loads((tmp_path / "kit/kit.json").read_bytes())
    assert kit["base_address"] == "http://mes.test/mesmw/"
    assert kit["modes"][0]["name"] == "T-User"


def test_output_folder_refusals(run_cli: RunCli, spec: Path, tmp_path: Path) -> None:
    # the input file itself
    line = assert_one_line_error(run_cli("worktasks", *_args(spec, spec)), 2)
    assert "is the input file" in line
    # a folder holding the input
    line = assert_one_line_error(run_cli("worktasks", *_args(spec, spec.parent)), 2)
    assert "holds the input" in line
    # somebody's folder, not a previous kit
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    line = assert_one_line_error(run_cli("worktasks", *_args(spec, mine)), 2)
    assert "not a previous kit" in line
    assert (mine / "notes.txt").read_text() == "keep me"
    # an existing file
    other = tmp_path / "file.txt"
    other.write_text("x")
    line = assert_one_line_error(run_cli("worktasks", *_args(spec, other)), 2)
    assert "is an existing file" in line
    assert spec.read_bytes() == (ROOT / "fixtures/mes-swagger.json").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "in", "mine"]
    # an empty folder is fine
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run_cli("worktasks", *_args(spec, empty), "-q").returncode == 0
    assert (empty / "kit.json").is_file()


def test_failures_leave_the_previous_kit(run_cli: RunCli, spec: Path, tmp_path: Path) -> None:
    kit = tmp_path / "kit"
    assert run_cli("worktasks", *_args(spec, kit), "-q").returncode == 0
    before = _snapshot(kit)
    # a bad option
    assert_one_line_error(run_cli("worktasks", *_args(spec, kit, publish_url="nope")), 2)
    assert _snapshot(kit) == before
    # an input whose outputs do not validate: nothing written, exit 1
    broken = tmp_path / "in" / "broken.json"
    broken.write_text(
        json.dumps(
            {
                "swagger": "2.0",
                "info": {"title": "t", "version": "1"},
                "paths": {
                    "/a": {
                        "get": {
                            "operationId": "A",
                            "parameters": [{"name": "x", "in": "nowhere", "type": "string"}],
                            "responses": {"200": {"description": "ok"}},
                        }
                    }
                },
            }
        )
    )
    proc = run_cli("worktasks", *_args(broken, kit))
    assert proc.returncode == 1, proc.stderr
    assert "nothing written" in proc.stdout
    assert _snapshot(kit) == before
    # an unreadable input
    line = assert_one_line_error(run_cli("worktasks", *_args(tmp_path / "in/missing.json", kit)), 2)
    assert "missing.json" in line
    assert _snapshot(kit) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "kit"]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_builds_the_kit(tmp_path: Path) -> None:
    import subprocess
    import sys

    venv = Path(sys.executable).parent.parent
    out = tmp_path / "out"
    # -o: the running environment is installed already; do not reinstall it
    proc = subprocess.run(
        ["make", "-C", str(ROOT), "-o", f"{venv}/.installed", "demo", f"VENV={venv}", f"OUT={out}"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    kit = json.loads((out / "worktasks-kit" / "kit.json").read_bytes())
    assert [m["spec"]["file"] for m in kit["modes"]] == [
        "mes-swagger.user.json",
        "mes-swagger.service.json",
    ]
    assert (
        (out / "worktasks-kit" / "IMPORT.md")
        .read_text(encoding="utf-8")
        .startswith("# Work Tasks import kit: AVEVA MES Web API (model-driven, sample)")
    )
    # the README's excerpt of the import sheet is what the demo writes
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("An excerpt of `IMPORT.md`", 1)[1].split("```markdown\n", 1)[1]
    excerpt = excerpt.split("```", 1)[0]
    sheet = (out / "worktasks-kit" / "IMPORT.md").read_text(encoding="utf-8")
    assert excerpt.strip() in sheet
