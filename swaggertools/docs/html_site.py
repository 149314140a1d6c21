"""The HTML site: index, one page per group (split when large), schemas, excluded, search.

Operations and schemas are rendered once each into fragments (compiled Jinja2 macros);
elements are counted as they are rendered (`layout.count_elements`) so that pages split
before ~1 MB or ~3,000 elements (`Limits`). Link tokens are resolved as each page is written.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .build import Content
from .fragments import Fragments, esc
from .layout import (
    Limits,
    Links,
    SiteSummary,
    count_elements,
    deep_refs,
    page_name,
    paginate,
)
from .model import Group, OperationView, SchemaView
from .search import CHUNK_ROWS, SearchIndex
from .text import markdown_html

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'"
)
NAV_WINDOW = 12
"""Groups listed around the current one in the side navigation (all when at most twice
as many): every page carries it, so a long list would multiply into megabytes."""
INDEX_GROUPS = 60
"""Groups listed on the index itself. With more, the index links to the numbered "all
groups" pages (split by the same limits): at 20,000 operations the full list of ~2,900
groups alone took the index past 600 ms to DOMContentLoaded."""
GROUPS_PAGE = "groups"
MAX_USERS = 60
"""Operations (and schemas) listed under a schema's "used by"; the rest are counted."""
STATIC_FILES = ("site.css", "site.js")


def environment(*packages: str) -> jinja2.Environment:
    """The template environment: package templates, autoescape on, strict undefined.

    The `templates` folders of `packages` come first, then the docs' own, so another
    page kind (the worktasks import sheet) can import the shared `page.html.j2`.
    """
    loaders = [jinja2.PackageLoader(p, "templates") for p in (*packages, "swaggertools.docs")]
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        auto_reload=False,  # package files do not change during a run: no stat per page
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class HtmlWriter:
    """Renders `Content` into a folder."""

    def __init__(self, content: Content, out: Path, limits: Limits) -> None:
        self.content = content
        self.out = out
        self.limits = limits
        self.links = Links()
        self.env = environment()
        self.env.globals["link"] = self.links.token
        self.fragments = Fragments(self.links.token, *self._fragment_args())
        self._frame: tuple[int, int] | None = None
        self._head_parts: list[str] | None = None
        self._foot_html: str | None = None
        self._nav_items: list[tuple[Group, str]] | None = None
        self.search = SearchIndex()
        self.summary = SiteSummary()
        self.group_pages: dict[str, list[str]] = {}
        self.group_counts = {g.slug: len(g.operations) for g in content.groups}
        self.schema_pages: list[str] = []
        self._search_count = 0

    def write(self) -> SiteSummary:
        """Write every page, the assets and the search index.

        Operation views are built first (that records which operations use each schema),
        so schemas are laid out before any operation is rendered: operations then link
        to their final places directly, and each group's pages are written and dropped
        as soon as they are rendered. Only schema pages (schema → schema and "used by"
        links) and the excluded page carry link tokens.
        """
        (self.out / "assets").mkdir()
        views = [(g, list(self.content.operations(g))) for g in self.content.groups]
        schema_fragments = self._schema_fragments()
        self._place_schemas(schema_fragments)
        for shared in self.content.shared_responses:
            self.links.place("r" + shared.anchor, "index.html", shared.anchor)
        rows = len(self.content.all_operations()) + len(self.content.schemas)
        self._search_count = -(-rows // CHUNK_ROWS)
        self._head_parts = None  # rendered again now that the search index size is known
        self.fragments = Fragments(self._direct, *self._fragment_args())
        for group, group_views in views:
            self._write_group(group, group_views)
        del views
        self._write_schemas(schema_fragments)
        self._write_simple(
            "excluded.html", "Excluded from Work Tasks", "excluded", self._excluded()
        )
        group_items = self._group_items()
        self._write_group_lists(group_items)
        self._write_simple("index.html", "Overview", "index", self._index(group_items))
        self._write_assets()
        return self.summary

    def _fragment_args(self) -> tuple[set[int], dict[str, str]]:
        return (
            self.content.ops.shared_views,
            {r.anchor: r.phrase for r in self.content.shared_responses},
        )

    def _direct(self, key: str) -> Markup:
        """The final href of a placed schema or common response (from an operation page)."""
        return Markup(_attr(self.links.href(key, "")))

    # ------------------------------------------------------------------ operations

    def _write_group(self, group: Group, views: list[OperationView]) -> None:
        """Render a group's operations, split them into pages, place and write them."""
        if not views:  # an empty declared tag: listed on the index with 0, no page
            self.group_pages[group.slug] = []
            return
        fragments = [self.fragments.operation(v) for v in views]
        labels = [v.summary or v.operation_id or v.path for v in views]
        sizes = [
            (len(html) + len(label) + 120, count_elements(html) + 3)
            for html, label in zip(fragments, labels, strict=True)
        ]
        numbers = paginate(sizes, self.limits, self._frame_size(group))
        pages = [page_name(group.slug, n) for n in range(max(numbers, default=0) + 1)]
        self.group_pages[group.slug] = pages
        by_page: list[list[int]] = [[] for _ in pages]
        for i, (view, number) in enumerate(zip(views, numbers, strict=True)):
            by_page[number].append(i)
            key = "o" + view.anchor
            if key not in self.links.places:
                self.search.operation(
                    pages[number],
                    view.anchor,
                    view.method,
                    view.path,
                    view.summary,
                    view.operation_id,
                    view.mes_method,
                    group.name,
                )
                self.summary.operations += 1
                self.links.place(key, pages[number], view.anchor)
        description = f'<div class="md lead">{group.description}</div>' if group.description else ""
        for number, page in enumerate(pages):
            items = by_page[number]
            nav_ops = [(views[i].anchor, views[i].method, labels[i]) for i in items]
            parts = [self._head(page, group.name, "group", group.slug, nav_ops)]
            title = group.name + (f" (part {number + 1} of {len(pages)})" if len(pages) > 1 else "")
            parts.append(f'<h1 class="group-title">{esc(title)}</h1>')
            if number == 0:
                parts.append(description)
            if len(pages) > 1:
                parts.append(_pager(pages, number, "Parts of this group"))
            parts.extend(fragments[i] for i in items)
            parts.append(self._foot())
            self._emit(page, "".join(parts))

    def _frame_size(self, group: Group) -> tuple[int, int]:
        """What a group page carries besides its operations (the same for every group)."""
        if self._frame is None:
            frame = self._head("x", group.name, "group", group.slug, []) + self._foot()
            self._frame = (len(frame) + 4000, count_elements(frame) + 20)
        return self._frame

    # ------------------------------------------------------------------ schemas

    def _schema_fragments(self) -> list[tuple[SchemaView, str]]:
        """Schemas rendered without their "used by" lines (those need the operations)."""
        return [(s, self.fragments.schema(s)) for s in self.content.schemas]

    def _used_by(self, view: SchemaView) -> tuple[list[Any], int, list[Any], int]:
        users = list(self.content.schema_users.get(view.pointer, {}))
        referrers = self.content.schema_referrers.get(view.pointer, [])
        return (
            [(a, a) for a in users[:MAX_USERS]],
            max(0, len(users) - MAX_USERS),
            [(p, self.content.reader.schema_name(p)) for p in referrers[:MAX_USERS]],
            max(0, len(referrers) - MAX_USERS),
        )

    def _place_schemas(self, fragments: list[tuple[SchemaView, str]]) -> None:
        frame = self._head("x", "Schemas", "schemas", "", []) + self._foot()
        sizes = []
        users, referrers = self.content.schema_users, self.content.schema_referrers
        for view, html in fragments:
            links = min(len(users.get(view.pointer, ())), MAX_USERS) + min(
                len(referrers.get(view.pointer, ())), MAX_USERS
            )
            sizes.append((len(html) + 60 * links, count_elements(html) + links + 1))
        numbers = paginate(sizes, self.limits, (len(frame) + 2000, count_elements(frame) + 10))
        self.schema_pages = [page_name("schemas", n) for n in range(max(numbers, default=0) + 1)]
        for (view, _), number in zip(fragments, numbers, strict=True):
            page = self.schema_pages[number]
            self.links.place("s" + view.pointer, page, view.anchor)
            self.search.schema(page, view.anchor, view.name)
            self.summary.schemas += 1
        self.links.fallback = deep_refs(self.content, self.links)

    def _write_schemas(self, fragments: list[tuple[SchemaView, str]]) -> None:
        by_page: dict[str, list[str]] = {p: [] for p in self.schema_pages}
        for view, html in fragments:
            into = by_page[self.links.places["s" + view.pointer][0]]
            into.append(html)
            into.append(self.fragments.used_by(*self._used_by(view)))
            into.append("</section>\n")
        for number, page in enumerate(self.schema_pages):
            parts = [self._head(page, "Schemas", "schemas", "", [])]
            title = "Schemas" + (
                f" (part {number + 1} of {len(self.schema_pages)})"
                if len(self.schema_pages) > 1
                else ""
            )
            parts.append(
                self.env.get_template("schemas.html.j2").render(
                    title=title, pages=self.schema_pages, number=number, empty=not fragments
                )
            )
            parts.extend(by_page[page])
            parts.append(self._foot())
            self._emit(page, "".join(parts))

    # ------------------------------------------------------------------ other pages

    def _excluded(self) -> str:
        documented = self.content.run.documented
        empty = (
            "Nothing was excluded: the site documents the file as given (--as-is)."
            if "as given" in documented
            else "No operation of the input matched an exclusion rule."
        )
        return self.env.get_template("excluded.html.j2").render(
            excluded=self.content.excluded, empty_note=empty
        )

    def _index(self, group_items: list[str]) -> str:
        return self.env.get_template("index.html.j2").render(
            facts=self.content.facts,
            groups=[Markup(item) for item in group_items[:INDEX_GROUPS]],
            group_count=len(group_items),
            all_groups_href=self._all_groups_href(),
            schemas_href=self.schema_pages[0] if self.schema_pages else "schemas.html",
            schema_count=len(self.content.schemas),
            shared=Markup(
                "".join(
                    self.fragments.shared_response(
                        r.anchor, r.status, r.phrase, r.description, r.uses
                    )
                    for r in self.content.shared_responses
                )
            ),
        )

    def _group_items(self) -> list[str]:
        """Each group's `<li>` (a link to its first page; empty groups are not links)."""
        items = []
        for g in self.content.groups:
            name = esc(g.name)
            if g.operations:
                name = f'<a href="{esc(self.group_pages[g.slug][0])}">{name}</a>'
            items.append(f'<li>{name} <span class="count">{len(g.operations)}</span></li>')
        return items

    def _all_groups_href(self) -> str | None:
        """The first "all groups" page, when the index cannot list every group."""
        return page_name(GROUPS_PAGE, 0) if len(self.content.groups) > INDEX_GROUPS else None

    def _write_group_lists(self, items: list[str]) -> None:
        """The numbered "all groups" pages, split by the same limits as every other page.

        They are plain links, so every group is reachable from the index without script.
        """
        if self._all_groups_href() is None:
            return
        title = "All operation groups"
        frame = self._head("x", title, "groups", "", []) + self._foot()
        sizes = [(len(item), count_elements(item)) for item in items]
        numbers = paginate(sizes, self.limits, (len(frame) + 2000, count_elements(frame) + 10))
        pages = [page_name(GROUPS_PAGE, n) for n in range(max(numbers) + 1)]
        by_page: list[list[str]] = [[] for _ in pages]
        for item, number in zip(items, numbers, strict=True):
            by_page[number].append(item)
        for number, page in enumerate(pages):
            part = f" (part {number + 1} of {len(pages)})" if len(pages) > 1 else ""
            first = sum(len(p) for p in by_page[:number]) + 1
            last = first + len(by_page[number]) - 1
            body = [
                f"<h1>{esc(title)}{part}</h1>",
                f"<p>Groups {first} to {last} of {len(items)}, in the order of the index.</p>",
                _pager(pages, number, "Parts of the group list") if len(pages) > 1 else "",
                '<ul class="group-list" id="st-groups">',
                *by_page[number],
                "</ul>",
            ]
            self._write_simple(page, title + part, "groups", "\n".join(body))

    def _write_simple(self, page: str, title: str, kind: str, body: str) -> None:
        self._emit(page, self._head(page, title, kind, "", []) + body + self._foot())

    def _head(
        self, page: str, title: str, kind: str, current: str, ops: list[tuple[str, str, str]]
    ) -> str:
        if self._head_parts is None:
            # rendered once with markers, then filled per page (2,900 pages at 20k ops)
            html = self.env.get_template("head.html.j2").render(
                csp=CSP,
                facts=self.content.facts,
                kind="\x02",
                title="\x01",
                search_files=self._search_count,
                nav=Markup("\x03"),
            )
            self._head_parts = re.split("[\x01\x02\x03]", html)
            self._head_order = re.findall("[\x01\x02\x03]", html)
        values = {"\x01": esc(title), "\x02": esc(kind), "\x03": self._nav(current, ops)}
        parts = self._head_parts
        out = [parts[0]]
        for marker, part in zip(self._head_order, parts[1:], strict=True):
            out.append(values[marker])
            out.append(part)
        return "".join(out)

    def _nav(self, current: str, ops: list[tuple[str, str, str]]) -> str:
        """The side navigation: a window of groups around the current one, its operations."""
        if self._nav_items is None:
            self._nav_items = [
                (
                    g,
                    f'<a href="{esc(self.group_pages.get(g.slug, [g.slug + ".html"])[0])}">'
                    f'{esc(g.name)}</a> <span class="count">{len(g.operations)}</span>',
                )
                for g in self.content.groups
                if g.operations
            ]
            self._nav_position = {g.slug: i for i, (g, _) in enumerate(self._nav_items)}
        items = self._nav_items
        position = self._nav_position.get(current, 0)
        start, end = 0, len(items)
        if len(items) > 2 * NAV_WINDOW:
            start = max(0, min(position - NAV_WINDOW // 2, len(items) - NAV_WINDOW))
            end = start + NAV_WINDOW
        everything = (
            f'<p class="nav-more"><a href="{self._all_groups_href() or "index.html#st-groups"}">'
            f"All {len(items)} groups</a></p>"
        )
        out = ['<p class="nav-head"><a href="index.html">Overview</a></p>']
        if start > 0:
            out.append(everything)
        out.append('<ul class="groups">')
        for group, html in items[start:end]:
            if group.slug != current:
                out.append(f"<li>{html}</li>")
                continue
            here = html.replace("<a ", '<a aria-current="page" ', 1)
            listed = "".join(
                f'<li><a href="#{esc(anchor)}"><span class="mini m-{esc(method)}">'
                f"{esc(method.upper())}</span> {esc(label)}</a></li>"
                for anchor, method, label in ops
            )
            out.append(
                f'<li class="here">{here}'
                + (f'<ul class="ops">{listed}</ul>' if listed else "")
                + "</li>"
            )
        out.append("</ul>")
        if end < len(items):
            out.append(everything)
        schemas = self.schema_pages[0] if self.schema_pages else "schemas.html"
        out.append(
            f'<p class="nav-head"><a href="{schemas}">Schemas</a> '
            f'<span class="count">{len(self.content.schemas)}</span></p>'
            '<p class="nav-head"><a href="excluded.html">Excluded from Work Tasks</a> '
            f'<span class="count">{len(self.content.excluded)}</span></p>'
        )
        if self.content.shared_responses:
            out.append(
                '<p class="nav-head"><a href="index.html#st-responses">Common responses</a> '
                f'<span class="count">{len(self.content.shared_responses)}</span></p>'
            )
        return "\n".join(out)

    def _foot(self) -> str:
        if self._foot_html is None:
            self._foot_html = self.env.get_template("foot.html.j2").render(facts=self.content.facts)
        return self._foot_html

    def _emit(self, page: str, html: str) -> None:
        text = self.links.resolve(html, page)
        data = text.encode("utf-8")
        (self.out / page).write_bytes(data)
        self.summary.pages.append(page)
        self.summary.largest_page_bytes = max(self.summary.largest_page_bytes, len(data))
        self.summary.largest_page_elements = max(
            self.summary.largest_page_elements, count_elements(text)
        )

    def _write_assets(self) -> None:
        static = resources.files("swaggertools.docs") / "static"
        for name in STATIC_FILES:
            (self.out / "assets" / name).write_bytes((static / name).read_bytes())
        for name, text in self.search.files():
            (self.out / "assets" / name).write_text(text, encoding="utf-8", newline="\n")


def _pager(pages: list[str], number: int, label: str) -> str:
    links = "".join(
        f'<span aria-current="page">{i + 1}</span> '
        if i == number
        else f'<a href="{esc(p)}">{i + 1}</a> '
        for i, p in enumerate(pages)
    )
    return f'<nav class="pager" aria-label="{esc(label)}">{links}</nav>'


def _attr(url: str) -> str:
    return url.replace("&", "&amp;").replace('"', "&quot;")


def write_html(content: Content, out: Path, limits: Limits) -> SiteSummary:
    """Render the site into `out` (an empty folder)."""
    if content.describe is not markdown_html:  # Markdown descriptions are not HTML-safe
        raise ValueError("the HTML site needs descriptions rendered by text.markdown_html")
    return HtmlWriter(content, out, limits).write()
