"""`swaggertools docs`: the installed command on both fixtures, links, determinism, safety."""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import RunCli, assert_one_line_error

REPO = Path(__file__).resolve().parent.parent
SWAGGER = REPO / "fixtures" / "mes-swagger.json"
OPENAPI = REPO / "fixtures" / "mes-openapi.yaml"
AUTHORITY = "https://sms.plant.local/identitymanager"
OK = {"200": {"description": "OK"}}


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


# ------------------------------------------------------------------ features of a small spec

HOSTILE_KEY = 'x-<img src=x onerror="alert(1)">'
FEATURES: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Features", "version": "1"},
    "host": "mes.local",
    "basePath": "/mesmw",
    "paths": {
        # excluded by the shipped rules; replaced by `api/kpi`, which is in this spec
        "/api/Core/Line/GetKpi": {
            "get": {"tags": ["Line"], "operationId": "Core_Line_GetKpi", "responses": OK}
        },
        # excluded; replaced by `api/v3/countsAndDuration/line`, which is not
        "/api/Core/Line/GetCountsAndDuration": {
            "get": {
                "tags": ["Line"],
                "operationId": "Core_Line_GetCountsAndDuration",
                "responses": OK,
            }
        },
        "/api/kpi": {
            "get": {
                "tags": ["Kpi"],
                "operationId": "Kpi_Get",
                "responses": {
                    "200": {"description": "OK", "schema": {"$ref": "#/definitions/Kpi"}}
                },
            }
        },
        "/api/Core/Line/Add": {
            "post": {
                "tags": ["Line"],
                "operationId": "Core_Line_Add",
                "deprecated": True,
                "x-hostile": "<script>alert(1)</script>",
                "x-nested": {"a": [1, "<b>"]},
                HOSTILE_KEY: True,
                "parameters": [
                    {"name": "line_id", "in": "query", "type": "string", "required": True},
                    {"name": "note", "in": "query", "type": "string"},
                    {
                        "name": "body",
                        "in": "body",
                        "required": True,
                        "schema": {"$ref": "#/definitions/LineAdd"},
                    },
                ],
                "responses": {
                    "200": {"description": "OK", "schema": {"$ref": "#/definitions/Kpi"}}
                },
            }
        },
    },
    "definitions": {
        "Kpi": {"type": "object", "properties": {"value": {"type": "number"}}},
        "LineAdd": {
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}, "kpi": {"$ref": "#/definitions/Kpi"}},
        },
    },
}


def _section(html: str, anchor: str) -> str:
    """The `<section>` of one operation or schema (they do not nest)."""
    start = html.index(f'id="{anchor}"')
    return html[html.rindex("<section", 0, start) : html.index("</section>", start)]


def _cell(row: str, number: int) -> str:
    return row.split("<td>")[number].split("</td>")[0]


@pytest.fixture(scope="module")
def features_site(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    import subprocess

    folder = tmp_path_factory.mktemp("features")
    spec = folder / "features.json"
    spec.write_text(json.dumps(FEATURES), encoding="utf-8")
    proc = subprocess.run(
        [swaggertools_cli, "docs", str(spec), "--authority", AUTHORITY, "-d", str(folder / "site")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "2 excluded" in proc.stdout
    return folder / "site"


def _read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_features_site_links_resolve(features_site: Path) -> None:
    assert _broken_links(features_site, _parse(features_site)) == []


def test_vendor_extensions_in_a_details_block_escaped(features_site: Path) -> None:
    html = _read(features_site, "tag-line.html")
    op = _section(html, "Core_Line_Add")
    block = op[op.index('<details class="ext">') : op.index("</details>")]
    assert "<summary>Vendor extensions (3)</summary>" in block
    assert "<dt><code>x-hostile</code></dt><dd><code>&lt;script&gt;alert(1)&lt;/script&gt;" in block
    assert "<code>{&#34;a&#34;: [1, &#34;&lt;b&gt;&#34;]}</code>" in block  # JSON, escaped
    assert "<dt><code>x-&lt;img src=x onerror=&#34;alert(1)&#34;&gt;</code></dt>" in block
    for page in features_site.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text, page.name
        assert "<img" not in text, page.name
    assert '<details class="ext">' not in _read(features_site, "tag-kpi.html")  # none there


def test_deprecated_operation_is_marked(features_site: Path) -> None:
    op = _section(_read(features_site, "tag-line.html"), "Core_Line_Add")
    assert op.startswith('<section class="op deprecated" id="Core_Line_Add">')
    heading = op[op.index("<h2>") : op.index("</h2>")]
    assert '<span class="dep">deprecated</span>' in heading
    other = _section(_read(features_site, "tag-kpi.html"), "Kpi_Get")
    assert other.startswith('<section class="op" id="Kpi_Get">')
    assert "deprecated" not in other


def test_excluded_replacement_links_when_documented_else_plain(features_site: Path) -> None:
    html = _read(features_site, "excluded.html")
    rows = {
        operation_id: row
        for row in html.split('<tr class="ex"')[1:]
        for operation_id in re.findall(r'<code class="ex-id">([^<]+)</code>', row)
    }
    assert sorted(rows) == ["Core_Line_GetCountsAndDuration", "Core_Line_GetKpi"]
    assert _cell(rows["Core_Line_GetKpi"], 5) == (
        '<a href="tag-kpi.html#Kpi_Get"><code>api/kpi</code></a>'
    )
    assert 'id="Kpi_Get"' in _read(features_site, "tag-kpi.html")
    plain = _cell(rows["Core_Line_GetCountsAndDuration"], 5)
    assert plain == "<code>api/v3/countsAndDuration/line</code> (not in this API)"


def test_schema_page_lists_what_uses_each_schema(features_site: Path) -> None:
    html = _read(features_site, "schemas.html")
    kpi = _section(html, "schema-Kpi")
    assert (
        '<p class="used-by">Used by operations: <a href="tag-kpi.html#Kpi_Get">Kpi_Get</a>, '
        '<a href="tag-line.html#Core_Line_Add">Core_Line_Add</a>; '
        'schemas: <a href="#schema-LineAdd">LineAdd</a>.</p>'
    ) in kpi.replace('href="schemas.html#', 'href="#')
    line_add = _section(html, "schema-LineAdd")
    assert (
        '<p class="used-by">Used by operations: '
        '<a href="tag-line.html#Core_Line_Add">Core_Line_Add</a>.</p>'
    ) in line_add


def test_required_mark_has_text_for_screen_readers(features_site: Path) -> None:
    mark = (
        '<span class="req" title="required" aria-hidden="true">*</span>'
        '<span class="sr"> (required)</span>'
    )
    op = _section(_read(features_site, "tag-line.html"), "Core_Line_Add")
    cells = [r.split("</tr>")[0] for r in op.split("<tr>")[2:]]  # after the head row
    rows = {r.split("<code>")[1].split("</code>")[0]: r for r in cells}
    assert mark in rows["line_id"]
    assert "req" not in rows["note"]
    schema = _section(_read(features_site, "schemas.html"), "schema-LineAdd")
    name, kpi = schema.split('<li id="schema-LineAdd/properties/')[1:]
    assert mark in name
    assert "req" not in kpi
    for page in features_site.glob("*.html"):  # never the bare star alone
        text = page.read_text(encoding="utf-8")
        assert text.count('class="req"') == text.count(mark), page.name


V31: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Three one", "version": "2"},
    "servers": [{"url": "https://mes.local/mesmw"}],
    "paths": {
        "/api/Core/Line/GetKpi": {
            "get": {"tags": ["Line"], "operationId": "Core_Line_GetKpi", "responses": OK}
        },
        "/api/v3/Item": {
            "put": {
                "tags": ["Item"],
                "operationId": "Item_Put",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Item"}}
                    },
                },
                "responses": OK,
            }
        },
    },
    "components": {
        "schemas": {
            "Item": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "note": {"type": ["string", "null"]},
                    "kind": {"const": "item"},
                },
            }
        }
    },
}


@pytest.mark.parametrize("as_is", [True, False], ids=["as-is", "cleaned"])
def test_openapi_3_1_input(run_cli: RunCli, tmp_path: Path, as_is: bool) -> None:
    (tmp_path / "v31.json").write_text(json.dumps(V31), encoding="utf-8")
    mode = ["--as-is"] if as_is else ["--authority", AUTHORITY]
    proc = run_cli("docs", "v31.json", *mode, "-d", "site")
    assert proc.returncode == 0, proc.stderr
    site = tmp_path / "site"
    assert _broken_links(site, _parse(site)) == []
    assert "3.1.0" in _read(site, "index.html")
    item = _section(_read(site, "schemas.html"), "schema-Item")
    assert "string | null" in item  # a 3.1 type list, as written
    assert "const: <code>&#34;item&#34;</code>" in item
    put = _section(_read(site, "tag-item.html"), "Item_Put")
    assert "<code>application/json</code>" in put
    assert 'href="schemas.html#schema-Item"' in put
    excluded = _read(site, "excluded.html")
    if as_is:  # documented as given: the excluded method is an operation like the others
        assert 'id="Core_Line_GetKpi"' in _read(site, "tag-line.html")
        assert "Core_Line_GetKpi" not in excluded
    else:
        assert not (site / "tag-line.html").exists()  # its only operation was excluded
        assert '<code class="ex-id">Core_Line_GetKpi</code>' in excluded
        assert "<code>api/kpi</code> (not in this API)" in excluded
        assert "User Access Token" in _read(site, "index.html")


def test_cleaned_swagger_2_rerun_is_byte_identical(run_cli: RunCli, tmp_path: Path) -> None:
    def snapshot(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }

    for name in ("one", "two"):
        proc = run_cli("docs", SWAGGER, "--authority", AUTHORITY, "-d", name)
        assert proc.returncode == 0, proc.stderr
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert len(one) > 40
    assert one == two
