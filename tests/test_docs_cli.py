"""`swaggertools docs`: the installed command on both fixtures, links, determinism, safety."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import RunCli, assert_one_line_error

REPO = Path(__file__).resolve().parent.parent
SWAGGER = REPO / "fixtures" / "mes-swagger.json"
OPENAPI = REPO / "fixtures" / "mes-openapi.yaml"
AUTHORITY = "https://sms.plant.local/identitymanager"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.inline: list[str] = []
        self.tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tag = tag
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "a" and a.get("href") is not None:
            self.hrefs.append(str(a["href"]))
        if tag == "script":
            self.scripts.append(str(a.get("src")))
        if tag == "link":
            self.styles.append(str(a.get("href")))
        if "style" in a or any(k.startswith("on") for k in a):
            self.inline.append(tag)

    def handle_data(self, data: str) -> None:
        if self.tag in ("script", "style") and data.strip():
            self.inline.append(self.tag)


def _parse(site: Path) -> dict[str, _Page]:
    pages = {}
    for path in sorted(site.glob("*.html")):
        page = _Page()
        page.feed(path.read_text(encoding="utf-8"))
        pages[path.name] = page
    return pages


def _broken_links(site: Path, pages: dict[str, _Page]) -> list[str]:
    broken = []
    for name, page in pages.items():
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            target = parts.path or name
            fragment = unquote(parts.fragment)
            if target not in pages:
                if not (site / target).is_file():
                    broken.append(f"{name}: {href}")
                continue
            if fragment and fragment not in pages[target].ids:
                broken.append(f"{name}: {href}")
    return broken


@pytest.fixture(scope="module")
def swagger_site(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    import subprocess

    out = tmp_path_factory.mktemp("swagger") / "site"
    proc = subprocess.run(
        [swaggertools_cli, "docs", str(SWAGGER), "--authority", AUTHORITY, "-d", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "operations" in proc.stdout
    return out


def test_every_kept_operation_has_its_anchor_on_a_tag_page(swagger_site: Path) -> None:
    pages = _parse(swagger_site)
    tag_ids = {i for name, p in pages.items() if name.startswith("tag-") for i in p.ids}
    source = json.loads(SWAGGER.read_text(encoding="utf-8"))
    report = json.loads((REPO / "fixtures" / "mes-swagger.expected.json").read_text())
    removed = set(report["removed_operation_ids"])
    assert removed, "the fixture excludes operations"
    all_ids = {op["operationId"] for item in source["paths"].values() for op in item.values()}
    for operation_id in sorted(all_ids - removed):
        assert operation_id in tag_ids, operation_id
    for operation_id in sorted(removed):
        assert operation_id not in tag_ids, operation_id
    excluded = (swagger_site / "excluded.html").read_text(encoding="utf-8")
    for operation_id in removed:
        assert f">{operation_id}<" in excluded


def test_links_between_pages_resolve(swagger_site: Path) -> None:
    pages = _parse(swagger_site)
    assert len(pages) > 10
    assert _broken_links(swagger_site, pages) == []


def test_pages_load_nothing_from_the_network_and_nothing_inline(swagger_site: Path) -> None:
    for name, page in _parse(swagger_site).items():
        assert page.scripts == ["assets/site.js"], name
        assert page.styles == ["assets/site.css"], name
        assert page.inline == [], name
        text = (swagger_site / name).read_text(encoding="utf-8")
        assert "Content-Security-Policy" in text
        assert "http://" not in text.split("</head>")[0]
        assert len(re.findall(r'<input type="search"', text)) == 1


def test_index_shows_token_modes_and_run_facts(swagger_site: Path) -> None:
    index = (swagger_site / "index.html").read_text(encoding="utf-8")
    sha = hashlib.sha256(SWAGGER.read_bytes()).hexdigest()
    assert sha in index
    assert "User Access Token" in index
    assert "Service to Service Access Token" in index
    assert f"{AUTHORITY}/connect/token" in index
    assert "mes-model-driven-7.0" in index


def test_search_index_finds_operations_by_mes_method(swagger_site: Path) -> None:
    scripts = sorted((swagger_site / "assets").glob("search-*.js"))
    text = "".join(s.read_text(encoding="utf-8") for s in scripts)
    assert "FactMES.API.Core.AttrSet.GetAll" in text
    assert text.startswith("(window.STS=window.STS||[]).push(")


def test_rerun_is_byte_identical_and_replaces_the_site(run_cli: RunCli, tmp_path: Path) -> None:
    def snapshot(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }

    first = run_cli("docs", OPENAPI, "--as-is", "-d", "site")
    assert first.returncode == 0, first.stderr
    one = snapshot(tmp_path / "site")
    (tmp_path / "site" / "stale.html").write_text("old", encoding="utf-8")
    second = run_cli("docs", OPENAPI, "--as-is", "-d", "site")
    assert second.returncode == 0, second.stderr
    assert snapshot(tmp_path / "site") == one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_openapi_fixture_links_resolve(run_cli: RunCli, tmp_path: Path) -> None:
    proc = run_cli("docs", OPENAPI, "--authority", AUTHORITY, "--auth", "user", "-d", "site")
    assert proc.returncode == 0, proc.stderr
    site = tmp_path / "site"
    assert _broken_links(site, _parse(site)) == []
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "User Access Token" in index
    assert "Service to Service" not in index


def test_refuses_to_replace_a_folder_of_other_files(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep", encoding="utf-8")
    proc = run_cli("docs", OPENAPI, "--as-is", "-d", "mine")
    line = assert_one_line_error(proc)
    assert "not a swaggertools docs site" in line
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep"


def test_failed_run_leaves_the_previous_site(run_cli: RunCli, tmp_path: Path) -> None:
    assert run_cli("docs", OPENAPI, "--as-is", "-d", "site").returncode == 0
    before = (tmp_path / "site" / "index.html").read_bytes()
    (tmp_path / "bad.json").write_text('{"swagger": "2.0", "paths": ', encoding="utf-8")
    proc = run_cli("docs", "bad.json", "--as-is", "-d", "site")
    line = assert_one_line_error(proc)
    assert "bad.json" in line
    assert (tmp_path / "site" / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "site"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("docs", "missing.json", "--as-is"), "missing.json"),
        (("docs", str(SWAGGER)), "--authority is required with --auth both"),
        (("docs", str(SWAGGER), "--as-is", "--format", "pdf"), "--format"),
    ],
)
def test_bad_input_is_one_line_exit_2(run_cli: RunCli, args: tuple[str, ...], message: str) -> None:
    line = assert_one_line_error(run_cli(*args))
    assert message in line
