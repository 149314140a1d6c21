"""Pages and links: splitting fragments into pages, and resolving links once pages are known.

A fragment (one operation, one schema) is rendered before the page it lands on is known,
and operations and schemas link to each other, so a link is written as a token
`<@N@>` (N indexes `Links.targets`). No rendered vendor text can contain `<@`: escaped
text and sanitised HTML only have `<` before a tag name or `/`. The writer replaces the
tokens of each page as it writes it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import Markup

from .schematree import component_anchor

if TYPE_CHECKING:
    from .build import Content

_TOKEN = re.compile(r"<@(\d+)@>")
_FRAGMENT_SAFE = "/:@!$&'()*+,;=-._~"


def count_elements(html: str) -> int:
    """Elements in a fragment: start tags (every `<` that is not `</`; no comments)."""
    return html.count("<") - html.count("</")


@dataclass(frozen=True)
class Limits:
    """When a page is split: about this many bytes or elements, whichever comes first.

    In headless Chromium on a busy 2-core machine a page's DOMContentLoaded grew by about
    0.04 to 0.06 ms per element on top of ~50 to 90 ms for an empty page: 9,500-element
    schema pages took 380 to 620 ms, so 3,000 elements keeps every page well under 300 ms.
    """

    bytes: int = 1_000_000
    elements: int = 3_000


def paginate(
    sizes: Iterable[tuple[int, int]], limits: Limits, frame: tuple[int, int] = (0, 0)
) -> list[int]:
    """The page number (0-based) of each fragment, given (bytes, elements) per fragment.

    `frame` is what every page carries besides its fragments. A fragment larger than a
    page gets a page of its own.
    """
    pages: list[int] = []
    page, used_bytes, used_elements = 0, frame[0], frame[1]
    empty = True
    for size, elements in sizes:
        if not empty and (
            used_bytes + size > limits.bytes or used_elements + elements > limits.elements
        ):
            page += 1
            used_bytes, used_elements = frame
            empty = True
        pages.append(page)
        used_bytes += size
        used_elements += elements
        empty = False
    return pages


def page_name(base: str, number: int, ext: str = ".html") -> str:
    """`tag-core.html`, then `tag-core-p2.html`, … for the split pages."""
    return f"{base}{ext}" if number == 0 else f"{base}-p{number + 1}{ext}"


@dataclass
class SiteSummary:
    """What a build wrote (either format)."""

    pages: list[str] = field(default_factory=list)
    largest_page_bytes: int = 0
    largest_page_elements: int = 0
    operations: int = 0
    schemas: int = 0


@dataclass
class Links:
    """Link targets by key, and where each target ended up (page, fragment id)."""

    targets: list[str] = field(default_factory=list)
    _ids: dict[str, int] = field(default_factory=dict)
    places: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Key → (page file, element id); filled as pages are laid out."""
    fallback: Callable[[str], tuple[str, str] | None] | None = None
    """Finds the place of a key that has none of its own (a deep ref → its node)."""
    home: str = "index.html"
    """Where a link to a target that is nowhere goes."""

    def token(self, key: str) -> Markup:
        """The placeholder for a link to `key` (an href value)."""
        number = self._ids.get(key)
        if number is None:
            number = self._ids[key] = len(self.targets)
            self.targets.append(key)
        return Markup(f"<@{number}@>")

    def place(self, key: str, page: str, element_id: str) -> None:
        """Record where the element `key` names is."""
        self.places.setdefault(key, (page, element_id))

    def href(self, key: str, current_page: str) -> str:
        """The relative URL of `key` from `current_page` (`#id` on the same page)."""
        place = self.places.get(key)
        if place is None and self.fallback is not None:
            place = self.fallback(key)
        if place is None:
            return self.home
        page, element_id = place
        fragment = "#" + quote(element_id, safe=_FRAGMENT_SAFE) if element_id else ""
        return fragment if page == current_page and fragment else page + fragment

    def resolve(self, html: str, current_page: str) -> str:
        """Replace every link token of a page's HTML."""
        if "<@" not in html:
            return html
        cache: dict[str, str] = {}

        def one(match: re.Match[str]) -> str:
            number = match.group(1)
            found = cache.get(number)
            if found is None:
                found = cache[number] = _attr(self.href(self.targets[int(number)], current_page))
            return found

        return _TOKEN.sub(one, html)


def deep_refs(content: Content, links: Links) -> Callable[[str], tuple[str, str] | None]:
    """The `Links.fallback` for deep refs, once every schema is placed.

    `sA/properties/b` → the place of that node when it is shown, else of its schema.
    """
    reader, nodes = content.reader, content.node_components

    def deep(key: str) -> tuple[str, str] | None:
        if not key.startswith("s"):
            return None
        pointer = key[1:]
        anchor = component_anchor(reader, pointer)
        component = nodes.get(anchor) or reader.schema_component(pointer)
        place = links.places.get("s" + component) if component else None
        if place is None:
            return None
        return (place[0], anchor) if anchor in nodes else place

    return deep


def _attr(url: str) -> str:
    return url.replace("&", "&amp;").replace('"', "&quot;")
