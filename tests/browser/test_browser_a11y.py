"""axe-core in Chromium (light and dark), a 375 px wide screen, and the print stylesheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import url
from tests.browser.conftest import Pages

PAGE_KINDS = ["index.html", "tag-job.html", "schemas.html", "excluded.html"]
AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations'], preload: false});
  return r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ': ' + n.failureSummary)}));
}"""


def _axe(pages: Pages, site: Path, name: str, scheme: str, axe_source: str) -> list[Any]:
    # axe is our script, not the site's: the CSP would refuse it, so this one context
    # bypasses the policy (the other tests keep it on).
    page, _ = pages.new(bypass_csp=True, color_scheme=scheme)
    page.goto(url(site, name))
    page.evaluate(axe_source)
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    return [v for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGE_KINDS)
def test_axe_finds_no_serious_or_critical_violation(
    pages: Pages, swagger_site: Path, axe_source: str, name: str, scheme: str
) -> None:
    assert (swagger_site / name).is_file()
    assert _axe(pages, swagger_site, name, scheme, axe_source) == []


def test_axe_on_the_openapi_site_search_results(
    pages: Pages, openapi_site: Path, axe_source: str
) -> None:
    page, _ = pages.new(bypass_csp=True)
    page.goto(url(openapi_site, "index.html"))
    page.fill("#st-q", "attrset")
    page.wait_for_selector("#st-results li a")
    page.evaluate(axe_source)
    violations = [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]
    assert violations == []


def test_axe_would_report_a_real_violation(
    pages: Pages, swagger_site: Path, axe_source: str
) -> None:
    """The check can fail: low-contrast text injected into the page is reported."""
    page, _ = pages.new(bypass_csp=True)
    page.goto(url(swagger_site, "index.html"))
    page.evaluate(
        """() => { const p = document.createElement('p'); p.textContent = 'faint';
        p.style.color = '#eee'; p.style.background = '#fff';
        document.getElementById('st-main').appendChild(p); }"""
    )
    page.evaluate(axe_source)
    assert "color-contrast" in {v["id"] for v in page.evaluate(AXE_RUN)}


OVERFLOW_JS = """() => ({scroll: document.documentElement.scrollWidth,
  client: document.documentElement.clientWidth,
  wide: Array.from(document.querySelectorAll('body *')).filter(
    (e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map((e) => e.tagName + '.' + e.className)})"""


@pytest.mark.parametrize("name", ["index.html", "tag-job.html", "schemas.html", "excluded.html"])
def test_no_horizontal_scroll_on_a_narrow_screen(
    pages: Pages, swagger_site: Path, name: str
) -> None:
    page, _ = pages.new(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(url(swagger_site, name))
    found = page.evaluate(OVERFLOW_JS)
    assert found["scroll"] <= found["client"], found
    assert page.locator("#st-q").is_visible()


def test_print_hides_navigation_and_search_and_opens_trees(
    pages: Pages, swagger_site: Path
) -> None:
    page, _ = pages.new()
    page.goto(url(swagger_site, "tag-job.html"))
    assert page.locator("#st-nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator("#st-nav").is_visible()
    assert not page.locator("#st-q").is_visible()
    assert not page.locator("button.copy").first.is_visible()
    assert page.locator("section.op").first.is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000
