"""Both fixtures' sites in Chromium from file://: every operation, no JS, CSP, no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.browser.chromium import url
from tests.browser.conftest import OPENAPI, SWAGGER, Pages

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

OPS_JS = """() => Array.from(document.querySelectorAll('section.op')).map((s) => ({
  id: s.id,
  method: (s.querySelector('.badge') || {}).textContent,
  path: (s.querySelector('.op-path') || {}).textContent,
  opid: (s.querySelector('.op-id') || {}).textContent || null,
  mes: (s.querySelector('.op-mes') || {}).textContent || null,
  title: s.querySelector('h2').innerText,
  params: Array.from(s.querySelectorAll('table.params tbody tr td:first-child code'))
    .map((c) => c.textContent),
  statuses: Array.from(s.querySelectorAll('.responses .status')).map((c) => c.textContent),
  visible: s.getBoundingClientRect().height > 0,
}))"""


def _source(spec: Path) -> dict[str, Any]:
    text = spec.read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text) if spec.suffix == ".json" else yaml.safe_load(text)
    return loaded


def _operations(spec: Path) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (method, path, operation) of the input file."""
    out = {}
    for path, item in _source(spec)["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                out[op["operationId"]] = (method, path, op)
    return out


def _removed(spec: Path) -> set[str]:
    report = json.loads(spec.with_name(spec.stem + ".expected.json").read_text(encoding="utf-8"))
    return set(report["removed_operation_ids"])


def _rendered_ops(pages: Pages, site: Path, **context: Any) -> dict[str, list[dict[str, Any]]]:
    """Page name -> the operations the browser shows on it (tag and excluded pages)."""
    page, _ = pages.new(**context)
    shown = {}
    for html in sorted(site.glob("*.html")):
        page.goto(url(site, html.name))
        shown[html.name] = page.evaluate(OPS_JS)
    return shown


@pytest.mark.parametrize("spec", [SWAGGER, OPENAPI], ids=["swagger", "openapi"])
def test_every_kept_operation_is_on_its_tag_page_and_excluded_ones_only_there(
    pages: Pages, spec: Path, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue("swagger_site" if spec == SWAGGER else "openapi_site")
    ops, removed = _operations(spec), _removed(spec)
    assert removed
    shown = _rendered_ops(pages, site)
    on_tag_pages = {
        op["id"]: op for name, found in shown.items() if name.startswith("tag-") for op in found
    }
    for name, found in shown.items():
        if not name.startswith("tag-"):
            assert found == [], f"{name} shows operations"
    for operation_id, (method, path, source) in ops.items():
        if operation_id in removed:
            assert operation_id not in on_tag_pages, operation_id
            continue
        op = on_tag_pages[operation_id]
        assert op["visible"], operation_id
        assert op["opid"] == operation_id
        assert op["method"] == method.upper()
        assert op["path"] == path
        assert source.get("summary", operation_id) in op["title"]
        direct = [p for p in source.get("parameters", []) if "name" in p]
        names = {p["name"] for p in direct if p["in"] != "body"}
        assert names <= set(op["params"]), operation_id
        assert set(source["responses"]) <= set(op["statuses"]), operation_id
    assert {o["mes"] for o in on_tag_pages.values() if o["mes"]}, "MES method names shown"

    page, _ = pages.new()
    page.goto(url(site, "excluded.html"))
    rows = page.locator("#st-excluded tr.ex")
    assert rows.count() == len(removed)
    text = page.inner_text("#st-excluded")
    for operation_id in removed:
        assert operation_id in text
        assert operation_id not in on_tag_pages


def test_content_and_navigation_work_with_javascript_off(pages: Pages, swagger_site: Path) -> None:
    page, _ = pages.new(java_script_enabled=False)
    page.goto(url(swagger_site, "index.html"))
    assert page.evaluate("() => 1") == 1  # playwright's own evaluate still runs
    assert page.locator(".copy").count() == 0, "site.js must not have run"
    assert "Token modes" in page.inner_text("#st-main")
    assert "User Access Token" in page.inner_text("#st-auth + table")
    groups = page.locator("#st-main .group-list a")
    assert groups.count() > 20
    # The side navigation (a window of groups on big sites) reaches groups, schemas, excluded.
    assert page.locator("#st-nav a[href^='tag-']").count() > 5
    assert page.locator("#st-nav a[href^='schemas']").count() == 1
    assert page.locator("#st-nav a[href='excluded.html']").count() == 1
    # Follow the side navigation to a tag page and from there to a schema, by clicking.
    first = page.locator("#st-nav a[href^='tag-']").first
    target = first.get_attribute("href")
    first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.url.endswith(str(target))
    ops = page.locator("section.op")
    assert ops.count() > 0
    assert ops.first.is_visible()
    assert page.locator("section.op .badge").first.is_visible()
    ref = page.locator("section.op a.ref").first
    ref.click()
    page.wait_for_load_state("domcontentloaded")
    assert "schemas" in page.url
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").is_visible()
    # The excluded page and its replacement links.
    page.goto(url(swagger_site, "excluded.html"))
    assert page.locator("#st-excluded tr.ex").count() > 0
    assert page.locator("#st-nav a[href='index.html']").count() > 0
    # A collapsed schema tree opens without script (<details>).
    page.goto(url(swagger_site, "schemas.html"))
    closed = page.locator("section.schema details.kids:not([open]) > summary").first
    if closed.count():
        closed.click()
        assert closed.locator("xpath=..").get_attribute("open") is not None


CSP_PROBE = """document.addEventListener('securitypolicyviolation', (e) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    e.violatedDirective + ' ' + e.blockedURI);
});"""


@pytest.mark.parametrize("fixture", ["swagger_site", "openapi_site"])
def test_every_page_loads_under_its_csp_without_errors(
    pages: Pages, fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Path = request.getfixturevalue(fixture)
    page, guard = pages.new()
    page.context.add_init_script(CSP_PROBE)
    names = sorted(p.name for p in site.glob("*.html"))
    assert len(names) > 5
    for name in names:
        page.goto(url(site, name))
        # site.js ran (the CSP lets the site's own file: scripts through): it adds the
        # copy buttons on operation pages and the search hook on every page.
        assert page.evaluate("() => typeof window.swaggertoolsSearch") == "function", name
        if name.startswith("tag-"):
            assert page.locator("button.copy").count() == page.locator(".op-path").count()
        assert page.evaluate("() => window.__cspViolations || []") == [], name
        csp = page.get_attribute("meta[http-equiv='Content-Security-Policy']", "content")
        assert csp is not None
        assert "'unsafe-inline'" not in csp
        assert "'unsafe-eval'" not in csp
    # The search index scripts are the site's own files too.
    page.focus("#st-q")
    page.fill("#st-q", "GetAll")
    page.wait_for_selector("#st-results li a")
    assert page.evaluate("() => window.__cspViolations || []") == []
    assert guard.problems() == []


def test_inline_script_is_refused_by_the_csp(pages: Pages, swagger_site: Path) -> None:
    """The policy is really enforced: script we inject into the page is blocked."""
    page, guard = pages.new()
    page.goto(url(swagger_site, "index.html"))
    page.evaluate(
        """() => { const s = document.createElement('script');
        s.textContent = 'window.injected = 1'; document.body.appendChild(s); }"""
    )
    assert page.evaluate("() => window.injected") is None
    assert any("Content Security Policy" in m for m in guard.console)
    guard.console.clear()
