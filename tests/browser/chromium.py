"""Debian's chromium driven by playwright, for the browser tests and docs/screenshots/make.py.

`playwright install` cannot download browsers here, so the launch always names the
system binary. A guarded context lets only `file:` requests through and records every
console error, page error and dialog, so a test can fail on any of them.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Playwright,
    Route,
)
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = Path(os.environ.get("SWAGGERTOOLS_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--disable-extensions",
]
REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"


def launch(playwright: Playwright) -> Browser:
    """Start headless Debian chromium (never a downloaded browser)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


@dataclass
class Guard:
    """What a guarded context saw: blocked requests, console errors, errors, dialogs."""

    blocked: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Everything that should not have happened, one line each."""
        return (
            [f"non-file request: {u}" for u in self.blocked]
            + [f"console: {m}" for m in self.console]
            + [f"page error: {m}" for m in self.errors]
            + [f"dialog: {m}" for m in self.dialogs]
        )


def guarded_context(browser: Browser, **options: Any) -> tuple[BrowserContext, Guard]:
    """A context that aborts (and records) every request that is not a `file:` URL."""
    context = browser.new_context(**options)
    guard = Guard()

    def route(r: Route) -> None:
        url = r.request.url
        if url.startswith("file:"):
            r.continue_()
        else:
            guard.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    context.on("page", lambda page: watch(page, guard))
    return context, guard


def watch(page: Page, guard: Guard) -> None:
    """Record console errors and warnings, uncaught errors and dialogs of one page."""

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type in ("error", "warning"):
            guard.console.append(f"{msg.type}: {msg.text}")

    def on_dialog(dialog: Dialog) -> None:
        guard.dialogs.append(f"{dialog.type}: {dialog.message}")
        with contextlib.suppress(PlaywrightError):
            dialog.dismiss()

    page.on("console", on_console)
    page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
    page.on("dialog", on_dialog)


def url(site: Path, name: str) -> str:
    """The file: URL of a page of a site."""
    return (site / name).resolve().as_uri()


READY_JS = """(n) => window.STS && window.STS.length === n &&
  window.swaggertoolsSearch('\\u0000no-such-thing').children.length === 1"""
"""True once every search index part ran and was ingested ("No match" is shown only then)."""

TIMED_SEARCH_JS = """(q) => new Promise((resolve) => {
  const input = document.getElementById('st-q');
  const list = document.getElementById('st-results');
  input.value = '';
  list.textContent = '';
  let t0 = 0;
  const obs = new MutationObserver(() => {
    if (!list.children.length) { return; }
    const shown = performance.now() - t0;
    obs.disconnect();
    requestAnimationFrame(() => resolve({shown: shown, painted: performance.now() - t0,
      first: list.querySelector('a') ? list.querySelector('a').getAttribute('href') : null}));
  });
  obs.observe(list, {childList: true});
  input.addEventListener('input', () => { t0 = performance.now(); }, {capture: true, once: true});
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
})"""
"""Time (ms) from the input event to results in the list (`shown`) and to the next frame."""


def wait_search_ready(page: Page) -> None:
    """Focus the search box (which loads the index scripts) and wait until it is ingested."""
    parts = int(page.get_attribute("#st-search", "data-index") or "0")
    page.focus("#st-q")
    page.wait_for_function(READY_JS, arg=parts, timeout=20_000)


def timed_search(page: Page, query: str) -> dict[str, Any]:
    """Run one search as typing would, timed in the page with performance.now()."""
    result: dict[str, Any] = page.evaluate(TIMED_SEARCH_JS, query)
    return result
