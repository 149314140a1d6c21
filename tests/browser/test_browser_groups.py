"""A site with more groups than the index lists: the "all groups" pages, without script.

The index lists only the first groups (html_site.INDEX_GROUPS) so it stays small at 20,000
operations; every group must still be reachable from it by plain links, and search must
find an operation by its tag and by its summary. Timings are the benchmark's, not here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from swaggertools.docs.html_site import INDEX_GROUPS
from tests.browser.chromium import timed_search, url, wait_search_ready
from tests.browser.conftest import Pages, build_site

GROUPS = 1100
"""More groups than the index lists, and more than one "all groups" page holds (~3 elements
each against `Limits().elements`)."""


def many_groups_spec() -> dict[str, Any]:
    """One operation per group; tag and summary words appear nowhere else."""
    paths = {
        f"/api/g{i:04}/Thing": {
            "get": {
                "tags": [f"Hangar {i:04}"],
                "summary": f"Reticulate spline {i:04}",
                "operationId": f"g{i:04}_Thing",
                "responses": {"200": {"description": "OK"}},
            }
        }
        for i in range(GROUPS)
    }
    return {
        "swagger": "2.0",
        "info": {"title": "Many groups", "version": "1"},
        "paths": paths,
    }


@pytest.fixture(scope="module")
def groups_site(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    """The many-groups spec's site, documented as given."""
    folder = tmp_path_factory.mktemp("browser-groups")
    spec = folder / "many.json"
    spec.write_text(json.dumps(many_groups_spec()), encoding="utf-8")
    return build_site(swaggertools_cli, folder / "site", str(spec), "--as-is")


def test_every_group_is_reachable_from_the_index_without_javascript(
    pages: Pages, groups_site: Path
) -> None:
    page, _ = pages.new(java_script_enabled=False)
    page.goto(url(groups_site, "index.html"))
    listed = page.locator("#st-main .group-list a")
    assert listed.count() == INDEX_GROUPS
    assert f"{GROUPS} groups" in page.inner_text("#st-main .facts")
    page.locator("#st-main a[href='groups.html']").first.click()
    page.wait_for_load_state("domcontentloaded")
    found: dict[str, str] = {}
    visited = set()
    while True:
        visited.add(page.url.rsplit("/", 1)[1])
        found.update(
            page.eval_on_selector_all(
                "#st-main .group-list a",
                "(links) => Object.fromEntries(links.map((a) => [a.textContent,"
                " a.getAttribute('href')]))",
            )
        )
        following = [
            str(a.get_attribute("href"))
            for a in page.locator("#st-main nav.pager a").all()
            if a.get_attribute("href") not in visited
        ]
        if not following:
            break
        page.locator(f"#st-main nav.pager a[href='{following[0]}']").click()
        page.wait_for_load_state("domcontentloaded")
    assert sorted(found) == [f"Hangar {i:04}" for i in range(GROUPS)]
    assert len(visited) > 1, "the group list should split into numbered pages"
    # The side navigation links to the same list; each listed link opens its group.
    assert page.locator("#st-nav a[href='groups.html']").count() == 1
    page.goto(url(groups_site, found["Hangar 0123"]))
    assert page.locator("section.op#g0123_Thing").is_visible()


def test_search_finds_an_operation_by_tag_and_by_summary(pages: Pages, groups_site: Path) -> None:
    page, _ = pages.new()
    page.goto(url(groups_site, "groups-p2.html"))
    wait_search_ready(page)
    by_tag = timed_search(page, "Hangar 0117")
    assert str(by_tag["first"]).endswith("#g0117_Thing"), by_tag
    by_summary = timed_search(page, "reticulate spline 0042")
    assert str(by_summary["first"]).endswith("#g0042_Thing"), by_summary
    assert page.locator("#st-results li a").count() == 1


def test_search_answers_a_query_typed_right_after_load(pages: Pages, groups_site: Path) -> None:
    """The index loads in the background after the load event: no focus needed first."""
    page, _ = pages.new()
    page.goto(url(groups_site, "index.html"), wait_until="load")
    page.evaluate(
        "() => { const i = document.getElementById('st-q'); i.value = 'g0007_Thing';"
        " i.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    first = page.wait_for_selector("#st-results li a", timeout=20_000)
    assert first is not None
    assert str(first.get_attribute("href")).endswith("#g0007_Thing")
    # Untouched, the parts still arrive on their own once the page has loaded.
    page.goto(url(groups_site, "tag-hangar-0001.html"), wait_until="load")
    parts = int(page.get_attribute("#st-search", "data-index") or "0")
    page.wait_for_function("(n) => window.STS && window.STS.length === n", arg=parts)
