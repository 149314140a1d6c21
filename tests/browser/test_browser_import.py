"""The worktasks kit's import.html in Chromium from file://: styled, accessible, inert.

The kits are built by the installed `swaggertools worktasks`; every page opens in a
guarded context (only file: requests, no console errors, no dialogs).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.browser.chromium import url
from tests.browser.conftest import AUTHORITY, SWAGGER, Pages
from tests.browser.test_browser_a11y import AXE_RUN, OVERFLOW_JS
from tests.browser.test_browser_content import CSP_PROBE
from tests.browser.test_browser_hostile import DOM_JS
from tests.conftest import cli_env

# the docs' check of a page's DOM, with this page's one stylesheet allowed instead
assert 'link:not([href="assets/site.css"])' in DOM_JS
IMPORT_DOM_JS = DOM_JS.replace('[href="assets/site.css"]', '[href="import.css"]')
JS = "window.pwned = (window.pwned || 0) + 1; alert(document.domain)"


def build_kit(swaggertools_cli: str, spec: Path, out: Path, *args: str) -> Path:
    """Run the installed `swaggertools worktasks` and return the kit folder."""
    proc = subprocess.run(
        [
            swaggertools_cli,
            "worktasks",
            str(spec),
            "--authority",
            AUTHORITY,
            *args,
            "-d",
            str(out),
            "-q",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(),
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (out / "import.html").is_file()
    return out


@pytest.fixture(scope="module")
def kit(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    """The kit of the Swagger 2.0 fixture."""
    out = tmp_path_factory.mktemp("browser-kit") / "kit"
    return build_kit(
        swaggertools_cli,
        SWAGGER,
        out,
        "--base-address",
        "https://mes.plant.local/mesmw/",
        "--publish-url",
        "https://web.plant.local/specs/",
        "--client-id",
        "wt-client",
    )


@pytest.fixture(scope="module")
def hostile_kit(tmp_path_factory: pytest.TempPathFactory, swaggertools_cli: str) -> Path:
    """A kit whose title, tags, URLs and client id all try to run script."""
    folder = tmp_path_factory.mktemp("browser-hostile-kit")
    spec = {
        "swagger": "2.0",
        "info": {"title": f"<script>{JS}</script> ]]> \"'", "version": "1"},
        "paths": {
            "/a": {
                "get": {
                    "operationId": "A",
                    "tags": [f'<img src=x onerror="{JS}">Tag', f"<svg onload='{JS}'>"],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    path = folder / "hostile.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return build_kit(
        swaggertools_cli,
        path,
        folder / "kit",
        "--base-address",
        "https://mes.local/\"'><script>alert(1)</script>]]>/",
        "--publish-url",
        "https://web.local/'\"><img/src=x/onerror=alert(1)>/",
        "--client-id",
        f'"><script>{JS}</script>',
    )


def test_import_page_loads_styled_under_its_csp(pages: Pages, kit: Path) -> None:
    page, guard = pages.new()
    page.context.add_init_script(CSP_PROBE)
    page.goto(url(kit, "import.html"))
    assert page.evaluate("() => window.__cspViolations || []") == []
    # import.css applied: the docs' top bar colour and the sheet's own step boxes
    assert page.eval_on_selector(".top", "e => getComputedStyle(e).backgroundColor") == (
        "rgb(13, 33, 55)"
    )
    assert page.eval_on_selector("ol.steps", "e => getComputedStyle(e).listStyleType") == "none"
    for mode in ("user", "service"):
        steps = page.locator(f"#mode-{mode} ol.steps > li > h3").all_inner_texts()
        assert [s.split(".", 1)[0] for s in steps] == ["1", "2", "3", "4", "5"]
    assert "wt-client" in page.inner_text("#mode-service-step-3")
    # a citation jumps to its source, whose link is an https URL
    page.click("#mode-user-step-3 .cite a >> nth=0")
    target = page.evaluate("() => location.hash.slice(1)")
    assert target.startswith("source-")
    assert page.get_attribute(f"#{target} a", "href", timeout=2000).startswith("https://")
    assert page.evaluate("() => document.scripts.length") == 0
    assert guard.problems() == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_or_critical_violation(
    pages: Pages, kit: Path, axe_source: str, scheme: str
) -> None:
    # axe is our script: this context bypasses the page's CSP to inject it
    page, _ = pages.new(bypass_csp=True, color_scheme=scheme)
    page.goto(url(kit, "import.html"))
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == ("rgb(15, 20, 25)" if scheme == "dark" else "rgb(255, 255, 255)")
    page.evaluate(axe_source)
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def test_narrow_screen_and_print(pages: Pages, kit: Path) -> None:
    page, _ = pages.new(viewport={"width": 375, "height": 740}, is_mobile=True)
    page.goto(url(kit, "import.html"))
    found = page.evaluate(OVERFLOW_JS)
    assert found["scroll"] <= found["client"], found["wide"]
    page.emulate_media(media="print")
    assert page.eval_on_selector("#st-nav", "e => getComputedStyle(e).display") == "none"
    assert page.eval_on_selector("body", "e => getComputedStyle(e).backgroundColor") == (
        "rgb(255, 255, 255)"
    )
    assert page.locator("#mode-service-step-5").is_visible()


@pytest.mark.parametrize("bypass", [False, True], ids=["csp", "no-csp"])
def test_hostile_values_stay_text(pages: Pages, hostile_kit: Path, bypass: bool) -> None:
    page, guard = pages.new(bypass_csp=bypass)
    page.goto(url(hostile_kit, "import.html"))
    page.wait_for_load_state("load")
    body = page.inner_text("body")
    assert f"<script>{JS}</script> ]]>" in body
    assert "https://mes.local/\"'><script>alert(1)</script>]]>/" in body
    assert f'<img src=x onerror="{JS}">Tag' in body
    for el in page.locator("#st-main code").all()[:40]:
        el.hover(timeout=2000)
    assert page.evaluate(IMPORT_DOM_JS) == []
    assert page.evaluate("() => window.pwned") is None
    assert page.evaluate("() => document.scripts.length") == 0
    assert guard.dialogs == []
    assert guard.errors == []
