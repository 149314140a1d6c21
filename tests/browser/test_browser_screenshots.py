"""docs/screenshots/make.py runs (the README's pictures are made by this browser)."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Browser

from tests.browser.conftest import REPO

SHOTS = ("index.png", "tag.png", "tag-dark.png")


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_screenshot_script_draws_our_pages(browser: Browser, tmp_path: Path) -> None:
    assert browser.is_connected()  # chromium is there (or the test was skipped / failed in CI)
    script = REPO / "docs" / "screenshots" / "make.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path), "--no-redoc"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    for name in SHOTS:
        assert _png_size(tmp_path / name) == (1280, 860)
        # A blank or unstyled page compresses to a few KB; ours has text and colour.
        assert (tmp_path / name).stat().st_size > 40_000, name
    assert not (tmp_path / "redoc.png").exists()


def test_committed_screenshots_are_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in (*SHOTS, "redoc.png"):
        assert (REPO / "docs" / "screenshots" / name).is_file(), name
        assert f"docs/screenshots/{name}" in readme, name
