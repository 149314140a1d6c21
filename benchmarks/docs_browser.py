"""The docs site in headless Chromium: DOMContentLoaded per page type, page bytes, search.

Builds (unmeasured) our site and Redocly's page of one spec, opens them from file:// in
Debian's chromium (every non-file: request blocked, as the tests do) and reports:
- ours: DOMContentLoaded (navigation timing, ms) of the index, the largest tag page, the
  largest schema page, the excluded page and the 10 largest pages by bytes (median of
  `runs` loads each), the largest page's bytes, and the search answer time (ms from the
  input event to results in the list, measured with performance.now in the page) for
  several queries after the index loaded;
- Redocly: its single page's bytes, DOMContentLoaded, the time until its first operation
  is rendered, and its search answer time measured the same way (input event to a
  change in its results).

With `--all-pages` it also loads EVERY page of our site once (one browser, one context)
and reports per page kind (index, groups, tag, schemas, excluded) the count, median, p99
and max DOMContentLoaded, and the slowest pages: the target is every page, not a sample.
The cold search time is measured too: a fresh load of the index, then a query typed at
once after the load event (the search index still loading in the background).

Usage: `python benchmarks/docs_browser.py SPEC [--runs 3] [--all-pages] [--out FILE.json]`;
run.py calls `measure(all_pages=True)` for the largest Swagger 2.0 JSON file when
`--browser` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = Path("/usr/bin/chromium")
REDOCLY = HERE / "node" / "node_modules" / ".bin" / "redocly"
AUTHORITY = "https://aim.example/identitymanager"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DCL_JS = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
          elements: document.getElementsByTagName('*').length}; }"""
READY_JS = """(n) => window.STS && window.STS.length === n &&
  window.swaggertoolsSearch('\\u0000none').children.length === 1"""
SEARCH_JS = """([q, inputSel, listSel]) => new Promise((resolve) => {
  const input = document.querySelector(inputSel);
  const list = document.querySelector(listSel);
  let t0 = 0;
  const obs = new MutationObserver(() => {
    obs.disconnect();
    resolve(performance.now() - t0);
  });
  obs.observe(list, {childList: true, subtree: true, characterData: true});
  setTimeout(() => { obs.disconnect(); resolve(null); }, 10000);
  input.focus();
  t0 = performance.now();
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  setter.call(input, q);
  input.dispatchEvent(new Event('input', {bubbles: true}));
})"""


COLD_SEARCH_JS = """(q) => new Promise((resolve) => {
  const input = document.querySelector('#st-q');
  const list = document.querySelector('#st-results');
  const t0 = performance.now();
  const obs = new MutationObserver(() => {
    if (list.querySelector('a')) { obs.disconnect(); resolve(performance.now() - t0); }
  });
  obs.observe(list, {childList: true, subtree: true});
  setTimeout(() => { obs.disconnect(); resolve(null); }, 10000);
  input.focus();
  input.value = q;
  input.dispatchEvent(new Event('input', {bubbles: true}));
})"""
"""A query typed right after the load event: ms until the first result link is listed."""

REDOC_SEARCH_JS = """(q) => new Promise((resolve) => {
  const input = document.querySelector("input[placeholder^='Search']");
  if (!input) { resolve(null); return; }
  let t0 = 0;
  const obs = new MutationObserver((records) => {
    for (const r of records) {
      for (const n of r.addedNodes) {
        if ((n.textContent || '').indexOf(q) >= 0) {
          obs.disconnect(); resolve(performance.now() - t0); return;
        }
      }
    }
  });
  obs.observe(document.body, {childList: true, subtree: true});
  setTimeout(() => { obs.disconnect(); resolve(null); }, 60000);
  t0 = performance.now();
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
  setter.call(input, q);
  input.dispatchEvent(new Event('input', {bubbles: true}));
})"""
"""Redoc's search box (opened with Ctrl+K): input event to the first result naming q."""


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed: {proc.stderr.strip()[-400:]}")


def build(spec: Path, work: Path, swaggertools: str, redoc: bool) -> tuple[Path, Path | None]:
    """Our site and (when installed and asked) Redocly's page of `spec`."""
    site = work / "site"
    _run([swaggertools, "docs", str(spec), "--authority", AUTHORITY, "-d", str(site), "-q"])
    if not (redoc and REDOCLY.exists()):
        return site, None
    page = work / "redoc.html"
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    _run([str(REDOCLY), "build-docs", str(spec), "--inlineBundle", "-o", str(page)], env=env)
    return site, page


def _pick_pages(site: Path) -> dict[str, str]:
    pages = sorted(site.glob("*.html"), key=lambda p: (-p.stat().st_size, p.name))
    tags = [p for p in pages if p.name.startswith("tag-")]
    schemas = [p for p in pages if p.name.startswith("schemas")]
    picked = {"index": "index.html", "excluded": "excluded.html"}
    if tags:
        picked["largest tag page"] = tags[0].name
    if schemas:
        picked["largest schema page"] = schemas[0].name
    for i, p in enumerate(pages[:10]):
        picked.setdefault(f"largest #{i + 1}", p.name)
    return picked


def page_kind(name: str) -> str:
    """The kind of one of our pages, from its file name."""
    for prefix in ("tag-", "schemas", "groups"):
        if name.startswith(prefix):
            return prefix.rstrip("-")
    return name.removesuffix(".html")


def _percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (`share` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def _every_page(page: Any, site: Path) -> dict[str, Any]:
    """Load each page of the site once: DOMContentLoaded per kind and the slowest pages."""
    samples: list[tuple[float, str, int]] = []
    for path in sorted(site.glob("*.html")):
        page.goto(path.as_uri(), wait_until="load")
        timing = page.evaluate(DCL_JS)
        samples.append((round(timing["dcl"], 1), path.name, timing["elements"]))
    kinds: dict[str, list[float]] = {}
    for dcl, name, _ in samples:
        kinds.setdefault(page_kind(name), []).append(dcl)
    slowest = sorted(samples, key=lambda s: (-s[0], s[1]))[:10]
    return {
        "pages": len(samples),
        "dcl_ms_max": max(s[0] for s in samples),
        "dcl_ms_p99": _percentile([s[0] for s in samples], 0.99),
        "dcl_ms_median": round(statistics.median(s[0] for s in samples), 1),
        "elements_max": max(s[2] for s in samples),
        "kinds": {
            kind: {
                "pages": len(v),
                "median": round(statistics.median(v), 1),
                "p99": _percentile(v, 0.99),
                "max": max(v),
            }
            for kind, v in sorted(kinds.items())
        },
        "slowest": [{"page": n, "dcl_ms": d, "elements": e} for d, n, e in slowest],
    }


def _cold_search(page: Any, site: Path, query: str, runs: int) -> float | None:
    """Median ms from a query typed right after a fresh load to its first result."""
    times = []
    for _ in range(runs):
        page.goto("about:blank")
        page.goto((site / "index.html").as_uri(), wait_until="load")
        times.append(page.evaluate(COLD_SEARCH_JS, query))
    measured = [t for t in times if t is not None]
    return round(statistics.median(measured), 1) if measured else None


def _guard(context: Any, blocked: list[str]) -> None:
    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)


def _ours(
    browser: Any, site: Path, runs: int, blocked: list[str], all_pages: bool = False
) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    _guard(context, blocked)
    page = context.new_page()
    loads: dict[str, Any] = {}
    for label, name in _pick_pages(site).items():
        samples = []
        for _ in range(runs):
            page.goto((site / name).as_uri(), wait_until="load")
            samples.append(page.evaluate(DCL_JS))
        loads[label] = {
            "page": name,
            "bytes": (site / name).stat().st_size,
            "elements": samples[0]["elements"],
            "dcl_ms": round(statistics.median(s["dcl"] for s in samples), 1),
        }
    every = _every_page(page, site) if all_pages else None
    cold = _cold_search(page, site, "GetAll", runs)
    page.goto((site / "index.html").as_uri())
    parts = int(page.get_attribute("#st-search", "data-index") or "0")
    page.focus("#st-q")
    page.wait_for_function(READY_JS, arg=parts, timeout=60_000)
    first_tag = next(v["page"] for k, v in loads.items() if k == "largest tag page")
    page.goto((site / first_tag).as_uri())
    opid = page.locator("section.op .op-id").first.inner_text()
    mes = page.locator("section.op .op-mes").first.inner_text()
    page.goto((site / "index.html").as_uri())
    page.focus("#st-q")
    page.wait_for_function(READY_JS, arg=parts, timeout=60_000)
    searches = {}
    for q in (opid, mes, "GetAll", "/api/", "xyzzy-no-match"):
        times = [page.evaluate(SEARCH_JS, [q, "#st-q", "#st-results"]) for _ in range(runs)]
        searches[q] = round(statistics.median(t for t in times if t is not None), 1)
    context.close()
    files = list(site.rglob("*"))
    dcl_max = max(v["dcl_ms"] for v in loads.values())
    return {
        "every_page": every,
        "search_cold_ms": cold,
        "pages": len(list(site.glob("*.html"))),
        "site_bytes": sum(p.stat().st_size for p in files if p.is_file()),
        "largest_page_bytes": max(p.stat().st_size for p in site.glob("*.html")),
        "search_index_parts": parts,
        "loads": loads,
        "search_ms": searches,
        "search_ms_max": max([*searches.values(), *([cold] if cold is not None else [])]),
        "dcl_ms_max": max(dcl_max, every["dcl_ms_max"]) if every else dcl_max,
    }


def _redoc(browser: Any, page_path: Path, blocked: list[str]) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    _guard(context, blocked)
    page = context.new_page()
    page.set_default_timeout(300_000)
    page.goto(page_path.as_uri(), wait_until="domcontentloaded")
    page.wait_for_function(
        "() => { const c = document.querySelector('#api-content');"
        " return c && c.querySelectorAll('button').length > 0; }"
    )
    rendered = page.evaluate("() => performance.now()")
    timing = page.evaluate(DCL_JS)
    result: dict[str, Any] = {
        "bytes": page_path.stat().st_size,
        "dcl_ms": round(timing["dcl"], 1),
        "first_operation_rendered_ms": round(rendered, 1),
        "elements": timing["elements"],
    }
    page.keyboard.press("Control+k")
    page.wait_for_selector("input[placeholder^='Search']")
    searched = page.evaluate(REDOC_SEARCH_JS, "GetAll")
    result["search_ms"] = None if searched is None else round(searched, 1)
    context.close()
    return result


def measure(
    spec: Path,
    swaggertools: str,
    *,
    runs: int = 3,
    redoc: bool = True,
    all_pages: bool = False,
    built: Path | None = None,
) -> dict[str, Any] | None:
    """The figures for one spec; None when chromium or playwright is missing.

    `built` measures an existing site instead of building one (before/after comparisons).
    """
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    with tempfile.TemporaryDirectory(prefix="swaggertools-bench-browser-") as tmp:
        if built is None:
            site, page = build(spec, Path(tmp), swaggertools, redoc)
        else:
            site, page = built, None
        blocked: list[str] = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                ours = _ours(browser, site, runs, blocked, all_pages)
                out: dict[str, Any] = {"spec": spec.name, "ours": ours}
                ours_blocked = list(blocked)
                if page is not None:
                    blocked.clear()
                    out["redocly"] = _redoc(browser, page, blocked)
                    out["redocly"]["blocked_requests"] = sorted(set(blocked))
                out["ours"]["blocked_requests"] = sorted(set(ours_blocked))
            finally:
                browser.close()
    return out


def markdown(figures: dict[str, Any]) -> list[str]:
    """The browser section of results/latest.md."""
    ours = figures["ours"]
    lines = [
        "",
        f"In headless Chromium (Debian chromium, from file://), site of `{figures['spec']}`: "
        f"{ours['pages']} pages, {ours['site_bytes'] / 1e6:.1f} MB, largest page "
        f"{ours['largest_page_bytes'] / 1e6:.2f} MB; search answers in at most "
        f"{ours['search_ms_max']} ms; slowest DOMContentLoaded {ours['dcl_ms_max']} ms.",
        "",
        "| page | file | KB | elements | DOMContentLoaded ms |",
        "|---|---|---:|---:|---:|",
    ]
    for label, v in ours["loads"].items():
        lines.append(
            f"| {label} | {v['page']} | {v['bytes'] / 1000:.0f} | {v['elements']} | {v['dcl_ms']} |"
        )
    lines += _every_page_lines(ours.get("every_page"))
    lines += ["", "| search query (ours) | ms |", "|---|---:|"]
    lines += [f"| `{q}` | {ms} |" for q, ms in ours["search_ms"].items()]
    if ours.get("search_cold_ms") is not None:
        lines.append(
            f"| `GetAll`, typed right after a fresh load (cold) | {ours['search_cold_ms']} |"
        )
    red = figures.get("redocly")
    if red:
        lines += [
            "",
            "Redocly `build-docs --inlineBundle`, same spec: one page of "
            f"{red['bytes'] / 1e6:.1f} MB, "
            f"DOMContentLoaded {red['dcl_ms']} ms, first operation rendered after "
            f"{red['first_operation_rendered_ms']} ms, {red['elements']} elements; search "
            f"{red['search_ms'] if red['search_ms'] is not None else 'did not answer'} ms; "
            f"network requests it tried (blocked): {len(red['blocked_requests'])}.",
        ]
    return lines


def _every_page_lines(every: dict[str, Any] | None) -> list[str]:
    """The every-page table: DOMContentLoaded per page kind, and the slowest pages."""
    if not every:
        return []
    lines = [
        "",
        f"Every page loaded once ({every['pages']} pages): DOMContentLoaded median "
        f"{every['dcl_ms_median']} ms, p99 {every['dcl_ms_p99']} ms, max {every['dcl_ms_max']} "
        f"ms; at most {every['elements_max']} elements on a page.",
        "",
        "| page kind | pages | median ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, v in every["kinds"].items():
        lines.append(f"| {kind} | {v['pages']} | {v['median']} | {v['p99']} | {v['max']} |")
    slowest = ", ".join(f"{s['page']} {s['dcl_ms']} ms" for s in every["slowest"][:5])
    return [*lines, "", f"Slowest: {slowest}."]


def main() -> None:
    """Measure one spec and print (or write) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-redoc", action="store_true")
    parser.add_argument("--all-pages", action="store_true", help="time every page once")
    parser.add_argument("--site", type=Path, help="measure this built site (SPEC names it)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--swaggertools", default=str(Path(sys.executable).parent / "swaggertools"))
    args = parser.parse_args()
    figures = measure(
        args.spec,
        args.swaggertools,
        runs=args.runs,
        redoc=not args.no_redoc,
        all_pages=args.all_pages,
        built=args.site,
    )
    if figures is None:
        raise SystemExit("chromium or playwright is missing")
    text = json.dumps(figures, indent=2) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    print("\n".join(markdown(figures)))


if __name__ == "__main__":
    main()
