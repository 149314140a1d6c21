"""Vendor text to safe HTML: CommonMark (markdown-it-py), then the nh3 allow-list.

Descriptions in a spec are CommonMark (the OpenAPI specification names it). Raw HTML in
them is allowed through markdown-it and then cleaned by nh3: no script, no event handler
attributes, no `style`, no `id`/`class` (they could collide with the page's own), no
images or other elements that load from the network, and links only to http, https and
mailto. Everything else the templates show is escaped by Jinja2's autoescape.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING

import nh3
from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp",
        "rt", "ruby", "s", "samp", "small", "span", "strike", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
        "wbr",
    }
)  # fmt: skip
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})
Describe = Callable[[str], Markup]
"""Renders a description for the output format (`markdown_html`, or `md_text.markdown_block`)."""
# `<` and `&` start markup or entities; the other characters are CommonMark syntax. Text
# without them (most MES descriptions) renders as one escaped paragraph, which is what
# markdown-it would produce, without running the parser and the sanitiser.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.;:'\"()/?%=@-]*[A-Za-z0-9.)?]\Z|[A-Za-z]\Z")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The CommonMark parser, made on first use.

    Importing markdown-it-py and building its rules costs ~0.15 s of CPU, paid by every
    command (the CLI imports the docs package); MES descriptions are plain text
    (`is_plain`), so most runs never need it.
    """
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # nh3 decides which URLs stay (one place for the policy)
    return md


@lru_cache(maxsize=4096)
def markdown_html(text: str) -> Markup:
    """A description (CommonMark) as sanitised HTML, safe to insert into a page."""
    if is_plain(text):
        # no `<`, `&` or `>`: nothing to escape in element content (what the sanitiser
        # writes for this text, quotes included; tests/test_docs_model.py checks it)
        return Markup(f"<p>{text}</p>\n")
    return Markup(commonmark_html(text))


def is_plain(text: str) -> bool:
    """One line of words and common punctuation: the same text in CommonMark and as is."""
    return _PLAIN.match(text) is not None and "  " not in text


def commonmark_html(text: str) -> str:
    """The full path: markdown-it-py (CommonMark, raw HTML kept), then nh3's allow-list."""
    rendered = parser().render(text)
    return str(
        nh3.clean(
            rendered,
            tags=set(_ALLOWED_TAGS),
            attributes={k: set(v) for k, v in _ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(_URL_SCHEMES),
            clean_content_tags={"script", "style"},
            link_rel="noopener noreferrer nofollow",
        )
    )


def plain_text(value: object) -> str:
    """A scalar from the spec shown as text (None → empty; JSON literals as JSON writes them)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)
