"""Screenshots of the docs site of fixtures/mes-swagger.json, made by the tests' browser.

    python docs/screenshots/make.py [--out DIR] [--no-redoc]

Builds the site with the installed `swaggertools docs`, opens it from file:// in Debian's
chromium (only file: requests allowed) and writes index.png, tag.png and tag-dark.png.
When benchmarks/node has Redocly CLI (npm ci --prefix benchmarks/node), it also builds
Redocly's page of the same cleaned API and writes redoc.png, for the README's comparison.
`make screenshots` runs this; tests/browser/test_browser_screenshots.py runs it too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.browser.chromium import guarded_context, launch, url  # noqa: E402

SPEC = REPO / "fixtures" / "mes-swagger.json"
AUTHORITY = "https://sms.plant.local/identitymanager"
REDOCLY = REPO / "benchmarks" / "node" / "node_modules" / ".bin" / "redocly"
VIEWPORT = {"width": 1280, "height": 860}
TAG_PAGE = "tag-job.html"


def _cli() -> str:
    beside = Path(sys.executable).parent / "swaggertools"
    return str(beside) if beside.is_file() else "swaggertools"


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {proc.stderr.strip()[-500:]}")


def build_sites(work: Path, redoc: bool) -> tuple[Path, Path | None]:
    """Our site of the fixture, and Redocly's page of the same cleaned API (if asked)."""
    site = work / "site"
    _run([_cli(), "docs", str(SPEC), "--authority", AUTHORITY, "-d", str(site), "-q"])
    if not redoc:
        return site, None
    clean = work / "clean"
    _run([_cli(), "clean", str(SPEC), "--authority", AUTHORITY, "--output-dir", str(clean), "-q"])
    page = work / "redoc.html"
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    user = clean / "mes-swagger.user.json"
    _run([str(REDOCLY), "build-docs", str(user), "--inlineBundle", "-o", str(page)], env=env)
    return site, page


def shoot(site: Path, out: Path, redoc: Path | None) -> list[Path]:
    """Write the PNGs into `out`; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            for scheme, shots in (
                ("light", [("index.png", "index.html"), ("tag.png", TAG_PAGE)]),
                ("dark", [("tag-dark.png", TAG_PAGE)]),
            ):
                context, guard = guarded_context(browser, viewport=VIEWPORT, color_scheme=scheme)
                page = context.new_page()
                for png, name in shots:
                    page.goto(url(site, name))
                    if name == TAG_PAGE:
                        # Open the first response's tree, as a reader would.
                        page.locator("section.op details.kids").first.evaluate("d => d.open = true")
                    page.screenshot(path=str(out / png))
                    written.append(out / png)
                problems = guard.problems()
                context.close()
                if problems:
                    raise SystemExit(f"the site misbehaved: {problems}")
            if redoc is not None:
                # Redocly's page asks the network for its logo: blocked here, as offline.
                context, _ = guarded_context(browser, viewport=VIEWPORT)
                page = context.new_page()
                page.goto(url(redoc.parent, redoc.name) + "#tag/Job")
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / "redoc.png"))
                written.append(out / "redoc.png")
                context.close()
        finally:
            browser.close()
    return written


def main() -> None:
    """Build and shoot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    parser.add_argument("--no-redoc", action="store_true", help="skip Redocly's page")
    args = parser.parse_args()
    redoc = not args.no_redoc and REDOCLY.is_file()
    with tempfile.TemporaryDirectory(prefix="swaggertools-shots-") as tmp:
        site, page = build_sites(Path(tmp), redoc)
        for path in shoot(site, args.out, page):
            print(path)


if __name__ == "__main__":
    main()
