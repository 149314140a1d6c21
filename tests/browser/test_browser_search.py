"""Search in Chromium from file://: index scripts load under the CSP and find what they should.

Times are measured in the page (performance.now) and recorded as test properties; the
real figures for 20,000 operations are benchmarks/run.py's. Only a generous sanity bound
is asserted here, never a target.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.chromium import timed_search, url, wait_search_ready
from tests.browser.conftest import Pages

SANITY_MS = 2000


@pytest.mark.parametrize(
    ("query", "href_end"),
    [
        ("Core_AttrSet_GetAll", "#Core_AttrSet_GetAll"),
        ("FactMES.API.Core.AttrSet.GetAll", "#Core_AttrSet_GetAll"),
        ("AttrSet.GetAll", "#Core_AttrSet_GetAll"),
        ("/api/Core/Line/GetAll", "#Core_Line_GetAll"),
    ],
)
def test_search_finds_an_operation_by_id_mes_method_and_path(
    pages: Pages,
    swagger_site: Path,
    query: str,
    href_end: str,
    record_property: pytest.RecordProperty,
) -> None:
    page, _ = pages.new()
    page.goto(url(swagger_site, "tag-job.html"))
    wait_search_ready(page)
    timing = timed_search(page, query)
    record_property("search_ms", round(timing["shown"], 2))
    assert timing["shown"] < SANITY_MS
    assert timing["first"].endswith(href_end), timing
    assert timing["first"].startswith("tag-attrset") or timing["first"].startswith("tag-line")
    # Enter follows the first result to the operation's anchor.
    page.focus("#st-q")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{href_end}")
    assert page.locator(f"section.op{href_end}").is_visible()


def test_search_finds_a_schema_by_name(pages: Pages, swagger_site: Path) -> None:
    page, _ = pages.new()
    page.goto(url(swagger_site, "schemas.html"))
    name = page.locator("section.schema h2").first.inner_text().split()[0]
    wait_search_ready(page)
    timing = timed_search(page, name)
    assert timing["first"] == f"schemas.html#schema-{name}", timing
    page.click("#st-results li a >> nth=0")
    page.wait_for_url(f"**#schema-{name}")
    assert page.locator(f"[id='schema-{name}']").is_visible()


def test_search_on_the_openapi_site_and_no_match(pages: Pages, openapi_site: Path) -> None:
    page, _ = pages.new()
    page.goto(url(openapi_site, "index.html"))
    wait_search_ready(page)
    found = timed_search(page, "attrSetGetAllCall")
    assert found["first"].endswith("#attrSetGetAllCall"), found
    timing = timed_search(page, "zzzz-nothing-matches-this")
    assert timing["first"] is None
    assert page.inner_text("#st-results") == "No match"
    page.press("#st-q", "Escape")
    assert page.locator("#st-results li").count() == 0
