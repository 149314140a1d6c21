"""import.html, the import sheet as a page: every value, escaped, links only to http(s)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lxml import html

from swaggertools import CleanOptions
from swaggertools.docs.html_site import CSP
from swaggertools.worktasks import KitOptions, build_kit
from swaggertools.worktasks.model import operation_groups
from swaggertools.worktasks.sheet_html import render, safe_href, stylesheet
from swaggertools.worktasks.sheet_model import Code, Section, Sheet, Step, link, para
from swaggertools.worktasks.sources import SOURCES

ROOT = Path(__file__).resolve().parent.parent
AUTHORITY = "https://sms.plant.local/identitymanager"
HOSTILE = "x<y&z\"q'r]]>s]]]>t — Qualität 製造 🙂"
IN_URL = HOSTILE.replace(" ", "")
SCRIPT = "<script>window.pwned=1</script>"


def _page(data: bytes) -> Any:
    return html.document_fromstring(data, parser=html.HTMLParser(encoding="utf-8"))


def _kit_files(tmp_path: Path, spec: Path, **kw: Any) -> dict[str, bytes]:
    options = KitOptions(
        base_address=kw.pop("base_address", "https://mes.plant.local/mesmw/"),
        publish_url=kw.pop("publish_url", "https://web.plant.local/specs/"),
        **kw,
    )
    kit = build_kit(spec, CleanOptions(authority=AUTHORITY), options, tmp_path / "kit")
    assert kit.ok
    kit.write()
    return {p.name: p.read_bytes() for p in (tmp_path / "kit").iterdir()}


def _check_structure(page: Any) -> None:
    """No script, no inline style, no handler; every link is http(s) or a local anchor."""
    assert page.xpath("//script | //style | //iframe | //object | //embed | //base | //form") == []
    for el in page.iter():
        if not isinstance(el.tag, str):
            continue
        assert not [a for a in el.attrib if a.startswith("on") or a == "style"], el.tag
    ids = set(page.xpath("//@id"))
    for href in page.xpath("//a/@href"):
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert href.startswith(("https://", "http://")), href
    assert page.xpath("//link/@href") == ["import.css"]
    assert page.xpath("//meta[@http-equiv='Content-Security-Policy']/@content") == [CSP]


def test_import_html_holds_every_value_given(tmp_path: Path) -> None:
    base = f"https://mes.plant.local/{IN_URL}|pipe`tick/"
    publish = f"https://web.plant.local/{IN_URL}/"
    files = _kit_files(
        tmp_path,
        ROOT / "fixtures" / "mes-swagger.json",
        base_address=base,
        publish_url=publish,
        names={"user": "Werk Qualität User", "service": "Werk-Service"},
        client_id="wt <client> & co",
        xml_auth_mode="Windows",
    )
    page = _page(files["import.html"])
    _check_structure(page)
    text = page.text_content()
    for value in (
        base,
        publish + "mes-swagger.user.json",
        publish + "mes-swagger.service.json",
        "Werk-Qualitat-User",
        "Werk-Service",
        "wt <client> & co",
        "Windows",
        f"{AUTHORITY}/connect/token",
        f"{AUTHORITY}/connect/authorize",
        "User Access Token",
        "Service to Service Access Token",
        "RegisterAIMServiceClient.ps1",
        "401 after an AIM failover",
        "500 when AIM is offline",
    ):
        assert value in text, value
    # values are literal code: the hostile base address is one <code> element, whole
    assert base in page.xpath("//code/text()")
    # numbered steps per mode, the same titles as IMPORT.md's
    markdown = files["IMPORT.md"].decode()
    for mode in ("user", "service"):
        steps = page.xpath(f"//section[@id='mode-{mode}']/ol[@class='steps']/li")
        titles = [s.xpath("string(h3)") for s in steps]
        assert [t.split(".", 1)[0] for t in titles] == ["1", "2", "3", "4", "5"]
        assert [s.get("id") for s in steps] == [f"mode-{mode}-step-{n}" for n in range(1, 6)]
        for title in titles:
            assert f"### {title}\n" in markdown
    # step 4: every group with its count, every excluded operation with its replacement
    doc = json.loads(files["mes-swagger.user.json"])
    groups, _ = operation_groups(doc)
    step4 = page.xpath("//li[@id='mode-user-step-4']")[0]
    rows = [
        tuple(td.text_content() for td in tr.xpath("td"))
        for tr in step4.xpath(".//table[@class='plain'][1]/tbody/tr")
    ]
    assert rows == [(tag, str(n)) for tag, n in groups]
    report = json.loads(files["mes-swagger.report.json"])
    assert report["removed_operations"]
    for removed in report["removed_operations"]:
        assert removed["path"] in step4.text_content()
        if removed["replacement"]:
            assert removed["replacement"] in step4.text_content()
    # every citation links to a listed source, whose URL is a link
    sources = page.xpath("//ol[@class='sources']/li")
    assert [li.get("id") for li in sources] == [f"source-{n}" for n in range(1, len(sources) + 1)]
    listed = {li.xpath("string(a/@href)") for li in sources}
    assert "https://docs.aveva.com/bundle/work-tasks/page/724528.html" in listed
    assert listed <= {s.url for s in SOURCES.values()}
    assert len(page.xpath("//span[@class='cite']/a")) > 20


def test_import_html_escapes_vendor_text(tmp_path: Path) -> None:
    title = f'{SCRIPT} "MES" ]]> it\'s'
    tag = '<img src=x onerror="alert(1)">Tag ]]> `t` [x](javascript:y)'
    spec = {
        "swagger": "2.0",
        "info": {"title": title, "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "A",
                    "tags": [tag],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "s.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    base = "https://m/\"'><script>alert(1)</script>]]>/"
    files = _kit_files(
        tmp_path,
        path,
        base_address=base,
        publish_url="https://w/'\"><b>x</b>/",
        client_id=f"{SCRIPT}&amp;",
    )
    raw = files["import.html"].decode()
    assert "<script>" not in raw
    assert "<img" not in raw
    assert "<b>" not in raw
    assert "&lt;script&gt;" in raw
    page = _page(files["import.html"])
    _check_structure(page)
    assert page.xpath("//b | //img") == []
    text = page.text_content()
    for value in (title, tag, base, "https://w/'\"><b>x</b>/s.user.json", f"{SCRIPT}&amp;"):
        assert value in text, value
    assert page.xpath("string(//title)") == f"Work Tasks import kit: {title}"
    assert page.xpath("string(//h1)") == f"Work Tasks import kit: {title}"


def test_links_keep_only_http_urls() -> None:
    assert safe_href("https://docs.aveva.com/x?a=1&b=2") == "https://docs.aveva.com/x?a=1&b=2"
    assert safe_href("http://h/") == "http://h/"
    for bad in (
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " https://h/",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
        "//h/relative",
        "#anchor",
        "https:/no-host",
        "https://h/\nx",
        "",
        None,
    ):
        assert safe_href(bad) is None, bad
    sheet = Sheet(
        title="t",
        intro=(
            para(link("evil", "javascript:alert(1)"), " ", link("quoted", 'https://h/"><x>')),
            Code("]]></code><script>alert(1)</script>"),
        ),
        sections=(Section("mode-user", "User", (), (Step("One", (para("x"),)),)),),
        sources=(),
    )
    page = _page(render(sheet).encode())
    _check_structure(page)
    assert page.xpath("//a[text()='quoted']/@href") == ['https://h/"><x>']
    assert page.xpath("//a[text()='evil']") == []
    assert "evil" in page.text_content()
    assert page.xpath("string(//pre/code)") == "]]></code><script>alert(1)</script>"
    assert page.xpath("string(//li[@id='mode-user-step-1']/h3)") == "1. One"


def test_page_and_stylesheet_are_deterministic(tmp_path: Path) -> None:
    spec = ROOT / "fixtures" / "mes-openapi.yaml"
    first = _kit_files(tmp_path / "a", spec)
    second = _kit_files(tmp_path / "b", spec)
    for name in ("import.html", "import.css", "IMPORT.md"):
        assert first[name] == second[name], name
    docs_css = (ROOT / "swaggertools/docs/static/site.css").read_bytes()
    css = stylesheet()
    assert first["import.css"] == css
    assert css.startswith(docs_css.rstrip(b"\n"))
    assert b".steps" in css[len(docs_css) :]
    assert b"prefers-color-scheme: dark" in css
    assert b"@media print" in css[len(docs_css) :]
    kit = json.loads(first["kit.json"])
    kinds = {f["path"]: f["kind"] for f in kit["files"]}
    assert kinds["import.html"] == "import-sheet-html"
    assert kinds["import.css"] == "stylesheet"


@pytest.mark.parametrize("spec", ["mes-swagger.json", "mes-openapi.yaml"])
def test_html_and_markdown_say_the_same(tmp_path: Path, spec: str) -> None:
    files = _kit_files(tmp_path, ROOT / "fixtures" / spec)
    page = _page(files["import.html"])
    markdown = files["IMPORT.md"].decode()
    code = page.xpath("//main//code/text()")
    # every literal value of the page is a code span of the Markdown, and the reverse count
    for value in code:
        assert value.split("\n", 1)[0] in markdown, value
    assert len(page.xpath("//main//section[@class='mode']")) == markdown.count('<a id="mode-')
