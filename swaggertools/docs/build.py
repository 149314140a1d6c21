"""The site's content, independent of the output format: groups, anchors, schemas, facts.

`Content` is built once from a document; the HTML and Markdown writers walk it. Operation
views are built group by group (`Content.operations`), so a writer holds one group's
views at a time, never 20,000 of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from swaggertools.model import IdentifyStrategy
from swaggertools.security import SERVICE_SCHEME, USER_SCHEME
from swaggertools.versions import SpecVersion

from .model import (
    Excluded,
    Group,
    OperationView,
    SchemaNode,
    SchemaView,
    SharedResponse,
    SiteFacts,
    TokenMode,
)
from .operations import OperationBuilder, iter_operations
from .schematree import TreeBuilder, component_anchor
from .spec import SpecReader, html_id, slug
from .text import Describe, markdown_html, plain_text

UNTAGGED = "default"
SHARED_MIN_CHARS = 60
SHARED_MIN_USES = 3
"""A description-only response is shown once (and linked) when its text is at least this
long and this many operations give it word for word (AIM's 401 and 500 on every one)."""
RESERVED_IDS = frozenset({"st-main", "st-nav", "st-search", "st-q", "st-results", "st-top"})
WORK_TASKS_MODES = {
    USER_SCHEME: "User Access Token",
    SERVICE_SCHEME: "Service to Service Access Token",
}
"""The Work Tasks Web API Authentication Mode each AIM scheme corresponds to."""


@dataclass
class RunFacts:
    """What the index says about the run, besides what the document says."""

    input_name: str
    input_sha256: str
    rule_sets: list[str]
    tool_version: str
    documented: str
    excluded: list[dict[str, Any]] = field(default_factory=list)
    """The clean report's `removed_operations` records (empty with --as-is)."""
    notes: list[str] = field(default_factory=list)


class Content:
    """Everything the writers show, built from one document."""

    def __init__(
        self,
        doc: dict[str, Any],
        version: SpecVersion,
        run: RunFacts,
        *,
        identify: IdentifyStrategy = "auto",
        method_extension: str = "x-mes-method",
        describe: Describe = markdown_html,
    ) -> None:
        self.reader = SpecReader(doc, version)
        self.describe = describe
        """Descriptions for the output format: sanitised HTML, or safe Markdown."""
        self.run = run
        self._current: str | None = None
        self.schema_users: dict[str, dict[str, None]] = defaultdict(dict)
        """Component pointer → operation anchors that use it (ordered, no repeats)."""
        self.schema_refs: dict[str, dict[str, None]] = defaultdict(dict)
        """Component pointer → components it links to."""
        self.trees = TreeBuilder(self.reader, self._on_ref, describe)
        self.ops = OperationBuilder(
            self.trees, identify=identify, method_extension=method_extension
        )
        self._operations = iter_operations(doc)
        self._by_key = {(p, m): (op, item) for p, m, op, item in self._operations}
        self.shared_responses = self._shared_responses()
        self.ops.shared = {(r.status, r.text): r.anchor for r in self.shared_responses}
        self.anchors = self._anchors()
        self.groups = self._groups()
        self.node_components: dict[str, str] = {}
        """Anchor of every node inside a schema → its component's pointer (deep refs)."""
        self.schemas = self._schemas()
        self.excluded = self._excluded()
        self.facts = self._facts()

    # ------------------------------------------------------------------ refs and anchors

    def _on_ref(self, pointer: str) -> None:
        component = self.reader.schema_component(pointer)
        if component is None or self._current is None:
            return
        if self._current.startswith("#"):
            # a self-reference too: it is the simplest recursion (not a "used by" entry)
            self.schema_refs[self._current][component] = None
        else:
            self.schema_users[component][self._current] = None

    def _anchors(self) -> dict[tuple[str, str], str]:
        """(path, method) → element id: the operationId, else a slug of method and path."""
        anchors: dict[tuple[str, str], str] = {}
        taken = set(RESERVED_IDS)
        for path, method, op, _ in self._operations:
            operation_id = op.get("operationId")
            base = (
                html_id(operation_id)
                if isinstance(operation_id, str) and operation_id
                else (method + "-" + (slug(path) or "root"))
            )
            anchor, n = base, 1
            while anchor in taken or anchor.startswith("schema-"):
                n += 1
                anchor = f"{base}-{n}"
            taken.add(anchor)
            anchors[(path, method)] = anchor
        return anchors

    def _groups(self) -> list[Group]:
        """Declared tags first (in their order), then the others as they appear."""
        declared: dict[str, Any] = {}
        tags = self.reader.doc.get("tags")
        if isinstance(tags, list):
            for tag in tags:
                if isinstance(tag, dict) and isinstance(tag.get("name"), str):
                    declared.setdefault(tag["name"], tag.get("description"))
        members: dict[str, list[tuple[str, str]]] = {name: [] for name in declared}
        for path, method, op, _ in self._operations:
            names = (
                [t for t in op.get("tags") or () if isinstance(t, str)]
                if isinstance(op.get("tags"), list)
                else []
            )
            for name in dict.fromkeys(names or [UNTAGGED]):
                members.setdefault(name, []).append((path, method))
        groups, used = [], set()
        for name, ops in members.items():
            base = "tag-" + (slug(name) or "group")
            file_base, n = base, 1
            while file_base in used:
                n += 1
                file_base = f"{base}-{n}"
            used.add(file_base)
            description = declared.get(name)
            groups.append(
                Group(
                    name=name,
                    slug=file_base,
                    description=self.describe(description)
                    if isinstance(description, str) and description
                    else None,
                    operations=ops,
                )
            )
        return groups

    def _shared_responses(self) -> list[SharedResponse]:
        counts: dict[tuple[str, str], int] = {}
        deref = self.reader.deref
        for _, _, op, _ in self._operations:
            responses = op.get("responses")
            if not isinstance(responses, dict):
                continue
            for status, raw in responses.items():
                response = deref(raw)
                if isinstance(response, dict) and len(response) == 1:
                    text = response.get("description")
                    if isinstance(text, str) and len(text) >= SHARED_MIN_CHARS:
                        key = (str(status), text)
                        counts[key] = counts.get(key, 0) + 1
        shared, taken = [], set(RESERVED_IDS)
        for (status, text), uses in counts.items():
            if uses < SHARED_MIN_USES:
                continue
            anchor, n = f"resp-{slug(status) or 'x'}", 1
            while anchor in taken:
                n += 1
                anchor = f"resp-{slug(status) or 'x'}-{n}"
            taken.add(anchor)
            shared.append(
                SharedResponse(anchor, status, _phrase(status), text, self.describe(text), uses)
            )
        return shared

    # ------------------------------------------------------------------ operations

    def operations(self, group: Group) -> Iterator[OperationView]:
        """The views of one group's operations (the schemas they use are recorded)."""
        for key in group.operations:
            op, item = self._by_key[key]
            anchor = self.anchors[key]
            self._current = anchor
            yield self.ops.build(anchor, key[0], key[1], op, item)
        self._current = None

    def all_operations(self) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
        """(path, method, operation, path item) of every operation, in document order."""
        return self._operations

    # ------------------------------------------------------------------ schemas

    def _schemas(self) -> list[SchemaView]:
        views = []
        self.reader.known = {pointer for _, pointer, _ in self.reader.schemas()}
        for name, pointer, schema in self.reader.schemas():
            self._current = pointer
            anchor = component_anchor(self.reader, pointer)
            root = self.trees.node("", schema, anchor=anchor)
            _collect_anchors(root, pointer, self.node_components)
            views.append(SchemaView(name, pointer, anchor, root))
        self._current = None
        self.schema_referrers: dict[str, list[str]] = defaultdict(list)
        """Component pointer → the components that link to it."""
        for source, targets in self.schema_refs.items():
            for target in targets:
                if target != source:
                    self.schema_referrers[target].append(source)
        cyclic = _cyclic_edges(self.schema_refs)
        for view in views:
            cycle = cyclic.get(view.pointer)
            if cycle:
                view.recursive = True
                _mark_recursion(view.root, cycle, self.reader)
        return views

    # ------------------------------------------------------------------ excluded, facts

    def _excluded(self) -> list[Excluded]:
        by_path: dict[tuple[str, str], str] = {}
        for (path, method), anchor in self.anchors.items():
            by_path.setdefault((path.lower().rstrip("/"), method), anchor)
        result = []
        for record in self.run.excluded:
            replacement = record.get("replacement")
            target = _replacement_anchor(replacement, by_path) if replacement else None
            result.append(
                Excluded(
                    method=str(record.get("method", "")),
                    path=str(record.get("path", "")),
                    operation_id=record.get("operationId"),
                    mes_method=record.get("mes_method"),
                    rule=str(record.get("rule", "")),
                    ruleset=str(record.get("ruleset", "")),
                    reason=str(record.get("reason", "")),
                    replacement=replacement,
                    replacement_target=target,
                )
            )
        return result

    def _facts(self) -> SiteFacts:
        doc = self.reader.doc
        raw_info = doc.get("info")
        info: dict[str, Any] = raw_info if isinstance(raw_info, dict) else {}
        description = info.get("description")
        return SiteFacts(
            title=plain_text(info.get("title")) or "API",
            version=plain_text(info.get("version")),
            description=self.describe(description) if isinstance(description, str) else None,
            spec_version=self.reader.version.declared,
            base_addresses=_base_addresses(doc, self.reader.v2),
            token_modes=_token_modes(doc, self.reader.v2, self.describe),
            input_name=self.run.input_name,
            input_sha256=self.run.input_sha256,
            rule_sets=self.run.rule_sets,
            tool_version=self.run.tool_version,
            documented=self.run.documented,
            operations=len(self._operations),
            excluded_count=len(self.run.excluded),
            notes=self.run.notes,
        )


def _phrase(status: str) -> str:
    try:
        return HTTPStatus(int(status)).phrase
    except ValueError:
        return "Default response" if status == "default" else "Response"


def _collect_anchors(node: SchemaNode, component: str, into: dict[str, str]) -> None:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.anchor is not None:
            into[current.anchor] = component
        stack.extend(current.children)


def _cyclic_edges(graph: dict[str, dict[str, None]]) -> dict[str, set[str]]:
    """For each schema, the schemas it links to that lead back to it (Tarjan's SCCs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    component: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    counter = 0
    for start in list(graph):
        if start in index:
            continue
        work = [(start, iter(graph.get(start, {})))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, {}))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component[member] = index[node]
                    if member == node:
                        break
    cyclic: dict[str, set[str]] = {}
    for source, targets in graph.items():
        for target in targets:
            if component.get(target) == component.get(source):
                cyclic.setdefault(source, set()).add(target)
    return cyclic


def _mark_recursion(root: SchemaNode, targets: set[str], reader: SpecReader) -> None:
    from dataclasses import replace

    stack = [root]
    while stack:
        node = stack.pop()
        node.type = [
            replace(p, recursive=True)
            if p.target is not None and reader.schema_component(p.target) in targets
            else p
            for p in node.type
        ]
        stack.extend(node.children)


def _replacement_anchor(replacement: str, by_path: dict[tuple[str, str], str]) -> str | None:
    """`api/v3/Item` or `PUT /api/v3/Item` → the anchor of that operation, when documented."""
    parts = replacement.split()
    method = parts[0].lower() if len(parts) == 2 else None
    path = "/" + parts[-1].strip().lstrip("/")
    path = path.lower().rstrip("/")
    if method is not None:
        return by_path.get((path, method))
    for verb in ("get", "post", "put", "patch", "delete"):
        if (path, verb) in by_path:
            return by_path[(path, verb)]
    return None


def _base_addresses(doc: dict[str, Any], v2: bool) -> list[str]:
    if v2:
        host = doc.get("host")
        base = doc.get("basePath") if isinstance(doc.get("basePath"), str) else ""
        schemes = (
            [s for s in doc.get("schemes") or [] if isinstance(s, str)]
            if isinstance(doc.get("schemes"), list)
            else []
        )
        if not isinstance(host, str):
            return [base] if base else []
        return [f"{s}://{host}{base}" for s in schemes or ["https"]]
    servers = doc.get("servers")
    if not isinstance(servers, list):
        return []
    return [s["url"] for s in servers if isinstance(s, dict) and isinstance(s.get("url"), str)]


def _token_modes(doc: dict[str, Any], v2: bool, describe: Describe) -> list[TokenMode]:
    if v2:
        schemes = doc.get("securityDefinitions")
    else:
        components = doc.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return []
    modes = []
    for name, scheme in schemes.items():
        if not isinstance(scheme, dict):
            continue
        if v2:
            flows = (
                [(plain_text(scheme.get("flow")), _flow_fields(scheme))] if "flow" in scheme else []
            )
        else:
            raw = scheme.get("flows")
            flows = (
                [(str(f), _flow_fields(v)) for f, v in raw.items() if isinstance(v, dict)]
                if isinstance(raw, dict)
                else []
            )
        description = scheme.get("description")
        modes.append(
            TokenMode(
                name=str(name),
                type=plain_text(scheme.get("type")),
                description=describe(description) if isinstance(description, str) else None,
                flows=flows,
                work_tasks_mode=WORK_TASKS_MODES.get(str(name)),
            )
        )
    return modes


def _flow_fields(flow: dict[str, Any]) -> list[tuple[str, str]]:
    fields = [
        (key, flow[key])
        for key in ("authorizationUrl", "tokenUrl", "refreshUrl")
        if isinstance(flow.get(key), str)
    ]
    scopes = flow.get("scopes")
    if isinstance(scopes, dict):
        listed = ", ".join(str(s) for s in scopes) or "none"
        fields.append(("scopes", listed))
    return fields
