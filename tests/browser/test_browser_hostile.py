"""A spec whose every text tries to run script: in Chromium nothing runs, with or without CSP.

The second run switches the page's CSP off (bypass_csp), so the sanitiser and the escaping
are tested on their own, not hidden behind the policy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.chromium import url, wait_search_ready
from tests.browser.conftest import Pages

GLOBALS_JS = "() => Object.getOwnPropertyNames(window).sort()"
DOM_JS = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const v = a.value.trim().toLowerCase();
      if (a.name.startsWith('on')) { bad.push(el.tagName + ' ' + a.name); }
      if (['href', 'src', 'action', 'formaction', 'data', 'xlink:href'].includes(a.name) &&
          (v.startsWith('javascript:') || v.startsWith('data:') || v.startsWith('vbscript:'))) {
        bad.push(el.tagName + ' ' + a.name + '=' + v.slice(0, 30));
      }
      if (a.name === 'style') { bad.push(el.tagName + ' style'); }
    }
  }
  for (const el of document.querySelectorAll(
      'iframe, object, embed, frame, base, form:not(#st-search), meta[http-equiv="refresh"], ' +
      'style, link:not([href="assets/site.css"]), svg, math')) {
    bad.push('element ' + el.tagName);
  }
  for (const s of document.scripts) {
    const src = s.getAttribute('src') || '';
    if (!/^assets\\/(site|search-\\d+)\\.js$/.test(src)) { bad.push('script ' + src); }
  }
  return bad;
}"""


def _baseline(pages: Pages, site: Path, bypass: bool) -> set[str]:
    """Own window properties of a well-behaved page after the site's search has loaded."""
    page, _ = pages.new(bypass_csp=bypass)
    page.goto(url(site, "index.html"))
    wait_search_ready(page)
    return set(page.evaluate(GLOBALS_JS))


@pytest.mark.parametrize("bypass", [False, True], ids=["csp", "no-csp"])
def test_hostile_descriptions_fire_no_dialog_set_no_global_run_no_script(
    pages: Pages, hostile_site: Path, openapi_site: Path, bypass: bool
) -> None:
    baseline = _baseline(pages, openapi_site, bypass)
    page, guard = pages.new(bypass_csp=bypass)
    names = sorted(p.name for p in hostile_site.glob("*.html"))
    assert len(names) >= 5
    for name in names:
        page.goto(url(hostile_site, name))
        page.wait_for_load_state("load")
        # The hostile text is there, as text.
        assert "<script>" in page.inner_text("body"), name
        # Open every <details> (ontoggle) and hover/click every link-free text block.
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        for el in page.locator("#st-main .md p").all()[:20]:
            if el.is_visible():
                el.hover(timeout=2000)
        wait_search_ready(page)
        page.fill("#st-q", "alert")
        page.wait_for_selector("#st-results li")
        page.wait_for_timeout(50)
        assert page.evaluate(DOM_JS) == [], name
        assert page.evaluate("() => window.pwned") is None, name
        extra = set(page.evaluate(GLOBALS_JS)) - baseline
        assert extra == set(), (name, sorted(extra))
    assert guard.dialogs == []
    assert guard.errors == []
    if not bypass:
        # Under the CSP nothing was even attempted: no violation was logged.
        assert guard.console == []


def test_hostile_operation_is_reachable_by_its_anchor(pages: Pages, hostile_site: Path) -> None:
    page, guard = pages.new()
    page.goto(url(hostile_site, "index.html"))
    wait_search_ready(page)
    page.fill("#st-q", "onerror")
    link = page.locator("#st-results li a").first
    href = link.get_attribute("href")
    assert href is not None
    assert href.startswith("tag-")
    link.click()
    page.wait_for_load_state("load")
    target = page.evaluate("() => decodeURIComponent(location.hash.slice(1))")
    assert target.endswith("op")
    assert page.evaluate("(id) => !!document.getElementById(id)", target)
    assert page.locator("section.op").first.is_visible()
    assert guard.dialogs == []
