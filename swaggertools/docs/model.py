"""What the templates render: plain values built from the spec, nothing rendered yet.

Vendor text stays text here (the writers escape it) except descriptions, which are
`Markup` made by the `describe` function `build.Content` was given: `text.markdown_html`
(CommonMark, then the sanitiser) for the HTML site, `md_text.markdown_block` (safe
Markdown, which must never reach HTML unrendered) for the Markdown files. Links are
`LinkRef`s: the target's page is only known once pages are laid out, so the templates
write a token that the writer replaces (see `layout.Links`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class TypePart:
    """One piece of a type label: text, or a link to a schema (`target` = its pointer)."""

    text: str
    target: str | None = None
    recursive: bool = False


@dataclass(slots=True)
class SchemaNode:
    """One node of a schema tree: a property, an item, a member of allOf/oneOf/anyOf."""

    label: str
    """Property name, `items`, `additionalProperties`, or `allOf 1` …; '' for a root."""
    type: list[TypePart]
    anchor: str | None = None
    """The node's `id` on a schema page (`schema-A/properties/b`), for deep refs."""
    required: bool = False
    description: Markup | None = None
    facts: list[tuple[str, str]] = field(default_factory=list)
    """(name, value) shown beside the type: format, default, enum, pattern, min …"""
    children: list[SchemaNode] = field(default_factory=list)
    kind: str = ""
    """`allOf`, `oneOf` or `anyOf` when the children are such members; else ''."""
    discriminator: str | None = None
    mapping: list[tuple[str, TypePart]] = field(default_factory=list)
    deprecated: bool = False


@dataclass(slots=True)
class Param:
    """One operation parameter (after `$ref` resolution and path-level merging)."""

    name: str
    location: str
    type: list[TypePart]
    required: bool
    default: str
    enum: list[str]
    description: Markup | None
    deprecated: bool = False
    schema: SchemaNode | None = None
    """An inline object schema worth a tree (3.x `schema`), else None."""


@dataclass(slots=True)
class Body:
    """A request or response body: content types and the schema per type."""

    content_types: list[str]
    schema: SchemaNode | None
    description: Markup | None = None
    required: bool = False
    name: str = ""
    """The Swagger 2.0 body parameter's name (`in: body`)."""


@dataclass(slots=True)
class Response:
    """One response of an operation."""

    status: str
    description: Markup | None
    body: Body | None
    headers: list[Param] = field(default_factory=list)
    shared: str | None = None
    """The anchor of the common response this one is (its text is shown once, there)."""


@dataclass(frozen=True, slots=True)
class SharedResponse:
    """A response many operations give word for word (AIM's 401 and 500): shown once.

    Only description-only responses with a long text are shared; an operation lists the
    status and links here instead of repeating the text.
    """

    anchor: str
    status: str
    phrase: str
    """The HTTP reason phrase (`Unauthorized`), or `Response` for unknown codes."""
    text: str
    """The description as written (CommonMark)."""
    description: Markup
    uses: int


@dataclass(slots=True)
class Security:
    """One alternative of an operation's security: schemes (all required) and scopes."""

    schemes: list[tuple[str, list[str]]]


@dataclass(slots=True)
class OperationView:
    """Everything one operation shows."""

    anchor: str
    method: str
    path: str
    operation_id: str | None
    summary: str
    description: Markup | None
    mes_method: str | None
    deprecated: bool
    tags: list[str]
    params: list[Param]
    body: Body | None
    responses: list[Response]
    security: list[Security] | None
    """None: no requirement stated; [] would be an explicit empty list (no auth)."""
    extensions: list[tuple[str, str]]
    """(name, value as JSON text)."""
    consumes: list[str] = field(default_factory=list)
    produces: list[str] = field(default_factory=list)
    pointer: str = ""


@dataclass(slots=True)
class Group:
    """One operation group (tag), in display order."""

    name: str
    slug: str
    description: Markup | None
    operations: list[tuple[str, str]]
    """(path, method) of the group's operations, in document order."""


@dataclass(slots=True)
class SchemaView:
    """One reusable schema, rendered once on a schema page."""

    name: str
    pointer: str
    anchor: str
    root: SchemaNode
    used_by: list[str] = field(default_factory=list)
    """Anchors of the operations that reference it (directly or through other schemas)."""
    recursive: bool = False


@dataclass(frozen=True, slots=True)
class Excluded:
    """One operation removed from the Work Tasks API, from the clean report."""

    method: str
    path: str
    operation_id: str | None
    mes_method: str | None
    rule: str
    ruleset: str
    reason: str
    replacement: str | None
    replacement_target: str | None
    """The anchor of the replacement's operation when it is documented, else None."""


@dataclass(frozen=True, slots=True)
class TokenMode:
    """One security scheme offered by the API, with the Work Tasks mode it matches."""

    name: str
    type: str
    description: Markup | None
    flows: list[tuple[str, list[tuple[str, str]]]]
    """(flow name, [(field, value)]): authorize URL, token URL, scopes."""
    work_tasks_mode: str | None


@dataclass(slots=True)
class SiteFacts:
    """The index page's header and the facts of the run."""

    title: str
    version: str
    description: Markup | None
    spec_version: str
    base_addresses: list[str]
    token_modes: list[TokenMode]
    input_name: str
    input_sha256: str
    rule_sets: list[str]
    tool_version: str
    documented: str
    """`cleaned (auth both)` or `as given (--as-is)`."""
    operations: int = 0
    excluded_count: int = 0
    notes: list[str] = field(default_factory=list)
