"""The Markdown site: `README.md`, one file per group, schemas, excluded (GitHub-flavoured).

The same `Content` as the HTML site, with descriptions rendered by `md_text.markdown_block`;
the same anchors (an `<a id>` in each heading or list item, as GitHub keeps them) and the
same page limits (a group or the schemas split into `-p2.md`, … by `layout.Limits`: ~1 MB or
3,000 lines). Schemas are laid out before operations are written, so operations link to their
final places directly; schema files link back to operations ("used by") and to other
schemas through tokens resolved as each file is written.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import escape

from .build import Content
from .fragments import COMBINER_LABELS
from .layout import Limits, Links, SiteSummary, deep_refs, page_name, paginate
from .md_text import code, inline, markdown_block, markdown_cell, row
from .model import Body, Group, OperationView, Param, Response, SchemaNode, SchemaView, TypePart

INDEX = "README.md"
EXCLUDED = "excluded.md"
MAX_USERS = 60
"""Operations (and schemas) listed under a schema's "used by"; the rest are counted."""
_TOKEN = re.compile("\x00(\\d+)\x00")
"""A link placeholder: vendor text cannot contain NUL (`md_text` replaces it)."""


def _anchor(element_id: str) -> str:
    return f'<a id="{escape(element_id)}"></a>'


class MarkdownWriter:
    """Renders `Content` into a folder of Markdown files."""

    def __init__(self, content: Content, out: Path, limits: Limits) -> None:
        self.content = content
        self.out = out
        self.limits = limits
        self.links = Links(home=INDEX)
        self._ids: dict[str, int] = {}
        self._targets: list[str] = []
        self.summary = SiteSummary()
        self.group_pages: dict[str, list[str]] = {}
        self.schema_pages: list[str] = []
        self.phrases = {r.anchor: r.phrase for r in content.shared_responses}

    def write(self) -> SiteSummary:
        """Write every file (see the module docstring for the order)."""
        views = [(g, list(self.content.operations(g))) for g in self.content.groups]
        for shared in self.content.shared_responses:
            self.links.place("r" + shared.anchor, INDEX, shared.anchor)
        schemas = [(s, self._schema(s)) for s in self.content.schemas]
        self._place_schemas(schemas)
        for group, group_views in views:
            self._write_group(group, group_views)
        del views
        self._write_schemas(schemas)
        self._emit(EXCLUDED, self._excluded())
        self._emit(INDEX, self._index())
        return self.summary

    # ------------------------------------------------------------------ links

    def _link(self, key: str) -> str:
        """A placeholder for the href of `key`, resolved when its file is written."""
        number = self._ids.get(key)
        if number is None:
            number = self._ids[key] = len(self._targets)
            self._targets.append(key)
        return f"\x00{number}\x00"

    def _to(self, text: str, key: str) -> str:
        return f"[{text}](<{self._link(key)}>)"

    def _type(self, parts: list[TypePart]) -> str:
        out = []
        for p in parts:
            if p.target is None:
                out.append(inline(p.text))
                continue
            out.append(self._to(code(p.text), "s" + p.target))
            if p.recursive:
                out.append(" ↻ (recursive)")
        return "".join(out)

    # ------------------------------------------------------------------ schema trees

    def _facts(self, n: SchemaNode) -> str:
        out = [f"{inline(k)}: {code(v)}" for k, v in n.facts]
        if n.discriminator:
            out.append(f"discriminator: {code(n.discriminator)}")
        out.extend(f"{code(key)} → {self._type([part])}" for key, part in n.mapping)
        return (" · " + ", ".join(out)) if out else ""

    def _tree(self, nodes: list[SchemaNode], depth: int, lines: list[str]) -> None:
        """Nested list items: `name` *required* type, facts — description."""
        pad = "  " * depth
        for n in nodes:
            ident = _anchor(n.anchor) if n.anchor else ""
            label = code(n.label) if n.label else "(schema)"
            req = " *required*" if n.required else ""
            dep = " **deprecated**" if n.deprecated else ""
            desc = f" — {markdown_cell(n.description)}" if n.description else ""
            kind = f" ({n.kind}: {COMBINER_LABELS.get(n.kind, n.kind)} these)" if n.kind else ""
            lines.append(
                f"{pad}- {ident}{label}{req} {self._type(n.type)}{dep}{self._facts(n)}{kind}{desc}"
            )
            self._tree(n.children, depth + 1, lines)

    def _schema_block(self, root: SchemaNode) -> list[str]:
        lines = [f"Schema: {self._type(root.type)}{self._facts(root)}"]
        if root.children:
            lines.append("")
            self._tree(root.children, 0, lines)
        return lines

    # ------------------------------------------------------------------ operations

    def _operation(self, op: OperationView) -> str:
        title = inline(op.summary) if op.summary else code(op.operation_id or op.path)
        dep = " (deprecated)" if op.deprecated else ""
        lines = [
            f"## {_anchor(op.anchor)}{title}{dep}",
            "",
            f"**{op.method.upper()}** {code(op.path)}",
            "",
        ]
        facts = []
        if op.operation_id:
            facts.append(f"- operationId: {code(op.operation_id)}")
        if op.mes_method:
            facts.append(f"- MES method: {code(op.mes_method)}")
        if op.deprecated:
            facts.append("- **Deprecated**")
        if op.consumes:
            facts.append("- consumes: " + ", ".join(code(t) for t in op.consumes))
        if op.produces:
            facts.append("- produces: " + ", ".join(code(t) for t in op.produces))
        if facts:
            lines.extend([*facts, ""])
        if op.description:
            lines.extend([str(op.description), ""])
        if op.params:
            lines.extend(self._params(op.params))
        if op.body:
            lines.extend(self._body(op.body))
        if op.responses:
            lines.extend(["### Responses", ""])
            for r in op.responses:
                lines.extend(self._response(r))
            lines.append("")
        if op.security is not None:
            lines.extend(self._security(op))
        if op.extensions:
            lines.extend(
                ["### Vendor extensions", "", row(["Extension", "Value"]), "| --- | --- |"]
            )
            lines.extend(row([code(k), code(v)]) for k, v in op.extensions)
            lines.append("")
        return "\n".join(lines) + "\n"

    def _params(self, params: list[Param]) -> list[str]:
        lines = ["### Parameters", "", row(["Name", "In", "Type", "Description"])]
        lines.append("| --- | --- | --- | --- |")
        trees: list[str] = []
        for p in params:
            name = code(p.name) + (" *required*" if p.required else "")
            name += " **deprecated**" if p.deprecated else ""
            cell = [markdown_cell(p.description)] if p.description else []
            if p.default:
                cell.append(f"default: {code(p.default)}")
            if p.enum:
                cell.append("enum: " + ", ".join(code(v) for v in p.enum))
            lines.append(row([name, inline(p.location), self._type(p.type), "<br>".join(cell)]))
            if p.schema:
                trees.extend(["", f"Parameter {code(p.name)}:", "", *self._schema_block(p.schema)])
        return [*lines, *trees, ""]

    def _body(self, body: Body) -> list[str]:
        name = f" {code(body.name)} (in: body)" if body.name else ""
        req = " (required)" if body.required else ""
        lines = [f"### Request body{name}{req}", ""]
        if body.content_types:
            lines.extend(["Content types: " + ", ".join(code(t) for t in body.content_types), ""])
        if body.description:
            lines.extend([str(body.description), ""])
        if body.schema:
            lines.extend([*self._schema_block(body.schema), ""])
        return lines

    def _response(self, r: Response) -> list[str]:
        status = code(r.status)
        if r.shared is not None:
            phrase = inline(self.phrases.get(r.shared, "Response"))
            return [f"- {status} {self._to(phrase, 'r' + r.shared)} (common response)"]
        desc = f" — {markdown_cell(r.description)}" if r.description else ""
        lines = [f"- {status}{desc}"]
        if r.body:
            if r.body.content_types:
                lines.append(
                    "  - content types: " + ", ".join(code(t) for t in r.body.content_types)
                )
            if r.body.schema:
                root = r.body.schema
                lines.append(f"  - schema: {self._type(root.type)}{self._facts(root)}")
                sub: list[str] = []
                self._tree(root.children, 2, sub)
                lines.extend(sub)
        if r.headers:
            listed = ", ".join(f"{code(h.name)} {self._type(h.type)}" for h in r.headers)
            lines.append(f"  - headers: {listed}")
        return lines

    def _security(self, op: OperationView) -> list[str]:
        assert op.security is not None
        if not op.security:
            return ["### Security", "", "None (no authentication).", ""]
        lines = ["### Security", ""]
        for alt in op.security:
            schemes = " and ".join(
                code(name)
                + (" (scopes: " + ", ".join(code(s) for s in scopes) + ")" if scopes else "")
                for name, scopes in alt.schemes
            )
            lines.append(f"- {schemes or 'none'}")
        if len(op.security) > 1:
            lines.extend(["", "Any one of these is enough."])
        return [*lines, ""]

    def _write_group(self, group: Group, views: list[OperationView]) -> None:
        if not views:  # an empty declared tag: listed on the index with 0, no file
            self.group_pages[group.slug] = []
            return
        fragments = [self._operation(v) for v in views]
        sizes = [(len(f.encode("utf-8")), f.count("\n")) for f in fragments]
        numbers = paginate(sizes, self.limits, (4000, 20))
        pages = [page_name(group.slug, n, ".md") for n in range(max(numbers, default=0) + 1)]
        self.group_pages[group.slug] = pages
        by_page: list[list[str]] = [[] for _ in pages]
        for view, fragment, number in zip(views, fragments, numbers, strict=True):
            by_page[number].append(fragment)
            if "o" + view.anchor not in self.links.places:
                self.summary.operations += 1
                self.links.place("o" + view.anchor, pages[number], view.anchor)
        intro = [str(group.description), ""] if group.description else []
        for number, page in enumerate(pages):
            part = f" (part {number + 1} of {len(pages)})" if len(pages) > 1 else ""
            head = [f"# {inline(group.name)}{part}", "", f"[Overview]({INDEX})", ""]
            if len(pages) > 1:
                head.extend([_pager(pages, number), ""])
            body = [*head, *(intro if number == 0 else []), *by_page[number]]
            self._emit(page, "\n".join(body))

    # ------------------------------------------------------------------ schemas

    def _schema(self, s: SchemaView) -> str:
        rec = " (recursive)" if s.recursive else ""
        dep = " (deprecated)" if s.root.deprecated else ""
        lines = [f"## {_anchor(s.anchor)}{inline(s.name)}{rec}{dep}", ""]
        lines.append(f"Type: {self._type(s.root.type)}{self._facts(s.root)}")
        lines.append("")
        if s.root.description:
            lines.extend([str(s.root.description), ""])
        if s.root.children:
            self._tree(s.root.children, 0, lines)
            lines.append("")
        return "\n".join(lines)

    def _place_schemas(self, schemas: list[tuple[SchemaView, str]]) -> None:
        users, referrers = self.content.schema_users, self.content.schema_referrers
        sizes = []
        for view, text in schemas:  # "used by" is written later: about 60 bytes a link
            links = min(len(users.get(view.pointer, ())), MAX_USERS) + min(
                len(referrers.get(view.pointer, ())), MAX_USERS
            )
            sizes.append((len(text.encode("utf-8")) + 60 * links, text.count("\n") + 2))
        numbers = paginate(sizes, self.limits, (2000, 10))
        self.schema_pages = [
            page_name("schemas", n, ".md") for n in range(max(numbers, default=0) + 1)
        ]
        for (view, _), number in zip(schemas, numbers, strict=True):
            self.links.place("s" + view.pointer, self.schema_pages[number], view.anchor)
            self.summary.schemas += 1
        self.links.fallback = deep_refs(self.content, self.links)

    def _used_by(self, view: SchemaView) -> str:
        users = list(self.content.schema_users.get(view.pointer, {}))
        referrers = self.content.schema_referrers.get(view.pointer, [])
        parts = []
        if users:
            links = ", ".join(self._to(code(a), "o" + a) for a in users[:MAX_USERS])
            more = f" and {len(users) - MAX_USERS} more" if len(users) > MAX_USERS else ""
            parts.append(f"operations: {links}{more}")
        if referrers:
            name = self.content.reader.schema_name
            links = ", ".join(self._to(code(name(p)), "s" + p) for p in referrers[:MAX_USERS])
            more = f" and {len(referrers) - MAX_USERS} more" if len(referrers) > MAX_USERS else ""
            parts.append(f"schemas: {links}{more}")
        return f"Used by {'; '.join(parts)}.\n" if parts else ""

    def _write_schemas(self, schemas: list[tuple[SchemaView, str]]) -> None:
        by_page: dict[str, list[str]] = {p: [] for p in self.schema_pages}
        for view, text in schemas:
            by_page[self.links.places["s" + view.pointer][0]].append(text + self._used_by(view))
        for number, page in enumerate(self.schema_pages):
            count = len(self.schema_pages)
            part = f" (part {number + 1} of {count})" if count > 1 else ""
            head = [f"# Schemas{part}", "", f"[Overview]({INDEX})", ""]
            if count > 1:
                head.extend([_pager(self.schema_pages, number), ""])
            if not schemas:
                head.extend(["The API declares no reusable schemas.", ""])
            self._emit(page, "\n".join([*head, *by_page[page]]))

    # ------------------------------------------------------------------ other files

    def _excluded(self) -> str:
        lines = ["# Excluded from Work Tasks", "", f"[Overview]({INDEX})", ""]
        excluded = self.content.excluded
        if not excluded:
            as_is = "as given" in self.content.run.documented
            lines.append(
                "Nothing was excluded: the files document the file as given (--as-is)."
                if as_is
                else "No operation of the input matched an exclusion rule."
            )
            return "\n".join(lines) + "\n"
        lines.extend(
            [
                "These operations of the input are not in the documented API: the rule sets "
                f"exclude them (MES Web API exceptions). {len(excluded)} in all.",
                "",
                row(["Operation", "MES method", "Rule", "Reason", "Use instead"]),
                "| --- | --- | --- | --- | --- |",
            ]
        )
        for e in excluded:
            op = f"**{inline(e.method.upper())}** {code(e.path)}"
            if e.operation_id:
                op += f"<br>{code(e.operation_id)}"
            if e.replacement_target:
                instead = self._to(code(e.replacement or ""), "o" + e.replacement_target)
            elif e.replacement:
                instead = f"{code(e.replacement)} (not in this API)"
            else:
                instead = "—"
            lines.append(
                row(
                    [
                        op,
                        code(e.mes_method) if e.mes_method else "—",
                        f"{code(e.rule)}<br>{inline(e.ruleset)}",
                        inline(e.reason),
                        instead,
                    ]
                )
            )
        return "\n".join(lines) + "\n"

    def _index(self) -> str:
        facts = self.content.facts
        version = f" {inline(facts.version)}" if facts.version else ""
        lines = [f"# {inline(facts.title)}{version}", ""]
        if facts.description:
            lines.extend([str(facts.description), ""])
        groups = self.content.groups
        addresses = ", ".join(code(a) for a in facts.base_addresses) or "not stated"
        lines.extend(
            [
                f"- Specification: {inline(facts.spec_version)}",
                f"- Base address: {addresses}",
                f"- Operations: {facts.operations} in {len(groups)} groups",
                f"- Documented: {inline(facts.documented)}",
                "",
            ]
        )
        lines.extend(f"> {inline(note)}\n" for note in facts.notes)
        lines.extend(self._token_modes())
        lines.extend(["## Operation groups", "", row(["Group", "Operations"]), "| --- | ---: |"])
        for g in groups:
            pages = self.group_pages.get(g.slug) or []
            name = f"[{inline(g.name)}]({pages[0]})" if pages else inline(g.name)
            lines.append(row([name, str(len(g.operations))]))
        schemas = self.schema_pages[0] if self.schema_pages else "schemas.md"
        lines.extend(
            [
                "",
                "## Also",
                "",
                f"- [Schemas]({schemas}) ({len(self.content.schemas)})",
                f"- [Excluded from Work Tasks]({EXCLUDED}) ({facts.excluded_count})",
                "",
            ]
        )
        if self.content.shared_responses:
            lines.extend(
                [
                    "## Common responses",
                    "",
                    "These responses are given word for word by many operations; each "
                    "operation lists the status and links here.",
                    "",
                ]
            )
            for r in self.content.shared_responses:
                lines.extend(
                    [
                        f"### {_anchor(r.anchor)}{code(r.status)} {inline(r.phrase)}",
                        "",
                        str(r.description),
                        "",
                        f"Given by {r.uses} operations.",
                        "",
                    ]
                )
        rule_sets = ", ".join(code(r) for r in facts.rule_sets) or "none"
        lines.extend(
            [
                "## About this run",
                "",
                f"- Input: {code(facts.input_name)}",
                f"- Input sha256: {code(facts.input_sha256)}",
                f"- Rule sets: {rule_sets}",
                f"- Tool: swaggertools {inline(facts.tool_version)}",
            ]
        )
        return "\n".join(lines) + "\n"

    def _token_modes(self) -> list[str]:
        modes = self.content.facts.token_modes
        lines = ["## Token modes", ""]
        if not modes:
            return [*lines, "The API declares no security schemes.", ""]
        lines.extend(
            [row(["Scheme", "Work Tasks Authentication Mode", "Flows"]), "| --- | --- | --- |"]
        )
        for m in modes:
            scheme = f"{code(m.name)} ({inline(m.type)})"
            if m.description:
                # str(): Markup + str would escape the "<br>" (GitHub showed `&lt;br&gt;`)
                scheme += "<br>" + markdown_cell(str(m.description))
            flows = "<br>".join(
                f"**{inline(flow)}**" + "".join(f"<br>{inline(k)}: {code(v)}" for k, v in fields)
                for flow, fields in m.flows
            )
            lines.append(
                row([scheme, inline(m.work_tasks_mode or "not an AIM token mode"), flows or "—"])
            )
        return [*lines, ""]

    def _emit(self, page: str, text: str) -> None:
        keys = self._targets
        resolved = _TOKEN.sub(lambda m: self.links.href(keys[int(m.group(1))], page), text)
        data = resolved.encode("utf-8")
        (self.out / page).write_bytes(data)
        self.summary.pages.append(page)
        self.summary.largest_page_bytes = max(self.summary.largest_page_bytes, len(data))
        self.summary.largest_page_elements = max(
            self.summary.largest_page_elements, resolved.count("\n")
        )


def _pager(pages: list[str], number: int) -> str:
    return "Parts: " + " ".join(
        f"**{i + 1}**" if i == number else f"[{i + 1}]({p})" for i, p in enumerate(pages)
    )


def write_markdown(content: Content, out: Path, limits: Limits) -> SiteSummary:
    """Render the Markdown files into `out` (an empty folder)."""
    if content.describe is not markdown_block:  # HTML descriptions would show as raw tags
        raise ValueError("the Markdown site needs descriptions rendered by md_text.markdown_block")
    return MarkdownWriter(content, out, limits).write()
