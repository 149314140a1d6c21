"""A site with more groups than the index lists: the "all groups" pages, without script.

The index lists only the first groups (html_site.INDEX_GROUPS) so it stays small at 20,000
operations; every group must still be reachable from it by plain links (the site is
conftest's `groups_site`; its search tests are in test_browser_search.py).
"""

from __future__ import annotations

from pathlib import Path

from swaggertools.docs.html_site import INDEX_GROUPS
from tests.browser.chromium import url
from tests.browser.conftest import GROUPS, Pages


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
