"""The project's own facts: its version, and where it lives on the web.

The one source is `[project.urls]` in pyproject.toml, read back from the installed
metadata, so the address is written down once. Output that names it (SARIF's
`informationUri` and rule `helpUri`) must stay byte-identical between runs, and it does:
the metadata only changes when the package is reinstalled.
"""

from __future__ import annotations

import functools
import re

__version__ = "0.1.0"
"""The package version (`[project] version` in pyproject.toml); re-exported by the package."""

DISTRIBUTION = "swaggertools-mes"
"""The distribution name, as `[project] name` in pyproject.toml (a test keeps them equal)."""

BRANCH = "main"
"""The repository branch that `source_url` links into."""

_GITHUB_REPOSITORY = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+/?")


@functools.lru_cache(maxsize=1)
def homepage() -> str | None:
    """The `Homepage` URL of the installed distribution; None when it is not installed."""
    # Imported here: importlib.metadata costs 15-50 ms to import, and only SARIF needs it.
    from importlib import metadata

    try:
        entries: list[str] = metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() == "homepage" and url.strip():
            return url.strip()
    return None


def source_url(path: str, home: str | None) -> str | None:
    """`path` (relative to the repository root, `#fragment` allowed) as a browsable URL.

    Only a GitHub repository home page has a known shape for that
    (`<home>/blob/<branch>/<path>`); any other home page, or none, gives None.
    """
    if home is None or not _GITHUB_REPOSITORY.fullmatch(home):
        return None
    return f"{home.rstrip('/')}/blob/{BRANCH}/{path}"
