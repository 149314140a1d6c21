"""Operation and schema fragments, written directly in Python for speed.

A 20,000-operation site renders 20,000 operations and ~11,000 schemas; a Jinja2 macro
call per type label and tree node costs about ten times what these string joins do
(benchmarks/run.py). The page frames (head, navigation, index, excluded) stay Jinja2
templates. The escaping rule is the same: every value from the spec goes through `esc`
(markupsafe's escape); only `Markup` (sanitised descriptions, our own tokens) is inserted
as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from .model import Body, OperationView, Param, Response, SchemaNode, SchemaView, TypePart

COMBINER_LABELS = {"allOf": "all of", "anyOf": "any of", "oneOf": "exactly one of"}
"""How a combiner's children read: they differ in meaning, so one phrase would mislead."""


def _escaper() -> Callable[[str], str]:
    """MarkupSafe 3's C escaper without the Markup wrapper (5x cheaper per call).

    It is a private name, so any MarkupSafe without it (2.x, the pure-Python build, a later
    release) gets the public `escape`, which escapes the same five characters.
    """
    try:
        from markupsafe._speedups import _escape_inner
    except ImportError:  # pragma: no cover - depends on the installed MarkupSafe
        return lambda text: str(escape(text))
    return _escape_inner


_escape_inner = _escaper()

LinkFn = Callable[[str], Markup]
REQUIRED = (
    '<span class="req" title="required" aria-hidden="true">*</span>'
    '<span class="sr"> (required)</span>'
)
"""The required mark: a red `*` to see, and the word for screen readers (a `title` on a
span is not read out reliably, and a bare `*` is read as "star")."""


def esc(value: object) -> str:
    """Escape text for HTML (element content and quoted attribute values).

    The same five characters as markupsafe's `escape` (`& < > " '`); a `Markup` value is
    escaped too (callers insert trusted HTML directly, never through `esc`).
    """
    return _escape_inner(value if type(value) is str else str(value))


class Fragments:
    """Renders operations and schemas; `link(key)` gives an href for a link target."""

    def __init__(
        self,
        link: LinkFn,
        shared_views: set[int] | frozenset[int] = frozenset(),
        phrases: dict[str, str] | None = None,
    ) -> None:
        self.link = link
        self.phrases = phrases or {}
        """Anchor of each common response → its reason phrase (the link's text)."""
        self.shared_views = shared_views
        """ids of the views many operations share (kept alive by `OperationBuilder`)."""
        self._refs: dict[str, str] = {}
        self._same: dict[int, str] = {}

    def _once(self, view: Param | Response, render: Callable[[Param | Response], str]) -> str:
        """`render(view)`, once per shared view (a `$ref`'d parameter or response)."""
        key = id(view)
        if key not in self.shared_views:
            return render(view)
        found = self._same.get(key)
        if found is None:
            found = self._same[key] = render(view)
        return found

    # ------------------------------------------------------------------ types and trees

    def type(self, parts: list[TypePart]) -> str:
        """A type label; schema names link to their schema."""
        out = []
        for p in parts:
            if p.target is None:
                out.append(esc(p.text))
            else:
                ref = self._refs.get(p.target)
                if ref is None:
                    ref = self._refs[p.target] = (
                        f'<a class="ref" href="{self.link("s" + p.target)}">{esc(p.text)}</a>'
                    )
                out.append(ref)
                if p.recursive:
                    out.append('<span class="rec" title="recursive reference">&#8635;</span>')
        return "".join(out)

    def _facts(self, n: SchemaNode) -> str:
        out = [f' <span class="fact">{esc(k)}: <code>{esc(v)}</code></span>' for k, v in n.facts]
        if n.discriminator:
            out.append(
                f' <span class="fact">discriminator: <code>{esc(n.discriminator)}</code></span>'
            )
        for key, part in n.mapping:
            out.append(
                f' <span class="fact"><code>{esc(key)}</code> &#8594; {self.type([part])}</span>'
            )
        return "".join(out)

    def node(self, n: SchemaNode) -> str:
        """One tree node (`<li>`) with its children."""
        ident = f' id="{esc(n.anchor)}"' if n.anchor else ""
        req = REQUIRED if n.required else ""
        dep = ' <span class="dep">deprecated</span>' if n.deprecated else ""
        desc = f'<div class="md">{n.description}</div>' if n.description else ""
        kids = self.children(n) if n.children else ""
        return (
            f'<li{ident}><span class="pn">{esc(n.label)}</span>{req} '
            f'<span class="ty">{self.type(n.type)}</span>{dep}{self._facts(n)}{desc}{kids}</li>'
        )

    def children(self, n: SchemaNode, open_: bool = False) -> str:
        """The collapsible list of a node's children."""
        summary = (
            f"{n.kind} ({COMBINER_LABELS.get(n.kind, n.kind)} these)" if n.kind else "properties"
        )
        opened = " open" if open_ else ""
        inner = "".join(self.node(c) for c in n.children)
        return (
            f'<details class="kids"{opened}><summary>{summary}</summary>'
            f'<ul class="tree">{inner}</ul></details>'
        )

    def schema_block(self, root: SchemaNode) -> str:
        """A schema shown inside an operation: its type, and its tree when it has one."""
        head = f'<span class="ty">{self.type(root.type)}</span>{self._facts(root)}'
        if root.children:
            return f'<div class="schema-root">{head}{self.children(root, True)}</div>'
        return f'<p class="schema-root">{head}</p>'

    # ------------------------------------------------------------------ operations

    def operation(self, op: OperationView) -> str:
        """One operation's `<section>`."""
        dep = ' <span class="dep">deprecated</span>' if op.deprecated else ""
        title = esc(op.summary or op.operation_id or op.path)
        parts = [
            f'<section class="op{" deprecated" if op.deprecated else ""}" id="{esc(op.anchor)}">\n'
            f"<h2>{title}{dep}</h2>\n"
            f'<p class="op-line"><span class="badge m-{esc(op.method)}">{esc(op.method.upper())}'
            f'</span> <code class="op-path">{esc(op.path)}</code></p>\n<dl class="op-facts">'
        ]
        if op.operation_id:
            parts.append(
                f'<dt>operationId</dt><dd><code class="op-id">{esc(op.operation_id)}</code></dd>'
            )
        if op.mes_method:
            parts.append(
                f'<dt>MES method</dt><dd><code class="op-mes">{esc(op.mes_method)}</code></dd>'
            )
        if op.consumes:
            parts.append(f"<dt>consumes</dt><dd>{esc(', '.join(op.consumes))}</dd>")
        if op.produces:
            parts.append(f"<dt>produces</dt><dd>{esc(', '.join(op.produces))}</dd>")
        parts.append("</dl>\n")
        if op.description:
            parts.append(f'<div class="md">{op.description}</div>')
        if op.params:
            parts.append(self._params(op.params))
        if op.body:
            parts.append(self._body(op.body))
        if op.responses:
            parts.append(self._responses(op))
        if op.security is not None:
            parts.append(self._security(op))
        if op.extensions:
            items = "".join(
                f"<dt><code>{esc(k)}</code></dt><dd><code>{esc(v)}</code></dd>"
                for k, v in op.extensions
            )
            parts.append(
                f'<details class="ext"><summary>Vendor extensions ({len(op.extensions)})'
                f"</summary><dl>{items}</dl></details>"
            )
        parts.append("</section>\n")
        return "".join(parts)

    def _params(self, params: list[Param]) -> str:
        rows = "".join(self._once(p, self._param_row) for p in params)
        return (
            '<h3>Parameters</h3>\n<table class="params"><thead><tr><th scope="col">Name</th>'
            '<th scope="col">In</th><th scope="col">Type</th><th scope="col">Description</th>'
            f"</tr></thead><tbody>{rows}</tbody></table>\n"
        )

    def _param_row(self, p: Param | Response) -> str:
        assert isinstance(p, Param)
        req = REQUIRED if p.required else ""
        dep = ' <span class="dep">deprecated</span>' if p.deprecated else ""
        cell = [str(p.description) if p.description else ""]
        if p.default:
            cell.append(f'<p class="fact">default: <code>{esc(p.default)}</code></p>')
        if p.enum:
            values = ", ".join(f"<code>{esc(v)}</code>" for v in p.enum)
            cell.append(f'<p class="fact">enum: {values}</p>')
        if p.schema:
            cell.append(self.schema_block(p.schema))
        return (
            f"<tr><td><code>{esc(p.name)}</code>{req}{dep}</td><td>{esc(p.location)}</td>"
            f"<td>{self.type(p.type)}</td><td>{''.join(cell)}</td></tr>"
        )

    def _content_types(self, types: list[str]) -> str:
        if not types:
            return ""
        return '<p class="ctypes">' + " ".join(f"<code>{esc(t)}</code>" for t in types) + "</p>"

    def _body(self, body: Body) -> str:
        name = f" <code>{esc(body.name)}</code> (in: body)" if body.name else ""
        req = ' <span class="req-text">required</span>' if body.required else ""
        desc = f'<div class="md">{body.description}</div>' if body.description else ""
        schema = self.schema_block(body.schema) if body.schema else ""
        return (
            f"<h3>Request body{name}{req}</h3>\n{self._content_types(body.content_types)}"
            f"{desc}{schema}"
        )

    def _responses(self, op: OperationView) -> str:
        items = "".join(self._once(r, self._response) for r in op.responses)
        return f'<h3>Responses</h3>\n<ul class="responses">{items}</ul>\n'

    def _response(self, r: Param | Response) -> str:
        assert isinstance(r, Response)
        status = esc(r.status)
        head = f'<li><span class="status s{status[:1]}">{status}</span>'
        if r.shared is not None:
            found = self._refs.get("r" + r.shared)
            if found is None:
                found = self._refs["r" + r.shared] = (
                    f'{head} <a class="shared" href="{self.link("r" + r.shared)}">'
                    f"{esc(self.phrases.get(r.shared, 'Response'))}</a> (common response)</li>"
                )
            return found
        desc = f" {r.description}" if r.description else ""
        body = ""
        if r.body:
            body = self._content_types(r.body.content_types)
            if r.body.schema:
                body += self.schema_block(r.body.schema)
        headers = ""
        if r.headers:
            listed = ", ".join(f"<code>{esc(h.name)}</code> {self.type(h.type)}" for h in r.headers)
            headers = f'<p class="fact">headers: {listed}</p>'
        return f"{head}{desc}{body}{headers}</li>"

    def shared_response(
        self, anchor: str, status: str, phrase: str, description: Markup, uses: int
    ) -> str:
        """A common response, once (on the index), with the operations count."""
        code = esc(status)
        return (
            f'<section class="resp" id="{esc(anchor)}"><h3><span class="status s{code[:1]}">'
            f"{code}</span> {esc(phrase)}</h3>{description}"
            f'<p class="fact">Given by {uses} operations.</p></section>\n'
        )

    def _security(self, op: OperationView) -> str:
        assert op.security is not None
        if not op.security:
            return "<h3>Security</h3>\n<p>None (no authentication).</p>\n"
        alternatives = []
        for alt in op.security:
            schemes = " and ".join(
                f"<code>{esc(name)}</code>"
                + (f" (scopes: {esc(', '.join(scopes))})" if scopes else "")
                for name, scopes in alt.schemes
            )
            alternatives.append(f"<li>{schemes or 'none'}</li>")
        any_one = '<p class="fact">Any one of these is enough.</p>' if len(op.security) > 1 else ""
        return f'<h3>Security</h3>\n<ul class="security">{"".join(alternatives)}</ul>{any_one}\n'

    # ------------------------------------------------------------------ schemas

    def schema(self, s: SchemaView) -> str:
        """One schema's `<section>`, left open for its "used by" line (`used_by`)."""
        rec = (
            ' <span class="rec-text" title="this schema refers back to itself">recursive</span>'
            if s.recursive
            else ""
        )
        dep = ' <span class="dep">deprecated</span>' if s.root.deprecated else ""
        desc = f'<div class="md">{s.root.description}</div>' if s.root.description else ""
        kids = self.children(s.root, True) if s.root.children else ""
        return (
            f'<section class="schema{" recursive" if s.recursive else ""}" id="{esc(s.anchor)}">\n'
            f"<h2>{esc(s.name)}{rec}{dep}</h2>\n"
            f'<p class="schema-type"><span class="ty">{self.type(s.root.type)}</span>'
            f"{self._facts(s.root)}</p>{desc}{kids}"
        )

    def used_by(
        self,
        users: list[tuple[str, str]],
        more_users: int,
        referrers: list[tuple[str, str]],
        more_referrers: int,
    ) -> str:
        """The "used by" line of a schema: operations, then schemas ('' when unused)."""
        if not users and not referrers:
            return ""
        parts = []
        if users:
            links = ", ".join(
                f'<a href="{self.link("o" + anchor)}">{esc(label)}</a>' for anchor, label in users
            )
            parts.append(f"operations: {links}" + (f" and {more_users} more" if more_users else ""))
        if referrers:
            links = ", ".join(
                f'<a href="{self.link("s" + pointer)}">{esc(label)}</a>'
                for pointer, label in referrers
            )
            more = f" and {more_referrers} more" if more_referrers else ""
            parts.append(f"schemas: {links}{more}")
        return f'<p class="used-by">Used by {"; ".join(parts)}.</p>\n'
