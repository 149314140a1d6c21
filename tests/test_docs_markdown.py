"""`swaggertools docs --format markdown`: every file rendered with markdown-it-py's GFM mode.

The installed command writes the files; each is rendered as GitHub would (GFM tables, raw
HTML kept, which GitHub then filters) and the rendered HTML is checked: links and anchors
resolve, operations are where they belong, hostile vendor text stays text.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

from swaggertools.docs.md_text import code, inline, markdown_block, markdown_cell, row
from tests.conftest import RunCli, assert_one_line_error

REPO = Path(__file__).resolve().parent.parent
SWAGGER = REPO / "fixtures" / "mes-swagger.json"
OPENAPI = REPO / "fixtures" / "mes-openapi.yaml"
AUTHORITY = "https://sms.plant.local/identitymanager"


def _gfm() -> MarkdownIt:
    """GitHub-flavoured Markdown as markdown-it-py has it (linkify needs linkify-it-py)."""
    try:
        return MarkdownIt("gfm-like", {"linkify": False})
    except (KeyError, ImportError):  # pragma: no cover - older markdown-it-py
        return MarkdownIt("commonmark").enable("table")


GFM = _gfm()
SAFE_TAGS = {
    "p", "a", "code", "strong", "em", "h1", "h2", "h3", "ul", "ol", "li", "table", "thead",
    "tbody", "tr", "th", "td", "br", "blockquote", "pre", "hr", "s",
}  # fmt: skip


class _Rendered(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str]] = []
        self.headings: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attrs.append((name, value or ""))
            if name == "id" and value:
                self.ids.append(value)
            if tag == "a" and name == "href" and value is not None:
                self.hrefs.append(value)
        if tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def render(site: Path) -> dict[str, tuple[str, _Rendered]]:
    """Every Markdown file of a site: (rendered HTML, what is in it)."""
    files = {}
    for path in sorted(site.glob("*.md")):
        html = GFM.render(path.read_text(encoding="utf-8"))
        parsed = _Rendered()
        parsed.feed(html)
        files[path.name] = (html, parsed)
    return files


def broken_links(files: dict[str, tuple[str, _Rendered]]) -> list[str]:
    broken = []
    for name, (_, page) in files.items():
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            target = parts.path or name
            if target not in files:
                broken.append(f"{name}: {href} (no such file)")
            elif parts.fragment and unquote(parts.fragment) not in files[target][1].ids:
                broken.append(f"{name}: {href} (no such anchor)")
    return broken


@pytest.fixture(scope="module")
def swagger_wiki(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    import subprocess

    out = tmp_path_factory.mktemp("md-swagger") / "wiki"
    proc = subprocess.run(
        [
            swaggertools_cli,
            "docs",
            str(SWAGGER),
            "--authority",
            AUTHORITY,
            "--format",
            "markdown",
            "-d",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"→ {out}/" in proc.stdout
    return out


def test_files_are_the_index_one_per_tag_schemas_and_excluded(swagger_wiki: Path) -> None:
    names = sorted(p.name for p in swagger_wiki.iterdir())
    assert names[:2] == [".swaggertools-docs", "README.md"]
    assert "schemas.md" in names
    assert "excluded.md" in names
    tags = [n for n in names if n.startswith("tag-")]
    assert len(tags) == 43
    assert all(n.endswith(".md") for n in tags)
    assert not [n for n in names if n.endswith(".html")]


def test_every_link_and_anchor_resolves(swagger_wiki: Path) -> None:
    files = render(swagger_wiki)
    hrefs = [h for _, page in files.values() for h in page.hrefs]
    assert len(hrefs) > 500  # operations link schemas, schemas link back, index links all
    assert any("#schema-" in h for h in hrefs)
    assert any(h.startswith("tag-") for h in hrefs)
    assert broken_links(files) == []


def test_kept_operations_in_their_tag_file_excluded_only_in_excluded(swagger_wiki: Path) -> None:
    files = render(swagger_wiki)
    source = json.loads(SWAGGER.read_text(encoding="utf-8"))
    report = json.loads((REPO / "fixtures" / "mes-swagger.expected.json").read_text())
    removed = set(report["removed_operation_ids"])
    assert removed
    for item in source["paths"].values():
        for op in item.values():
            operation_id = op["operationId"]
            (tag,) = op["tags"]
            holders = sorted(n for n, (_, page) in files.items() if operation_id in page.ids)
            if operation_id in removed:
                assert holders == [], operation_id
                html = files["excluded.md"][0]
                assert f"<code>{operation_id}</code>" in html, operation_id
            else:
                assert holders == [f"tag-{tag.lower()}.md"], operation_id
                html = files[holders[0]][0]
                assert f"<code>{operation_id}</code>" in html, operation_id


def test_an_operation_shows_its_facts_as_gfm(swagger_wiki: Path) -> None:
    html, _page = render(swagger_wiki)["tag-attrset.md"]
    assert "<table>" in html
    assert "<th>Name</th>" in html
    assert "<code>FactMES.API.Core.AttrSet.GetAll</code>" in html
    assert 'href="README.md#resp-401"' in html  # the common AIM response, shown once
    assert "aimUserToken" in html
    assert "aimServiceToken" in html
    index = render(swagger_wiki)["README.md"][0]
    assert "User Access Token" in index
    assert f"{AUTHORITY}/connect/token" in index


def test_token_modes_cell_breaks_lines_and_shows_no_literal_br(swagger_wiki: Path) -> None:
    """The scheme cell joins its name and description with a `<br>` line break.

    The description is `Markup`: adding "<br>" to it once escaped the tag, so GitHub
    showed the text `&lt;br&gt;` instead of a line break.
    """
    html = render(swagger_wiki)["README.md"][0]
    start = html.index("<td><code>aimUserToken</code>")
    cell = html[start : html.index("</td>", start)]
    assert "(oauth2)<br>" in cell  # a real line break (raw HTML in GFM, kept as is)
    assert "AVEVA Identity Manager (AIM) user access token" in cell
    assert "&lt;br&gt;" not in html
    markdown = (swagger_wiki / "README.md").read_text(encoding="utf-8")
    assert "&lt;br&gt;" not in markdown


def test_rerun_is_byte_identical(run_cli: RunCli, tmp_path: Path) -> None:
    def snapshot() -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in (tmp_path / "wiki").iterdir()}

    args = ("docs", OPENAPI, "--authority", AUTHORITY, "--format", "markdown", "-d", "wiki")
    assert run_cli(*args).returncode == 0
    first = snapshot()
    (tmp_path / "wiki" / "stale.md").write_text("old", encoding="utf-8")
    assert run_cli(*args).returncode == 0
    assert snapshot() == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wiki"]


def test_openapi_fixture_links_resolve(run_cli: RunCli, tmp_path: Path) -> None:
    proc = run_cli(
        "docs", OPENAPI, "--authority", AUTHORITY, "--auth", "user", "--format", "markdown"
    )
    assert proc.returncode == 0, proc.stderr
    files = render(tmp_path / "swaggertools-docs")
    assert broken_links(files) == []
    index = files["README.md"][0]
    assert "User Access Token" in index
    assert "Service to Service" not in index
    assert sum(len(page.ids) for name, (_, page) in files.items() if name.startswith("tag-")) > 10


def test_large_groups_and_schemas_split_into_numbered_files(tmp_path: Path) -> None:
    from swaggertools.docs import DocsOptions, build_site
    from swaggertools.docs.layout import Limits

    options = DocsOptions(as_is=True, format="markdown", limits=Limits(bytes=6000, elements=10**6))
    result = build_site(SWAGGER, tmp_path / "wiki", options)
    names = set(result.pages)
    assert "schemas-p2.md" in names
    assert any(n.startswith("tag-") and n.endswith("-p2.md") for n in names)
    assert result.largest_page_bytes < 20_000  # one large fragment may stand alone
    files = render(tmp_path / "wiki")
    assert broken_links(files) == []
    assert "Parts: [1](schemas.md) **2** [3](schemas-p3.md)" in (
        tmp_path / "wiki" / "schemas-p2.md"
    ).read_text(encoding="utf-8")


# ---------------------------------------------------------------------- hostile input

JS = "window.pwned=1;alert(1)"
HOSTILE_MD = (
    "Plain *markdown* first.\n\n"
    f'<script>{JS}</script><img src=x onerror="{JS}"><svg onload="{JS}"></svg>\n\n'
    f'<iframe src="javascript:{JS}"></iframe> inline <img src=x onerror="{JS}"> html\n\n'
    f"[md link](javascript:{JS}) [data](data:text/html;base64,PHNjcmlwdD4=) "
    f"<javascript:{JS}> ![tracker](https://tracker.invalid/p.png) [ok](https://example.com/a)\n\n"
    "| a | b |\n|---|---|\n| cell | x |\n\n"
    "# Fake heading\n\n"
    "```\nan unclosed fence that would swallow the file"
)


def hostile_spec() -> dict[str, Any]:
    """Swagger 2.0 whose every name and description tries HTML or Markdown injection."""
    evil_tag = "[tag](javascript:alert(1))<img src=x onerror=alert(1)>|"
    param = {
        "name": "a|b<script>",
        "in": "query",
        "type": "string",
        "description": "pipe | and\nnewline <img src=x onerror=alert(1)>\n\n```\nfence",
        "enum": ["x|y", "`tick`"],
    }
    return {
        "swagger": "2.0",
        "info": {
            "title": "<script>alert(1)</script># API ![i](http://x/i.png)",
            "version": "1",
            "description": HOSTILE_MD,
        },
        "tags": [{"name": evil_tag, "description": HOSTILE_MD}],
        "paths": {
            "/api/<script>alert(1)</script>/[x](javascript:alert(1))/{id}": {
                "get": {
                    "tags": [evil_tag],
                    "operationId": '"><img src=x onerror=alert(1)>op',
                    "summary": "![s](http://t.invalid/s.png) <b onclick=alert(1)>summary</b> |",
                    "description": HOSTILE_MD,
                    "parameters": [param, {**param, "name": "second"}],
                    "responses": {
                        "200": {"description": HOSTILE_MD, "schema": {"$ref": "#/definitions/E<b>"}}
                    },
                    "x-<script>": "</code><script>alert(1)</script>",
                }
            },
            "/after": {
                "get": {
                    "tags": [evil_tag],
                    "operationId": "after",
                    "responses": {"204": {"description": "[x](javascript:alert(1))"}},
                }
            },
        },
        "definitions": {
            "E<b>": {
                "type": "object",
                "description": HOSTILE_MD,
                "properties": {
                    "<img src=x>": {"type": "string", "description": HOSTILE_MD},
                    "self": {"$ref": "#/definitions/E<b>"},
                },
            }
        },
    }


@pytest.fixture(scope="module")
def hostile_wiki(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    import subprocess

    folder = tmp_path_factory.mktemp("md-hostile")
    (folder / "hostile.json").write_text(json.dumps(hostile_spec()), encoding="utf-8")
    proc = subprocess.run(
        [swaggertools_cli, "docs", "hostile.json", "--as-is", "--format", "markdown", "-d", "w"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return folder / "w"


def test_hostile_text_renders_no_html_and_no_script_link(hostile_wiki: Path) -> None:
    files = render(hostile_wiki)
    assert len(files) == 4
    for name, (html, page) in files.items():
        for raw in ("<script", "<img", "<iframe", "<svg", "<style"):
            assert raw not in html, (name, raw)
        assert page.tags <= SAFE_TAGS, (name, page.tags - SAFE_TAGS)
        for attr, value in page.attrs:
            assert attr in ("id", "href", "start", "style", "class"), (name, attr)
            assert "javascript:" not in value.lower(), name
            assert "data:" not in value.lower(), name
            if attr == "style":  # markdown-it's table alignment only
                assert value in ("text-align:right", "text-align:left"), value
        for href in page.hrefs:
            scheme = urlsplit(href).scheme
            assert scheme in ("", "https"), href
    assert broken_links(files) == []


def test_hostile_text_stays_in_its_place(hostile_wiki: Path) -> None:
    files = render(hostile_wiki)
    (tag_file,) = [n for n in files if n.startswith("tag-")]
    html, page = files[tag_file]
    # the unclosed fence in a description did not swallow the next operation
    assert (
        '"><img-src=x-onerror=alert(1)>op' in page.ids
    )  # no spaces in ids, as in HTML and "after" in page.ids
    assert page.headings[0] == "[tag](javascript:alert(1))<img src=x onerror=alert(1)>|"
    assert "Fake heading" not in page.headings
    # both parameter rows kept their four cells: `|` and newlines did not break the table
    table = html.split("<tbody>")[1].split("</tbody>")[0]
    assert table.count("<tr>") == 2
    assert table.count("<td>") == 8
    assert "<code>a|b&lt;script&gt;</code>" in table
    assert '<a href="https://example.com/a">ok</a>' in html  # a safe link stays a link
    schemas = files["schemas.md"][1]
    assert "schema-E<b>" in schemas.ids
    assert "schema-E<b>/properties/<img src=x>" in schemas.ids


def test_text_helpers_escape_what_markdown_would_read() -> None:
    assert GFM.render(inline("1. *x* [a](b) <b> # ~s~ - \\")) == (
        "<p>1. *x* [a](b) &lt;b&gt; # ~s~ - \\</p>\n"
    )
    assert GFM.render(inline("- item")) == "<p>- item</p>\n"
    assert GFM.render(code("a `b` c")) == "<p><code>a `b` c</code></p>\n"
    cells = GFM.render(row(["h1", "h2"]) + "\n| --- | --- |\n" + row([code("a|b"), "c"]))
    assert "<td><code>a|b</code></td>" in cells
    assert "<td>c</td>" in cells
    block = markdown_block("# T\n\n- a\n  - b\n\n```py\nx = 1\n```\n\n> q <b>x</b>")
    assert GFM.render(block) == (
        "<p><strong>T</strong></p>\n<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n"
        '<pre><code class="language-py">x = 1\n</code></pre>\n'
        "<blockquote>\n<p>q x</p>\n</blockquote>\n"
    )
    assert markdown_cell("one\n\ntwo\n\n```\nc\n```") == "one<br>two<br>`c`"
    plain = "Calls the MES method FactMES.API.Core.AttrSet.Add (see 2.1); a=b."
    assert markdown_block(plain) == plain  # the shortcut gives what the parser would
    assert GFM.render(plain) == GFM.render(inline(plain)) == f"<p>{plain}</p>\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("missing.json", "--as-is"), "missing.json"),
        (("bad.json", "--as-is"), "bad.json"),
        ((str(SWAGGER),), "--authority is required with --auth both"),
        ((str(SWAGGER), "--as-is", "-d", "mine"), "not a swaggertools docs site"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    run_cli: RunCli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "bad.json").write_text('{"swagger": "2.0", "paths": ', encoding="utf-8")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.md").write_text("keep", encoding="utf-8")
    line = assert_one_line_error(run_cli("docs", *args, "--format", "markdown"))
    assert message in line
    assert (tmp_path / "mine" / "notes.md").read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json", "mine"]
