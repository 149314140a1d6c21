"""The import sheet as one offline page, `import.html`, with its stylesheet `import.css`.

The page is built from the docs renderer's pieces: its Jinja2 environment (autoescape,
strict undefined), the shared `<head>` macro (`page.html.j2`), its Content-Security-Policy
and its stylesheet. Every text of the `Sheet` is plain (see `sheet_model`), so autoescape
is the whole escaping story: no value is ever marked safe, and the docs' CommonMark
sanitiser has nothing to do here. Links keep their `href` only for http and https URLs;
any other link is shown as text.

The CSS travels as a sibling file rather than inline: the CSP is the docs site's
(`style-src 'self'`, no inline style or script), so the kit folder carries `import.css`
(the docs' `site.css` followed by the sheet's few rules). Without it the page is still
complete, only unstyled.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from urllib.parse import urlsplit

import jinja2

from swaggertools import __version__
from swaggertools.docs.html_site import CSP, environment

from .sheet import CSS_FILE
from .sheet_model import Block, Bullets, Code, Fields, Para, Sheet, Table
from .sources import SOURCES

_LINK_SCHEMES = frozenset({"http", "https"})


def safe_href(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL a link may carry, else None."""
    if not url or any(ch.isspace() or ord(ch) < 0x20 or ch == "\x7f" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return url


_KINDS: dict[type, str] = {
    Para: "para",
    Fields: "fields",
    Table: "table",
    Code: "code",
    Bullets: "bullets",
}


def block_kind(block: Block) -> str:
    """Which branch of the template's `block` macro renders `block`."""
    return _KINDS[type(block)]


@cache
def _template() -> jinja2.Template:
    env = environment("swaggertools.worktasks")
    env.globals.update(href=safe_href, kind=block_kind)
    return env.get_template("import.html.j2")


def render(sheet: Sheet) -> str:
    """The sheet as one HTML page (LF line ends, one trailing newline)."""
    numbers = {key: i for i, key in enumerate(sheet.sources, 1)}
    html = _template().render(
        csp=CSP,
        tool_version=__version__,
        stylesheet=CSS_FILE,
        sheet=sheet,
        numbers=numbers,
        sources=[(n, SOURCES[key]) for key, n in numbers.items()],
    )
    return html.rstrip("\n") + "\n"


def stylesheet() -> bytes:
    """`import.css`: the docs site's stylesheet, then the import sheet's own rules."""
    docs = resources.files("swaggertools.docs") / "static" / "site.css"
    own = resources.files("swaggertools.worktasks") / "static" / "sheet.css"
    return docs.read_bytes().rstrip(b"\n") + b"\n\n" + own.read_bytes()


__all__ = ["block_kind", "render", "safe_href", "stylesheet"]
