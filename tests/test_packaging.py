"""The wheel carries the shipped rule sets and finds them outside the repository."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("swaggertools_mes-*.whl")
    return found


def test_wheel_contains_rules_schema_and_typing_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "swaggertools/rules/mes-model-driven-7.0.yaml" in names
    assert "swaggertools/rules/schema.json" in names
    assert "swaggertools/schemas/report.schema.json" in names
    assert "swaggertools/schemas/kit.schema.json" in names
    assert "swaggertools/schemas/WebAPITypes.xsd" in names
    assert "swaggertools/py.typed" in names
    assert not any(n.startswith(("tests/", "fixtures/")) for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "swaggertools = swaggertools.cli:main" in text


def test_installed_wheel_finds_shipped_rules_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = (
        "import json, swaggertools, swaggertools.rules as r;"
        "rs = swaggertools.load_ruleset('mes-model-driven-7.0');"
        "print(json.dumps([swaggertools.__file__, str(r.rules_dir()),"
        " rs.name, len(rs.rules), rs.file]))"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    module_file, rules_dir, name, count, file = json.loads(done.stdout)
    assert module_file.startswith(str(site))
    assert rules_dir == str(site / "swaggertools" / "rules")
    assert (name, count, file) == ("mes-model-driven-7.0", 42, "shipped:mes-model-driven-7.0.yaml")


DOCS = REPO / "swaggertools" / "docs"


def test_wheel_ships_the_docs_templates_and_static_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(
        p.relative_to(REPO).as_posix()
        for folder in ("templates", "static")
        for p in (DOCS / folder).iterdir()
        if p.is_file()
    )
    assert any(n.endswith(".html.j2") for n in shipped)
    assert {"swaggertools/docs/static/site.css", "swaggertools/docs/static/site.js"} <= set(shipped)
    assert [n for n in shipped if n not in names] == []


def test_wheel_ships_the_import_sheet_template_and_stylesheet(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "swaggertools/worktasks/templates/import.html.j2",
        "swaggertools/worktasks/static/sheet.css",
        "swaggertools/docs/templates/page.html.j2",
    } <= names


def test_installed_wheel_builds_a_site_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    spec = REPO / "fixtures" / "mes-swagger.json"
    code = (
        "import json, swaggertools.docs as d;"
        f"r = d.build_site({str(spec)!r}, 'out', d.DocsOptions(as_is=True));"
        "print(json.dumps([d.__file__, r.pages[-1], r.operations]))"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(site)!r}); {code}"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    module_file, last_page, operations = json.loads(done.stdout)
    assert module_file.startswith(str(site))
    assert last_page == "index.html"
    assert operations > 0
    out = elsewhere / "out"
    for name in ("site.css", "site.js"):
        assert (out / "assets" / name).read_bytes() == (DOCS / "static" / name).read_bytes()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="assets/site.css">' in index
    assert "Operation groups" in index
